/**
 * The whole reviewer's path through the real CLI entry point (`main`), on a real store:
 * `kotae answer` drafts a questionnaire, `kotae review export` names every row as the
 * customer's file does (`質問票!B4`, item number), a reviewer decides in Excel, `kotae review
 * import` applies it, and an approved answer is then the first source for the same question
 * (the answer library, opened lazily by the review command, was updated).
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadConfig } from '../../src/config.js';
import { runIngest } from '../../src/app.js';
import { main } from '../../src/cli/main.js';
import { createLogger } from '../../src/log.js';

let dir: string;
const env: Record<string, string> = {};
const QUESTIONS = ['データのバックアップを定期的に取得していますか。', '通信経路は暗号化されていますか。', 'ユーザーのパスワードに最小文字数を設定できますか。'];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kotae-flow-'));
  const corpusDir = join(dir, 'corpus');
  mkdirSync(corpusDir);
  copyFileSync(join(process.cwd(), 'corpus', 'krew.txt'), join(corpusDir, 'krew.txt'));
  writeFileSync(
    join(corpusDir, 'manifest.json'),
    JSON.stringify([{ file: 'krew.txt', product: 'krew', vendor: 'メシウス株式会社', title: 'krew checksheet', format: 'checksheet-text', language: 'ja' }]),
  );
  Object.assign(env, { KOTAE_DATA_DIR: join(dir, 'data'), KOTAE_CORPUS_DIR: corpusDir, KOTAE_APPROVERS: 'U_SEC', KOTAE_CLI_USER: 'U_SALES', KOTAE_LOG_LEVEL: 'silent' });
  await runIngest(loadConfig(env), { logger: createLogger('silent') });

  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('質問票');
  ws.addRow(['セキュリティ確認シート']);
  ws.addRow(['No.', '質問', '回答', '備考']);
  QUESTIONS.forEach((q, i) => ws.addRow([`S-${i + 1}`, q, '', '']));
  await wb.xlsx.writeFile(join(dir, 'customer.xlsx'));
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `kotae …` in this process, with this test's environment. */
async function kotae(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  const out: string[] = [];
  const err: string[] = [];
  try {
    const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l), interactive: false, columns: 200 });
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    for (const key of Object.keys(env)) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  }
}

describe('answer → review export → decide in Excel → review import', () => {
  it('names rows as the customer file does and applies the decisions as the importing user', async () => {
    const answered = await kotae('answer', join(dir, 'customer.xlsx'), '--product', 'krew', '--json');
    expect(answered.code, answered.err).toBe(0);
    const { jobId } = z.object({ jobId: z.string() }).parse(JSON.parse(answered.out));

    const listed = await kotae('review', 'list', '--job', jobId, '--json');
    const items = z.object({ items: z.array(z.object({ id: z.string(), where: z.string().nullable(), itemRef: z.string().nullable(), question: z.string(), state: z.string() })) }).parse(JSON.parse(listed.out)).items;
    expect(items.map((i) => [i.where, i.itemRef]).sort()).toEqual([
      ['質問票!B3', 'S-1'],
      ['質問票!B4', 'S-2'],
      ['質問票!B5', 'S-3'],
    ]);

    const sheet = join(dir, 'review.xlsx');
    expect((await kotae('review', 'export', '--job', jobId, '--out', sheet)).code).toBe(0);
    const target = items.find((i) => i.where === '質問票!B4');
    if (!target) throw new Error('no review for row 4');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(sheet);
    const ws = wb.getWorksheet('Review');
    if (!ws) throw new Error('no Review sheet');
    let edited = 0;
    ws.eachRow((row, n) => {
      if (n === 1 || row.getCell(1).text !== target.id) return;
      expect(row.getCell(2).text).toBe('質問票!B4');
      row.getCell(10).value = '編集';
      row.getCell(11).value = 'はい。通信はTLS 1.2以上で暗号化しています。';
      row.getCell(12).value = 'yes';
      edited++;
    });
    expect(edited).toBe(1);
    await wb.xlsx.writeFile(sheet);

    const imported = await kotae('review', 'import', sheet, '--as', 'U_SEC');
    expect(imported.code, imported.err).toBe(0);
    expect(imported.out).toContain('applied 0 approved, 1 edited, 0 rejected');

    // The edited answer is in the answer library: the next time, it is the first source.
    const asked = await kotae('ask', QUESTIONS[1] ?? '', '--product', 'krew', '--json', '--no-enqueue');
    const draft = z.object({ citations: z.array(z.object({ kind: z.string(), ref: z.string() })) }).parse(JSON.parse(asked.out));
    expect(draft.citations[0]).toMatchObject({ kind: 'approved', ref: target.id });
  }, 120_000);
});
