/**
 * Bulk answering wired to the rest of kotae: every row is drafted by the same `ask` as a
 * single question and enters the review queue under the job's id; on every run (first,
 * resumed or repeated) each row's review decides what is written:
 *
 * - approved / edited: the approved text;
 * - rejected: no answer, and 要確認 / needs review with the reviewer's reason
 *   (`--fresh` drafts it again);
 * - stale (a cited source changed after approval): drafted again;
 * - waiting for a decision, or not drafted yet: the draft (from the checkpoint while the
 *   product's documents are unchanged, otherwise drafted again).
 *
 * A row's reviews are keyed by `bulkRowKey(question)` and a generation (a column of the
 * review, 0 for the first draft). A draft that must be reviewed anew (the row's approval
 * went stale, it was rejected and drafted again, or the draft differs from the one waiting
 * in the queue) is enqueued as the next generation, since the queue returns the existing
 * review for a (job, row key, generation) it already holds; the
 * older review, if nobody decided it, is withdrawn so that only the current draft can be
 * approved. Of a row's generations, an approved one wins; otherwise the newest decides.
 *
 * The app binds every questionnaire run through here (src/questionnaire-run.ts: `kotae
 * answer`, the Slack upload handler and the scripts all call `app.answerQuestionnaire`),
 * and exports the approved answers with `exportApprovedQuestionnaire`: the file sent to
 * the customer, which holds approved text and public sources only (src/export/).
 */
import { createHash } from 'node:crypto';
import type { App } from './app.js';
import { matchKey } from './corpus/clean.js';
import type { Citation, Draft, Language, ReviewState } from './domain.js';
import { appendSheet, EVIDENCE_SHEET_NAME, evidenceCsv, evidenceTable, type EvidenceRow } from './export/evidence.js';
import { customerAnswerText, customerSourceNote, resolvePublicSources, restingCitations, type PublicSource } from './export/sources.js';
import { answerQuestionnaireFile, type AnswerFileResult, type RunStart } from './questionnaire/answer-file.js';
import { questionnaireJobId } from './questionnaire/checkpoint.js';
import { columnLetter } from './spreadsheet/grid.js';
import type { AnswerFn, ApprovedAnswer, Drafted, LookupDecision, RowDecision, WithheldWhy } from './questionnaire/job.js';
import type { LayoutOverrides, WorkbookLayout } from './spreadsheet/layout.js';
import type { SafetyLimits } from './spreadsheet/safety.js';
import { unknownProduct } from './product.js';
import { fileKey } from './store/store.js';
import { APPROVED_STATES } from './review/states.js';
import type { EnqueueMeta, JobDecision, ReviewRecord } from './review/types.js';

/** One job per (file content, product): re-uploading the same file continues the same job. */
export function bulkJobId(bytes: Uint8Array, product: string): string {
  return questionnaireJobId(bytes, product);
}

/**
 * The review-queue key of a row: the question, normalised as the job runner dedupes it.
 * The row's generation is stored beside it (EnqueueMeta.generation), not in the key.
 */
export function bulkRowKey(question: string): string {
  return `q-${createHash('sha256').update(matchKey(question)).digest('hex').slice(0, 20)}`;
}

/** One review of a row, with its generation. */
export interface RowReview {
  reviewId: string;
  rowKey: string;
  generation: number;
  state: ReviewState;
  answer: string;
  status: JobDecision['status'];
  note: string | null;
  citations: JobDecision['citations'];
  approvedBy: string | null;
  approvedAt: string | null;
}

/** A job's reviews grouped by row key, oldest first. */
export type JobRows = Map<string, RowReview[]>;

function rowReview(r: Pick<JobDecision, 'reviewId' | 'rowKey' | 'generation' | 'state' | 'answer' | 'status' | 'note' | 'citations' | 'approvedBy' | 'approvedAt'>): [string, RowReview] | null {
  if (r.rowKey === null) return null;
  const { reviewId, rowKey, generation, state, answer, status, note, citations, approvedBy, approvedAt } = r;
  return [rowKey, { reviewId, rowKey, generation, state, answer, status, note, citations, approvedBy, approvedAt }];
}

