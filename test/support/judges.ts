/**
 * Judges that a test states for itself. The committed weights (src/judge/weights.json) are
 * refitted by `npm run train`, and their unflagged threshold moves with every refit (1, "no
 * answer leaves without a flag", whenever 97% precision cannot be shown out of fold). A test
 * about what happens to a confident draft (approving it, counting it, re-drafting it) must
 * not change meaning when that happens, so it names the judge it needs here and passes it to
 * createApp's `judge` seam. The committed models still rank and cite the rows (the tests need
 * the real retrieval); only the thresholds the test depends on are its own.
 */
import type { Passage } from '../../src/domain.js';
import { ANSWER_FEATURES, ROW_FEATURES, type CandidateView } from '../../src/judge/features.js';
import { loadWeights, type Judge, type Thresholds } from '../../src/judge/judge.js';
import type { LogisticModel } from '../../src/judge/logistic.js';
import type { Caution } from '../../src/retrieve/caution.js';
import { textKey } from '../../src/retrieve/match.js';

/** The committed models with some of their thresholds replaced by the test's. */
export function committedModelsWith(thresholds: Partial<Thresholds>): (question: string) => Judge {
  return () => {
    const full = loadWeights().full;
    return { ...full, thresholds: { ...full.thresholds, ...thresholds } };
  };
}

/** Every answer it gives (does not decline) goes out without a review flag. */
export const unflaggingJudge = committedModelsWith({ unflagged: 0 });

/** A logistic model stated by hand: the named features' weights (0 for the rest), no scaling. */
export const statedModel = (features: readonly string[], weights: Record<string, number>, bias = 0): LogisticModel => ({
  features: [...features],
  weights: features.map((f) => weights[f] ?? 0),
  bias,
  mean: features.map(() => 0),
  scale: features.map(() => 1),
});

/**
 * A judge whose every decision a spec can read off: rows ranked by coverage (plus `rank`'s
 * weights), sure of an answer whose best row covers the question (about 0.99, so a cap shows),
 * declining below half, flagging below 0.9. A spec of how the judgement treats its rows uses it
 * instead of the committed weights, which move with every `npm run train`.
 */
export const coverageJudge = (rank: Record<string, number> = { cov: 10 }): Judge => ({
  rank: statedModel(ROW_FEATURES, rank),
  answerable: statedModel(ANSWER_FEATURES, { cov1: 10 }, -5),
  answer: statedModel(ANSWER_FEATURES, { cov1: 10 }, -5),
  thresholds: { cite: 0.2, decline: 0.5, declineEn: 0.5, unflagged: 0.9 },
});

/** A row as retrieval hands it to the judge, matched on its answer (or on `key`, its text as retrieval reads it). */
export const candidateOf = (p: Passage, cautions: Caution[] = [], key = p.answer): CandidateView => ({
  passage: p,
  relevance: 0,
  key: textKey(key),
  requirementKey: textKey(p.requirement),
  answerKey: textKey(p.answer),
  sameQuestion: 0,
  cautions,
});
