/** Shared helpers for the questionnaire tests. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { loadConfig, type Config } from '../../src/config.js';
import type { Draft, Status } from '../../src/domain.js';
import type { AnswerFn } from '../../src/questionnaire/job.js';
import { createQuestionnaires, type Questionnaires } from '../../src/questionnaire-run.js';
import { openDatabase } from '../../src/store/open.js';
import { emptySheet, setCell, type GridSheet } from '../../src/spreadsheet/grid.js';
import { inflateEntry, readZipEntries } from '../../src/spreadsheet/zip.js';
import { fakeDraft } from '../support/fake-answerer.js';

export const ROOT = join(import.meta.dirname, '..', '..');
export const FIXTURES = join(ROOT, 'test', 'fixtures');
// Copies of the customer-style questionnaires kept in the repo, so a fresh clone needs nothing beside it.
export const EVAL = join(ROOT, 'test', 'eval');

/** A generated fixture, or one of the sample questionnaires kept under test/eval. */
export function fixture(name: string): Buffer {
  return readFileSync(join(name.startsWith('questionnaire-ja.') || name.startsWith('questionnaire-en.') ? EVAL : FIXTURES, name));
}

export function tempDir(prefix = 'kotae-q-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A configuration as a user of `kotae answer` has it: a data directory, and who asks (KOTAE_CLI_USER; answer refuses to draft without one). */
export function testConfig(dataDir: string, extra: Record<string, string> = {}): Config {
  return loadConfig({ KOTAE_DATA_DIR: dataDir, KOTAE_CORPUS_DIR: dataDir, KOTAE_CONCURRENCY: '2', KOTAE_CLI_USER: 'U_TESTER', ...extra }, dataDir);
}

/**
 * The core's questionnaire use cases with a fake drafter in place of the index and no
 * review queue; checkpoints go to the configured database, closed when `run` ends.
 */
export async function withFakeCore<T>(config: Config, answer: AnswerFn, run: (core: Questionnaires) => Promise<T>): Promise<T> {
  const db = await openDatabase(config);
  try {
    return await run(createQuestionnaires({ config, db, reviews: null, bind: () => ({ answer }) }));
  } finally {
    await db.close();
  }
}

export async function loadWorkbook(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  // ExcelJS types `load` with its own Buffer (an ArrayBuffer); the runtime takes a Node Buffer.
  const copy = Uint8Array.from(bytes);
  await wb.xlsx.load(copy.buffer);
  return wb;
}

/** Every part of an xlsx, inflated, by name. */
export async function zipParts(bytes: Uint8Array): Promise<Map<string, string>> {
  const entries = await readZipEntries(bytes);
  return new Map(entries.map((e) => [e.name, inflateEntry(e).toString('utf8')]));
}

/** ExcelJS keeps data validations on the worksheet but leaves them out of its type definitions. */
export function validationsOf(ws: ExcelJS.Worksheet): unknown {
  return (ws as unknown as { dataValidations: { model: unknown } }).dataValidations.model;
}

/** The text ExcelJS shows for a cell value (rich text and inline strings flattened). */
export function valueText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object' && 'richText' in v) return v.richText.map((r) => r.text).join('');
  return JSON.stringify(v);
}

/** A grid sheet from rows of cell texts (row 1 first; '' = empty). */
export function sheetOf(name: string, rows: string[][], init: Partial<GridSheet> = {}): GridSheet {
  const s = emptySheet(name);
  rows.forEach((r, i) => r.forEach((t, j) => setCell(s, i + 1, j + 1, t)));
  return Object.assign(s, init);
}

/** A workbook built by `build`, as the bytes a user would upload. */
export async function xlsx(build: (wb: ExcelJS.Workbook) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  build(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A drafter that drafts every question with `status`, unflagged (as one that misread an open question would). */
export function answering(status: Status): AnswerFn {
  return async (question: string, product: string): Promise<Draft> => ({ ...fakeDraft(question, product, { abstainEvery: 0 }), status, needsHuman: false, reason: '' });
}
