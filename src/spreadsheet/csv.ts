/**
 * CSV questionnaires: decoded as the customer saved them (Japanese Excel writes Shift_JIS
 * (CP932) by default, newer versions UTF-8 with a BOM), parsed with csv-parse in a worker
 * thread under column, line and cell limits (one hostile upload must neither freeze the bot
 * nor exhaust its memory), and written back with csv-stringify in the same encoding, BOM,
 * delimiter and line ending, so the customer's Excel opens the answered file the way it
 * opened theirs (unless the answers need characters that encoding lacks: then UTF-8 with a
 * BOM, see writeCsvFile). Field quoting may differ from the original (csv-stringify quotes
 * only where needed, and always around line breaks); values do not.
 */
import { createRequire } from 'node:module';
import { basename, extname } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import iconv from 'iconv-lite';
import { z } from 'zod';
import { InputError } from '../errors.js';
import { emptySheet, setCell, type Grid } from './grid.js';
import { escapeLineStarts, type SafetyLimits } from './safety.js';
import { runParseWorker } from './worker.js';
import type { CellWrite, SpreadsheetFormat } from './format.js';

export type CsvEncoding = 'utf8' | 'cp932' | 'utf16le' | 'utf16be' | 'win1252';

export interface CsvSource {
  kind: 'csv';
  encoding: CsvEncoding;
  bom: boolean;
  /**
   * The file held only ASCII bytes: read as UTF-8 without a BOM, though nothing in it said so
   * (Excel would open it in the system's code page). Unset for a file kotae makes itself.
   */
  ascii?: boolean;
  delimiter: string;
  recordDelimiter: '\r\n' | '\n';
  trailingNewline: boolean;
  records: string[][];
  sheetName: string;
}

const BOMS: Record<'utf8' | 'utf16le' | 'utf16be', number[]> = {
  utf8: [0xef, 0xbb, 0xbf],
  utf16le: [0xff, 0xfe],
  utf16be: [0xfe, 0xff],
};

