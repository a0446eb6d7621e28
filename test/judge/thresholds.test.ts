import { describe, expect, it } from 'vitest';
import { chooseCite, chooseDecline, chooseRankL2, CITE_BETA, chooseUnflagged, MAX_FALSE_DECLINE, RANK_L2_GRID, TARGET_PRECISION, wilsonLower, type TrainItem } from '../../src/judge/train.js';
import { ROW_FEATURES, type RowFeatures } from '../../src/judge/features.js';

describe('the unflagged threshold', () => {
  it('is the lowest confidence at which answers given without a flag are at least 97% right with 95% confidence', () => {
    // 200 answers: the 150 most confident are right, below that half are wrong.
    const scored = Array.from({ length: 200 }, (_, i) => ({ confidence: 1 - i / 1000, right: i < 150 || i % 2 === 0, abstained: false }));
    const t = chooseUnflagged(scored);
    const unflagged = scored.filter((s) => s.confidence >= t);
    const right = unflagged.filter((s) => s.right).length;
    expect(wilsonLower(right, unflagged.length)).toBeGreaterThanOrEqual(TARGET_PRECISION);
    expect(unflagged.length).toBeGreaterThanOrEqual(150);
    expect(unflagged.length).toBeLessThan(160);
    // One more answer (a wrong one) would take the bound below the target.
    const next = scored.filter((s) => s.confidence < t)[0];
    expect(next?.right).toBe(false);
    expect(wilsonLower(right, unflagged.length + 1)).toBeLessThan(TARGET_PRECISION);
  });

  it('is 1 (nothing goes out unflagged) when no confidence reaches that precision', () => {
    const scored = Array.from({ length: 40 }, (_, i) => ({ confidence: 1 - i / 100, right: i % 3 !== 0, abstained: false }));
    expect(chooseUnflagged(scored)).toBe(1);
  });

  it('is 1 while too few answers would go out for the bound to reach 97%, however right they are', () => {
    // At 95% confidence, 87 right answers out of 87 bound the precision just below 97%; 88 reach it.
    const few = Array.from({ length: 87 }, (_, i) => ({ confidence: 0.99 - i / 1000, right: true, abstained: false }));
    expect(chooseUnflagged(few)).toBe(1);
    expect(chooseUnflagged([...few, { confidence: 0.5, right: true, abstained: false }])).toBe(0.5);
  });

  it('ignores declined items: they are not answers', () => {
    const scored = [
      ...Array.from({ length: 100 }, (_, i) => ({ confidence: 0.9 - i / 1000, right: true, abstained: false })),
      { confidence: 0.99, right: false, abstained: true },
    ];
    expect(chooseUnflagged(scored)).toBeLessThan(0.9);
  });
});

describe('the decline threshold', () => {
  it('declines as many unanswerable questions as it can while wrongly declining at most 5% of answerable ones', () => {
    const answerable = Array.from({ length: 100 }, (_, i) => ({ answerable: true, p: 0.3 + i / 150 }));
    const unanswerable = Array.from({ length: 20 }, (_, i) => ({ answerable: false, p: 0.05 + i / 40 }));
    const t = chooseDecline([...answerable, ...unanswerable]);
    expect(answerable.filter((s) => s.p < t).length / answerable.length).toBeLessThanOrEqual(MAX_FALSE_DECLINE);
    expect(unanswerable.filter((s) => s.p < t).length).toBeGreaterThan(10);
  });
});

describe('the citation threshold', () => {
  it('cites a second row when second rows usually answer too, and not when they usually do not', () => {
    const twoRowAnswers = Array.from({ length: 10 }, () => ({ answerable: true, rows: [{ p: 0.5, label: 1 }, { p: 0.4, label: 1 }, { p: 0.1, label: 0 }] }));
    expect(chooseCite(twoRowAnswers)).toBeLessThanOrEqual(0.4);
    const oneRowAnswers = Array.from({ length: 10 }, () => ({ answerable: true, rows: [{ p: 0.5, label: 1 }, { p: 0.4, label: 0 }, { p: 0.1, label: 0 }] }));
    expect(chooseCite(oneRowAnswers)).toBeGreaterThan(0.4);
  });

  it('weighs recall by CITE_BETA: a second row that answers one time in ten is cited under F3, not under F2', () => {
    const items = Array.from({ length: 10 }, (_, i) => ({ answerable: true, rows: [{ p: 0.5, label: 1 }, { p: 0.3, label: i === 0 ? 1 : 0 }, { p: 0.1, label: 0 }] }));
    expect(CITE_BETA).toBe(3);
    expect(chooseCite(items)).toBeLessThanOrEqual(0.3);
    expect(chooseCite(items, 2)).toBeGreaterThan(0.3);
  });
});

describe('the ranker’s penalty', () => {
  /** Questions of six rows over five folds; the answer's coverage stands out by `signal` (0: not at all). */
  function items(signal: number, seed: number): TrainItem[] {
    let s = seed;
    const rand = (): number => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s / 2 ** 32;
    };
    return Array.from({ length: 60 }, (_, q) => ({
      id: `q${q}`,
      fold: q % 5,
      answerable: true,
      rows: Array.from({ length: 6 }, (_, i) => {
        const features = Object.fromEntries(ROW_FEATURES.map((f) => [f, rand()])) as RowFeatures;
        features.cov = rand() + (i === 0 ? signal : 0);
        return { features, label: i === 0 ? 1 : 0 };
      }),
    }));
  }

  it('is the grid’s largest where the features tell the questions’ answers apart no better than chance', () => {
    expect(chooseRankL2(items(0, 1))).toBe(Math.max(...RANK_L2_GRID));
  });

  it('is smaller where one feature clearly tells the answer, so the ranker may lean on it', () => {
    expect(chooseRankL2(items(3, 1))).toBeLessThan(Math.max(...RANK_L2_GRID));
  });
});
