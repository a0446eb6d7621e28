/**
 * `app.questionnaireJobs` on a real app (LanceDB on a temp dir, the offline extractive
 * drafter, the review queue on the workflow database): a bulk job taken over from a replica
 * that stopped is finished by another replica's app, each row drafted and queued for review
 * once, and the filled file delivered by the new owner only. The first replica is an app
 * whose drafting is slowed (its `ask` replaced), as a busy process would be. A job that never
 * finishes (its delivery always throws) is run at most `maxAttempts` times, then marked failed
 * with its last error and its asker told once, and no replica takes it up again.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, runIngest, type App } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { JobAttemptsExhaustedError, questionnaireRunKey } from '../../src/questionnaire/jobs.js';
import { cellText } from '../../src/spreadsheet/grid.js';
import { loadSpreadsheet } from '../../src/spreadsheet/registry.js';
import { databaseEnv, testDatabaseConfig } from '../support/db.js';
import { tempCorpus } from '../support/corpus.js';

/** A made-up product's checksheet, in the tab-separated form the corpus parser reads. */
const CHECKSHEET = [
  '# tsukikageセキュリティチェックシート',
  '',
  '項番\t確認事項\t実施有無\t備考',
  '<b>1 管理</b>\t\t\t',
  '1-1\t管理者アカウントを棚卸しすること。\t○\t管理者アカウントは四半期ごとに棚卸ししています。',
  '1-2\t通信を暗号化すること。\t○\t外部との通信はTLS 1.2以上で暗号化しています。',
  '1-3\tバックアップを取得すること。\t○\tデータベースは毎日バックアップを取得しています。',
  '1-4\t退職者のアカウントを削除すること。\t○\t退職者のアカウントは退職日に削除しています。',
  '',
].join('\n');

const QUESTIONS = [
  '管理者アカウントの棚卸しはどのくらいの頻度で行っていますか?',
  '外部との通信は暗号化していますか?',
  'バックアップは毎日取得していますか?',
  '退職者のアカウントはいつ削除しますか?',
];
const CSV = Buffer.from(['No,質問,回答', ...QUESTIONS.map((q, i) => `${i + 1},${q},`)].join('\r\n') + '\r\n', 'utf8');
const Delivery = z.object({ thread: z.string() });

const logger = createLogger('silent');
let root: string;
let config: Config;
const apps: App[] = [];

beforeAll(async () => {
  const made = tempCorpus('kotae-jobs-app-', { file: 'tsukikage.txt', product: 'tsukikage', vendor: null, title: 'tsukikageセキュリティチェックシート', format: 'checksheet-text', language: 'ja' }, CHECKSHEET);
  root = made.root;
  const corpus = made.corpusDir;
  config = loadConfig({
    KOTAE_DATA_DIR: join(root, 'data'),
    KOTAE_CORPUS_DIR: corpus,
    KOTAE_DRAFTER: 'extractive',
    KOTAE_CONCURRENCY: '1',
    ...databaseEnv(await testDatabaseConfig(join(root, 'data'))),
  });
  await runIngest(config, { logger });
}, 120_000);

afterAll(async () => {
  for (const app of apps.splice(0)) await app.close();
  rmSync(root, { recursive: true, force: true });
});

async function replicaApp(): Promise<App> {
  const app = await createApp(config, { logger });
  apps.push(app);
  return app;
}

