/**
 * Fitting the judgement from labelled questions, with k-fold cross-validation. Pure: the
 * caller (scripts/train.ts) gathers candidates, labels them and says whether a draft is
 * right; this fits the ranker, the answerable and answer models and the thresholds, for every
 * fold and for the whole pool.
 *
 * The same order in every fold k (trained on the other folds, applied to fold k):
 * 1. ranker on the answerable items' candidates, its L2 penalty chosen by cross-validation over
 *    the training folds alone (chooseRankL2);
 * 2. citation threshold on the other folds' items' shares (best citation F-score, recall
 *    weighted CITE_BETA times), each item scored by the inner ranker of step 1 fitted on
 *    neither fold k nor the item's fold;
 * 3. answerable model (label: the item is answerable; its L2 penalty, like the answer model's,
 *    chosen by cross-validation over the training folds alone: the largest penalty within one
 *    standard error of the lowest held-out log-loss), decline thresholds (Japanese and
 *    English questions apart) on the other folds' P(answerable), again from the inner models
 *    fitted on neither fold k nor the item's fold: the threshold with the most unanswerable
 *    items declined less answerable ones wrongly declined, each item counted smoothly
 *    (chooseDeclineSmooth), with at most 5% of answerable ones wrongly declined in each language;
 * 4. each item judged with its fold's models; whether the draft is right (an expected row among
 *    the first five citations and the right status) labels it;
 * 5. answer model on the answers given, and the unflagged threshold: the lowest P(right) at
 *    which the other folds' unflagged answers are ≥ 97% right with 95% confidence (Wilson),
 *    each scored by the inner answer model fitted on neither fold k nor its own fold, and
 *    still so with any one of those folds left out (chooseUnflaggedGuarded).
 */
import { ANSWER_FEATURES, RANK_FEATURES, type AnswerFeatures, type RowFeatures } from './features.js';
import type { Judge, Thresholds } from './judge.js';
import { fit, fitRanker, linear, predict, rankLoss, recalibrate, type LogisticModel, type RankGroup } from './logistic.js';

export interface TrainItem {
  id: string;
  fold: number;
  answerable: boolean;
  rows: Array<{ features: RowFeatures; label: number }>;
}

/** What judging one item with a given judge produced, and whether that answer is right. */
export interface AnswerOutcome {
  features: AnswerFeatures;
  abstained: boolean;
  right: boolean;
  /**
   * Flagged for review whatever its confidence (a caution about the question or the best row,
   * an ask no cited row touches): such an answer never goes out unflagged, so whether it is
   * right says nothing about the answers the unflagged threshold lets through.
   */
  flagged?: boolean;
}

export const TARGET_PRECISION = 0.97;
export const MAX_FALSE_DECLINE = 0.05;
/**
 * The unflagged claim must hold with this one-sided confidence (normal quantile of 95%): a
 * threshold is taken only where the Wilson lower bound of the precision above it reaches
 * TARGET_PRECISION, not the observed share. A minimum count (10, then 20 answers) was not
 * enough: a refit with another regulariser still let a threshold through whose unflagged
 * answers were 80% right out of fold. At 97% the bound needs at least 88 answers, all right.
 */
export const UNFLAGGED_Z = 1.645;
/** The answer models' penalty where there are too few folds to choose one (a single-fold fit). */
const ANSWER_L2 = 0.05;

/**
 * How a fit is regularised: choices a retraining makes by itself, on its own training folds.
 * `npm run train` uses PROCEDURE; the alternatives are what EXPERIMENTS.md compares.
 */
export type L2Rule = 'min' | 'oneSE';

