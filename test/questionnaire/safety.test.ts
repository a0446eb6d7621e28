import { randomBytes } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { answerQuestionnaireFile } from '../../src/questionnaire/answer-file.js';
import { DEFAULT_LIMITS, escapeFormula, type SafetyLimits } from '../../src/spreadsheet/safety.js';
import { makeSyntheticQuestionnaire } from '../../src/questionnaire/synthetic.js';
import { fakeAnswerer } from '../support/fake-answerer.js';
import { loadSpreadsheet } from '../../src/spreadsheet/registry.js';
import { inflateEntry, readZipEntries, writeZip, type ZipEntryRecord, type ZipOut } from '../../src/spreadsheet/zip.js';
import { fixture, loadWorkbook, valueText, zipParts } from './helpers.js';

async function rejects(bytes: Uint8Array, name: string, pattern: RegExp, limits: SafetyLimits = DEFAULT_LIMITS): Promise<InputError> {
  const error = await loadSpreadsheet(bytes, name, limits).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  expect((error as InputError).message).toMatch(pattern);
  return error as InputError;
}

/** A zip entry whose directory claims `size` bytes while holding `raw`. */
function lyingEntry(name: string, raw: Buffer, size: number): ZipOut {
  const entry: ZipEntryRecord = { name, method: 8, crc32: 0, compressedSize: raw.length, uncompressedSize: size, raw, dosTime: 0, dosDate: 0x21, encrypted: false };
  return { kind: 'copy', entry };
}

/** An OLE compound file header followed by the given UTF-16 stream names. */
function oleFile(...streams: string[]): Buffer {
  const header = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
  return Buffer.concat([header, Buffer.alloc(504), ...streams.map((s) => Buffer.from(s, 'utf16le')), Buffer.alloc(512)]);
}

