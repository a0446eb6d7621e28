/** What lands in which cell: statuses from the sheet's own list, markers, never overwriting. */
import { describe, expect, it } from 'vitest';
import { answerQuestionnaireFile } from '../../src/questionnaire/answer-file.js';
import type { AnswerFn } from '../../src/questionnaire/job.js';
import { DEFAULT_LIMITS } from '../../src/spreadsheet/safety.js';
import { fakeDraft } from '../support/fake-answerer.js';
import { fixture, loadWorkbook, valueText } from './helpers.js';

const statusAnswer =
  (status: 'yes' | 'no' | 'partial' | 'not_applicable', extra: { abstained?: boolean; needsHuman?: boolean } = {}): AnswerFn =>
  async (question, product) => ({
    ...fakeDraft(question, product, { abstainEvery: 0 }),
    status,
    abstained: extra.abstained ?? false,
    needsHuman: extra.needsHuman ?? extra.abstained ?? false,
    reason: extra.abstained ? 'no row of the checksheet covers this topic' : extra.needsHuman ? 'only weak evidence' : '',
    ...(extra.abstained ? { citations: [] } : {}),
  });

async function fill(file: string, answer: AnswerFn, overwrite = false) {
  const result = await answerQuestionnaireFile({ bytes: fixture(file), fileName: file }, { product: 'krew', answer, concurrency: 2, limits: DEFAULT_LIMITS, overwrite });
  const wb = await loadWorkbook(result.bytes);
  const cell = (sheet: string, ref: string): string => valueText(wb.getWorksheet(sheet)?.getCell(ref).value ?? null);
  return { result, cell };
}

describe('filling cells', () => {
  it('writes the value the validation list offers (list on another sheet) and notes in the comment column', async () => {
    const { cell } = await fill('questionnaire-odd-en.xlsx', statusAnswer('partial'));
    expect(cell('Security Controls', 'D5')).toBe('Partial');
    expect(cell('Security Controls', 'E5')).toMatch(/^\(test answer\).*\nSources: fake\.txt L\d+/s);
    // The free-text Answer column of the Privacy sheet gets text, and no status anywhere.
    expect(cell('Privacy', 'C2')).toMatch(/^\(test answer\)/);
    expect(cell('Privacy', 'D2')).toMatch(/^Draft, pending review\nSources: /);
  });

  it('uses ○/×/△ from a 実施状況 list, and standard marks for a bracket-named column without a list', async () => {
    const { cell } = await fill('questionnaire-ja-status.xlsx', statusAnswer('no'));
    expect(cell('チェックシート', 'D4')).toBe('×');
    expect(cell('チェックシート', 'E4')).toMatch(/^（テスト回答）/); // 回答内容: the text
    expect(cell('チェックシート', 'F4')).toMatch(/^下書き\(未承認\)\n根拠: /); // 備考: citations
    expect(cell('追加質問', 'C2')).toBe('×');
    expect(cell('追加質問', 'D2')).toMatch(/^（テスト回答）.*\n根拠: /s);
  });

  it('gives abstained rows no status and a 要確認 / needs-review comment saying why', async () => {
    const ja = await fill('questionnaire-ja-status.xlsx', statusAnswer('yes', { abstained: true }));
    expect(ja.cell('チェックシート', 'D4')).toBe('');
    expect(ja.cell('チェックシート', 'E4')).toBe('');
    expect(ja.cell('チェックシート', 'F4')).toBe('要確認: no row of the checksheet covers this topic');
    expect(ja.result.summary).toMatchObject({ answered: 0, abstained: 6, needsReview: 6 });
    const en = await fill('questionnaire-odd-en.xlsx', statusAnswer('yes', { abstained: true }));
    expect(en.cell('Security Controls', 'D5')).toBe('');
    expect(en.cell('Security Controls', 'E5')).toBe('Needs review: no row of the checksheet covers this topic');
  });

  it('declines a draft with no status (a figure no row states) with no answer, naming the closest rows for the reviewer', async () => {
    const closest: AnswerFn = async (question, product) => ({
      ...fakeDraft(question, product, { abstainEvery: 0 }),
      status: 'unknown',
      abstained: true,
      needsHuman: true,
      draft: '[Needs review] The cited evidence states no period of time.',
      reason: 'the cited passages do not state the period of time asked',
    });
    const { cell, result } = await fill('questionnaire-odd-en.xlsx', closest);
    expect(cell('Security Controls', 'D5')).toBe('');
    expect(cell('Security Controls', 'E5')).toMatch(/^Closest evidence: fake\.txt L\d+.*\nNeeds review: the cited passages do not state the period of time asked$/s);
    expect(result.summary.answered).toBe(0);
  });

  it('flags weak drafts for review but still answers them', async () => {
    const { cell, result } = await fill('questionnaire-odd-en.xlsx', statusAnswer('yes', { needsHuman: true }));
    expect(cell('Security Controls', 'D5')).toBe('Yes');
    expect(cell('Security Controls', 'E5')).toMatch(/Needs review: only weak evidence$/);
    expect(result.summary.answered).toBe(result.summary.needsReview);
  });

  it('never overwrites an answer already in the file, nor the customer\u2019s own notes', async () => {
    const { cell, result } = await fill('questionnaire-odd-en.xlsx', statusAnswer('no'));
    expect(cell('Security Controls', 'D7')).toBe('Yes');
    expect(cell('Security Controls', 'E7')).toBe('Existing vendor note');
    expect(cell('Security Controls', 'F6')).toBe('Important for us');
    expect(result.summary.kept).toBe(1);
    expect(result.rows.find((r) => r.key === 'Security Controls!R7')?.outcome).toBe('kept');

    // 備考 already written by the customer: notes go under the answer text instead.
    const ja = await fill('questionnaire-ja-status.xlsx', statusAnswer('yes'));
    expect(ja.cell('チェックシート', 'F9')).toBe('当社指定の方式を希望');
    expect(ja.cell('チェックシート', 'E9')).toMatch(/備考欄に既存の記載があるため.*\n根拠: /s);
  });

  it('replaces existing answers only with --overwrite', async () => {
    const { cell, result } = await fill('questionnaire-odd-en.xlsx', statusAnswer('no'), true);
    expect(cell('Security Controls', 'D7')).toBe('No');
    expect(cell('Security Controls', 'E7')).toMatch(/^\(test answer\)/);
    expect(result.summary.kept).toBe(0);
  });

  it('writes a status the list lacks nowhere, and says so', async () => {
    // No list item means "unknown": a draft without a status gets no status cell.
    const { cell, result } = await fill('questionnaire-odd-en.xlsx', async (q, p) => ({ ...fakeDraft(q, p, { abstainEvery: 0 }), status: 'unknown', needsHuman: false }));
    expect(cell('Security Controls', 'D5')).toBe('');
    expect(cell('Security Controls', 'E5')).toMatch(/Needs review: the status could not be determined/);
    expect(result.rows.find((r) => r.key === 'Security Controls!R5')?.needsReview).toBe(true);
  });
});