describe('app.questionnaireJobs', () => {
  it('a job taken over from a stopped replica is finished by the other app: each row drafted and queued once, delivered once', async () => {
    const ttlMs = 600;
    const real = await replicaApp();
    const asked = { a: [] as string[], b: [] as string[] };
    // Replica A drafts slowly; replica B is a second app on the same data dir and database.
    const slow: App = { ...real, ask: async (q, p, o) => (asked.a.push(q), await sleep(400), real.ask(q, p, o)) };
    const realB = await replicaApp();
    const b: App = { ...realB, ask: (q, p, o) => (asked.b.push(q), realB.ask(q, p, o)) };
    const deliveredA: unknown[] = [];
    const deliveredB: Array<{ ok: boolean; bytes?: Uint8Array }> = [];
    const jobsA = slow.questionnaireJobs({ owner: 'app-a', ttlMs, delivery: Delivery, deliver: async (_job, outcome) => void deliveredA.push(outcome) });
    const jobsB = b.questionnaireJobs({
      owner: 'app-b',
      ttlMs,
      delivery: Delivery,
      deliver: async (_job, outcome) => void deliveredB.push(outcome.ok ? { ok: true, bytes: outcome.result.bytes } : { ok: false }),
    });

    const options = { product: 'tsukikage', askedBy: 'U_SALES', channel: 'C_SALES' };
    const submitted = jobsA.submit({ name: 'questionnaire.csv', bytes: CSV }, options, { thread: 'T_APP' });
    await sleep(1000);
    // A stops being the owner (as when it froze past its TTL and B took the lease).
    await real.db.run("UPDATE leases SET owner = 'app-b' WHERE kind = 'questionnaire-run' AND lease_key = ?", [questionnaireRunKey(CSV, options)]);
    const { key, end } = await submitted;
    expect(end).toBe('lost');
    await sleep(ttlMs + 100);
    expect(await jobsB.adoptOrphans()).toEqual([key]);

    expect(deliveredA).toEqual([]);
    expect(deliveredB).toHaveLength(1);
    const bytes = deliveredB[0]?.bytes;
    if (!bytes) throw new Error('no file delivered');
    const loaded = await loadSpreadsheet(bytes, 'questionnaire.csv', b.limits);
    const sheet = loaded.grid.sheets[0];
    if (!sheet) throw new Error('no sheet');
    const answers = QUESTIONS.map((_, i) => cellText(sheet, i + 2, 3));
    expect(answers.every((text) => text.trim().length > 0)).toBe(true);
    expect(answers[1]).toContain('TLS');

    // Each question drafted once across both apps, and one review per row in the queue.
    expect(asked.a.length).toBeGreaterThanOrEqual(1);
    expect([...asked.a, ...asked.b].sort()).toEqual([...QUESTIONS].sort());
    const queued = (await b.reviews.list({ product: 'tsukikage', limit: 50 })).items;
    expect(queued.map((r) => r.question).sort()).toEqual([...QUESTIONS].sort());
    expect(await jobsB.state(key)).toEqual({ state: 'done', attempts: 2, error: null });
    // The customer's file is not kept once the job is done.
    const stored = await b.db.get('SELECT file_bytes FROM questionnaire_runs WHERE run_key = ?', [key]);
    expect(Buffer.from(stored?.['file_bytes'] as Uint8Array).length).toBe(0);
  });

  it('a job whose delivery always fails is run maxAttempts times, then marked failed and its asker told once', async () => {
    const ttlMs = 300;
    const app = await replicaApp();
    let deliveries = 0;
    const told: Array<{ thread: string; error: unknown }> = [];
    const jobs = app.questionnaireJobs({
      owner: 'app-capped',
      ttlMs,
      maxAttempts: 3,
      delivery: Delivery,
      deliver: async (job, outcome) => {
        if (!outcome.ok) return void told.push({ thread: job.delivery.thread, error: outcome.error });
        deliveries += 1;
        throw new Error(`upload refused on attempt ${job.attempts}`);
      },
    });
    const options = { product: 'tsukikage', askedBy: 'U_SALES', channel: 'C_CAPPED' };
    await expect(jobs.submit({ name: 'capped.csv', bytes: CSV }, options, { thread: 'T_CAPPED' })).rejects.toThrow('upload refused on attempt 1');
    for (const attempt of [2, 3]) {
      await sleep(ttlMs + 100);
      await expect(jobs.adoptOrphans()).rejects.toThrow(`upload refused on attempt ${attempt}`);
    }
    expect(told).toEqual([]);

    // The cap is reached: the next adopter runs it no more and tells the asker instead.
    await sleep(ttlMs + 100);
    expect(await jobs.adoptOrphans()).toEqual([]);
    expect(deliveries).toBe(3);
    expect(told).toHaveLength(1);
    expect(told[0]?.thread).toBe('T_CAPPED');
    const error = told[0]?.error;
    expect(error).toBeInstanceOf(JobAttemptsExhaustedError);
    expect((error as JobAttemptsExhaustedError).message).toContain('capped.csv');
    expect((error as JobAttemptsExhaustedError).lastError).toBe('upload refused on attempt 3');
    const key = questionnaireRunKey(CSV, options);
    expect(await jobs.state(key)).toEqual({ state: 'failed', attempts: 3, error: expect.stringContaining('upload refused on attempt 3') });

    // Never again, on this replica or another: not run, not delivered, not told twice.
    const other = (await replicaApp()).questionnaireJobs({ owner: 'app-other', ttlMs, maxAttempts: 3, delivery: Delivery, deliver: async () => void deliveries++ });
    await sleep(ttlMs + 100);
    expect(await other.adoptOrphans()).toEqual([]);
    expect(await jobs.adoptOrphans()).toEqual([]);
    expect(deliveries).toBe(3);
    expect(told).toHaveLength(1);
    const stored = await app.db.get('SELECT file_bytes FROM questionnaire_runs WHERE run_key = ?', [key]);
    expect(Buffer.from(stored?.['file_bytes'] as Uint8Array).length).toBe(0);
  });
});
