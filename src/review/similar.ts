/**
 * The approval a new question resembles without asking the same thing (trial s12 #9): "Are
 * customer backups performed every day?" got a fresh draft that never mentioned the approved
 * "Do you take daily backups of customer data?", so a reviewer approved the same thing twice.
 * Such an approval is never served (only the same question is: src/judge/reuse.ts); the draft
 * names it, so the reviewer can compare the two. Within one language and across languages
 * alike: both questions are read into the glossary's ideas (./similar-lookup.ts finds it).
 *
 * Only the note lives here: ask.ts runs on the Slack thread too, which must never load the
 * retrieval engine or the lexicon (test/ask-thread.test.ts); the lookup does.
 */
import type { Draft } from '../domain.js';

/** An approval of a similar question: its review and the question it answered. */
export interface SimilarApproval {
  reviewId: string;
  question: string;
}

/**
 * The draft with the approval named first in its reason. Text, status and confidence stay the
 * judgement's: the approval answered another wording, and only a person can say it answers this one.
 */
export function withSimilarApproval(draft: Draft, similar: SimilarApproval): Draft {
  const note =
    draft.lang === 'ja'
      ? `似た質問がレビュー #${similar.reviewId} で承認されています(「${similar.question}」)。同じことを尋ねているか確認してください`
      : `a similar question was approved in review #${similar.reviewId} («${similar.question}»); check whether it asks the same`;
  return { ...draft, reason: draft.reason.trim() === '' ? note : `${note}${draft.lang === 'ja' ? '。' : '. '}${draft.reason}` };
}
