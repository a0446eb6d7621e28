/**
 * Review workbooks: a bulk job's drafts as an Excel sheet a security team can work in for an
 * hour (filter, sort, wrap, a decision list per row), and that sheet, filled in, read back
 * as decisions for `decideBatch`. Reviewers review in Excel; the queue stays the record.
 *
 * Each row carries its review id, job, the version the reviewer saw and a check code: an
 * HMAC over those three with a key kept in this database. A row whose id, job or version
 * was changed (by accident, a sort gone wrong, or on purpose) fails the check and is
 * refused, instead of deciding some other review. The version makes a review decided by
 * someone else after the export a conflict rather than a silent overwrite.
 *
 * What the reviewer was shown is fixed too: a second hidden code covers the draft's text
 * and status. Typing over them is how a person naturally "fixes" an answer in Excel, but
 * the import decides on the queue's answer, so a changed Draft or Draft status cell is
 * refused (the reviewer moves it to the input columns) rather than silently dropped. The
 * reviewer's 回答 / Status column starts empty: a status kotae pre-filled and nobody
 * touched would otherwise pass for the reviewer's claim next to their own text.
 *
 * ExcelJS is loaded only when a workbook is built or read: `kotae review list` stays fast.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type ExcelJS from 'exceljs';
import { z } from 'zod';
import { ReviewState, STATUSES, Status } from '../domain.js';
import { InputError } from '../errors.js';
import { statusFromToken } from '../status-words.js';
import { sourceLabel } from '../source-label.js';
import { stripDraftMarkers } from '../draft/markers.js';
import { extensionOf, sniffKind } from '../spreadsheet/registry.js';
import { checkSize, checkZip, FILE_HINTS, type SafetyLimits } from '../spreadsheet/safety.js';
import type { Database, Sql } from '../store/database.js';
import { listReviews, type BatchDecision, type BatchReport, type LibrarySync, type ReviewQueue } from './queue.js';
import { ANSWER_STATUSES, type DecisionAction } from './states.js';
import type { ReviewRecord } from './types.js';

export const REVIEW_SHEET = 'Review';

/** The file is a workbook, but not one `kotae review export` made (Slack then treats it as a questionnaire). */
export class NotAReviewWorkbookError extends InputError {}

/** The extension of the review workbooks kotae writes (`kotae review export`, Slack's review sheet). */
export const REVIEW_WORKBOOK_EXTENSION = 'xlsx';

/** Whether a file may be a review workbook by its name (one kotae wrote); its content decides. */
export function mayBeReviewWorkbook(fileName: string): boolean {
  return extensionOf(fileName) === REVIEW_WORKBOOK_EXTENSION;
}

/** The statuses a reviewer may type: the queue's words, then the same in Japanese (src/status-words.ts reads both). */
const STATUS_CHOICES: readonly string[] = [...ANSWER_STATUSES, 'はい', 'いいえ', '一部', '該当なし'];

/** A typed status as the queue's word: "yes" as it is, はい/いいえ/一部/該当なし (and their kin, ○/×) by the one status vocabulary. */
function statusOf(text: string): string {
  const word = text.trim().toLowerCase();
  if (Status.safeParse(word).success) return word;
  const known = statusFromToken(text);
  return known === 'unknown' ? word : known;
}

/** The reviewer's choices; Japanese and English so either team can use the list. */
export const DECISION_CHOICES: Readonly<Record<string, DecisionAction>> = {
  承認: 'approve',
  編集: 'edit',
  却下: 'reject',
  approve: 'approve',
  edit: 'edit',
  reject: 'reject',
};

interface Column {
  key: 'id' | 'where' | 'item' | 'question' | 'draft' | 'draftStatus' | 'confidence' | 'sources' | 'state' | 'decision' | 'edited' | 'status' | 'reason' | 'job' | 'version' | 'check' | 'seen';
  header: string;
  width: number;
  /** Filled by the reviewer: unlocked and highlighted. */
  input?: boolean;
  /** Bookkeeping the import needs but a reviewer does not. */
  hidden?: boolean;
}

