/**
 * Reusing an approved answer (the answer library) in the judgement. A reused approval is a
 * person's answer to the same question, so it is not judged like a fresh draft: it cites the
 * approval and only the rows the approval itself rested on (other rows that happen to rank well
 * were never part of what the person signed off, and reached the customer's 出典 column and
 * evidence register under their name), it keeps the status the person gave, and it is not
 * flagged with "may not answer the question": its reason names the approval and who approved it.
 * An approval that does not ask the same question is never the row an answer leads with: the
 * drafter would serve its text word for word.
 */
import type { Hit, Language, Passage } from '../domain.js';
import type { Featured } from './features.js';

/**
 * An approved answer is reused only for a question that asks the same thing: at least this
 * share of each question's ideas in the other, and the same named topics and qualifiers (see
 * src/retrieve/same-question.ts). Approved answers are too few to learn this from, so it is a
 * stated rule, and it does not get past the decline gate: the documents must answer too.
 */
export const SAME_QUESTION = 0.8;

/** The approval asking the same question most closely, or undefined. */
export function reusedApproval<T extends Featured>(rows: readonly T[]): T | undefined {
  return rows.filter((r) => r.candidate.sameQuestion >= SAME_QUESTION).sort((a, b) => b.candidate.sameQuestion - a.candidate.sameQuestion)[0];
}

/**
 * The rows in the order an answer may lead with them: an approval that is not reused goes
 * after every other row, so it never leads (and is never served word for word) on shared words.
 */
export function approvalsLast<T extends Featured>(rows: readonly T[], reused: T | undefined): T[] {
  const unreused = (r: T): boolean => r !== reused && r.candidate.passage.kind === 'approved';
  return [...rows.filter((r) => !unreused(r)), ...rows.filter(unreused)];
}

/** The citations of a reused approval: the approval first, then the candidate rows it rested on (never any other). */
export function reuseHits(reused: Featured & { share: number }, rows: readonly Featured[]): Hit[] {
  const approval = reused.candidate.passage;
  // The passages it cited when approved (src/store/library.ts approvedPassage), by id: a label
  // can hold the very commas a list of labels is split on, and two rows can be named alike.
  const restsOn = new Set(approval.approval?.restsOn ?? []);
  const rested = rows.filter((r) => r.candidate.passage.kind !== 'approved' && restsOn.has(r.candidate.passage.id));
  return [{ passage: approval, score: Math.round(reused.share * 1000) / 1000 }, ...rested.map((r) => ({ passage: r.candidate.passage, score: 0 }))];
}

/** Why a reused approval stands, in the question's language: which approval and whose. */
export function reuseReason(approval: Passage, lang: Language): string {
  return lang === 'ja'
    ? `同じ質問への承認済み回答 #${approval.ref} を再利用しています(${approval.title})`
    : `reuses approval #${approval.ref} of the same question (${approval.title})`;
}