/**
 * The CSV parser's worker (see worker.ts). It gets the file's bytes, not its text: decoding
 * is linear but not free (some 70-110 ms for an 18 MB file), and a decoded string handed to
 * a worker is serialised on the sending thread (another 30-70 ms), both stalling the bot's
 * event loop for every request meanwhile. So the bytes are copied once and moved to the
 * worker, which detects the encoding (BOM first, then strict UTF-8, then CP932, then
 * Windows-1252: Japanese Excel writes Shift_JIS (CP932) by default, newer versions UTF-8
 * with a BOM) and decodes there. Before csv-parse sees the text, a linear,
 * quote-aware scan counts the records and fields each candidate delimiter would give and
 * stops at the first limit crossed, so a 2 MB line of a million commas is refused after its
 * first 16,384 fields rather than parsed into a million cells. The delimiter that splits
 * most non-empty records into several fields wins (ties keep the earlier candidate); only
 * it is parsed.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { parse } = require(workerData.csvParsePath);
const iconv = require(workerData.iconvPath);
const { bytes, candidates, maxColumns, maxRows, maxCells } = workerData;
const BOMS = ${JSON.stringify(Object.entries(BOMS))};
function decode() {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const [encoding, sig] of BOMS) {
    if (sig.every((b, i) => bytes[i] === b)) {
      return { text: iconv.decode(buffer.subarray(sig.length), encoding, { stripBOM: false }), encoding, bom: true };
    }
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf8', bom: false };
  } catch {
    // not UTF-8: a Japanese Excel export (CP932 is the Windows superset of Shift_JIS)
  }
  const sjis = iconv.decode(buffer, 'cp932');
  if (!sjis.includes('\\ufffd')) return { text: sjis, encoding: 'cp932', bom: false };
  return { text: iconv.decode(buffer, 'win1252'), encoding: 'win1252', bom: false };
}
const { text, encoding, bom } = decode();
function limit(code, message) {
  const e = new Error(message);
  e.code = code;
  throw e;
}
function scan(delim) {
  const n = text.length;
  let records = 0, cells = 0, fields = 1, content = false, multi = 0, filled = 0;
  let inQuote = false, fieldStart = true;
  const endRecord = () => {
    records++;
    cells += fields;
    if (content) { filled++; if (fields > 1) multi++; }
    if (records > maxRows) limit('TOO_MANY_ROWS', String(maxRows));
    if (cells > maxCells) limit('TOO_MANY_CELLS', String(maxCells));
    fields = 1; content = false; fieldStart = true;
  };
  for (let i = 0; i < n; i++) {
    const ch = text[i];
    if (inQuote) {
      if (ch === '"') { if (text[i + 1] === '"') i++; else inQuote = false; }
      continue;
    }
    if (ch === delim) {
      fields++;
      fieldStart = true;
      if (fields > maxColumns) limit('TOO_MANY_COLUMNS', String(records + 1));
      continue;
    }
    if (ch === '\\n' || ch === '\\r') {
      if (ch === '\\r' && text[i + 1] === '\\n') i++;
      endRecord();
      continue;
    }
    if (ch === '"' && fieldStart) inQuote = true;
    fieldStart = false;
    content = true;
  }
  if (content || fields > 1) endRecord();
  return filled === 0 ? 0 : multi / filled;
}
let best = null;
for (const delimiter of candidates) {
  const score = scan(delimiter);
  if (best === null || score > best.score) best = { delimiter, score };
}
const records = parse(text, { delimiter: best.delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: false, bom: false });
const recordDelimiter = text.includes('\\r\\n') ? '\\r\\n' : '\\n';
const trailingNewline = /\\r?\\n$/.test(text);
const ascii = !bom && encoding === 'utf8' && bytes.every((b) => b < 0x80);
parentPort.postMessage({ ok: true, value: { delimiter: best.delimiter, records, encoding, bom, ascii, recordDelimiter, trailingNewline } });
`;
// A failure anywhere above is posted as { ok: false } by the wrapper below.
const WORKER = `try {${WORKER_SOURCE}} catch (e) {
  require('node:worker_threads').parentPort.postMessage({ ok: false, code: (e && e.code) || null, message: String((e && e.message) || e) });
}`;

const resolve = createRequire(import.meta.url).resolve;
const csvParsePath = resolve('csv-parse/sync');
const iconvPath = resolve('iconv-lite');

/** What the worker reports: the parsed records and how the file was written. */
const parsedSchema = z.object({
  delimiter: z.string(),
  // Checked row by row only: checking every cell of a large file would hold this thread again.
  records: z.custom<string[][]>((v) => Array.isArray(v) && v.every((r: unknown) => Array.isArray(r))),
  encoding: z.enum(['utf8', 'cp932', 'utf16le', 'utf16be', 'win1252']),
  bom: z.boolean(),
  ascii: z.boolean(),
  recordDelimiter: z.enum(['\r\n', '\n']),
  trailingNewline: z.boolean(),
});
type Parsed = z.infer<typeof parsedSchema>;

function isParsed(v: unknown): v is Parsed {
  return parsedSchema.safeParse(v).success;
}

function limitError(fileName: string, code: string, detail: string, limits: SafetyLimits): InputError | null {
  const split = 'Split the questionnaire into smaller files, or save only the question sheet as CSV.';
  if (code === 'TOO_MANY_COLUMNS') {
    return new InputError(`${fileName}: record ${detail} has more than ${limits.maxColumns} columns (Excel's limit): not a questionnaire`, split);
  }
  if (code === 'TOO_MANY_ROWS') return new InputError(`${fileName}: more than ${limits.maxRows} lines (Excel's limit)`, split);
  if (code === 'TOO_MANY_CELLS') return new InputError(`${fileName}: more than ${limits.maxCells} cells`, split);
  return null;
}

/**
 * Reads a CSV/TSV into a one-sheet grid named after the file. Decoding, counting, delimiter
 * choice and parsing all happen in a worker bounded by `limits`; this thread only copies
 * the bytes for it (the caller's own stay usable: a bulk job stores them).
 */
