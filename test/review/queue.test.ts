import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KotaeError } from '../../src/errors.js';
import { createLogger } from '../../src/log.js';
import {
  ReviewQueue,
  decide,
  enqueueDraft,
  getAuditTrail,
  getDecisionsForJob,
  getReview,
  listApprovedAnswers,
  listReviews,
  withdrawReview,
  markStaleByCitations,
} from '../../src/review/queue.js';
import type { ReviewPolicy } from '../../src/review/authorize.js';
import type { AnswerLibrary, ApprovedAnswer } from '../../src/review/types.js';
import { WORKFLOW_DB_FILE, openWorkflowDb, type WorkflowDb } from '../../src/store/workflow.js';
import { abstainedDraft, citation, makeDraft, tempDb } from './fixtures/drafts.js';

const policy: ReviewPolicy = { approvers: ['alice', 'bob'], approverGroup: undefined, fourEyes: false };

/** A clock that ticks one second per reading, so every event has a distinct, predictable time. */
function tickingClock(start = Date.parse('2025-01-01T00:00:00Z')): () => Date {
  let t = start;
  return () => new Date((t += 1000));
}

function memDb(): WorkflowDb {
  return openWorkflowDb(':memory:');
}

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('enqueueDraft', () => {
  it('lists only the drafts a given person asked for', () => {
    const db = memDb();
    enqueueDraft(db, makeDraft({ question: 'mine 1' }), { askedBy: 'U1' });
    enqueueDraft(db, makeDraft({ question: 'theirs' }), { askedBy: 'U2' });
    enqueueDraft(db, makeDraft({ question: 'mine 2' }), { askedBy: 'U1' });
    expect(listReviews(db, { askedBy: 'U1' }).items.map((r) => r.question)).toEqual(['mine 1', 'mine 2']);
    expect(listReviews(db, { askedBy: 'U3' }).items).toEqual([]);
  });

  it('puts confident drafts in drafted and abstained, flagged or fallback drafts in needs_human', () => {
    const db = memDb();
    expect(enqueueDraft(db, makeDraft(), { askedBy: 'U1' }).state).toBe('drafted');
    expect(enqueueDraft(db, abstainedDraft(), { askedBy: 'U1' }).state).toBe('needs_human');
    expect(enqueueDraft(db, makeDraft({ needsHuman: true }), { askedBy: null }).state).toBe('needs_human');
    expect(enqueueDraft(db, makeDraft({ fallback: 'openai timed out' }), { askedBy: null }).state).toBe('needs_human');
  });

  it('keeps the draft, its asker and origin, at version 1 with an enqueue audit event', () => {
    const db = memDb();
    const draft = makeDraft();
    const r = enqueueDraft(db, draft, { askedBy: 'U1', channel: 'C9', jobId: 'job-1', rowKey: 'Sheet1!R4' });
    expect(r).toMatchObject({ version: 1, answer: draft.draft, status: 'yes', askedBy: 'U1', channel: 'C9', jobId: 'job-1', rowKey: 'Sheet1!R4', corpusVersion: 7 });
    expect(r.draft).toEqual(draft);
    expect(getAuditTrail(db, r.id)).toEqual([
      expect.objectContaining({ action: 'enqueue', fromState: null, toState: 'drafted', toVersion: 1, actor: 'kotae:extractive', afterText: draft.draft }),
    ]);
  });

  it('returns the existing review when a resumed bulk job enqueues the same row again', () => {
    const db = memDb();
    const first = enqueueDraft(db, makeDraft(), { askedBy: null, jobId: 'job-1', rowKey: 'R1' });
    const again = enqueueDraft(db, makeDraft(), { askedBy: null, jobId: 'job-1', rowKey: 'R1' });
    expect(again.id).toBe(first.id);
    expect(listReviews(db).items).toHaveLength(1);
  });

  it('rejects a malformed draft with an input error', () => {
    const db = memDb();
    const bad = { ...makeDraft(), confidence: 3 };
    expect(caught(() => enqueueDraft(db, bad, { askedBy: null }))).toMatchObject({ code: 'input', message: expect.stringContaining('confidence') });
  });
});