export interface Procedure {
  /** The ranker's L2 penalties to choose from (fixed before any fit). */
  rankGrid: number[];
  /** The answerable and answer models' L2 penalties to choose from. */
  answerGrid: number[];
  /**
   * How the ranker's penalty is picked from its held-out losses. 'min': the penalty with the
   * lowest mean held-out loss. 'oneSE': the largest penalty whose mean held-out loss is within
   * one standard error (across the inner folds) of the lowest.
   */
  rankRule: L2Rule;
  /** The same for the answerable and answer models. */
  answerRule: L2Rule;
  /**
   * Which predictions choose fold k's citation and decline thresholds. 'outer': the other folds'
   * items scored by their own fold models (each of which saw fold k). 'inner': the other folds'
   * items scored by the inner cross-validation models of fold k's own fit (fitted on neither
   * fold k nor the item's fold), so nothing of fold k reaches its thresholds.
   */
  thresholdScores: 'outer' | 'inner';
  /** How a decline threshold is chosen from scored items: chooseDecline ('budget') or chooseDeclineSmooth ('smooth'). */
  declineRule: 'budget' | 'smooth';
  /**
   * Which confidences choose fold k's unflagged threshold. 'outer': the other folds' answers
   * scored by their own fold models (each fitted on fold k). 'inner': scored by the inner models
   * of fold k's answer fit (fitted on neither fold k nor the answer's fold), calibrated by the
   * same Platt map as fold k's model. 'innerGuarded': inner, and the threshold must also hold
   * with any one of the other folds left out (chooseUnflaggedGuarded).
   */
  unflaggedScores: 'outer' | 'inner' | 'innerGuarded';
  /**
   * What the confidence (P(the answer is right)) is read from. 'answer': a model of its own on
   * the answer features, fitted on whether the other folds' answers were right. 'answerable':
   * the answerable model's logit, Platt-scaled on whether those answers were right (stackedConfidence).
   */
  confidence: 'answer' | 'answerable';
}

/**
 * The ranker's L2 penalties to choose from, log-spaced and fixed before any fit. A fixed
 * 0.0001 (nearly none) let the collinear coverage features trade weight from fold to fold
 * (covSpecific, subBest, bmAbs changed sign between fold models) and the refit on new
 * retrieval features ranked worse out of fold than older weights did.
 */
export const RANK_L2_GRID = [0.001, 0.005, 0.02, 0.05, 0.2];

/** The answer models' L2 penalties to choose from, as RANK_L2_GRID for the ranker. */
export const ANSWER_L2_GRID = [0.005, 0.02, 0.05, 0.2, 1];

/**
 * What `npm run train` does. The answer models take the one-standard-error penalty: with the
 * lowest-loss penalty, one fold's answerable model picked 0.005 where the others picked more,
 * and the decline thresholds chosen on its P(answerable) ranged 0.43-0.65 across folds (wrongly
 * declined 0.06 out of fold); the loss curve is flat there, so the smoothest model it allows is
 * as good a fit and moves less when the features move (EXPERIMENTS.md, train13). The ranker
 * keeps the lowest-loss penalty: one standard error shrank it enough to lift every fold's
 * citation threshold and cite fewer second rows (multi all rows@5 0.85 → 0.80). Thresholds from
 * the inner models' scores, so that nothing of a fold reaches its own thresholds, and decline
 * thresholds by the smoothed objective: across five fold assignments (scripts/train-spread.ts)
 * the budget rule's items right ranged 234-242; see EXPERIMENTS.md, stab16, for what these two
 * changes did to that spread and to the mean.
 */
export const PROCEDURE: Procedure = {
  rankGrid: RANK_L2_GRID,
  answerGrid: ANSWER_L2_GRID,
  rankRule: 'min',
  answerRule: 'oneSE',
  thresholdScores: 'inner',
  declineRule: 'smooth',
  unflaggedScores: 'innerGuarded',
  confidence: 'answerable',
};

/**
 * The penalty of `grid` chosen from its held-out losses per inner fold (`losses[g][k]`, the
 * mean loss of fold k's questions under the model fitted without them).
 */
function pickL2(grid: number[], losses: number[][], rule: L2Rule): number {
  const means = losses.map((l) => l.reduce((a, b) => a + b, 0) / l.length);
  const best = means.reduce((b, m, g) => (m < (means[b] as number) ? g : b), 0);
  if (rule === 'min') return grid[best] as number;
  const l = losses[best] as number[];
  const m = means[best] as number;
  const se = l.length < 2 ? 0 : Math.sqrt(l.reduce((a, v) => a + (v - m) ** 2, 0) / (l.length - 1) / l.length);
  let pick = best;
  means.forEach((mg, g) => {
    if (mg <= m + se && (grid[g] as number) > (grid[pick] as number)) pick = g;
  });
  return grid[pick] as number;
}

/**
 * A model fitted by `fitOn(l2, k)` (k: the inner fold left out, null for all) with its penalty
 * chosen from `grid` by `rule` over the held-out losses of cross-validation over `folds` alone
 * (`lossOn(model, k)`), and the inner folds' models at that penalty. Fewer than two folds: `fallback`.
 */
