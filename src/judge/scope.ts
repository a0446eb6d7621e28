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
 * The row's status for this question. For a row read `partial` that has out-of-scope notes:
 * `partial` when a note qualifies the statement that speaks to the question (the statement
 * before the note covers at least as much of the question's ideas as the one after it);
 * otherwise the caveats decide as statusFor does (a caveat about something else does not make
 * the row partial), and a row with no caveat is `yes`. Without notes, statusFor alone.
 *
 * The mark is not kept with the passage, so a soft mark (△) whose row also carries such a note
 * and no caveat is read like a ○: the sample checksheets put these notes on ○ rows only.
 */
export function scopedStatus(concepts: CompiledConcept[], passage: Passage): Status {
  const status = statusFor(concepts, passage);
  const notes = passage.status === 'partial' ? scopeNotes(passage.answer) : [];
  if (notes.length === 0) return status;
  if (notes.some((n) => coverage(concepts, textKey(n.before)) >= coverage(concepts, textKey(n.after)))) return 'partial';
  return caveats(passage.answer).length > 0 ? status : 'yes';
}
