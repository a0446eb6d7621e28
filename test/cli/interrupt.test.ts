/**
 * Stopping `kotae answer` with a signal, whenever it comes: Ctrl-C (SIGINT) or SIGTERM (`kill`,
 * a supervisor stopping the job) is always said in one line with what to do next, and exits
 * with the exit-code table's `interrupted` (130), including a signal that arrives while kotae
 * is still starting, before any sheet is read. Runs `main` in this process as the executable
 * does (handleSignals) and calls the listeners Node would call on the signal.
 */
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { ingestedChecksheet, type TempCorpus } from '../support/corpus.js';

/** A made-up product's checksheet (tab-separated, as the corpus parser reads it). */
const CHECKSHEET = ['# yozoraセキュリティチェックシート', '', '項番\t確認事項\t実施有無\t備考', '3-1\t保管データを暗号化すること。\t○\tAES-256で暗号化しています。', ''].join('\n');

let made: TempCorpus;
let env: Record<string, string | undefined>;

beforeAll(async () => {
  let base: Record<string, string>;
  ({ made, base } = await ingestedChecksheet('kotae-interrupt-', 'yozora', CHECKSHEET));
  env = { ...base, KOTAE_CLI_USER: 'U_ASKER' };
}, 120_000);

afterAll(() => rmSync(made.root, { recursive: true, force: true }));

function questionnaire(name: string, rows: number): string {
  const path = join(made.root, name);
  writeFileSync(path, `No,質問,回答\r\n${Array.from({ length: rows }, (_, i) => `${i + 1},保管データ${i}は暗号化していますか?,`).join('\r\n')}\r\n`);
  return path;
}

type StopSignal = 'SIGINT' | 'SIGTERM';

/** The listeners `main` added for `signal` since `before` (not the test runner's own). */
const added = (signal: StopSignal, before: NodeJS.SignalsListener[]): NodeJS.SignalsListener[] => process.listeners(signal).filter((l) => !before.includes(l));

/** What Node does on the signal: call its listeners. */
function send(signal: StopSignal, before: NodeJS.SignalsListener[]): void {
  for (const listener of added(signal, before)) listener(signal);
}

describe('kotae answer stopped by a signal', () => {
  it('SIGTERM while answering: the same message as Ctrl-C, exit 130, and the same command resumes', async () => {
    const before = process.listeners('SIGTERM');
    const input = questionnaire('term.csv', 400);
    const out = join(made.root, 'term.filled.csv');
    let sent = false;
    const stopped = await runCliInProcess(['answer', input, '--product', 'yozora', '--out', out], env, {
      main: { handleSignals: true },
      onErr: (line) => {
        // Once some rows are drafted (a progress line past 0), so there is something to resume.
        if (sent || !/^answering: [1-9]/.test(line)) return;
        sent = true;
        send('SIGTERM', before);
      },
    });
    expect(sent).toBe(true);
    expect(stopped.code).toBe(130);
    expect(stopped.err).toMatch(/interrupted: kotae answer stopped \(SIGTERM\); the rows already drafted are saved\n {2}Run the same command again to resume where it stopped\.$/);
    expect(existsSync(out)).toBe(false);
    expect(added('SIGTERM', before)).toEqual([]);

    const resumed = await runCliInProcess(['answer', input, '--product', 'yozora', '--out', out], env, { main: { handleSignals: true } });
    expect(resumed.code, resumed.err).toBe(0);
    expect(resumed.out).toMatch(/\d+ resumed from an interrupted run/);
  }, 120_000);

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} before any sheet is read says nothing was done yet, and exits 130`, async () => {
      const before = process.listeners(signal);
      const input = questionnaire(`early-${signal}.csv`, 3);
      // Sent the moment the command takes the signal, while it is still starting up.
      let sent = false;
      const poll = setInterval(() => {
        if (sent || added(signal, before).length === 0) return;
        sent = true;
        send(signal, before);
      }, 1);
      try {
        const res = await runCliInProcess(['answer', input, '--product', 'yozora', '--json'], env, { main: { handleSignals: true } });
        expect(sent).toBe(true);
        expect(res.code).toBe(130);
        const how = signal === 'SIGINT' ? 'Ctrl-C' : 'SIGTERM';
        expect(res.err).toBe(`interrupted: kotae answer stopped (${how}) before it began; nothing was done yet\n  Run the same command again.`);
        expect(JSON.parse(res.out)).toMatchObject({ error: { code: 'interrupted', exit: 130 } });
        expect(existsSync(join(made.root, `early-${signal}.filled.csv`))).toBe(false);
        expect(added(signal, before)).toEqual([]);
      } finally {
        clearInterval(poll);
      }
    }, 60_000);
  }

  // The executable (bin/kotae.js) holds a signal that comes while it is still loading kotae, before
  // main can take it (Node's default would end the process silently); main reports it.
  it('a signal held while kotae was still loading is reported as any later one, once the command can take it', async () => {
    const input = questionnaire('held.csv', 3);
    let released = false;
    const held = { received: () => 'SIGINT' as const, release: () => void (released = true) };
    const res = await runCliInProcess(['answer', input, '--product', 'yozora'], env, { main: { handleSignals: true, held } });
    expect(released).toBe(true);
    expect(res.code).toBe(130);
    expect(res.err).toBe('interrupted: kotae answer stopped (Ctrl-C) before it began; nothing was done yet\n  Run the same command again.');
    expect(existsSync(join(made.root, 'held.filled.csv'))).toBe(false);
  }, 60_000);
});
