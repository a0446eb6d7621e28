/**
 * A question's bracketed gloss ("a contractual SLA (uptime commitment with service credits)",
 * 「SLA（稼働率の保証）」) says what its author means by the word before it; it is not more that
 * a row's caveat must speak to. Whether a caveat or a denial is about the question is read as
 * the share of the question's ideas it mentions (a quarter: match.ts statusFor, retrieve.ts
 * rowCautions); the gloss's ideas counted in that share, a row saying "we define no SLA" read as
 * about something else, and the ○ as a plain yes (blind trial s20: the same question without the
 * brackets was partial). The gloss's ideas still rank rows and count everywhere else.
 */
import { bracketsMasked } from './subquestions.js';
import type { CompiledConcept } from './match.js';

/** The concepts without those the question names only inside brackets; all of them when none is left. */
export function withoutGlosses(question: string, concepts: readonly CompiledConcept[]): CompiledConcept[] {
  const text = question.normalize('NFKC').toLowerCase();
  const outside = bracketsMasked(text);
  if (outside === text) return [...concepts];
  const kept = concepts.filter((c) => {
    const source = c.source.normalize('NFKC').toLowerCase();
    // A concept the question does not write as such (a figure read, an aspect) is no gloss.
    return !text.includes(source) || outside.includes(source);
  });
  return kept.length > 0 ? kept : [...concepts];
}