function regularised(
  folds: number[],
  grid: number[],
  fallback: number,
  rule: L2Rule,
  fitOn: (l2: number, k: number | null) => LogisticModel,
  lossOn: (model: LogisticModel, k: number) => number,
): { model: LogisticModel; l2: number; inner: Map<number, LogisticModel> } {
  if (folds.length < 2) return { model: fitOn(fallback, null), l2: fallback, inner: new Map() };
  const fits = grid.map((l2) => folds.map((k) => fitOn(l2, k)));
  const l2 = pickL2(grid, fits.map((models) => models.map((m, i) => lossOn(m, folds[i] as number))), rule);
  const inner = fits[grid.indexOf(l2)] as LogisticModel[];
  return { model: fitOn(l2, null), l2, inner: new Map(folds.map((k, i) => [k, inner[i] as LogisticModel])) };
}

const rankGroups = (items: TrainItem[]): RankGroup[] => items.filter((i) => i.answerable).map((i) => ({ rows: i.rows.map((r) => r.features), labels: i.rows.map((r) => r.label) }));
const foldsOf = (items: TrainItem[]): number[] => [...new Set(items.filter((i) => i.answerable).map((i) => i.fold))].sort((a, b) => a - b);

function rankFit(items: TrainItem[], procedure: Procedure): { model: LogisticModel; l2: number; inner: Map<number, LogisticModel> } {
  const grid = procedure.rankGrid;
  return regularised(
    foldsOf(items),
    grid,
    grid[Math.floor(grid.length / 2)] as number,
    procedure.rankRule,
    (l2, k) => fitRanker([...RANK_FEATURES], rankGroups(items.filter((i) => i.fold !== k)), { l2 }),
    (model, k) => rankLoss(model, rankGroups(items.filter((i) => i.fold === k))),
  );
}

/**
 * The L2 penalty of RANK_L2_GRID whose rankers rank the held-out questions best (lowest mean
 * loss of the ranking objective), by cross-validation over the folds of `items` alone: the
 * questions a fold model is measured on never choose its penalty. Fewer than two folds: the
 * grid's middle.
 */
export function chooseRankL2(items: TrainItem[], procedure: Procedure = PROCEDURE): number {
  return rankFit(items, procedure).l2;
}

export function fitRank(items: TrainItem[], procedure: Procedure = PROCEDURE): LogisticModel {
  return rankFit(items, procedure).model;
}

const logLoss = (model: LogisticModel, rows: AnswerFeatures[], labels: boolean[]): number =>
  rows.reduce((sum, r, i) => {
    const p = predict(model, r);
    return sum - Math.log(Math.max(1e-300, labels[i] ? p : 1 - p));
  }, 0) / Math.max(1, rows.length);

/**
 * An answer model, its L2 penalty chosen from `procedure.answerGrid` by held-out log-loss
 * over the items' own folds (ANSWER_L2 with fewer than two folds). With `calibrate`, the
 * held-out logits of that cross-validation (each item scored by the model fitted without its
 * fold) recalibrate the model (Platt scaling), so its confidence means what it says: the
 * penalty that ranks best also shrinks every answer towards the base rate.
 */
function answerFit(rows: AnswerFeatures[], labels: boolean[], folds: number[] = [], calibrate = false, procedure: Procedure = PROCEDURE): LogisticModel {
  return answerFitInner(rows, labels, folds, calibrate, procedure).model;
}

/** answerFit, with the models of its inner cross-validation by the fold each left out. */
function answerFitInner(
  rows: AnswerFeatures[],
  labels: boolean[],
  folds: number[],
  calibrate: boolean,
  procedure: Procedure,
): { model: LogisticModel; inner: Map<number, LogisticModel> } {
  const ks = [...new Set(folds)].sort((a, b) => a - b);
  const y = labels.map((l) => (l ? 1 : 0));
  const { model, inner } = regularised(
    ks,
    procedure.answerGrid,
    ANSWER_L2,
    procedure.answerRule,
    (l2, k) => fit([...ANSWER_FEATURES], rows.filter((_, i) => folds[i] !== k), y.filter((_, i) => folds[i] !== k), { l2 }),
    (m, k) => logLoss(m, rows.filter((_, i) => folds[i] === k), labels.filter((_, i) => folds[i] === k)),
  );
  if (!calibrate || inner.size === 0) return { model, inner };
  const heldOut = rows.map((r, i) => linear(inner.get(folds[i] as number) as LogisticModel, r));
  // The inner models through the same Platt map (fitted on the same held-out logits), so that
  // their confidences are on the scale of the model they stand in for.
  return { model: recalibrate(model, heldOut, y), inner: new Map([...inner].map(([k, m]) => [k, recalibrate(m, heldOut, y)])) };
}

