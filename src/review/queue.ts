/**
 * The review queue: every draft kotae produces waits here until a named approver decides.
 *
 * The workflow database (the persistence port, SQLite or PostgreSQL) is the system of
 * record. Each transition is one transaction that re-reads the row, checks the state table
 * and the approver, compare-and-sets on (state, version) and appends the audit event; so
 * two approvers racing on one draft produce exactly one transition, and a crash leaves
 * either the old row or the new row with its audit event, never one without the other.
 * The SQL is the port's common dialect (see store/database.ts); the tables are created by
 * store/migrations.ts.
 *
 * The functions (enqueueDraft, decide, markStaleByCitations, ...) take the database;
 * `ReviewQueue` adds resolving group membership before the decision and updating the
 * answer library after the commit.
 */
import { z } from 'zod';
import { Draft, ReviewState, Status } from '../domain.js';
import { hedgeIn, statusAssertedBy, stripDraftMarkers } from '../draft/markers.js';
import { InputError, KotaeError, type KotaeErrorCode } from '../errors.js';
import { createLogger, type Logger } from '../log.js';
import { placeholders, type Database, type Sql, type SqlValue } from '../store/database.js';
import {
  assertApprover,
  assertFourEyes,
  resolveMembership,
  type GroupMembership,
  type IsInGroup,
  type ReviewPolicy,
} from './authorize.js';
import { derivedReviewIds, reusedApprovalOf, standingApproval, type ApprovalRow } from './derived.js';
import { previousRejection, wording, type PreviousRejection, type SameQuestionTest } from './rejected.js';
import { ANSWER_STATUSES, APPROVED_STATES, DECIDED_STATES, findTransition, transition, TRANSITIONS, WAITING_STATES, type DecisionAction, type ReviewAction } from './states.js';
import {
  ApprovedAnswer,
  AuditEvent,
  EnqueueMeta,
  JobDecision,
  ReviewRecord,
  type AnswerLibrary,
  type ListFilter,
  type ReviewPage,
} from './types.js';

export type Clock = () => Date;
const systemClock: Clock = () => new Date();

// ---------------------------------------------------------------------------------------
// Rows: validated on the way out of the database so a hand-edited or older database fails loudly
// here instead of producing wrongly typed records.

const ReviewRow = z.object({
  id: z.number().int(),
  product: z.string(),
  question: z.string(),
  state: ReviewState,
  version: z.number().int(),
  answer: z.string(),
  status: Status,
  draft_json: z.string(),
  abstained: z.number().int(),
  asked_by: z.string().nullable(),
  channel: z.string().nullable(),
  job_id: z.string().nullable(),
  row_key: z.string().nullable(),
  row_generation: z.number().int(),
  location: z.string().nullable(),
  item_ref: z.string().nullable(),
  corpus_version: z.number().int(),
  created_at: z.string(),
  updated_at: z.string(),
  updated_by: z.string(),
  approved_by: z.string().nullable(),
  approved_at: z.string().nullable(),
  note: z.string().nullable(),
});
type ReviewRow = z.infer<typeof ReviewRow>;

const AuditRow = z.object({
  seq: z.number().int(),
  review_id: z.number().int(),
  action: z.string(),
  from_state: ReviewState.nullable(),
  to_state: ReviewState,
  from_version: z.number().int().nullable(),
  to_version: z.number().int(),
  actor: z.string(),
  at: z.string(),
  before_text: z.string().nullable(),
  after_text: z.string(),
  before_status: Status.nullable(),
  after_status: Status,
  corpus_version: z.number().int(),
  note: z.string().nullable(),
});

/**
 * The draft's citations are evidence for the draft's text. Once a person replaced the text,
 * they are not checked against it: the record (and so the customer's 出典 column, the
 * evidence register and the answer library) lists none, rather than rows that never
 * mention what the person wrote, signed off under their name. The draft keeps them, and
 * the review_citations rows still make the answer stale when those sources change.
 */
export function citationsOfAnswer(answer: string, draft: Draft): Draft['citations'] {
  return sameAnswer(answer, draft.draft) ? draft.citations : [];
}

/**
 * Whether two answer texts say the same thing: kotae's own 【要確認】/[Needs review] marker and
 * the space around the text are no part of what a person approves. The one comparison behind
 * "did the person change the text" (edit or approval, a decision already made, the draft's
 * evidence), so a decision is never an edit in one place and the same text in another.
 */
function sameAnswer(a: string, b: string): boolean {
  return stripDraftMarkers(a).trim() === stripDraftMarkers(b).trim();
}

function toRecord(row: ReviewRow): ReviewRecord {
  const draft = Draft.parse(JSON.parse(row.draft_json));
  return ReviewRecord.parse({
    id: String(row.id),
    product: row.product,
    question: row.question,
    state: row.state,
    version: row.version,
    answer: row.answer,
    status: row.status,
    citations: citationsOfAnswer(row.answer, draft),
    draft,
    askedBy: row.asked_by,
    channel: row.channel,
    jobId: row.job_id,
    rowKey: row.row_key,
    generation: row.row_generation,
    location: row.location,
    itemRef: row.item_ref,
    corpusVersion: row.corpus_version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
    approvedBy: row.approved_by,
    approvedAt: row.approved_at,
    note: row.note,
    derivedFrom: reusedApprovalOf(draft),
  });
}

function toAuditEvent(raw: unknown): AuditEvent {
  const row = AuditRow.parse(raw);
  return AuditEvent.parse({
    seq: row.seq,
    reviewId: String(row.review_id),
    action: row.action,
    fromState: row.from_state,
    toState: row.to_state,
    fromVersion: row.from_version,
    toVersion: row.to_version,
    actor: row.actor,
    at: row.at,
    beforeText: row.before_text,
    afterText: row.after_text,
    beforeStatus: row.before_status,
    afterStatus: row.after_status,
    corpusVersion: row.corpus_version,
    note: row.note,
  });
}

/** `12` or `#12` → 12. */
export function parseReviewId(id: string): number {
  const m = /^#?(\d{1,15})$/.exec(id.trim());
  if (!m?.[1]) throw new InputError(`"${id}" is not a review id`, 'Review ids are numbers, e.g. 12 or #12.', 'list-reviews');
  return Number(m[1]);
}

async function selectRow(db: Sql, id: number): Promise<ReviewRow | undefined> {
  const raw = await db.get('SELECT * FROM reviews WHERE id = ?', [id]);
  return raw === undefined ? undefined : ReviewRow.parse(raw);
}

async function requireRow(db: Sql, id: number): Promise<ReviewRow> {
  const row = await selectRow(db, id);
  if (!row) throw new KotaeError('not_found', `review #${id} does not exist`, undefined, { remedy: 'list-reviews' });
  return row;
}

