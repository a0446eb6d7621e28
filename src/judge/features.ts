/**
 * The features the judgement learns from: numbers a reviewer can read and explain, computed
 * from the question's concepts and each candidate passage. Pure, so that the train script,
 * the eval and `kotae ask --explain` see exactly what the live judgement sees.
 *
 * Per candidate ("does this row answer the question?"):
 * - cov: weighted share of the question's ideas the row mentions; covIdf: the same with each
 *   idea also weighted by how rare it is in the product's documents; covSpecific: over the
 *   specific ideas only (glossary weight ≥ 0.5), so generic words cannot carry a row;
 * - covReq / covAns: coverage by the requirement text and by the vendor's answer text alone;
 * - subBest / subTop: best coverage of any one ask of a multi-part question, and whether the
 *   row is the best row for one of the asks;
 * - covGap / covRank / rel / relRank: how the row stands against the others (coverage margin,
 *   rank by coverage, full-text or fused relevance and its rank);
 * - bm / bmAbs / bmRank: character-bigram BM25 against the question, relative to the best row,
 *   relative to the best score possible, and its rank;
 * - topicMiss: share of the question's named topics (standards, acronyms, products) the row
 *   does not mention; absent: some named topic appears nowhere in the product's documents;
 * - rarestIdeas: idf-weighted share of the question's rarest specific ideas (rarestIdeasOf)
 *   the row mentions: which ideas a row lacks, not only how many;
 * - covMain: weighted share of the question's main ideas (weight ≥ MAIN_IDEA: glossary concepts,
 *   named things, literal nouns) the row mentions; the generic words a broader row shares with
 *   the question (data, employees, rules, management) cannot carry it;
 * - en, concepts: the question's language and how many ideas it has.
 *
 * Per answer ("does the product's documentation answer this?" and "will the drafted answer be
 * right?"): the best rows' scores and shares, the best row's coverage, how much of the
 * question's rarest ideas the best row holds, the cited rows hold, and another of the ten best
 * rows holds beyond the best (rarestIdeasInBest / InCited / Elsewhere), the share of the
 * question's main ideas the best row leaves out (mainMissedInBest: a row about the broader or
 * neighbouring concept mentions the question's setting and misses the very thing asked, the
 * product, device or technique; out of fold on dev + dev2 it separates unanswerable questions
 * from answerable ones better than any single coverage, AUC 0.93), how many of the asks
 * have a citable row, the share of the question's ideas no passage of the product mentions
 * (unmentioned; unmentionedKnown counts only the main ideas the lexicon knows in several
 * wordings, see knownUnmentioned), and the question-level signals.
 */
import { coverage, idfCoverage, MAIN_IDEA, mentions, type CompiledConcept, type TextKey } from '../retrieve/match.js';
import type { CandidateView, QuestionView } from '../retrieve/retrieve.js';
export type { CandidateView, QuestionView };

export { ROW_FEATURES, RANK_FEATURES, ANSWER_FEATURES, type RowFeature, type RowFeatures, type AnswerFeature, type AnswerFeatures } from './feature-names.js';
import type { AnswerFeatures, RowFeatures } from './feature-names.js';

/** Ideas at or above this weight are specific: a row must mention them to be about the question. */
const SPECIFIC = 0.5;

/**
 * How many of the question's ideas count as its rarest. An unanswerable question mostly shares
 * its generic ideas (data, encryption, employees, rules) with some row and differs in one or two
 * (screen lock beside lock, key rotation beside encryption, full-disk beside encryption): the two
 * specific ideas the product's documents mention least.
 */
const RAREST = 2;

/**
 * The question's rarest specific ideas: its specific ideas (all of them when it has none) of
 * highest idf in the product's passages, RAREST at most, in the question's order on ties.
 * An idea no passage mentions has the highest idf of all: a question whose most telling
 * idea the documents never name is what this is for.
 */
