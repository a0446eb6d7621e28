/**
 * A question's bracketed gloss ("a contractual SLA (uptime commitment with service credits)",
 * 「SLA（稼働率の保証）」) says what its author means by the word before it; it is not more that
 * a row's caveat must speak to. Whether a caveat or a denial is about the question is read as
 * the share of the question's ideas it mentions (a quarter: match.ts statusFor, retrieve.ts
 * rowCautions); the gloss's ideas counted in that share, a row saying "we define no SLA" read as
 * about something else, and the ○ as a plain yes (blind trial s20: the same question without the
 * brackets was partial). The gloss's ideas still rank rows and count everywhere else.
 *
 * Examples in brackets ("classification labels (e.g. Confidential / Internal)", 「(例:…)」) name
 * instances of what is asked, not more of it: at full weight their words drew rows about those
 * instances (a storage-media row for "Confidential", blind trial s19) above the row about the
 * thing asked. They rank at half weight.
 */
import type { Concept } from './expand.js';
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

/** Brackets opening with an example marker: "(e.g. …)", "(such as …)", 「(例:…)」「(例えば…)」. */
const EXAMPLES = /[(（]\s*(?:e\.\s?g\.?|eg\b|for example|for instance|such as|例えば|たとえば|例[:：)）]?)[^()（）]*[)）]/giu;
/** The weight of an idea the question names only as a bracketed example. */
const EXAMPLE_WEIGHT = 0.5;

/** The question's concepts, those it names only in bracketed examples at EXAMPLE_WEIGHT of their weight. */
export function examplesWeighed(question: string, concepts: readonly Concept[]): Concept[] {
  const text = question.normalize('NFKC').toLowerCase();
  const outside = text.replace(EXAMPLES, (m) => ' '.repeat(m.length));
  if (outside === text) return [...concepts];
  return concepts.map((c) => {
    const source = c.source.normalize('NFKC').toLowerCase();
    return text.includes(source) && !outside.includes(source) ? { ...c, weight: c.weight * EXAMPLE_WEIGHT } : c;
  });
}
