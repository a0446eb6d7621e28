/**
 * The questionnaire use case as every surface calls it: `app.answerQuestionnaire` on a
 * real app (LanceDB on a temp dir, offline extractive drafter, the workflow database), with
 * a csv and an xlsx the test writes itself. What a person would notice: answers in the
 * answer column, progress to the end, an interrupted run resumed without drafting its
 * finished rows again, every draft waiting in the review queue, and an unknown product
 * refused with the products that exist.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, runIngest, type App } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { databaseEnv, testDatabaseConfig } from './support/db.js';
import { KotaeError } from '../src/errors.js';
import { createLogger } from '../src/log.js';
import type { JobProgress } from '../src/questionnaire-run.js';
import { cellText } from '../src/spreadsheet/grid.js';
import { loadSpreadsheet } from '../src/spreadsheet/registry.js';
import { tempCorpus } from './support/corpus.js';

/** A small checksheet of a made-up product, in the tab-separated form the corpus parser reads. */
const CHECKSHEET = [
  '# hoshizoraセキュリティチェックシート',
  '',
  '項番\t確認事項\t実施有無\t備考',
  '<b>1 運用</b>\t\t\t',
  '1-1\t利用者データを暗号化して保管すること。\t○\t利用者データはAES-256で暗号化して保管しています。',
  '1-2\tサーバーのログを一定期間保管すること。\t○\tアクセスログは13か月間保管しています。',
  '1-3\tパスワードの最小文字数を定めること。\t○\tパスワードは12文字以上を必須としています。',
  '1-4\t脆弱性診断を定期的に実施すること。\t○\t外部機関による脆弱性診断を年2回実施しています。',
  '1-5\t障害時の復旧目標時間を定めること。\t○\t復旧目標時間は4時間と定めています。',
  '',
].join('\n');

const QUESTIONS = [
  '利用者データは暗号化して保管していますか?',
  'アクセスログは何か月保管していますか?',
  'パスワードの最小文字数を教えてください。',
  '脆弱性診断はどのくらいの頻度で実施していますか?',
  '障害時の復旧目標時間は何時間ですか?',
];

const logger = createLogger('silent');
let root: string;
let app: App;

beforeAll(async () => {
  const made = tempCorpus('kotae-run-', { file: 'hoshizora.txt', product: 'hoshizora', vendor: null, title: 'hoshizoraセキュリティチェックシート', format: 'checksheet-text', language: 'ja' }, CHECKSHEET);
  root = made.root;
  const corpus = made.corpusDir;
  // One row at a time, so an abort after the second row leaves exactly two drafted.
  const config = loadConfig({
    KOTAE_DATA_DIR: join(root, 'data'),
    KOTAE_CORPUS_DIR: corpus,
    KOTAE_DRAFTER: 'extractive',
    KOTAE_CONCURRENCY: '1',
    KOTAE_APPROVERS: 'U_SEC',
    ...databaseEnv(await testDatabaseConfig(join(root, 'data'))),
  });
  await runIngest(config, { logger });
  app = await createApp(config, { logger });
}, 120_000);

afterAll(async () => {
  await app?.close();
  rmSync(root, { recursive: true, force: true });
});

function csvOf(questions: readonly string[]): Uint8Array {
  return Buffer.from(['No,質問,回答', ...questions.map((q, i) => `${i + 1},${q},`)].join('\r\n') + '\r\n', 'utf8');
}

async function xlsxOf(questions: readonly string[]): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('質問票');
  ws.addRow(['No', '質問', '回答', '備考']);
  questions.forEach((q, i) => ws.addRow([i + 1, q, '', '']));
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

/** The answer column's text per question row of the filled file (header in row 1, answers in column C). */
async function answersOf(bytes: Uint8Array, name: string): Promise<string[]> {
  const loaded = await loadSpreadsheet(bytes, name, app.limits);
  const sheet = loaded.grid.sheets[0];
  if (!sheet) throw new Error('no sheet');
  return QUESTIONS.map((_, i) => cellText(sheet, i + 2, 3));
}

