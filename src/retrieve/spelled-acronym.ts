/**
 * An acronym the question spells out means what its spelling says. "SOC" is a SOC report to
 * the glossary, but "a security operations center (SOC)" is a monitoring team: a new-user
 * trial got a confident answer about a 24/7 SOC from a row about SOC reports, because the
 * acronym's concept carried the report's Japanese. When the words before "(ABC)" have the
 * acronym's initials and the glossary knows them as another concept, the acronym's concept
 * takes that concept's sense (its variants and tags) instead of the glossary's sense of the
 * bare acronym. An acronym spelled as the glossary means it, or spelled in words the glossary
 * does not know, is left as it is.
 */
import type { Concept } from './expand.js';
import { spanKeys, tokenizeEn, type Lexicon } from './lexicon.js';

/** Up to eight words, then the acronym in parentheses: "security operations center (SOC)". */
const SPELLED = /((?:[a-z][a-z-]*\s+){1,8})\(\s*([a-z]{2,6})\s*\)/gi;

/** The last words whose initials spell the acronym ("security operations center" for soc), or null. */
export function spelledOut(words: readonly string[], acronym: string): string | null {
  const n = acronym.length;
  if (words.length < n) return null;
  const last = words.slice(words.length - n);
  return last.map((w) => w[0] ?? '').join('') === acronym ? last.join(' ') : null;
}

/** Each acronym the question spells out, with its spelling (both lowercase). */
export function spelledAcronyms(question: string): Array<{ acronym: string; spelling: string }> {
  const out: Array<{ acronym: string; spelling: string }> = [];
  for (const m of question.normalize('NFKC').matchAll(SPELLED)) {
    const acronym = (m[2] ?? '').toLowerCase();
    const spelling = spelledOut((m[1] ?? '').toLowerCase().trim().split(/\s+/), acronym);
    if (spelling) out.push({ acronym, spelling });
  }
  return out;
}

/** The question's concepts with each spelled-out acronym read in the sense its spelling names. */
export function withSpelledAcronyms(question: string, concepts: readonly Concept[], lexicon: Lexicon): Concept[] {
  const spelled = spelledAcronyms(question);
  if (spelled.length === 0) return [...concepts];
  return concepts.map((c) => {
    const hit = spelled.find((s) => s.acronym === c.source.trim().toLowerCase());
    if (!hit || c.origin !== 'glossary') return c;
    const ids = spanKeys(tokenizeEn(hit.spelling.toLowerCase())).map((k) => lexicon.enPhrases.get(k)).find((found) => found !== undefined) ?? [];
    if (ids.length === 0 || ids.some((id) => c.glossaryIds?.includes(id))) return c;
    const senses = ids.map((id) => lexicon.glossary[id]).filter((g) => g !== undefined);
    const variants = [...new Set(senses.flatMap((g) => g.ja))];
    if (variants.length === 0) return c;
    // The acronym itself is left out of the variants, and the source names the spelling with it (an
    // English row mentions it by all those words): in these rows the bare acronym spells the sense
    // the question does not mean. The source keeps the acronym, so it is still a named topic.
    return { source: `${hit.spelling} (${c.source.trim()})`, variants, weight: Math.max(...senses.map((g) => g.weight)), origin: 'glossary', glossaryIds: ids };
  });
}
