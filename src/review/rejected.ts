/**
 * What a rejection teaches the next draft of the same question (new-user trial s10 #6): a
 * reviewer rejected "Are penetration tests performed quarterly?" with a reason, and the next
 * ask, or the same row in another questionnaire, served the same wrong yes again with nothing
 * saying a person had already turned it down. Drafting stays the judgement's; the queue's
 * record of decisions only adds the flag and the reviewer's words, so the draft waits for a
 * person and never leaves as a confident answer.
 *
 * "The same question" is, without the lexicon, the same words (case, width, spacing and the
 * closing question mark aside). Asking (src/ask-local.ts) passes the answer library's test of
 * the same question in substance (./similar-lookup.ts sameQuestionAs): a rejection in Japanese
 * reached the English wording, or the same question reworded, at full confidence again, while
 * the approval of it would have been served to both. What an approval would be served to, a
 * rejection of it holds back; a question merely related (the similar-approval hint's 0.6) is
 * another question, and its draft is left alone.
 *
 * Trial s12 #9: flagged, the next draft still said "likely" at the same 0.951, so a reviewer read
 * the rejected answer as the probable one. Its confidence is now capped below the judgement's
 * "likely" wording, and when it rests on the very row the rejected draft led with, the reason
 * names that row and the next candidate. The rejected row is not demoted so that the next one
 * leads: the reason may be about the wording or the status rather than the row, and the row
 * after it was ranked lower on the same evidence; re-leading with it would present a draft no
 * judgement stood behind as the answer. The reviewer sees both rows and decides.
 */
import { z } from 'zod';
import type { Draft } from '../domain.js';
import { REVIEW_MARK } from '../draft/markers.js';
import { placeholders, type Sql } from '../store/database.js';
import { APPROVED_STATES } from './states.js';

/** A question's words as asked: case, width, spacing and the closing question mark aside. */
export function wording(question: string): string {
  return question.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').replace(/[\s?.。!]+$/u, '').trim();
}

/** The rejection that stands for a question: its review and the reviewer's reason. */
export interface PreviousRejection {
  reviewId: string;
  reason: string;
  /** The question as the rejected draft's asker wrote it (named when it is worded otherwise than the new one). */
  question: string;
  /** The row the rejected draft led with (its first citation), when it cited one. */
  ledWith: { id: string; ref: string } | null;
}

/**
 * The highest confidence a draft of a rejected question keeps: below 0.5, where the judgement
 * stops calling its rows likely to answer (judge.ts REASONS), and so far below every bar a
 * draft is selected or served at. A person said this answer was wrong; nothing about the
 * documents has shown otherwise since.
 */
export const REJECTED_CONFIDENCE = 0.4;

const Rejected = z.object({ id: z.number().int(), question: z.string(), note: z.string().nullable(), draft_json: z.string() });
const LedWith = z.object({ citations: z.array(z.object({ id: z.string(), ref: z.string() })) });
const Approved = z.object({ question: z.string() });

/** Whether another question (a rejected or approved draft's) asks what the new one asks. */
export type SameQuestionTest = (other: string) => boolean;

/** The test without the lexicon: the same words. */
export function sameWording(question: string): SameQuestionTest {
  const asked = wording(question);
  return (other) => wording(other) === asked;
}

/**
 * The newest rejection of this product's drafts of the same question (`same`, by default the
 * same words), a rejection of these very words first (its reason was written about them, in
 * their language); null when there is none, or when a later draft of the same question was
 * approved (the person who approved it settled the question since). Rejections are few: they
 * are read first, approvals only after one matched.
 */
