/**
 * Comparing a new question with the questions reviewers decided, in the glossary's ideas
 * (src/retrieve/same-question.ts): the approval it resembles (./similar.ts says why it is named,
 * never served), and whether a rejected question is the same question (./rejected.ts says why a
 * rejection reaches another wording). Apart from ./similar.ts and ./rejected.ts because it loads
 * the lexicon, which the Slack thread must not (test/ask-thread.test.ts).
 */
import { SAME_QUESTION } from '../judge/reuse.js';
import type { Lexicon } from '../retrieve/lexicon.js';
import { retrievalText } from '../retrieve/question-text.js';
import { readForReuse, sameQuestionRead, SIMILAR, similarQuestion, type ReadForReuse } from '../retrieve/same-question.js';
import { placeholders, type Sql } from '../store/database.js';
import { z } from 'zod';
import { sameWording, type SameQuestionTest } from './rejected.js';
import type { SimilarApproval } from './similar.js';
import { APPROVED_STATES } from './states.js';

const ApprovedRow = z.object({ id: z.number().int(), question: z.string() });

/** Decided questions as read for reuse, by text: they are re-read on every ask, their reading is not redone. */
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
  const rows = (await db.all(`SELECT id, question FROM reviews WHERE product = ? AND state IN ${placeholders(approved.length)} ORDER BY id DESC`, [product, ...approved])).map((r) => ApprovedRow.parse(r));
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
 * Whether another question asks what `question` asks, as the answer library decides it serves
 * an approval (sameQuestion at SAME_QUESTION: each one's distinctive ideas, named topics,
 * qualifiers, polarity and figures in the other); the same words always do.
 */
export function sameQuestionAs(lexicon: Lexicon, question: string): SameQuestionTest {
  const words = sameWording(question);
  let asked: ReadForReuse | null = null;
  return (other) => {
    if (words(other)) return true;
    asked ??= readForReuse(retrievalText(question), lexicon);
    return sameQuestionRead(asked, reading(other, lexicon)) >= SAME_QUESTION;
  };
}
