/**
 * One entry point to read a questionnaire file (xlsx or csv, checked first) into the grid
 * model and to write cells back into it, whatever its format.
 */
import { readCsv, writeCsvFile, type CsvSource } from './csv.js';
import type { Grid } from './grid.js';
import { checkSize, sniffKind, type FileKind, type SafetyLimits } from './safety.js';
import { patchXlsx, readXlsx, type AddedSheet, type CellWrite, type XlsxSource } from './xlsx.js';

export type QuestionnaireSource = XlsxSource | CsvSource;

export interface LoadedQuestionnaire {
  kind: FileKind;
  grid: Grid;
  source: QuestionnaireSource;
  /** Things noticed while reading (ignored chart sheets...). */
  notes: string[];
}

/** Size cap, magic-byte check, zip-bomb checks, then parsing in a worker thread (xlsx and csv). */
export async function loadQuestionnaire(bytes: Uint8Array, fileName: string, limits: SafetyLimits): Promise<LoadedQuestionnaire> {
  checkSize(bytes.byteLength, limits, fileName);
  const kind = sniffKind(bytes, fileName);
  if (kind === 'csv') {
    const { grid, source } = await readCsv(bytes, fileName, limits);
    return { kind, grid, source, notes: [] };
  }
  const { grid, source, notes } = await readXlsx(bytes, fileName, limits);
  return { kind, grid, source, notes };
}

/** A written questionnaire and what the user should know about how it was written. */
export interface WrittenQuestionnaire {
  bytes: Buffer;
  /**
   * E.g. a Shift_JIS CSV saved as UTF-8 because the answers hold characters Shift_JIS
   * lacks. Meant for AnswerFileResult.notes, next to the notes from loading.
   */
  notes: string[];
}

/**
 * The file with `writes` applied; nothing else changes (see WrittenQuestionnaire.notes),
 * except that a workbook gets `added` as a new last sheet (a CSV has no room for one).
 */
export function writeQuestionnaireFile(source: QuestionnaireSource, writes: CellWrite[], added?: AddedSheet): WrittenQuestionnaire {
  if (source.kind === 'csv') {
    const { bytes, notes } = writeCsvFile(source, writes);
    return { bytes, notes };
  }
  return { bytes: patchXlsx(source, writes, added), notes: [] };
}

export type { AddedSheet, CellWrite };
