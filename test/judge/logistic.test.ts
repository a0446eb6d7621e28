import { describe, expect, it } from 'vitest';
import { fit, fitRanker, linear, predict, rankLoss, recalibrate, type LogisticModel, type RankGroup } from '../../src/judge/logistic.js';

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

  /** Questions of five rows whose answer matches best, plus a second answering row in every third question. */
  function questions(seed: number, count: number): RankGroup[] {
    const rand = lcg(seed);
    return Array.from({ length: count }, (_, g) => {
      const rows = Array.from({ length: 5 }, (_, i) => ({ match: (i === 0 ? 1 : 0) + rand() * 0.8, length: rand() }));
      return { rows, labels: rows.map((_, i) => (i === 0 || (i === 1 && g % 3 === 0) ? 1 : 0)) };
    });
  }

  it('puts an answering row first in questions it was not fitted on', () => {
    const model = fitRanker(['match', 'length'], questions(5, 80), { l2: 0.001 });
    const unseen = questions(9, 40);
    const firstAnswers = unseen.filter((g) => {
      const scores = g.rows.map((r) => linear(model, r));
      return g.labels[scores.indexOf(Math.max(...scores))] === 1;
    }).length;
    expect(firstAnswers / unseen.length).toBeGreaterThan(0.9);
  });

  it('stops at the minimum of its loss plus the penalty: nudging any weight makes it worse', () => {
    const groups = questions(11, 60);
    const l2 = 0.01;
    const model = fitRanker(['match', 'length'], groups, { l2 });
    const penalised = (m: LogisticModel): number => rankLoss(m, groups) + (l2 / 2) * m.weights.reduce((a, w) => a + w * w, 0);
    const at = penalised(model);
    for (let j = 0; j < model.weights.length; j++) {
      for (const h of [-1e-3, 1e-3]) {
        const nudged = { ...model, weights: model.weights.map((w, k) => (k === j ? w + h : w)) };
        expect(penalised(nudged)).toBeGreaterThan(at);
      }
    }
  });

  it('needs at least one question with an answering row', () => {
    expect(() => fitRanker(['a'], [{ rows: [{ a: 1 }], labels: [0] }])).toThrow(/answering row/);
  });
});

describe('recalibration (Platt scaling folded into the model)', () => {
  // One feature; the label is 1 whenever x > 0, 0 otherwise, so a calibrated model is sure far from 0.
  const xs = Array.from({ length: 200 }, (_, i) => (i - 99.5) / 50);
  const rows = xs.map((x) => ({ x }));
  const labels = xs.map((x) => (x > 0 ? 1 : 0));
  const shrunk = fit(['x'], rows, labels, { l2: 5 });

  it('makes a heavily penalised model as sure as its held-out scores deserve', () => {
    const logits = rows.map((r) => linear(shrunk, r));
    const calibrated = recalibrate(shrunk, logits, labels);
    const sure = (m: LogisticModel): number => predict(m, { x: 1.5 });
    expect(sure(shrunk)).toBeLessThan(0.9);
    expect(sure(calibrated)).toBeGreaterThan(0.97);
    // Monotone: the order of answers never changes.
    expect(predict(calibrated, { x: -1 })).toBeLessThan(predict(calibrated, { x: 1 }));
  });

  it('leaves the model as it is when its held-out scores rank the labels the wrong way', () => {
    const logits = rows.map((r) => -linear(shrunk, r));
    expect(recalibrate(shrunk, logits, labels)).toEqual(shrunk);
  });
});
