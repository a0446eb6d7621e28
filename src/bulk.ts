/**
 * Bulk answering wired to the rest of kotae: every row is drafted by the same `ask` as a
 * single question, enters the review queue under the job's id, and a row a reviewer has
 * already approved is written with the approved text instead of a new draft. `kotae answer`
 * and the Slack upload handler both bind their questionnaire runs through here.
 */
import { createHash } from 'node:crypto';
import type { App } from './app.js';
import { matchKey } from './corpus/clean.js';
import type { Draft } from './domain.js';
import type { ApprovedAnswer, LookupApproved } from './questionnaire/job.js';
import type { JobDecision } from './review/types.js';

/** One job per (file content, product): re-uploading the same file continues the same job. */
export function bulkJobId(bytes: Uint8Array, product: string): string {
  return `bulk-${createHash('sha256').update(bytes).digest('hex').slice(0, 24)}-${product}`;
}

/** The review-queue key of a row: the question, normalised as the job runner dedupes it. */
export function bulkRowKey(question: string): string {
  return `q-${createHash('sha256').update(matchKey(question)).digest('hex').slice(0, 20)}`;
}

export interface BulkHooks {
  jobId: string;
  answer: (question: string, product: string) => Promise<Draft>;
  lookupApproved: LookupApproved;
}

function toApproved(decision: JobDecision): ApprovedAnswer | null {
  if (!decision.final) return null;
  return {
    text: decision.answer,
    status: decision.status,
    state: decision.state === 'edited' ? 'edited' : 'approved',
    reviewId: decision.reviewId,
    citations: decision.citations,
  };
}

/** The final (approved or edited) answer of each row of a job, by row key. */
export function approvedRows(app: App, jobId: string): Map<string, ApprovedAnswer> {
  const out = new Map<string, ApprovedAnswer>();
  for (const decision of app.reviews.decisionsForJob(jobId)) {
    const approved = decision.rowKey ? toApproved(decision) : null;
    if (approved && decision.rowKey) out.set(decision.rowKey, approved);
  }
  return out;
}

/**
 * Binds a questionnaire run to the core: drafts go through `app.ask` and into the review
 * queue (as `askedBy`, with the job id and row key); approved rows are reused.
 */
export function bulkHooks(app: App, bytes: Uint8Array, product: string, meta: { askedBy: string | null; channel?: string }): BulkHooks {
  const jobId = bulkJobId(bytes, product);
  const approved = approvedRows(app, jobId);
  return {
    jobId,
    answer: async (question, p) => {
      const enqueue = { askedBy: meta.askedBy, jobId, rowKey: bulkRowKey(question), ...(meta.channel ? { channel: meta.channel } : {}) };
      return (await app.ask(question, p, { enqueue })).draft;
    },
    lookupApproved: (_product, question) => approved.get(bulkRowKey(question)) ?? null,
  };
}
