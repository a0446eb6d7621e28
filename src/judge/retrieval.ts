/**
 * Retrieval as the rest of kotae sees it: gather candidate rows (src/retrieve/), then judge
 * them (./judge.ts). `ask`, the eval and the train script all go through here, so the live
 * answer, the measured answer and the training data are the same computation.
 */
import { setImmediate as afterPendingIo } from 'node:timers/promises';
import type { Hit, Retrieval } from '../domain.js';
import { gather, type Gathered, type RetrieveDeps } from '../retrieve/retrieve.js';
import { rowFeatures, type AnswerFeatures, type Featured, type RowFeatures } from './features.js';
import { judge, loadWeights, type Judge, type Judgement } from './judge.js';

/** A ranked candidate with the features behind its score (`kotae ask --explain`). */
export interface RankedHit extends Hit {
  /** Weighted share of the question's ideas the row mentions. */
  coverage: number;
  features: RowFeatures;
}

/** Retrieval plus the best of the ranking and the answer's features, for evaluation and explanations. */
export interface RetrievalWithRanking extends Retrieval {
  /** The best RANKED_KEPT rows of the ranking, best first. */
  ranked: RankedHit[];
  answerFeatures: AnswerFeatures;
}

export interface JudgedRetrieveDeps extends RetrieveDeps {
  /** The judgement to apply; default: the committed weights trained on every labelled item. */
  judge?: (question: string) => Judge;
}

export async function retrieve(deps: JudgedRetrieveDeps, question: string, product: string): Promise<RetrievalWithRanking> {
  const g = await gather(deps, question, product);
  const model = deps.judge ? deps.judge(question) : loadWeights().full;
  // Features (of the whole question, then of each ask) and judgement are each a loop over every
  // candidate (20-65 ms for a product of 3,000 rows): pending I/O (a Slack request) is served between them.
  await afterPendingIo();
  const featured = rowFeatures(g.view, g.candidates);
  const asks = await featureAsks(g);
  await afterPendingIo();
  return toRetrieval(g, judge(g.view, featured, model, asks));
}

/** Row features of every candidate against each ask of a multi-part question, pending I/O served before each ask's pass. */
export async function featureAsks(g: Gathered): Promise<Featured[][]> {
  const asks: Featured[][] = [];
  for (const view of g.askViews) {
    await afterPendingIo();
    asks.push(rowFeatures(view, g.candidates));
  }
  return asks;
}

/** How many of the best-ranked rows a model drafter is shown (src/draft/openai.ts). */
export const MODEL_CANDIDATES = 10;

/**
 * How much of the ranking an answer keeps: what `--explain` shows and R@20 reads. The whole
 * ranking is every row of the product (hundreds, each with its features); an answer waiting
 * on a slow model held it all, and a busy bot's heap grew by some 200 KB per waiting
 * question, into garbage-collection pauses that every Slack ack waited behind.
 */
export const RANKED_KEPT = 20;

/** The judgement as a Retrieval: what ask, `npm run train` and the eval draft from. */
export function toRetrieval(g: Gathered, j: Judgement): RetrievalWithRanking {
  const ranked: RankedHit[] = j.ranked.slice(0, RANKED_KEPT).map((r) => ({
    passage: r.candidate.passage,
    score: Math.round(r.share * 1000) / 1000,
    coverage: r.features.cov,
    features: r.features,
    ...(r.status === r.candidate.passage.status ? {} : { status: r.status }),
  }));
  return {
    question: g.question,
    product: g.product,
    lang: g.view.lang,
    hits: j.hits,
    confidence: Math.round(j.confidence * 1000) / 1000,
    abstained: j.abstained,
    needsReview: j.needsReview,
    reason: j.reason,
    corpusVersion: g.corpusVersion,
    ranked,
    candidates: ranked.slice(0, MODEL_CANDIDATES).map(({ passage, score, status }): Hit => ({ passage, score, ...(status ? { status } : {}) })),
    answerFeatures: j.answerFeatures,
    ...(j.askRows && g.askTexts?.length === j.askRows.length ? { asks: g.askTexts.map((text, i) => ({ text, rows: j.askRows?.[i] ?? [], ...(j.askStatuses?.[i] ? { statuses: j.askStatuses[i] } : {}) })) } : {}),
  };
}