describe('cells kotae never writes', () => {
  it('formula cells, header rows, hidden sheets and merged cells other than their top-left one', async () => {
    const { cellBlocked, planRow } = await import('../../src/questionnaire/fill.js');
    const { detectLayout } = await import('../../src/spreadsheet/layout.js');
    const { sheetOf } = await import('./helpers.js');
    const sheet = sheetOf('S', [
      ['Question', 'Answer', 'Comments'],
      ['Do you encrypt backups?', '', ''],
      ['Do you log admin access?', '', ''],
      ['Do you review firewall rules?', '', ''],
    ]);
    sheet.formulas.add('2:2'); // one computed answer among typed ones (a sheet of them is an evaluation sheet)
    sheet.merges = [{ top: 3, left: 2, bottom: 3, right: 3 }];
    const layout = detectLayout({ sheets: [sheet] }).sheets[0]?.layout;
    if (!layout) throw new Error('no layout');
    expect(cellBlocked(sheet, layout, 1, 2)).toBe('header');
    expect(cellBlocked(sheet, layout, 2, 2)).toBe('formula');
    expect(cellBlocked(sheet, layout, 3, 3)).toBe('merged');
    expect(cellBlocked(sheet, layout, 3, 2)).toBeNull();
    expect(cellBlocked({ ...sheet, hidden: true }, layout, 3, 2)).toBe('hidden');

    const draft = { kind: 'draft' as const, draft: { ...fakeDraft('Q', 'krew', { abstainEvery: 0 }), status: 'yes' as const, needsHuman: false } };
    const at = (row: number) => ({ sheet: 'S', row, key: `S!R${row}`, cell: `S!A${row}`, ref: '', section: '', category: '', question: 'Q', existing: { answer: '', status: '', comment: '' } });
    // Even a row the layout did not offer (the header) gets nothing.
    expect(planRow(sheet, layout, at(1), draft, true).writes).toEqual([]);
    // The formula answer cell is kept; the comment cell takes the text.
    expect(planRow(sheet, layout, at(2), draft, true).writes.map((w) => w.col)).toEqual([3]);
    // The comment cell is merged into the answer cell: the notes go under the answer, and the row says why.
    const merged = planRow(sheet, layout, at(3), draft, false);
    expect(merged.writes.map((w) => w.col)).toEqual([2]);
    expect(merged.writes[0]?.value).toMatch(/merged cell/);
    expect(merged.needsReview).toBe(true);
  });
});