export function rarestIdeasOf(question: QuestionView): Array<{ concept: CompiledConcept; weight: number }> {
  const all = question.concepts.map((concept, i) => ({ concept, weight: concept.weight * (question.idf[i] ?? 1), idf: question.idf[i] ?? 1 }));
  const specific = all.filter((c) => c.concept.weight >= SPECIFIC);
  return [...(specific.length > 0 ? specific : all)].sort((a, b) => b.idf - a.idf).slice(0, RAREST).map(({ concept, weight }) => ({ concept, weight }));
}

/** Idf-weighted share of the rarest ideas the row mentions (0 for a question without ideas). */
function rarestShare(rarest: Array<{ concept: CompiledConcept; weight: number }>, key: TextKey): number {
  const total = rarest.reduce((s, r) => s + r.weight, 0);
  return total > 0 ? rarest.filter((r) => mentions(r.concept, key)).reduce((s, r) => s + r.weight, 0) / total : 0;
}

export interface Featured {
  candidate: CandidateView;
  features: RowFeatures;
  /** Coverage per ask (same order as QuestionView.asks). */
  askCoverage: number[];
}

/**
 * Search relevance as the features read it: to two decimals. LanceDB's full-text scores differ in
 * their last float32 digits from one index build to the next (about 1e-7, on a sixth of the rows,
 * measured by ingesting twice), and that made `npm run train` write different weights on every
 * run; no feature needs relevance finer than this.
 */
const relevanceOf = (c: CandidateView): number => Math.round(c.relevance * 100) / 100;

const rankOf = (values: number[]): number[] => {
  const order = values.map((v, i) => ({ v, i })).sort((a, b) => b.v - a.v);
  const ranks = new Array<number>(values.length).fill(0);
  let rank = 0;
  order.forEach((e, pos) => {
    if (pos > 0 && e.v < (order[pos - 1]?.v ?? e.v)) rank = pos;
    ranks[e.i] = rank;
  });
  return ranks;
};

export function rowFeatures(question: QuestionView, candidates: CandidateView[]): Featured[] {
  const specific = question.concepts.filter((c) => c.weight >= SPECIFIC);
  const main = question.concepts.filter((c) => c.weight >= MAIN_IDEA);
  const topics = question.concepts.filter((c) => c.topic);
  const rarest = rarestIdeasOf(question);
  const covs = candidates.map((c) => coverage(question.concepts, c.key));
  const askCovs = candidates.map((c) => question.asks.map((ask) => coverage(ask, c.key)));
  const best = Math.max(0, ...covs);
  const covRanks = rankOf(covs);
  const relRanks = rankOf(candidates.map(relevanceOf));
  const bmBest = Math.max(0, ...question.bm25);
  const bmRanks = rankOf(question.bm25);
  // The best row of each ask (by coverage, then relevance): a multi-part question's answer rows.
  const askTops = new Set<number>();
  question.asks.forEach((_, a) => {
    let top = -1;
    candidates.forEach((c, i) => {
      const v = askCovs[i]?.[a] ?? 0;
      const t = top < 0 ? -1 : (askCovs[top]?.[a] ?? 0);
      if (v > 0 && (v > t || (v === t && relevanceOf(c) > relevanceOf(candidates[top] ?? c)))) top = i;
    });
    if (top >= 0) askTops.add(top);
  });
  return candidates.map((c, i) => {
    const cov = covs[i] ?? 0;
    const askCoverage = askCovs[i] ?? [];
    const features: RowFeatures = {
      cov,
      covIdf: idfCoverage(question.concepts, question.idf, c.key),
      covSpecific: specific.length > 0 ? coverage(specific, c.key) : cov,
      covReq: coverage(question.concepts, c.requirementKey),
      covAns: coverage(question.concepts, c.answerKey),
      subBest: askCoverage.length > 0 ? Math.max(...askCoverage) : cov,
      subTop: askTops.has(i) ? 1 : 0,
      covGap: cov - best,
      covRank: 1 / (1 + (covRanks[i] ?? 0)),
      rel: relevanceOf(c),
      relRank: 1 / (1 + (relRanks[i] ?? 0)),
      bm: bmBest > 0 ? (question.bm25[i] ?? 0) / bmBest : 0,
      bmAbs: question.bm25Ceiling > 0 ? (question.bm25[i] ?? 0) / question.bm25Ceiling : 0,
      bmRank: 1 / (1 + (bmRanks[i] ?? 0)),
      topicMiss: topics.length > 0 ? topics.filter((t) => !mentions(t, c.key)).length / topics.length : 0,
      rarestIdeas: rarestShare(rarest, c.key),
      covMain: main.length > 0 ? coverage(main, c.key) : cov,
      absent: question.absent.length > 0 ? 1 : 0,
      en: question.lang === 'en' ? 1 : 0,
      concepts: Math.log1p(question.concepts.length),
    };
    return { candidate: c, features, askCoverage };
  });
}

