/**
 * The approval a new question resembles without asking the same thing (trial s12 #9): "Are
 * customer backups performed every day?" got a fresh draft that never mentioned the approved
 * "Do you take daily backups of customer data?", so a reviewer approved the same thing twice.
 * Such an approval is never served (only the same question is: src/judge/reuse.ts); the draft
 * names it, so the reviewer can compare the two. Within one language and across languages
 * alike: both questions are read into the glossary's ideas (src/retrieve/same-question.ts).
 */
import type { Draft } from '../domain.js';
import type { Lexicon } from '../retrieve/lexicon.js';
import { retrievalText } from '../retrieve/question-text.js';
import { readForReuse, SIMILAR, similarQuestion, type ReadForReuse } from '../retrieve/same-question.js';
import type { Sql } from '../store/database.js';
import { z } from 'zod';
import { APPROVED_STATES } from './states.js';

/** An approval of a similar question: its review and the question it answered. */
export interface SimilarApproval {
  reviewId: string;
  question: string;
}

const ApprovedRow = z.object({ id: z.number().int(), question: z.string() });

/** Approved questions as read for reuse, by text: approvals are re-read on every ask, their reading is not redone. */
const readings = new Map<string, ReadForReuse>();
/** Past this many readings the cache starts over (a library of approvals is far smaller). */
const MAX_READINGS = 5000;

function reading(question: string, lexicon: Lexicon): ReadForReuse {
  let read = readings.get(question);
  if (!read) {
    if (readings.size >= MAX_READINGS) readings.clear();
    read = readForReuse(retrievalText(question), lexicon);
    readings.set(question, read);
  }
  return read;
}

/** The standing approval of this product most like the question (at SIMILAR or more), newest first on a tie; null when none. */
export async function similarApproval(db: Sql, lexicon: Lexicon, product: string, question: string): Promise<SimilarApproval | null> {
  const approved = [...APPROVED_STATES];
  const rows = (await db.all(`SELECT id, question FROM reviews WHERE product = ? AND state IN (${approved.map(() => '?').join(', ')}) ORDER BY id DESC`, [product, ...approved])).map((r) => ApprovedRow.parse(r));
  if (rows.length === 0) return null;
  const asked = readForReuse(retrievalText(question), lexicon);
  let best: { row: z.infer<typeof ApprovedRow>; share: number } | null = null;
  for (const row of rows) {
    const share = similarQuestion(asked, reading(row.question, lexicon));
    if (share >= SIMILAR && (!best || share > best.share)) best = { row, share };
  }
  return best ? { reviewId: String(best.row.id), question: best.row.question } : null;
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