export async function readCsv(bytes: Uint8Array, fileName: string, limits: SafetyLimits): Promise<{ grid: Grid; source: CsvSource }> {
  const ext = extname(fileName).toLowerCase();
  const candidates = ext === '.tsv' ? ['\t'] : [',', '\t', ';'];
  const copy = new Uint8Array(bytes);
  const best = await runParseWorker(
    {
      source: WORKER,
      workerData: { csvParsePath, iconvPath, bytes: copy, candidates, maxColumns: limits.maxColumns, maxRows: limits.maxRows, maxCells: limits.maxCells },
      transferList: [copy.buffer],
      fileName,
      what: 'CSV',
      accept: isParsed,
      limitError: (code, detail) => limitError(fileName, code, detail, limits),
      hint: 'Save it again from Excel as "CSV UTF-8".',
    },
    limits,
  );
  const sheetName = basename(fileName, extname(fileName)) || 'csv';
  const sheet = emptySheet(sheetName);
  best.records.forEach((record, i) => record.forEach((v, j) => setCell(sheet, i + 1, j + 1, v)));
  return {
    grid: { sheets: [sheet] },
    source: {
      kind: 'csv',
      encoding: best.encoding,
      bom: best.bom,
      ascii: best.ascii,
      delimiter: best.delimiter,
      recordDelimiter: best.recordDelimiter,
      trailingNewline: best.trailingNewline,
      records: best.records,
      sheetName,
    },
  };
}

const ENCODING_NAMES: Record<CsvEncoding, string> = {
  utf8: 'UTF-8',
  cp932: 'Shift_JIS (CP932)',
  utf16le: 'UTF-16 LE',
  utf16be: 'UTF-16 BE',
  win1252: 'Windows-1252',
};

/** What writeCsvFile produced: the bytes, the encoding actually used, and notes for the user. */
export interface CsvWriteResult {
  bytes: Buffer;
  encoding: CsvEncoding;
  bom: boolean;
  /** Set when the file could not be written as it came (e.g. saved as UTF-8 instead of Shift_JIS). */
  notes: string[];
}

/**
 * The characters of `text` that `encoding` cannot carry (iconv-lite would write `?` for
 * them), distinct, in order of appearance. The Unicode encodings carry everything. The
 * legacy ones are stateless single- or double-byte encodings, so checking each distinct
 * character once is the same as checking the text.
 */
function unencodable(text: string, encoding: CsvEncoding): string[] {
  if (encoding !== 'cp932' && encoding !== 'win1252') return [];
  const lost: string[] = [];
  const seen = new Set<string>();
  for (const ch of text) {
    if (seen.has(ch)) continue;
    seen.add(ch);
    // U+FFFD only comes from bytes that were already undecodable when the file was read.
    if (ch === '\ufffd' || ch.charCodeAt(0) < 0x80) continue;
    if (iconv.decode(iconv.encode(ch, encoding), encoding) !== ch) lost.push(ch);
  }
  return lost;
}

/**
 * Stand-ins for typography kotae's own text uses (dashes, curly quotes, wave dash, bullets,
 * odd spaces), in order of preference: the first the file's encoding carries is written. A
 * "10:00–19:00" in a draft must not turn a customer's Shift_JIS file into UTF-8.
 */
const TYPOGRAPHY: Record<string, string[]> = {
  '\u2010': ['-'], // hyphen
  '\u2011': ['-'], // non-breaking hyphen
  '\u2012': ['-'], // figure dash
  '\u2013': ['-'], // en dash
  '\u2014': ['\u2015', '-'], // em dash: 全角ダッシュ in Shift_JIS
  '\u2015': ['\u2014', '-'],
  '\u2212': ['\uff0d', '-'], // minus sign
  '\u2018': ["'"],
  '\u2019': ["'"],
  '\u201c': ['"'],
  '\u201d': ['"'],
  '\u2026': ['...'],
  '\u301c': ['\uff5e', '~'], // wave dash: Shift_JIS as Windows reads it has the full-width tilde
  '\uff5e': ['\u301c', '~'],
  '\u2022': ['\u30fb', '*'], // bullet
  '\u00b7': ['\u30fb', '.'],
  '\u30fb': ['\u00b7', '.'],
  '\u00a0': [' '],
  '\u2009': [' '],
  '\u202f': [' '],
};

/** `text` with every typographic character `encoding` lacks replaced by the first stand-in it has. */
function plainTypography(text: string, encoding: CsvEncoding): string {
  if (encoding !== 'cp932' && encoding !== 'win1252') return text;
  return text.replace(/[\u2010-\u2015\u2212\u2018\u2019\u201c\u201d\u2026\u301c\uff5e\u2022\u00b7\u30fb\u00a0\u2009\u202f]/gu, (ch) => {
    if (unencodable(ch, encoding).length === 0) return ch;
    return (TYPOGRAPHY[ch] ?? []).find((alt) => unencodable(alt, encoding).length === 0) ?? ch;
  });
}