interface AuditInsert {
  reviewId: number;
  action: 'enqueue' | ReviewAction;
  fromState: ReviewState | null;
  toState: ReviewState;
  fromVersion: number | null;
  toVersion: number;
  actor: string;
  at: string;
  beforeText: string | null;
  afterText: string;
  beforeStatus: Status | null;
  afterStatus: Status;
  corpusVersion: number;
  note: string | null;
}

async function appendAudit(tx: Sql, e: AuditInsert): Promise<AuditEvent> {
  const row = await tx.get(
    `INSERT INTO review_audit (review_id, action, from_state, to_state, from_version, to_version, actor, at,
       before_text, after_text, before_status, after_status, corpus_version, note)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
    [e.reviewId, e.action, e.fromState, e.toState, e.fromVersion, e.toVersion, e.actor, e.at, e.beforeText, e.afterText, e.beforeStatus, e.afterStatus, e.corpusVersion, e.note],
  );
  return toAuditEvent(row);
}

interface Change {
  action: ReviewAction;
  to: ReviewState;
  actor: string;
  at: string;
  answer: string;
  status: Status;
  corpusVersion: number;
  note: string | null;
  /** Who approved and when (null for a non-approving move), or keep what the row has. */
  approval: { by: string | null; at: string | null } | 'unchanged';
}

/**
 * One state change: compare-and-set on (state, version), then its audit event, inside the
 * caller's transaction. A row that moved meanwhile changes nothing and raises a conflict.
 */
async function applyTransition(tx: Sql, id: number, row: ReviewRow, change: Change, conflict: () => Promise<KotaeError>): Promise<AuditEvent> {
  const sets = ['state = ?', 'version = version + 1', 'answer = ?', 'status = ?', 'corpus_version = ?', 'updated_at = ?', 'updated_by = ?', 'note = ?'];
  const params: SqlValue[] = [change.to, change.answer, change.status, change.corpusVersion, change.at, change.actor, change.note];
  if (change.approval !== 'unchanged') {
    sets.push('approved_by = ?', 'approved_at = ?');
    params.push(change.approval.by, change.approval.at);
  }
  const changed = await tx.run(`UPDATE reviews SET ${sets.join(', ')} WHERE id = ? AND state = ? AND version = ?`, [...params, id, row.state, row.version]);
  if (changed !== 1) throw await conflict();
  return appendAudit(tx, {
    reviewId: id,
    action: change.action,
    fromState: row.state,
    toState: change.to,
    fromVersion: row.version,
    toVersion: row.version + 1,
    actor: change.actor,
    at: change.at,
    beforeText: row.answer,
    afterText: change.answer,
    beforeStatus: row.status,
    afterStatus: change.status,
    corpusVersion: change.corpusVersion,
    note: change.note,
  });
}

function parseInput<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new InputError(`invalid ${what}: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'rejected'}`);
}

// ---------------------------------------------------------------------------------------
// Enqueue and read

/**
 * Puts a draft in the queue: `needs_human` when it abstained, fell back to another
 * drafter or was flagged, otherwise `drafted`. With both jobId and rowKey the call is
 * idempotent (a resumed bulk job gets the existing review back, no second entry).
 */
export async function enqueueDraft(db: Database, draft: Draft, meta: EnqueueMeta, options: { now?: Clock; fourEyes?: boolean } = {}): Promise<ReviewRecord> {
  const d = parseInput(Draft, draft, 'draft');
  const m = parseInput(EnqueueMeta, meta, 'enqueue metadata');
  const waiting: ReviewState = d.needsHuman || d.abstained || d.fallback !== null ? 'needs_human' : 'drafted';
  const now = options.now ?? systemClock;
  return db.transaction(async (tx): Promise<ReviewRecord> => {
    if (m.jobId !== undefined && m.rowKey !== undefined) {
      const existing = await tx.get('SELECT * FROM reviews WHERE job_id = ? AND row_key = ? AND row_generation = ?', [m.jobId, m.rowKey, m.generation ?? 0]);
      if (existing !== undefined) return toRecord(ReviewRow.parse(existing));
    }
    const at = now().toISOString();
    const actor = `kotae:${d.drafter}`;
    const inserted = await tx.get(
      `INSERT INTO reviews (product, question, state, version, answer, status, draft_json, abstained, asked_by,
         channel, job_id, row_key, row_generation, location, item_ref, corpus_version, created_at, updated_at, updated_by, approved_by, approved_at, note)
       VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?) RETURNING id`,
      [
        d.product,
        d.question,
        waiting,
        d.draft,
        d.status,
        JSON.stringify(d),
        d.abstained ? 1 : 0,
        m.askedBy,
        m.channel ?? null,
        m.jobId ?? null,
        m.rowKey ?? null,
        m.generation ?? 0,
        m.location ?? null,
        m.itemRef ?? null,
        d.corpusVersion,
        at,
        at,
        actor,
        waiting === 'needs_human' ? d.reason : null,
      ],
    );
    const id = z.object({ id: z.number().int() }).parse(inserted).id;
    for (const c of d.citations) {
      await tx.run('INSERT INTO review_citations (review_id, passage_id) VALUES (?, ?) ON CONFLICT (review_id, passage_id) DO NOTHING', [id, c.id]);
    }
    await appendAudit(tx, {
      reviewId: id,
      action: 'enqueue',
      fromState: null,
      toState: waiting,
      fromVersion: null,
      toVersion: 1,
      actor,
      at,
      beforeText: null,
      afterText: d.draft,
      beforeStatus: null,
      afterStatus: d.status,
      corpusVersion: d.corpusVersion,
      note: m.askedBy === null ? null : `asked by ${m.askedBy}`,
    });
    const served = waiting === 'drafted' ? await servedApproval(tx, d, m.askedBy, options.fourEyes ?? false) : null;
    if (served) await serveAsApproved(tx, await requireRow(tx, id), served, { actor: REUSE_ACTOR, at });
    return toRecord(await requireRow(tx, id));
  });
}

/**
 * The approval a draft may be served as (./derived.ts): the draft is an unflagged reuse of
 * approval #N for the same question, #N still stands (not retired, not stale), and the draft
 * says what #N says, word for word and with its status. Its approver is the named person behind
 * the answer. Not with four-eyes when that person is the one asking: their own approval would
 * answer their own question unseen by anyone else.
 */
async function servedApproval(tx: Sql, d: Draft, askedBy: string | null, fourEyes: boolean): Promise<ApprovalRow | null> {
  const id = reusedApprovalOf(d);
  if (id === null) return null;
  const approval = await standingApproval(tx, id);
  if (!approval || approval.product !== d.product || approval.status !== d.status || !sameAnswer(approval.answer, d.draft)) return null;
  // Approved with nobody looking only for the question the person approved, word for word: a
  // reuse for a near question ("Is MFA required for all users?" after "Is MFA required?") can
  // widen or shift what is asked in a word the library's match does not weigh, so a person confirms it.
  if (wording(approval.question) !== wording(d.question)) return null;
  return fourEyes && askedBy !== null && askedBy === approval.approved_by ? null : approval;
}

/** Who moves a review served from an approval: kotae's queue, on the approval's approver's word (approved_by). */
const REUSE_ACTOR = 'kotae:reuse';

/**
 * A draft just filed, approved on the standing approval it repeats: the state table's `reuse`
 * transition, audited like any other, naming the approval and the person who approved it. The
 * approval's approver and time become the review's, so the person behind the answer is named.
 */
async function serveAsApproved(tx: Sql, row: ReviewRow, approval: ApprovalRow, o: { actor: string; at: string }): Promise<void> {
  const by = approval.approved_by ?? '';
  const when = approval.approved_at ?? '';
  await applyTransition(
    tx,
    row.id,
    row,
    {
      action: 'reuse',
      to: transition(row.state, 'reuse'),
      actor: o.actor,
      at: o.at,
      answer: row.answer,
      status: row.status,
      corpusVersion: row.corpus_version,
      note: `served from approval #${approval.id}: approved by ${by} on ${when.slice(0, 10)} for the same question`,
      approval: { by, at: when },
    },
    async () => new KotaeError('conflict', `review #${row.id} changed concurrently`),
  );
}

