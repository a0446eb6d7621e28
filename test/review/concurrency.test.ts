/**
 * Real processes against one SQLite file: two approvers racing, and a writer killed with
 * SIGKILL mid-flight. In-process tests cannot show either: within one process the port
 * serialises every transaction on its one connection.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface, type Interface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { enqueueDraft, getAuditTrail } from '../../src/review/queue.js';
import { openDatabase } from '../../src/store/open.js';
import { makeDraft, tempDb } from './fixtures/drafts.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

interface Child {
  proc: ChildProcessWithoutNullStreams;
  nextLine: () => Promise<string>;
  exited: Promise<NodeJS.Signals | number | null>;
}

function start(script: string, args: string[]): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', fixture(script), ...args], { cwd: ROOT, stdio: 'pipe' });
  let stderr = '';
  proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines: Interface = createInterface({ input: proc.stdout });
  const buffered: string[] = [];
  const waiting: Array<(line: string) => void> = [];
  lines.on('line', (line) => {
    const w = waiting.shift();
    if (w) w(line);
    else buffered.push(line);
  });
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => proc.on('exit', (code, signal) => resolve(signal ?? code)));
  const nextLine = (): Promise<string> => {
    const line = buffered.shift();
    if (line !== undefined) return Promise.resolve(line);
    return new Promise<string>((resolve, reject) => {
      waiting.push(resolve);
      void exited.then((how) => reject(new Error(`${script} exited (${String(how)}) before answering: ${stderr}`)));
    });
  };
  return { proc, nextLine, exited };
}

const RaceResult = z.array(
  z.union([
    z.object({ id: z.string(), ok: z.literal(true), at: z.string() }),
    z.object({ id: z.string(), ok: z.literal(false), code: z.string(), message: z.string() }),
  ]),
);

const children: Child[] = [];
let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  for (const c of children.splice(0)) if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGKILL');
  await cleanup?.();
  cleanup = undefined;
});

describe('two approvers racing in separate processes', () => {
  it('exactly one wins each draft; the other is told who approved it and when', async () => {
    const t = await tempDb();
    cleanup = t.cleanup;
    const racers = { alice: start('racer.ts', [t.dir, 'alice']), bob: start('racer.ts', [t.dir, 'bob']) };
    children.push(racers.alice, racers.bob);
    expect(await racers.alice.nextLine()).toBe('ready');
    expect(await racers.bob.nextLine()).toBe('ready');

    const wins = { alice: 0, bob: 0 };
    const ROUNDS = 6;
    const PER_ROUND = 40;
    for (let round = 0; round < ROUNDS; round++) {
      const ids: string[] = [];
      for (let n = 0; n < PER_ROUND; n++) ids.push((await enqueueDraft(t.db, makeDraft(), { askedBy: null })).id);
      // Both get the same ids in the same order at the same moment: every draft is contested.
      const line = `${JSON.stringify(ids)}\n`;
      racers.alice.proc.stdin.write(line);
      racers.bob.proc.stdin.write(line);
      const results = {
        alice: RaceResult.parse(JSON.parse(await racers.alice.nextLine())),
        bob: RaceResult.parse(JSON.parse(await racers.bob.nextLine())),
      };
      for (const [i, id] of ids.entries()) {
        const a = results.alice[i];
        const b = results.bob[i];
        expect(a?.id).toBe(id);
        expect(b?.id).toBe(id);
        expect([a?.ok, b?.ok].filter(Boolean), `review #${id}: exactly one winner`).toHaveLength(1);
        const [winnerName, winner, loser] = a?.ok ? (['alice', a, b] as const) : (['bob', b, a] as const);
        wins[winnerName] += 1;
        if (!winner?.ok || loser === undefined || loser.ok) throw new Error('unreachable: checked above');
        expect(loser.code).toBe('conflict');
        expect(loser.message).toBe(`review #${id} already approved by ${winnerName} at ${winner.at}`);

        const trail = await getAuditTrail(t.db, id);
        expect(trail.map((e) => [e.action, e.actor])).toEqual([
          ['enqueue', 'kotae:extractive'],
          ['approve', winnerName],
        ]);
      }
    }
    // Both processes really competed: each won some drafts (otherwise this proved nothing).
    expect(wins.alice + wins.bob).toBe(ROUNDS * PER_ROUND);
    expect(wins.alice).toBeGreaterThan(0);
    expect(wins.bob).toBeGreaterThan(0);
    racers.alice.proc.stdin.end();
    racers.bob.proc.stdin.end();
    expect(await racers.alice.exited).toBe(0);
    expect(await racers.bob.exited).toBe(0);
  });
});

describe('kill -9 during approvals', () => {
  const Row = z.object({ id: z.number(), state: z.string(), version: z.number(), answer: z.string(), approved_by: z.string().nullable(), draft_json: z.string() });
  const Event = z.object({ review_id: z.number(), from_state: z.string().nullable(), to_state: z.string(), from_version: z.number().nullable(), to_version: z.number(), after_text: z.string(), before_text: z.string().nullable() });

  it('leaves every review in its old or its new state, never half, with audit and version consistent', async () => {
    const t = await tempDb();
    cleanup = t.cleanup;
    await t.db.close(); // the parent only reads between kills, through fresh connections
    let previousEvents = 0;
    const KILLS = 8;
    for (let k = 0; k < KILLS; k++) {
      const child = start('crasher.ts', [t.dir]);
      children.push(child);
      expect(await child.nextLine()).toBe('ready');
      await sleep(20 + Math.floor(Math.random() * 250));
      child.proc.kill('SIGKILL');
      expect(await child.exited).toBe('SIGKILL');

      // A fresh connection recovers from the WAL exactly as the next kotae process would.
      const db = await openDatabase({ dataDir: t.dir });
      try {
        expect(await db.get('SELECT integrity_check AS result FROM pragma_integrity_check')).toEqual({ result: 'ok' });
        const rows = (await db.all('SELECT id, state, version, answer, approved_by, draft_json FROM reviews ORDER BY id')).map((r) => Row.parse(r));
        const events = (await db.all('SELECT review_id, from_state, to_state, from_version, to_version, after_text, before_text FROM review_audit ORDER BY seq')).map((e) => Event.parse(e));
        const cited = (await db.all('SELECT review_id AS id, count(*) AS n FROM review_citations GROUP BY review_id')).map((c) => z.object({ id: z.number(), n: z.number() }).parse(c));
        const citedCount = new Map(cited.map((c) => [c.id, c.n]));
        const byReview = new Map<number, typeof events>();
        for (const e of events) byReview.set(e.review_id, [...(byReview.get(e.review_id) ?? []), e]);

        expect(events.length, 'the child made progress before this kill').toBeGreaterThan(previousEvents);
        previousEvents = events.length;
        for (const row of rows) {
          const trail = byReview.get(row.id) ?? [];
          const last = trail.at(-1);
          expect(last, `review #${row.id} has audit events`).toBeDefined();
          expect(row.state, `review #${row.id}: state = last audit to-state`).toBe(last?.to_state);
          expect(row.version, `review #${row.id}: one audit event per version`).toBe(trail.length);
          expect(row.answer).toBe(last?.after_text);
          trail.forEach((e, i) => {
            expect(e.to_version).toBe(i + 1);
            expect(e.from_version).toBe(i === 0 ? null : i);
            expect(e.from_state).toBe(i === 0 ? null : trail[i - 1]?.to_state);
          });
          if (row.state === 'approved' || row.state === 'edited') expect(row.approved_by).not.toBeNull();
          // The enqueue transaction wrote the review, its citations and its first event together.
          expect(citedCount.get(row.id)).toBe(2);
        }
        // No orphaned events for reviews that do not exist.
        expect(new Set(events.map((e) => e.review_id)).size).toBe(rows.length);
      } finally {
        await db.close();
      }
    }
  });
});
