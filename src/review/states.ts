/**
 * The review state machine as one table. Pure: no I/O, no clock. The queue consults it
 * inside the transaction that applies a transition, so nothing else decides what is legal.
 */
import type { ReviewState, Status } from '../domain.js';
import { KotaeError } from '../errors.js';

/**
 * `mark_stale` is done by ingest (a cited source changed) and `withdraw` by bulk answering (a
 * newer draft of the same row replaced this one), never by a person. `retire` is a person
 * (an approver) taking an approved answer out of the answer library. `reuse` is the queue
 * serving a new draft as approved because it is a standing approval's words for the same
 * question (./derived.ts): the approval's approver is the person behind it, so the review
 * needs no second approval of the same words; the queue does it as it files the draft.
 */
export const REVIEW_ACTIONS = ['approve', 'edit', 'reject', 'mark_stale', 'withdraw', 'retire', 'reuse'] as const;
export type ReviewAction = (typeof REVIEW_ACTIONS)[number];

/** Decisions a person takes on a waiting draft; they need an approver. */
export const DECISION_ACTIONS = ['approve', 'edit', 'reject'] as const satisfies readonly ReviewAction[];
export type DecisionAction = (typeof DECISION_ACTIONS)[number];

export interface TransitionRule {
  readonly from: ReviewState;
  readonly action: ReviewAction;
  readonly to: ReviewState;
  /**
   * Approving as-is needs an answer to approve: an abstained draft only says the evidence
   * does not answer the question, and must not become the vendor's answer unchanged.
   */
  readonly requiresAnswer?: boolean;
}

export const TRANSITIONS: readonly TransitionRule[] = [
  { from: 'drafted', action: 'approve', to: 'approved' },
  { from: 'drafted', action: 'edit', to: 'edited' },
  { from: 'drafted', action: 'reject', to: 'rejected' },
  { from: 'needs_human', action: 'approve', to: 'approved', requiresAnswer: true },
  { from: 'needs_human', action: 'edit', to: 'edited' },
  { from: 'needs_human', action: 'reject', to: 'rejected' },
  // A waiting draft whose cited row changed would be approved on text that is no longer
  // there: it goes stale too, and whoever decides sees which source moved.
  { from: 'drafted', action: 'mark_stale', to: 'stale' },
  { from: 'needs_human', action: 'mark_stale', to: 'stale' },
  { from: 'approved', action: 'mark_stale', to: 'stale' },
  { from: 'edited', action: 'mark_stale', to: 'stale' },
  // A second source changing under an already stale answer is recorded too, so whoever
  // re-approves sees every source that moved, not just the first.
  { from: 'stale', action: 'mark_stale', to: 'stale' },
  { from: 'stale', action: 'approve', to: 'approved' },
  { from: 'stale', action: 'edit', to: 'edited' },
  { from: 'stale', action: 'reject', to: 'rejected' },
  // Only waiting drafts can be replaced; a decided one stays as the person left it.
  { from: 'drafted', action: 'withdraw', to: 'withdrawn' },
  { from: 'needs_human', action: 'withdraw', to: 'withdrawn' },
  { from: 'stale', action: 'withdraw', to: 'withdrawn' },
  // An approved answer the library should no longer serve: it leaves as withdrawn, audited
  // with who and why; its question can be asked and approved again.
  { from: 'approved', action: 'retire', to: 'withdrawn' },
  { from: 'edited', action: 'retire', to: 'withdrawn' },
  // A draft just filed that repeats a standing approval, unflagged: approved on that approval.
  { from: 'drafted', action: 'reuse', to: 'approved' },
];

/** The states `actions` lead to, read off the table. */
function reachedBy(actions: readonly ReviewAction[]): ReadonlySet<ReviewState> {
  return new Set(TRANSITIONS.filter((t) => actions.includes(t.action)).map((t) => t.to));
}

/**
 * States waiting for a person's decision: those a decision (approve, edit, reject) may leave.
 * Adapters list and count "waiting" rows with this, not a list of their own.
 */
export const WAITING_STATES: ReadonlySet<ReviewState> = new Set(TRANSITIONS.filter((t) => (DECISION_ACTIONS as readonly ReviewAction[]).includes(t.action)).map((t) => t.from));

/**
 * States nobody decides on any more: a person decided (a second decision is a conflict, not
 * a new decision), or the draft was replaced by a newer one.
 */
export const DECIDED_STATES: ReadonlySet<ReviewState> = reachedBy([...DECISION_ACTIONS, 'withdraw', 'retire', 'reuse']);

/** States a person's rejection leads to: the row gets no answer. */
export const REJECTED_STATES: ReadonlySet<ReviewState> = reachedBy(['reject']);

/**
 * The statuses an approved answer may carry. `unknown` says kotae could not tell: approved,
 * it reached the customer's file as an empty status cell beside an answer a named person
 * signed off. Adapters offer these when asking a person for a status.
 */
export const ANSWER_STATUSES: readonly Exclude<Status, 'unknown'>[] = ['yes', 'no', 'partial', 'not_applicable'];

/** States whose answer is final and belongs in the answer library: where approving (as-is, edited or by reuse) leads. */
export const APPROVED_STATES: ReadonlySet<ReviewState> = reachedBy(['approve', 'edit', 'reuse']);

export function findTransition(from: ReviewState, action: ReviewAction): TransitionRule | undefined {
  return TRANSITIONS.find((t) => t.from === from && t.action === action);
}

const VERB: Record<ReviewAction, string> = {
  approve: 'approve',
  edit: 'edit',
  reject: 'reject',
  mark_stale: 'mark stale',
  withdraw: 'withdraw',
  retire: 'retire',
  reuse: 'serve as approved',
};

/** The state `action` leads to from `from`, or KotaeError('forbidden') saying why not. */
export function transition(from: ReviewState, action: ReviewAction, context: { abstained?: boolean } = {}): ReviewState {
  const rule = findTransition(from, action);
  if (!rule) {
    throw new KotaeError('forbidden', `cannot ${VERB[action]} a review that is ${from}`);
  }
  if (rule.requiresAnswer && context.abstained) {
    throw new KotaeError(
      'forbidden',
      'the draft abstained, so there is no answer to approve as-is: supply the answer text (edit)',
    );
  }
  return rule.to;
}
