/**
 * One entry point to read a questionnaire file (xlsx or csv, checked first) into the grid
 * model and to write cells back into it, whatever its format.
 */
import { readCsv, writeCsv, type CsvSource } from './csv.js';
import type { Grid } from './grid.js';
import { checkSize, sniffKind, type FileKind, type SafetyLimits } from './safety.js';
import { patchXlsx, readXlsx, type CellWrite, type XlsxSource } from './xlsx.js';

export type QuestionnaireSource = XlsxSource | CsvSource;

export interface LoadedQuestionnaire {
  kind: FileKind;
  grid: Grid;
  source: QuestionnaireSource;
  /** Things noticed while reading (ignored chart sheets...). */
  notes: string[];
}

/** Size cap, magic-byte check, zip-bomb checks, then parsing (xlsx in a worker thread). */
export async function loadQuestionnaire(bytes: Uint8Array, fileName: string, limits: SafetyLimits): Promise<LoadedQuestionnaire> {
  checkSize(bytes.byteLength, limits, fileName);
  const kind = sniffKind(bytes, fileName);
  if (kind === 'csv') {
    const { grid, source } = readCsv(bytes, fileName);
    return { kind, grid, source, notes: [] };
  }
  const { grid, source, notes } = await readXlsx(bytes, fileName, limits);
  return { kind, grid, source, notes };
}

/** The file with `writes` applied; nothing else changes. */
export function writeQuestionnaire(source: QuestionnaireSource, writes: CellWrite[]): Buffer {
  return source.kind === 'csv' ? writeCsv(source, writes) : patchXlsx(source, writes);
}

export type { CellWrite };