export async function getReview(db: Sql, reviewId: string): Promise<ReviewRecord> {
  return toRecord(await requireRow(db, parseReviewId(reviewId)));
}

/** Every event of one review, oldest first. */
export async function getAuditTrail(db: Sql, reviewId: string): Promise<AuditEvent[]> {
  const id = parseReviewId(reviewId);
  await requireRow(db, id);
  return (await db.all('SELECT * FROM review_audit WHERE review_id = ? ORDER BY seq', [id])).map(toAuditEvent);
}


export async function listReviews(db: Sql, filter: ListFilter = {}): Promise<ReviewPage> {
  const limit = filter.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new InputError(`page size must be 1..500, got ${limit}`);
  const where: string[] = [];
  const params: SqlValue[] = [];
  if (filter.product !== undefined) {
    where.push('product = ?');
    params.push(filter.product);
  }
  if (filter.state !== undefined) {
    const states = typeof filter.state === 'string' ? [filter.state] : [...filter.state];
    for (const s of states) parseInput(ReviewState, s, 'state filter');
    if (states.length === 0) where.push('1 = 0');
    else {
      where.push(`state IN ${placeholders(states.length)}`);
      params.push(...states);
    }
  }
  if (filter.jobId !== undefined) {
    where.push('job_id = ?');
    params.push(filter.jobId);
  }
  if (filter.askedBy !== undefined) {
    where.push('asked_by = ?');
    params.push(filter.askedBy);
  }
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
  if (filter.order === 'newest' || filter.offset !== undefined) {
    if (filter.after !== undefined) throw new InputError('pages are addressed by offset or by a cursor, not both');
    const offset = filter.offset ?? 0;
    if (!Number.isInteger(offset) || offset < 0) throw new InputError(`offset must be a whole number ≥ 0, got ${offset}`);
    const total = z.object({ n: z.number().int() }).parse(await db.get(`SELECT COUNT(*) AS n FROM reviews ${clause}`, params)).n;
    const items = (await db.all(`SELECT * FROM reviews ${clause} ORDER BY id ${filter.order === 'newest' ? 'DESC' : 'ASC'} LIMIT ? OFFSET ?`, [...params, limit, offset])).map((r) =>
      toRecord(ReviewRow.parse(r)),
    );
    return { items, total, next: null };
  }
  if (filter.after !== undefined) {
    where.push('id > ?');
    params.push(parseReviewId(filter.after));
  }
  const sql = `SELECT * FROM reviews ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id LIMIT ?`;
  // One extra row tells whether there is a next page without a COUNT query.
  const rows = (await db.all(sql, [...params, limit + 1])).map((r) => ReviewRow.parse(r));
  const items = rows.slice(0, limit).map(toRecord);
  const last = items[items.length - 1];
  return { items, total: null, next: rows.length > limit && last ? last.id : null };
}

export function toApprovedAnswer(review: ReviewRecord): ApprovedAnswer {
  if (!APPROVED_STATES.has(review.state) || review.approvedBy === null || review.approvedAt === null) {
    throw new KotaeError('input', `review #${review.id} is ${review.state}, not approved`);
  }
  return ApprovedAnswer.parse({
    reviewId: review.id,
    product: review.product,
    question: review.question,
    answer: review.answer,
    status: review.status,
    state: review.state,
    approver: review.approvedBy,
    approvedAt: review.approvedAt,
    citations: review.citations,
    ...(review.derivedFrom === null ? {} : { derivedFrom: review.derivedFrom }),
  });
}

/** Every currently approved/edited answer: the source `kotae ingest --rebuild` rebuilds the answer library from. */
export async function listApprovedAnswers(db: Sql): Promise<ApprovedAnswer[]> {
  const approved = [...APPROVED_STATES];
  return (await db.all(`SELECT * FROM reviews WHERE state IN ${placeholders(approved.length)} ORDER BY id`, approved)).map((r) => toApprovedAnswer(toRecord(ReviewRow.parse(r))));
}

/** Each row of a bulk job with its decision, in enqueue order, for writing the answered file. */
export async function getDecisionsForJob(db: Sql, jobId: string): Promise<JobDecision[]> {
  return (await db.all('SELECT * FROM reviews WHERE job_id = ? ORDER BY id', [jobId])).map((r) => {
      const review = toRecord(ReviewRow.parse(r));
      return JobDecision.parse({
        reviewId: review.id,
        rowKey: review.rowKey,
        generation: review.generation,
        question: review.question,
        state: review.state,
        final: APPROVED_STATES.has(review.state),
        answer: review.answer,
        status: review.status,
        approvedBy: APPROVED_STATES.has(review.state) ? review.approvedBy : null,
        approvedAt: APPROVED_STATES.has(review.state) ? review.approvedAt : null,
        note: review.note,
        citations: review.citations,
      });
    });
}

// ---------------------------------------------------------------------------------------
// Transitions

export interface DecisionInput {
  action: DecisionAction;
  /** Slack user id of the person deciding (the CLI's --as). */
  actor: string;
  /** New answer text. On `approve`, a text that differs from the current answer makes it an edit. */
  text?: string;
  status?: Status;
  /** Rejection reason (required for reject) or a note on an approval/edit. */
  note?: string;
  /**
   * The version the decider saw (Slack buttons carry it). If the review has moved on since,
   * the decision is refused with 'conflict' instead of applying to something they did not see.
   */
  expectedVersion?: number;
  /** Corpus version the decider checked against; defaults to the review's. */
  corpusVersion?: number;
}

