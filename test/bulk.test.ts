import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../src/config.js';
import { createApp, runIngest, type App } from '../src/app.js';
import { bulkHooks } from '../src/bulk.js';
import { answerQuestionnaireFile } from '../src/questionnaire/answer-file.js';
import { limitsFromConfig } from '../src/questionnaire/safety.js';
import { main } from '../src/cli/main.js';
import { createLogger } from '../src/log.js';

let dir: string;
let config: Config;
let app: App;
const logger = createLogger('silent');
const sample = readFileSync(join(process.cwd(), 'test', 'eval', 'questionnaire-ja.xlsx'));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kotae-bulk-'));
  config = { ...loadConfig({ KOTAE_APPROVERS: 'U_SEC', KOTAE_CONCURRENCY: '4' }), dataDir: join(dir, 'data'), corpusDir: join(process.cwd(), 'corpus') };
  await runIngest(config, { logger });
  app = await createApp(config, { logger });
});

afterAll(() => {
  app.close();
  rmSync(dir, { recursive: true, force: true });
});

async function fill(): Promise<{ bytes: Buffer; jobId: string }> {
  const hooks = bulkHooks(app, sample, 'cybozu', { askedBy: 'U_SALES' });
  const result = await answerQuestionnaireFile(
    { bytes: sample, fileName: 'questionnaire-ja.xlsx' },
    { product: 'cybozu', ...hooks, concurrency: 4, limits: limitsFromConfig(config), db: app.db },
  );
  return { bytes: result.bytes, jobId: hooks.jobId };
}

async function cells(bytes: Buffer, row: number): Promise<{ answer: string; comment: string }> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const ws = wb.getWorksheet('質問票');
  return { answer: String(ws?.getRow(row).getCell(4).value ?? ''), comment: String(ws?.getRow(row).getCell(5).value ?? '') };
}

describe('bulk answering through the core', () => {
  it('queues every drafted row for review under the job, then writes an approved answer on the next run', async () => {
    const first = await fill();
    const queued = app.reviews.list({ jobId: first.jobId, limit: 500 }).items;
    expect(queued.length).toBeGreaterThanOrEqual(25);
    expect(queued.every((r) => r.product === 'cybozu')).toBe(true);

    // Pick a drafted (not abstained) row and find where it sits in the sheet.
    const drafted = queued.find((r) => r.state === 'drafted');
    expect(drafted).toBeDefined();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(first.bytes as unknown as ArrayBuffer);
    let row = 0;
    wb.getWorksheet('質問票')?.eachRow((r, n) => {
      if (String(r.getCell(3).value ?? '') === drafted?.question) row = n;
    });
    expect(row).toBeGreaterThan(0);
    const before = await cells(first.bytes, row);
    expect(before.comment).toContain('下書き(未承認)');

    const approvedText = '当社では、承認済みの回答としてこの文章を使用します。';
    await app.reviews.approve(drafted?.id ?? '', { as: 'U_SEC', text: approvedText, status: 'yes' });

    // Same file, same command: finished rows are resumed, the approval replaces the draft.
    const second = await fill();
    expect(second.jobId).toBe(first.jobId);
    const after = await cells(second.bytes, row);
    expect(after.answer).toBe('はい');
    expect(after.comment).toContain(approvedText);
    expect(after.comment).toContain('承認済みの回答');
    expect(after.comment).not.toContain('下書き(未承認)');
    // No row was queued twice.
    expect(app.reviews.list({ jobId: first.jobId, limit: 500 }).items).toHaveLength(queued.length);
  });
});

describe('kotae ask --file', () => {
  it('answers one JSON line per input line and names bad lines without stopping', async () => {
    const input = join(dir, 'questions.jsonl');
    writeFileSync(
      input,
      [
        JSON.stringify({ id: 'q1', product: 'krew', question: 'Is communication encrypted?' }),
        '{not json',
        JSON.stringify({ id: 'q2', product: 'cybozu', question: 'バックアップは取得していますか?' }),
      ].join('\n'),
    );
    const out: string[] = [];
    const err: string[] = [];
    const previous = process.env.KOTAE_DATA_DIR;
    process.env.KOTAE_DATA_DIR = config.dataDir;
    let code: number;
    try {
      code = await main(['ask', '--file', input, '--json', '--no-enqueue'], { out: (l) => out.push(l), err: (l) => err.push(l), interactive: false });
    } finally {
      if (previous === undefined) delete process.env.KOTAE_DATA_DIR;
      else process.env.KOTAE_DATA_DIR = previous;
    }
    expect(code).toBe(1);
    expect(err.join('\n')).toContain(':2:');
    const lines = out.map((l) => JSON.parse(l) as { id: string; product: string; citations: { source: string; locator: string; text: string }[] });
    expect(lines.map((l) => l.id)).toEqual(['q1', 'q2']);
    expect(lines[1]?.citations[0]?.source).toBe('cybozu.txt');
    expect(lines[1]?.citations[0]?.locator).toMatch(/^L\d+$/);
  });
});
