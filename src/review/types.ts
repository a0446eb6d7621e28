/**
 * Types of the review workflow. They live here rather than in src/domain.ts because only
 * the review queue, its adapters (CLI, Slack) and the answer library use them. Each is a
 * zod schema: rows read back from SQLite and JSON printed by the CLI are validated with
 * the same definition that gives the static type.
 */
import { z } from 'zod';
import { Citation, Draft, ProductKey, ReviewState, Status } from '../domain.js';
import { REVIEW_ACTIONS } from './states.js';

export const ReviewAction = z.enum(REVIEW_ACTIONS);

/** What an audit event records: a transition, or `enqueue` for the event that created the review. */
export const AuditAction = z.enum(['enqueue', ...REVIEW_ACTIONS]);
export type AuditAction = z.infer<typeof AuditAction>;

/** One draft in the queue, as it stands now. */
export const ReviewRecord = z.object({
  /** Decimal digits (`12`); shown to people as `#12`. */
  id: z.string().regex(/^\d+$/),
  product: ProductKey,
  question: z.string(),
  state: ReviewState,
  /** 1 when enqueued, +1 per transition: the compare-and-set token (Slack buttons carry it). */
  version: z.number().int().positive(),
  /** The current answer text: the draft's, or the reviewer's after an edit. */
  answer: z.string(),
  status: Status,
  citations: z.array(Citation),
  /** The draft exactly as kotae produced it; never changes. */
  draft: Draft,
  /** Slack user id of whoever asked; null for CLI/bulk runs without an identity. */
  askedBy: z.string().nullable(),
  channel: z.string().nullable(),
  jobId: z.string().nullable(),
  rowKey: z.string().nullable(),
  /**
   * Which review of its bulk row this is: 0 for the first draft, then one more each time
   * the row is drafted anew for review (the earlier one was decided or replaced).
   */
  generation: z.number().int().nonnegative(),
  /** Where the row sits in the customer's file (`質問票!C38`); null outside bulk jobs or when unknown. */
  location: z.string().nullable(),
  /** The questionnaire's own item number for the row (No. / 項番), or null. */
  itemRef: z.string().nullable(),
  /** Corpus version the current answer was last checked against (the draft's, or the ingest that made it stale). */
  corpusVersion: z.number().int().nonnegative(),
  createdAt: z.string(),
  /** Who made the latest transition, and when (ISO 8601, UTC). */
  updatedAt: z.string(),
  updatedBy: z.string(),
  /** The named approver of the current answer; null until approved or edited. */
  approvedBy: z.string().nullable(),
  approvedAt: z.string().nullable(),
  /** Why the latest transition happened: rejection reason, the source that changed, an edit note. */
  note: z.string().nullable(),
  /** The approved answer this review's draft reused (the answer library), or null: retiring that one retires copies of it (./derived.ts). */
  derivedFrom: z.string().nullable(),
});
export type ReviewRecord = z.infer<typeof ReviewRecord>;

/** One row of the append-only audit log. */
export const AuditEvent = z.object({
  seq: z.number().int().positive(),
  reviewId: z.string(),
  action: AuditAction,
  fromState: ReviewState.nullable(),
  toState: ReviewState,
  fromVersion: z.number().int().nullable(),
  toVersion: z.number().int().positive(),
  actor: z.string(),
  at: z.string(),
  beforeText: z.string().nullable(),
  afterText: z.string(),
  beforeStatus: Status.nullable(),
  afterStatus: Status,
  corpusVersion: z.number().int().nonnegative(),
  note: z.string().nullable(),
});
export type AuditEvent = z.infer<typeof AuditEvent>;

/** An approved (or edited) answer: what the answer library indexes as the first source for similar questions. */
export const ApprovedAnswer = z.object({
  reviewId: z.string(),
  product: ProductKey,
  question: z.string(),
  answer: z.string(),
  status: Status,
  /** `approved` (as drafted) or `edited` (approved with changes). */
  state: z.enum(['approved', 'edited']),
  approver: z.string(),
  approvedAt: z.string(),
  citations: z.array(Citation),
  /** The approved answer it was reused from, or null (absent in entries written before it was kept). */
  derivedFrom: z.string().nullable().optional(),
});
export type ApprovedAnswer = z.infer<typeof ApprovedAnswer>;

/**
 * The answer library as the queue sees it. It is an index rebuildable from SQLite
 * (`listApprovedAnswers`), so the queue calls it after commit and tolerates failures.
 */
export interface AnswerLibrary {
  upsert(entry: ApprovedAnswer): Promise<void>;
  remove(reviewId: string): Promise<void>;
  /** Many at once (a workbook import): one index write instead of one per answer. Without it, one by one. */
  sync?(change: { upsert: ApprovedAnswer[]; remove: string[] }): Promise<void>;
}

export const EnqueueMeta = z.object({
  askedBy: z.string().min(1).nullable(),
  channel: z.string().min(1).optional(),
  jobId: z.string().min(1).optional(),
  rowKey: z.string().min(1).optional(),
  /** The row's generation (see ReviewRecord); default 0. Idempotent per (jobId, rowKey, generation). */
  generation: z.number().int().nonnegative().optional(),
  location: z.string().min(1).optional(),
  itemRef: z.string().min(1).optional(),
});
export type EnqueueMeta = z.infer<typeof EnqueueMeta>;

export interface ListFilter {
  product?: string;
  /** Only the reviews of drafts this user asked for. */
  askedBy?: string;
  state?: ReviewState | readonly ReviewState[];
  jobId?: string;
  /** Page size, 1..500 (default 50). */
  limit?: number;
  /** Keyset cursor: the `next` of the previous page. Stable while new drafts are enqueued. */
  after?: string;
  /** `newest` lists the latest drafts first (paged with `offset`); default `oldest`. */
  order?: 'oldest' | 'newest';
  /** Rows to skip: offset paging (with a total), instead of the `after` cursor. */
  offset?: number;
}

export interface ReviewPage {
  items: ReviewRecord[];
  /** How many reviews match the filter in all (counted with offset paging or `order: 'newest'`, else null). */
  total: number | null;
  /** Pass as `after` for the next page; null on the last page. */
  next: string | null;
}

/** One bulk row's outcome, for writing the answered questionnaire back out. */
export const JobDecision = z.object({
  reviewId: z.string(),
  rowKey: z.string().nullable(),
  generation: z.number().int().nonnegative(),
  question: z.string(),
  state: ReviewState,
  /** True only for approved/edited: the answer may leave the building. */
  final: z.boolean(),
  answer: z.string(),
  status: Status,
  approvedBy: z.string().nullable(),
  approvedAt: z.string().nullable(),
  note: z.string().nullable(),
  citations: z.array(Citation),
});
export type JobDecision = z.infer<typeof JobDecision>;