export interface DecideContext {
  policy: ReviewPolicy;
  /** Membership of policy.approverGroup for input.actor, resolved by the caller. */
  membership?: GroupMembership;
  now?: Clock;
}

export interface TransitionResult {
  before: ReviewRecord;
  review: ReviewRecord;
  event: AuditEvent;
  /** What the approver should know about what they approved (a hedged wording); adapters print them. */
  warnings: string[];
}

function conflictFor(id: number, row: ReviewRow, expectedVersion: number | undefined): KotaeError | undefined {
  if (DECIDED_STATES.has(row.state)) {
    return new KotaeError('conflict', `review #${id} already ${row.state} by ${row.updated_by} at ${row.updated_at}`);
  }
  if (expectedVersion !== undefined && row.version !== expectedVersion) {
    return new KotaeError(
      'conflict',
      `review #${id} changed since you looked: now ${row.state} (version ${row.version}, by ${row.updated_by} at ${row.updated_at})`,
    );
  }
  return undefined;
}

/**
 * Applies one person's decision atomically: the whole check-and-set runs inside one
 * transaction. Throws KotaeError: 'input' (bad arguments),
 * 'forbidden' (not an approver, four-eyes, or a transition the table forbids),
 * 'not_found', 'conflict' (someone decided first, or the review moved past expectedVersion).
 */
export async function decide(db: Database, reviewId: string, input: DecisionInput, context: DecideContext): Promise<TransitionResult> {
  const checked = checkDecision(reviewId, input, context);
  return db.transaction((tx) => decideIn(tx, checked, input, context));
}

interface CheckedDecision {
  id: number;
  actor: string;
  text: string | undefined;
  note: string | null;
}

/** The checks that need no database: arguments, then the role (a non-approver learns nothing about the review). */
function checkDecision(reviewId: string, input: DecisionInput, context: DecideContext): CheckedDecision {
  const id = parseReviewId(reviewId);
  const actor = input.actor.trim();
  if (actor === '') throw new InputError('who is deciding is required', 'Pass --as YOUR_SLACK_USER_ID.');
  const text = input.text?.trim();
  const note = input.note?.trim() || null;
  if (input.text !== undefined && text === '') throw new InputError('the answer text is empty');
  if (input.action === 'edit' && text === undefined && input.status === undefined) {
    throw new InputError('edit needs the new answer text', 'Pass --text "...".');
  }
  if (input.action === 'reject' && note === null) throw new InputError('reject needs a reason', 'Pass --reason "...".');
  if (input.status !== undefined) parseInput(Status, input.status, 'status');
  // Role first: a non-approver learns nothing about the review's state.
  assertApprover(context.policy, actor, context.membership);
  return { id, actor, text, note };
}

/** The decision inside the caller's transaction; throws before writing anything when it is refused. */
async function decideIn(tx: Sql, { id, actor, text, note }: CheckedDecision, input: DecisionInput, context: DecideContext): Promise<TransitionResult> {
  const now = context.now ?? systemClock;
  const row = await requireRow(tx, id);
  const conflict = conflictFor(id, row, input.expectedVersion);
  if (conflict) throw conflict;

  // "approve with text" is an edit; an "edit" that changes nothing is a plain approval,
  // so the state says truthfully whether the approver changed the answer. kotae's own
  // review marker is no part of the answer: retyping the draft without it is no edit.
  const textChanged = text !== undefined && !sameAnswer(text, row.answer);
  const changed = textChanged || (input.status !== undefined && input.status !== row.status);
  let action: DecisionAction = input.action;
  if (action === 'approve' && changed) action = 'edit';
  else if (action === 'edit' && !changed) action = 'approve';
  // The draft's status was judged for the draft's text: kept silently next to a person's
  // own claim, the customer would read "partial" beside "we encrypt everything".
  if (action === 'edit' && textChanged && input.status === undefined) {
    throw new InputError(
      `review #${id}: a replaced answer needs its status; the draft's "${row.status}" was for the draft's text`,
      `Pass --status ${[...ANSWER_STATUSES, 'unknown'].join('|')} with --text (the draft said ${row.status}; unknown leaves the status cell empty).`,
    );
  }

  assertFourEyes(context.policy, action, actor, row.asked_by);
  const to = transition(row.state, action, { abstained: row.abstained === 1 });

  const at = now().toISOString();
  const approved = APPROVED_STATES.has(to);
  // Approval vouches for the text: the 【要確認】/[Needs review] marker never reaches the
  // answer library or the customer's file.
  const chosen = action === 'edit' && text !== undefined ? text : row.answer;
  const answer = approved ? stripDraftMarkers(chosen) : chosen;
  const status = action === 'edit' ? (input.status ?? row.status) : row.status;
  if (approved) refuseContradicted(id, answer, status);
  // The text is the one kotae drafted whenever the person did not replace it, whatever
  // status they chose: a hedge changes nothing by standing beside a status it agrees with.
  const hedge = approved && !textChanged ? hedgeIn(answer) : null;
  const warnings = [
    ...(hedge === null
      ? []
      : [
          // Said on every surface (a command, a workbook row, a Slack button): no surface's words here.
          `review #${id}: the approved text is kotae's hedge ("${hedge}"); the customer will read it as written. ` +
            'To answer plainly, decide it with your own answer and its status instead.',
        ]),
    ...(approved ? statuslessWarning(id, status) : []),
  ];
  const corpusVersion = input.corpusVersion ?? row.corpus_version;
  // SQLite holds the write lock for the whole transaction, so the compare-and-set cannot
  // lose there; on a backend with row versions it is what refuses the second writer.
  const event = await applyTransition(
    tx,
    id,
    row,
    { action, to, actor, at, answer, status, corpusVersion, note, approval: approved ? { by: actor, at } : { by: null, at: null } },
    async () => conflictFor(id, await requireRow(tx, id), row.version) ?? new KotaeError('conflict', `review #${id} changed concurrently`),
  );
  return { before: toRecord(row), review: toRecord(await requireRow(tx, id)), event, warnings };
}

/**
 * What an approval vouches for reaches the customer as one row: text and status. A text whose
 * lead states another status (kotae's "Possibly yes: …" kept while only the status was changed
 * to no) would say both: refused. Said on every surface (a command, a workbook row, a Slack
 * button): no surface's words.
 */
function refuseContradicted(id: number, answer: string, status: Status): void {
  const stated = statusAssertedBy(answer);
  if (stated !== null && stated !== status) {
    throw new InputError(
      `review #${id}: the answer's text states "${stated}" but the status is "${status}"; the customer would read both`,
      `Give the answer's own text that states the new status, together with that status, or keep the status "${stated}" the text states.`,
    );
  }
}

/**
 * An approval without a status is allowed: an open question ("where is the data hosted?") has
 * no yes or no, and not_applicable would say the control does not apply. But the approver
 * should know the customer's status cell stays empty.
 */
