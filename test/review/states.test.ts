import { describe, expect, it } from 'vitest';
import { ReviewState } from '../../src/domain.js';
import { KotaeError } from '../../src/errors.js';
import { APPROVED_STATES, DECIDED_STATES, REJECTED_STATES, REVIEW_ACTIONS, TRANSITIONS, WAITING_STATES, transition, type ReviewAction } from '../../src/review/states.js';

// The intended machine, written out independently of src/review/states.ts: a row per state,
// a column per action, `-` where the transition is forbidden.
const EXPECTED: Record<ReviewState, Record<ReviewAction, ReviewState | '-'>> = {
  drafted: { approve: 'approved', edit: 'edited', reject: 'rejected', mark_stale: 'stale', withdraw: 'withdrawn', retire: '-', reuse: 'approved' },
  needs_human: { approve: 'approved', edit: 'edited', reject: 'rejected', mark_stale: 'stale', withdraw: 'withdrawn', retire: '-', reuse: '-' },
  approved: { approve: '-', edit: '-', reject: '-', mark_stale: 'stale', withdraw: '-', retire: 'withdrawn', reuse: '-' },
  edited: { approve: '-', edit: '-', reject: '-', mark_stale: 'stale', withdraw: '-', retire: 'withdrawn', reuse: '-' },
  rejected: { approve: '-', edit: '-', reject: '-', mark_stale: '-', withdraw: '-', retire: '-', reuse: '-' },
  stale: { approve: 'approved', edit: 'edited', reject: 'rejected', mark_stale: 'stale', withdraw: 'withdrawn', retire: '-', reuse: '-' },
  withdrawn: { approve: '-', edit: '-', reject: '-', mark_stale: '-', withdraw: '-', retire: '-', reuse: '-' },
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

  it('names the states surfaces group rows by, read off the same table', () => {
    expect([...WAITING_STATES].sort()).toEqual(['drafted', 'needs_human', 'stale']);
    expect([...APPROVED_STATES].sort()).toEqual(['approved', 'edited']);
    expect([...REJECTED_STATES]).toEqual(['rejected']);
    expect([...DECIDED_STATES].sort()).toEqual(['approved', 'edited', 'rejected', 'withdrawn']);
    // Every state is either waiting for a person or decided, never both.
    expect(ReviewState.options.filter((s) => WAITING_STATES.has(s) === DECIDED_STATES.has(s))).toEqual([]);
  });
});
