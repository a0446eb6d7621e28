/**
 * What a review decided, as the next draft of the same question shows it (new-user trial s10):
 * - #7: a questionnaire row served from a standing approval of the same question is approved in
 *   the queue; the filled file said "Draft, pending review" on that first run and "Approved
 *   answer" only on the next one;
 * - #6: a reviewer rejected a draft with a reason, and the next ask of the same question (or the
 *   same row in a new questionnaire) served the same confident answer, nothing mentioning the
 *   rejection.
 * The test's own made-up English policies (test/fixtures/policies/), ingested offline, through
 * the real bulk path (`kotae answer` over the app's questionnaires and review queue).
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, runIngest, type App } from '../../src/app.js';
import { runAnswer } from '../../src/cli/answer.js';
import { main } from '../../src/cli/main.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { databaseEnv, testDatabaseConfig } from '../support/db.js';

const POLICIES = [
  { file: 'access-control.md', title: 'Orbitline Access Control Policy' },
  { file: 'backup.md', title: 'Orbitline Backup Policy' },
  { file: 'incident-response.md', title: 'Orbitline Incident Response Policy' },
];
const PRODUCT = 'orbitline';

let dir: string;
let config: Config;
let app: App;
const logger = createLogger('silent');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kotae-review-memory-'));
  const corpusDir = join(dir, 'corpus');
  mkdirSync(corpusDir);
  for (const p of POLICIES) copyFileSync(new URL(`../fixtures/policies/${p.file}`, import.meta.url), join(corpusDir, p.file));
  writeFileSync(join(corpusDir, 'manifest.json'), JSON.stringify(POLICIES.map((p) => ({ file: p.file, product: PRODUCT, vendor: 'Orbitline', title: p.title, format: 'markdown', language: 'en' }))));
  config = { ...loadConfig({ KOTAE_DRAFTER: 'extractive', KOTAE_APPROVERS: 'U_SEC' }), ...(await testDatabaseConfig(join(dir, 'data'))), corpusDir };
  const report = await runIngest(config, { logger });
  expect(report.failed).toBe(0);
  app = await createApp(config, { logger });
}, 60_000);

afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

/** `kotae answer FILE --product orbitline` as a salesperson runs it; the filled CSV's rows. */
async function answer(name: string, questions: string[]): Promise<{ code: number; out: string; rows: Record<string, string>[] }> {
  const input = join(dir, `${name}.csv`);
  writeFileSync(input, `No,Question,Answer,Comment\n${questions.map((q, i) => `${i + 1},"${q}",,`).join('\n')}\n`);
  const out: string[] = [];
  const err: string[] = [];
  const code = await runAnswer([input, '--product', PRODUCT], { config, questionnaires: app, askedBy: 'U_SALES', out: (s) => out.push(s), err: (s) => err.push(s), interactive: false });
  expect(code, err.join('\n')).toBe(0);
  const rows = parse(readFileSync(join(dir, `${name}.filled.csv`), 'utf8'), { columns: true, bom: true }) as Record<string, string>[];
  return { code, out: out.join('\n'), rows };
}

describe('a questionnaire row served from an approved answer', () => {
  it('is labelled as the approved answer in the file of the very first run, as the queue has it', async () => {
    const question = 'Are backup copies retained for 30 days?';
    const asked = await app.ask(question, PRODUCT, { enqueue: { askedBy: 'U_SALES' } });
    const approvedText = 'Yes. Backup copies are retained for 30 days and then deleted.';
    await app.reviews.approve(asked.review?.id ?? '', { as: 'U_SEC', text: approvedText, status: 'yes' });

    const first = await answer('reuse-first', [question]);
    const [row] = first.rows;
    const served = (await app.reviews.list({ product: PRODUCT, limit: 50 })).items.filter((r) => r.question === question && r.jobId !== null);
    expect(served.map((r) => r.state)).toEqual(['approved']);
    expect(row?.['Answer']).toBe(approvedText);
    expect(row?.['Comment']).toContain(`Approved answer (review #${served[0]?.id})`);
    expect(row?.['Comment']).not.toContain('Draft, pending review');
    expect(first.out).toMatch(/1 from approved answers/);
  });
});

describe('a question whose earlier draft a reviewer rejected', () => {
  const question = 'Is a test restore from backup performed every quarter?';
  const reason = 'Restore tests are monthly, not quarterly';
  let rejectedId = '';

  beforeAll(async () => {
    const first = await app.ask(question, PRODUCT, { enqueue: { askedBy: 'U_SALES' } });
    rejectedId = first.review?.id ?? '';
    await app.reviews.reject(rejectedId, { as: 'U_SEC', reason });
  });

  it('asked again, is flagged for a person, saying which review rejected it and why', async () => {
    const again = await app.ask(`  ${question.toUpperCase()}  `, PRODUCT, { enqueue: { askedBy: 'U_SALES' } });
    expect(again.draft.needsHuman).toBe(true);
    expect(again.draft.reason).toContain(`a previous draft of this question was rejected in review #${rejectedId}: ${reason}`);
    expect(again.draft.draft.startsWith('[Needs review]')).toBe(true);
    // Waiting for a person: never among the confident drafts approved in one go.
    expect(again.review?.state).toBe('needs_human');
  });

  it('in Japanese, says it in Japanese', async () => {
    const ja = 'バックアップからの復元テストを四半期ごとに実施していますか？';
    const first = await app.ask(ja, PRODUCT, { enqueue: { askedBy: 'U_SALES' } });
    await app.reviews.reject(first.review?.id ?? '', { as: 'U_SEC', reason: '復元テストは毎月です' });
    const again = await app.ask(ja, PRODUCT);
    expect(again.draft.reason).toContain(`この質問の以前の下書きはレビュー #${first.review?.id} で却下されました: 復元テストは毎月です`);
    expect(again.draft.needsHuman).toBe(true);
  });

  it('asked on the command line, shows the rejection under the draft', async () => {
    const out: string[] = [];
    const env: Record<string, string> = { KOTAE_DATA_DIR: config.dataDir, KOTAE_CORPUS_DIR: config.corpusDir, KOTAE_DRAFTER: 'extractive', ...databaseEnv(config) };
    const previous = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
    Object.assign(process.env, env);
    try {
      const code = await main(['ask', question, '--product', PRODUCT, '--as', 'U_SALES'], { out: (l) => out.push(l), err: () => undefined, interactive: false });
      expect(code).toBe(0);
    } finally {
      for (const [k, v] of Object.entries(previous)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
    expect(out.join('\n')).toContain(`(needs review: a previous draft of this question was rejected in review #${rejectedId}: ${reason}`);
  });

  it('in a new questionnaire, the row says so in the file', async () => {
    const run = await answer('after-rejection', [question, 'Are backup copies encrypted?']);
    const [rejectedRow, other] = run.rows;
    expect(rejectedRow?.['Comment']).toContain(`Needs review: a previous draft of this question was rejected in review #${rejectedId}: ${reason}`);
    expect(other?.['Comment']).not.toContain('rejected');
  });

  it('is no longer flagged once a later draft of it was approved', async () => {
    const later = await app.ask(question, PRODUCT, { enqueue: { askedBy: 'U_SALES' } });
    await app.reviews.approve(later.review?.id ?? '', { as: 'U_SEC', text: 'No. A test restore is performed every month.', status: 'no' });
    const next = await app.ask(question, PRODUCT);
    expect(next.draft.reason).not.toContain('rejected');
  });
});