function statuslessWarning(id: number, status: Status): string[] {
  if (status !== 'unknown') return [];
  const choices = `${ANSWER_STATUSES.slice(0, -1).join(', ')} or ${ANSWER_STATUSES.at(-1) ?? ''}`;
  return [`review #${id}: approved without a status, so a questionnaire's status cell stays empty for it (a status is one of ${choices}).`];
}

// ---------------------------------------------------------------------------------------
// Many decisions at once (`review approve 1 2 3`, selections, review workbooks)

/** One decision of a batch. `line` names it in reports: the workbook row, or the position on the command line. */
export interface BatchDecision {
  line: number;
  reviewId: string;
  action: DecisionAction;
  text?: string;
  status?: Status;
  note?: string;
  /** The version the decider saw (a workbook row carries it): a review that moved on since is a conflict. */
  expectedVersion?: number;
  /** The job the decider believes the review belongs to: any other job makes the row invalid. */
  jobId?: string;
}

export interface BatchApplied {
  line: number;
  reviewId: string;
  from: ReviewState;
  to: ReviewState;
  /** When the decision was recorded (ISO 8601). */
  at: string;
  /** See TransitionResult.warnings: print them next to the decision. */
  warnings: string[];
}

export interface BatchReport {
  dryRun: boolean;
  /** Decisions made (or, on a dry run, that would be made). */
  applied: BatchApplied[];
  /** Already decided exactly so by the same person: importing a file twice changes nothing. */
  unchanged: Array<{ line: number; reviewId: string; state: ReviewState }>;
  /** Decided or changed by someone else meanwhile: skipped, with who and when. */
  conflicts: Array<{ line: number; reviewId: string; state: ReviewState; by: string; at: string }>;
  /** Refused decisions: while any exists, nothing of the batch is applied. `code` says why (input, not_found, forbidden). */
  invalid: Array<{ line: number; reviewId: string | null; error: string; code: KotaeErrorCode; hint?: string }>;
}

/** Thrown inside the batch transaction to roll it back (dry run, invalid rows) while keeping the report. */
class RollBack extends Error {}

/** Whether `row` already holds what `d` asks for, decided by `actor` (a second import of the same file). */
function alreadyDecided(row: ReviewRow, d: BatchDecision, actor: string): boolean {
  if (row.updated_by !== actor || !DECIDED_STATES.has(row.state)) return false;
  if (d.action === 'reject') return row.state === 'rejected' && (row.note ?? '') === (d.note?.trim() ?? '');
  if (!APPROVED_STATES.has(row.state)) return false;
  return (d.text === undefined || sameAnswer(d.text, row.answer)) && (d.status === undefined || d.status === row.status);
}

/**
 * Applies a batch of decisions by one person in one IMMEDIATE transaction, each through
 * `decide` (same approver, four-eyes and state rules, each audited). A decision someone
 * else got to first is a conflict and skipped; an invalid one (unknown id, another job,
 * a refused transition, missing text or reason) rolls the whole batch back, so nothing is
 * half-applied. A decision already made exactly so by the same person is `unchanged`.
 * `dryRun` reports the same without committing anything.
 */
export async function decideBatch(
  db: Database,
  decisions: readonly BatchDecision[],
  context: DecideContext & { actor: string; dryRun?: boolean },
): Promise<{ report: BatchReport; records: ReviewRecord[] }> {
  const actor = context.actor.trim();
  if (actor === '') throw new InputError('who is deciding is required', 'Pass --as YOUR_SLACK_USER_ID.');
  assertApprover(context.policy, actor, context.membership);
  const report: BatchReport = { dryRun: context.dryRun ?? false, applied: [], unchanged: [], conflicts: [], invalid: [] };
  const records: ReviewRecord[] = [];
  const run = async (tx: Sql): Promise<void> => {
    // Cleared first: a transaction the engine retries runs this again from the start.
    report.applied.length = 0;
    report.unchanged.length = 0;
    report.conflicts.length = 0;
    report.invalid.length = 0;
    records.length = 0;
    for (const d of decisions) {
      let id: number;
      try {
        id = parseReviewId(d.reviewId);
      } catch (error) {
        report.invalid.push({ line: d.line, reviewId: null, error: error instanceof Error ? error.message : String(error), code: 'input' });
        continue;
      }
      const row = await selectRow(tx, id);
      if (!row) {
        report.invalid.push({ line: d.line, reviewId: String(id), error: `review #${id} does not exist`, code: 'not_found' });
        continue;
      }
      if (d.jobId !== undefined && row.job_id !== d.jobId) {
        report.invalid.push({ line: d.line, reviewId: String(id), error: `review #${id} does not belong to job ${d.jobId}`, code: 'input' });
        continue;
      }
      if (alreadyDecided(row, d, actor)) {
        report.unchanged.push({ line: d.line, reviewId: String(id), state: row.state });
        continue;
      }
      try {
        const input: DecisionInput = { action: d.action, actor, text: d.text, status: d.status, note: d.note, expectedVersion: d.expectedVersion ?? row.version };
        const result = await decideIn(tx, checkDecision(String(id), input, context), input, context);
        report.applied.push({ line: d.line, reviewId: String(id), from: result.before.state, to: result.review.state, at: result.review.updatedAt, warnings: result.warnings });
        records.push(result.review);
      } catch (error) {
        if (!(error instanceof KotaeError)) throw error;
        if (error.code === 'conflict') {
          const now = await requireRow(tx, id);
          report.conflicts.push({ line: d.line, reviewId: String(id), state: now.state, by: now.updated_by, at: now.updated_at });
        } else {
          report.invalid.push({ line: d.line, reviewId: String(id), error: error.message, code: error.code, ...(error.hint === undefined ? {} : { hint: error.hint }) });
        }
      }
    }
    if (report.invalid.length > 0 || report.dryRun) throw new RollBack();
  };
  try {
    // A refused decision throws before it writes, so the batch needs no savepoints.
    await db.transaction(run);
  } catch (error) {
    if (!(error instanceof RollBack)) throw error;
    records.length = 0;
    // Nothing was applied: do not report the valid rows as if they were.
    if (report.invalid.length > 0) report.applied.length = 0;
  }
  return { report, records };
}

/** The confidence at or above which Slack offers to approve a job's unflagged drafts together. */
export const SELECTION_CONFIDENCE = 0.9;

/**
 * Reviews a selection may approve: waiting drafts of one job at or above a confidence that
 * nothing flagged (not abstained, no fallback, not marked for a human) and that state a
 * status, oldest first. Flagged drafts are approved one by one, by someone who read them;
 * one without a status would be refused and roll the whole selection back.
 */
