/**
 * Why: the decline thresholds are chosen per fold on a few dozen scored questions, and the rule
 * that took every unanswerable question the 5% budget allows jumped with single items: a refit
 * on new retrieval features raised the Japanese thresholds from 0.54–0.58 to 0.62–0.68 to catch
 * one more unanswerable training question, and declined three answerable ones of other folds
 * (EXPERIMENTS.md, session 15). The smoothed chooser lets a threshold rise over answerable
 * questions only where it gains at least as many unanswerable ones, and gives one item a small
 * smooth say instead of a step, so the threshold moves little when one item moves.
 */
import { describe, expect, it } from 'vitest';
import { chooseDecline, chooseDeclineSmooth, MAX_FALSE_DECLINE } from '../../src/judge/train.js';

type Scored = { answerable: boolean; p: number };
const count = (xs: Scored[], answerable: boolean, t: number): number => xs.filter((s) => s.answerable === answerable && s.p < t).length;

// 100 answerable questions from 0.40 up; 20 unanswerable ones at 0.05–0.34.
const answerable: Scored[] = Array.from({ length: 100 }, (_, i) => ({ answerable: true, p: 0.4 + i * 0.006 }));
const unanswerable: Scored[] = Array.from({ length: 20 }, (_, i) => ({ answerable: false, p: 0.05 + i * 0.015 }));

describe('the smoothed decline threshold', () => {
  it('declines the unanswerable cluster and no answerable question when they are apart', () => {
    const t = chooseDeclineSmooth([...answerable, ...unanswerable]);
    expect(count(unanswerable, false, t)).toBe(20);
    expect(count(answerable, true, t)).toBe(0);
  });

  it('does not rise over three answerable questions to catch one unanswerable question among them, where the budget rule does', () => {
    // A lone unanswerable question at 0.415, above the three lowest answerable ones (3% of them).
    const blip: Scored = { answerable: false, p: 0.415 };
    const pool = [...answerable, ...unanswerable, blip];
    const budget = chooseDecline(pool);
    expect(blip.p < budget).toBe(true);
    expect(count(pool, true, budget)).toBeGreaterThanOrEqual(3);
    const smooth = chooseDeclineSmooth(pool);
    expect(blip.p < smooth).toBe(false);
    expect(count(pool, true, smooth)).toBe(0);
    expect(count(pool, false, smooth)).toBe(20);
  });

  it('does rise over an answerable question when that declines several more unanswerable ones', () => {
    // Five unanswerable questions at 0.42–0.43, above one answerable question at 0.41 and below the rest (from 0.52).
    const cluster: Scored[] = Array.from({ length: 5 }, (_, i) => ({ answerable: false, p: 0.42 + i * 0.002 }));
    const pool = [...answerable.slice(20), { answerable: true, p: 0.41 }, ...unanswerable, ...cluster];
    const t = chooseDeclineSmooth(pool);
    expect(cluster.every((s) => s.p < t)).toBe(true);
    expect(count(pool, true, t)).toBe(1);
  });

  it('moves by at most a grid step when one answerable question moves a little', () => {
    const mixed: Scored[] = [
      ...Array.from({ length: 60 }, (_, i) => ({ answerable: true, p: 0.3 + i * 0.011 })),
      ...Array.from({ length: 20 }, (_, i) => ({ answerable: false, p: 0.1 + i * 0.02 })),
    ];
    const t = chooseDeclineSmooth(mixed);
    for (const k of [0, 1, 2, 3]) {
      const nudged = mixed.map((s, i) => (i === k ? { ...s, p: s.p + 0.008 } : s));
      expect(Math.abs(chooseDeclineSmooth(nudged) - t)).toBeLessThanOrEqual(0.011);
    }
  });

  it('never spends more than 5% of answerable questions, even when unanswerable ones sit above them all', () => {
    const pool = [...answerable, ...Array.from({ length: 30 }, (_, i) => ({ answerable: false, p: 0.5 + i * 0.01 }))];
    const t = chooseDeclineSmooth(pool);
    expect(count(pool, true, t) / 100).toBeLessThanOrEqual(MAX_FALSE_DECLINE);
  });
});
