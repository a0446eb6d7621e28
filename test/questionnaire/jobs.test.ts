/**
 * Bulk questionnaire jobs across replicas sharing PostgreSQL (issue 13). What a person would
 * notice: a bulk upload whose bot process is killed mid-job is still finished, by another
 * replica, with every row answered, each row drafted once in all, and the file delivered
 * once; a replica that is alive and renewing keeps its job; and a replica whose job was taken
 * over stops instead of delivering a second file; a delivery that failed is made by the
 * replica that adopts the job. Replica A of the first test is a real child
 * process killed with SIGKILL; the other replicas run in the test process, each with its own
 * owner and database handle, as separate processes would.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import { createQuestionnaireJobs, questionnaireRunKey, type JobOutcome, type JobRecord, type QuestionnaireJobs } from '../../src/questionnaire/jobs.js';
import { createQuestionnaires, type QuestionnaireRun } from '../../src/questionnaire-run.js';
import { cellText } from '../../src/spreadsheet/grid.js';
import { limitsFromConfig } from '../../src/spreadsheet/safety.js';
import { loadSpreadsheet } from '../../src/spreadsheet/registry.js';
import type { Database } from '../../src/store/database.js';
import { openDatabase } from '../../src/store/open.js';
import { testDatabaseConfig } from '../support/db.js';
import { fakeAnswerer } from '../support/fake-answerer.js';
import { killChildren, spawnTs } from '../support/spawn-ts.js';
import { testConfig } from './helpers.js';

const QUESTIONS = [
  'Do you keep an inventory of every production server?',
  'How often are administrator accounts reviewed?',
  'Is customer data encrypted in transit?',
  'Do you run tabletop exercises for incident response?',
  'Are firewall rules reviewed after each change?',
  'Is there a named owner for every third-party integration?',
];
const CSV = Buffer.from(['No,Question,Answer', ...QUESTIONS.map((q, i) => `${i + 1},${q},`)].join('\r\n') + '\r\n', 'utf8');
const Delivery = z.object({ thread: z.string() });
type Delivery = z.infer<typeof Delivery>;

let dir: string;
let config: Config;
const handles: Database[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kotae-jobs-'));
  const db = await testDatabaseConfig(dir);
  if (db.databaseUrl === undefined) throw new Error('jobs.test.ts runs on PostgreSQL only (vitest project "postgres")');
  config = testConfig(dir, { KOTAE_CONCURRENCY: '1', KOTAE_DATABASE_URL: db.databaseUrl });
});

afterEach(() => killChildren());

afterAll(async () => {
  for (const db of handles.splice(0)) await db.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Replica {
  jobs: QuestionnaireJobs<Delivery>;
  db: Database;
  drafted: string[];
  delivered: Array<{ job: JobRecord<Delivery>; outcome: JobOutcome<QuestionnaireRun> }>;
}

/** A replica in this process: its own database handle and owner, a fake drafter that records each draft. */
async function replica(owner: string, ttlMs: number, delayMs = 0, deliveryFails = false): Promise<Replica> {
  const db = await openDatabase(config);
  handles.push(db);
  const drafted: string[] = [];
  const delivered: Replica['delivered'] = [];
  const answer = fakeAnswerer({ abstainEvery: 0, delayMs, onAnswer: (q) => drafted.push(q) });
  const core = createQuestionnaires({ config, db, reviews: null, bind: () => ({ answer }) });
  const jobs = createQuestionnaireJobs({
    db,
    owner,
    ttlMs,
    delivery: Delivery,
    run: (file, options) => core.answerQuestionnaire(file, options),
    deliver: async (job, outcome) => {
      if (deliveryFails) throw new Error('Slack is unreachable');
      delivered.push({ job, outcome });
    },
  });
  return { jobs, db, drafted, delivered };
}

async function answersOf(bytes: Uint8Array): Promise<string[]> {
  const loaded = await loadSpreadsheet(bytes, 'questionnaire.csv', limitsFromConfig(config));
  const sheet = loaded.grid.sheets[0];
  if (!sheet) throw new Error('no sheet');
  return QUESTIONS.map((_, i) => cellText(sheet, i + 2, 3));
}

const count = (list: string[]): Map<string, number> => list.reduce((m, q) => m.set(q, (m.get(q) ?? 0) + 1), new Map<string, number>());