export async function approvableByConfidence(db: Sql, filter: { jobId: string; minConfidence: number; states?: readonly ReviewState[] }): Promise<ReviewRecord[]> {
  // By default the run's fresh drafts; stale ones (their source changed since) only when asked for.
  const states = filter.states ?? ['drafted'];
  if (!(filter.minConfidence >= 0 && filter.minConfidence <= 1)) throw new InputError(`minimum confidence must be between 0 and 1, got ${filter.minConfidence}`);
  for (const state of states) {
    if (state !== 'drafted' && state !== 'stale') {
      throw new InputError(`only drafted or stale reviews can be approved by selection, not ${state}`, 'Flagged drafts are approved one by one.', 'decide-one-by-one');
    }
  }
  if (states.length === 0) return [];
  return (await db.all(`SELECT * FROM reviews WHERE job_id = ? AND state IN ${placeholders(states.length)} ORDER BY id`, [filter.jobId, ...states]))
    .map((r) => toRecord(ReviewRow.parse(r)))
    .filter((r) => !r.draft.needsHuman && !r.draft.abstained && r.draft.fallback === null && r.status !== 'unknown' && r.draft.confidence >= filter.minConfidence);
}

/**
 * A newer draft of the same questionnaire row replaced this waiting one: it leaves the queue
 * as `withdrawn` (with the reason in its audit) so nobody approves text that is no longer
 * the row's draft. Done by kotae itself; a decided review is left as it is (returns null).
 */
export async function withdrawReview(db: Database, reviewId: string, options: { note: string; actor?: string; now?: Clock }): Promise<ReviewRecord | null> {
  const id = parseReviewId(reviewId);
  const actor = options.actor ?? 'kotae:bulk';
  const at = (options.now ?? systemClock)().toISOString();
  return db.transaction(async (tx): Promise<ReviewRecord | null> => {
    const row = await requireRow(tx, id);
    if (DECIDED_STATES.has(row.state)) return null;
    const to = transition(row.state, 'withdraw');
    await applyTransition(
      tx,
      id,
      row,
      { action: 'withdraw', to, actor, at, answer: row.answer, status: row.status, corpusVersion: row.corpus_version, note: options.note, approval: 'unchanged' },
      async () => new KotaeError('conflict', `review #${id} changed concurrently`),
    );
    return toRecord(await requireRow(tx, id));
  });
}

/**
 * An approver takes an approved (or edited) answer out of the answer library: it becomes
 * `withdrawn`, audited with who, when and why. Anything else is refused ('forbidden' by the
 * state table); a non-approver learns nothing about the review.
 *
 * What was derived from it goes in the same transaction (./derived.ts): approvals that are
 * copies of its text (served from it, or a reuse approved as it stood) are retired with it, and
 * theirs in turn; drafts still waiting that reuse it are withdrawn, so nobody approves the
 * retired text again. An approval whose text a person rewrote from a reuse is their own answer:
 * it is kept and listed (`derived.kept`), unless `withDerived` retires those too.
 */
export async function retireReview(
  db: Database,
  reviewId: string,
  input: { actor: string; reason: string; withDerived?: boolean },
  context: DecideContext,
): Promise<RetireResult> {
  const id = parseReviewId(reviewId);
  const actor = input.actor.trim();
  if (actor === '') throw new InputError('who is retiring the answer is required', 'Pass --as YOUR_SLACK_USER_ID.');
  const note = input.reason.trim();
  if (note === '') throw new InputError('retiring needs a reason', 'Pass --reason "...".');
  assertApprover(context.policy, actor, context.membership);
  const at = (context.now ?? systemClock)().toISOString();
  return db.transaction(async (tx): Promise<RetireResult> => {
    const row = await requireRow(tx, id);
    // Retired (or withdrawn) already: the library does not serve it, which is what was asked.
    // Like deciding the same way twice, nothing changes and nothing is refused.
    if (row.state === 'withdrawn') {
      const last = await tx.get('SELECT * FROM review_audit WHERE review_id = ? ORDER BY seq DESC LIMIT 1', [id]);
      const record = toRecord(row);
      return { before: record, review: record, event: toAuditEvent(last), warnings: [], derived: { retired: [], withdrawn: [], kept: [] }, unchanged: true };
    }
    const to = transition(row.state, 'retire');
    const event = await applyTransition(
      tx,
      id,
      row,
      { action: 'retire', to, actor, at, answer: row.answer, status: row.status, corpusVersion: row.corpus_version, note, approval: 'unchanged' },
      async () => new KotaeError('conflict', `review #${id} changed concurrently`),
    );
    const derived = await retireDerived(tx, String(id), { actor, at, reason: note, withDerived: input.withDerived ?? false });
    return { before: toRecord(row), review: toRecord(await requireRow(tx, id)), event, warnings: [], derived, unchanged: false };
  });
}

/** What retiring an approval did to the answers derived from it (see retireReview). */
export interface DerivedOutcome {
  /** Approvals retired with it: copies of its text (and, with withDerived, rewritten ones). */
  retired: ReviewRecord[];
  /** Drafts that reused it and were still waiting. */
  withdrawn: ReviewRecord[];
  /** Approvals a person rewrote from a reuse of it: still served. */
  kept: ReviewRecord[];
}

export interface RetireResult extends TransitionResult {
  derived: DerivedOutcome;
  /** It was withdrawn already (retired before, or replaced before anyone decided): nothing changed; `event` is the one that took it out. */
  unchanged: boolean;
}

async function retireDerived(tx: Sql, sourceId: string, o: { actor: string; at: string; reason: string; withDerived: boolean }): Promise<DerivedOutcome> {
  const out: DerivedOutcome = { retired: [], withdrawn: [], kept: [] };
  const seen = new Set<number>([Number(sourceId)]);
  const queue: Array<{ id: number; from: string }> = (await derivedReviewIds(tx, sourceId)).map((id) => ({ id, from: sourceId }));
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    if (seen.has(next.id)) continue;
    seen.add(next.id);
    const row = await requireRow(tx, next.id);
    const record = toRecord(row);
    const conflict = async (): Promise<KotaeError> => new KotaeError('conflict', `review #${next?.id ?? ''} changed concurrently`);
    const base = { actor: o.actor, at: o.at, answer: row.answer, status: row.status, corpusVersion: row.corpus_version, approval: 'unchanged' as const };
    if (APPROVED_STATES.has(row.state)) {
      // The text is still the reused approval's (a copy), not one a person wrote in its place.
      const copy = sameAnswer(row.answer, record.draft.draft);
      if (!copy && !o.withDerived) {
        out.kept.push(record);
        continue;
      }
      await applyTransition(tx, next.id, row, { ...base, action: 'retire', to: transition(row.state, 'retire'), note: `retired with #${next.from}, which it was ${copy ? 'a copy' : 'rewritten'} of: ${o.reason}` }, conflict);
      out.retired.push(toRecord(await requireRow(tx, next.id)));
      queue.push(...(await derivedReviewIds(tx, String(next.id))).map((id) => ({ id, from: String(next?.id ?? '') })));
    } else if (findTransition(row.state, 'withdraw')) {
      // Still waiting for a decision (the state table lets it be withdrawn).
      await applyTransition(tx, next.id, row, { ...base, action: 'withdraw', to: transition(row.state, 'withdraw'), note: `the approval it reuses (#${next.from}) was retired: ${o.reason}` }, conflict);
      out.withdrawn.push(toRecord(await requireRow(tx, next.id)));
    }
  }
  return out;
}

