import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { answerQuestionnaireFile } from '../../src/questionnaire/answer-file.js';
import { DEFAULT_LIMITS } from '../../src/spreadsheet/safety.js';
import { loadSpreadsheet, writeSpreadsheet } from '../../src/spreadsheet/registry.js';
import { fakeAnswerer, fakeDraft } from '../support/fake-answerer.js';
import { fixture } from './helpers.js';

const run = (bytes: Uint8Array, fileName: string, text?: (q: string) => string) =>
  answerQuestionnaireFile({ bytes, fileName }, { product: 'krew', answer: fakeAnswerer({ abstainEvery: 0, text }), concurrency: 2, limits: DEFAULT_LIMITS });

describe('CSV questionnaires', () => {
  it('reads Shift_JIS and writes it back as Shift_JIS with CRLF and commas', async () => {
    const input = fixture('questionnaire-sjis.csv');
    expect((await loadSpreadsheet(input, 'customer.csv', DEFAULT_LIMITS)).source).toMatchObject({ encoding: 'cp932', bom: false });
    const result = await run(input, 'customer.csv');
    expect(result.kind).toBe('csv');
    expect(result.rows.map((r) => r.question)).toEqual([
      '通信はTLS1.2以上で暗号化していますか。',
      'アクセスログを取得していますか。',
      '"引用符",と改行を 含む質問ですか。',
    ]);
    // Not UTF-8 any more than the input was, and decodable as CP932.
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(result.bytes)).toThrow();
    const text = iconv.decode(result.bytes, 'cp932');
    expect(text).toContain('\r\n');
    expect(text.replace(/\r\n/g, '')).not.toContain('\n通信'); // line endings are CRLF, not LF
    const before = parse(iconv.decode(input, 'cp932'), { relax_column_count: true }) as string[][];
    const after = parse(text, { relax_column_count: true }) as string[][];
    expect(after.length).toBe(before.length);
    // Untouched cells identical, including the quoted field with a comma, quotes and a newline.
    for (const [i, row] of before.entries()) for (const [j, v] of row.entries()) if (j < 2 || i === 0) expect(after[i]?.[j]).toBe(v);
    for (const r of result.rows) {
      const d = fakeDraft(r.question, 'krew', { abstainEvery: 0 });
      expect(after[r.row - 1]?.[2]).toBe(d.draft); // 回答 (free text)
      expect(after[r.row - 1]?.[3]).toMatch(/^下書き\(未承認\)\n根拠: fake\.txt L\d+/); // 備考: citations
    }
  });

  it('reads UTF-8 with a BOM and semicolons, writes the same, keeps an existing answer', async () => {
    const input = fixture('questionnaire-bom.csv');
    expect((await loadSpreadsheet(input, 'customer.csv', DEFAULT_LIMITS)).source).toMatchObject({ encoding: 'utf8', bom: true, delimiter: ';' });
    const result = await run(input, 'customer.csv');
    expect([...result.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = result.bytes.subarray(3).toString('utf8');
    expect(text).not.toContain('\r\n');
    const rows = parse(text, { delimiter: ';' }) as string[][];
    expect(rows[0]).toEqual(['ID', 'Question', 'Response', 'Comments']);
    expect(rows[2]).toEqual(['Q2', 'Do you run annual penetration tests?', 'Yes', 'Done by a third party']);
    expect(result.summary.kept).toBe(1);
    expect(rows[1]?.[2]).not.toBe('');
    expect(rows[3]?.[2]).not.toBe('');
  });

  it('escapes formula-looking answers in CSV output', async () => {
    const result = await run(fixture('questionnaire-bom.csv'), 'customer.csv', () => '=2+5');
    const rows = parse(result.bytes.subarray(3).toString('utf8'), { delimiter: ';' }) as string[][];
    expect(rows[1]?.[2]).toBe("'=2+5");
    expect(rows[3]?.[2]).toBe("'=2+5");
  });

  it('writes UTF-8 with a BOM instead of turning what Shift_JIS lacks into "?", and says so', async () => {
    const input = fixture('questionnaire-sjis.csv');
    const answer = '対応済み — 詳細は🔒管理ポータル（™）を参照';
    const result = await run(input, 'customer.csv', () => answer);
    expect([...result.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder('utf-8', { fatal: true }).decode(result.bytes.subarray(3));
    expect(text).not.toContain('?');
    const after = parse(text, { relax_column_count: true }) as string[][];
    const before = parse(iconv.decode(input, 'cp932'), { relax_column_count: true }) as string[][];
    for (const [i, row] of before.entries()) for (const [j, v] of row.entries()) if (j < 2 || i === 0) expect(after[i]?.[j]).toBe(v);
    for (const r of result.rows) expect(after[r.row - 1]?.[2]).toBe(answer);
    expect(text).toContain('\r\n'); // delimiter and line ending stay the customer's

    // The caller gets a note to show with the file.
    const loaded = await loadSpreadsheet(input, 'customer.csv', DEFAULT_LIMITS);
    const written = writeSpreadsheet(loaded.source, [{ sheet: 'customer', row: 2, col: 3, value: answer }]);
    expect([...written.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(written.notes).toHaveLength(1);
    expect(written.notes[0]).toMatch(/saved as UTF-8 \(with BOM\) instead of Shift_JIS \(CP932\).*"—", "🔒", "™"/);
    // Text Shift_JIS can carry keeps the file as it was, without a note.
    const plain = writeSpreadsheet(loaded.source, [{ sheet: 'customer', row: 2, col: 3, value: 'はい（全件暗号化）' }]);
    expect(plain.notes).toEqual([]);
    expect(iconv.decode(plain.bytes, 'cp932')).toContain('はい（全件暗号化）');
    expect(plain.bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(false);
  });

  it("keeps a Shift_JIS file Shift_JIS when kotae's own typography (en dash, minus, wave dash, bullet) is all it lacks", async () => {
    const loaded = await loadSpreadsheet(fixture('questionnaire-sjis.csv'), 'customer.csv', DEFAULT_LIMITS);
    const written = writeSpreadsheet(loaded.source, [
      { sheet: 'customer', row: 2, col: 3, value: 'Support hours: 10:00\u201319:00 (JST) \u2212 weekdays \u2022 \u201cbusiness days\u201d' },
      { sheet: 'customer', row: 3, col: 3, value: '平日 9:00\u301c18:00 \u2014 詳細は別紙' },
    ]);
    expect(written.notes).toEqual([]);
    expect(written.bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(false);
    const rows = parse(iconv.decode(written.bytes, 'cp932'), { relax_column_count: true }) as string[][];
    expect(rows[1]?.[2]).toBe('Support hours: 10:00-19:00 (JST) \uff0d weekdays \u30fb \u201cbusiness days\u201d');
    expect(rows[2]?.[2]).toBe('平日 9:00\uff5e18:00 \u2015 詳細は別紙');
  });

  it('writes a Windows-1252 CSV answered in Japanese as UTF-8 with a BOM, keeping its own accents', async () => {
    const rows = [
      ['ID', 'Question', 'Response', 'Comments'],
      ['Q1', 'Is the café network segregated?', '', ''],
      ['Q2', 'Do you encrypt data at rest (naïve approaches excluded)?', '', ''],
    ];
    const input = iconv.encode(`${rows.map((r) => r.join(',')).join('\r\n')}\r\n`, 'win1252');
    expect((await loadSpreadsheet(input, 'vendor.csv', DEFAULT_LIMITS)).source).toMatchObject({ encoding: 'win1252', recordDelimiter: '\r\n', trailingNewline: true });
    const answer = 'はい、すべて暗号化しています。';
    const result = await run(input, 'vendor.csv', () => answer);
    expect([...result.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const after = parse(result.bytes.subarray(3).toString('utf8'), { relax_column_count: true }) as string[][];
    expect(after[1]?.slice(0, 2)).toEqual(rows[1]?.slice(0, 2));
    expect(after[2]?.slice(0, 2)).toEqual(rows[2]?.slice(0, 2));
    expect(after[1]?.[2]).toBe(answer);
    expect(after[2]?.[2]).toBe(answer);
    const loaded = await loadSpreadsheet(input, 'vendor.csv', DEFAULT_LIMITS);
    expect(writeSpreadsheet(loaded.source, [{ sheet: 'vendor', row: 2, col: 3, value: answer }]).notes[0]).toMatch(/instead of Windows-1252/);
  });
});

describe('an ASCII-only CSV (nothing in it says which encoding it is)', () => {
  const input = Buffer.from('No,Question,Answer,Notes\r\n1,Do you rotate encryption keys yearly?,,\r\n', 'utf8');

  it('gets a UTF-8 BOM when the answers bring Japanese or curly quotes, so Excel does not garble them, and says so', async () => {
    const answer = 'Yes, according to item 6-2.\n\nJapanese original (アクメ チェックシート 6-2):\n> 鍵は毎年更新します。 “annually”';
    const result = await run(input, 'vendor.csv', () => answer);
    expect([...result.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const after = parse(result.bytes.subarray(3).toString('utf8'), { relax_column_count: true }) as string[][];
    expect(after[0]).toEqual(['No', 'Question', 'Answer', 'Notes']);
    expect(after[1]?.[2]).toBe(answer);
    const loaded = await loadSpreadsheet(input, 'vendor.csv', DEFAULT_LIMITS);
    expect(writeSpreadsheet(loaded.source, [{ sheet: 'vendor', row: 2, col: 3, value: answer }]).notes[0]).toMatch(/UTF-8 with a BOM/);
  });

  it('stays as it came when the answers are ASCII too', async () => {
    const loaded = await loadSpreadsheet(input, 'vendor.csv', DEFAULT_LIMITS);
    const written = writeSpreadsheet(loaded.source, [{ sheet: 'vendor', row: 2, col: 3, value: 'Yes, yearly.' }]);
    expect(written.notes).toEqual([]);
    expect(written.bytes.toString('utf8')).toBe('No,Question,Answer,Notes\r\n1,Do you rotate encryption keys yearly?,"Yes, yearly.",\r\n');
  });
});

describe('CSV written back safely', () => {
  // A drafted answer over several lines, with lines a spreadsheet would evaluate.
  const hostile = ['We encrypt data at rest.', "=cmd|' /C calc'!A0", '+SUM(1,2)', '@import', '-2+3', 'Plain last line.'].join('\n');

  const csvOf = (eol: string): Buffer =>
    Buffer.from(['No,Question,Answer,Notes', '1,Do you encrypt backups?,,', '2,"Is access to production logged,', 'and reviewed?",,', '3,Do you run DR drills?,,'].join(eol) + eol, 'utf8');

  for (const [name, eol] of [
    ['CRLF', '\r\n'],
    ['LF', '\n'],
  ] as const) {
    it(`${name}: multi-line, formula-leading answers stay in their cell, quoted, every line start escaped`, async () => {
      const input = csvOf(eol);
      const result = await run(input, 'vendor.csv', () => hostile);
      const text = result.bytes.toString('utf8');
      const before = parse(input.toString('utf8'), { relax_column_count: true }) as string[][];
      const after = parse(text, { relax_column_count: true }) as string[][];
      expect(after.length).toBe(before.length); // no record added by a line break in an answer
      expect(after[0]).toEqual(before[0]);
      for (const [i, row] of before.entries()) expect(after[i]?.slice(0, 2)).toEqual(row.slice(0, 2));
      const escaped = ["We encrypt data at rest.", "'=cmd|' /C calc'!A0", "'+SUM(1,2)", "'@import", "'-2+3", 'Plain last line.'].join('\n');
      for (const r of result.rows.filter((o) => o.outcome === 'answered')) expect(after[r.row - 1]?.[2]).toBe(escaped);
      expect(result.summary.answered).toBeGreaterThan(0);
      // Read line by line (as a naive importer would), no line starts a formula.
      for (const line of text.split(/\r\n|\r|\n/)) expect(line).not.toMatch(/^[=+@]|^-\d/);
      // The file keeps its own record delimiter between records.
      if (eol === '\r\n') expect(text.startsWith('No,Question,Answer,Notes\r\n')).toBe(true);
      else expect(text).not.toContain('\r');
    });
  }

  it('quotes a field with a bare LF or CR even when records end in CRLF', async () => {
    const loaded = await loadSpreadsheet(csvOf('\r\n'), 'vendor.csv', DEFAULT_LIMITS);
    const { bytes } = writeSpreadsheet(loaded.source, [
      { sheet: 'vendor', row: 2, col: 3, value: 'a\nb' },
      { sheet: 'vendor', row: 2, col: 4, value: 'c\rd' },
    ]);
    const text = bytes.toString('utf8');
    expect(text).toContain('1,Do you encrypt backups?,"a\nb","c\rd"\r\n');
    expect((parse(text, { relax_column_count: true }) as string[][])[1]).toEqual(['1', 'Do you encrypt backups?', 'a\nb', 'c\rd']);
  });
});

describe('hostile CSV uploads', () => {
  it('a 2 MB CSV of a million columns is refused fast, off the main thread: timers keep firing', async () => {
    const wide = Buffer.from(`${'a,'.repeat(1_000_000)}a\n`, 'utf8');
    let ticks = 0;
    let maxGap = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      maxGap = Math.max(maxGap, now - last);
      last = now;
      ticks++;
    }, 2);
    const started = performance.now();
    const error = await loadSpreadsheet(wide, 'wide.csv', DEFAULT_LIMITS).then(
      () => null,
      (e: unknown) => e,
    );
    clearInterval(timer);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toMatch(/wide\.csv: record 1 has more than 16384 columns/);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(ticks).toBeGreaterThan(0); // the event loop ran while the file was being refused
    expect(maxGap).toBeLessThan(1000); // on the main thread this file took 17 s
  });

  it("the caller's bytes stay whole after reading and after a refusal (the worker gets its own copy)", async () => {
    // A bulk job stores the uploaded file after reading it: moving its buffer to the
    // worker would leave it empty here.
    const upload = Buffer.from('ID,Question\r\nQ1,Do you encrypt backups?\r\n', 'utf8');
    const kept = Buffer.from(upload);
    const loaded = await loadSpreadsheet(upload, 'vendor.csv', DEFAULT_LIMITS);
    expect(loaded.source).toMatchObject({ encoding: 'utf8', delimiter: ',', recordDelimiter: '\r\n', trailingNewline: true, records: [['ID', 'Question'], ['Q1', 'Do you encrypt backups?']] });
    expect(upload.equals(kept)).toBe(true);
    const wide = Buffer.from(`${'a,'.repeat(20_000)}a\n`, 'utf8');
    await expect(loadSpreadsheet(wide, 'wide.csv', DEFAULT_LIMITS)).rejects.toThrow(/more than 16384 columns/);
    expect(wide.byteLength).toBe(40_002);
    expect(wide.subarray(0, 4).toString('utf8')).toBe('a,a,');
  });

  it('refuses too many lines and too many cells, naming the limit', async () => {
    const lines = Buffer.from('q,a\n'.repeat(50), 'utf8');
    await expect(loadSpreadsheet(lines, 'long.csv', { ...DEFAULT_LIMITS, maxRows: 20 })).rejects.toThrow(/more than 20 lines/);
    await expect(loadSpreadsheet(lines, 'long.csv', { ...DEFAULT_LIMITS, maxCells: 60 })).rejects.toThrow(/more than 60 cells/);
    // Within the limits the same file reads normally.
    const ok = await loadSpreadsheet(lines, 'long.csv', DEFAULT_LIMITS);
    expect(ok.grid.sheets[0]?.maxRow).toBe(50);
  });
});
