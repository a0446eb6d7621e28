/**
 * The one interface every spreadsheet format implements (sniff, read, write), so the
 * questionnaire and corpus code above never know which format a file is, and a new format
 * (.docx tables, .ods) is one module plus one line in ./registry.ts. Each format reads into
 * the format-neutral grid (./grid.ts) under the same safety limits (./safety.ts) and writes
 * only the cells it is given, leaving the rest of the customer's file as it came.
 */
import type { Grid } from './grid.js';
import type { SafetyLimits } from './safety.js';

export interface CellWrite {
  sheet: string;
  row: number;
  col: number;
  /**
   * The text exactly as it should read. Each format keeps it from running as a formula:
   * xlsx writes it as an inline string cell (Excel never evaluates a string cell, so no
   * visible apostrophe is needed), CSV prefixes an apostrophe (escapeLineStarts), since a
   * CSV field has no type and `=cmd|...` would be evaluated on opening. '' clears the cell
   * (the mark of another choice, when kotae marks the choice it drafted: fill.ts).
   */
  value: string;
}

/** A sheet kotae adds at the end of the workbook: a name (made unique) and rows of plain text. */
export interface AddedSheet {
  name: string;
  rows: string[][];
}

/** A file read by a format: the grid, what is needed to write it back, and what was noticed. */
export interface ReadSpreadsheet<S> {
  grid: Grid;
  source: S;
  /** Things noticed while reading (ignored chart sheets...). */
  notes: string[];
}

/** A written file and what the user should know about how it was written. */
export interface WrittenSpreadsheet {
  bytes: Buffer;
  /**
   * E.g. a Shift_JIS CSV saved as UTF-8 because the answers hold characters Shift_JIS
   * lacks. Meant for AnswerFileResult.notes, next to the notes from loading.
   */
  notes: string[];
}

export interface SpreadsheetFormat<K extends string, S extends { kind: K }> {
  kind: K;
  /** File-name extensions it answers to, lower case without the dot; the first is the one to suggest. */
  extensions: readonly string[];
  /** What a file of this format is called in messages ("an Excel workbook"). */
  noun: string;
  /** Whether the content (not the name) is this format; asked in registry order, after the refusals every format shares. */
  sniff(bytes: Uint8Array, fileName: string): boolean;
  /** Parses the file under `limits`; a hostile or damaged file ends in an InputError. */
  read(bytes: Uint8Array, fileName: string, limits: SafetyLimits): Promise<ReadSpreadsheet<S>>;
  /** The original with `writes` applied; `added` becomes a new last sheet where the format has room for one. */
  write(source: S, writes: CellWrite[], added?: AddedSheet): WrittenSpreadsheet;
}