const COLUMNS: readonly Column[] = [
  { key: 'id', header: 'ID', width: 7 },
  { key: 'where', header: '場所 / Where', width: 16 },
  { key: 'item', header: '項番 / Item', width: 9 },
  { key: 'question', header: '質問 / Question', width: 50 },
  { key: 'draft', header: '下書き / Draft', width: 60 },
  { key: 'draftStatus', header: '下書きの回答 / Draft status', width: 13 },
  { key: 'confidence', header: '確信度 / Confidence', width: 11 },
  { key: 'sources', header: '根拠 / Sources', width: 60 },
  { key: 'state', header: '状態 / State', width: 12 },
  { key: 'decision', header: '判定 / Decision', width: 14, input: true },
  { key: 'edited', header: '修正後の回答 / Edited answer', width: 50, input: true },
  // Exported empty: the status is the reviewer's own statement, required with an edited
  // answer (the draft's was judged for the draft's text), and with 承認 / Approve it changes
  // only the status, as `kotae review approve --status` does.
  { key: 'status', header: '回答 / Status', width: 13, input: true },
  { key: 'reason', header: '理由 / Reason', width: 30, input: true },
  { key: 'job', header: 'job', width: 10, hidden: true },
  { key: 'version', header: 'version', width: 8, hidden: true },
  { key: 'check', header: 'check', width: 18, hidden: true },
  { key: 'seen', header: 'draft check', width: 18, hidden: true },
];

const COLUMN_INDEX = new Map(COLUMNS.map((c, i) => [c.key, i + 1]));
function col(key: Column['key']): number {
  const i = COLUMN_INDEX.get(key);
  if (i === undefined) throw new Error(`no column ${key}`);
  return i;
}

/** Excel refuses cells over 32,767 characters; quotes are cut well before that. */
const MAX_CELL = 32_000;
const MAX_QUOTE = 1_500;

/** The database's signing key, made on first use; two processes making it at once agree on the first one written. */
async function sheetKey(db: Database): Promise<Buffer> {
  await db.run('INSERT INTO review_sheet_key (id, key) VALUES (1, ?) ON CONFLICT (id) DO NOTHING', [randomBytes(32)]);
  return z.object({ key: z.instanceof(Buffer) }).parse(await db.get('SELECT key FROM review_sheet_key WHERE id = 1')).key;
}

function checkCode(key: Buffer, id: string, jobId: string, version: number): string {
  return createHmac('sha256', key).update(`${id}|${jobId}|${version}`).digest('hex').slice(0, 20);
}

/**
 * An answer's words, compared loosely: Excel may rewrite line breaks or trailing spaces on
 * save, and kotae's review marker is removed on approval anyway; neither changes an answer.
 */
function words(text: string): string {
  return stripDraftMarkers(text).normalize('NFC').replace(/\s+/g, ' ').trim();
}

/** The code of the draft text and status a row showed (see `shownChange`). */
function seenCode(key: Buffer, id: string, version: number, draft: string, status: string): string {
  return createHmac('sha256', key).update(`seen|${id}|${version}|${status}|${words(draft)}`).digest('hex').slice(0, 20);
}

function cut(text: string, n: number): string {
  return text.length <= n ? text : `${text.slice(0, n - 1)}…`;
}

function sourcesText(review: ReviewRecord): string {
  if (review.citations.length === 0) return '(none)';
  return cut(review.citations.map((c) => `${sourceLabel(c)}\n${cut(c.text, MAX_QUOTE)}`).join('\n\n'), MAX_CELL);
}

/**
 * Display text for a cell, as written. ExcelJS writes a string as a string cell, which no
 * spreadsheet evaluates, so `=1+1 …`, `+81 …` or `@channel …` needs no apostrophe in front
 * (an apostrophe in a string cell is shown as part of the text; only CSV, which has no
 * cell types, needs the escape: see CellWrite in src/spreadsheet/format.ts).
 */
function text(value: string): string {
  return cut(value, MAX_CELL);
}

export interface ExportFilter {
  jobId: string;
  /** Default: every state but `withdrawn` (replaced drafts nobody can decide). */
  states?: readonly ReviewState[];
}

const EXPORT_STATES: readonly ReviewState[] = ReviewState.options.filter((s) => s !== 'withdrawn');

