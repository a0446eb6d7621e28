/**
 * Checks a customer's questionnaire (a file given to the CLI or shared in Slack) before any
 * parser sees it, and escapes what kotae writes into it. Customer files arrive from outside
 * (Slack, e-mail): a zip bomb, an encrypted workbook or a mislabelled file must end in a
 * clear InputError, never in a hung or killed process.
 */
import type { Config } from '../config.js';
import { InputError } from '../errors.js';
import { listZipDirectory, ZipFormatError } from './zip.js';

/**
 * What to do about a refused file, in words true wherever it came from: a path given to
 * the CLI or a file shared in Slack. The spreadsheet layer does not know which, so no hint
 * says "upload" or names a command-line flag; each surface adds its own words only through
 * the remedy its error renderer says (src/errors.ts).
 */
export const FILE_HINTS = {
  saveAs: 'Save the questionnaire as .xlsx or .csv and try again.',
  damaged: 'The file may have been cut short on its way here: try again with the original; if it opens in Excel, save it once more as .xlsx.',
  password: 'In Excel: File > Info > Protect Workbook > Encrypt with Password, clear the password, save.',
} as const;

/** The message for a workbook with a password to open, whichever check finds it. */
export const passwordProtected = (fileName: string): string => `${fileName}: password-protected workbook: remove the password and try again`;

export interface SafetyLimits {
  /** Upload size cap (config.bulk.maxUploadBytes). */
  maxBytes: number;
  /** Entries in the zip; real workbooks have tens to a few hundred. */
  maxEntries: number;
  /** Sum of the declared uncompressed sizes of all entries. */
  maxTotalUncompressed: number;
  /**
   * Declared uncompressed size of any one entry. Sheet XML is inflated and scanned on the
   * main thread (merges, validations), so this bounds what one part can put on its heap.
   */
  maxPartUncompressed: number;
  /** Uncompressed/compressed ratio allowed per entry... */
  maxEntryRatio: number;
  /**
   * ...for entries larger than this. Kept small: below it, parts are harmless (the most a
   * file can gain unchecked is maxEntries × this), and no genuine part of a few KiB
   * deflates 200-fold.
   */
  ratioMinBytes: number;
  /** Non-empty cells read from the workbook, all sheets together; for a CSV, every field. */
  maxCells: number;
  /** Fields in one CSV record (Excel's own limit: 16,384 columns). */
  maxColumns: number;
  /** Records in one CSV (Excel's own limit: 1,048,576 rows). */
  maxRows: number;
  /** Wall-clock limit of the parse worker. */
  parseTimeoutMs: number;
  /** V8 old-generation heap of the parse worker (worker_threads resourceLimits). */
  maxOldGenerationSizeMb: number;
}

export const DEFAULT_LIMITS: SafetyLimits = {
  maxBytes: 20 * 1024 * 1024,
  maxEntries: 5_000,
  maxTotalUncompressed: 400 * 1024 * 1024,
  maxPartUncompressed: 50 * 1024 * 1024,
  maxEntryRatio: 200,
  ratioMinBytes: 16 * 1024,
  maxCells: 2_000_000,
  maxColumns: 16_384,
  maxRows: 1_048_576,
  parseTimeoutMs: 120_000,
  maxOldGenerationSizeMb: 1536,
};

export function limitsFromConfig(config: Pick<Config, 'bulk'>, overrides: Partial<SafetyLimits> = {}): SafetyLimits {
  return { ...DEFAULT_LIMITS, maxBytes: config.bulk.maxUploadBytes, ...overrides };
}