/**
 * Ingest found that these passages changed: every approved/edited (or already stale) review
 * citing one of them becomes stale, with an audit event naming the changed sources.
 * Returns the affected reviews. Does not touch the answer library: `ReviewQueue.markStaleByCitations`
 * does, or the caller removes the returned ids itself.
 */
export async function markStaleByCitations(
  db: Database,
  changedPassageIds: string[],
  corpusVersion: number,
  note: string,
  options: { actor?: string; now?: Clock } = {},
): Promise<ReviewRecord[]> {
  return (await markStaleWithOrigins(db, changedPassageIds, corpusVersion, note, options)).map((m) => m.review);
}

/** One review markStaleByCitations moved, with the state it was in before. */
export interface StaleMarking {
  review: ReviewRecord;
  from: ReviewState;
}

/**
 * What re-ingest did to the record, by what each review was before: approved answers that
 * left the answer library, drafts still waiting for a decision that now wait as stale, and
 * already stale ones that gained another changed source. Counting them together as
 * "approved answers returned to the review queue" told an operator 44 approvals were
 * undone when most were never approved.
 */
export interface StaleSummary {
  approved: number;
  waiting: number;
  alreadyStale: number;
}

export function summariseStale(markings: readonly StaleMarking[]): StaleSummary {
  const first = new Map<string, ReviewState>();
  // A review marked twice (a chain of approved answers) counts once, by its first state.
  for (const m of markings) if (!first.has(m.review.id)) first.set(m.review.id, m.from);
  const states = [...first.values()];
  return {
    approved: states.filter((s) => APPROVED_STATES.has(s)).length,
    // Waiting for a decision, and not already where going stale leads.
    waiting: states.filter((s) => WAITING_STATES.has(s) && findTransition(s, 'mark_stale')?.to !== s).length,
    alreadyStale: states.filter((s) => findTransition(s, 'mark_stale')?.to === s).length,
  };
}

/** markStaleByCitations, also telling the state each review was in before (see StaleSummary). */
export async function markStaleWithOrigins(
  db: Database,
  changedPassageIds: string[],
  corpusVersion: number,
  note: string,
  options: { actor?: string; now?: Clock } = {},
): Promise<StaleMarking[]> {
  if (changedPassageIds.length === 0) return [];
  if (!Number.isInteger(corpusVersion) || corpusVersion < 0) throw new InputError(`corpus version must be a whole number, got ${corpusVersion}`);
  const actor = options.actor ?? 'kotae:ingest';
  const now = options.now ?? systemClock;
  const unique = [...new Set(changedPassageIds)];
  return db.transaction(async (tx): Promise<StaleMarking[]> => {
    // The list is bound in chunks, well under either engine's limit on parameters per statement.
    const byReview = new Map<number, string[]>();
    for (let i = 0; i < unique.length; i += PASSAGES_PER_QUERY) {
      const chunk = unique.slice(i, i + PASSAGES_PER_QUERY);
      const hits = (
        await tx.all(
          `SELECT rc.review_id AS review_id, rc.passage_id AS passage_id FROM review_citations rc
             JOIN reviews r ON r.id = rc.review_id
            WHERE rc.passage_id IN ${placeholders(chunk.length)} AND r.state IN ${placeholders(STALE_FROM.length)}`,
          [...chunk, ...STALE_FROM],
        )
      ).map((r) => z.object({ review_id: z.number().int(), passage_id: z.string() }).parse(r));
      for (const h of hits) byReview.set(h.review_id, [...(byReview.get(h.review_id) ?? []), h.passage_id]);
    }
    for (const passages of byReview.values()) passages.sort();

    const at = now().toISOString();
    const affected: StaleMarking[] = [];
    for (const id of [...byReview.keys()].sort((a, b) => a - b)) {
      const passages = byReview.get(id) ?? [];
      const row = await requireRow(tx, id);
      const to = transition(row.state, 'mark_stale');
      const why = `${note ? `${note}: ` : ''}cited source changed: ${passages.join(', ')}`;
      await applyTransition(
        tx,
        id,
        row,
        { action: 'mark_stale', to, actor, at, answer: row.answer, status: row.status, corpusVersion, note: why, approval: 'unchanged' },
        async () => new KotaeError('conflict', `review #${id} changed concurrently`),
      );
      affected.push({ review: toRecord(await requireRow(tx, id)), from: row.state });
    }
    return affected;
  });
}

/** How many passage ids one stale-marking query binds. */
const PASSAGES_PER_QUERY = 500;

/** The states a changed source makes stale: the state table's mark_stale rules. */
const STALE_FROM: readonly ReviewState[] = TRANSITIONS.filter((t) => t.action === 'mark_stale').map((t) => t.from);

// ---------------------------------------------------------------------------------------
// The queue as adapters use it (CLI, Slack): async membership, library after commit.

export type LibrarySync = 'synced' | 'failed' | 'skipped';

export interface DecisionOutcome extends TransitionResult {
  /** Whether the answer library reflects the decision; 'failed' is fixed by `kotae ingest --rebuild`. */
  library: LibrarySync;
}

export interface ReviewQueueOptions {
  policy: ReviewPolicy;
  library?: AnswerLibrary | undefined;
  /** Resolves membership of policy.approverGroup (e.g. Slack usergroups.users.list). */
  isInGroup?: IsInGroup | undefined;
  /** Or the members, precomputed. */
  groupMembers?: ReadonlySet<string> | undefined;
  log?: Logger | undefined;
  now?: Clock | undefined;
}

export interface DecideOptions {
  as: string;
  text?: string;
  status?: Status;
  note?: string;
  expectedVersion?: number;
  corpusVersion?: number;
}

export class ReviewQueue {
  private readonly log: Logger;
  private readonly now: Clock;
  /** Where approver-group membership comes from (see `resolveGroupsWith`). */
  private groups: Pick<ReviewQueueOptions, 'isInGroup' | 'groupMembers'>;

  constructor(
    readonly db: Database,
    private readonly options: ReviewQueueOptions,
  ) {
    this.log = options.log ?? createLogger('warn');
    this.now = options.now ?? systemClock;
    this.groups = { isInGroup: options.isInGroup, groupMembers: options.groupMembers };
  }

