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
  markStaleWithOrigins,
  summariseStale,
} from '../../src/review/queue.js';
import type { ReviewPolicy } from '../../src/review/authorize.js';
import type { AnswerLibrary, ApprovedAnswer } from '../../src/review/types.js';
import type { Database } from '../../src/store/database.js';
import { openDatabase } from '../../src/store/open.js';
import { openTestDatabase, tempDb } from '../support/db.js';
import { abstainedDraft, citation, makeDraft } from './fixtures/drafts.js';

const policy: ReviewPolicy = { approvers: ['alice', 'bob'], approverGroup: undefined, fourEyes: false };

/** A clock that ticks one second per reading, so every event has a distinct, predictable time. */
function tickingClock(start = Date.parse('2025-01-01T00:00:00Z')): () => Date {
  let t = start;
  return () => new Date((t += 1000));
}

function memDb(): Promise<Database> {
  return openTestDatabase();
}

async function caught(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('enqueueDraft', () => {
  it('lists only the drafts a given person asked for', async () => {
    const db = await memDb();
    await enqueueDraft(db, makeDraft({ question: 'mine 1' }), { askedBy: 'U1' });
    await enqueueDraft(db, makeDraft({ question: 'theirs' }), { askedBy: 'U2' });
    await enqueueDraft(db, makeDraft({ question: 'mine 2' }), { askedBy: 'U1' });
    expect((await listReviews(db, { askedBy: 'U1' })).items.map((r) => r.question)).toEqual(['mine 1', 'mine 2']);
    expect((await listReviews(db, { askedBy: 'U3' })).items).toEqual([]);
  });

  it('puts confident drafts in drafted and abstained, flagged or fallback drafts in needs_human', async () => {
    const db = await memDb();
    expect((await enqueueDraft(db, makeDraft(), { askedBy: 'U1' })).state).toBe('drafted');
    expect((await enqueueDraft(db, abstainedDraft(), { askedBy: 'U1' })).state).toBe('needs_human');
    expect((await enqueueDraft(db, makeDraft({ needsHuman: true }), { askedBy: null })).state).toBe('needs_human');
    expect((await enqueueDraft(db, makeDraft({ fallback: 'openai timed out' }), { askedBy: null })).state).toBe('needs_human');
  });

  it('keeps the draft, its asker and origin, at version 1 with an enqueue audit event', async () => {
    const db = await memDb();
    const draft = makeDraft();
    const r = await enqueueDraft(db, draft, { askedBy: 'U1', channel: 'C9', jobId: 'job-1', rowKey: 'Sheet1!R4' });
    expect(r).toMatchObject({ version: 1, answer: draft.draft, status: 'yes', askedBy: 'U1', channel: 'C9', jobId: 'job-1', rowKey: 'Sheet1!R4', corpusVersion: 7 });
    expect(r.draft).toEqual(draft);
    expect(await getAuditTrail(db, r.id)).toEqual([
      expect.objectContaining({ action: 'enqueue', fromState: null, toState: 'drafted', toVersion: 1, actor: 'kotae:extractive', afterText: draft.draft }),
    ]);
  });

  it('returns the existing review when a resumed bulk job enqueues the same row again', async () => {
    const db = await memDb();
    const first = await enqueueDraft(db, makeDraft(), { askedBy: null, jobId: 'job-1', rowKey: 'R1' });
    const again = await enqueueDraft(db, makeDraft(), { askedBy: null, jobId: 'job-1', rowKey: 'R1' });
    expect(again.id).toBe(first.id);
    expect((await listReviews(db)).items).toHaveLength(1);
  });

  it('files a later generation of the same bulk row as a new review, and is idempotent per generation', async () => {
    const db = await memDb();
    const first = await enqueueDraft(db, makeDraft(), { askedBy: null, jobId: 'job-1', rowKey: 'R1' });
    const next = await enqueueDraft(db, makeDraft({ draft: 'Newer text.' }), { askedBy: null, jobId: 'job-1', rowKey: 'R1', generation: 1 });
    const again = await enqueueDraft(db, makeDraft({ draft: 'Newer text.' }), { askedBy: null, jobId: 'job-1', rowKey: 'R1', generation: 1 });
    expect(next.id).not.toBe(first.id);
    expect(again.id).toBe(next.id);
    expect([first.generation, next.generation]).toEqual([0, 1]);
    expect((await getDecisionsForJob(db, 'job-1')).map((d) => [d.rowKey, d.generation])).toEqual([
      ['R1', 0],
      ['R1', 1],
    ]);
  });

  it('serves a draft repeating a standing approval as approved through the state table: its own audit event names the approval and its approver', async () => {
    const db = await memDb();
    const now = tickingClock();
    const source = await enqueueDraft(db, makeDraft({ question: 'Do you encrypt data at rest?' }), { askedBy: 'U1' }, { now });
    const approved = (await decide(db, source.id, { action: 'approve', actor: 'alice' }, { policy, now })).review;
    // Asked again: the draft is the approval's words, leading with the approval as its citation.
    const reuse = makeDraft({ question: 'Do you encrypt data at rest?', citations: [citation(`review#${source.id}`, { kind: 'approved', source: 'review', locator: `review #${source.id}`, ref: source.id })] });
    const served = await enqueueDraft(db, reuse, { askedBy: 'U2' }, { now });
    expect(served).toMatchObject({ state: 'approved', version: 2, approvedBy: 'alice', approvedAt: approved.approvedAt, derivedFrom: source.id });
    const trail = await getAuditTrail(db, served.id);
    expect(trail.map((e) => [e.action, e.fromState, e.toState, e.fromVersion, e.toVersion, e.actor])).toEqual([
      ['enqueue', null, 'drafted', null, 1, 'kotae:extractive'],
      ['reuse', 'drafted', 'approved', 1, 2, 'kotae:reuse'],
    ]);
    expect(trail[1]?.note).toBe(`served from approval #${source.id}: approved by alice on ${(approved.approvedAt ?? '').slice(0, 10)} for the same question`);
    expect(served.note).toBe(trail[1]?.note);
    // Decided: nobody approves the same words a second time.
    expect(await caught(() => decide(db, served.id, { action: 'approve', actor: 'bob' }, { policy, now }))).toMatchObject({ code: 'conflict' });

    // With four-eyes, the approver's own question waits for someone else, with the enqueue event only.
    const own = await enqueueDraft(db, reuse, { askedBy: 'alice' }, { now, fourEyes: true });
    expect(own).toMatchObject({ state: 'drafted', version: 1, approvedBy: null });
    expect((await getAuditTrail(db, own.id)).map((e) => e.action)).toEqual(['enqueue']);
  });

  it('serves an approval with nobody looking only for the question approved, word for word: a reworded one waits for a person', async () => {
    const db = await memDb();
    const now = tickingClock();
    const source = await enqueueDraft(db, makeDraft({ question: 'Is MFA required?' }), { askedBy: 'U1' }, { now });
    await decide(db, source.id, { action: 'approve', actor: 'alice' }, { policy, now });
    const citing = [citation(`review#${source.id}`, { kind: 'approved', source: 'review', locator: `review #${source.id}`, ref: source.id })];
    const same = await enqueueDraft(db, makeDraft({ question: '  is MFA  required ', citations: citing }), { askedBy: 'U2' }, { now });
    expect(same).toMatchObject({ state: 'approved', approvedBy: 'alice' });
    const wider = await enqueueDraft(db, makeDraft({ question: 'Is MFA required for all users?', citations: citing }), { askedBy: 'U2' }, { now });
    expect(wider).toMatchObject({ state: 'drafted', approvedBy: null });
  });

  it('rejects a malformed draft with an input error', async () => {
    const db = await memDb();
    const bad = { ...makeDraft(), confidence: 3 };
    expect(await caught(() => enqueueDraft(db, bad, { askedBy: null }))).toMatchObject({ code: 'input', message: expect.stringContaining('confidence') });
  });
});

describe('decisions', () => {
  it('approves as drafted, naming the approver', async () => {
    const db = await memDb();
    const now = tickingClock();
    const r = await enqueueDraft(db, makeDraft(), { askedBy: 'U1' });
    const { review, event } = await decide(db, r.id, { action: 'approve', actor: 'alice' }, { policy, now });
    expect(review).toMatchObject({ state: 'approved', version: 2, approvedBy: 'alice', answer: r.answer });
    expect(review.approvedAt).toBe(event.at);
    expect(event).toMatchObject({ action: 'approve', fromState: 'drafted', toState: 'approved', actor: 'alice', corpusVersion: 7 });
  });

  it('edit replaces the text and status; approve with a different text is an edit; an edit that changes nothing is an approval', async () => {
    const db = await memDb();
    const a = await enqueueDraft(db, makeDraft(), { askedBy: null });
    const edited = await decide(db, a.id, { action: 'edit', actor: 'alice', text: '  Partially: only backups.  ', status: 'partial' }, { policy });
    expect(edited.review).toMatchObject({ state: 'edited', answer: 'Partially: only backups.', status: 'partial' });
    expect(edited.review.draft.draft).toBe(a.answer);
    expect(edited.event).toMatchObject({ beforeText: a.answer, afterText: 'Partially: only backups.', beforeStatus: 'yes', afterStatus: 'partial' });

    const b = await enqueueDraft(db, makeDraft(), { askedBy: null });
    expect((await decide(db, b.id, { action: 'approve', actor: 'alice', text: 'Yes, AES-256-GCM.', status: 'yes' }, { policy })).review.state).toBe('edited');

    const c = await enqueueDraft(db, makeDraft(), { askedBy: null });
    expect((await decide(db, c.id, { action: 'edit', actor: 'alice', text: c.answer }, { policy })).review.state).toBe('approved');
  });

  it('a replaced answer needs its own status, and does not carry the draft\'s citations as its evidence', async () => {
    const db = await memDb();
    const draft = makeDraft({ draft: 'Partially: the billing database is encrypted.', status: 'partial', citations: [citation('p/billing')] });
    const r = await enqueueDraft(db, draft, { askedBy: null, jobId: 'job-x', rowKey: 'r1' });
    // The draft's "partial" was judged for the draft's text, not for the approver's claim.
    for (const action of ['approve', 'edit'] as const) {
      const error = await caught(() => decide(db, r.id, { action, actor: 'bob', text: 'All stored data is encrypted with AES-256.' }, { policy }));
      expect(error).toMatchObject({ code: 'input', message: expect.stringMatching(/needs its status.*"partial"/) });
    }
    expect((await getReview(db, r.id)).state).toBe('drafted');

    const done = await decide(db, r.id, { action: 'approve', actor: 'bob', text: 'All stored data is encrypted with AES-256.', status: 'yes' }, { policy });
    expect(done.review).toMatchObject({ state: 'edited', status: 'yes', citations: [] });
    expect(done.review.draft.citations.map((c) => c.id)).toEqual(['p/billing']);
    expect((await getDecisionsForJob(db, 'job-x'))[0]).toMatchObject({ final: true, status: 'yes', citations: [] });
    expect((await listApprovedAnswers(db))[0]?.citations).toEqual([]);

    // Changing only the status keeps the text, and so its evidence (a text that states no status of its own).
    const s = await enqueueDraft(db, makeDraft({ draft: 'The billing database is encrypted.', status: 'partial', citations: [citation('p/billing')] }), { askedBy: null });
    const statusOnly = await decide(db, s.id, { action: 'edit', actor: 'bob', status: 'yes' }, { policy });
    expect(statusOnly.review).toMatchObject({ state: 'edited', status: 'yes' });
    expect(statusOnly.review.citations.map((c) => c.id)).toEqual(['p/billing']);
  });

  it('approving a flagged draft removes kotae\'s review marker, and warns when the wording is a hedge', async () => {
    const db = await memDb();
    const hedged = '[Needs review] Possibly partially in place: the closest evidence is item 6-20 of our published krew security checksheet, which may not fully answer the question.';
    const r = await enqueueDraft(db, makeDraft({ draft: hedged, status: 'partial', needsHuman: true }), { askedBy: null });
    expect(r.state).toBe('needs_human');
    const out = await decide(db, r.id, { action: 'approve', actor: 'bob' }, { policy });
    expect(out.review.state).toBe('approved');
    expect(out.review.answer).toBe(hedged.replace('[Needs review] ', ''));
    expect(out.review.citations).toHaveLength(1);
    // Words for every surface (a command, a workbook row, Slack): the remedy, no CLI flag.
    expect(out.warnings).toEqual([expect.stringMatching(/hedge \("Possibly partially in place"\).*decide it with your own answer and its status/)]);
    expect(out.warnings.join(' ')).not.toMatch(/--text|--status/);
    expect((await listApprovedAnswers(db)).map((a) => a.answer)).toEqual([out.review.answer]);

    const ja = await enqueueDraft(db, makeDraft({ lang: 'ja', draft: '【要確認】はい。保存データは暗号化しております。', needsHuman: true }), { askedBy: null });
    const jaOut = await decide(db, ja.id, { action: 'approve', actor: 'bob' }, { policy });
    expect(jaOut.review).toMatchObject({ state: 'approved', answer: 'はい。保存データは暗号化しております。' });
    expect(jaOut.warnings).toEqual([]);

    // Through the queue an adapter uses, the warning comes back with the decision too.
    const lines: string[] = [];
    const queue = new ReviewQueue(db, { policy, log: createLogger('warn', (l) => lines.push(l)) });
    const again = await enqueueDraft(db, makeDraft({ draft: hedged, status: 'partial', needsHuman: true }), { askedBy: null });
    const report = await queue.decideBatch([{ line: 1, reviewId: again.id, action: 'approve' }], { as: 'bob' });
    expect(report.applied[0]?.warnings).toHaveLength(1);
    expect(lines.join('')).toContain('Possibly partially in place');
  });

  it("the same approval again, with or without kotae's marker, is unchanged, also on an answer an earlier kotae approved with the marker in it", async () => {
    const db = await memDb();
    const plain = 'はい。保存データは暗号化しております。';
    const marked = `【要確認】${plain}`;
    const queue = new ReviewQueue(db, { policy, log: createLogger('silent') });
    const r = await enqueueDraft(db, makeDraft({ lang: 'ja', draft: marked, needsHuman: true }), { askedBy: null });
    expect((await queue.decideBatch([{ line: 1, reviewId: r.id, action: 'approve' }], { as: 'alice' })).applied).toHaveLength(1);
    // Approvals made before kotae stripped the marker stored the text as drafted: a database
    // upgraded from then holds such answers.
    await db.run('UPDATE reviews SET answer = ? WHERE id = ?', [marked, Number(r.id)]);
    const before = await getReview(db, r.id);
    for (const text of [marked, plain, `  ${plain}\n`]) {
      // The reviewer imports the same sheet again: nothing to do, and not someone else's decision.
      const report = await queue.decideBatch([{ line: 1, reviewId: r.id, action: 'approve', text }], { as: 'alice' });
      expect(report, text).toMatchObject({ unchanged: [{ reviewId: r.id, state: 'approved' }], conflicts: [], applied: [], invalid: [] });
    }
    expect(await getReview(db, r.id)).toEqual(before);
    // Other text is a change, and on a decided answer that is a conflict, as before.
    const other = await queue.decideBatch([{ line: 1, reviewId: r.id, action: 'approve', text: 'いいえ。', status: 'no' }], { as: 'alice' });
    expect(other.conflicts).toHaveLength(1);
  });

  it("refuses an approval whose text states another status than the decided one, on every path, and keeps the draft's own text and status approvable", async () => {
    const db = await memDb();
    const hedged = '[Needs review] Possibly yes: the closest evidence is item 1-2 of our published krew security checksheet, which may not fully answer the question.';
    const r = await enqueueDraft(db, makeDraft({ draft: hedged, status: 'yes', needsHuman: true }), { askedBy: null });
    // Only the status changed: the customer would read "Possibly yes" beside "No".
    for (const action of ['approve', 'edit'] as const) {
      const error = await caught(() => decide(db, r.id, { action, actor: 'bob', status: 'no' }, { policy }));
      expect(error).toMatchObject({ code: 'input', message: expect.stringMatching(/text states "yes".*status is "no"/) });
      // Shown on Slack and beside a workbook row too: no command-line flag.
      expect(`${(error as KotaeError).message} ${(error as KotaeError).hint ?? ''}`).not.toMatch(/--/);
      expect((error as KotaeError).hint).toMatch(/own text.*new status/);
    }
    // A person's own text that says the opposite of the status they chose.
    expect(await caught(() => decide(db, r.id, { action: 'edit', actor: 'bob', text: 'No, administrators sign in with a password only.', status: 'yes' }, { policy }))).toMatchObject({ code: 'input' });
    const queue = new ReviewQueue(db, { policy, log: createLogger('silent') });
    const batch = await queue.decideBatch([{ line: 4, reviewId: r.id, action: 'approve', status: 'no' }], { as: 'bob' });
    expect(batch).toMatchObject({ applied: [], invalid: [{ line: 4, reviewId: r.id, code: 'input', hint: expect.stringMatching(/own text/) }] });
    expect(await getReview(db, r.id)).toMatchObject({ state: 'needs_human', version: 1 });

    const ja = await enqueueDraft(db, makeDraft({ lang: 'ja', draft: 'はい。管理者は多要素認証を使います。', status: 'yes' }), { askedBy: null });
    expect(await caught(() => decide(db, ja.id, { action: 'approve', actor: 'bob', status: 'partial' }, { policy }))).toMatchObject({ code: 'input' });

    // The answer's own text with the new status is the remedy; the draft as drafted stays approvable (with the hedge warning).
    const fixed = await decide(db, r.id, { action: 'approve', actor: 'bob', text: 'No. Administrators sign in with a password only.', status: 'no' }, { policy });
    expect(fixed.review).toMatchObject({ state: 'edited', status: 'no' });
    const asDrafted = await enqueueDraft(db, makeDraft({ draft: hedged, status: 'yes', needsHuman: true }), { askedBy: null });
    const kept = await decide(db, asDrafted.id, { action: 'approve', actor: 'bob' }, { policy });
    expect(kept.review).toMatchObject({ state: 'approved', status: 'yes' });
    expect(kept.warnings).toEqual([expect.stringContaining('Possibly yes')]);
  });

  it("warns of kotae's hedge whenever the approved text is the draft's, also when only the status changed to the one the hedge states", async () => {
    const db = await memDb();
    // An answer approved before this check, reused as a draft: its text guesses yes, its status says no.
    const r = await enqueueDraft(db, makeDraft({ draft: 'Possibly yes: the closest evidence is item 1-2 of our published krew security checksheet.', status: 'no' }), { askedBy: null });
    const out = await decide(db, r.id, { action: 'approve', actor: 'bob', status: 'yes' }, { policy });
    expect(out.review).toMatchObject({ state: 'edited', status: 'yes' });
    expect(out.warnings).toEqual([expect.stringMatching(/hedge \("Possibly yes"\)/)]);
  });

  it('an approval without a status is allowed but warned (the status cell stays empty), and a selection leaves such drafts to a person', async () => {
    const db = await memDb();
    const unsure = '[Needs review] The closest evidence is item 1-2 of our published krew security checksheet, which may not fully answer the question.';
    const r = await enqueueDraft(db, makeDraft({ draft: unsure, status: 'unknown', needsHuman: true }), { askedBy: null });
    const asIs = await decide(db, r.id, { action: 'approve', actor: 'alice' }, { policy });
    expect(asIs.review).toMatchObject({ state: 'approved', status: 'unknown' });
    expect(asIs.warnings).toEqual(expect.arrayContaining([expect.stringMatching(/without a status.*yes, no, partial or not_applicable/)]));
    expect(asIs.warnings.join(' ')).not.toMatch(/--/);
    // Stating a status gives no such warning.
    const plain = await enqueueDraft(db, makeDraft(), { askedBy: null });
    const stated = await decide(db, plain.id, { action: 'edit', actor: 'alice', text: 'We encrypt backups only.', status: 'partial' }, { policy });
    expect(stated.warnings).toEqual([]);

    // A confident draft without a status (a model's) is not offered for approval by selection.
    const queue = new ReviewQueue(db, { policy, log: createLogger('silent') });
    const statusless = await enqueueDraft(db, makeDraft({ draft: 'Backups are encrypted.', status: 'unknown', confidence: 0.95 }), { askedBy: null, jobId: 'job-s', rowKey: 'a' });
    const withStatus = await enqueueDraft(db, makeDraft({ confidence: 0.95 }), { askedBy: null, jobId: 'job-s', rowKey: 'b' });
    expect(statusless.state).toBe('drafted');
    expect((await queue.approvableByConfidence({ jobId: 'job-s', minConfidence: 0.9, states: ['drafted'] })).map((x) => x.id)).toEqual([withStatus.id]);
  });

  it('needs_human: an abstained draft cannot be approved as-is, but can be answered by editing', async () => {
    const db = await memDb();
    const r = await enqueueDraft(db, abstainedDraft(), { askedBy: null });
    expect(await caught(() => decide(db, r.id, { action: 'approve', actor: 'alice' }, { policy }))).toMatchObject({ code: 'forbidden', message: expect.stringContaining('abstained') });
    expect(await getReview(db, r.id)).toMatchObject({ state: 'needs_human', version: 1 });
    const out = await decide(db, r.id, { action: 'approve', actor: 'alice', text: 'No, we do not.', status: 'no' }, { policy });
    expect(out.review).toMatchObject({ state: 'edited', answer: 'No, we do not.', status: 'no', approvedBy: 'alice' });
  });

  it('a needs_human draft that did not abstain (fallback) can be approved as-is', async () => {
    const db = await memDb();
    const r = await enqueueDraft(db, makeDraft({ fallback: 'openai timed out', needsHuman: true }), { askedBy: null });
    expect((await decide(db, r.id, { action: 'approve', actor: 'bob' }, { policy })).review.state).toBe('approved');
  });

  it('reject needs a reason and records it', async () => {
    const db = await memDb();
    const r = await enqueueDraft(db, makeDraft(), { askedBy: null });
    expect(await caught(() => decide(db, r.id, { action: 'reject', actor: 'alice', note: '  ' }, { policy }))).toMatchObject({ code: 'input' });
    const out = await decide(db, r.id, { action: 'reject', actor: 'alice', note: 'wrong product' }, { policy });
    expect(out.review).toMatchObject({ state: 'rejected', note: 'wrong product', approvedBy: null });
    expect(out.event.note).toBe('wrong product');
  });

  it('a second decision on a decided review is a conflict naming who decided and when', async () => {
    const db = await memDb();
    const now = tickingClock();
    const r = await enqueueDraft(db, makeDraft(), { askedBy: null });
    const won = await decide(db, r.id, { action: 'approve', actor: 'alice' }, { policy, now });
    for (const action of ['approve', 'edit', 'reject'] as const) {
      const error = await caught(() => decide(db, r.id, { action, actor: 'bob', text: 'x', note: 'y' }, { policy, now }));
      expect(error).toBeInstanceOf(KotaeError);
      expect(error).toMatchObject({ code: 'conflict', message: `review #${r.id} already approved by alice at ${won.event.at}` });
    }
    expect((await getReview(db, r.id)).version).toBe(2);
  });

  it('refuses with conflict when the review moved past the version the approver saw', async () => {
    const db = await memDb();
    const r = await enqueueDraft(db, makeDraft(), { askedBy: null });
    await decide(db, r.id, { action: 'approve', actor: 'alice' }, { policy });
    await markStaleByCitations(db, ['krew/krew.txt#L53'], 8, 'ingest');
    // Bob's Slack message still shows version 1; the review is now stale (version 3).
    expect(await caught(() => decide(db, r.id, { action: 'approve', actor: 'bob', expectedVersion: 1 }, { policy }))).toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('now stale (version 3'),
    });
    expect((await decide(db, r.id, { action: 'approve', actor: 'bob', expectedVersion: 3 }, { policy })).review.state).toBe('approved');
  });

  it('unknown ids are not_found; malformed ids are input errors', async () => {
    const db = await memDb();
    expect(await caught(() => decide(db, '999', { action: 'approve', actor: 'alice' }, { policy }))).toMatchObject({ code: 'not_found' });
    expect(await caught(() => getReview(db, 'abc'))).toMatchObject({ code: 'input' });
    const r = await enqueueDraft(db, makeDraft(), { askedBy: null });
    expect((await getReview(db, `#${r.id}`)).id).toBe(r.id);
  });
});