/** Softmax shares of a question's rows under a ranker. */
export function shares(model: LogisticModel, rows: Array<{ features: RowFeatures }>): number[] {
  const s = rows.map((r) => linear(model, r.features));
  const max = Math.max(...s);
  const e = s.map((v) => Math.exp(v - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

const GRID = Array.from({ length: 99 }, (_, i) => (i + 1) / 100);

/**
 * Recall's weight in the citation F-score. A reviewer strikes an extra citation in a second,
 * but a missing row means the answer rests on less than it should and the reviewer must go
 * looking for it: out of fold, F3 cites about two rows per answer (F2: 1.5) and finds about
 * 5% more of the expected rows (EVAL.md, ablation).
 */
export const CITE_BETA = 3;

/** Citation threshold on the share: best citation F-score (CITE_BETA) over answerable items (the best row is always cited). */
export function chooseCite(scored: Array<{ answerable: boolean; rows: Array<{ p: number; label: number }> }>, beta: number = CITE_BETA): number {
  let best = { t: 0.5, f: -1 };
  for (const t of GRID) {
    let tp = 0;
    let cited = 0;
    let relevant = 0;
    for (const item of scored) {
      if (!item.answerable) continue;
      const picked = [...item.rows].sort((a, b) => b.p - a.p).filter((r, i) => i === 0 || r.p >= t).slice(0, 5);
      tp += picked.filter((r) => r.label === 1).length;
      cited += picked.length;
      relevant += item.rows.filter((r) => r.label === 1).length;
    }
    const precision = cited === 0 ? 0 : tp / cited;
    const recall = relevant === 0 ? 0 : tp / relevant;
    const f = precision + recall === 0 ? 0 : ((1 + beta * beta) * precision * recall) / (beta * beta * precision + recall);
    if (f > best.f) best = { t, f };
  }
  return best.t;
}

/**
 * Decline threshold on P(answerable): most unanswerable items declined with ≤ 5% of answerable
 * ones wrongly declined, and of the thresholds that decline that many, those wrongly declining
 * fewest: the budget is a limit, not a target. (Taking the highest threshold within it spent the
 * whole 5% whenever it could: a refit declined five more answerable questions out of fold and not
 * one more unanswerable.) Every threshold between the last item it declines and the first it
 * answers declines the same items; of those, the middle one (the widest margin on both sides),
 * not the highest: the highest sat just below the first answered item, so an answerable question
 * of another fold a little below it was declined. Rounded to the grid.
 */
export function chooseDecline(scored: Array<{ answerable: boolean; p: number }>): number {
  const answerable = scored.filter((s) => s.answerable);
  const unanswerable = scored.filter((s) => !s.answerable);
  const within = [0, ...GRID].filter((t) => answerable.filter((s) => s.p < t).length / Math.max(1, answerable.length) <= MAX_FALSE_DECLINE);
  const declined = (t: number): number => unanswerable.filter((s) => s.p < t).length;
  const most = Math.max(...within.map(declined));
  const first = within.find((t) => declined(t) === most) ?? 0;
  const below = (t: number): number => scored.filter((s) => s.p < t).length;
  const last = within.filter((t) => below(t) === below(first)).at(-1) ?? first;
  return Math.round(((first + last) / 2) * 100) / 100;
}

/**
 * How wide (in P(answerable)) each item's say in chooseDeclineSmooth is spread: an item counts
 * as declined by a share of sigmoid((t − p) / DECLINE_BANDWIDTH), so one item moving across the
 * threshold moves the objective a little, not by a whole item.
 */
export const DECLINE_BANDWIDTH = 0.03;

/**
 * Decline threshold on P(answerable) by a smoothed objective: the (smoothed) unanswerable items
 * declined less `lost` times the answerable ones wrongly declined, within the same ≤ 5% budget of
 * answerable items wrongly declined. `lost` 1 is the number of items right (a declined
 * unanswerable item becomes right, a declined answerable one wrong). chooseDecline takes every
 * unanswerable item the budget allows, however many answerable items each one costs, and jumps
 * to wherever the last one falls; here a threshold rises over answerable items only where it
 * gains at least as many unanswerable ones, and a lone item contributes a smooth bump.
 */
export function chooseDeclineSmooth(scored: Array<{ answerable: boolean; p: number }>, lost = 1, h: number = DECLINE_BANDWIDTH): number {
  const nA = Math.max(1, scored.filter((s) => s.answerable).length);
  const soft = (t: number, answerable: boolean): number =>
    scored.filter((s) => s.answerable === answerable).reduce((sum, s) => sum + 1 / (1 + Math.exp(-(t - s.p) / h)), 0);
  let best = { t: 0, v: 0 };
  for (const t of GRID) {
    const a = soft(t, true);
    if (a / nA > MAX_FALSE_DECLINE) continue;
    const v = soft(t, false) - lost * a;
    if (v > best.v) best = { t, v };
  }
  return best.t;
}

/** Wilson score lower bound of the proportion `right` of `n` at normal quantile `z`. */
export function wilsonLower(right: number, n: number, z: number = UNFLAGGED_Z): number {
  if (n === 0) return 0;
  const p = right / n;
  const z2 = z * z;
  return (p + z2 / (2 * n) - z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
}

/** An answer as the unflagged threshold sees it. */
export interface ConfidenceScored {
  confidence: number;
  right: boolean;
  abstained: boolean;
  /** Flagged whatever its confidence (AnswerOutcome.flagged): not one the threshold decides. */
  flagged?: boolean;
}

/**
 * Lowest confidence at which the answers given without a flag are ≥ 97% right with 95%
 * confidence (the Wilson lower bound of their precision; 1 when no confidence reaches it).
 * Only the answers the threshold decides count: those declined or flagged whatever their
 * confidence are left out, as the eval leaves them out of the unflagged answers whose
 * precision it measures (src/eval/metrics.ts). Counting them held the threshold to answers it
 * never releases: out of fold, three of the four surest wrong answers were flagged by a caution.
 */
export function chooseUnflagged(scored: ConfidenceScored[]): number {
  const given = scored.filter((s) => !s.abstained && !s.flagged).sort((a, b) => b.confidence - a.confidence);
  let threshold = 1;
  let right = 0;
  given.forEach((s, i) => {
    if (s.right) right += 1;
    const next = given[i + 1];
    // Only cut between distinct confidences, so that the threshold means what it says.
    if (next && next.confidence === s.confidence) return;
    if (wilsonLower(right, i + 1) >= TARGET_PRECISION) threshold = Math.round(s.confidence * 1000) / 1000;
  });
  return threshold;
}

/**
 * chooseUnflagged, held to every part of its evidence: the highest of the thresholds chosen with
 * each fold's answers left out in turn (and with none left out). A threshold that reaches the
 * Wilson bound only thanks to one fold's run of right answers is not taken: across fold
 * assignments, the threshold chosen on all the other folds' answers at once released answers
 * 91–95% right at two of five (EXPERIMENTS.md, session 16), so the bound alone did not carry.
 */
export function chooseUnflaggedGuarded(scored: Array<ConfidenceScored & { fold: number }>): number {
  const folds = [...new Set(scored.map((s) => s.fold))];
  return Math.max(chooseUnflagged(scored), ...folds.map((f) => chooseUnflagged(scored.filter((s) => s.fold !== f))));
}

/**
 * The confidence read from the answerable model: its logit through a Platt map fitted on
 * `heldOut` (the logits of answers given, each from a model that never saw the answer's item) and
 * whether each answer was right; `inner` through the same map. A model of its own on the answer
 * features shrank to nearly a constant (its held-out loss lowest at the largest penalty, about 15
 * wrong answers among 170), so the folds' intercepts ordered the answers more than their
 * features did: out of fold its confidence ranked right above wrong answers less often than
 * chance (AUC 0.44), while P(answerable) did so with AUC 0.76: most sure wrong answers are
 * unanswerable questions answered, which is what that model was fitted to see.
 */
export function stackedConfidence(
  model: LogisticModel,
  inner: Map<number, LogisticModel>,
  heldOut: number[],
  right: boolean[],
): { model: LogisticModel; inner: Map<number, LogisticModel> } {
  const y = right.map((r) => (r ? 1 : 0));
  return { model: recalibrate(model, heldOut, y), inner: new Map([...inner].map(([k, m]) => [k, recalibrate(m, heldOut, y)])) };
}

export interface FoldResult {
  judges: Judge[];
  full: Judge;
  /** Per item id: the out-of-fold outcome and confidence. */
  oof: Map<string, { confidence: number; outcome: AnswerOutcome }>;
}

/**
 * `answerFeaturesOf` computes an item's answer features under a ranker and citation
 * threshold; `judgeItem` judges it with a complete judge and says whether the draft is
 * right. The caller owns drafting and scoring, so a label is exactly what a user would get.
 */
export function crossValidate(
  items: TrainItem[],
  folds: number,
  answerFeaturesOf: (item: TrainItem, rank: LogisticModel, cite: number) => AnswerFeatures,
  judgeItem: (item: TrainItem, judge: Judge) => AnswerOutcome,
  procedure: Procedure = PROCEDURE,
): FoldResult {
  const ks = Array.from({ length: folds }, (_, k) => k);
  const others = (k: number): TrainItem[] => items.filter((i) => i.fold !== k);
  const foldOf = <T>(list: T[], i: TrainItem): T => list[i.fold] as T;
  // 1–2. Ranker and citation threshold.
  const rankFits = ks.map((k) => rankFit(others(k), procedure));
  const ranks = rankFits.map((r) => r.model);
  const sharesOf = new Map(items.map((i) => [i.id, shares(foldOf(ranks, i), i.rows)]));
  const scoredBy = (subset: TrainItem[], sharesFor: (i: TrainItem) => number[]): Array<{ answerable: boolean; rows: Array<{ p: number; label: number }> }> =>
    subset.map((i) => {
      const p = sharesFor(i);
      return { answerable: i.answerable, rows: i.rows.map((r, j) => ({ p: p[j] ?? 0, label: r.label })) };
    });
  const scored = (subset: TrainItem[]): ReturnType<typeof scoredBy> => scoredBy(subset, (i) => sharesOf.get(i.id) ?? []);
  const cites = ks.map((k) => {
    const inner = (rankFits[k] as { inner: Map<number, LogisticModel> }).inner;
    if (procedure.thresholdScores === 'outer' || inner.size === 0) return chooseCite(scored(others(k)));
    return chooseCite(scoredBy(others(k), (i) => shares(inner.get(i.fold) as LogisticModel, i.rows)));
  });
  // 3. Answerable model and decline threshold.
  const af = new Map(items.map((i) => [i.id, answerFeaturesOf(i, foldOf(ranks, i), foldOf(cites, i))]));
  const afOf = (i: TrainItem): AnswerFeatures => af.get(i.id) as AnswerFeatures;
  const answerableFits = ks.map((k) => answerFitInner(others(k).map(afOf), others(k).map((i) => i.answerable), others(k).map((i) => i.fold), false, procedure));
  const answerables = answerableFits.map((f) => f.model);
  const pAnswerable = new Map(items.map((i) => [i.id, predict(foldOf(answerables, i), afOf(i))]));
  const isEn = (i: TrainItem): boolean => afOf(i).en === 1;
  const chooser = procedure.declineRule === 'smooth' ? (x: Array<{ answerable: boolean; p: number }>) => chooseDeclineSmooth(x) : chooseDecline;
  const declineOn = (subset: TrainItem[], p: (i: TrainItem) => number, en: boolean): number =>
    chooser(subset.filter((i) => isEn(i) === en).map((i) => ({ answerable: i.answerable, p: p(i) })));
  const declineFor = (subset: TrainItem[], en: boolean): number => declineOn(subset, (i) => pAnswerable.get(i.id) ?? 0, en);
  const foldDecline = (k: number, en: boolean): number => {
    const inner = (answerableFits[k] as { inner: Map<number, LogisticModel> }).inner;
    if (procedure.thresholdScores === 'outer' || inner.size === 0) return declineFor(others(k), en);
    return declineOn(others(k), (i) => predict(inner.get(i.fold) as LogisticModel, afOf(i)), en);
  };
  const declines = ks.map((k) => foldDecline(k, false));
  const declinesEn = ks.map((k) => foldDecline(k, true));
  // 4. Answers judged with each fold's models (answer model not known yet: unflagged never).
  const placeholder = answerFit([afOf(items[0] as TrainItem)], [true]);
  const outcomes = new Map(
    items.map((i) => [
      i.id,
      judgeItem(i, { rank: foldOf(ranks, i), answerable: foldOf(answerables, i), answer: placeholder, thresholds: { cite: foldOf(cites, i), decline: foldOf(declines, i), declineEn: foldOf(declinesEn, i), unflagged: 1 } }),
    ]),
  );
  const outcomeOf = (i: TrainItem): AnswerOutcome => outcomes.get(i.id) as AnswerOutcome;
  // 5. Answer model and unflagged threshold.
  const given = (subset: TrainItem[]): TrainItem[] => subset.filter((i) => !outcomeOf(i).abstained);
  const rightOf = (subset: TrainItem[]): boolean[] => subset.map((i) => outcomeOf(i).right);
  const answerFits = ks.map((k) => {
    const sub = given(others(k));
    if (procedure.confidence === 'answer') return answerFitInner(sub.map(afOf), rightOf(sub), sub.map((i) => i.fold), true, procedure);
    const fitK = answerableFits[k] as { model: LogisticModel; inner: Map<number, LogisticModel> };
    return stackedConfidence(fitK.model, fitK.inner, sub.map((i) => linear(fitK.inner.get(i.fold) ?? fitK.model, afOf(i))), rightOf(sub));
  });
  const answers = answerFits.map((f) => f.model);
  const confidence = new Map(items.map((i) => [i.id, predict(foldOf(answers, i), afOf(i))]));
  const confScoredBy = (subset: TrainItem[], conf: (i: TrainItem) => number): Array<ConfidenceScored & { fold: number }> =>
    subset.map((i) => ({ confidence: conf(i), right: outcomeOf(i).right, abstained: outcomeOf(i).abstained, flagged: outcomeOf(i).flagged ?? false, fold: i.fold }));
  const confScored = (subset: TrainItem[]): ReturnType<typeof confScoredBy> => confScoredBy(subset, (i) => confidence.get(i.id) ?? 0);
  const foldUnflagged = (k: number): number => {
    const inner = (answerFits[k] as { inner: Map<number, LogisticModel> }).inner;
    if (procedure.unflaggedScores === 'outer' || inner.size === 0) return chooseUnflagged(confScored(others(k)));
    // An abstained item has no inner confidence to speak of; chooseUnflagged leaves it out anyway.
    const scoredInner = confScoredBy(others(k), (i) => (inner.has(i.fold) ? predict(inner.get(i.fold) as LogisticModel, afOf(i)) : 0));
    return procedure.unflaggedScores === 'inner' ? chooseUnflagged(scoredInner) : chooseUnflaggedGuarded(scoredInner);
  };
  const judges: Judge[] = ks.map((k) => ({
    rank: ranks[k] as LogisticModel,
    answerable: answerables[k] as LogisticModel,
    answer: answers[k] as LogisticModel,
    thresholds: { cite: cites[k] as number, decline: declines[k] as number, declineEn: declinesEn[k] as number, unflagged: foldUnflagged(k) } satisfies Thresholds,
  }));
  // The shipped judge: the ranker fitted on everything; the answerable and answer models on the
  // out-of-fold features (an in-sample ranker would make every answer look sure); thresholds
  // from all out-of-fold predictions.
  const fullAnswerable = answerFitInner(items.map(afOf), items.map((i) => i.answerable), items.map((i) => i.fold), false, procedure).model;
  const full: Judge = {
    rank: fitRank(items, procedure),
    answerable: fullAnswerable,
    answer:
      procedure.confidence === 'answer'
        ? answerFit(given(items).map(afOf), rightOf(given(items)), given(items).map((i) => i.fold), true, procedure)
        : stackedConfidence(fullAnswerable, new Map(), given(items).map((i) => linear(foldOf(answerables, i), afOf(i))), rightOf(given(items))).model,
    thresholds: {
      cite: chooseCite(scored(items)),
      decline: declineFor(items, false),
      declineEn: declineFor(items, true),
      unflagged: procedure.unflaggedScores === 'innerGuarded' ? chooseUnflaggedGuarded(confScored(items)) : chooseUnflagged(confScored(items)),
    },
  };
  return { judges, full, oof: new Map(items.map((i) => [i.id, { confidence: confidence.get(i.id) ?? 0, outcome: outcomeOf(i) }])) };
}
