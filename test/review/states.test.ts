import { describe, expect, it } from 'vitest';
import { ReviewState } from '../../src/domain.js';
import { KotaeError } from '../../src/errors.js';
import { REVIEW_ACTIONS, TRANSITIONS, transition, type ReviewAction } from '../../src/review/states.js';

// The intended machine, written out independently of src/review/states.ts: a row per state,
// a column per action, `-` where the transition is forbidden.
const EXPECTED: Record<ReviewState, Record<ReviewAction, ReviewState | '-'>> = {
  drafted: { approve: 'approved', edit: 'edited', reject: 'rejected', mark_stale: 'stale', withdraw: 'withdrawn', retire: '-' },
  needs_human: { approve: 'approved', edit: 'edited', reject: 'rejected', mark_stale: 'stale', withdraw: 'withdrawn', retire: '-' },
  approved: { approve: '-', edit: '-', reject: '-', mark_stale: 'stale', withdraw: '-', retire: 'withdrawn' },
  edited: { approve: '-', edit: '-', reject: '-', mark_stale: 'stale', withdraw: '-', retire: 'withdrawn' },
  rejected: { approve: '-', edit: '-', reject: '-', mark_stale: '-', withdraw: '-', retire: '-' },
  stale: { approve: 'approved', edit: 'edited', reject: 'rejected', mark_stale: 'stale', withdraw: 'withdrawn', retire: '-' },
  withdrawn: { approve: '-', edit: '-', reject: '-', mark_stale: '-', withdraw: '-', retire: '-' },
};

const cases = ReviewState.options.flatMap((from) => REVIEW_ACTIONS.map((action) => ({ from, action, to: EXPECTED[from][action] })));

describe('review state machine', () => {
  it.each(cases.filter((c) => c.to !== '-'))('$from --$action--> $to', ({ from, action, to }) => {
    expect(transition(from, action)).toBe(to);
  });

  it.each(cases.filter((c) => c.to === '-'))('$from --$action--> forbidden', ({ from, action }) => {
    let caught: unknown;
    try {
      transition(from, action);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(KotaeError);
    expect(caught).toMatchObject({ code: 'forbidden', message: expect.stringContaining(from) });
  });

  it('has no rule outside the expected matrix (and no duplicates)', () => {
    const allowed = cases.filter((c) => c.to !== '-').map((c) => `${c.from}/${c.action}`).sort();
    expect(TRANSITIONS.map((t) => `${t.from}/${t.action}`).sort()).toEqual(allowed);
  });

  it('refuses to approve an abstained needs_human draft as-is, but lets it be edited or rejected', () => {
    expect(() => transition('needs_human', 'approve', { abstained: true })).toThrow(/abstained/);
    expect(transition('needs_human', 'edit', { abstained: true })).toBe('edited');
    expect(transition('needs_human', 'reject', { abstained: true })).toBe('rejected');
    // Once a person has supplied an answer (edited → stale), re-approving it is fine.
    expect(transition('stale', 'approve', { abstained: true })).toBe('approved');
  });
});
