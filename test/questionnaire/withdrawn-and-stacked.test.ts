/**
 * Rows of a customer's sheet that kotae must not answer, and must say it did not: a hidden row
 * (a question the customer withdrew) and a second question table stacked below the first in
 * another column order (基本項目 / 追加確認事項 in one sheet). Both were answered or lost without a
 * word in a trial. Each workbook is built here with ExcelJS, in our own wording.
 */
import type ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { answerQuestionnaireFile } from '../../src/questionnaire/answer-file.js';
import type { AnswerFn } from '../../src/questionnaire/job.js';
import { DEFAULT_LIMITS } from '../../src/spreadsheet/safety.js';
import { answering, loadWorkbook, valueText, xlsx } from './helpers.js';

/** Answers every question 'yes' and records what was asked. */
function recording(): AnswerFn & { asked: string[] } {
  const asked: string[] = [];
  const inner = answering('yes');
  const fn: AnswerFn = async (question, product) => {
    asked.push(question);
    return inner(question, product);
  };
  return Object.assign(fn, { asked });
}

async function run(bytes: Buffer) {
  const answer = recording();
  const result = await answerQuestionnaireFile({ bytes, fileName: 'customer.xlsx' }, { product: 'krew', answer, concurrency: 2, limits: DEFAULT_LIMITS });
  const wb = await loadWorkbook(result.bytes);
  const cell = (ref: string): string => valueText(wb.worksheets[0]?.getCell(ref).value ?? null);
  return { result, asked: answer.asked, cell };
}

function japaneseTable(ws: ExcelJS.Worksheet): void {
  ws.getRow(1).values = ['No.', '質問', '回答', '備考'];
  ws.getRow(2).values = ['1', 'ログイン時に多要素認証を利用できますか。', '', ''];
  ws.getRow(3).values = ['2', '（削除予定）ソースコードを第三者に開示していますか。', '', ''];
  ws.getRow(4).values = ['3', 'バックアップは遠隔地に保管していますか。', '', ''];
  ws.getRow(5).values = ['4', '（削除予定）社内に託児所はありますか。', '', ''];
  ws.getRow(6).values = ['5', '退職者のアカウントは速やかに削除していますか。', '', ''];
}

describe('hidden rows', () => {
  it('are not answered, and the run names them in the sheet language', async () => {
    const bytes = await xlsx((wb) => {
      const ws = wb.addWorksheet('確認票');
      japaneseTable(ws);
      ws.getRow(3).hidden = true;
      ws.getRow(5).hidden = true;
    });
    const { result, asked, cell } = await run(bytes);
    expect(asked.some((q) => q.includes('削除予定'))).toBe(false);
    expect(result.summary.questions).toBe(3);
    expect(cell('C3')).toBe('');
    expect(cell('C5')).toBe('');
    expect(cell('C2')).not.toBe('');
    const note = result.notes.find((n) => n.includes('非表示の行 2 件'));
    expect(note).toBeDefined();
    expect(note).toContain('確認票!B3');
    expect(note).toContain('確認票!B5');
  });

  it('are named in English on an English sheet', async () => {
    const bytes = await xlsx((wb) => {
      const ws = wb.addWorksheet('Review');
      ws.getRow(1).values = ['Ref', 'Question', 'Answer', 'Comments'];
      ws.getRow(2).values = ['1', 'Do you rotate encryption keys every year?', '', ''];
      ws.getRow(3).values = ['2', 'Withdrawn: do you run a staff canteen?', '', ''];
      ws.getRow(4).values = ['3', 'Do you review firewall rules quarterly?', '', ''];
      ws.getRow(3).hidden = true;
    });
    const { result, asked } = await run(bytes);
    expect(asked).toHaveLength(2);
    expect(result.notes).toContainEqual(expect.stringMatching(/^1 hidden row skipped .*Review!B3 "Withdrawn: do you run a staff/));
  });
});

describe('a second table stacked below the first, in another column order', () => {
  const stacked = () =>
    xlsx((wb) => {
      const ws = wb.addWorksheet('確認票');
      japaneseTable(ws);
      ws.getCell('A8').value = '【追加の確認事項】';
      ws.getRow(9).values = ['回答', '補足説明', 'No.', '確認事項'];
      ws.getRow(10).values = ['', '', 'B-1', '管理者の操作ログを保管していますか。'];
      ws.getRow(11).values = ['', '', 'B-2', '障害時の連絡窓口はありますか。'];
    });

  it('is read with its own header: questions from its question column, answers into its answer column', async () => {
    const { result, asked, cell } = await run(await stacked());
    expect(asked).toContain('管理者の操作ログを保管していますか。');
    expect(asked).toContain('障害時の連絡窓口はありますか。');
    expect(result.summary.questions).toBe(7);
    expect(cell('A10')).not.toBe('');
    expect(cell('A11')).not.toBe('');
    // Its header row and its questions are the customer's text, kept as they were.
    expect(cell('A9')).toBe('回答');
    expect(cell('D10')).toBe('管理者の操作ログを保管していますか。');
    expect(result.summary.sheets).toEqual(['確認票']);
  });

  it('never takes its header row as a question nor counts it as already answered', async () => {
    const { result, asked } = await run(await stacked());
    expect(asked).not.toContain('補足説明');
    expect(result.summary.kept).toBe(0);
  });

  it('with columns named for the first table, is not read, and the run says which rows and why', async () => {
    const answer = recording();
    const result = await answerQuestionnaireFile(
      { bytes: await stacked(), fileName: 'customer.xlsx' },
      { product: 'krew', answer, concurrency: 2, limits: DEFAULT_LIMITS, overrides: { questionCol: 'B', answerCol: 'C' } },
    );
    expect(answer.asked).toHaveLength(5);
    expect(result.summary.kept).toBe(0);
    const note = result.notes.find((n) => n.includes('2つ目の表'));
    expect(note).toContain('9〜11 行目');
    expect(note).toContain('回答 | 補足説明 | No. | 確認事項');
    expect(note).toContain('読み取っていません');
  });

  it('a header repeated in the same column order is still one table, read through', async () => {
    const bytes = await xlsx((wb) => {
      const ws = wb.addWorksheet('確認票');
      japaneseTable(ws);
      ws.getRow(8).values = ['No.', '質問', '回答', '備考'];
      ws.getRow(9).values = ['6', '管理者の操作ログを保管していますか。', '', ''];
    });
    const { result, asked } = await run(bytes);
    expect(asked).toContain('管理者の操作ログを保管していますか。');
    expect(result.notes.some((n) => n.includes('2つ目の表'))).toBe(false);
  });
});