describe('decisions', () => {
  it('approves as drafted, naming the approver', () => {
    const db = memDb();
    const now = tickingClock();
    const r = enqueueDraft(db, makeDraft(), { askedBy: 'U1' });
    const { review, event } = decide(db, r.id, { action: 'approve', actor: 'alice' }, { policy, now });
    expect(review).toMatchObject({ state: 'approved', version: 2, approvedBy: 'alice', answer: r.answer });
    expect(review.approvedAt).toBe(event.at);
    expect(event).toMatchObject({ action: 'approve', fromState: 'drafted', toState: 'approved', actor: 'alice', corpusVersion: 7 });
  });

  it('edit replaces the text and status; approve with a different text is an edit; an edit that changes nothing is an approval', () => {
    const db = memDb();
    const a = enqueueDraft(db, makeDraft(), { askedBy: null });
    const edited = decide(db, a.id, { action: 'edit', actor: 'alice', text: '  Partially: only backups.  ', status: 'partial' }, { policy });
    expect(edited.review).toMatchObject({ state: 'edited', answer: 'Partially: only backups.', status: 'partial' });
    expect(edited.review.draft.draft).toBe(a.answer);
    expect(edited.event).toMatchObject({ beforeText: a.answer, afterText: 'Partially: only backups.', beforeStatus: 'yes', afterStatus: 'partial' });

    const b = enqueueDraft(db, makeDraft(), { askedBy: null });
    expect(decide(db, b.id, { action: 'approve', actor: 'alice', text: 'Yes, AES-256-GCM.' }, { policy }).review.state).toBe('edited');

    const c = enqueueDraft(db, makeDraft(), { askedBy: null });
    expect(decide(db, c.id, { action: 'edit', actor: 'alice', text: c.answer }, { policy }).review.state).toBe('approved');
  });

  it('needs_human: an abstained draft cannot be approved as-is, but can be answered by editing', () => {
    const db = memDb();
    const r = enqueueDraft(db, abstainedDraft(), { askedBy: null });
    expect(caught(() => decide(db, r.id, { action: 'approve', actor: 'alice' }, { policy }))).toMatchObject({ code: 'forbidden', message: expect.stringContaining('abstained') });
    expect(getReview(db, r.id)).toMatchObject({ state: 'needs_human', version: 1 });
    const out = decide(db, r.id, { action: 'approve', actor: 'alice', text: 'No, we do not.', status: 'no' }, { policy });
    expect(out.review).toMatchObject({ state: 'edited', answer: 'No, we do not.', status: 'no', approvedBy: 'alice' });
  });

  it('a needs_human draft that did not abstain (fallback) can be approved as-is', () => {
    const db = memDb();
    const r = enqueueDraft(db, makeDraft({ fallback: 'openai timed out', needsHuman: true }), { askedBy: null });
    expect(decide(db, r.id, { action: 'approve', actor: 'bob' }, { policy }).review.state).toBe('approved');
  });

  it('reject needs a reason and records it', () => {
    const db = memDb();
    const r = enqueueDraft(db, makeDraft(), { askedBy: null });
    expect(caught(() => decide(db, r.id, { action: 'reject', actor: 'alice', note: '  ' }, { policy }))).toMatchObject({ code: 'input' });
    const out = decide(db, r.id, { action: 'reject', actor: 'alice', note: 'wrong product' }, { policy });
    expect(out.review).toMatchObject({ state: 'rejected', note: 'wrong product', approvedBy: null });
    expect(out.event.note).toBe('wrong product');
  });

  it('a second decision on a decided review is a conflict naming who decided and when', () => {
    const db = memDb();
    const now = tickingClock();
    const r = enqueueDraft(db, makeDraft(), { askedBy: null });
    const won = decide(db, r.id, { action: 'approve', actor: 'alice' }, { policy, now });
    for (const action of ['approve', 'edit', 'reject'] as const) {
      const error = caught(() => decide(db, r.id, { action, actor: 'bob', text: 'x', note: 'y' }, { policy, now }));
      expect(error).toBeInstanceOf(KotaeError);
      expect(error).toMatchObject({ code: 'conflict', message: `review #${r.id} already approved by alice at ${won.event.at}` });
    }
    expect(getReview(db, r.id).version).toBe(2);
  });

  it('refuses with conflict when the review moved past the version the approver saw', () => {
    const db = memDb();
    const r = enqueueDraft(db, makeDraft(), { askedBy: null });
    decide(db, r.id, { action: 'approve', actor: 'alice' }, { policy });
    markStaleByCitations(db, ['krew/krew.txt#L53'], 8, 'ingest');
    // Bob's Slack message still shows version 1; the review is now stale (version 3).
    expect(caught(() => decide(db, r.id, { action: 'approve', actor: 'bob', expectedVersion: 1 }, { policy }))).toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('now stale (version 3'),
    });
    expect(decide(db, r.id, { action: 'approve', actor: 'bob', expectedVersion: 3 }, { policy }).review.state).toBe('approved');
  });

  it('unknown ids are not_found; malformed ids are input errors', () => {
    const db = memDb();
    expect(caught(() => decide(db, '999', { action: 'approve', actor: 'alice' }, { policy }))).toMatchObject({ code: 'not_found' });
    expect(caught(() => getReview(db, 'abc'))).toMatchObject({ code: 'input' });
    const r = enqueueDraft(db, makeDraft(), { askedBy: null });
    expect(getReview(db, `#${r.id}`).id).toBe(r.id);
  });
});