describe('audit log', () => {
  it('records every transition exactly once, in order, with who, when, before/after text and corpus version', async () => {
    const db = await memDb();
    const now = tickingClock();
    const r = await enqueueDraft(db, makeDraft({ citations: [citation('p/1')] }), { askedBy: 'U1' }, { now });
    await decide(db, r.id, { action: 'approve', actor: 'alice' }, { policy, now });
    await markStaleByCitations(db, ['p/1'], 8, 'ingest v8', { now });
    await decide(db, r.id, { action: 'edit', actor: 'bob', text: 'Yes, AES-256-GCM.', status: 'yes' }, { policy, now });
    await markStaleByCitations(db, ['p/1'], 9, 'ingest v9', { now });
    // Refused attempts leave no trace in the audit log.
    await expect((async () => await decide(db, r.id, { action: 'approve', actor: 'mallory' }, { policy, now }))()).rejects.toThrow();
    await decide(db, r.id, { action: 'reject', actor: 'alice', note: 'policy withdrawn' }, { policy, now });

    const trail = await getAuditTrail(db, r.id);
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
    const review = await getReview(db, r.id);
    expect(review.version).toBe(trail.length);
    expect(review.state).toBe(trail[trail.length - 1]?.toState);
  });

  it('is append-only: UPDATE and DELETE on the audit table abort, even from raw SQL', async () => {
    const db = await memDb();
    const r = await enqueueDraft(db, makeDraft(), { askedBy: null });
    await decide(db, r.id, { action: 'approve', actor: 'alice' }, { policy });
    const before = await getAuditTrail(db, r.id);
    await expect(db.run("UPDATE review_audit SET actor = 'mallory'")).rejects.toThrow(/append-only/);
    await expect(db.run('DELETE FROM review_audit')).rejects.toThrow(/append-only/);
    expect(await getAuditTrail(db, r.id)).toEqual(before);
  });
});

