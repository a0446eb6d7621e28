/**
 * Answers the rows of a questionnaire with bounded concurrency. The per-row answering is
 * injected (`answer(question, product)`: the real ask pipeline, or a fake in tests), and
 * so is what the review queue says about each row (`lookupDecision`), which is consulted
 * on every run, before the checkpoint: an approval is written as approved, a rejection
 * is written as no answer, and a row whose approval no longer holds is drafted again.
 *
 * Each finished draft is handed to the `JobStore` (the database checkpoint) before it is
 * counted, so a killed run resumes without asking again for rows it already drafted.
 * Only drafts are checkpointed: decisions always come fresh from the review queue.
 */
import pLimit from 'p-limit';
import { z } from 'zod';
import { matchKey } from '../corpus/clean.js';
import { Citation, Draft, Status } from '../domain.js';
import { KotaeError } from '../errors.js';

export interface JobProgress {
  done: number;
  total: number;
  /** Rows with an answer asserted (drafted or approved), including those flagged for review. */
  answered: number;
  /** Rows where the evidence did not answer the question. */
  abstained: number;
  /** Rows a human must look at: abstained, failed, weak, unverified, rejected or not approved. */
  needsReview: number;
}

/**
 * A row's draft, and the approval the review queue served it as when it was enqueued (a draft
 * repeating a standing approval word for word is approved on enqueue, review/queue.ts), or null.
 */
export interface Drafted {
  drafted: Draft;
  servedAs: ApprovedAnswer | null;
}

/** Drafts one row: a bare draft (a drafter without a queue), or the draft and what the queue made of it. */
export type AnswerFn = (question: string, product: string) => Promise<Draft | Drafted>;

export const ApprovedAnswer = z.object({
  text: z.string(),
  status: Status,
  state: z.enum(['approved', 'edited']),
  reviewId: z.union([z.string(), z.number()]).nullable().default(null),
  citations: z.array(Citation).default([]),
});
export type ApprovedAnswer = z.infer<typeof ApprovedAnswer>;

/**
 * Why a row is written without an answer although nobody rejected it (approved-only
 * export): its review waits for a decision, its approval went stale, its answer was
 * withdrawn (retired from the library) with no newer draft, or it was never drafted.
 */
export const WithheldWhy = z.enum(['pending', 'stale', 'withdrawn', 'undrafted']);
export type WithheldWhy = z.infer<typeof WithheldWhy>;

const ReviewRef = z.union([z.string(), z.number()]).nullable().default(null);

/** What the review queue says about one row. */
export const RowDecision = z.discriminatedUnion('kind', [
  /** A reviewer approved (or edited) the answer: write it. */
  z.object({ kind: z.literal('approved'), approved: ApprovedAnswer }),
  /** A reviewer rejected the answer: write none, and say why. */
  z.object({ kind: z.literal('rejected'), reviewId: ReviewRef, reason: z.string() }),
  /** The row was approved, but a cited source changed since: draft it again. */
  z.object({ kind: z.literal('stale'), reviewId: ReviewRef }),
  /** Write no answer and say why (approved-only export). */
  z.object({ kind: z.literal('withheld'), reviewId: ReviewRef, why: WithheldWhy }),
]);
export type RowDecision = z.infer<typeof RowDecision>;

/** The review queue's decision for a question, or null when there is none (draft it, or reuse the checkpoint's draft). */
export type LookupDecision = (product: string, question: string) => Promise<RowDecision | null> | RowDecision | null;

export const RowResult = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('draft'), draft: Draft }),
  z.object({ kind: z.literal('approved'), approved: ApprovedAnswer }),
  z.object({ kind: z.literal('rejected'), reviewId: ReviewRef, reason: z.string() }),
  z.object({ kind: z.literal('withheld'), reviewId: ReviewRef, why: WithheldWhy }),
  z.object({ kind: z.literal('error'), message: z.string() }),
  /** Not sent to the drafter at all: the question is longer than one question may be (JobOptions.maxQuestionChars). */
  z.object({ kind: z.literal('declined'), why: z.literal('too_long'), chars: z.number().int(), limit: z.number().int() }),
]);
export type RowResult = z.infer<typeof RowResult>;

export interface JobItem {
  key: string;
  question: string;
}

/** Where drafted rows are persisted (src/questionnaire/checkpoint.ts). */
export interface JobStore {
  completed(): Promise<Map<string, { question: string; result: RowResult }>>;
  save(key: string, question: string, result: RowResult): Promise<void>;
}

export interface JobOptions {
  product: string;
  answer: AnswerFn;
  lookupDecision?: LookupDecision;
  /** Draft rows a reviewer rejected again (--fresh); approvals still hold. */
  redraftRejected?: boolean;
  concurrency: number;
  /**
   * Longest question the drafter takes (the ask limit): a longer row is declined on its own
   * instead of failing, so one pasted document does not sink the questionnaire.
   */
  maxQuestionChars?: number;
  onProgress?: (p: JobProgress) => void;
  store?: JobStore | null;
  signal?: AbortSignal;
}

export interface JobOutcome {
  results: Map<string, RowResult>;
  progress: JobProgress;
  /** Rows whose draft was taken from the checkpoint instead of being drafted again. */
  resumed: number;
  approved: number;
  rejected: number;
  failed: number;
}

