/**
 * Lexicon entries as RegExp patterns, defined once for every layer that builds a pattern from
 * data. The lexicons' words (C++, .NET, ※) are matched as written; an entry written in Latin
 * script is a whole word (so "sign" is not found in "design"), and a Japanese entry, written
 * without spaces between words, is found wherever it occurs.
 */
export const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Printable ASCII only: an entry in Latin script, read as whole words. */
export const isLatin = (s: string): boolean => /^[\x20-\x7e]+$/.test(s);

/** One entry as a pattern: a Latin entry as whole words, each space any run of whitespace; anything else as written. */
export const wordPattern = (w: string): string => (isLatin(w) ? `(?<![a-z])${escapeRegExp(w).replace(/ /g, '\\s+')}(?![a-z])` : escapeRegExp(w));

// A lexicon's lists are loaded once and read for every candidate row of every question: each
// list's alternation is built once (keyed by the list itself, so a list built per call is not kept).
const alternations = new WeakMap<readonly string[], string>();

/** Entries as one alternation, longest first, so that a longer entry (無効化) wins over the one it starts with (無効). */
export function wordsPattern(list: readonly string[]): string {
  let pattern = alternations.get(list);
  if (pattern === undefined) {
    pattern = longestFirst(list).map(wordPattern).join('|');
    alternations.set(list, pattern);
  }
  return pattern;
}

// Built once per entry: each is tested against every candidate row of every question.
const compiled = new Map<string, RegExp>();

/** Whether a text (NFKC, lower case) holds the entry, as wordPattern reads it. */
export function hasWord(text: string, w: string): boolean {
  if (!isLatin(w)) return text.includes(w);
  let re = compiled.get(w);
  if (!re) {
    re = new RegExp(wordPattern(w));
    compiled.set(w, re);
  }
  return re.test(text);
}

/** Whether a text holds any of the entries. */
export const hasAnyWord = (text: string, list: readonly string[]): boolean => list.some((w) => hasWord(text, w));

/** Entries longest first: a search that takes the first entry found takes the longest. */
export const longestFirst = (list: readonly string[]): string[] => [...list].sort((a, b) => b.length - a.length);
