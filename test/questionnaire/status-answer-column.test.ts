/**
 * A sheet whose answer column takes only a status (Answer (Yes/No/NA), 回答（はい/いいえ）) and
 * whose comment cell already holds the customer's text: the drafted text has nowhere to go.
 * What kotae says about such a row must be true of the sheet: there is an answer column, it
 * just takes a status, so the note names that column rather than denying it exists.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type ExcelJS from 'exceljs';
import { runAnswer } from '../../src/cli/answer.js';
import { answerQuestionnaireFile } from '../../src/questionnaire/answer-file.js';
import { DEFAULT_LIMITS } from '../../src/spreadsheet/safety.js';
import type { Draft } from '../../src/domain.js';
import type { AnswerFn } from '../../src/questionnaire/job.js';
import { fakeDraft } from '../support/fake-answerer.js';
import { loadWorkbook, tempDir, testConfig, valueText, withFakeCore, xlsx } from './helpers.js';

/** Drafts "yes" for every question; flags for review the questions that mention `flag`. */
function drafter(flag: string): AnswerFn {
  return async (question, product): Promise<Draft> => ({
    ...fakeDraft(question, product, { abstainEvery: 0 }),
    status: 'yes',
    needsHuman: question.includes(flag),
    reason: question.includes(flag) ? 'weak evidence' : '',
  });
}

async function answer(bytes: Buffer, answerFn: AnswerFn) {
  const dir = tempDir();
  const input = join(dir, 'customer.xlsx');
  writeFileSync(input, bytes);
  const out: string[] = [];
  const config = testConfig(join(dir, 'data'));
  const code = await withFakeCore(config, answerFn, (questionnaires) =>
    runAnswer([input, '--product', 'krew'], { config, questionnaires, out: (s) => out.push(s), err: () => undefined }),
  );
  return { code, out: out.join('\n'), filled: await loadWorkbook(readFileSync(join(dir, 'customer.filled.xlsx'))) };
}

function statusSheet(wb: ExcelJS.Workbook, name: string, headers: string[], rows: Array<[string, string, Date | string]>): void {
  const ws = wb.addWorksheet(name);
  ws.getRow(1).values = headers;
  rows.forEach(([ref, question, note], i) => {
    ws.getRow(i + 2).values = [ref, question, '', note];
  });
}

describe("a row whose answer column takes only a status and whose comment cell holds the customer's text", () => {
  it('that needs review: the note names the status-only answer column and says the text had nowhere to go', async () => {
    const bytes = await xlsx((wb) =>
      statusSheet(wb, 'Vendor', ['ID', 'Question', 'Answer (Yes/No/NA)', 'Notes'], [
        ['V-1', 'Do you review access rights quarterly?', new Date(Date.UTC(2026, 0, 5))],
        ['V-2', 'Is data encrypted at rest?', ''],
      ]),
    );
    const run = await answer(bytes, drafter('review access'));
    const flagged = run.out.split('\n').find((line) => line.includes('Vendor!B2')) ?? '';
    expect(flagged).toContain(`the comment cell already holds the customer's text and the answer column C "Answer (Yes/No/NA)" takes only a status, so the text answer had nowhere to go`);
    expect(run.out).not.toMatch(/there is no answer column/);
    // The customer's date is kept, and no bare status stands for an answer that needs review.
    const ws = run.filled.getWorksheet('Vendor');
    expect(ws?.getCell('D2').value).toBeInstanceOf(Date);
    expect(valueText(ws?.getCell('C2').value ?? null)).toBe('');
  });

  it('that is not flagged: the status is written to that column, and the draft text is kept in the kotae sheet', async () => {
    const bytes = await xlsx((wb) =>
      statusSheet(wb, 'Vendor', ['ID', 'Question', 'Answer (Yes/No/NA)', 'Notes'], [['V-1', 'Do you review access rights quarterly?', 'asked by procurement']]),
    );
    const run = await answer(bytes, drafter('(never flagged)'));
    expect(valueText(run.filled.getWorksheet('Vendor')?.getCell('C2').value ?? null)).toBe('Yes');
    expect(valueText(run.filled.getWorksheet('Vendor')?.getCell('D2').value ?? null)).toBe('asked by procurement');
    const listed = (run.filled.getWorksheet('kotae')?.getSheetValues() ?? []).map((r) => (Array.isArray(r) ? r.map((v) => valueText(v ?? null)) : []));
    expect(listed.some((r) => r[1] === 'Vendor' && r[2] === '2' && (r[6] ?? '').startsWith('(test answer)'))).toBe(true);
  });

  it('is said in Japanese on a Japanese sheet', async () => {
    const bytes = await xlsx((wb) =>
      // A second row that is written, so the run hands back a file (one that writes nothing writes none).
      statusSheet(wb, '質問票', ['No.', '質問', '回答（はい/いいえ）', '備考'], [
        ['1', 'アクセス権限を定期的に見直していますか', '2026年1月に確認済み'],
        ['2', '保存データを暗号化していますか', ''],
      ]),
    );
    const run = await answer(bytes, drafter('アクセス権限'));
    expect(run.out).toContain('回答の文章を記入できる場所がありません(回答欄のC列「回答（はい/いいえ）」は状況だけを記入する欄です)');
    expect(run.out).not.toContain('回答欄はありません');
  });

  describe('in a CSV, which has no room for the kotae sheet', () => {
    const csv = Buffer.from('ID,Question,Answer (Yes/No/NA),Notes\r\nV-1,Do you review access rights quarterly?,,asked by procurement\r\n', 'utf8');

    it('the run says the draft text was not written, and how to have it', async () => {
      const dir = tempDir();
      const input = join(dir, 'customer.csv');
      writeFileSync(input, csv);
      const out: string[] = [];
      const config = testConfig(join(dir, 'data'));
      const code = await withFakeCore(config, drafter('(never flagged)'), (questionnaires) =>
        runAnswer([input, '--product', 'krew'], { config, questionnaires, out: (line) => out.push(line), err: () => undefined }),
      );
      expect(code).toBe(0);
      expect(readFileSync(join(dir, 'customer.filled.csv'), 'utf8')).toContain('V-1,Do you review access rights quarterly?,Yes,asked by procurement');
      expect(out.join('\n')).toContain(
        'note: the drafts of 1 row(s) whose only place in the file is a status cell were not written (a CSV has no room for the "kotae" sheet a workbook gets): save the questionnaire as .xlsx and answer that to have them listed in it: customer!B2',
      );
    });

    it('queued for review, the note names the job whose review queue holds the drafts', async () => {
      const result = await answerQuestionnaireFile(
        { bytes: csv, fileName: 'customer.csv' },
        { product: 'krew', answer: drafter('(never flagged)'), jobId: 'job-csv', draftSheet: true, concurrency: 1, limits: DEFAULT_LIMITS },
      );
      expect(result.notes).toContain(
        'the drafts of 1 row(s) whose only place in the file is a status cell were not written (a CSV has no room for the "kotae" sheet a workbook gets): they are in the review queue, job job-csv: customer!B2',
      );
    });
  });
});
