/**
 * How a draft's confidence is said to a reader, one phrasing for the judge's reasons, the
 * drafter's and the Slack card. The percentage is the share of drafts this sure that were right
 * on the labelled questions the judge was fitted and checked on (out of fold); a new-user trial
 * found it higher than the share right on questions written apart from them, so the sentence
 * says where it was measured instead of promising it.
 */
export type Lang = 'ja' | 'en';

const percent = (p: number): string => `${Math.round(p * 100)}%`;

/** "on our test questions, drafts this sure were right about 93% of the time" (without brackets). */
export function measuredShare(p: number, lang: Lang): string {
  return lang === 'ja' ? `評価用の質問では、この確度の下書きが正しかった割合は約${percent(p)}` : `on our test questions, drafts this sure were right about ${percent(p)} of the time`;
}

/**
 * Above this confidence the judge's reasons say the cited rows likely answer the question; at or
 * below it (a caution's cap, CAUTION_CAP, is this coin toss), that they may not. A draft states
 * its answer plainly above it and hedges at or below, so that its text and its reason agree.
 */
export const LIKELY = 0.5;