describe('file checks before parsing', () => {
  it('refuses files over the upload cap', async () => {
    await rejects(fixture('questionnaire-ja.xlsx'), 'q.xlsx', /over the .* size limit/, { ...DEFAULT_LIMITS, maxBytes: 4096 });
  });

  it('recognises a password-protected workbook (encrypted OOXML in an OLE container)', async () => {
    const e = await rejects(oleFile('EncryptionInfo', 'EncryptedPackage'), 'secret.xlsx', /password-protected workbook: remove the password and try again/);
    expect(e.hint).toMatch(/Encrypt with Password/);
  });

  it('recognises a legacy .xls, by content and by name', async () => {
    await rejects(oleFile('Workbook', 'SummaryInformation'), 'old.xlsx', /legacy Excel 97-2003 workbook renamed \.xlsx/);
    await rejects(oleFile('Workbook'), 'old.xls', /legacy \.xls/);
  });

  it('recognises a CSV renamed .xlsx and an xlsx renamed .csv', async () => {
    await rejects(fixture('questionnaire-bom.csv'), 'q.xlsx', /CSV\/text file renamed \.xlsx/);
    const e = await rejects(fixture('questionnaire-ja.xlsx'), 'q.csv', /Excel workbook renamed \.csv/);
    expect(e.hint).toMatch(/Rename it to \.xlsx/);
    await rejects(Buffer.from('%PDF-1.7\n'), 'q.xlsx', /PDF/);
  });

  it('recognises a truncated workbook and a damaged one', async () => {
    const bytes = fixture('questionnaire-ja.xlsx');
    await rejects(bytes.subarray(0, Math.floor(bytes.length * 0.6)), 'cut.xlsx', /truncated or damaged/);
    // Directory intact, sheet data corrupted: caught by inflate or the CRC check.
    const entries = await readZipEntries(bytes);
    const damaged = writeZip(
      entries.map((e): ZipOut => {
        if (e.name !== 'xl/worksheets/sheet1.xml') return { kind: 'copy', entry: e };
        const raw = Buffer.from(e.raw);
        for (let i = 100; i < 160; i++) raw[i] = (raw[i] ?? 0) ^ 0xff;
        return { kind: 'copy', entry: { ...e, raw } };
      }),
    );
    await rejects(damaged, 'damaged.xlsx', /truncated or damaged|cannot be read/);
  });

  it('refuses a zip bomb by per-entry ratio, declared total size and entry count, before inflating', async () => {
    // 30 MB of zeros deflate to ~30 kB: a ratio of about 1000.
    const bomb = writeZip([{ kind: 'data', name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') }, { kind: 'data', name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(30 * 1024 * 1024) }]);
    await rejects(bomb, 'bomb.xlsx', /expands \d+-fold .* zip bomb/);

    // Each part claims a plausible ratio, together far too much; none is ever inflated.
    const raw = deflateRawSync(randomBytes(200_000));
    const total = writeZip([
      { kind: 'data', name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') },
      ...[1, 2, 3].map((i) => lyingEntry(`xl/media/image${i}.bin`, raw, 30 * 1024 * 1024)),
    ]);
    await rejects(total, 'big.xlsx', /would expand to 90\.0 MiB .* zip bomb/, { ...DEFAULT_LIMITS, maxTotalUncompressed: 64 * 1024 * 1024 });

    const many = writeZip(Array.from({ length: 60 }, (_, i): ZipOut => ({ kind: 'data', name: `xl/p${i}.xml`, data: Buffer.from('x') })));
    await rejects(many, 'many.xlsx', /60 parts/, { ...DEFAULT_LIMITS, maxEntries: 50 });
  });

  it('refuses a part over the per-part cap, naming it, from the directory alone', async () => {
    expect(DEFAULT_LIMITS.maxPartUncompressed).toBeLessThanOrEqual(64 * 1024 * 1024);
    // 400 kB of random data claiming 60 MiB: a ratio of about 150 passes the ratio check,
    // 60 MiB passes the total; inflating it would fail (the directory lies), so the
    // message shows the part was refused before anything was inflated.
    const raw = deflateRawSync(randomBytes(400_000));
    const wb = await readZipEntries(fixture('questionnaire-ja-status.xlsx'));
    const bomb = writeZip(wb.map((e): ZipOut => (e.name === 'xl/worksheets/sheet1.xml' ? lyingEntry(e.name, raw, 60 * 1024 * 1024) : { kind: 'copy', entry: e })));
    const e = await rejects(bomb, 'bomb.xlsx', /part xl\/worksheets\/sheet1\.xml would expand to 60\.0 MiB \(limit 50\.0 MiB per part\)/);
    expect(e.hint).toMatch(/remove unused rows/);
  });

  it('applies the ratio check to parts well under 1 MiB', async () => {
    // A genuine workbook whose first sheet is padded with 512 KiB of blanks (~1000-fold).
    const entries = await readZipEntries(fixture('questionnaire-ja-status.xlsx'));
    const padded = writeZip(
      entries.map((e): ZipOut => {
        if (e.name !== 'xl/worksheets/sheet1.xml') return { kind: 'copy', entry: e };
        const xml = inflateEntry(e).toString('utf8').replace('</worksheet>', `${' '.repeat(512 * 1024)}</worksheet>`);
        return { kind: 'data', name: e.name, data: Buffer.from(xml, 'utf8') };
      }),
    );
    await rejects(padded, 'padded.xlsx', /part xl\/worksheets\/sheet1\.xml expands \d+-fold .* zip bomb/);
  });

  it('scans hostile sheet XML in linear time (unterminated tags, elements without end tags)', async () => {
    // ~3 MB of start tags with no end tag and no closing '>', and one tag with a long name
    // and an unterminated value: the old regular expressions rescanned the rest of the part
    // from each of them (minutes, on the main thread). Random names keep the part under
    // the ratio limit, as an attacker would.
    const hex = (): string => randomBytes(3).toString('hex');
    const n = 40_000;
    const junk =
      Array.from({ length: n }, () => `<dataValidation type="list" k${hex()}="1">`).join('') +
      `<mergeCell ${Array.from({ length: n }, () => `a${hex()}`).join('')}="${Array.from({ length: n }, () => hex()).join('')}` +
      Array.from({ length: n }, () => `<mergeCell k${hex()} `).join('');
    const entries = await readZipEntries(fixture('questionnaire-ja-status.xlsx'));
    const hostile = writeZip(
      entries.map((e): ZipOut => {
        if (e.name !== 'xl/worksheets/sheet1.xml') return { kind: 'copy', entry: e };
        const xml = inflateEntry(e).toString('utf8').replace('</worksheet>', junk);
        return { kind: 'data', name: e.name, data: Buffer.from(xml, 'utf8') };
      }),
    );
    const started = Date.now();
    const loaded = await loadSpreadsheet(hostile, 'hostile.xlsx', DEFAULT_LIMITS);
    // A generous bound: the scan is synchronous, so the test timeout alone cannot catch a hang.
    expect(Date.now() - started).toBeLessThan(10_000);
    const sheet = loaded.grid.sheets[0];
    expect(sheet?.name).toBe('チェックシート');
    // What precedes the junk is still read.
    expect(sheet?.merges.length).toBe(3);
    expect(sheet?.validations.map((v) => v.values)).toContainEqual(['○', '×', '△', '該当なし']);
  }, 10_000);

  it('refuses a zip that is not a workbook', async () => {
    const docx = writeZip([{ kind: 'data', name: 'word/document.xml', data: Buffer.from('<w:document/>') }]);
    await rejects(docx, 'letter.xlsx', /no xl\/workbook\.xml/);
  });

  it('a parser running out of its heap cap is an InputError, and this process lives on', async () => {
    const big = await makeSyntheticQuestionnaire({ rows: 3000, lang: 'en' });
    await rejects(big, 'big.xlsx', /needs more than 16 MB to read/, { ...DEFAULT_LIMITS, maxOldGenerationSizeMb: 16 });
    // Still able to parse normally afterwards.
    const ok = await loadSpreadsheet(fixture('questionnaire-ja.xlsx'), 'q.xlsx', DEFAULT_LIMITS);
    expect(ok.grid.sheets.length).toBe(2);
  });

  it('a parse that takes too long is stopped', async () => {
    const big = await makeSyntheticQuestionnaire({ rows: 3000, lang: 'en' });
    await rejects(big, 'slow.xlsx', /took longer than/, { ...DEFAULT_LIMITS, parseTimeoutMs: 1 });
  });
});

describe('huge data-validation ranges (HECVAT-style sqref A1:XFD1048576)', () => {
  it('are read and answered within seconds, and written back untouched', async () => {
    const bytes = fixture('questionnaire-huge-dv.xlsx');
    const started = Date.now();
    const result = await answerQuestionnaireFile({ bytes, fileName: 'hecvat.xlsx' }, { product: 'krew', answer: fakeAnswerer(), concurrency: 4, limits: DEFAULT_LIMITS });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result.summary.questions).toBe(40);
    // The whole-column list (D1:D1048576) makes D the status column, filled from its values.
    const after = await loadWorkbookStatuses(result.bytes, result.rows.filter((r) => r.outcome === 'answered').map((r) => r.row));
    for (const v of after) expect(['Yes', 'No', 'Partial', 'N/A']).toContain(v);
    const sheet = (await zipParts(result.bytes)).get('xl/worksheets/sheet1.xml') ?? '';
    expect(sheet).toContain('sqref="A1:XFD1048576"');
    expect(sheet).toContain('sqref="D1:D1048576"');
    expect(sheet).toContain('<mergeCell ref="H5000:XFD1048576"/>');
  }, 10_000);
});

describe('list validations whose source is a huge range ($E$1:$XFD$1048576)', () => {
  it('read only the cells that exist there, on the same sheet and on another, and answer from them', async () => {
    const bytes = fixture('questionnaire-list-range.xlsx');
    const started = Date.now();
    const loaded = await loadSpreadsheet(bytes, 'ranges.xlsx', DEFAULT_LIMITS);
    // Generous: it takes well under a second; walking the ranges took hours.
    expect(Date.now() - started).toBeLessThan(10_000);
    const lists = new Map(loaded.grid.sheets.map((s) => [s.name, s.validations.map((v) => v.values)]));
    // Row by row, then column by column; the far corner XFD1048576 included.
    expect(lists.get('Security')).toEqual([['Yes', 'No', 'N/A']]);
    expect(lists.get('Privacy')).toEqual([['Yes', 'Partial', 'No', 'N/A']]);

    const result = await answerQuestionnaireFile(
      { bytes, fileName: 'ranges.xlsx' },
      { product: 'krew', answer: fakeAnswerer({ abstainEvery: 0 }), concurrency: 2, limits: DEFAULT_LIMITS },
    );
    expect(result.summary.questions).toBe(7);
    const statuses = result.rows.flatMap((r) => r.writes.filter((w) => w.col === 3).map((w) => [r.sheet, w.value] as const));
    expect(statuses.length).toBeGreaterThan(0);
    for (const [sheet, value] of statuses) expect(lists.get(sheet)?.[0]).toContain(value);
  }, 10_000);
});

/** Reads column D of the given rows straight from the XML (ExcelJS itself would hang on this file). */
async function loadWorkbookStatuses(bytes: Uint8Array, rows: number[]): Promise<string[]> {
  const xml = (await zipParts(bytes)).get('xl/worksheets/sheet1.xml') ?? '';
  return rows.map((r) => new RegExp(`<c r="D${r}"[^>]*><is><t[^>]*>([^<]*)</t>`).exec(xml)?.[1] ?? '');
}

describe('formula-injection escaping', () => {
  it('prefixes = + - @ tab and CR with a quote, keeps a lone sign', () => {
    expect(escapeFormula('=1+1')).toBe("'=1+1");
    expect(escapeFormula('+81 3')).toBe("'+81 3");
    expect(escapeFormula('-2')).toBe("'-2");
    expect(escapeFormula('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(escapeFormula('\tx')).toBe("'\tx");
    expect(escapeFormula('\rx')).toBe("'\rx");
    expect(escapeFormula('-')).toBe('-');
    expect(escapeFormula('はい')).toBe('はい');
  });

  it('writes hostile drafts as plain string cells: no <f> element, the exact text without a visible quote', async () => {
    const hostile = ['=cmd|"/c calc"!A1', '+SUM(1,2)', '-1+2', '@HYPERLINK("http://x")', '\t=1'];
    let i = 0;
    const result = await answerQuestionnaireFile(
      { bytes: fixture('questionnaire-odd-en.xlsx'), fileName: 'odd.xlsx' },
      { product: 'krew', answer: fakeAnswerer({ abstainEvery: 0, text: () => hostile[i++ % hostile.length] ?? '' }), concurrency: 1, limits: DEFAULT_LIMITS },
    );
    for (const [name, xml] of await zipParts(result.bytes)) {
      if (name.startsWith('xl/worksheets/')) expect(xml, name).not.toMatch(/<(\w+:)?f[\s>]/);
    }
    const wb = await loadWorkbook(result.bytes);
    const written = result.rows.flatMap((r) => r.writes);
    expect(written.length).toBeGreaterThan(0);
    for (const w of written) {
      const v = wb.getWorksheet(w.sheet)?.getCell(w.row, w.col).value ?? null;
      expect(typeof v === 'string' || (typeof v === 'object' && v !== null && 'richText' in v)).toBe(true);
      // A string cell is never evaluated, so an apostrophe would only show up as text.
      expect(valueText(v)).not.toMatch(/^'/);
    }
    const texts = written.map((w) => valueText(wb.getWorksheet(w.sheet)?.getCell(w.row, w.col).value ?? null));
    expect(texts).toContain('=cmd|"/c calc"!A1');
    expect(texts).toContain('+SUM(1,2)');
  });
});
