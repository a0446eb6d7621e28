/**
 * The names of the judgement's features, apart from the code that computes them: what crosses
 * the ask thread's boundary is checked against them (ask-thread.ts) without loading the
 * retrieval code on the thread that serves Slack.
 */
export const ROW_FEATURES = [
  'cov',
  'covIdf',
  'covSpecific',
  'covReq',
  'covAns',
  'subBest',
  'subTop',
  'covGap',
  'covRank',
  'rel',
  'relRank',
  'bm',
  'bmAbs',
  'bmRank',
  'topicMiss',
  'rarestIdeas',
  'covMain',
  'absent',
  'en',
  'concepts',
] as const;
export type RowFeature = (typeof ROW_FEATURES)[number];

/**
 * The row features the ranker orders rows by: all but those that describe a row for the answer
 * models only. rarestIdeas ranked rows worse out of fold (EXPERIMENTS.md, decline15): the row
 * holding the question's rarest word is as often a row about another sense of it. covMain is
 * there to tell the answer models what the best row leaves out, not to reorder the rows.
 */
const ANSWER_ONLY: readonly RowFeature[] = ['rarestIdeas', 'covMain'];
export const RANK_FEATURES: readonly RowFeature[] = ROW_FEATURES.filter((f) => !ANSWER_ONLY.includes(f));
export type RowFeatures = Record<RowFeature, number>;

export const ANSWER_FEATURES = [
  'share1',
  'share2',
  'score1',
  'margin',
  'cov1',
  'covIdf1',
  'covSpecific1',
  'bmAbs1',
  'topicMiss1',
  'rarestIdeasInBest',
  'rarestIdeasInCited',
  'rarestIdeasElsewhere',
  'mainMissedInBest',
  'asksCovered',
  'asks',
  'absent',
  'unmentioned',
  'unmentionedKnown',
  'en',
  'concepts',
  'statusKnown',
] as const;
export type AnswerFeature = (typeof ANSWER_FEATURES)[number];
export type AnswerFeatures = Record<AnswerFeature, number>;