describe('questionnaire jobs across replicas', () => {
  it('a job killed with its replica is finished by another, without drafting its finished rows again, and delivered once', async () => {
    const ttl = 2000;
    const input = join(dir, 'questionnaire.csv');
    writeFileSync(input, CSV);
    const a = spawnTs('test/questionnaire/jobs-replica.ts', [dir, input, '500', String(ttl)], { ...process.env, KOTAE_DATABASE_URL: config.databaseUrl });
    expect(await a.waitFor((l) => l === 'saved 2')).toBe('saved 2');
    a.proc.kill('SIGKILL');
    const exit = await a.exit;
    expect(exit.signal).toBe('SIGKILL');
    const draftedByA = a.lines.filter((l) => l.startsWith('drafted ')).map((l) => l.slice('drafted '.length));
    expect(draftedByA.length).toBeGreaterThanOrEqual(2);
    expect(draftedByA.length).toBeLessThan(QUESTIONS.length);

    const b = await replica('replica-b', ttl);
    // A renewed its lease moments ago: not an orphan yet.
    expect(await b.jobs.adoptOrphans()).toEqual([]);
    await sleep(ttl + 300);
    const adopted = await b.jobs.adoptOrphans();
    expect(adopted).toHaveLength(1);

    // Every row answered in the delivered file.
    expect(b.delivered).toHaveLength(1);
    const [delivery] = b.delivered;
    expect(delivery?.job).toMatchObject({ key: adopted[0], adopted: true, delivery: { thread: 'T_1' }, options: { product: 'krew', askedBy: 'U_A', channel: 'C_BULK' } });
    const outcome = delivery?.outcome;
    if (!outcome?.ok) throw new Error(`job failed: ${outcome ? String(outcome.error) : 'not delivered'}`);
    expect((await answersOf(outcome.result.bytes)).every((text) => text.trim().length > 0)).toBe(true);

    // Each row drafted exactly once across both replicas: B drafted only what A had not.
    const drafts = count([...draftedByA, ...b.drafted]);
    expect([...drafts.keys()].sort()).toEqual([...QUESTIONS].sort());
    expect([...drafts.values()].every((n) => n === 1)).toBe(true);
    expect(b.drafted.length).toBe(QUESTIONS.length - draftedByA.length);

    expect(a.lines).not.toContain('delivered');
    expect(await b.jobs.state(adopted[0] ?? '')).toEqual({ state: 'done', attempts: 2, error: null });
    // Done: released, so nobody adopts it again.
    expect(await b.db.get('SELECT owner FROM leases WHERE lease_key = ?', [adopted[0] ?? ''])).toBeUndefined();
    expect(await b.jobs.adoptOrphans()).toEqual([]);
    expect(b.delivered).toHaveLength(1);
  });

  it('a job whose replica keeps renewing its lease is not taken over, however long it runs', async () => {
    const ttl = 600;
    const a = await replica('replica-a2', ttl, 300);
    const b = await replica('replica-b2', ttl);
    const bytes = Buffer.concat([CSV, Buffer.from('7,Is a renewed lease kept by its owner?,\r\n', 'utf8')]);
    const submitted = a.jobs.submit({ name: 'questionnaire.csv', bytes }, { product: 'krew', askedBy: 'U_A', channel: 'C_RENEW' }, { thread: 'T_2' });
    // Well past two TTLs into a run of about 2 s.
    await sleep(ttl * 2 + 200);
    expect(await b.jobs.adoptOrphans()).toEqual([]);
    const { key, end } = await submitted;
    expect(end).toBe('done');
    expect(b.drafted).toEqual([]);
    expect(b.delivered).toEqual([]);
    expect(a.delivered).toHaveLength(1);
    expect(a.drafted).toHaveLength(QUESTIONS.length + 1);
    expect(await a.jobs.state(key)).toEqual({ state: 'done', attempts: 1, error: null });
  });

  it('a replica whose job was taken over stops and delivers nothing; the new owner finishes it', async () => {
    const ttl = 600;
    const a = await replica('replica-a3', ttl, 300);
    const b = await replica('replica-b3', ttl);
    const bytes = Buffer.concat([CSV, Buffer.from('7,Does a replica stop when its job moves?,\r\n', 'utf8')]);
    const options = { product: 'krew', askedBy: 'U_A', channel: 'C_LOST' };
    const submitted = a.jobs.submit({ name: 'questionnaire.csv', bytes }, options, { thread: 'T_3' });
    await sleep(400);
    // What B's takeover leaves in the table when A was paused past its TTL (a long GC, a frozen VM).
    expect(await a.db.run("UPDATE leases SET owner = 'replica-b3' WHERE kind = 'questionnaire-run' AND lease_key = ?", [questionnaireRunKey(bytes, options)])).toBe(1);
    const { key, end } = await submitted;
    expect(end).toBe('lost');
    expect(a.delivered).toEqual([]);
    expect(a.drafted.length).toBeLessThan(QUESTIONS.length + 1);
    expect((await a.jobs.state(key))?.state).toBe('running');

    // B (not renewing: it never ran the job) finds it orphaned once the lease runs out, and finishes it.
    await sleep(ttl + 100);
    expect(await b.jobs.adoptOrphans()).toEqual([key]);
    expect(b.delivered.map((d) => d.job.delivery)).toEqual([{ thread: 'T_3' }]);
    expect(a.delivered).toEqual([]);
    expect(await b.jobs.state(key)).toEqual({ state: 'done', attempts: 2, error: null });
  });

  it('the same upload submitted to a second replica while the first runs it is not run twice', async () => {
    const a = await replica('replica-a4', 600, 200);
    const b = await replica('replica-b4', 600);
    const bytes = Buffer.concat([CSV, Buffer.from('7,Is a second submission of a running job refused?,\r\n', 'utf8')]);
    const options = { product: 'krew', askedBy: 'U_A', channel: 'C_TWICE' };
    const first = a.jobs.submit({ name: 'questionnaire.csv', bytes }, options, { thread: 'T_4' });
    await sleep(300);
    // Another person in the same channel uploads the same file to another replica.
    const second = await b.jobs.submit({ name: 'questionnaire.csv', bytes }, { ...options, askedBy: 'U_B' }, { thread: 'T_5' });
    expect(second.end).toBe('elsewhere');
    expect((await first).end).toBe('done');
    expect(b.drafted).toEqual([]);
    expect(b.delivered).toEqual([]);
    expect(a.delivered.map((d) => d.job.delivery)).toEqual([{ thread: 'T_4' }]);
  });

  it('a job that fails is delivered as failed once and not taken over again', async () => {
    const a = await replica('replica-a5', 300);
    const b = await replica('replica-b5', 300);
    // Not a product key: the core refuses the run before drafting.
    const { key, end } = await a.jobs.submit({ name: 'questionnaire.csv', bytes: CSV }, { product: 'Not A Key!', askedBy: 'U_A' }, { thread: 'T_6' });
    expect(end).toBe('failed');
    expect(a.delivered).toHaveLength(1);
    expect(a.delivered[0]?.outcome.ok).toBe(false);
    expect(await a.jobs.state(key)).toMatchObject({ state: 'failed', attempts: 1, error: expect.stringContaining('not a product key') });
    await sleep(400);
    expect(await b.jobs.adoptOrphans()).toEqual([]);
    expect(b.delivered).toEqual([]);
  });

  it('a job whose delivery failed is delivered by the replica that adopts it', async () => {
    const a = await replica('replica-a6', 300, 0, true);
    const b = await replica('replica-b6', 300);
    const bytes = Buffer.concat([CSV, Buffer.from('7,Is a failed delivery tried again?,\r\n', 'utf8')]);
    const options = { product: 'krew', askedBy: 'U_A', channel: 'C_DELIVER' };
    await expect(a.jobs.submit({ name: 'questionnaire.csv', bytes }, options, { thread: 'T_7' })).rejects.toThrow('Slack is unreachable');
    const key = questionnaireRunKey(bytes, options);
    expect((await a.jobs.state(key))?.state).toBe('running');
    await sleep(400);
    expect(await b.jobs.adoptOrphans()).toEqual([key]);
    expect(b.delivered.map((d) => [d.job.delivery, d.outcome.ok])).toEqual([[{ thread: 'T_7' }, true]]);
    // The rows A drafted before its delivery failed were not drafted again.
    expect(b.drafted).toEqual([]);
    expect(await b.jobs.state(key)).toEqual({ state: 'done', attempts: 2, error: null });
  });
});
