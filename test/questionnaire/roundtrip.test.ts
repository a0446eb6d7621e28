/**
 * Filling the evaluation questionnaires with a fake answerer: the answer (status) and
 * comment columns are filled, and every other cell value, every style, merge, column
 * width, row height, data validation and the instruction sheet are as before, compared
 * cell by cell through ExcelJS and part by part in the zip.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { answerQuestionnaireFile } from '../../src/questionnaire/answer-file.js';
import { DEFAULT_LIMITS } from '../../src/spreadsheet/safety.js';
import { fakeAnswerer, fakeDraft } from '../support/fake-answerer.js';
import { inflateEntry, readZipEntries, writeZip, type ZipOut } from '../../src/spreadsheet/zip.js';
import { EVAL, fixture, loadWorkbook, validationsOf, valueText, zipParts } from './helpers.js';

const CASES = [
  { file: 'questionnaire-ja.xlsx', sheet: '質問票', info: '記入要領', list: ['はい', 'いいえ', '一部対応', '該当なし'], review: '要確認' },
  { file: 'questionnaire-en.xlsx', sheet: 'Questionnaire', info: 'Instructions', list: ['Yes', 'No', 'Partial', 'N/A'], review: 'Needs review' },
] as const;

function cellsOf(ws: ExcelJS.Worksheet): { rows: number; cols: number } {
  return { rows: Math.max(ws.rowCount, ws.actualRowCount), cols: Math.max(ws.columnCount, ws.actualColumnCount) };
}

describe.each(CASES)('round trip of $file', ({ file, sheet, info, list, review }) => {
  it('fills the status and comment columns and changes nothing else', async () => {
    const bytes = readFileSync(join(EVAL, file));
    const result = await answerQuestionnaireFile({ bytes, fileName: file }, { product: 'krew', answer: fakeAnswerer(), concurrency: 3, limits: DEFAULT_LIMITS });

    // The README of the evaluation set: 30 question rows, header No./質問/回答/備考 (#/Question/Response/Comments).
    expect(result.summary.questions).toBe(30);
    expect(result.summary.answered + result.summary.abstained).toBe(30);
    expect(result.summary.sheets).toEqual([sheet]);

    const before = await loadWorkbook(bytes);
    const after = await loadWorkbook(result.bytes);
    expect(after.worksheets.map((w) => w.name)).toEqual(before.worksheets.map((w) => w.name));

    const targets = new Set(result.rows.flatMap((r) => r.writes.map((w) => `${w.sheet}!${w.row}:${w.col}`)));
    for (const w of result.rows.flatMap((r) => r.writes)) expect([4, 5]).toContain(w.col); // D (回答/Response), E (備考/Comments)

    for (const b of before.worksheets) {
      const a = after.getWorksheet(b.name);
      expect(a, b.name).toBeDefined();
      if (!a) continue;
      expect(a.model.merges.slice().sort()).toEqual(b.model.merges.slice().sort());
      expect(a.columns?.map((c) => c.width)).toEqual(b.columns?.map((c) => c.width));
      expect(JSON.stringify(validationsOf(a))).toBe(JSON.stringify(validationsOf(b)));
      expect(a.views).toEqual(b.views);
      const { rows, cols } = cellsOf(b);
      expect(cellsOf(a)).toEqual({ rows, cols });
      for (let r = 1; r <= rows; r++) {
        expect(a.getRow(r).height, `${b.name} row ${r} height`).toBe(b.getRow(r).height);
        for (let c = 1; c <= cols; c++) {
          const bc = b.getCell(r, c);
          const ac = a.getCell(r, c);
          expect(ac.style, `${b.name}!${bc.address} style`).toEqual(bc.style);
          if (targets.has(`${b.name}!${r}:${c}`)) {
            expect(bc.value, `${bc.address} was empty`).toBeNull();
            expect(valueText(ac.value)).not.toBe('');
          } else {
            expect(ac.value, `${b.name}!${bc.address} value`).toEqual(bc.value);
          }
        }
      }
    }

    const ws = after.getWorksheet(sheet);
    if (!ws) throw new Error('sheet missing');
    expect(Object.keys(validationsOf(ws) as object).length).toBeGreaterThan(0); // the lists were compared, not two empty sets
    for (const row of result.rows) {
      const status = valueText(ws.getCell(row.row, 4).value);
      const comment = valueText(ws.getCell(row.row, 5).value);
      const draft = fakeDraft(row.question, 'krew');
      if (draft.abstained) {
        // No evidence: no guessed status, and the comment says why it needs review.
        expect(status).toBe('');
        expect(comment.startsWith(`${review}: `)).toBe(true);
      } else {
        // The list offers a partial state: a control-status column, so every answered row gets
        // its status, however the question is worded.
        expect(list).toContain(status);
        expect(comment).toContain(draft.draft);
        expect(comment).toMatch(/fake\.txt L\d+/); // the citation
        if (draft.needsHuman) expect(comment).toContain(`${review}: `);
      }
    }
    expect(result.rows.filter((r) => r.needsReview).length).toBe(result.summary.needsReview);
  });

  it('copies every zip part except the filled sheet byte for byte, and writes no formula', async () => {
    const bytes = readFileSync(join(EVAL, file));
    const result = await answerQuestionnaireFile(
      { bytes, fileName: file },
      // Hostile-looking drafts: they must come out as text, never as formulas.
      { product: 'krew', answer: fakeAnswerer({ text: () => '=HYPERLINK("http://example.invalid","x")' }), concurrency: 3, limits: DEFAULT_LIMITS },
    );
    const inEntries = await readZipEntries(bytes);
    const outEntries = await readZipEntries(result.bytes);
    expect(outEntries.map((e) => e.name)).toEqual(inEntries.map((e) => e.name));
    const changed = outEntries.filter((o, i) => !o.raw.equals(inEntries[i]?.raw ?? Buffer.alloc(0))).map((e) => e.name);
    expect(changed).toEqual(['xl/worksheets/sheet1.xml']);

    const parts = await zipParts(result.bytes);
    for (const [name, xml] of parts) if (name.startsWith('xl/worksheets/')) expect(xml).not.toMatch(/<(\w+:)?f[\s>]/);
    const after = await loadWorkbook(result.bytes);
    const answered = result.rows.filter((r) => r.outcome === 'answered');
    expect(answered.length).toBeGreaterThan(0);
    // A string cell holding the text as written (Excel never evaluates one), not a formula.
    for (const r of answered) {
      const value = after.getWorksheet(sheet)?.getCell(r.row, 5).value;
      expect(typeof value).toBe('string');
      expect(value).toMatch(/^=HYPERLINK/);
    }
    expect(after.getWorksheet(info)).toBeDefined();
  });
});

describe('x14 list validations (how Excel stores lists that point at another sheet)', () => {
  // ExcelJS neither reads nor writes this form: its own read→write round trip drops the lists.
  const X14 =
    '<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">' +
    '<x14:dataValidations count="1" xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><x14:dataValidation type="list" allowBlank="1">' +
    '<x14:formula1><xm:f>Lists!$A$1:$A$4</xm:f></x14:formula1><xm:sqref>D5:D12</xm:sqref></x14:dataValidation></x14:dataValidations></ext></extLst>';

  it('are used to pick the status and kept in the output', async () => {
    const entries = await readZipEntries(fixture('questionnaire-odd-en.xlsx'));
    const crafted = writeZip(
      entries.map((e): ZipOut => {
        if (e.name !== 'xl/worksheets/sheet2.xml') return { kind: 'copy', entry: e };
        const xml = inflateEntry(e).toString('utf8').replace(/<dataValidations[\s\S]*?<\/dataValidations>/, '').replace('</worksheet>', `${X14}</worksheet>`);
        return { kind: 'data', name: e.name, data: Buffer.from(xml, 'utf8') };
      }),
    );
    const result = await answerQuestionnaireFile(
      { bytes: crafted, fileName: 'x14.xlsx' },
      { product: 'krew', answer: fakeAnswerer({ abstainEvery: 0 }), concurrency: 2, limits: DEFAULT_LIMITS },
    );
    expect(result.layout.sheets.find((g) => g.sheet === 'Security Controls')?.layout?.statusCol).toBe(4);
    const sheet = (await zipParts(result.bytes)).get('xl/worksheets/sheet2.xml') ?? '';
    expect(sheet).toContain(X14);
    const ws = (await loadWorkbook(result.bytes)).getWorksheet('Security Controls');
    expect(['Yes', 'No', 'Partial', 'N/A']).toContain(valueText(ws?.getCell('D5').value ?? null));
  });
});