/** The job's reviews a workbook holds, in the customer's file order (see `inFileOrder`). */
export async function reviewsForSheet(db: Sql, filter: ExportFilter): Promise<ReviewRecord[]> {
  const items: ReviewRecord[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await listReviews(db, { jobId: filter.jobId, state: filter.states ?? EXPORT_STATES, limit: 500, after });
    items.push(...page.items);
    if (page.next === null) return inFileOrder(items);
    after = page.next;
  }
}

/** `質問票!C38` → sheet `質問票`, row 38, column 3; null for a location kotae did not write. */
function cellOf(location: string | null): { sheet: string; row: number; column: number } | null {
  const m = location === null ? null : /^(.+)!([A-Z]{1,3})(\d+)$/.exec(location);
  if (!m?.[1] || !m[2] || !m[3]) return null;
  const column = [...m[2]].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
  return { sheet: m[1], row: Number(m[3]), column };
}

/**
 * Orders reviews as the customer's questionnaire lists them, so a reviewer can read the
 * sheet beside the customer's file: by sheet, then row. Drafts are enqueued as they finish
 * (several at once), so review ids alone are out of row order. The record names its sheet
 * but not the sheet's position in the file: sheets come in the order kotae first drafted a
 * row of them (a run reads the file's sheets in order). Reviews without a location (a
 * database older than locations) follow, oldest first; so do a row's later drafts.
 */
function inFileOrder(reviews: readonly ReviewRecord[]): ReviewRecord[] {
  const located = reviews.map((review) => ({ review, id: Number(review.id), cell: cellOf(review.location) }));
  const sheetRank = new Map<string, number>();
  for (const { cell, id } of located) if (cell) sheetRank.set(cell.sheet, Math.min(sheetRank.get(cell.sheet) ?? Infinity, id));
  const key = (r: (typeof located)[number]): number[] =>
    r.cell ? [0, sheetRank.get(r.cell.sheet) ?? 0, r.cell.row, r.cell.column, r.id] : [1, 0, 0, 0, r.id];
  const compare = (a: number[], b: number[]): number => {
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return (a[i] ?? 0) - (b[i] ?? 0);
    return 0;
  };
  return located.sort((a, b) => compare(key(a), key(b))).map((r) => r.review);
}

/** Builds the review workbook of one job. Refuses a job with no reviews (a mistyped id). */
export async function buildReviewWorkbook(db: Database, filter: ExportFilter): Promise<{ bytes: Buffer; rows: number }> {
  const reviews = await reviewsForSheet(db, filter);
  if (reviews.length === 0) {
    throw new InputError(`job ${filter.jobId} has no reviews${filter.states ? ` in state ${filter.states.join(', ')}` : ''}`, undefined, 'list-reviews');
  }
  const key = await sheetKey(db);
  const { default: Excel } = await import('exceljs');
  const wb = new Excel.Workbook();
  wb.creator = 'kotae';
  const ws = wb.addWorksheet(REVIEW_SHEET, { views: [{ state: 'frozen', xSplit: 1, ySplit: 1 }] });
  ws.columns = COLUMNS.map((c) => ({ key: c.key, width: c.width, hidden: c.hidden ?? false }));
  const header = ws.getRow(1);
  COLUMNS.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.value = c.header;
    cell.font = { bold: true };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: c.input ? 'FFFFF2CC' : 'FFD9E1F2' } };
    cell.alignment = { vertical: 'middle', wrapText: true };
  });
  const choices = `"${Object.keys(DECISION_CHOICES)
    .map((k) => (/^[a-z]/.test(k) ? k[0]?.toUpperCase() + k.slice(1) : k))
    .join(',')}"`;
  for (const r of reviews) {
    const jobId = r.jobId ?? filter.jobId;
    const draft = text(r.answer);
    const row = ws.addRow({
      id: Number(r.id),
      where: text(r.location ?? (r.askedBy ? `asked by ${r.askedBy}` : '')),
      item: text(r.itemRef ?? ''),
      question: text(r.question),
      draft,
      draftStatus: r.status,
      confidence: Math.round(r.draft.confidence * 100) / 100,
      sources: text(sourcesText(r)),
      state: r.state,
      job: jobId,
      version: r.version,
      check: checkCode(key, r.id, jobId, r.version),
      seen: seenCode(key, r.id, r.version, draft, r.status),
    });
    row.alignment = { vertical: 'top', wrapText: true };
    row.getCell(col('decision')).dataValidation = {
      type: 'list',
      allowBlank: true,
      formulae: [choices],
      showErrorMessage: true,
      errorTitle: 'kotae',
      error: '承認 / 編集 / 却下 (Approve / Edit / Reject)',
    };
    // Only what an approved answer may say (the queue refuses "unknown" on an approval), in
    // either team's words: a Japanese reviewer types いいえ, not "no".
    row.getCell(col('status')).dataValidation = {
      type: 'list',
      allowBlank: true,
      formulae: [`"${STATUS_CHOICES.join(',')}"`],
      showErrorMessage: true,
      errorTitle: 'kotae',
      error: STATUS_CHOICES.join(' / '),
    };
    for (const c of COLUMNS) if (c.input) row.getCell(col(c.key)).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFFBEA' } };
  }
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: reviews.length + 1, column: col('reason') } };
  const bytes = Buffer.from(await wb.xlsx.writeBuffer());
  return { bytes, rows: reviews.length };
}

