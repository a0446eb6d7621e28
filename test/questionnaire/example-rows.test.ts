/**
 * A filled-in example inside the table (記入例 in the No. column, 【記入例】 or "Example:" before
 * the question) shows the customer's expected answer: it is no question, never drafted nor
 * overwritten, and the run names it. Workbooks are our own.
 */
import { describe, expect, it } from 'vitest';
import { answerQuestionnaireFile } from '../../src/questionnaire/answer-file.js';
import { DEFAULT_LIMITS } from '../../src/spreadsheet/safety.js';
import { answering, loadWorkbook, valueText, xlsx } from './helpers.js';

async function fill(bytes: Buffer, overwrite = false) {
  const result = await answerQuestionnaireFile({ bytes, fileName: 'customer.xlsx' }, { product: 'krew', answer: answering('yes'), concurrency: 2, limits: DEFAULT_LIMITS, overwrite });
  const wb = await loadWorkbook(result.bytes);
  const cell = (sheet: string, ref: string): string => valueText(wb.getWorksheet(sheet)?.getCell(ref).value ?? null);
  return { result, cell };
}

describe('a filled-in example row in the table', () => {
  it('is not answered, even with --overwrite, and the run names it (記入例 in the No. column)', async () => {
    const bytes = await xlsx((wb) => {
      const ws = wb.addWorksheet('評価');
      ws.getRow(1).values = ['項番', '評価項目', '回答', '補足'];
      ws.getRow(2).values = ['記入例', '来訪者の入館記録を残していますか。', '×', '受付簿で管理'];
      ws.getRow(3).values = [1, '入館カードの貸与記録を残していますか。'];
      ws.getRow(4).values = [2, '【記入例】鍵の貸出を記録していますか。', '○'];
    });
    const { result, cell } = await fill(bytes, true);
    expect(result.rows.map((r) => r.row)).toEqual([3]);
    expect([cell('評価', 'C2'), cell('評価', 'D2'), cell('評価', 'C4')]).toEqual(['×', '受付簿で管理', '○']);
    expect(cell('評価', 'C3')).toMatch(/^（テスト回答）/);
    expect(result.notes.join('\n')).toContain('記入例の行 2 件は回答していません: 評価!B2, 評価!B4');
  });

  it('is told from a category that merely says "sample" (English)', async () => {
    const bytes = await xlsx((wb) => {
      const ws = wb.addWorksheet('Review');
      ws.getRow(1).values = ['Area', 'Question', 'Response', 'Comments'];
      ws.getRow(2).values = ['Example', 'Do you label removable media?', 'Yes'];
      ws.getRow(3).values = ['Sample handling', 'Are lab samples stored in locked rooms?'];
      ws.getRow(4).values = ['Media', 'Example: are retired disks shredded?'];
    });
    const { result } = await fill(bytes);
    expect(result.rows.map((r) => r.row)).toEqual([3]);
    expect(result.notes.join('\n')).toContain('2 filled-in example rows not answered: Review!B2, Review!B4');
  });
});
