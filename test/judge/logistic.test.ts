import { describe, expect, it } from 'vitest';
import { fit, fitRanker, predict } from '../../src/judge/logistic.js';

/** A deterministic pseudo-random stream, so the data (and the test) are the same every run. */
function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('logistic regression', () => {
  it('learns which feature tells the classes apart, and its probabilities follow the data', () => {
    const rand = lcg(7);
    const rows = Array.from({ length: 400 }, () => ({ signal: rand(), noise: rand() }));
    // The label is 1 with probability equal to `signal`: a calibrated model predicts ~signal.
    const labels = rows.map((r) => (rand() < r.signal ? 1 : 0));
    const model = fit(['signal', 'noise'], rows, labels, { l2: 0.001 });
    const [signalWeight, noiseWeight] = model.weights;
    expect(signalWeight).toBeGreaterThan(1);
    expect(Math.abs(noiseWeight ?? 1)).toBeLessThan(0.3);
    expect(predict(model, { signal: 0.9, noise: 0.5 })).toBeGreaterThan(0.75);
    expect(predict(model, { signal: 0.1, noise: 0.5 })).toBeLessThan(0.25);
  });

  it('is deterministic: the same data gives the same weights', () => {
    const rows = [{ a: 0 }, { a: 1 }, { a: 2 }, { a: 3 }];
    expect(fit(['a'], rows, [0, 0, 1, 1])).toEqual(fit(['a'], rows, [0, 0, 1, 1]));
  });

  it('refuses a feature vector with a missing or non-finite feature instead of guessing', () => {
    const model = fit(['a'], [{ a: 0 }, { a: 1 }], [0, 1]);
    expect(() => predict(model, {})).toThrow(/feature "a"/);
    expect(() => predict(model, { a: Number.NaN })).toThrow(/feature "a"/);
  });
});

describe('conditional logit ranker', () => {
  it('learns to put the answering row of each question first, whatever the other questions look like', () => {
    const rand = lcg(3);
    // Each question: five rows; the answer has the highest `match` but `length` is noise, and the
    // levels differ from question to question (a pointwise classifier would be misled by them).
    const groups = Array.from({ length: 60 }, (_, g) => {
      const level = g % 2 === 0 ? 0 : 5;
      const rows = Array.from({ length: 5 }, (_, i) => ({ match: level + (i === 0 ? 1 : rand() * 0.8), length: rand() }));
      return { rows, labels: rows.map((_, i) => (i === 0 ? 1 : 0)) };
    });
    const model = fitRanker(['match', 'length'], groups, { l2: 0.001 });
    expect(model.weights[0]).toBeGreaterThan(Math.abs(model.weights[1] ?? 0) * 3);
    const won = groups.filter((g) => {
      const scores = g.rows.map((r) => predict(model, r));
      return scores.indexOf(Math.max(...scores)) === 0;
    }).length;
    expect(won).toBe(groups.length);
  });

  it('needs at least one question with an answering row', () => {
    expect(() => fitRanker(['a'], [{ rows: [{ a: 1 }], labels: [0] }])).toThrow(/answering row/);
  });
});
