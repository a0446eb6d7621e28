/**
 * Lexicon entries as RegExp patterns, defined once for every layer that builds a pattern from
 * data. The lexicons' words (C++, .NET, ※) are matched as written; an entry written in Latin
 * script is a whole word (so "sign" is not found in "design"), and a Japanese entry, written
 * without spaces between words, is found wherever it occurs.
 */
export const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Japanese scripts as character-class bodies (NFKC text), for patterns built from them: kanji
 * (with the iteration mark 々, part of a kanji word: 各々, 日々), katakana with the long-vowel mark,
 * and the hiragana block (with its iteration marks ゝゞ). One definition, so that the expansion's
 * script runs, the match's katakana words, the casual readings and the question's splits agree on
 * a word's edges.
 */
export const KANJI_CLASS = '\\u3400-\\u9fff\\uf900-\\ufaff々';
export const KATAKANA_CLASS = '\\u30a1-\\u30faー';
export const HIRAGANA_CLASS = '\\u3040-\\u309f';

/**
 * Any Japanese character, in text normalised or not: both kana blocks whole (their marks ・ゝヽ
 * too), kanji, and halfwidth katakana (ｱｲｳ), which NFKC turns into katakana but a pasted cell or
 * a model's answer may hold as written. What makes a text Japanese (src/domain.ts isJapanese).
 */
export const JAPANESE_CLASS = `\\u3040-\\u30ff${KANJI_CLASS}\\uff66-\\uff9f`;

/** Printable ASCII only: an entry in Latin script, read as whole words. */
export const isLatin = (s: string): boolean => /^[\x20-\x7e]+$/.test(s);

/**
 * Where a Latin entry meets the text around it. The default is a whole word: no letter just
 * before or after it, each space any run of whitespace. Some lexicons were measured with other
 * edges, kept as they are: a vendor or region name touches no digit either ("c5" is not in
 * "c50"), a unit follows its number directly ("30days": nothing is asked before it), a scheme is
 * written with or without its space ("iso27001"), and `\w` on both sides reads as `\b` does
 * for the entries that begin and end with a letter or digit.
 */
export interface WordEdges {
  /** The characters (a class body such as `a-z0-9`) that may not stand just before the entry; '' for any. */
  before?: string;
  /** The characters that may not stand just after the entry; '' for any. */
  after?: string;
  /** What a space in the entry matches: any run of whitespace (`\s+`, the default) or also none (`\s*`). */
  space?: '\\s+' | '\\s*';
}

const LETTERS = 'a-z';

/** A Latin entry as a pattern with the given edges (see WordEdges). */
export function latinPattern(w: string, edges: WordEdges = {}): string {
  const before = edges.before ?? LETTERS;
  const after = edges.after ?? LETTERS;
  return `${before === '' ? '' : `(?<![${before}])`}${escapeRegExp(w).replace(/ /g, edges.space ?? '\\s+')}${after === '' ? '' : `(?![${after}])`}`;
}

/** One entry as a pattern: a Latin entry as whole words (or with the given edges); anything else as written. */
export const wordPattern = (w: string, edges?: WordEdges): string => (isLatin(w) ? latinPattern(w, edges) : escapeRegExp(w));

// A lexicon's lists are loaded once and read for every candidate row of every question: each
// list's alternation is built once (keyed by the list itself, so a list built per call is not kept).
const alternations = new WeakMap<readonly string[], string>();

/** Entries as one alternation, longest first, so that a longer entry (無効化) wins over the one it starts with (無効). */
export function wordsPattern(list: readonly string[], edges?: WordEdges): string {
  if (edges) return longestFirst(list).map((w) => wordPattern(w, edges)).join('|');
  let pattern = alternations.get(list);
  if (pattern === undefined) {
    pattern = longestFirst(list).map((w) => wordPattern(w)).join('|');
    alternations.set(list, pattern);
  }
  return pattern;
}

// Built once per entry and edges: each is tested against every candidate row of every question.
const compiled = new Map<string, RegExp>();

/**
 * An edge in a pattern's cache key; a default edge apart from ''. Defined once here, not per call:
 * hasWord runs for every entry against every candidate row, and under tsx (the bot, the benchmark)
 * a closure made per call cost as much as the test itself (CPU profile of the ask path).
 */
const edgeKey = (e: string | undefined): string => e ?? '\u0001';

/** Whether a text (NFKC, lower case) holds the entry, as wordPattern reads it. */
export function hasWord(text: string, w: string, edges?: WordEdges): boolean {
  if (!isLatin(w)) return text.includes(w);
  // Keyed by the entry and its edges (an edge left out, the default, apart from '', none), so that a known entry costs no pattern building.
  const key = edges ? `${w}\u0000${edgeKey(edges.before)}\u0000${edgeKey(edges.after)}\u0000${edgeKey(edges.space)}` : w;
  let re = compiled.get(key);
  if (!re) {
    re = new RegExp(latinPattern(w, edges));
    compiled.set(key, re);
  }
  return re.test(text);
}

/** Whether a text holds any of the entries. */
export const hasAnyWord = (text: string, list: readonly string[], edges?: WordEdges): boolean => list.some((w) => hasWord(text, w, edges));

/** The first of the entries a text holds, in the list's order. */
export const firstWord = (text: string, list: readonly string[], edges?: WordEdges): string | undefined => list.find((w) => hasWord(text, w, edges));

/** Entries longest first: a search that takes the first entry found takes the longest. */
export const longestFirst = (list: readonly string[]): string[] => [...list].sort((a, b) => b.length - a.length);
