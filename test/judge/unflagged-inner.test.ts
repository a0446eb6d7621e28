/**
 * Why: a fold's unflagged threshold decides which of that fold's answers go out without a review
 * flag, so nothing of the fold may reach it. Chosen on the other folds' answers scored by those
 * folds' own answer models, it did: each was fitted on the fold it then judges, and across fold
 * assignments the threshold released answers 91–95% right. The shipped procedure scores them with
 * the inner models of the fold's own fit and holds the threshold with any one fold left out.
 * Here whether an answer is right depends on its features alone (plus the relabelling), so the
 * answer models are the one path from fold 0's labels to fold 0's threshold. Every question is
 * answerable, so the confidence is read from an answer model of its own (Procedure.confidence
 * 'answer'): the answerable model would have nothing to learn.
 */
import { describe, expect, it } from 'vitest';
import { ANSWER_FEATURES, ROW_FEATURES, type AnswerFeatures, type RowFeatures } from '../../src/judge/features.js';
import { chooseUnflagged, chooseUnflaggedGuarded, crossValidate, PROCEDURE, stackedConfidence, type AnswerOutcome, type Procedure, type TrainItem } from '../../src/judge/train.js';
import type { Judge } from '../../src/judge/judge.js';

function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** 600 answerable questions in five folds; a strength in [0, 1]: every answer above 0.4 is right, below it one in two. */
function pool(): Array<TrainItem & { strength: number; coin: boolean }> {
  const rand = lcg(11);
  return Array.from({ length: 600 }, (_, q) => {
    const strength = rand();
    return {
      id: `a${q}`,
      fold: q % 5,
      answerable: true,
      strength,
      coin: rand() < 0.5,
      rows: [{ features: Object.fromEntries(ROW_FEATURES.map((f) => [f, strength])) as RowFeatures, label: 1 }],
    };
  });
}

const features = (item: TrainItem): AnswerFeatures => {
  const af = Object.fromEntries(ANSWER_FEATURES.map((f) => [f, 0])) as AnswerFeatures;
  af.cov1 = item.rows[0]?.features.cov ?? 0;
  return af;
};

/** Fold 0's unflagged threshold; with `flip`, every answer of fold 0 is labelled the opposite. */
function fold0Unflagged(flip: boolean, procedure: Procedure): number {
  const items = pool();
  const byId = new Map(items.map((i) => [i.id, i]));
  const judgeItem = (item: TrainItem): AnswerOutcome => {
    const it = byId.get(item.id);
    const truth = (it?.strength ?? 0) > 0.4 || (it?.coin ?? false);
    return { features: features(item), abstained: false, right: flip && item.fold === 0 ? !truth : truth };
  };
  const result = crossValidate(items, 5, features, (i: TrainItem, _j: Judge) => judgeItem(i), procedure);
  return result.judges[0]?.thresholds.unflagged ?? NaN;
}

const OWN_MODEL: Procedure = { ...PROCEDURE, confidence: 'answer' };

describe('a fold’s unflagged threshold', () => {
  it('does not hear the fold’s own answers (the shipped threshold scores)', () => {
    expect(PROCEDURE.unflaggedScores).toBe('innerGuarded');
    const t = fold0Unflagged(false, OWN_MODEL);
    expect(t).toBeLessThan(1);
    expect(fold0Unflagged(true, OWN_MODEL)).toBe(t);
  });

  it('does hear them when the other folds are scored by their own fold models (the leak inner scores close)', () => {
    const outer: Procedure = { ...OWN_MODEL, unflaggedScores: 'outer' };
    expect(fold0Unflagged(true, outer)).not.toBe(fold0Unflagged(false, outer));
  });
});

describe('chooseUnflaggedGuarded', () => {
  it('does not take a threshold that one fold’s run of right answers carries', () => {
    // Folds 1–3: 40 answers each, confidences 0.99 down, one in ten wrong; fold 4: 100 right answers above all of them.
    const scored = [
      ...Array.from({ length: 100 }, (_, i) => ({ confidence: 0.999 - i * 0.0001, right: true, abstained: false, fold: 4 })),
      ...[1, 2, 3].flatMap((fold) => Array.from({ length: 40 }, (_, i) => ({ confidence: 0.98 - i * 0.005 - fold * 0.001, right: i % 10 !== 5, abstained: false, fold }))),
    ];
    const plain = chooseUnflagged(scored);
    expect(plain).toBeLessThan(1);
    expect(chooseUnflaggedGuarded(scored)).toBe(1);
  });

  it('keeps a threshold every part of the evidence supports', () => {
    const scored = [0, 1, 2, 3].flatMap((fold) =>
      Array.from({ length: 60 }, (_, i) => ({ confidence: 0.99 - i * 0.004 - fold * 0.0005, right: i < 45, abstained: false, fold })),
    );
    const guarded = chooseUnflaggedGuarded(scored);
    expect(guarded).toBeLessThan(1);
    expect(guarded).toBeGreaterThanOrEqual(chooseUnflagged(scored));
  });
});

describe('stackedConfidence', () => {
  it('orders answers as the answerable model does and reads the rate of right answers, inner models on the same scale', () => {
    const model = { features: ['cov1'], weights: [2], bias: 0, mean: [0], scale: [1] };
    const inner = new Map([[0, { ...model, weights: [1.5] }]]);
    const logits = Array.from({ length: 200 }, (_, i) => (i - 100) / 25);
    const right = logits.map((z, i) => z > -1 || i % 3 === 0);
    const { model: stacked, inner: stackedInner } = stackedConfidence(model, inner, logits, right);
    const at = (m: typeof model, x: number): number => 1 / (1 + Math.exp(-((m.weights[0] ?? 0) * x + m.bias)));
    expect(at(stacked, 2)).toBeGreaterThan(at(stacked, 0));
    expect(at(stacked, 2)).toBeGreaterThan(0.9);
    expect(at(stacked, -2)).toBeLessThan(0.6);
    const innerModel = stackedInner.get(0);
    expect(innerModel && (innerModel.weights[0] ?? 0) / (stacked.weights[0] ?? 1)).toBeCloseTo(0.75, 5);
  });
});
