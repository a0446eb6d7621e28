/**
 * Answers a whole questionnaire file: check and read it, detect the layout, answer every
 * question row (resumably), and write the same file back with the answers filled in.
 * Shared by `kotae answer` and the Slack upload handler; neither touches files here.
 */
import type { Language, Status } from '../domain.js';
import { InputError } from '../errors.js';
import type { Database } from '../store/database.js';
import { QuestionnaireCheckpoint, questionnaireJobId, sha256, type PreviousRun } from './checkpoint.js';
import { isPrefilled, keptOutcome, MAX_CELL, planRow, type CustomerFile, type RowOutcome } from './fill.js';
import { cellAddress } from '../spreadsheet/grid.js';
import { runJob, type AnswerFn, type JobItem, type JobProgress, type LookupDecision } from './job.js';
import { describeLayout, detectLayout, skippedSheets, unreadNote, type LayoutGuess, type LayoutOverrides, type QuestionRow, type SheetLayout, type SkippedSheet, type WorkbookLayout } from '../spreadsheet/layout.js';
import { loadSpreadsheet, writeSpreadsheet, type AddedSheet, type CellWrite, type FileKind } from '../spreadsheet/registry.js';
import type { SafetyLimits } from '../spreadsheet/safety.js';

/** What the binding to the review queue (src/bulk.ts) learns once a run starts. */
export interface RunStart {
  /** The evidence drafts are built from: a checkpoint saved under another version is not reused. */
  corpusVersion?: string | number | null;
}

export interface AnswerFileOptions {
  product: string;
  answer: AnswerFn;
  /** The review queue's job id; default `questionnaireJobId(bytes, product)`. */
  jobId?: string;
  /**
   * Called once before the file is read: may refuse the run (an unknown product), and
   * names the corpus version the checkpoint is keyed on.
   */
  prepare?: () => Promise<RunStart | void> | RunStart | void;
  /** The review queue's decision for each row, consulted on every run (see job.ts). */
  lookupDecision?: LookupDecision;
  concurrency: number;
  /** Longest question the drafter takes: longer rows are declined one by one (see JobOptions). */
  maxQuestionChars?: number;
  limits: SafetyLimits;
  overrides?: LayoutOverrides;
  /** Replace answers the file already contains. */
  overwrite?: boolean;
  /**
   * The internal draft file (not the one sent to the customer): rows whose only place in a
   * workbook is a status cell (checklists) are listed, with draft, sources, confidence and
   * flag, in an added `kotae` sheet, since the customer's sheet has no room for them.
   */
  draftSheet?: boolean;
  /** Workflow database for resumable checkpoints; null/undefined runs without resume. */
  db?: Database | null;
  /** Write the file for the customer: approved answers and public sources only (see fill.ts). */
  customer?: CustomerFile;
  /** Ignore drafts saved by an earlier run of the same job, and draft rejected rows again. */
  fresh?: boolean;
  onLayout?: (layout: WorkbookLayout) => void;
  onProgress?: (p: JobProgress) => void;
  signal?: AbortSignal;
}

/** What was written into one sheet: counted from the cells written, not from the drafts. */
export interface SheetSummary {
  sheet: string;
  /**
   * Which rows of the sheet this table spans, from its header to its last question
   * ("rows 5–30"), when the sheet holds stacked tables; null for a sheet of one table, which
   * its name alone names. Without it a sheet of two tables printed two lines of the same name.
   */
  rows: string | null;
  questions: number;
  /** Rows with at least one cell written. */
  rowsWritten: number;
  /** Rows given a status (list value, mark or checkbox). */
  statuses: number;
  /** Rows given text (answer, citations or a review marker). */
  texts: number;
  cells: number;
  needsReview: number;
}

