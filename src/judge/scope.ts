/**
 * Whether a ※ note that puts part of the service out of scope narrows what this question asks.
 *
 * At ingest a ○ row with such a note reads `partial` (src/corpus/status.ts): done, but not for
 * every component. That is right for most questions: the labelled sets want `partial` for a
 * question about the service as a whole even when the note shares none of its words (counting
 * the note as a caveat, relevant only when it shares the question's ideas, cost status 0.89 →
 * 0.85). What the note reaches is the statement it follows. A row can go on after the note
 * with another statement ("※ B and C are out of scope. When an outage is detected, customers are
 * notified on the status page"); a question answered by that later statement is not narrowed
 * by the note, and the ○ stands.
 */
import type { Passage, Status } from '../domain.js';
import { caveats, scopeNotes } from '../corpus/status.js';
import { coverage, statusFor, textKey, type CompiledConcept } from '../retrieve/match.js';

/**
 * The row's status for this question: statusFor (a caveat about something else does not make
 * it partial), then, for a row that is partial only by its out-of-scope notes, `yes` when no
 * note qualifies the statement that speaks to the question: each note's preceding statement
 * covers less of the question's ideas than the statement after it.
 */
export function scopedStatus(concepts: CompiledConcept[], passage: Passage): Status {
  const status = statusFor(concepts, passage);
  if (status !== 'partial' || passage.status !== 'partial') return status;
  const notes = scopeNotes(passage.answer);
  if (notes.length === 0 || caveats(passage.answer).length > 0) return status;
  const narrows = notes.some((n) => coverage(concepts, textKey(n.before)) >= coverage(concepts, textKey(n.after)));
  return narrows ? status : 'yes';
}