const MiB = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MiB`;

/** The error for a zip entry over maxPartUncompressed, naming the part. */
export function partTooLarge(fileName: string, part: string, size: number, limits: SafetyLimits): InputError {
  return new InputError(
    `${fileName}: part ${part} would expand to ${MiB(size)} (limit ${MiB(limits.maxPartUncompressed)} per part): refusing a possible zip bomb`,
    'If this is a genuine questionnaire, remove unused rows and formatting (or split the sheet) and save it again.',
  );
}

export function checkSize(size: number, limits: SafetyLimits, fileName: string): void {
  if (size > limits.maxBytes) {
    throw new InputError(
      `${fileName} is ${MiB(size)}, over the ${MiB(limits.maxBytes)} size limit`,
      'Split the questionnaire into smaller files; for a trusted file, whoever runs kotae can raise the limit (KOTAE_MAX_UPLOAD_BYTES).',
    );
  }
  if (size === 0) throw new InputError(`${fileName} is empty`, 'Check that this is the questionnaire itself, saved in full, and try again.');
}

/**
 * Zip-bomb and damage checks on the central directory only, before anything is inflated:
 * entry count, declared total and per-part sizes, per-entry compression ratio, encrypted entries, and
 * the parts an xlsx must have. Inflation later stops at the declared sizes (zip.ts), so
 * a directory that lies cannot get past these numbers either.
 */
export async function checkZip(bytes: Uint8Array, limits: SafetyLimits, fileName: string): Promise<void> {
  let dir: Awaited<ReturnType<typeof listZipDirectory>>;
  try {
    dir = await listZipDirectory(bytes);
  } catch (e) {
    if (e instanceof ZipFormatError) {
      throw new InputError(`${fileName}: the workbook is truncated or damaged (${e.message})`, FILE_HINTS.damaged);
    }
    throw e;
  }
  if (dir.length > limits.maxEntries) {
    throw new InputError(`${fileName}: the workbook has ${dir.length} parts (limit ${limits.maxEntries})`, 'This is not a normal questionnaire workbook.');
  }
  let total = 0;
  for (const e of dir) {
    if (e.encrypted) {
      throw new InputError(passwordProtected(fileName), FILE_HINTS.password);
    }
    total += e.uncompressedSize;
    if (e.uncompressedSize > limits.maxPartUncompressed) throw partTooLarge(fileName, e.name, e.uncompressedSize, limits);
    const ratio = e.uncompressedSize / Math.max(1, e.compressedSize);
    if (e.uncompressedSize > limits.ratioMinBytes && ratio > limits.maxEntryRatio) {
      throw new InputError(
        `${fileName}: part ${e.name} expands ${Math.round(ratio)}-fold (limit ${limits.maxEntryRatio}): refusing a possible zip bomb`,
        'If this is a genuine questionnaire, remove unused rows and formatting and save it again.',
      );
    }
  }
  if (total > limits.maxTotalUncompressed) {
    throw new InputError(
      `${fileName}: the workbook would expand to ${MiB(total)} (limit ${MiB(limits.maxTotalUncompressed)}): refusing a possible zip bomb`,
      'If this is a genuine questionnaire, remove unused rows and formatting and save it again.',
    );
  }
  if (!dir.some((e) => e.name === 'xl/workbook.xml')) {
    throw new InputError(`${fileName}: not an Excel workbook (no xl/workbook.xml inside)`, FILE_HINTS.saveAs);
  }
}

/**
 * Formula-injection escape (OWASP "CSV injection", ASVS 5.0 1.2.10): a value that starts
 * with = + - @ tab or CR is prefixed with a single quote, so no spreadsheet evaluates text
 * kotae wrote (drafts quote customer and vendor text, which may be hostile). A lone sign
 * ("-" is a common 該当なし mark in status lists) is not a formula and is kept as is.
 */
export function escapeFormula(text: string): string {
  if (/^[-+]$/.test(text)) return text;
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/**
 * escapeFormula applied to every line of a multi-line value, not only its first character.
 * For CSV output: a line break inside a field is one quote-handling slip (or one line-based
 * importer) away from starting a record, and a record starting with `=cmd|...` is evaluated.
 * Lines already escaped are left as they are, so escaping twice changes nothing.
 */
export function escapeLineStarts(text: string): string {
  return text
    .split(/(\r\n|\r|\n)/)
    .map((part, i) => (i % 2 === 1 ? part : escapeFormula(part)))
    .join('');
}
