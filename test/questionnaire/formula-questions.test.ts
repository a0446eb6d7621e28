/**
 * Question cells that are formulas, or text that looks like one. Questionnaire text is data:
 * a question is read as the text the customer sees where that is known without evaluating
 * anything, and a cell kotae cannot read is named in the run's notes (and in the internal
 * file's kotae sheet) instead of being dropped or drafted against "HYPERLINK" or "A0".
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type ExcelJS from 'exceljs';
import { runAnswer } from '../../src/cli/answer.js';
import type { AnswerFn } from '../../src/questionnaire/job.js';
import { fakeAnswerer } from '../support/fake-answerer.js';
import { loadWorkbook, tempDir, testConfig, valueText, withFakeCore, xlsx } from './helpers.js';

/** Runs `kotae answer` on `bytes` with a drafter that records each question it was given. */
async function answer(bytes: Buffer, name: string, extra: string[] = []) {
  const dir = tempDir();
  const input = join(dir, name);
  writeFileSync(input, bytes);
  const asked: string[] = [];
  const drafter: AnswerFn = fakeAnswerer({ onAnswer: (q) => asked.push(q) });
  const out: string[] = [];
  const err: string[] = [];
  const config = testConfig(join(dir, 'data'));
  const code = await withFakeCore(config, drafter, (questionnaires) =>
    runAnswer([input, '--product', 'krew', ...extra], { config, questionnaires, out: (s) => out.push(s), err: (s) => err.push(s) }),
  );
  return { code, out: out.join('\n'), err: err.join('\n'), asked, dir, input };
}

const header = (ws: ExcelJS.Worksheet, q: string, a: string, n: string): void => {
  ws.getRow(1).values = ['No.', q, a, n];
};

describe('a question cell holding a formula saved without its computed value', () => {
  it('is named in the notes, with what to do, instead of silently shrinking the question count', async () => {
    const bytes = await xlsx((wb) => {
      const ws = wb.addWorksheet('Security');
      header(ws, 'Question', 'Answer', 'Comments');
      ws.getRow(2).values = ['1', 'Is data encrypted at rest?'];
      // A script wrote a formula that reads another cell, and no spreadsheet ever computed it.
      ws.getRow(3).values = ['2', { formula: 'Lookup!B7' } as ExcelJS.CellFormulaValue];
      ws.getRow(4).values = ['3', 'Are backups tested?'];
    });
    const run = await answer(bytes, 'scripted.xlsx');
    expect(run.code).toBe(0);
    expect(run.out).toContain('2 questions');
    expect(run.out).toContain('note: Security!B3: a formula without a computed value; open and save the file in Excel, then run again');
    expect(run.asked).not.toContain('');
  });

  it('is read when the formula only joins text, as Excel would show it', async () => {
    const bytes = await xlsx((wb) => {
      const ws = wb.addWorksheet('Security');
      header(ws, 'Question', 'Answer', 'Comments');
      ws.getRow(2).values = ['1', { formula: '"Do you keep "&"audit logs?"' } as ExcelJS.CellFormulaValue];
      ws.getRow(3).values = ['2', 'Is data encrypted at rest?'];
    });
    const run = await answer(bytes, 'joined.xlsx');
    expect(run.asked).toContain('Do you keep audit logs?');
    expect(run.out).toContain('2 questions');
    expect(run.out).not.toMatch(/computed value/);
  });

  it('is named in Japanese on a Japanese sheet, and listed in the kotae sheet of the internal file', async () => {
    const bytes = await xlsx((wb) => {
      const ws = wb.addWorksheet('質問票');
      header(ws, '質問', '回答', '備考');
      ws.getRow(2).values = ['1', '保存データを暗号化していますか'];
      ws.getRow(3).values = ['2', { formula: '別紙!C4' } as ExcelJS.CellFormulaValue];
    });
    const run = await answer(bytes, 'ja.xlsx');
    const note = '質問票!B3: 計算結果が保存されていない数式のため読み取れません。Excelで開いて保存してから、もう一度実行してください';
    expect(run.out).toContain(`note: ${note}`);
    const wb = await loadWorkbook(readFileSync(join(run.dir, 'ja.filled.xlsx')));
    const kotae = wb.getWorksheet('kotae');
    const rows = (kotae?.getSheetValues() ?? []).map((r) => (Array.isArray(r) ? r.map((v) => valueText(v ?? null)) : []));
    expect(rows.some((r) => r[1] === '質問票' && r[2] === '3' && r.includes(note))).toBe(true);
  });
});

describe('a question cell whose text looks like a formula', () => {
  it("is read as a HYPERLINK's label, and the cell itself is never written", async () => {
    const bytes = await xlsx((wb) => {
      const ws = wb.addWorksheet('Security');
      header(ws, 'Question', 'Answer', 'Comments');
      ws.getRow(2).values = ['1', '=HYPERLINK("http://example.invalid/policy","Are passwords stored hashed?")'];
    });
    const run = await answer(bytes, 'link.xlsx');
    expect(run.asked).toEqual(['Are passwords stored hashed?']);
    const wb = await loadWorkbook(readFileSync(join(run.dir, 'link.filled.xlsx')));
    const cell = wb.getWorksheet('Security')?.getCell('B2');
    expect(cell?.type).not.toBe(6); // ExcelJS.ValueType.Formula
    expect(cell?.value).toBe('=HYPERLINK("http://example.invalid/policy","Are passwords stored hashed?")');
  });

  it('is not answered when no text can be read from it (a DDE payload, a bare calculation), and is named', async () => {
    const csv = [
      'No,Question,Answer,Comments',
      `1,"'=cmd|' /C calc'!A0 Do you rotate keys?",,`,
      '2,=SUM(A1:A3),,',
      '3,Do you rotate keys?,,',
      '4,- Do you review firewall rules?,,',
      '5,"=""Is MFA required for "" & ""administrators?""",,',
    ].join('\r\n');
    const run = await answer(Buffer.from(csv), 'odd.csv');
    expect(run.asked.sort()).toEqual(['- Do you review firewall rules?', 'Do you rotate keys?', 'Is MFA required for administrators?']);
    expect(run.out).toContain('note: odd!B2: looks like a formula; not answered');
    expect(run.out).toContain('note: odd!B3: looks like a formula; not answered');
    // No reason anywhere names a piece of formula syntax as a missing topic.
    expect(run.out).not.toMatch(/“(A0|SUM|cmd)”/);
  });
});