function addReview(rows: JobRows, entry: [string, RowReview]): void {
  const [base, review] = entry;
  const list = rows.get(base) ?? [];
  const i = list.findIndex((r) => r.reviewId === review.reviewId);
  if (i >= 0) list[i] = review;
  else list.push(review);
  list.sort((a, b) => Number(a.reviewId) - Number(b.reviewId));
  rows.set(base, list);
}

/** The job's reviews by row, as the queue holds them now. */
export async function jobRows(app: Pick<App, 'reviews'>, jobId: string): Promise<JobRows> {
  const rows: JobRows = new Map();
  for (const decision of await app.reviews.decisionsForJob(jobId)) {
    const entry = rowReview(decision);
    if (entry) addReview(rows, entry);
  }
  return rows;
}

/** Waiting for a first decision (a stale review waits too, but holds a draft of older documents). */
const PENDING: ReadonlySet<ReviewState> = new Set(['drafted', 'needs_human']);

function toApproved(review: RowReview): ApprovedAnswer {
  return { text: review.answer, status: review.status, state: review.state === 'edited' ? 'edited' : 'approved', reviewId: review.reviewId, citations: review.citations };
}

/** The approved generation of a row (the newest, if several), or null. */
function approvedOfRow(reviews: readonly RowReview[]): RowReview | null {
  return reviews.filter((r) => APPROVED_STATES.has(r.state)).at(-1) ?? null;
}

/** What a drafting run writes for a row: null = draft it (or reuse the checkpoint's draft). */
export function runDecision(reviews: readonly RowReview[] = []): RowDecision | null {
  const approved = approvedOfRow(reviews);
  if (approved) return { kind: 'approved', approved: toApproved(approved) };
  const latest = reviews.at(-1);
  if (!latest) return null;
  if (latest.state === 'rejected') return { kind: 'rejected', reviewId: latest.reviewId, reason: latest.note ?? '' };
  if (latest.state === 'stale') return { kind: 'stale', reviewId: latest.reviewId };
  // Retired from the library with nothing newer: no review stands behind the row's old draft,
  // so it is drafted (and queued) again rather than reused from the checkpoint.
  if (latest.state === 'withdrawn') return { kind: 'stale', reviewId: latest.reviewId };
  return null;
}

/** What an approved-only export writes for a row: never a draft. */
export function exportDecision(reviews: readonly RowReview[] = []): RowDecision {
  const decision = runDecision(reviews);
  if (decision?.kind === 'approved' || decision?.kind === 'rejected') return decision;
  const latest = reviews.at(-1);
  if (!latest) return { kind: 'withheld', reviewId: null, why: 'undrafted' };
  const why = latest.state === 'stale' ? 'stale' : latest.state === 'withdrawn' ? 'withdrawn' : 'pending';
  return { kind: 'withheld', reviewId: latest.reviewId, why };
}

/** Refuses a product the store has no documents for, naming the known ones (the hint). */
export async function requireKnownProduct(app: Pick<App, 'products'>, product: string): Promise<void> {
  const known = await app.products();
  if (known.includes(product)) return;
  throw unknownProduct(product, known);
}

/**
 * The version of the product's documents: a hash of the content hash of each ingested
 * file. Unlike the store's table version it does not move when an answer is approved
 * (approved answers are written to the same table), so approving rows does not make
 * every other row be drafted again; a re-ingest that changed a document does.
 */
export async function corpusVersionOf(app: Pick<App, 'store'>, product: string): Promise<string> {
  const prefix = fileKey(product, '');
  const files = [...(await app.store.fileHashes())].filter(([key]) => key.startsWith(prefix)).sort(([a], [b]) => a.localeCompare(b));
  return createHash('sha256').update(JSON.stringify(files)).digest('hex').slice(0, 16);
}