// ---------------------------------------------------------------------------------------
// Reading a filled workbook back

export interface SheetRow {
  /** The worksheet row number, as Excel shows it. */
  line: number;
  reviewId: string | null;
  where: string;
}

export interface ParsedReviewWorkbook {
  decisions: BatchDecision[];
  /**
   * Rows refused before any decision is tried: bad decision value, edit without text or its
   * status, changed id/job, a changed Draft or Draft status cell, several rows of one review.
   */
  invalid: BatchReport['invalid'];
  /** Rows with no decision: left as they are. */
  undecided: number;
  /** Each data row, for naming it in reports. */
  rows: Map<number, SheetRow>;
  jobIds: string[];
}

function cellText(cell: ExcelJS.Cell): string {
  const v = cell.value;
  if (v === null || v === undefined) return '';
  if (typeof v === 'object' && 'formula' in v) return '\u0000formula';
  return cell.text.trim();
}

/**
 * Null when the row still shows the draft text and status it was exported with; otherwise
 * what to tell the reviewer. Those cells are kotae's, never imported: the reviewer's text
 * and status go in the input columns.
 */
function shownChange(key: Buffer, id: string, version: number, draft: string, draftStatus: string, seen: string): string | null {
  if (seen === seenCode(key, id, version, draft, draftStatus)) return null;
  if (STATUSES.some((s) => seen === seenCode(key, id, version, draft, s))) {
    return `the 下書きの回答 / Draft status cell was changed ("${draftStatus}"); it shows the draft's and is not imported: put your status in 回答 / Status and undo the change`;
  }
  return 'the 下書き / Draft text was changed; it is kotae\'s draft and is not imported: put your text in 修正後の回答 / Edited answer with 判定 / Decision = 編集 / Edit (and its 回答 / Status), and undo the change to the draft';
}

/** One row's reviewer cells as a decision, or why they are not one. */
function rowDecision(cells: {
  decisionText: string;
  edited: string;
  statusText: string;
  reason: string;
  draft: string;
  draftStatus: string;
}): Pick<BatchDecision, 'action' | 'text' | 'status' | 'note'> | string {
  const { decisionText, edited, statusText, reason, draft, draftStatus } = cells;
  if (decisionText === '') return 'an edited answer, status or reason without a decision: choose 承認/編集/却下 (Approve/Edit/Reject)';
  const action = DECISION_CHOICES[decisionText.toLowerCase()] ?? DECISION_CHOICES[decisionText];
  if (action === undefined) return `decision "${decisionText}" is not one of 承認, 編集, 却下, Approve, Edit, Reject`;
  if (edited.startsWith('\u0000') || reason.startsWith('\u0000')) return 'the edited answer or reason is a formula: type the text itself';
  const status = statusText === '' ? null : Status.safeParse(statusOf(statusText));
  if (status !== null && !status.success) return `status "${statusText}" is not one of ${STATUS_CHOICES.join(', ')}`;
  if (action === 'reject') {
    if (reason === '') return '却下 / Reject needs a reason';
    if (edited !== '' || status !== null) return '却下 / Reject with an edited answer or status: choose 編集 / Edit to change the answer, or clear them';
    return { action, note: reason };
  }
  if (action === 'edit' && edited === '' && status === null) {
    return '編集 / Edit needs the corrected answer in the edited answer column (or only a new 回答 / Status, to keep the text)';
  }
  // The draft's own words pasted back (its review marker dropped) replace nothing: the queue approves them as they are.
  if (edited !== '' && status === null && words(edited) !== words(draft)) {
    return `an edited answer needs its status in the 回答 / Status column (${ANSWER_STATUSES.join(', ')}): the draft's "${draftStatus}" was judged for the draft's text`;
  }
  return {
    // Approve with a text is an edit; with only a status, the queue keeps the text (as `review approve --status`).
    action: edited !== '' ? 'edit' : action,
    ...(edited !== '' ? { text: edited } : {}),
    ...(status?.success ? { status: status.data } : {}),
    ...(reason !== '' ? { note: reason } : {}),
  };
}