/** How one result counts in the progress figures. */
export function tally(result: RowResult): { answered: number; abstained: number; needsReview: number } {
  if (result.kind === 'approved') return { answered: 1, abstained: 0, needsReview: 0 };
  if (result.kind === 'declined') return { answered: 0, abstained: 1, needsReview: 1 };
  if (result.kind !== 'draft') return { answered: 0, abstained: 0, needsReview: 1 };
  if (result.draft.abstained) return { answered: 0, abstained: 1, needsReview: 1 };
  return { answered: 1, abstained: 0, needsReview: result.draft.needsHuman ? 1 : 0 };
}

/** The result a decision stands for, or null when the row must be drafted. */
function decided(decision: RowDecision | null, redraftRejected: boolean): RowResult | null {
  if (decision === null || decision.kind === 'stale') return null;
  if (decision.kind === 'rejected') return redraftRejected ? null : decision;
  return decision;
}

// Errors that will fail every row the same way: stop instead of filling a file with failures.
const FATAL = new Set(['config', 'store_mismatch', 'forbidden']);

export async function runJob(items: JobItem[], opts: JobOptions): Promise<JobOutcome> {
  const results = new Map<string, RowResult>();
  const progress: JobProgress = { done: 0, total: items.length, answered: 0, abstained: 0, needsReview: 0 };
  const count = (r: RowResult): void => {
    const t = tally(r);
    progress.done++;
    progress.answered += t.answered;
    progress.abstained += t.abstained;
    progress.needsReview += t.needsReview;
  };
  let resumed = 0;
  let approved = 0;
  let rejected = 0;
  let failed = 0;

  const saved = (await opts.store?.completed()) ?? new Map<string, { question: string; result: RowResult }>();
  const redraftRejected = opts.redraftRejected ?? false;
  const todo: JobItem[] = [];
  for (const item of items) {
    const found = opts.lookupDecision ? await opts.lookupDecision(opts.product, item.question) : null;
    const decision = found === null ? null : RowDecision.parse(found);
    const s = saved.get(item.key);
    let result = decided(decision, redraftRejected);
    // A saved draft is reused only while the queue has no say on the row: a stale approval
    // (or a rejection on --fresh) is drafted again. The text check guards against a reused key.
    if (result === null && decision === null && s && s.question === item.question && s.result.kind === 'draft') {
      result = s.result;
      resumed++;
    }
    const chars = item.question.trim().length;
    if (result === null && opts.maxQuestionChars !== undefined && chars > opts.maxQuestionChars) {
      result = { kind: 'declined', why: 'too_long', chars, limit: opts.maxQuestionChars };
    }
    if (result === null) {
      todo.push(item);
      continue;
    }
    results.set(item.key, result);
    if (result.kind === 'approved') approved++;
    if (result.kind === 'rejected') rejected++;
    count(result);
  }
  opts.onProgress?.({ ...progress });

  const limit = pLimit(Math.max(1, opts.concurrency));
  // The same question asked twice in one file is answered once.
  const inflight = new Map<string, Promise<{ draft: RowResult; written: RowResult }>>();
  let fatal: unknown = null;

  /**
   * The row's draft (what the checkpoint keeps), and what the file gets: the queue may have
   * served the draft as approved when it was enqueued, and the file then says "approved" on
   * this run already, not "draft, pending review" until the next one. The binding that
   * enqueued it says so with the draft, so the queue is not asked again per row.
   */
  const answerOne = async (question: string): Promise<{ draft: RowResult; written: RowResult }> => {
    const answered = await opts.answer(question, opts.product);
    const { drafted, servedAs } = 'drafted' in answered ? answered : { drafted: answered, servedAs: null };
    const draft: RowResult = { kind: 'draft', draft: Draft.parse(drafted) };
    return { draft, written: servedAs === null ? draft : { kind: 'approved', approved: ApprovedAnswer.parse(servedAs) } };
  };

  const tasks = todo.map((item) =>
    limit(async () => {
      if (fatal !== null || opts.signal?.aborted) return;
      const k = matchKey(item.question);
      let p = inflight.get(k);
      if (!p) {
        p = answerOne(item.question);
        inflight.set(k, p);
      }
      let result: RowResult;
      let draft: RowResult | null = null;
      try {
        ({ draft, written: result } = await p);
      } catch (e) {
        if (e instanceof KotaeError && FATAL.has(e.code)) {
          // Queued rows see `fatal` and return at once (clearQueue would leave their promises pending).
          fatal ??= e;
          return;
        }
        result = { kind: 'error', message: e instanceof Error ? e.message : String(e) };
      }
      if (result.kind === 'error') failed++;
      if (result.kind === 'approved') approved++;
      // Only drafts are checkpointed (errors are retried on the next run, decisions read afresh).
      if (draft !== null) await opts.store?.save(item.key, item.question, draft);
      results.set(item.key, result);
      count(result);
      opts.onProgress?.({ ...progress });
    }),
  );
  await Promise.all(tasks);
  if (fatal !== null) throw fatal;
  if (opts.signal?.aborted) throw opts.signal.reason instanceof Error ? opts.signal.reason : new Error('aborted');
  return { results, progress, resumed, approved, rejected, failed };
}
