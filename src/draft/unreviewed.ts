/**
 * Which drafted statuses may leave without a reviewer: a plain "yes" only. A "no" or a
 * "partial" on a customer's questionnaire is an answer someone has to stand behind in their own
 * words (what is not done, for whom, since when), and it is where kotae is least often right:
 * on the blind trials, drafts at confidence ≥ 0.93 were right 98% of the time when they said
 * yes and 72% (partial) and 82% (no) when they did not, mostly because the question's writers
 * and the sheets' marks disagree on what counts as partial. One rule for both drafters
 * (extractive.ts, openai.ts); the train script reads the extractive one, so the unflagged
 * threshold is chosen on the answers it can release.
 */
import type { Language, Status } from '../domain.js';

/** Whether a draft with this status may go out unflagged (given a confidence above the threshold). */
export const mayGoUnreviewed = (status: Status): boolean => status === 'yes';

/** Why a draft with another status is flagged, as the reason says it. */
export const NOT_PLAIN_YES: Readonly<Record<Language, string>> = {
  ja: '「いいえ」「一部」の回答は必ず担当者が確認します',
  en: 'a “no” or “partial” answer is always checked by a person',
};
