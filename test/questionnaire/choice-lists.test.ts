/**
 * Status columns told by their dropdown, not by their header: a customer's own choice list
 * (適合 / 不適合 / 対象外, Compliant / Non-compliant / N/A) under an unfamiliar header, the cells
 * such a list reads its choices from, and where answers go when no column is named for them.
 * A new-user trial found answers written into a headerless column beside the table and a
 * dropdown's choice cells read as answers. Workbooks are built here, in our own wording.
 */
import { describe, expect, it } from 'vitest';
import { answerQuestionnaireFile } from '../../src/questionnaire/answer-file.js';
import type { AnswerFn } from '../../src/questionnaire/job.js';
import { DEFAULT_LIMITS } from '../../src/spreadsheet/safety.js';
import { answering, loadWorkbook, valueText, xlsx } from './helpers.js';



async function fill(bytes: Buffer, answer: AnswerFn) {
  const result = await answerQuestionnaireFile({ bytes, fileName: 'customer.xlsx' }, { product: 'krew', answer, concurrency: 2, limits: DEFAULT_LIMITS });
  const wb = await loadWorkbook(result.bytes);
  const cell = (sheet: string, ref: string): string => valueText(wb.getWorksheet(sheet)?.getCell(ref).value ?? null);
  return { result, cell };
}

// No | 質問 | 評価 (a 適合/不適合/対象外 dropdown) | コメント: the dropdown is the only place to answer.
const evaluationSheet = () =>
  xlsx((wb) => {
    const ws = wb.addWorksheet('自己評価');
    ws.getRow(1).values = ['No', '質問', '評価', 'コメント'];
    ['保守用の端末はディスク暗号化されていますか', '外部委託先との契約に秘密保持条項がありますか', '入館記録を保管していますか'].forEach((q, i) => {
      ws.getRow(i + 2).values = [i + 1, q];
      ws.getCell(`C${i + 2}`).dataValidation = { type: 'list', allowBlank: true, formulae: ['"適合,不適合,対象外"'] };
    });
  });

// No | Question | Rating (dropdown over $G$1:$G$3 of the same sheet) | Comment; G1:G3 hold the choices.
const ratingSheet = () =>
  xlsx((wb) => {
    const ws = wb.addWorksheet('Vendor');
    ws.getRow(1).values = ['No', 'Question', 'Rating', 'Comment'];
    ['Are change requests approved before release?', 'Is remote access limited to a VPN?'].forEach((q, i) => {
      ws.getRow(i + 2).values = [i + 1, q];
      ws.getCell(`C${i + 2}`).dataValidation = { type: 'list', allowBlank: true, formulae: ['$G$1:$G$3'] };
    });
    ws.getCell('G1').value = 'Compliant';
    ws.getCell('G2').value = 'Non-compliant';
    ws.getCell('G3').value = 'Not applicable';
  });

describe('a dropdown of status choices makes its column the status column, whatever its header', () => {
  it('a 適合/不適合/対象外 list under 評価 takes the status; the text goes to コメント; nothing is written beside the table', async () => {
    const { result, cell } = await fill(await evaluationSheet(), answering('yes'));
    expect(cell('自己評価', 'C2')).toBe('適合');
    expect(cell('自己評価', 'D2')).toMatch(/^（テスト回答）/);
    for (const r of [2, 3, 4]) expect(cell('自己評価', `E${r}`)).toBe('');
    // The guess is shown to the user, who can say otherwise.
    expect(result.layout.unsure).toBe(true);
    expect(result.layout.sheets[0]?.notes.join('\n')).toMatch(/column C "評価" has a dropdown of status choices \(適合 \/ 不適合 \/ 対象外\).*taken as the status column/);
  });

  it('a status the list has no choice for leaves the cell empty and says so in the comment, in the sheet language', async () => {
    const { cell } = await fill(await evaluationSheet(), answering('partial'));
    expect(cell('自己評価', 'C2')).toBe('');
    expect(cell('自己評価', 'D2')).toMatch(/要確認: 状況「一部」に当たる選択肢がこの列のリストにないため、状況は空欄のままです/);
  });

  it('a Rating dropdown reading its choices from G1:G3: C gets the status, G1:G3 are neither a header nor answers', async () => {
    const { result, cell } = await fill(await ratingSheet(), answering('no'));
    expect(result.summary).toMatchObject({ questions: 2, kept: 0 });
    expect(cell('Vendor', 'C2')).toBe('Non-compliant');
    expect(cell('Vendor', 'D2')).toMatch(/^\(test answer\)/);
    expect(['G1', 'G2', 'G3'].map((ref) => cell('Vendor', ref))).toEqual(['Compliant', 'Non-compliant', 'Not applicable']);
    expect(result.layout.sheets[0]?.notes.join('\n')).toMatch(/cells G1:G3 hold the choices of a dropdown list/);
  });

  it('a header naming who evaluates (評価(弊社記入)) stays the customer\'s column', async () => {
    const bytes = await xlsx((wb) => {
      const ws = wb.addWorksheet('S');
      ws.getRow(1).values = ['No', '質問', '評価(弊社記入)', 'コメント'];
      ws.getRow(2).values = [1, '入館記録を保管していますか'];
      ws.getCell('C2').dataValidation = { type: 'list', allowBlank: true, formulae: ['"適合,不適合"'] };
    });
    const { cell } = await fill(bytes, answering('yes'));
    expect(cell('S', 'C2')).toBe('');
    expect(cell('S', 'D2')).toMatch(/^（テスト回答）/);
  });
});

describe('where answers go when the header names no answer column', () => {
  it('never into a headerless column right of the table: the comment column takes them', async () => {
    const bytes = await xlsx((wb) => {
      const ws = wb.addWorksheet('S');
      ws.getRow(1).values = ['No', 'Question', 'Comment'];
      ws.getRow(2).values = [1, 'Do you log administrator sign-ins?'];
    });
    const { result, cell } = await fill(bytes, answering('yes'));
    expect(cell('S', 'D2')).toBe('');
    expect(cell('S', 'C2')).toMatch(/^\(test answer\)/);
    expect(result.layout.sheets[0]?.notes.join('\n')).toMatch(/drafted answers go to the comment column C/);
  });

  it('a sheet with nowhere to write is refused, with the remedy that names the columns (the CLI says --answer-col)', async () => {
    const bytes = await xlsx((wb) => {
      const ws = wb.addWorksheet('S');
      ws.getRow(1).values = ['No', 'Question'];
      ws.getRow(2).values = [1, 'Do you log administrator sign-ins?'];
    });
    await expect(fill(bytes, answering('yes'))).rejects.toMatchObject({ message: expect.stringMatching(/no question rows found/), remedy: 'name-layout' });
  });
});

describe('a sheet whose every row already holds an answer', () => {
  it('is said on every run: nothing is drafted there', async () => {
    const bytes = await xlsx((wb) => {
      const ws = wb.addWorksheet('Done');
      ws.getRow(1).values = ['No', 'Question', 'Answer'];
      ws.getRow(2).values = [1, 'Do you log administrator sign-ins?', 'Yes, for a year.'];
      ws.getRow(3).values = [2, 'Is backup data encrypted?', 'Yes.'];
    });
    const { result } = await fill(bytes, answering('yes'));
    expect(result.summary).toMatchObject({ questions: 2, kept: 2, cellsWritten: 0 });
    expect(result.notes.join('\n')).toMatch(/sheet "Done": every one of its 2 question rows already has an answer in the file: they are kept, and nothing is drafted there/);
  });
});