  /**
   * How to read KOTAE_APPROVER_GROUP's members, once a surface can (the Slack bot, after
   * its client exists): the process keeps one queue, built with the app, whoever decides.
   */
  resolveGroupsWith(isInGroup: IsInGroup): void {
    this.groups = { isInGroup };
  }

  /** Throws the forbidden error unless `userId` may decide on drafts (checked before a form opens). */
  async assertApprover(userId: string): Promise<void> {
    const id = userId.trim();
    assertApprover(this.options.policy, id, await resolveMembership(this.options.policy, id, this.groups));
  }

  enqueue(draft: Draft, meta: EnqueueMeta): Promise<ReviewRecord> {
    return enqueueDraft(this.db, draft, meta, { now: this.now, fourEyes: this.options.policy.fourEyes });
  }

  get(reviewId: string): Promise<ReviewRecord> {
    return getReview(this.db, reviewId);
  }

  list(filter: ListFilter = {}): Promise<ReviewPage> {
    return listReviews(this.db, filter);
  }

  audit(reviewId: string): Promise<AuditEvent[]> {
    return getAuditTrail(this.db, reviewId);
  }

  /**
   * The rejection that stands for drafts of this question in this product (./rejected.ts), or
   * null; `same`: which decided questions are this one (by default the same words).
   */
  previousRejection(question: string, product: string, same?: SameQuestionTest): Promise<PreviousRejection | null> {
    return previousRejection(this.db, product, question, same);
  }

  decisionsForJob(jobId: string): Promise<JobDecision[]> {
    return getDecisionsForJob(this.db, jobId);
  }

  approve(reviewId: string, options: DecideOptions): Promise<DecisionOutcome> {
    const { as, ...rest } = options;
    return this.decide(reviewId, { action: 'approve', actor: as, ...rest });
  }

  edit(reviewId: string, options: DecideOptions & { text: string }): Promise<DecisionOutcome> {
    const { as, ...rest } = options;
    return this.decide(reviewId, { action: 'edit', actor: as, ...rest });
  }

  reject(reviewId: string, options: { as: string; reason: string; expectedVersion?: number }): Promise<DecisionOutcome> {
    return this.decide(reviewId, { action: 'reject', actor: options.as, note: options.reason, expectedVersion: options.expectedVersion });
  }

  async decide(reviewId: string, input: DecisionInput): Promise<DecisionOutcome> {
    // Pin the version this decision is based on before awaiting membership: if the review
    // moves on meanwhile, the compare-and-set refuses instead of deciding on a newer state.
    const expectedVersion = input.expectedVersion ?? (await this.get(reviewId)).version;
    const membership = await resolveMembership(this.options.policy, input.actor.trim(), this.groups);
    const result = await decide(this.db, reviewId, { ...input, expectedVersion }, {
      policy: this.options.policy,
      membership,
      now: this.now,
    });
    for (const w of result.warnings) this.log.warn(w);
    return { ...result, library: await this.syncLibrary(result.review) };
  }

  /** decideBatch as `as`, then brings the answer library up to date with what was applied (one write). */
  async decideBatch(decisions: readonly BatchDecision[], options: { as: string; dryRun?: boolean }): Promise<BatchReport & { library: LibrarySync }> {
    const membership = await resolveMembership(this.options.policy, options.as.trim(), this.groups);
    const { report, records } = await decideBatch(this.db, decisions, { policy: this.options.policy, membership, now: this.now, actor: options.as, dryRun: options.dryRun });
    for (const a of report.applied) for (const w of a.warnings) this.log.warn(w);
    return { ...report, library: await this.syncLibraryMany(records) };
  }

  approvableByConfidence(filter: { jobId: string; minConfidence: number; states?: readonly ReviewState[] }): Promise<ReviewRecord[]> {
    return approvableByConfidence(this.db, filter);
  }

  /** markStaleByCitations, then removes the affected answers from the library. */
  async markStaleByCitations(changedPassageIds: string[], corpusVersion: number, note: string): Promise<ReviewRecord[]> {
    const affected = await markStaleByCitations(this.db, changedPassageIds, corpusVersion, note, { now: this.now });
    for (const review of affected) await this.syncLibrary(review);
    return affected;
  }

  /** See withdrawReview: a waiting draft replaced by a newer one of the same row. */
  withdraw(reviewId: string, note: string): Promise<ReviewRecord | null> {
    return withdrawReview(this.db, reviewId, { note, now: this.now });
  }

  approvedAnswers(): Promise<ApprovedAnswer[]> {
    return listApprovedAnswers(this.db);
  }

  /** See retireReview; the answer, and the approvals retired with it, leave the library too. */
  async retire(reviewId: string, options: { as: string; reason: string; withDerived?: boolean }): Promise<DecisionOutcome & Pick<RetireResult, 'derived' | 'unchanged'>> {
    const membership = await resolveMembership(this.options.policy, options.as.trim(), this.groups);
    const result = await retireReview(this.db, reviewId, { actor: options.as, reason: options.reason, withDerived: options.withDerived ?? false }, { policy: this.options.policy, membership, now: this.now });
    const synced = [];
    for (const review of [result.review, ...result.derived.retired]) synced.push(await this.syncLibrary(review));
    return { ...result, library: synced.includes('failed') ? 'failed' : synced.includes('synced') ? 'synced' : 'skipped' };
  }

  private async syncLibraryMany(reviews: ReviewRecord[]): Promise<LibrarySync> {
    const library = this.options.library;
    if (!library || reviews.length === 0) return 'skipped';
    if (!library.sync) {
      const results = [];
      for (const review of reviews) results.push(await this.syncLibrary(review));
      return results.includes('failed') ? 'failed' : 'synced';
    }
    const upsert = reviews.filter((r) => APPROVED_STATES.has(r.state)).map(toApprovedAnswer);
    const remove = reviews.filter((r) => !APPROVED_STATES.has(r.state)).map((r) => r.id);
    try {
      await library.sync({ upsert, remove });
      return 'synced';
    } catch (error) {
      this.log.error('answer library not updated; the decisions stand (fix with kotae ingest --rebuild)', { count: reviews.length, error });
      return 'failed';
    }
  }

  /**
   * Runs after the transaction committed: the decision is already durable, so a library
   * failure is logged and reported, never undone (the library is rebuilt from the record).
   */
  private async syncLibrary(review: ReviewRecord): Promise<LibrarySync> {
    const library = this.options.library;
    if (!library) return 'skipped';
    try {
      if (APPROVED_STATES.has(review.state)) await library.upsert(toApprovedAnswer(review));
      else await library.remove(review.id);
      return 'synced';
    } catch (error) {
      this.log.error('answer library not updated; the decision stands (fix with kotae ingest --rebuild)', {
        reviewId: review.id,
        state: review.state,
        error,
      });
      return 'failed';
    }
  }
}
