/**
 * Why: the decline threshold is chosen on other folds' predictions and applied to questions it
 * has not seen. Every threshold in the gap between the last unanswerable question it declines
 * and the first answerable one it answers declines the same training items; the one chosen
 * decides which new questions near the gap are declined. Taken at the top of the gap, it sat
 * right under an answerable question, and an answerable question of another fold scoring a
 * little lower was declined (out of fold, 11 → 10 answerable items wrongly declined when it
 * moved to the middle). The middle leaves the same margin on both sides.
 */
import { describe, expect, it } from 'vitest';
import { chooseDecline, MAX_FALSE_DECLINE } from '../../src/judge/train.js';

describe('the decline threshold within a gap', () => {
  // Unanswerable questions score at most 0.30, answerable ones at least 0.70; with 19 answerable
  // questions, 5% allows none of them to be declined.
  const unanswerable = Array.from({ length: 20 }, (_, i) => ({ answerable: false, p: 0.05 + i / 80 }));
  const answerable = Array.from({ length: 19 }, (_, i) => ({ answerable: true, p: 0.7 + i / 100 }));
  const t = chooseDecline([...unanswerable, ...answerable]);

  it('still declines every unanswerable question below the gap and no answerable one', () => {
    expect(unanswerable.every((s) => s.p < t)).toBe(true);
    expect(answerable.some((s) => s.p < t)).toBe(false);
  });

  it('sits in the middle of the gap, so a new answerable question scoring a little under the lowest seen is answered', () => {
    expect(t).toBeGreaterThan(0.45);
    expect(t).toBeLessThan(0.55);
    const newAnswerable = 0.62;
    const newUnanswerable = 0.38;
    expect(newAnswerable < t).toBe(false);
    expect(newUnanswerable < t).toBe(true);
  });

  it('still spends the wrongly-declined budget when that declines more unanswerable questions', () => {
    // One answerable question of 20 (5%) scores among the unanswerable ones, below four of them.
    const mixed = [...unanswerable, ...answerable, { answerable: true, p: 0.25 }];
    const u = chooseDecline(mixed);
    expect(mixed.filter((s) => s.answerable && s.p < u).length / 20).toBeLessThanOrEqual(MAX_FALSE_DECLINE);
    expect(unanswerable.every((s) => s.p < u)).toBe(true);
  });

  it('spends none of the budget when declining an answerable question declines no more unanswerable ones', () => {
    // One answerable question of 20 scores 0.50, inside the gap: the 5% budget would allow declining it,
    // but every unanswerable question is declined already below it.
    const stray = { answerable: true, p: 0.5 };
    const v = chooseDecline([...unanswerable, ...answerable, stray]);
    expect(unanswerable.every((s) => s.p < v)).toBe(true);
    expect(stray.p < v).toBe(false);
    // Still in the middle of what is left of the gap, between the last unanswerable question and the stray one.
    expect(v).toBeGreaterThan(0.35);
    expect(v).toBeLessThan(0.45);
  });
});
