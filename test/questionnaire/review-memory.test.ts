/**
 * What a review decided, as the next draft of the same question shows it (new-user trial s10):
 * - #7: a questionnaire row served from a standing approval of the same question is approved in
 *   the queue; the filled file said "Draft, pending review" on that first run and "Approved
 *   answer" only on the next one.
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
import { loadConfig, type Config } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { testDatabaseConfig } from '../support/db.js';

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
