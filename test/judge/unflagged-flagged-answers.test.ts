/**
 * Why: an answer a caution flags goes out for review whatever its confidence; the eval leaves it
 * out of the unflagged answers whose precision it measures. The unflagged threshold must be
 * chosen on the answers it decides, or sure-looking flagged answers that are wrong hold it at 1.
 */
import { describe, expect, it } from 'vitest';
import { chooseUnflagged } from '../../src/judge/train.js';

describe('the unflagged threshold and answers flagged whatever their confidence', () => {
  const decided = Array.from({ length: 120 }, (_, i) => ({ confidence: 0.95 - i / 1000, right: true, abstained: false }));
  const flaggedWrong = Array.from({ length: 5 }, (_, i) => ({ confidence: 0.99 - i / 1000, right: false, abstained: false, flagged: true }));

  it('does not count them: they are not released by any threshold', () => {
    expect(chooseUnflagged([...flaggedWrong, ...decided])).toBeLessThan(0.95);
  });

  it('counts the same answers when nothing flags them', () => {
    const unflaggedWrong = flaggedWrong.map((s) => ({ confidence: s.confidence, right: s.right, abstained: s.abstained }));
    expect(chooseUnflagged([...unflaggedWrong, ...decided])).toBe(1);
  });
});