export interface ExportStatus {
  /** Rows of the job in the review queue. */
  rows: number;
  /** Rows approved, edited or rejected. */
  decided: number;
  /** Rows still waiting for a decision (including approvals that went stale). */
  waiting: number;
  /** True when the job has rows and every one is decided. */
  allDecided: boolean;
}

export function exportStatusOf(rows: JobRows): ExportStatus {
  let decided = 0;
  for (const reviews of rows.values()) {
    const d = exportDecision(reviews);
    if (d.kind === 'approved' || d.kind === 'rejected') decided++;
  }
  return { rows: rows.size, decided, waiting: rows.size - decided, allDecided: rows.size > 0 && decided === rows.size };
}

/** Whether every row of a job is decided, without reading the file (Slack checks this before downloading). */
export async function approvedExportStatus(app: Pick<App, 'reviews'>, jobId: string): Promise<ExportStatus> {
  return exportStatusOf(await jobRows(app, jobId));
}

export interface ApprovedExportOptions {
  product: string;
  /** The review queue's job; default `bulkJobId(bytes, product)`. */
  jobId?: string;
  limits: SafetyLimits;
  overrides?: LayoutOverrides;
  overwrite?: boolean;
  /** Add the evidence register: a sheet of the workbook, or for a CSV a file of its own (`evidence.file`). */
  evidenceSheet?: boolean;
}

/** A row the customer file leaves empty, and why (for the command's own output, never the file). */
export interface UnansweredRow {
  sheet: string;
  row: number;
  ref: string;
  question: string;
  why: 'rejected' | WithheldWhy;
  reviewId: string | null;
  /** The reviewer's reason, for a rejected row. */
  note: string | null;
}

export type EvidenceOutput = { kind: 'sheet'; name: string; rows: number } | { kind: 'file'; bytes: Buffer; rows: number };

export interface ApprovedExport extends ExportStatus {
  result: AnswerFileResult;
  /** Rows written without an answer, with why. */
  unanswered: UnansweredRow[];
  /** The evidence register, when asked for: the sheet added to `result.bytes`, or a separate CSV. */
  evidence: EvidenceOutput | null;
}

/**
 * The customer's version of an approved row: marker- and tag-free text, citing only the rows
 * the answer rests on; sources are named in the note (fill.ts).
 */
function forCustomer(decision: RowDecision, sources: ReadonlyMap<string, PublicSource>): RowDecision {
  if (decision.kind !== 'approved') return decision;
  const { approved } = decision;
  return { kind: 'approved', approved: { ...approved, text: customerAnswerText(approved.text, approved.citations, sources), citations: restingCitations(approved.text, approved.citations) } };
}

function sourcesOf(citations: readonly Citation[], sources: ReadonlyMap<string, PublicSource>): PublicSource[] {
  return citations.map((c) => sources.get(c.id)).filter((s): s is PublicSource => s !== undefined);
}

/**
 * The questionnaire to send to the customer: approved and edited rows get the approved text
 * (without kotae's markers) and, where the layout has a comment column, the public source
 * (manifest title, vendor, item/page/section, url); every other row is left empty. Why each
 * was left empty is returned in `unanswered` (rejected with the reason, waiting for approval,
 * approval gone stale, not drafted) for the command to show. Drafts nothing. Callers that
 * require every row decided check `allDecided`.
 */
