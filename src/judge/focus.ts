/**
 * What each ask of a question is about: its focus, the thing the final predicate acts on and
 * the predicate (ハードディスクを「暗号化」していますか, "do you rotate encryption keys"), as
 * opposed to the setting around it (出張の際に, "at least once a year"). A row can share most
 * of a question's words and miss its focus: a row on approving laptops taken on business trips
 * for a question about encrypting their disks, a row on whom to call in a power cut for one
 * about a UPS in the server room. Coverage counts every idea alike, so such a row looks like
 * an answer; whether it mentions the focus is meant to tell it apart.
 *
 * The judgement sees the question only as its ideas (QuestionView), in the order the query
 * expansion found them (src/retrieve/expand.ts): a Japanese question's ideas in the order it
 * states them; an English question's glossary phrases first, in the order it states them, then
 * its other words. That order is what the focus is read from:
 * - Japanese is head-final: the predicate and the object marked by を/は/が that it governs
 *   stand last, just before 〜できますか/〜していますか/〜はありますか. The focus is the last
 *   specific ideas.
 * - English puts the main verb and its object right after the auxiliary and the subject ("Do you
 *   rotate encryption keys…", "Is customer data backed up to…"). The focus is the first
 *   specific ideas. A question opening with a clause of its own ("When staff leave, how
 *   soon…") puts its setting first: the focus read is then the setting, a known limit.
 * Generic ideas (a glossary weight below SPECIFIC: 管理, 対応, "policy") are never the focus:
 * they are the light verbs and frames of the question.
 */
import { coverage, type CompiledConcept, type TextKey } from '../retrieve/match.js';

/** Ideas at or above this weight are specific (as in features.ts). */
const SPECIFIC = 0.5;
/** How many ideas make the focus: the predicate and its object. */
export const FOCUS_IDEAS = 2;

/** The focus ideas of one ask (or of a question of one ask), given its ideas in expansion order. */
export function focusIdeas(ideas: readonly CompiledConcept[], lang: 'ja' | 'en'): CompiledConcept[] {
  // A part of a compound the question already named (ハード of ハードディスク) follows the
  // compound in expansion order: it is not a word of the question's ending.
  const parts = (c: CompiledConcept, i: number): boolean => ideas.slice(0, i).some((e) => e.source.includes(c.source));
  const specific = ideas.filter((c, i) => c.weight >= SPECIFIC && !parts(c, i));
  return lang === 'ja' ? specific.slice(-FOCUS_IDEAS) : specific.slice(0, FOCUS_IDEAS);
}

/**
 * An idea the lexicon knows in two or more wordings (a glossary line, a synonym group): a row
 * about it says it in one of them, so a row that says none is not about it. An idea only the
 * question's own word names (an everyday word such as 気がかり, 手立て) is as often a paraphrase of what the
 * row says in other words: its absence from the row tells nothing (see knownUnmentioned in
 * features.ts, which draws the same line out of fold).
 */
const known = (c: CompiledConcept): boolean => new Set(c.keys).size + (c.words ? 1 : 0) >= 2;

/**
 * Weighted share of an ask's focus ideas the text mentions, among those the lexicon knows in
 * several wordings; 1 when there is none (nothing the row can be seen to miss).
 */
export function focusCoverage(ideas: readonly CompiledConcept[], lang: 'ja' | 'en', key: TextKey): number {
  const focus = focusIdeas(ideas, lang).filter(known);
  return focus.length === 0 ? 1 : coverage(focus, key);
}