describe('staleness', () => {
  it('marks reviews citing a changed passage stale (waiting drafts too), naming the source, and leaves the rest', async () => {
    const db = await memDb();
    const mk = (ids: string[]) => enqueueDraft(db, makeDraft({ citations: ids.map((id) => citation(id)) }), { askedBy: null });
    const approved = await mk(['p/1', 'p/9']);
    const edited = await mk(['p/2']);
    const pending = await mk(['p/1']);
    const rejected = await mk(['p/1']);
    const unrelated = await mk(['p/3']);
    await decide(db, approved.id, { action: 'approve', actor: 'alice' }, { policy });
    await decide(db, edited.id, { action: 'edit', actor: 'alice', text: 'changed', status: 'partial' }, { policy });
    await decide(db, rejected.id, { action: 'reject', actor: 'alice', note: 'no' }, { policy });
    await decide(db, unrelated.id, { action: 'approve', actor: 'alice' }, { policy });

    const affected = await markStaleByCitations(db, ['p/1', 'p/2', 'p/404'], 12, 'corpus v12');
    expect(affected.map((r) => r.id).sort()).toEqual([approved.id, edited.id, pending.id].sort());
    expect(affected.every((r) => r.state === 'stale')).toBe(true);
    // A waiting draft would otherwise be approved on text the sheet no longer says.
    expect((await getReview(db, pending.id)).state).toBe('stale');
    expect((await getReview(db, rejected.id)).state).toBe('rejected');
    expect((await getReview(db, unrelated.id)).state).toBe('approved');
    const last = (await getAuditTrail(db, approved.id)).at(-1);
    expect(last).toMatchObject({ action: 'mark_stale', toState: 'stale', corpusVersion: 12, note: 'corpus v12: cited source changed: p/1' });
    expect((await listApprovedAnswers(db)).map((a) => a.reviewId)).toEqual([unrelated.id]);

    // A further change under an already stale answer is recorded too; re-approval uses the new corpus.
    expect((await markStaleByCitations(db, ['p/9'], 13, 'corpus v13')).map((r) => r.id)).toEqual([approved.id]);
    expect((await getAuditTrail(db, approved.id)).at(-1)?.note).toBe('corpus v13: cited source changed: p/9');
    const again = await decide(db, approved.id, { action: 'approve', actor: 'bob' }, { policy });
    expect(again.review).toMatchObject({ state: 'approved', approvedBy: 'bob', corpusVersion: 13 });
  });

  it('withdraws a waiting draft replaced by a newer one, and leaves a decided review alone', async () => {
    const db = await memDb();
    const waiting = await enqueueDraft(db, makeDraft(), { askedBy: null, jobId: 'j', rowKey: 'q-1' });
    const decided = await enqueueDraft(db, makeDraft(), { askedBy: null, jobId: 'j', rowKey: 'q-2' });
    await decide(db, decided.id, { action: 'reject', actor: 'alice', note: 'wrong' }, { policy });
    expect((await withdrawReview(db, waiting.id, { note: 'replaced by review #9' }))?.state).toBe('withdrawn');
    expect((await getAuditTrail(db, waiting.id)).at(-1)).toMatchObject({ action: 'withdraw', fromState: 'drafted', toState: 'withdrawn', actor: 'kotae:bulk' });
    expect(await withdrawReview(db, decided.id, { note: 'replaced' })).toBeNull();
    expect((await getReview(db, decided.id)).state).toBe('rejected');
    // Nobody can approve a withdrawn draft.
    expect(await caught(() => decide(db, waiting.id, { action: 'approve', actor: 'alice' }, { policy }))).toMatchObject({ code: 'conflict', message: expect.stringMatching(/already withdrawn/) });
  });

  it('counts what re-ingest did by what each review was: approvals undone apart from waiting drafts and already stale ones', async () => {
    const db = await memDb();
    const mk = (ids: string[]) => enqueueDraft(db, makeDraft({ citations: ids.map((id) => citation(id)) }), { askedBy: null });
    const approved = await mk(['p/1']);
    const waiting = [await mk(['p/1']), await mk(['p/1']), await mk(['p/1'])];
    const stale = await mk(['p/2']);
    await decide(db, approved.id, { action: 'approve', actor: 'alice' }, { policy });
    await markStaleByCitations(db, ['p/2'], 4, 'earlier');
    const markings = await markStaleWithOrigins(db, ['p/1', 'p/2'], 5, 'corpus v5');
    expect(markings.map((m) => m.from)).toEqual(['approved', 'drafted', 'drafted', 'drafted', 'stale']);
    expect(summariseStale(markings)).toEqual({ approved: 1, waiting: waiting.length, alreadyStale: 1 });
    expect(markings.find((m) => m.review.id === stale.id)?.review.state).toBe('stale');
  });

  it('does nothing for an empty change list', async () => {
    const db = await memDb();
    expect(await markStaleByCitations(db, [], 1, 'x')).toEqual([]);
  });
});