export async function previousRejection(db: Sql, product: string, question: string, same: SameQuestionTest = sameWording(question)): Promise<PreviousRejection | null> {
  const rejections = (await db.all("SELECT id, question, note, draft_json FROM reviews WHERE product = ? AND state = 'rejected' ORDER BY id DESC", [product])).map((r) => Rejected.parse(r));
  const words = sameWording(question);
  const rejected = rejections.find((r) => words(r.question)) ?? rejections.find((r) => same(r.question));
  if (!rejected) return null;
  const approved = [...APPROVED_STATES];
  const later = (await db.all(`SELECT question FROM reviews WHERE product = ? AND id > ? AND state IN ${placeholders(approved.length)}`, [product, rejected.id, ...approved])).map((r) => Approved.parse(r));
  if (later.some((r) => same(r.question))) return null;
  const [led] = LedWith.safeParse(JSON.parse(rejected.draft_json)).data?.citations ?? [];
  return { reviewId: String(rejected.id), reason: rejected.note ?? '', question: rejected.question, ledWith: led ? { id: led.id, ref: led.ref } : null };
}

/**
 * The sentence a reviewer and the bulk file read, in the draft's language. A rejection of
 * another wording quotes the question it was, so the reviewer can tell whether it is the same.
 */
export function rejectionNote(rejection: PreviousRejection, lang: Draft['lang'], asked: string): string {
  const reason = rejection.reason.trim();
  const because = reason ? `: ${reason}` : '';
  const reworded = wording(rejection.question) !== wording(asked);
  if (lang === 'ja') {
    return reworded
      ? `同じ質問(「${rejection.question}」)の以前の下書きはレビュー #${rejection.reviewId} で却下されました${because}`
      : `この質問の以前の下書きはレビュー #${rejection.reviewId} で却下されました${because}`;
  }
  return reworded
    ? `a previous draft of the same question («${rejection.question}») was rejected in review #${rejection.reviewId}${because}`
    : `a previous draft of this question was rejected in review #${rejection.reviewId}${because}`;
}

/** Another row the reviewer may weigh instead of the rejected one. */
export interface NextCandidate {
  id: string;
  ref: string;
}

/** The sentence naming the rejected row, and the next candidate, in the draft's language. */
function restsOnRejected(rejection: PreviousRejection, next: NextCandidate | null, lang: Draft['lang']): string {
  const ref = rejection.ledWith?.ref ?? '';
  return lang === 'ja'
    ? `この下書きの根拠(項目 ${ref})は、レビュー #${rejection.reviewId} で却下された下書きの根拠と同じです${next ? `。次の候補は項目 ${next.ref} です` : ''}`
    : `the row this rests on (item ${ref}) was rejected in review #${rejection.reviewId}${next ? `; the next candidate is item ${next.ref}` : ''}`;
}

/**
 * The draft, flagged for a person: the review marker and the rejection first in its reason
 * (what a reviewer must weigh before anything else), its confidence capped at
 * REJECTED_CONFIDENCE. Flagged, it is never approved in a confident selection nor served from
 * the answer library unseen. When it leads with the row the rejected draft led with, the
 * reason says so and names `next`, the best other candidate, if there is one. The judgement's
 * own reason follows, for what it says about the rows; its figure is the uncapped one.
 */
export function withPreviousRejection(draft: Draft, rejection: PreviousRejection, next: NextCandidate | null = null): Draft {
  const ja = draft.lang === 'ja';
  const same = rejection.ledWith !== null && draft.citations[0]?.id === rejection.ledWith.id;
  const note = `${rejectionNote(rejection, draft.lang, draft.question)}${same ? `${ja ? '。' : '. '}${restsOnRejected(rejection, next, draft.lang)}` : ''}`;
  const before = draft.reason.trim() === '' ? '' : ja ? `。却下がなければ: ${draft.reason}` : `. Without the rejection: ${draft.reason}`;
  const mark = REVIEW_MARK[draft.lang];
  return {
    ...draft,
    needsHuman: true,
    confidence: Math.min(draft.confidence, REJECTED_CONFIDENCE),
    reason: `${note}${before}`,
    draft: draft.draft.startsWith(mark.trim()) ? draft.draft : `${mark}${draft.draft}`,
  };
}
