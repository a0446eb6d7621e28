/**
 * The format registry decides what an upload really is before any parser sees it: every
 * registered format is offered by name and recognised by content, and what no format
 * recognises is refused with a hint naming the formats kotae takes.
 */
import { describe, expect, it } from 'vitest';
import { fixture, refusal } from '../support/sniff.js';
import { loadSpreadsheet, sniffKind, writeSpreadsheet } from '../../src/spreadsheet/registry.js';
import { DEFAULT_LIMITS } from '../../src/spreadsheet/safety.js';


describe('format registry', () => {
  it('names the formats it takes when the extension belongs to none', () => {
    const e = refusal(Buffer.from('hello'), 'answers.docx');
    expect(e.message).toBe('answers.docx: unsupported file type ".docx"');
    expect(e.hint).toBe('kotae answers .xlsx, .xlsm, .csv, .tsv and .txt questionnaires.');
  });

  it('takes each format under every extension it answers to', () => {
    const csv = fixture('questionnaire-bom.csv');
    const xlsx = fixture('questionnaire-ja-status.xlsx');
    expect(['q.csv', 'q.TSV', 'q.txt'].map((n) => sniffKind(csv, n))).toEqual(['csv', 'csv', 'csv']);
    expect(['q.xlsx', 'q.xlsm'].map((n) => sniffKind(xlsx, n))).toEqual(['xlsx', 'xlsx']);
  });

  it('refuses binary content no format recognises, but reads a UTF-16 CSV (which is full of NUL bytes)', async () => {
    expect(refusal(Buffer.from([0x00, 0x01, 0x02, 0x03, 0x41]), 'q.csv').message).toBe('q.csv: not a spreadsheet (binary content)');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('No,Question,Answer\r\n1,Is data encrypted at rest?,\r\n', 'utf16le')]);
    const loaded = await loadSpreadsheet(utf16, 'customer.csv', DEFAULT_LIMITS);
    expect(loaded.kind).toBe('csv');
    expect(loaded.grid.sheets[0]?.cells.get(2)?.get(2)).toBe('Is data encrypted at rest?');
    // Written back through the registry in the encoding it came in, formula-escaped.
    const written = writeSpreadsheet(loaded.source, [{ sheet: 'customer', row: 2, col: 3, value: '=1+1' }]);
    expect(written.bytes.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xfe]));
    expect(written.bytes.subarray(2).toString('utf16le')).toContain(",'=1+1");
  });
});
