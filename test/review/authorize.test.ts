import { describe, expect, it, vi } from 'vitest';
import { assertApprover, assertFourEyes, type ReviewPolicy } from '../../src/review/authorize.js';
import { ReviewQueue } from '../../src/review/queue.js';
import { openTestDatabase } from '../support/db.js';
import { makeDraft } from './fixtures/drafts.js';

const listed: ReviewPolicy = { approvers: ['U_ALICE', 'U_BOB'], approverGroup: undefined, fourEyes: false };
const grouped: ReviewPolicy = { approvers: ['U_ALICE'], approverGroup: 'S_SECURITY', fourEyes: false };

async function queueWith(policy: ReviewPolicy, extra: Partial<ConstructorParameters<typeof ReviewQueue>[1]> = {}): Promise<ReviewQueue> {
  return new ReviewQueue(await openTestDatabase(), { policy, ...extra });
}

describe('who may approve', () => {
  it('a listed approver may; anyone else is refused and the review is left untouched', async () => {
    const q = await queueWith(listed);
    const r = await q.enqueue(makeDraft(), { askedBy: 'U_CAROL' });
    await expect(q.approve(r.id, { as: 'U_MALLORY' })).rejects.toMatchObject({
      code: 'forbidden',
      message: 'U_MALLORY is not an approver (not in KOTAE_APPROVERS)',
    });
    await expect(q.reject(r.id, { as: 'U_MALLORY', reason: 'x' })).rejects.toMatchObject({ code: 'forbidden' });
    expect(await q.get(r.id)).toMatchObject({ state: 'drafted', version: 1 });
    expect(await q.audit(r.id)).toHaveLength(1);
    expect((await q.approve(r.id, { as: 'U_BOB' })).review).toMatchObject({ state: 'approved', approvedBy: 'U_BOB' });
  });

  it('with nobody configured, nobody can approve, and the message says what to set', async () => {
    const q = await queueWith({ approvers: [], approverGroup: undefined, fourEyes: false });
    const r = await q.enqueue(makeDraft(), { askedBy: null });
    await expect(q.approve(r.id, { as: 'U_ALICE' })).rejects.toMatchObject({ code: 'forbidden', message: expect.stringContaining('KOTAE_APPROVERS') });
  });

  it('group members are approvers via an injected async check, consulted only for unlisted users', async () => {
    const isInGroup = vi.fn(async (user: string) => user === 'U_DAVE');
    const q = await queueWith(grouped, { isInGroup });
    const a = await q.enqueue(makeDraft(), { askedBy: null });
    const b = await q.enqueue(makeDraft(), { askedBy: null });
    await q.approve(a.id, { as: 'U_ALICE' });
    expect(isInGroup).not.toHaveBeenCalled();
    await expect(q.approve(b.id, { as: 'U_EVE' })).rejects.toMatchObject({ code: 'forbidden', message: 'U_EVE is not an approver (not in KOTAE_APPROVERS nor group S_SECURITY)' });
    expect((await q.approve(b.id, { as: 'U_DAVE' })).review.approvedBy).toBe('U_DAVE');
    expect(isInGroup.mock.calls).toEqual([['U_EVE'], ['U_DAVE']]);
  });

  it('group members may also come as a precomputed set', async () => {
    const q = await queueWith(grouped, { groupMembers: new Set(['U_DAVE']) });
    const r = await q.enqueue(makeDraft(), { askedBy: null });
    await expect(q.approve(r.id, { as: 'U_EVE' })).rejects.toMatchObject({ code: 'forbidden' });
    expect((await q.approve(r.id, { as: 'U_DAVE' })).review.state).toBe('approved');
  });

  it('refuses rather than guesses when group membership cannot be checked', async () => {
    expect(() => assertApprover(grouped, 'U_DAVE', undefined)).toThrow('U_DAVE is not in KOTAE_APPROVERS and membership of group S_SECURITY could not be checked');
    expect(() => assertApprover(grouped, 'U_DAVE', true)).not.toThrow();
    expect(() => assertApprover(grouped, 'U_DAVE', false)).toThrow(/not an approver/);
  });

  it('an empty identity is an input error, not a silent anonymous approval', async () => {
    const q = await queueWith(listed);
    const r = await q.enqueue(makeDraft(), { askedBy: null });
    await expect(q.approve(r.id, { as: '   ' })).rejects.toMatchObject({ code: 'input' });
  });
});

describe('four-eyes', () => {
  const fourEyes: ReviewPolicy = { ...listed, fourEyes: true };

  it('the asker cannot approve or edit-approve their own draft; another approver can', async () => {
    const q = await queueWith(fourEyes);
    const r = await q.enqueue(makeDraft(), { askedBy: 'U_ALICE' });
    const reason = 'four-eyes: U_ALICE asked this question and cannot approve their own draft';
    await expect(q.approve(r.id, { as: 'U_ALICE' })).rejects.toMatchObject({ code: 'forbidden', message: reason });
    await expect(q.edit(r.id, { as: 'U_ALICE', text: 'changed', status: 'yes' })).rejects.toMatchObject({ code: 'forbidden', message: reason });
    expect((await q.get(r.id)).state).toBe('drafted');
    expect((await q.approve(r.id, { as: 'U_BOB' })).review.approvedBy).toBe('U_BOB');
  });

  it('the asker may still reject (nothing is published); unknown askers cannot be checked and pass', async () => {
    const q = await queueWith(fourEyes);
    const own = await q.enqueue(makeDraft(), { askedBy: 'U_ALICE' });
    expect((await q.reject(own.id, { as: 'U_ALICE', reason: 'asked the wrong thing' })).review.state).toBe('rejected');
    const bulk = await q.enqueue(makeDraft(), { askedBy: null });
    expect((await q.approve(bulk.id, { as: 'U_ALICE' })).review.state).toBe('approved');
  });

  it('is off unless configured', async () => {
    const q = await queueWith(listed);
    const r = await q.enqueue(makeDraft(), { askedBy: 'U_ALICE' });
    expect((await q.approve(r.id, { as: 'U_ALICE' })).review.state).toBe('approved');
    expect(() => assertFourEyes(listed, 'approve', 'U_ALICE', 'U_ALICE')).not.toThrow();
  });
});
