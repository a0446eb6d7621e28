/**
 * The formats kotae reads and writes, and the one entry point to them: what a file really
 * is (its bytes checked against its name), reading it into the grid model, and writing cells
 * back whatever its format. A new format is a module implementing SpreadsheetFormat
 * (./format.ts) and one line in FORMATS.
 */
import { csvFormat, type CsvSource } from './csv.js';
import type { AddedSheet, CellWrite, WrittenSpreadsheet } from './format.js';
import type { Grid } from './grid.js';
import { InputError } from '../errors.js';
import { checkSize, FILE_HINTS, passwordProtected, type SafetyLimits } from './safety.js';
import { xlsxFormat, type XlsxSource } from './xlsx/index.js';

/** In sniffing order: formats known by magic bytes first, CSV (any text) last. */
const FORMATS = [xlsxFormat, csvFormat] as const;

export type FileKind = (typeof FORMATS)[number]['kind'];
export type SpreadsheetSource = XlsxSource | CsvSource;

export interface LoadedSpreadsheet {
  kind: FileKind;
  grid: Grid;
  source: SpreadsheetSource;
  /** Things noticed while reading (ignored chart sheets...). */
  notes: string[];
}

/** The extensions kotae reads (without the dot), every format's in FORMATS order, the one each suggests first. */
export const SUPPORTED_EXTENSIONS: readonly string[] = FORMATS.flatMap((f) => f.extensions);

/** A file name's extension, lower case without the dot ('' when it has none). */
export function extensionOf(fileName: string): string {
  return (/\.([^.]+)$/.exec(fileName)?.[1] ?? '').toLowerCase();
}

/** Extensions as one phrase: ".xlsx, .xlsm, .csv, .tsv and .txt". */
export function extensionsPhrase(extensions: readonly string[]): string {
  const all = extensions.map((e) => `.${e}`);
  return all.length > 1 ? `${all.slice(0, -1).join(', ')} and ${all.at(-1) ?? ''}` : (all[0] ?? '');
}

/**
 * The extensions kotae answers, from FORMATS, as one phrase. Messages name formats only through
 * this, so adding a format changes every message that lists them.
 */
export function supportedExtensions(): string {
  return extensionsPhrase(SUPPORTED_EXTENSIONS);
}

/** Spreadsheets of other applications: each can export the workbook as .xlsx, which kotae reads. */
const EXPORTABLE = new Set(['ods', 'fods', 'ots', 'numbers', 'xlsb', 'xltx', 'xltm', 'gsheet', 'et', 'gnumeric']);

const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const PDF = [0x25, 0x50, 0x44, 0x46];

function startsWith(bytes: Uint8Array, sig: number[]): boolean {
  return sig.every((b, i) => bytes[i] === b);
}

/** A JSON document ({…} or […], whole): text, but never a table of questions. */
function isJson(bytes: Uint8Array): boolean {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8').replace(/^\uFEFF/, '').trim();
  if (!/^[[{]/.test(text) || !/[\]}]$/.test(text)) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function hasUtf16(bytes: Uint8Array, text: string): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(Buffer.from(text, 'utf16le'));
}

/**
 * What the file really is, by its first bytes, checked against its extension. A CSV
 * renamed .xlsx (or the reverse) is refused with the fix, rather than parsed as the wrong
 * thing and written back under a misleading name.
 */
export function sniffKind(bytes: Uint8Array, fileName: string): FileKind {
  return sniffFormat(bytes, fileName).kind;
}

function sniffFormat(bytes: Uint8Array, fileName: string): (typeof FORMATS)[number] {
  const ext = extensionOf(fileName);
  if (ext === 'xls') {
    throw new InputError(`${fileName}: legacy .xls workbooks are not supported`, 'Open it in Excel and save it as .xlsx.');
  }
  const claimed = FORMATS.find((f) => f.extensions.includes(ext));
  if (!claimed) {
    const known = `kotae answers ${supportedExtensions()} questionnaires.`;
    throw new InputError(`${fileName}: unsupported file type ".${ext}"`, EXPORTABLE.has(ext) ? `${known} Export it as .xlsx (Excel workbook) from the application it was made in, and try again.` : known);
  }
  if (startsWith(bytes, OLE)) {
    // An OLE compound file in place of a zip: either an encrypted OOXML package (Excel
    // writes those streams when a password to open is set) or a legacy binary workbook.
    if (hasUtf16(bytes, 'EncryptedPackage') || hasUtf16(bytes, 'EncryptionInfo')) {
      throw new InputError(passwordProtected(fileName), FILE_HINTS.password);
    }
    throw new InputError(
      `${fileName}: this is a legacy Excel 97-2003 workbook${claimed === xlsxFormat ? ' renamed .xlsx' : ''}`,
      'Open it in Excel and save it as .xlsx.',
    );
  }
  if (startsWith(bytes, PDF)) {
    throw new InputError(`${fileName}: this is a PDF, not a spreadsheet`, FILE_HINTS.saveAs);
  }
  if (isJson(bytes)) {
    throw new InputError(`${fileName}: this is a JSON file, not a spreadsheet`, FILE_HINTS.saveAs);
  }
  const actual = FORMATS.find((f) => f.sniff(bytes, fileName));
  if (!actual) throw new InputError(`${fileName}: not a spreadsheet (binary content)`, FILE_HINTS.saveAs);
  if (actual !== claimed) {
    throw new InputError(`${fileName}: this is ${actual.noun} renamed .${ext}`, `Rename it to .${actual.extensions[0] ?? actual.kind} and try again.`);
  }
  return actual;
}

/** Size cap, magic-byte check, then the format's own reader (zip-bomb checks, parsing in a worker thread). */
export async function loadSpreadsheet(bytes: Uint8Array, fileName: string, limits: SafetyLimits): Promise<LoadedSpreadsheet> {
  checkSize(bytes.byteLength, limits, fileName);
  const format = sniffFormat(bytes, fileName);
  const { grid, source, notes } = await format.read(bytes, fileName, limits);
  return { kind: format.kind, grid, source, notes };
}

/**
 * The file with `writes` applied; nothing else changes (see WrittenSpreadsheet.notes),
 * except that a workbook gets `added` as a new last sheet (a CSV has no room for one).
 */
export function writeSpreadsheet(source: SpreadsheetSource, writes: CellWrite[], added?: AddedSheet): WrittenSpreadsheet {
  // One branch per format: TypeScript cannot tie a source in the union to its own format's writer.
  return source.kind === 'csv' ? csvFormat.write(source, writes, added) : xlsxFormat.write(source, writes, added);
}

export type { AddedSheet, CellWrite, WrittenSpreadsheet };
