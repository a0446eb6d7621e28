/**
 * A questionnaire the vendor answered before (format qa-xlsx / qa-csv) → one `qa` passage
 * per answered row. Reading and layout detection are the same code that fills customer
 * questionnaires (src/spreadsheet/), so a sheet kotae can answer is a sheet it can learn
 * from, with the same safety checks (size, zip bomb, encrypted, mislabelled files).
 */
import type { ManifestEntry, Passage, Status } from '../domain.js';
import { KotaeError, ParseError } from '../errors.js';
import { columnLetter } from '../spreadsheet/grid.js';
import { describeLayout, detectLayout, type LayoutOverrides, type WorkbookLayout } from '../spreadsheet/layout.js';
import { DEFAULT_LIMITS, type SafetyLimits } from '../spreadsheet/safety.js';
import { statusFromText } from '../spreadsheet/status.js';
import { loadSpreadsheet, type LoadedSpreadsheet } from '../spreadsheet/registry.js';
import { cleanText } from './clean.js';

// Corpus files are the vendor's own documents, so a larger cap than for customer uploads.
const CORPUS_LIMITS: SafetyLimits = { ...DEFAULT_LIMITS, maxBytes: 100 * 1024 * 1024 };

export async function parseQaSheet(bytes: Uint8Array, entry: ManifestEntry, limits: SafetyLimits = CORPUS_LIMITS): Promise<Passage[]> {
  const expected = entry.format === 'qa-csv' ? 'csv' : 'xlsx';
  let loaded: LoadedSpreadsheet;
  try {
    loaded = await loadSpreadsheet(bytes, entry.file, limits);
  } catch (e) {
    if (e instanceof KotaeError) throw new ParseError(entry.file, e.message + (e.hint ? ` (${e.hint})` : ''), undefined, { cause: e });
    throw e;
  }
  if (loaded.kind !== expected) {
    throw new ParseError(entry.file, `the manifest says ${entry.format} but the file is ${loaded.kind}`);
  }
  const overrides: LayoutOverrides = {};
  if (entry.sheet !== undefined) overrides.sheets = [entry.sheet];
  if (entry.questionColumn !== undefined) overrides.questionCol = entry.questionColumn;
  if (entry.answerColumn !== undefined) overrides.answerCol = entry.answerColumn;
  let layout: WorkbookLayout;
  try {
    layout = detectLayout(loaded.grid, overrides, 'qa');
  } catch (e) {
    if (e instanceof KotaeError) throw new ParseError(entry.file, e.message, undefined, { cause: e });
    throw e;
  }
  // The manifest documents "the first sheet with a detectable header" as the default.
  const guess = layout.sheets.find((g) => g.skipped === null && g.layout !== null && g.rows.length > 0);
  if (!guess?.layout) {
    throw new ParseError(
      entry.file,
      `no sheet with a question column and an answer column found: ${describeLayout(layout).join('; ')}; set "sheet", "questionColumn" and "answerColumn" in the manifest`,
    );
  }
  const l = guess.layout;
  const passages: Passage[] = [];
  for (const row of guess.rows) {
    const answerText = cleanText(row.existing.answer);
    const statusText = cleanText(row.existing.status);
    const comment = cleanText(row.existing.comment);
    if (!answerText && !statusText && !comment) continue; // not answered: no evidence in it
    // statusFromText reads a whole-cell token first, then a leading yes/no word.
    let status: Status = statusText ? statusFromText(statusText) : 'unknown';
    if (status === 'unknown' && answerText) status = statusFromText(answerText);
    // The status cell is a mark ("はい"), so the answer text is the answer column plus the
    // comment; a status word alone in the answer column still says something, so it stays.
    const answer = [answerText, statusText && !answerText && !comment ? statusText : '', comment].filter((t) => t !== '').join('\n');
    const locator = `${guess.sheet}!R${row.row}`;
    passages.push({
      id: `${entry.product}/${entry.file}#${locator}`,
      product: entry.product,
      kind: 'qa',
      source: entry.file,
      title: entry.title,
      locator,
      line: null,
      page: null,
      sectionPath: [guess.sheet, row.section].filter((s) => s !== ''),
      ref: row.ref,
      requirement: row.question,
      answer,
      status,
    });
  }
  if (passages.length === 0) {
    throw new ParseError(
      entry.file,
      `sheet "${guess.sheet}" has ${guess.rows.length} questions in column ${columnLetter(l.questionCol)} but none is answered`,
    );
  }
  return passages;
}
