/**
 * Concept tags: each passage is indexed with the ids of the glossary concepts it mentions
 * (`g12 g40 …`, whitespace-tokenised full-text index). A large product is then searched by
 * the question's concept ids, whose posting lists are short and specific, instead of by the
 * n-grams of common Japanese words, which are in most rows (measured at 100k rows: a few
 * milliseconds instead of hundreds).
 *
 * English prose (an English policy) is also tagged with the concepts whose English glossary
 * phrases it writes, matched by stems as a question is ("Multi-factor authentication is
 * required" → the MFA concept): the Japanese variants never occur in it, so without this an
 * English policy of a large product was found only by the n-grams of words the glossary
 * does not know.
 */
import { matchKey } from '../corpus/clean.js';
import { detectLanguage } from '../domain.js';
import type { Concept } from './expand.js';
import { modifierOf } from './compound-head.js';
import { loadGlossary, spanKeys, tokenizeEn, type Lexicon } from './lexicon.js';
import { isLatin, variantKey, wholeWords } from './match.js';

export type Tagger = (text: string) => string;

const tag = (id: number): string => `g${id}`;

export function conceptTagger(lexicon: Pick<Lexicon, 'glossary'>): Tagger {
  const matchers = lexicon.glossary.map((c) => {
    const variants = c.ja.map((v) => v.normalize('NFKC').toLowerCase().trim()).filter((v) => v.replace(/\s/g, '').length >= 2);
    // Latin variants are whole words: "ai" is artificial intelligence, not the "ai" of "retained"
    // (an English policy's every row was tagged with it), "iso" is not the one of "isolated".
    return { keys: variants.filter((v) => !isLatin(v)).map(matchKey), words: wholeWords(variants.filter(isLatin)) };
  });
  const phrases = new Map<string, number[]>();
  let longest = 1;
  lexicon.glossary.forEach((c, id) => {
    for (const k of c.enKeys) {
      phrases.set(k, [...(phrases.get(k) ?? []), id]);
      longest = Math.max(longest, k.split(' ').length);
    }
  });
  return (text) => {
    const key = variantKey(text);
    const english = detectLanguage(text) === 'en' ? englishPhraseIds(text, phrases, longest) : new Set<number>();
    const tags: string[] = [];
    matchers.forEach((m, id) => {
      if (m.keys.some((k) => key.compact.includes(k)) || (m.words?.test(key.spaced) ?? false) || english.has(id)) tags.push(tag(id));
    });
    return tags.join(' ');
  };
}

/**
 * Ids of the concepts whose English phrases the text writes: as stem sequences (`enKey`), or as
 * written for a phrase the glossary marks exact-form (`spanKeys`), which then wins as in a question.
 */
function englishPhraseIds(text: string, phrases: ReadonlyMap<string, readonly number[]>, longest: number): Set<number> {
  const words = tokenizeEn(text.toLowerCase());
  const ids = new Set<number>();
  for (let i = 0; i < words.length; i++) {
    for (let n = 1; n <= longest && i + n <= words.length; n++) {
      const [exact, stems] = spanKeys(words.slice(i, i + n));
      for (const id of phrases.get(exact) ?? phrases.get(stems) ?? []) ids.add(id);
    }
  }
  return ids;
}

let shared: Tagger | null = null;
/** The tagger for the shipped glossary, built once per process (the rest of the lexicon is not loaded for it). */
export function defaultTagger(): Tagger {
  shared ??= conceptTagger({ glossary: loadGlossary() });
  return shared;
}

/**
 * The tags a question's glossary concepts stand for, weightiest first. The last word of a longer
 * compound (診断 of 健康診断) stands for no tag: the glossary's sense of it is not the question's.
 */
export function questionTags(concepts: readonly Concept[]): string[] {
  const ordered = [...concepts].filter((c) => c.glossaryIds && c.weight > 0 && modifierOf(c) === null).sort((a, b) => b.weight - a.weight);
  return [...new Set(ordered.flatMap((c) => (c.glossaryIds ?? []).map(tag)))];
}