describe('app.answerQuestionnaire', () => {
  it.each([
    ['questionnaire.csv', async () => csvOf(QUESTIONS)],
    ['questionnaire.xlsx', () => xlsxOf(QUESTIONS)],
  ])('fills the answer column of %s, reports progress to the end and queues every draft for review', async (name, make) => {
    const bytes = await make();
    const progress: JobProgress[] = [];
    const run = await app.answerQuestionnaire({ name, bytes }, { product: 'hoshizora', askedBy: 'U_SALES', channel: 'C_SALES', onProgress: (p) => progress.push(p) });

    expect(run.product).toBe('hoshizora');
    expect(run.summary.questions).toBe(QUESTIONS.length);
    const answers = await answersOf(run.bytes, name);
    expect(answers.every((a) => a.trim().length > 0)).toBe(true);
    // The row about data at rest quotes the checksheet's answer.
    expect(answers[0]).toContain('AES-256');
    expect(progress.at(-1)).toMatchObject({ done: QUESTIONS.length, total: QUESTIONS.length });

    const queued = (await app.reviews.list({ jobId: run.jobId, limit: 50 })).items;
    expect(queued).toHaveLength(QUESTIONS.length);
    expect(new Set(queued.map((r) => r.question))).toEqual(new Set(QUESTIONS));
    expect(queued.every((r) => r.askedBy === 'U_SALES' && r.channel === 'C_SALES' && (r.state === 'drafted' || r.state === 'needs_human'))).toBe(true);
    expect([...run.reviewIds].sort()).toEqual(queued.map((r) => r.id).sort());
  });

  it('resumes an aborted run from its checkpoint: finished rows are not drafted again', async () => {
    // Its own file (another job): the rows of the tests above must not count.
    const questions = [...QUESTIONS].reverse();
    const bytes = csvOf(questions);
    const file = { name: 'interrupted.csv', bytes };
    const stop = new AbortController();
    await expect(
      app.answerQuestionnaire(file, {
        product: 'hoshizora',
        askedBy: 'U_SALES',
        signal: stop.signal,
        onProgress: (p) => {
          if (p.done >= 2) stop.abort(new Error('stopped by the test'));
        },
      }),
    ).rejects.toThrow('stopped by the test');

    const progress: JobProgress[] = [];
    const again = await app.answerQuestionnaire(file, { product: 'hoshizora', askedBy: 'U_SALES', onProgress: (p) => progress.push(p) });
    expect(again.summary.previousRun).toBe('interrupted');
    expect(again.summary.resumed).toBe(2);
    // Before anything is drafted, the two finished rows already count as done.
    expect(progress[0]).toMatchObject({ done: 2, total: questions.length });
    expect(progress.at(-1)).toMatchObject({ done: questions.length });
    // One review per row: the resumed rows were not drafted (and queued) a second time.
    const queued = (await app.reviews.list({ jobId: again.jobId, limit: 50 })).items;
    expect(queued).toHaveLength(questions.length);
  });

  it('refuses an unknown product with a hint naming the known ones, before drafting anything', async () => {
    const bytes = csvOf(QUESTIONS.slice(0, 1));
    const error = await app.answerQuestionnaire({ name: 'q.csv', bytes }, { product: 'nosuch', askedBy: 'U_SALES' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KotaeError);
    expect(error).toMatchObject({ code: 'input', message: expect.stringContaining('nosuch'), hint: expect.stringContaining('hoshizora') });
    expect((await app.reviews.list({ product: 'nosuch', limit: 5 })).items).toHaveLength(0);
  });

  it('without a product named, a channel of its own or a default, says how to name one', async () => {
    const error = await app.answerQuestionnaire({ name: 'q.csv', bytes: csvOf(QUESTIONS.slice(0, 1)) }, { askedBy: 'U_SALES' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KotaeError);
    expect(error).toMatchObject({ code: 'input', hint: expect.stringContaining('KOTAE_DEFAULT_PRODUCT') });
  });
});
