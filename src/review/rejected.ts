/**
 * What a rejection teaches the next draft of the same question (new-user trial s10 #6): a
 * reviewer rejected "Are penetration tests performed quarterly?" with a reason, and the next
 * ask, or the same row in another questionnaire, served the same wrong yes again with nothing
 * saying a person had already turned it down. Drafting stays the judgement's; the queue's
 * record of decisions only adds the flag and the reviewer's words, so the draft waits for a
 * person and never leaves as a confident answer.
 *
 * "The same question" is the test that serves an approval with nobody looking (queue.ts): the
 * same words, case, width, spacing and the closing question mark aside.
 */
import { z } from 'zod';
import type { Draft } from '../domain.js';
import { REVIEW_MARK } from '../draft/markers.js';
import type { Sql } from '../store/database.js';
import { APPROVED_STATES } from './states.js';

/** A question's words as asked: case, width, spacing and the closing question mark aside. */
export function wording(question: string): string {
  return question.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').replace(/[\s?.。!]+$/u, '').trim();
}

/** The rejection that stands for a question: its review and the reviewer's reason. */
export interface PreviousRejection {
  reviewId: string;
  reason: string;
}

const Rejected = z.object({ id: z.number().int(), question: z.string(), note: z.string().nullable() });
const Approved = z.object({ question: z.string() });

/**
 * The newest rejection of this product's drafts of the same question; null when there is none,
 * or when a later draft of it was approved (the person who approved it settled the question
 * since). Rejections are few: they are read first, approvals only after one matched.
 */
export async function previousRejection(db: Sql, product: string, question: string): Promise<PreviousRejection | null> {
  const asked = wording(question);
  const rejected = (await db.all("SELECT id, question, note FROM reviews WHERE product = ? AND state = 'rejected' ORDER BY id DESC", [product]))
    .map((r) => Rejected.parse(r))
    .find((r) => wording(r.question) === asked);
  if (!rejected) return null;
  const approved = [...APPROVED_STATES];
  const later = (await db.all(`SELECT question FROM reviews WHERE product = ? AND id > ? AND state IN (${approved.map(() => '?').join(', ')})`, [product, rejected.id, ...approved])).map((r) => Approved.parse(r));
  return later.some((r) => wording(r.question) === asked) ? null : { reviewId: String(rejected.id), reason: rejected.note ?? '' };
}

/** The sentence a reviewer and the bulk file read, in the draft's language. */
export function rejectionNote(rejection: PreviousRejection, lang: Draft['lang']): string {
  const reason = rejection.reason.trim();
  return lang === 'ja'
    ? `この質問の以前の下書きはレビュー #${rejection.reviewId} で却下されました${reason ? `: ${reason}` : ''}`
    : `a previous draft of this question was rejected in review #${rejection.reviewId}${reason ? `: ${reason}` : ''}`;
}

/**
 * The draft, flagged for a person: the review marker and the rejection first in its reason
 * (what a reviewer must weigh before anything else). Flagged, it is never approved in a
 * confident selection nor served from the answer library unseen. The text, status and
 * confidence stay the judgement's: its reason still explains its figure.
 */
export function withPreviousRejection(draft: Draft, rejection: PreviousRejection): Draft {
  const note = rejectionNote(rejection, draft.lang);
  const mark = REVIEW_MARK[draft.lang];
  return {
    ...draft,
    needsHuman: true,
    reason: draft.reason.trim() === '' ? note : `${note}${draft.lang === 'ja' ? '。' : '. '}${draft.reason}`,
    draft: draft.draft.startsWith(mark.trim()) ? draft.draft : `${mark}${draft.draft}`,
  };
}