describe('audit log', () => {
  it('records every transition exactly once, in order, with who, when, before/after text and corpus version', () => {
    const db = memDb();
    const now = tickingClock();
    const r = enqueueDraft(db, makeDraft({ citations: [citation('p/1')] }), { askedBy: 'U1' }, { now });
    decide(db, r.id, { action: 'approve', actor: 'alice' }, { policy, now });
    markStaleByCitations(db, ['p/1'], 8, 'ingest v8', { now });
    decide(db, r.id, { action: 'edit', actor: 'bob', text: 'Yes, AES-256-GCM.' }, { policy, now });
    markStaleByCitations(db, ['p/1'], 9, 'ingest v9', { now });
    // Refused attempts leave no trace in the audit log.
    expect(() => decide(db, r.id, { action: 'approve', actor: 'mallory' }, { policy, now })).toThrow();
    decide(db, r.id, { action: 'reject', actor: 'alice', note: 'policy withdrawn' }, { policy, now });

    const trail = getAuditTrail(db, r.id);
    expect(trail.map((e) => [e.action, e.fromState, e.toState, e.actor, e.corpusVersion])).toEqual([
      ['enqueue', null, 'drafted', 'kotae:extractive', 7],
      ['approve', 'drafted', 'approved', 'alice', 7],
      ['mark_stale', 'approved', 'stale', 'kotae:ingest', 8],
      ['edit', 'stale', 'edited', 'bob', 8],
      ['mark_stale', 'edited', 'stale', 'kotae:ingest', 9],
      ['reject', 'stale', 'rejected', 'alice', 9],
    ]);
    trail.forEach((e, i) => {
      expect(e.toVersion).toBe(i + 1);
      if (i > 0) {
        expect(e.fromVersion).toBe(i);
        expect(e.fromState).toBe(trail[i - 1]?.toState);
        expect(e.beforeText).toBe(trail[i - 1]?.afterText);
        expect(e.at > (trail[i - 1]?.at ?? '')).toBe(true);
      }
    });
    expect(trail[3]).toMatchObject({ beforeText: 'Yes. Data at rest is encrypted with AES-256.', afterText: 'Yes, AES-256-GCM.' });
    const review = getReview(db, r.id);
    expect(review.version).toBe(trail.length);
    expect(review.state).toBe(trail[trail.length - 1]?.toState);
  });

  it('is append-only: UPDATE and DELETE on the audit table abort, even from raw SQL', () => {
    const db = memDb();
    const r = enqueueDraft(db, makeDraft(), { askedBy: null });
    decide(db, r.id, { action: 'approve', actor: 'alice' }, { policy });
    const before = getAuditTrail(db, r.id);
    expect(() => db.prepare("UPDATE review_audit SET actor = 'mallory'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM review_audit').run()).toThrow(/append-only/);
    expect(getAuditTrail(db, r.id)).toEqual(before);
  });
});

describe('staleness', () => {
  it('marks reviews citing a changed passage stale (waiting drafts too), naming the source, and leaves the rest', () => {
    const db = memDb();
    const mk = (ids: string[]) => enqueueDraft(db, makeDraft({ citations: ids.map((id) => citation(id)) }), { askedBy: null });
    const approved = mk(['p/1', 'p/9']);
    const edited = mk(['p/2']);
    const pending = mk(['p/1']);
    const rejected = mk(['p/1']);
    const unrelated = mk(['p/3']);
    decide(db, approved.id, { action: 'approve', actor: 'alice' }, { policy });
    decide(db, edited.id, { action: 'edit', actor: 'alice', text: 'changed' }, { policy });
    decide(db, rejected.id, { action: 'reject', actor: 'alice', note: 'no' }, { policy });
    decide(db, unrelated.id, { action: 'approve', actor: 'alice' }, { policy });

    const affected = markStaleByCitations(db, ['p/1', 'p/2', 'p/404'], 12, 'corpus v12');
    expect(affected.map((r) => r.id).sort()).toEqual([approved.id, edited.id, pending.id].sort());
    expect(affected.every((r) => r.state === 'stale')).toBe(true);
    // A waiting draft would otherwise be approved on text the sheet no longer says.
    expect(getReview(db, pending.id).state).toBe('stale');
    expect(getReview(db, rejected.id).state).toBe('rejected');
    expect(getReview(db, unrelated.id).state).toBe('approved');
    const last = getAuditTrail(db, approved.id).at(-1);
    expect(last).toMatchObject({ action: 'mark_stale', toState: 'stale', corpusVersion: 12, note: 'corpus v12: cited source changed: p/1' });
    expect(listApprovedAnswers(db).map((a) => a.reviewId)).toEqual([unrelated.id]);

    // A further change under an already stale answer is recorded too; re-approval uses the new corpus.
    expect(markStaleByCitations(db, ['p/9'], 13, 'corpus v13').map((r) => r.id)).toEqual([approved.id]);
    expect(getAuditTrail(db, approved.id).at(-1)?.note).toBe('corpus v13: cited source changed: p/9');
    const again = decide(db, approved.id, { action: 'approve', actor: 'bob' }, { policy });
    expect(again.review).toMatchObject({ state: 'approved', approvedBy: 'bob', corpusVersion: 13 });
  });

  it('withdraws a waiting draft replaced by a newer one, and leaves a decided review alone', () => {
    const db = memDb();
    const waiting = enqueueDraft(db, makeDraft(), { askedBy: null, jobId: 'j', rowKey: 'q-1' });
    const decided = enqueueDraft(db, makeDraft(), { askedBy: null, jobId: 'j', rowKey: 'q-2' });
    decide(db, decided.id, { action: 'reject', actor: 'alice', note: 'wrong' }, { policy });
    expect(withdrawReview(db, waiting.id, { note: 'replaced by review #9' })?.state).toBe('withdrawn');
    expect(getAuditTrail(db, waiting.id).at(-1)).toMatchObject({ action: 'withdraw', fromState: 'drafted', toState: 'withdrawn', actor: 'kotae:bulk' });
    expect(withdrawReview(db, decided.id, { note: 'replaced' })).toBeNull();
    expect(getReview(db, decided.id).state).toBe('rejected');
    // Nobody can approve a withdrawn draft.
    expect(caught(() => decide(db, waiting.id, { action: 'approve', actor: 'alice' }, { policy }))).toMatchObject({ code: 'conflict', message: expect.stringMatching(/already withdrawn/) });
  });

  it('does nothing for an empty change list', () => {
    const db = memDb();
    expect(markStaleByCitations(db, [], 1, 'x')).toEqual([]);
  });
});

describe('queries', () => {
  it('lists with product/state/job filters and keyset pagination', () => {
    const db = memDb();
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push(enqueueDraft(db, makeDraft({ product: i % 2 ? 'cybozu' : 'krew' }), { askedBy: null, jobId: i < 3 ? 'job-a' : undefined, rowKey: `R${i}` }).id);
    decide(db, ids[0] ?? '', { action: 'approve', actor: 'alice' }, { policy });

    const p1 = listReviews(db, { limit: 3 });
    expect(p1.items.map((r) => r.id)).toEqual(ids.slice(0, 3));
    const p2 = listReviews(db, { limit: 3, after: p1.next ?? undefined });
    const p3 = listReviews(db, { limit: 3, after: p2.next ?? undefined });
    expect([...p2.items, ...p3.items].map((r) => r.id)).toEqual(ids.slice(3));
    expect(p3.next).toBeNull();

    expect(listReviews(db, { product: 'cybozu' }).items).toHaveLength(3);
    expect(listReviews(db, { state: 'approved' }).items.map((r) => r.id)).toEqual([ids[0]]);
    expect(listReviews(db, { state: ['approved', 'drafted'], product: 'krew' }).items).toHaveLength(4);
    expect(listReviews(db, { jobId: 'job-a' }).items.map((r) => r.id)).toEqual(ids.slice(0, 3));
    expect(caught(() => listReviews(db, { limit: 0 }))).toMatchObject({ code: 'input' });
  });

  it('getDecisionsForJob gives each row its final answer only when approved', () => {
    const db = memDb();
    const a = enqueueDraft(db, makeDraft(), { askedBy: null, jobId: 'job-1', rowKey: 'R2' });
    const b = enqueueDraft(db, makeDraft(), { askedBy: null, jobId: 'job-1', rowKey: 'R3' });
    const c = enqueueDraft(db, makeDraft(), { askedBy: null, jobId: 'job-1', rowKey: 'R4' });
    enqueueDraft(db, makeDraft(), { askedBy: null, jobId: 'job-2', rowKey: 'R2' });
    decide(db, a.id, { action: 'edit', actor: 'alice', text: 'No.', status: 'no' }, { policy });
    decide(db, c.id, { action: 'reject', actor: 'bob', note: 'out of scope' }, { policy });
    const decisions = getDecisionsForJob(db, 'job-1');
    expect(decisions.map((d) => [d.rowKey, d.state, d.final, d.answer, d.approvedBy, d.note])).toEqual([
      ['R2', 'edited', true, 'No.', 'alice', null],
      ['R3', 'drafted', false, b.answer, null, null],
      ['R4', 'rejected', false, c.answer, null, 'out of scope'],
    ]);
  });

  it('listApprovedAnswers returns exactly the approved and edited answers with their approver', () => {
    const db = memDb();
    const now = tickingClock();
    const a = enqueueDraft(db, makeDraft(), { askedBy: null });
    const b = enqueueDraft(db, makeDraft(), { askedBy: null });
    enqueueDraft(db, makeDraft(), { askedBy: null });
    const ok = decide(db, a.id, { action: 'approve', actor: 'alice' }, { policy, now });
    decide(db, b.id, { action: 'edit', actor: 'bob', text: 'Edited.' }, { policy, now });
    const answers = listApprovedAnswers(db);
    expect(answers).toHaveLength(2);
    expect(answers[0]).toEqual({
      reviewId: a.id,
      product: 'krew',
      question: a.question,
      answer: a.answer,
      status: 'yes',
      state: 'approved',
      approver: 'alice',
      approvedAt: ok.event.at,
      citations: a.citations,
    });
    expect(answers[1]).toMatchObject({ reviewId: b.id, answer: 'Edited.', state: 'edited', approver: 'bob' });
  });
});

describe('answer library hook', () => {
  let cleanup: (() => void) | undefined;
  afterEach(() => cleanup?.());

  it('is called after the transaction commits: another connection already sees the decision', async () => {
    const t = tempDb();
    cleanup = t.cleanup;
    const reader = new Database(join(t.dir, WORKFLOW_DB_FILE), { readonly: true });
    const seen: Array<{ call: string; arg: string; stateSeenByOthers: unknown; inTransaction: boolean }> = [];
    const stateOf = (id: string): unknown => reader.prepare('SELECT state FROM reviews WHERE id = ?').pluck().get(Number(id));
    const library: AnswerLibrary = {
      upsert: async (entry: ApprovedAnswer) => {
        seen.push({ call: 'upsert', arg: entry.reviewId, stateSeenByOthers: stateOf(entry.reviewId), inTransaction: t.db.inTransaction });
      },
      remove: async (id: string) => {
        seen.push({ call: 'remove', arg: id, stateSeenByOthers: stateOf(id), inTransaction: t.db.inTransaction });
      },
    };
    const queue = new ReviewQueue(t.db, { policy, library });
    const a = queue.enqueue(makeDraft({ citations: [citation('p/1')] }), { askedBy: null });
    const b = queue.enqueue(makeDraft(), { askedBy: null });
    expect((await queue.approve(a.id, { as: 'alice' })).library).toBe('synced');
    await queue.reject(b.id, { as: 'alice', reason: 'dup' });
    const stale = await queue.markStaleByCitations(['p/1'], 8, 'ingest');
    expect(stale.map((r) => r.id)).toEqual([a.id]);
    reader.close();
    expect(seen).toEqual([
      { call: 'upsert', arg: a.id, stateSeenByOthers: 'approved', inTransaction: false },
      { call: 'remove', arg: b.id, stateSeenByOthers: 'rejected', inTransaction: false },
      { call: 'remove', arg: a.id, stateSeenByOthers: 'stale', inTransaction: false },
    ]);
  });

  it('a failing library does not undo the approval: it is logged and the rebuild source still has it', async () => {
    const lines: string[] = [];
    const db = memDb();
    const library: AnswerLibrary = {
      upsert: async () => {
        throw new Error('lancedb unavailable');
      },
      remove: async () => {
        throw new Error('lancedb unavailable');
      },
    };
    const queue = new ReviewQueue(db, { policy, library, log: createLogger('warn', (l) => lines.push(l)) });
    const r = queue.enqueue(makeDraft(), { askedBy: null });
    const out = await queue.approve(r.id, { as: 'alice' });
    expect(out.library).toBe('failed');
    expect(queue.get(r.id)).toMatchObject({ state: 'approved', approvedBy: 'alice' });
    expect(listApprovedAnswers(db).map((a) => a.reviewId)).toEqual([r.id]);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ level: 'warn', reviewId: r.id, error: { message: 'lancedb unavailable' } });
    expect(lines[0]).toContain('rebuild');
  });

  it('is not called when the decision is refused', async () => {
    const calls: string[] = [];
    const library: AnswerLibrary = { upsert: async (e) => void calls.push(e.reviewId), remove: async (id) => void calls.push(id) };
    const queue = new ReviewQueue(memDb(), { policy, library });
    const r = queue.enqueue(makeDraft(), { askedBy: null });
    await expect(queue.approve(r.id, { as: 'mallory' })).rejects.toMatchObject({ code: 'forbidden' });
    expect(calls).toEqual([]);
  });
});
