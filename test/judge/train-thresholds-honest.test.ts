/**
 * Why: a fold's thresholds judge that fold's questions out of fold, so nothing of the fold may
 * reach them. Chosen on the other folds' items scored by those folds' own models, they did not:
 * each of those models was fitted on the fold in question. The shipped procedure scores the other
 * folds' items with the inner cross-validation models of the fold's own fit (fitted on neither the
 * fold nor the item's fold). Here the answer features do not depend on the ranker, so a fold's
 * decline threshold can only hear its own questions through the answerable models: relabelling
 * every question of fold 0 must leave fold 0's thresholds as they are, and moves them when the
 * other folds' own models score them.
 */
import { describe, expect, it } from 'vitest';
import { ANSWER_FEATURES, ROW_FEATURES, type AnswerFeatures, type RowFeatures } from '../../src/judge/features.js';
import { predict } from '../../src/judge/logistic.js';
import { crossValidate, PROCEDURE, type AnswerOutcome, type Procedure, type TrainItem } from '../../src/judge/train.js';
import type { Judge } from '../../src/judge/judge.js';

function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** 100 questions in five folds; answerable ones score higher on cov1 and share1, with noise enough to overlap. */
function pool(flipFold0: boolean): TrainItem[] {
  const rand = lcg(7);
  return Array.from({ length: 100 }, (_, q) => {
    const fold = q % 5;
    const truth = q % 4 !== 0;
    const answerable = flipFold0 && fold === 0 ? !truth : truth;
    return {
      id: `q${q}`,
      fold,
      answerable,
      rows: Array.from({ length: 3 }, (_, i) => {
        const features = Object.fromEntries(ROW_FEATURES.map((f) => [f, rand()])) as RowFeatures;
        features.cov = rand() + (truth ? 0.8 : 0) + (i === 0 ? 0.3 : 0);
        return { features, label: truth && i === 0 ? 1 : 0 };
      }),
    };
  });
}

/** Answer features from the item's own rows only, whatever the ranker: the answerable models are the one path from a fold's labels to another fold's threshold. */
const features = (item: TrainItem): AnswerFeatures => {
  const af = Object.fromEntries(ANSWER_FEATURES.map((f) => [f, 0])) as AnswerFeatures;
  af.cov1 = item.rows[0]?.features.cov ?? 0;
  af.share1 = (item.rows[0]?.features.cov ?? 0) / 2 + (item.rows[1]?.features.cov ?? 0) / 4;
  return af;
};

function fold0Thresholds(flip: boolean, procedure: Procedure): number {
  const judgeItem = (item: TrainItem, judge: Judge): AnswerOutcome => {
    const af = features(item);
    const abstained = predict(judge.answerable, af) < judge.thresholds.decline;
    return { features: af, abstained, right: !abstained && item.answerable };
  };
  const result = crossValidate(pool(flip), 5, features, judgeItem, procedure);
  return result.judges[0]?.thresholds.decline ?? NaN;
}

describe('a fold’s decline threshold', () => {
  it('does not hear the fold’s own questions (the shipped procedure)', () => {
    expect(PROCEDURE.thresholdScores).toBe('inner');
    expect(fold0Thresholds(true, PROCEDURE)).toBe(fold0Thresholds(false, PROCEDURE));
  });

  it('does hear them when the other folds are scored by their own fold models (the leak the inner scores close)', () => {
    const outer: Procedure = { ...PROCEDURE, thresholdScores: 'outer' };
    expect(fold0Thresholds(true, outer)).not.toBe(fold0Thresholds(false, outer));
  });
});