export async function exportApprovedQuestionnaire(app: App, input: { bytes: Uint8Array; fileName: string }, opts: ApprovedExportOptions): Promise<ApprovedExport> {
  await requireKnownProduct(app, opts.product);
  const jobId = opts.jobId ?? bulkJobId(input.bytes, opts.product);
  const rows = await jobRows(app, jobId);
  const decisionOf = (question: string): RowDecision => exportDecision(rows.get(bulkRowKey(question)));
  const approvedOf = (question: string): RowReview | null => approvedOfRow(rows.get(bulkRowKey(question)) ?? []);
  const cited = [...rows.values()].flatMap((reviews) => approvedOfRow(reviews)?.citations ?? []);
  const sources = await resolvePublicSources({ store: app.store, corpusDir: app.config.corpusDir }, cited);
  const result = await answerQuestionnaireFile(input, {
    product: opts.product,
    jobId,
    concurrency: 1,
    limits: opts.limits,
    overrides: opts.overrides,
    overwrite: opts.overwrite,
    db: null,
    lookupDecision: (_product, question) => forCustomer(decisionOf(question), sources),
    answer: () => {
      throw new Error('an approved-only export drafts nothing');
    },
    customer: { sources: (citations, lang) => customerSourceNote(sourcesOf(citations, sources), lang) },
  });

  const unanswered: UnansweredRow[] = [];
  const evidenceRows: EvidenceRow[] = [];
  for (const r of result.rows) {
    const place = { sheet: r.sheet, row: r.row, ref: r.ref, question: r.question };
    const d = decisionOf(r.question);
    // A row the customer had answered keeps their answer: not left empty, so not listed.
    if (r.outcome === 'kept') continue;
    if (r.outcome === 'approved') {
      const review = approvedOf(r.question);
      evidenceRows.push({ ...place, sources: sourcesOf(review ? restingCitations(review.answer, review.citations) : [], sources), approvedBy: review?.approvedBy ?? null, approvedAt: review?.approvedAt ?? null });
    } else if (d.kind === 'rejected') {
      unanswered.push({ ...place, why: 'rejected', reviewId: d.reviewId === null ? null : String(d.reviewId), note: d.reason || null });
    } else if (d.kind === 'withheld') {
      unanswered.push({ ...place, why: d.why, reviewId: d.reviewId === null ? null : String(d.reviewId), note: null });
    }
  }

  let evidence: EvidenceOutput | null = null;
  if (opts.evidenceSheet) {
    const lang: Language = result.layout.sheets.find((g) => g.layout)?.layout?.language ?? 'ja';
    const table = evidenceTable(evidenceRows, lang);
    if (result.kind === 'xlsx') {
      const added = await appendSheet(result.bytes, EVIDENCE_SHEET_NAME[lang], table);
      result.bytes = added.bytes;
      evidence = { kind: 'sheet', name: added.name, rows: table.length - 1 };
    } else {
      evidence = { kind: 'file', bytes: evidenceCsv(table, result.csvStyle ?? { bom: true, recordDelimiter: '\r\n' }), rows: table.length - 1 };
    }
  }
  return { ...exportStatusOf(rows), result, unanswered, evidence };
}

/** Whether a queued review holds this draft: same text, status and cited passages (stale tracking follows the citations). */
function sameDraft(review: ReviewRecord, draft: Draft): boolean {
  const ids = (c: { id: string }[]): string => JSON.stringify(c.map((x) => x.id));
  return review.answer === draft.draft && review.status === draft.status && ids(review.citations) === ids(draft.citations);
}

export interface BulkHooks {
  /** The review queue's job id: `kotae review list --job`, Slack's job buttons. */
  jobId: string;
  /** Validates the product, reads the queue's decisions and names the corpus version (see answerQuestionnaireFile). */
  prepare: () => Promise<RunStart>;
  /** Drafts and enqueues a row, and says whether the queue served the draft as approved (a binding without a queue returns the bare draft). */
  answer: AnswerFn;
  lookupDecision: LookupDecision;
  /** The approved-only export of the same file and job (`kotae answer --approved-only`). */
  exportApproved: (input: { fileName: string } & Omit<ApprovedExportOptions, 'product'>) => Promise<ApprovedExport>;
  /** Pass as answerQuestionnaireFile's `onLayout`: reviews then name their row as the file does (`質問票!C38`). */
  onLayout: (layout: WorkbookLayout) => void;
}