/**
 * The CSV with `writes` applied, in the original encoding, BOM, delimiter and line ending.
 * kotae's own typography is written in characters the encoding has (plainTypography).
 * When the answers hold characters the original encoding lacks (a draft with "—" or "🔒"
 * in a Shift_JIS file, Japanese text in a Windows-1252 one), the file is written as UTF-8
 * with a BOM instead, which Excel opens correctly, and a note says so: silently turning
 * them into "?" would corrupt the answers.
 */
export function writeCsvFile(source: CsvSource, writes: CellWrite[]): CsvWriteResult {
  const render = (value: (v: string) => string): string => {
    const records = source.records.map((r) => [...r]);
    for (const w of writes) {
      while (records.length < w.row) records.push([]);
      const record = records[w.row - 1] ?? [];
      while (record.length < w.col) record.push('');
      record[w.col - 1] = escapeLineStarts(value(w.value));
      records[w.row - 1] = record;
    }
    return stringify(records, {
      delimiter: source.delimiter,
      record_delimiter: source.recordDelimiter === '\r\n' ? 'windows' : 'unix',
      eof: source.trailingNewline,
      // csv-stringify quotes a field holding the record delimiter, but with 'windows' a bare
      // LF (or CR) is not it: unquoted, a multi-line answer would start new records.
      quoted_match: /[\r\n]/,
    });
  };
  const plain = render((v) => plainTypography(v, source.encoding));
  // Saved as UTF-8 anyway (an emoji, Japanese in a Windows-1252 file): the text as drafted, typography included.
  const text = unencodable(plain, source.encoding).length > 0 ? render((v) => v) : plain;
  const lost = unencodable(text, source.encoding);
  if (lost.length > 0) {
    const shown = lost
      .slice(0, 5)
      .map((c) => `"${c}"`)
      .join(', ');
    return {
      bytes: Buffer.concat([Buffer.from(BOMS.utf8), Buffer.from(text, 'utf8')]),
      encoding: 'utf8',
      bom: true,
      notes: [
        `the answered CSV is saved as UTF-8 (with BOM) instead of ${ENCODING_NAMES[source.encoding]}, which cannot represent ${lost.length} character(s) in it (${shown}${lost.length > 5 ? ', …' : ''}); Excel opens it correctly`,
      ],
    };
  }
  const body = iconv.encode(text, source.encoding);
  // A file of ASCII only was read as UTF-8 without a BOM, but nothing in it said so: Excel opens
  // a CSV without a BOM in the system's code page (Shift_JIS on a Japanese Windows, Windows-1252
  // elsewhere), so the Japanese evidence and “quotes” an answer brings in came out garbled. With
  // the answers beyond ASCII, it gets the BOM that makes Excel read it as the UTF-8 it is.
  if (source.ascii === true && !isAscii(text)) {
    return {
      bytes: Buffer.concat([Buffer.from(BOMS.utf8), body]),
      encoding: 'utf8',
      bom: true,
      notes: ['the answered CSV is saved as UTF-8 with a BOM: the file held only ASCII text, and without the BOM Excel would show the answers\' Japanese and typographic characters garbled'],
    };
  }
  const bomBytes = source.bom && (source.encoding === 'utf8' || source.encoding === 'utf16le' || source.encoding === 'utf16be') ? BOMS[source.encoding] : [];
  return { bytes: bomBytes.length > 0 ? Buffer.concat([Buffer.from(bomBytes), body]) : body, encoding: source.encoding, bom: bomBytes.length > 0, notes: [] };
}

const isAscii = (text: string): boolean => /^[\x00-\x7f]*$/u.test(text);

/** Text with NUL bytes (and no UTF-16 BOM) in its first 8 KiB is not a CSV. */
function isText(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, 8192);
  const utf16 = (head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff);
  return utf16 || !head.includes(0);
}

export const csvFormat: SpreadsheetFormat<'csv', CsvSource> = {
  kind: 'csv',
  extensions: ['csv', 'tsv', 'txt'],
  noun: 'a CSV/text file',
  sniff: isText,
  read: async (bytes, fileName, limits) => ({ ...(await readCsv(bytes, fileName, limits)), notes: [] }),
  write: (source, writes) => {
    const { bytes, notes } = writeCsvFile(source, writes);
    return { bytes, notes };
  },
};
