/**
 * A questionnaire in a format kotae does not read is refused with the formats it does read,
 * all of them, as the format registry knows them (never a hand-written list that forgets
 * .xlsm or .tsv), and a spreadsheet from another application (Numbers, LibreOffice) is told
 * the way out: export it as .xlsx.
 */
import { describe, expect, it } from 'vitest';
import { fixture, refusal } from '../support/sniff.js';
import { sniffKind } from '../../src/spreadsheet/registry.js';


/** The extensions a refusal's hint names (".xlsx, .xlsm, .csv and .tsv" → xlsx, xlsm, csv, tsv). */
const named = (hint: string): string[] => [...(/kotae answers (.*?) questionnaires/.exec(hint)?.[1] ?? '').matchAll(/\.(\w+)/g)].map((m) => m[1] ?? '');

describe('a file kotae does not read', () => {
  it('a Numbers or LibreOffice spreadsheet is told every format kotae reads, and to export it as .xlsx', () => {
    for (const name of ['customer.numbers', 'customer.ods']) {
      const e = refusal(fixture('questionnaire-ja-status.xlsx'), name);
      expect(e.message).toBe(`${name}: unsupported file type "${name.slice(name.lastIndexOf('.'))}"`);
      expect(e.hint).toBe('kotae answers .xlsx, .xlsm, .csv, .tsv and .txt questionnaires. Export it as .xlsx (Excel workbook) from the application it was made in, and try again.');
    }
  });

  it('names only formats it really reads, and every one of them', () => {
    const hint = refusal(Buffer.from('x'), 'answers.docx').hint ?? '';
    const workbook = fixture('questionnaire-ja-status.xlsx');
    const text = fixture('questionnaire-bom.csv');
    const formats = named(hint);
    expect(formats).toEqual(expect.arrayContaining(['xlsx', 'xlsm', 'csv', 'tsv']));
    for (const ext of formats) expect(['xlsx', 'csv']).toContain(sniffKind(ext.startsWith('xls') ? workbook : text, `q.${ext}`));
  });

  it('a document that is no spreadsheet is not told to export itself as .xlsx', () => {
    expect(refusal(Buffer.from('x'), 'answers.docx').hint).not.toMatch(/Export it/);
  });
});