/**
 * Binds a questionnaire run to the core: drafts go through `app.ask` and into the review
 * queue (as `askedBy`, with the job id and row key); the queue's decisions are read when
 * the run starts (`prepare`) and decide each row. Spread the result into the options of
 * `answerQuestionnaireFile`.
 */
export function bulkHooks(app: App, bytes: Uint8Array, product: string, meta: { askedBy: string | null; channel?: string }): BulkHooks {
  const jobId = bulkJobId(bytes, product);
  // Read once (at `prepare`, or on first use) and kept up to date with what this run enqueues.
  let rows: Promise<JobRows> | null = null;
  const current = (): Promise<JobRows> => (rows ??= jobRows(app, jobId));
  // Where each question sits (its first row, when the file asks it twice), keyed like the job's dedupe.
  const located = new Map<string, { location: string; itemRef?: string }>();
  const enqueueMeta = (question: string, generation: number): EnqueueMeta => ({
    askedBy: meta.askedBy,
    jobId,
    rowKey: bulkRowKey(question),
    generation,
    ...(meta.channel ? { channel: meta.channel } : {}),
    ...located.get(matchKey(question)),
  });
  const record = async (review: ReviewRecord): Promise<void> => {
    const entry = rowReview({ ...review, reviewId: review.id });
    if (entry) addReview(await current(), entry);
  };
  const nextGeneration = async (question: string): Promise<number> => Math.max(-1, ...((await current()).get(bulkRowKey(question)) ?? []).map((r) => r.generation)) + 1;

  return {
    jobId,
    prepare: async () => {
      await requireKnownProduct(app, product);
      rows = jobRows(app, jobId);
      await rows;
      return { corpusVersion: await corpusVersionOf(app, product) };
    },
    answer: async (question, p): Promise<Drafted> => {
      // Enqueued under the row's newest key: the queue returns the review it already holds
      // there (a resumed run), or files the draft as the row's first review.
      const generation = (await current()).get(bulkRowKey(question))?.at(-1)?.generation ?? 0;
      const asked = await app.ask(question, p, { enqueue: enqueueMeta(question, generation) });
      const review = asked.review;
      if (review) await record(review);
      // Served as approved from the answer library on enqueue (review/derived.ts): the file
      // says approved on this run already.
      const served = review && APPROVED_STATES.has(review.state) && sameDraft(review, asked.draft) ? rowReview({ ...review, reviewId: review.id }) : null;
      // That review was decided (rejected, stale), or holds another draft (the documents
      // changed since): this draft must be reviewed anew, as the row's next generation. One
      // the queue served as approved is this draft.
      if (review && !((PENDING.has(review.state) || APPROVED_STATES.has(review.state)) && sameDraft(review, asked.draft))) {
        const next = await app.reviews.enqueue(asked.draft, enqueueMeta(question, await nextGeneration(question)));
        await record(next);
        // The older draft, if nobody decided it (waiting or stale), must not be approved in
        // place of this one; a decided review is left as it is.
        const withdrawn = await app.reviews.withdraw(review.id, `replaced by review #${next.id} (a newer draft of the same row)`);
        if (withdrawn) await record(withdrawn);
      }
      return { drafted: asked.draft, servedAs: served ? toApproved(served[1]) : null };
    },
    lookupDecision: async (_product, question) => runDecision((await current()).get(bulkRowKey(question))),
    exportApproved: ({ fileName, ...opts }) => exportApprovedQuestionnaire(app, { bytes, fileName }, { ...opts, product, jobId: opts.jobId ?? jobId }),
    onLayout: (layout) => {
      for (const g of layout.sheets) {
        if (g.skipped !== null || g.layout === null) continue;
        for (const row of g.rows) {
          const key = matchKey(row.question);
          if (!located.has(key)) located.set(key, { location: `${row.sheet}!${columnLetter(g.layout.questionCol)}${row.row}`, ...(row.ref ? { itemRef: row.ref } : {}) });
        }
      }
    },
  };
}