/**
 * Weighted share of the question's ideas that are main ideas the lexicon knows in two or more
 * wordings (a glossary line, a synonym group) and that no candidate row mentions in any of
 * them. A paraphrase's unmatched idea is mostly a word the lexicon does not know (one wording:
 * the question's own, e.g. an everyday word for what the sheet says formally); an idea the
 * lexicon knows several ways of saying and that no row says in any of them is more likely
 * absent from the documents (out of fold on dev + dev2, Japanese: 23 of 28 unanswerable
 * questions have one, 19 of 100 answerable ones; counting one-wording ideas too, 24 and 37).
 * For a small product the candidates are every row; for a large one the best matches stand in
 * for the whole, as for `unmentioned`.
 */
export function knownUnmentioned(question: QuestionView, rows: readonly TextKey[]): number {
  let total = 0;
  let missing = 0;
  for (const c of question.concepts) {
    total += c.weight;
    const wordings = new Set(c.keys).size + (c.words ? 1 : 0);
    if (c.weight >= MAIN_IDEA && wordings >= 2 && !rows.some((key) => mentions(c, key))) missing += c.weight;
  }
  return total === 0 ? 0 : missing / total;
}

/** A ranked row as the answer-level features see it. */
export interface ScoredRow {
  /** The ranker's score and the row's share of the question's softmax. */
  score: number;
  share: number;
  features: RowFeatures;
  askCoverage: number[];
  statusKnown: boolean;
}

/** @param known knownUnmentioned over every candidate row (the ranked rows here are the best ten only). */
export function answerFeatures(question: QuestionView, ranked: ScoredRow[], citeAt: number, known = 0): AnswerFeatures {
  const [first, second] = ranked;
  const asks = question.asks.length;
  // An ask is covered when a citable row covers at least half of its ideas.
  const citable = ranked.filter((r, i) => i === 0 || r.share >= citeAt).slice(0, 5);
  const covered = question.asks.filter((_, a) => citable.some((r) => (r.askCoverage[a] ?? 0) >= 0.5)).length;
  return {
    share1: first?.share ?? 0,
    share2: second?.share ?? 0,
    score1: first?.score ?? 0,
    margin: (first?.score ?? 0) - (second?.score ?? 0),
    cov1: first?.features.cov ?? 0,
    covIdf1: first?.features.covIdf ?? 0,
    covSpecific1: first?.features.covSpecific ?? 0,
    bmAbs1: first?.features.bmAbs ?? 0,
    topicMiss1: first?.features.topicMiss ?? 0,
    rarestIdeasInBest: first?.features.rarestIdeas ?? 0,
    rarestIdeasInCited: Math.max(0, ...citable.map((r) => r.features.rarestIdeas)),
    rarestIdeasElsewhere: Math.max(0, ...ranked.slice(1).map((r) => r.features.rarestIdeas - (first?.features.rarestIdeas ?? 0))),
    mainMissedInBest: first ? 1 - first.features.covMain : 1,
    asksCovered: asks > 0 ? covered / asks : 1,
    asks,
    absent: question.absent.length > 0 ? 1 : 0,
    unmentioned: question.unmentioned,
    unmentionedKnown: known,
    en: question.lang === 'en' ? 1 : 0,
    concepts: Math.log1p(question.concepts.length),
    statusKnown: first?.statusKnown ? 1 : 0,
  };
}
