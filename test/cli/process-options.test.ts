/**
 * What `main` does to the process it runs in, each only when asked (src/cli/main.ts
 * MainOptions): `dotEnvFrom` reads that directory's `.env`, `handleSignals` makes Ctrl-C stop
 * `kotae answer` cleanly (exit 130, how to resume). The kotae executable asks for both; a test
 * or any other in-process caller asks for neither, and reading a `.env` never takes over
 * Ctrl-C, nor the reverse. The real signal through the real executable is new-user.test.ts's.
 */
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runCliInProcess } from '../support/cli.js';
import { ingestedChecksheet, type TempCorpus } from '../support/corpus.js';

/** A made-up product's checksheet (tab-separated, as the corpus parser reads it). */
const CHECKSHEET = ['# hoshizoraセキュリティチェックシート', '', '項番\t確認事項\t実施有無\t備考', '2-1\t通信を暗号化すること。\t○\t通信はTLS 1.2以上で暗号化しています。', ''].join('\n');

let made: TempCorpus;
let env: Record<string, string | undefined>;

beforeAll(async () => {
  let base: Record<string, string>;
  ({ made, base } = await ingestedChecksheet('kotae-main-options-', 'hoshizora', CHECKSHEET));
  // Nobody to record as the asker unless a .env names one (and KOTAE_CLI_USER is restored after each run).
  env = { ...base, KOTAE_CLI_USER: undefined, USER: '' };
  writeFileSync(join(made.root, '.env'), 'KOTAE_CLI_USER=U_FROM_DOTENV\n');
}, 120_000);

afterAll(() => rmSync(made.root, { recursive: true, force: true }));

function questionnaire(name: string, rows: number): string {
  const path = join(made.root, name);
  writeFileSync(path, `No,質問,回答\r\n${Array.from({ length: rows }, (_, i) => `${i + 1},通信${i}は暗号化していますか?,`).join('\r\n')}\r\n`);
  return path;
}

/** The SIGINT listeners `main` added since `before`. */
const addedSigint = (before: NodeJS.SignalsListener[]): NodeJS.SignalsListener[] => process.listeners('SIGINT').filter((l) => !before.includes(l));

describe('main in a process it does not own', () => {
  it('reads no .env unless asked: with nobody to record as the asker, answer refuses', async () => {
    const res = await runCliInProcess(['answer', questionnaire('plain.csv', 3), '--product', 'hoshizora'], env);
    expect(res.code).toBe(2);
    expect(res.err).toContain('who is asking is unknown');
    expect(process.env['KOTAE_CLI_USER']).toBeUndefined();
  });

  it('dotEnvFrom reads that directory\'s .env, and does not take over Ctrl-C', async () => {
    const before = process.listeners('SIGINT');
    const takenDuringRun: number[] = [];
    const res = await runCliInProcess(['answer', questionnaire('dotenv.csv', 5), '--product', 'hoshizora', '--json'], env, {
      main: { dotEnvFrom: made.root },
      onErr: (line) => {
        if (line.startsWith('answering:')) takenDuringRun.push(addedSigint(before).length);
      },
    });
    expect(res.code, res.err).toBe(0);
    expect(takenDuringRun.length).toBeGreaterThan(0);
    expect(takenDuringRun.every((n) => n === 0)).toBe(true);
    // The asker the review queue recorded came from the .env; the variable did not outlive the run.
    const { jobId } = z.object({ jobId: z.string() }).parse(JSON.parse(res.out));
    const listed = await runCliInProcess(['review', 'list', '--job', jobId, '--json'], env);
    const id = z.object({ items: z.array(z.object({ id: z.string() })) }).parse(JSON.parse(listed.out)).items[0]?.id ?? '';
    const shown = await runCliInProcess(['review', 'show', id, '--json'], env);
    expect(z.object({ askedBy: z.string().nullable() }).parse(JSON.parse(shown.out)).askedBy).toBe('U_FROM_DOTENV');
    expect(process.env['KOTAE_CLI_USER']).toBeUndefined();
  });

  it('handleSignals makes Ctrl-C stop kotae answer cleanly (exit 130, how to resume), and reads no .env', async () => {
    const refused = await runCliInProcess(['answer', questionnaire('signals-nobody.csv', 3), '--product', 'hoshizora'], env, { main: { handleSignals: true } });
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('who is asking is unknown');

    const before = process.listeners('SIGINT');
    const out = join(made.root, 'big.filled.csv');
    let pressed = false;
    const res = await runCliInProcess(['answer', questionnaire('big.csv', 400), '--product', 'hoshizora', '--out', out], { ...env, KOTAE_CLI_USER: 'U_ASKER' }, {
      main: { handleSignals: true },
      onErr: (line) => {
        if (pressed || !line.startsWith('answering:')) return;
        pressed = true;
        // What Node runs on Ctrl-C: the listeners on SIGINT (only main's, not the test runner's).
        for (const listener of addedSigint(before)) listener('SIGINT');
      },
    });
    expect(pressed).toBe(true);
    expect(res.code).toBe(130);
    expect(res.err).toMatch(/interrupted: kotae answer stopped \(Ctrl-C\); the rows already drafted are saved\n {2}Run the same command again to resume where it stopped\.$/);
    expect(existsSync(out)).toBe(false);
    // The command gave the signal back when it ended.
    expect(addedSigint(before)).toEqual([]);
  });
});
