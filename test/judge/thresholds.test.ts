import { describe, expect, it } from 'vitest';
import { chooseCite, chooseDecline, CITE_BETA, chooseUnflagged, MAX_FALSE_DECLINE, MIN_UNFLAGGED, TARGET_PRECISION } from '../../src/judge/train.js';

describe('the unflagged threshold', () => {
  it('is the lowest confidence at which answers given without a flag are at least 97% right', () => {
    // 40 answers: the 30 most confident are right, below that half are wrong.
    const scored = Array.from({ length: 40 }, (_, i) => ({ confidence: 1 - i / 100, right: i < 30 || i % 2 === 0, abstained: false }));
    const t = chooseUnflagged(scored);
    const unflagged = scored.filter((s) => s.confidence >= t);
    expect(unflagged.filter((s) => s.right).length / unflagged.length).toBeGreaterThanOrEqual(TARGET_PRECISION);
    expect(unflagged.length).toBeGreaterThanOrEqual(30);
    expect(unflagged.length).toBeLessThan(35);
  });

  it('is 1 (nothing goes out unflagged) when no confidence reaches that precision', () => {
    const scored = Array.from({ length: 40 }, (_, i) => ({ confidence: 1 - i / 100, right: i % 3 !== 0, abstained: false }));
    expect(chooseUnflagged(scored)).toBe(1);
  });

  it('is 1 while fewer than MIN_UNFLAGGED answers would go out, however right they are', () => {
    const few = Array.from({ length: MIN_UNFLAGGED - 1 }, (_, i) => ({ confidence: 0.99 - i / 100, right: true, abstained: false }));
    expect(chooseUnflagged(few)).toBe(1);
    expect(chooseUnflagged([...few, { confidence: 0.5, right: true, abstained: false }])).toBe(0.5);
  });

  it('ignores declined items: they are not answers', () => {
    const scored = [
      ...Array.from({ length: 20 }, (_, i) => ({ confidence: 0.9 - i / 100, right: true, abstained: false })),
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