export interface AnswerSummary {
  /** Question rows found in the processed sheets. */
  questions: number;
  /** Rows given an answer (drafted or approved) that was written into the file, including those flagged for review. */
  answered: number;
  approved: number;
  /** Rows a reviewer rejected: written without an answer, marked for review with the reason. */
  rejected: number;
  /** Rows left unanswered by an approved-only export because they have no approved answer. */
  withheld: number;
  abstained: number;
  /** Of the abstained rows, those not drafted because the question is too long to answer automatically. */
  tooLong: number;
  failed: number;
  needsReview: number;
  /** Rows that already had an answer in the file and were left as they were. */
  kept: number;
  /** Rows whose draft was taken from the checkpoint of an earlier run. */
  resumed: number;
  /** How that earlier run ended: `interrupted` (killed, crashed) or `finished`; `none` without one. */
  previousRun: PreviousRun;
  statuses: Partial<Record<Status, number>>;
  sheets: string[];
  /** Rows with at least one cell written, all sheets together. */
  rowsWritten: number;
  /** Rows listed in the added `kotae` sheet of the internal draft file (AnswerFileOptions.draftSheet). */
  draftSheetRows: number;
  /**
   * No cell of the customer's sheets was written (the added `kotae` sheet does not count: a
   * copy of the customer's file with only that sheet looks answered and answers nothing).
   * Every adapter then says so, hands back no file and fails (README: "A run that writes
   * nothing says so, writes no file and exits with 1").
   */
  nothingWritten: boolean;
  cellsWritten: number;
  perSheet: SheetSummary[];
  /** Sheets not read, with why (instruction sheet, hidden, no question column…). */
  skipped: SkippedSheet[];
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export interface AnswerFileResult {
  bytes: Buffer;
  kind: FileKind;
  layout: WorkbookLayout;
  summary: AnswerSummary;
  rows: RowOutcome[];
  /** The review queue's job id (`kotae review list --job`). */
  jobId: string;
  notes: string[];
  /**
   * For a CSV, the style of a UTF-8 file made beside it (the evidence register): its line
   * endings, and a BOM when the answered file has one or is not UTF-8 (Shift_JIS: Excel reads
   * UTF-8 without a BOM as Shift_JIS).
   */
  csvStyle: CsvStyle | null;
}

export interface CsvStyle {
  bom: boolean;
  recordDelimiter: '\r\n' | '\n';
}

export async function answerQuestionnaireFile(input: { bytes: Uint8Array; fileName: string }, opts: AnswerFileOptions): Promise<AnswerFileResult> {
  const start = (await opts.prepare?.()) ?? {};
  const jobId = opts.jobId ?? questionnaireJobId(input.bytes, opts.product);
  const loaded = await loadSpreadsheet(input.bytes, input.fileName, opts.limits);
  const layout = detectLayout(loaded.grid, opts.overrides ?? {}, 'answer');
  opts.onLayout?.(layout);
  const used = layout.sheets.filter((g) => g.skipped === null && g.layout !== null);
  if (used.length === 0 || used.every((g) => g.rows.length === 0)) {
    throw new InputError(
      `${input.fileName}: no question rows found`,
      describeLayout(layout).join('\n'),
      'name-layout',
    );
  }
  const overwrite = opts.overwrite ?? false;

  const planned: Array<{ row: QuestionRow; layout: SheetLayout }> = [];
  const kept: RowOutcome[] = [];
  for (const g of used) {
    if (!g.layout) continue;
    for (const row of g.rows) {
      if (!overwrite && isPrefilled(row, g.layout)) kept.push(keptOutcome(row));
      else planned.push({ row, layout: g.layout });
    }
  }

  let checkpoint: QuestionnaireCheckpoint | null = null;
  if (opts.db) {
    const o = opts.overrides ?? {};
    checkpoint = await QuestionnaireCheckpoint.open(
      opts.db,
      {
        jobId,
        inputSha256: sha256(input.bytes),
        product: opts.product,
        corpusVersion: start.corpusVersion ?? null,
        options: {
          // One sheet keeps the key earlier checkpoints were saved under.
          sheet: o.sheets === undefined || o.sheets.length === 0 ? null : o.sheets.length === 1 ? (o.sheets[0] ?? null) : JSON.stringify(o.sheets),
          questionCol: o.questionCol ?? null,
          answerCol: o.answerCol ?? null,
          statusCol: o.statusCol ?? null,
          commentCol: o.commentCol ?? null,
          overwrite,
        },
      },
      { fileName: input.fileName, total: planned.length },
      opts.fresh ?? false,
    );
  }

  const items: JobItem[] = planned.map((p) => ({ key: p.row.key, question: p.row.question }));
  const job = await runJob(items, {
    product: opts.product,
    answer: opts.answer,
    lookupDecision: opts.lookupDecision,
    redraftRejected: opts.fresh ?? false,
    concurrency: opts.concurrency,
    ...(opts.maxQuestionChars === undefined ? {} : { maxQuestionChars: opts.maxQuestionChars }),
    onProgress: opts.onProgress,
    store: checkpoint,
    signal: opts.signal,
  });

  const outcomes: RowOutcome[] = [...kept];
  const writes: CellWrite[] = [];
  for (const p of planned) {
    const result = job.results.get(p.row.key);
    const sheet = loaded.grid.sheets.find((s) => s.name === p.row.sheet);
    if (!result || !sheet) continue;
    const o = planRow(sheet, p.layout, p.row, result, overwrite, opts.customer ?? null);
    outcomes.push(o);
    writes.push(...o.writes);
  }
  outcomes.sort((a, b) => used.findIndex((g) => g.sheet === a.sheet) - used.findIndex((g) => g.sheet === b.sheet) || a.row - b.row);
  const listed = opts.draftSheet && loaded.kind === 'xlsx' ? outcomes.filter((o) => o.statusOnly) : [];
  // Question cells that could not be read: named in the notes and, in the internal draft file, in the kotae sheet.
  const unread = used.flatMap((g) => g.unread.map((u) => ({ ...u, note: unreadNote(u, g.layout?.language ?? 'en') })));
  const unreadListed = opts.draftSheet && loaded.kind === 'xlsx' ? unread : [];
  const sheetLang = used.find((g) => g.sheet === (listed[0] ?? unreadListed[0])?.sheet)?.layout?.language ?? 'en';
  const written = writeSpreadsheet(loaded.source, writes, listed.length + unreadListed.length > 0 ? draftSheetOf(listed, unreadListed, sheetLang) : undefined);
  await checkpoint?.finish();

  const tooLong = planned.filter((p) => job.results.get(p.row.key)?.kind === 'declined');
  const tooLongNote =
    tooLong.length > 0
      ? [
          `${tooLong.length} question(s) too long to answer automatically (over ${opts.maxQuestionChars ?? 0} characters), left for a person: ${tooLong
            .slice(0, 10)
            .map((p) => p.row.cell)
            .join(', ')}${tooLong.length > 10 ? ', ...' : ''}; no run will draft them: write their answers into the file by hand (a filled cell is kept)`,
        ]
      : [];
  const statuses: Partial<Record<Status, number>> = {};
  for (const o of outcomes) if (o.status !== null) statuses[o.status] = (statuses[o.status] ?? 0) + 1;
  const summary: AnswerSummary = {
    questions: outcomes.length,
    answered: outcomes.filter((o) => (o.outcome === 'answered' || o.outcome === 'approved') && o.writes.length > 0).length,
    approved: outcomes.filter((o) => o.outcome === 'approved').length,
    rejected: outcomes.filter((o) => o.outcome === 'rejected').length,
    withheld: outcomes.filter((o) => o.outcome === 'withheld').length,
    abstained: outcomes.filter((o) => o.outcome === 'abstained').length,
    tooLong: tooLong.length,
    failed: outcomes.filter((o) => o.outcome === 'failed').length,
    needsReview: outcomes.filter((o) => o.needsReview).length,
    kept: kept.length,
    resumed: job.resumed,
    previousRun: checkpoint?.previousRun ?? 'none',
    statuses,
    // A sheet of stacked tables is one guess per table, but one sheet.
    sheets: [...new Set(used.map((g) => g.sheet))],
    rowsWritten: outcomes.filter((o) => o.writes.length > 0).length,
    draftSheetRows: listed.length,
    cellsWritten: writes.length,
    nothingWritten: writes.length === 0,
    perSheet: used.map((g) =>
      sheetSummary(
        g,
        used.filter((t) => t.sheet === g.sheet).length > 1,
        outcomes.filter((o) => o.sheet === g.sheet && g.rows.some((r) => r.row === o.row)),
      ),
    ),
    skipped: skippedSheets(layout),
  };
  const cutNotes = outcomes.flatMap((o) =>
    o.cut.map(
      (c) => `${o.sheet}!${cellAddress(o.row, c.col)}: the text of ${c.chars.toLocaleString('en-US')} characters was cut to Excel's limit of ${MAX_CELL.toLocaleString('en-US')} characters per cell (ends with "…"); give the rest as an attachment`,
    ),
  );
  // With nothing written into the customer's sheets no file is handed back (summary.nothingWritten), so no kotae sheet either.
  const sheetNote =
    writes.length === 0
      ? []
      : listed.length > 0
      ? [`the drafts of ${listed.length} row(s) whose only place in the sheet is a status cell, with sources and review flags, are in the added "kotae" sheet (internal file: remove it before sending)`]
      : unreadListed.length > 0
        ? [`the ${unreadListed.length} question cell(s) that could not be read are listed in the added "kotae" sheet (internal file: remove it before sending)`]
        : [];
  // A CSV has no room for the kotae sheet: the drafts of status-only rows are not in the file, so say where they are.
  const unlisted = opts.draftSheet && loaded.kind !== 'xlsx' ? outcomes.filter((o) => o.statusOnly) : [];
  const unlistedNote =
    unlisted.length > 0
      ? [
          `the drafts of ${unlisted.length} row(s) whose only place in the file is a status cell were not written (a CSV has no room for the "kotae" sheet a workbook gets): ${
            opts.jobId === undefined ? 'save the questionnaire as .xlsx and answer that to have them listed in it' : `they are in the review queue, job ${jobId}`
          }: ${unlisted
            .slice(0, 10)
            .map((o) => o.cell)
            .join(', ')}${unlisted.length > 10 ? ', ...' : ''}`,
        ]
      : [];
  // Rows that need review but whose text had no place, so they got no status either: nothing in the file says so.
  const unmarked = outcomes.filter((o) => o.statusOnly && o.needsReview && o.writes.length === 0);
  const unmarkedNote =
    unmarked.length > 0
      ? [
          `${unmarked.length} row(s) not marked in the file, needing review (their text has no place in the sheet, so no status was written either): ${unmarked
            .slice(0, 10)
            .map((o) => o.cell)
            .join(', ')}${unmarked.length > 10 ? ', ...' : ''}`,
        ]
      : [];
  // Hidden rows and a second table not read: said on every run, or nobody learns those questions went unanswered.
  const setAside = used.flatMap((g) => g.setAside);
  // Said on every run, sure guess or not: e.g. a sheet where every row already holds an answer drafts nothing.
  const layoutWarnings = overwrite ? [] : used.flatMap((g) => g.warnings.map((w) => `sheet "${g.sheet}": ${w}`));
  const csvStyle: CsvStyle | null =
    loaded.source.kind === 'csv' ? { bom: loaded.source.bom || loaded.source.encoding !== 'utf8' || written.bytes.subarray(0, 3).equals(UTF8_BOM), recordDelimiter: loaded.source.recordDelimiter } : null;
  return { bytes: written.bytes, kind: loaded.kind, csvStyle, layout, summary, rows: outcomes, jobId, notes: [...loaded.notes, ...layoutWarnings, ...unread.map((u) => u.note), ...setAside, ...written.notes, ...sheetNote, ...unlistedNote, ...tooLongNote, ...unmarkedNote, ...cutNotes] };
}

function sheetSummary(table: LayoutGuess, stacked: boolean, rows: RowOutcome[]): SheetSummary {
  const layout = table.layout;
  const statusCols = new Set([layout?.statusCol ?? null, ...(layout?.markCols ?? []).map((m) => m.col)]);
  const questionRows = table.rows.map((r) => r.row);
  const first = Math.min(layout?.headerRow ?? Infinity, ...questionRows);
  const last = Math.max(...questionRows);
  return {
    sheet: table.sheet,
    rows: stacked && Number.isFinite(first) && Number.isFinite(last) ? (first === last ? `row ${first}` : `rows ${first}–${last}`) : null,
    questions: rows.length,
    rowsWritten: rows.filter((o) => o.writes.length > 0).length,
    statuses: rows.filter((o) => o.status !== null).length,
    texts: rows.filter((o) => o.writes.some((w) => (!statusCols.has(w.col) || o.status === null) && w.value !== '')).length,
    cells: rows.reduce((n, o) => n + o.writes.length, 0),
    needsReview: rows.filter((o) => o.needsReview).length,
  };
}

/** The added `kotae` sheet's words, in the language of the sheets it lists. */
const DRAFT_SHEET = {
  // "Status cell filled" (yes/no) says whether kotae could put a status into the customer's cell;
  // (not "Status written": its "no" read like the answer status "no").
  en: {
    header: ['Sheet', 'Row', 'No.', 'Question', 'Status cell filled', 'Draft', 'Status drafted', 'Sources', 'Confidence', 'Needs review'],
    yes: 'yes',
    no: 'no',
    status: { yes: 'yes', no: 'no', partial: 'partial', not_applicable: 'not_applicable', unknown: 'unknown' },
  },
  ja: {
    header: ['シート', '行', '項番', '質問', '状況欄に記入', '下書き', '下書きの状況', '根拠', '確度', '要確認'],
    yes: 'はい',
    no: 'いいえ',
    status: { yes: 'はい', no: 'いいえ', partial: '一部', not_applicable: '該当なし', unknown: '不明' },
  },
} as const;

/**
 * The added `kotae` sheet: one line per row the customer's sheet could only take a status
 * for, then one per question cell that could not be read (why in its last column).
 */
function draftSheetOf(rows: RowOutcome[], unread: Array<{ sheet: string; row: number; note: string }>, lang: Language): AddedSheet {
  const words = DRAFT_SHEET[lang];
  const header = [...words.header];
  return {
    name: 'kotae',
    rows: [
      header,
      ...rows.map((o) => [
        o.sheet,
        String(o.row),
        o.ref,
        o.question,
        o.writes.length > 0 ? words.yes : words.no,
        o.answer?.text ?? '',
        o.answer ? words.status[o.answer.status] : '',
        o.answer?.sources ?? '',
        o.answer?.confidence === null || o.answer === null ? '' : o.answer.confidence.toFixed(2),
        o.needsReview ? o.reason || words.yes : '',
      ]),
      ...unread.map((u) => [u.sheet, String(u.row), '', '', words.no, '', '', '', '', u.note]),
    ],
  };
}
