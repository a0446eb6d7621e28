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
  'absent',
  'en',
  'concepts',
] as const;
export type RowFeature = (typeof ROW_FEATURES)[number];
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