/**
 * Reads a filled review workbook into decisions. The file is checked like any upload
 * (size, zip bomb, damage) before it is parsed.
 */
export async function readReviewWorkbook(db: Database, bytes: Uint8Array, fileName: string, limits: SafetyLimits): Promise<ParsedReviewWorkbook> {
  // What the file really is, told as `kotae answer` tells it (a CSV, a PDF, an .xls, an empty
  // file), with where a review workbook comes from instead of the questionnaire's advice.
  try {
    checkSize(bytes.byteLength, limits, fileName);
    if (sniffKind(bytes, fileName) !== 'xlsx') throw new InputError(`${fileName}: this is a CSV/text file, not a review workbook (kotae review export writes .xlsx)`);
    await checkZip(bytes, limits, fileName);
  } catch (error) {
    if (error instanceof InputError && !(error instanceof NotAReviewWorkbookError)) {
      // A password or a cut-short download keeps its own advice; the questionnaire's ("save it as…") is not for this file.
      const own = error.hint === FILE_HINTS.password || error.hint === FILE_HINTS.damaged ? error.hint : undefined;
      throw new NotAReviewWorkbookError(error.message, own, 'export-review-sheet');
    }
    throw error;
  }
  const { default: Excel } = await import('exceljs');
  const wb = new Excel.Workbook();
  try {
    // ExcelJS types ask for its own Buffer declaration; any Uint8Array-backed buffer works.
    await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  } catch (error) {
    // Not one kotae wrote (ExcelJS reads every sheet kotae exports); perhaps a questionnaire.
    throw new NotAReviewWorkbookError(`${fileName}: not a readable Excel workbook (${error instanceof Error ? error.message : String(error)})`, undefined, 'export-review-sheet');
  }
  const ws = wb.getWorksheet(REVIEW_SHEET);
  const first = ws?.getRow(1);
  const header = first ? Array.from({ length: Math.max(first.cellCount, COLUMNS.length) }, (_, i) => first.getCell(i + 1).text.trim()) : [];
  if (!ws || COLUMNS.some((c, i) => header[i] !== c.header)) {
    if (ws && header.includes('check') && header.includes('判定 / Decision')) {
      // Slack must not draft this as a questionnaire: it is a review sheet, only an old one.
      throw new InputError(`${fileName} is a review workbook from an earlier kotae, whose columns differ`, undefined, 'export-review-sheet');
    }
    throw new NotAReviewWorkbookError(`${fileName} is not a kotae review workbook (no "${REVIEW_SHEET}" sheet with kotae's columns)`, undefined, 'export-review-sheet');
  }
  const key = await sheetKey(db);
  const parsed: ParsedReviewWorkbook = { decisions: [], invalid: [], undecided: 0, rows: new Map(), jobIds: [] };
  const jobs = new Set<string>();
  /** The decided rows of each review: more than one is ambiguous, whatever they say. */
  const rowsOfReview = new Map<string, number[]>();
  for (let line = 2; line <= ws.rowCount; line++) {
    const row = ws.getRow(line);
    const get = (k: Column['key']): string => cellText(row.getCell(col(k)));
    const id = get('id');
    const decisionText = get('decision');
    const edited = get('edited');
    const statusText = get('status');
    const reason = get('reason');
    const undecided = decisionText === '' && edited === '' && statusText === '' && reason === '';
    if (id === '' && undecided) continue;
    const reviewId = /^\d+$/.test(id) ? id : null;
    parsed.rows.set(line, { line, reviewId, where: get('where') });
    const refuse = (error: string): void => void parsed.invalid.push({ line, reviewId, error, code: 'input' });
    const jobId = get('job');
    const version = get('version');
    const signed = reviewId !== null && /^\d+$/.test(version) && get('check') === checkCode(key, reviewId, jobId, Number(version));
    // A rewritten draft is refused even on a row without a decision: it would be lost unseen.
    const shown = signed ? shownChange(key, reviewId, Number(version), get('draft'), get('draftStatus'), get('seen')) : null;
    if (undecided && shown === null) {
      parsed.undecided++;
      continue;
    }
    if (!signed) {
      refuse('the ID, job or version cells were changed, or the row comes from another kotae database (export a fresh sheet)');
      continue;
    }
    jobs.add(jobId);
    rowsOfReview.set(reviewId, [...(rowsOfReview.get(reviewId) ?? []), line]);
    if (shown !== null) {
      refuse(shown);
      continue;
    }
    const decision = rowDecision({ decisionText, edited, statusText, reason, draft: get('draft'), draftStatus: get('draftStatus') });
    if (typeof decision === 'string') {
      refuse(decision);
      continue;
    }
    parsed.decisions.push({ line, reviewId, jobId, expectedVersion: Number(version), ...decision });
  }
  for (const [reviewId, lines] of rowsOfReview) {
    if (lines.length < 2) continue;
    const error = `review #${reviewId} is on rows ${lines.slice(0, -1).join(', ')} and ${lines.at(-1)}: keep one row per review (none of them is applied)`;
    parsed.decisions = parsed.decisions.filter((d) => !lines.includes(d.line));
    for (const line of lines) {
      // Said together with what else is wrong with the row, so one round of fixes suffices.
      const known = parsed.invalid.find((i) => i.line === line);
      if (known) known.error = `${known.error}; and ${error}`;
      else parsed.invalid.push({ line, reviewId, error, code: 'input' });
    }
  }
  parsed.jobIds = [...jobs];
  return parsed;
}