describe('queries', () => {
  it('lists with product/state/job filters and keyset pagination', async () => {
    const db = await memDb();
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await enqueueDraft(db, makeDraft({ product: i % 2 ? 'cybozu' : 'krew' }), { askedBy: null, jobId: i < 3 ? 'job-a' : undefined, rowKey: `R${i}` })).id);
    await decide(db, ids[0] ?? '', { action: 'approve', actor: 'alice' }, { policy });

    const p1 = await listReviews(db, { limit: 3 });
    expect(p1.items.map((r) => r.id)).toEqual(ids.slice(0, 3));
    const p2 = await listReviews(db, { limit: 3, after: p1.next ?? undefined });
    const p3 = await listReviews(db, { limit: 3, after: p2.next ?? undefined });
    expect([...p2.items, ...p3.items].map((r) => r.id)).toEqual(ids.slice(3));
    expect(p3.next).toBeNull();

    expect((await listReviews(db, { product: 'cybozu' })).items).toHaveLength(3);
    expect((await listReviews(db, { state: 'approved' })).items.map((r) => r.id)).toEqual([ids[0]]);
    expect((await listReviews(db, { state: ['approved', 'drafted'], product: 'krew' })).items).toHaveLength(4);
    expect((await listReviews(db, { jobId: 'job-a' })).items.map((r) => r.id)).toEqual(ids.slice(0, 3));
    expect(await caught(() => listReviews(db, { limit: 0 }))).toMatchObject({ code: 'input' });
  });

  it('getDecisionsForJob gives each row its final answer only when approved', async () => {
    const db = await memDb();
    const a = await enqueueDraft(db, makeDraft(), { askedBy: null, jobId: 'job-1', rowKey: 'R2' });
    const b = await enqueueDraft(db, makeDraft(), { askedBy: null, jobId: 'job-1', rowKey: 'R3' });
    const c = await enqueueDraft(db, makeDraft(), { askedBy: null, jobId: 'job-1', rowKey: 'R4' });
    await enqueueDraft(db, makeDraft(), { askedBy: null, jobId: 'job-2', rowKey: 'R2' });
    await decide(db, a.id, { action: 'edit', actor: 'alice', text: 'No.', status: 'no' }, { policy });
    await decide(db, c.id, { action: 'reject', actor: 'bob', note: 'out of scope' }, { policy });
    const decisions = await getDecisionsForJob(db, 'job-1');
    expect(decisions.map((d) => [d.rowKey, d.state, d.final, d.answer, d.approvedBy, d.note])).toEqual([
      ['R2', 'edited', true, 'No.', 'alice', null],
      ['R3', 'drafted', false, b.answer, null, null],
      ['R4', 'rejected', false, c.answer, null, 'out of scope'],
    ]);
  });

  it('listApprovedAnswers returns exactly the approved and edited answers with their approver', async () => {
    const db = await memDb();
    const now = tickingClock();
    const a = await enqueueDraft(db, makeDraft(), { askedBy: null });
    const b = await enqueueDraft(db, makeDraft(), { askedBy: null });
    await enqueueDraft(db, makeDraft(), { askedBy: null });
    const ok = await decide(db, a.id, { action: 'approve', actor: 'alice' }, { policy, now });
    await decide(db, b.id, { action: 'edit', actor: 'bob', text: 'Edited.', status: 'yes' }, { policy, now });
    const answers = await listApprovedAnswers(db);
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

/** Whether the caller runs inside a transaction of `db`: the port refuses statements there. */
function insideTransaction(db: Database): Promise<boolean> {
  return db.get('SELECT 1 AS one').then(
    () => false,
    () => true,
  );
}

describe('answer library hook', () => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => cleanup?.());

  it('is called after the transaction commits: another connection already sees the decision', async () => {
    const t = await tempDb();
    cleanup = t.cleanup;
    // Another connection, as another process would read the database.
    const reader = await openDatabase(t.config);
    const seen: Array<{ call: string; arg: string; stateSeenByOthers: unknown; inTransaction: boolean }> = [];
    const stateOf = async (id: string): Promise<unknown> => (await reader.get('SELECT state FROM reviews WHERE id = ?', [Number(id)]))?.['state'];
    const library: AnswerLibrary = {
      upsert: async (entry: ApprovedAnswer) => {
        seen.push({ call: 'upsert', arg: entry.reviewId, stateSeenByOthers: await stateOf(entry.reviewId), inTransaction: await insideTransaction(t.db) });
      },
      remove: async (id: string) => {
        seen.push({ call: 'remove', arg: id, stateSeenByOthers: await stateOf(id), inTransaction: await insideTransaction(t.db) });
      },
    };
    const queue = new ReviewQueue(t.db, { policy, library });
    const a = await queue.enqueue(makeDraft({ citations: [citation('p/1')] }), { askedBy: null });
    const b = await queue.enqueue(makeDraft(), { askedBy: null });
    expect((await queue.approve(a.id, { as: 'alice' })).library).toBe('synced');
    await queue.reject(b.id, { as: 'alice', reason: 'dup' });
    const stale = await queue.markStaleByCitations(['p/1'], 8, 'ingest');
    expect(stale.map((r) => r.id)).toEqual([a.id]);
    await reader.close();
    expect(seen).toEqual([
      { call: 'upsert', arg: a.id, stateSeenByOthers: 'approved', inTransaction: false },
      { call: 'remove', arg: b.id, stateSeenByOthers: 'rejected', inTransaction: false },
      { call: 'remove', arg: a.id, stateSeenByOthers: 'stale', inTransaction: false },
    ]);
  });

  it('a failing library does not undo the approval: it is logged and the rebuild source still has it', async () => {
    const lines: string[] = [];
    const db = await memDb();
    const library: AnswerLibrary = {
      upsert: async () => {
        throw new Error('lancedb unavailable');
      },
      remove: async () => {
        throw new Error('lancedb unavailable');
      },
    };
    const queue = new ReviewQueue(db, { policy, library, log: createLogger('warn', (l) => lines.push(l)) });
    const r = await queue.enqueue(makeDraft(), { askedBy: null });
    const out = await queue.approve(r.id, { as: 'alice' });
    expect(out.library).toBe('failed');
    expect(await queue.get(r.id)).toMatchObject({ state: 'approved', approvedBy: 'alice' });
    expect((await listApprovedAnswers(db)).map((a) => a.reviewId)).toEqual([r.id]);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ level: 'error', reviewId: r.id, error: { message: 'lancedb unavailable' } });
    expect(lines[0]).toContain('rebuild');
  });

  it('is not called when the decision is refused', async () => {
    const calls: string[] = [];
    const library: AnswerLibrary = { upsert: async (e) => void calls.push(e.reviewId), remove: async (id) => void calls.push(id) };
    const queue = new ReviewQueue(await memDb(), { policy, library });
    const r = await queue.enqueue(makeDraft(), { askedBy: null });
    await expect(queue.approve(r.id, { as: 'mallory' })).rejects.toMatchObject({ code: 'forbidden' });
    expect(calls).toEqual([]);
  });
});
