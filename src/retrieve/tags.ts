/**
 * Concept tags: each passage is indexed with the ids of the glossary concepts it mentions
 * (`g12 g40 …`, whitespace-tokenised full-text index). A large product is then searched by
 * the question's concept ids, whose posting lists are short and specific, instead of by the
 * n-grams of common Japanese words, which are in most rows (measured at 100k rows: a few
 * milliseconds instead of hundreds).
 */
import { matchKey } from '../corpus/clean.js';
import type { Concept } from './expand.js';
import { loadGlossary, type Lexicon } from './lexicon.js';
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
  return (text) => {
    const key = variantKey(text);
    const tags: string[] = [];
    matchers.forEach((m, id) => {
      if (m.keys.some((k) => key.compact.includes(k)) || (m.words?.test(key.spaced) ?? false)) tags.push(tag(id));
    });
    return tags.join(' ');
  };
}

let shared: Tagger | null = null;
/** The tagger for the shipped glossary, built once per process (the rest of the lexicon is not loaded for it). */
export function defaultTagger(): Tagger {
  shared ??= conceptTagger({ glossary: loadGlossary() });
  return shared;
}

/** The tags a question's glossary concepts stand for, weightiest first. */
export function questionTags(concepts: readonly Concept[]): string[] {
  const ordered = [...concepts].filter((c) => c.glossaryIds && c.weight > 0).sort((a, b) => b.weight - a.weight);
  return [...new Set(ordered.flatMap((c) => (c.glossaryIds ?? []).map(tag)))];
}