export interface ImportReport extends BatchReport {
  undecided: number;
  /** Whether the answer library reflects the applied approvals ('failed' is fixed by kotae ingest --rebuild). */
  library: LibrarySync;
  /** Each data row of the sheet, for naming rows in messages (`row 7 (#12, 質問票!C38)`). */
  rows: Map<number, SheetRow>;
}

/**
 * Applies a filled review workbook as `as`: every decision in one transaction with the
 * queue's rules (see decideBatch). Invalid rows, whether found reading the sheet or
 * deciding, are all reported together and nothing is applied.
 */
export async function importReviewWorkbook(
  queue: ReviewQueue,
  input: { bytes: Uint8Array; fileName: string },
  options: { as: string; dryRun?: boolean; limits: SafetyLimits },
): Promise<ImportReport> {
  const parsed = await readReviewWorkbook(queue.db, input.bytes, input.fileName, options.limits);
  const dryRun = options.dryRun === true || parsed.invalid.length > 0;
  const result = await queue.decideBatch(parsed.decisions, { as: options.as, dryRun });
  const invalid = [...parsed.invalid, ...result.invalid].sort((a, b) => a.line - b.line);
  return {
    ...result,
    dryRun: options.dryRun === true,
    applied: invalid.length > 0 ? [] : result.applied,
    invalid,
    undecided: parsed.undecided,
    rows: parsed.rows,
  };
}

/** `row 7 (#12, 質問票!C38)`: how reports name a sheet row. */
export function rowName(report: Pick<ImportReport, 'rows'>, line: number): string {
  const row = report.rows.get(line);
  const parts = [row?.reviewId ? `#${row.reviewId}` : null, row?.where || null].filter((p): p is string => p !== null);
  return `row ${line}${parts.length > 0 ? ` (${parts.join(', ')})` : ''}`;
}
