/**
 * Answers the rows of a questionnaire with bounded concurrency. The per-row answering is
 * injected (`answer(question, product)`: the real ask pipeline, or a fake in tests), and
 * so is the lookup of approved answers from the review queue, which take precedence.
 *
 * Each finished row is handed to the `JobStore` (SQLite checkpoint) before it is counted,
 * so a killed run resumes without asking again for rows it already answered.
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
  /** Rows a human must look at: abstained, failed, weak or unverified. */
  needsReview: number;
}

export type AnswerFn = (question: string, product: string) => Promise<Draft>;

export const ApprovedAnswer = z.object({
  text: z.string(),
  status: Status,
  state: z.enum(['approved', 'edited']),
  reviewId: z.union([z.string(), z.number()]).nullable().default(null),
  citations: z.array(Citation).default([]),
});
export type ApprovedAnswer = z.infer<typeof ApprovedAnswer>;

/** Supplies an approved answer for a question, if the review queue has one (wired by the lead). */
export type LookupApproved = (product: string, question: string) => Promise<ApprovedAnswer | null> | ApprovedAnswer | null;

export const RowResult = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('draft'), draft: Draft }),
  z.object({ kind: z.literal('approved'), approved: ApprovedAnswer }),
  z.object({ kind: z.literal('error'), message: z.string() }),
]);
export type RowResult = z.infer<typeof RowResult>;

export interface JobItem {
  key: string;
  question: string;
}

/** Where finished rows are persisted (src/questionnaire/checkpoint.ts). */
export interface JobStore {
  completed(): Map<string, { question: string; result: RowResult }>;
  save(key: string, question: string, result: RowResult): void;
}

export interface JobOptions {
  product: string;
  answer: AnswerFn;
  lookupApproved?: LookupApproved;
  concurrency: number;
  onProgress?: (p: JobProgress) => void;
  store?: JobStore | null;
  signal?: AbortSignal;
}

export interface JobOutcome {
  results: Map<string, RowResult>;
  progress: JobProgress;
  /** Rows taken from the checkpoint instead of being answered again. */
  resumed: number;
  approved: number;
  failed: number;
}

/** How one result counts in the progress figures. */
export function tally(result: RowResult): { answered: number; abstained: number; needsReview: number } {
  if (result.kind === 'approved') return { answered: 1, abstained: 0, needsReview: 0 };
  if (result.kind === 'error') return { answered: 0, abstained: 0, needsReview: 1 };
  if (result.draft.abstained) return { answered: 0, abstained: 1, needsReview: 1 };
  return { answered: 1, abstained: 0, needsReview: result.draft.needsHuman ? 1 : 0 };
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
  let failed = 0;

  const saved = opts.store?.completed() ?? new Map<string, { question: string; result: RowResult }>();
  const todo: JobItem[] = [];
  for (const item of items) {
    const s = saved.get(item.key);
    // Same file hash means same questions; the text check guards against a reused key anyway.
    if (s && s.question === item.question && s.result.kind !== 'error') {
      // A draft saved by an earlier run may have been approved since: the approval wins.
      const nowApproved = s.result.kind === 'draft' && opts.lookupApproved ? await opts.lookupApproved(opts.product, item.question) : null;
      const result: RowResult = nowApproved ? { kind: 'approved', approved: ApprovedAnswer.parse(nowApproved) } : s.result;
      if (nowApproved) opts.store?.save(item.key, item.question, result);
      results.set(item.key, result);
      if (result.kind === 'approved') approved++;
      count(result);
      resumed++;
    } else todo.push(item);
  }
  opts.onProgress?.({ ...progress });

  const limit = pLimit(Math.max(1, opts.concurrency));
  // The same question asked twice in one file is answered once.
  const inflight = new Map<string, Promise<RowResult>>();
  let fatal: unknown = null;

  const answerOne = async (question: string): Promise<RowResult> => {
    const approvedAnswer = opts.lookupApproved ? await opts.lookupApproved(opts.product, question) : null;
    if (approvedAnswer) return { kind: 'approved', approved: ApprovedAnswer.parse(approvedAnswer) };
    const draft = await opts.answer(question, opts.product);
    return { kind: 'draft', draft: Draft.parse(draft) };
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
      try {
        result = await p;
      } catch (e) {
        if (e instanceof KotaeError && FATAL.has(e.code)) {
          // Queued rows see `fatal` and return at once (clearQueue would leave their promises pending).
          fatal ??= e;
          return;
        }
        result = { kind: 'error', message: e instanceof Error ? e.message : String(e) };
      }
      if (result.kind === 'error') failed++;
      else opts.store?.save(item.key, item.question, result); // errors are retried on the next run
      if (result.kind === 'approved') approved++;
      results.set(item.key, result);
      count(result);
      opts.onProgress?.({ ...progress });
    }),
  );
  await Promise.all(tasks);
  if (fatal !== null) throw fatal;
  if (opts.signal?.aborted) throw opts.signal.reason instanceof Error ? opts.signal.reason : new Error('aborted');
  return { results, progress, resumed, approved, failed };
}
