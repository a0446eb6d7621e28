/**
 * How the question's ideas are worded in a product's English rows (an English policy, an
 * English approved answer), so that coverage (match.ts) sees them there too.
 *
 * A concept's variants are Japanese strings and a few Latin names: an English row mentions a
 * glossary concept only if it happens to use the question's own phrase, all of its words
 * ("password length" in a section saying "passwords must be at least 12 characters long"),
 * and a Japanese question's concepts never. So an English row that plainly answers was read as
 * not mentioning the question at all, and the decline said so. For the English rows of the pool
 * only, each concept gains as Latin variants the spans of those rows that say it:
 * - any of the glossary's English phrases for it, matched by stems as the glossary matches a
 *   question ("MFA" finds "multi-factor authentication"; 多要素認証 the same);
 * - for an English question's own multi-word phrase, any of its content words ("password" of
 *   "password length"): a row naming part of a phrase is about it, and which row answers best
 *   is left to the ranking (word BM25, bigram.ts).
 * A pool without English rows gets no new variant, so Japanese checksheets match as before.
 */
import { detectLanguage } from '../domain.js';
import type { Concept } from './expand.js';
import { EN_STOP } from './expand.js';
import { EXACT_MARK, stem, type Lexicon } from './lexicon.js';

interface Token {
  /** The word as written (lowercase), for a glossary phrase matched in its exact form. */
  word: string;
  stem: string;
  start: number;
  end: number;
}

/** The English rows of a pool, tokenised once per snapshot. */
export interface EnglishRows {
  rows: Array<{ spaced: string; tokens: Token[] }>;
  /** A stem → the words the rows write it as ("password" → passwords, password). */
  forms: Map<string, Set<string>>;
  /** Word pairs the rows write joined by a hyphen ("sign on" of "sign-on", "multi factor"): one word there. */
  compounds: Set<string>;
}

/** The same spacing as match.ts's TextKey.spaced, so a span found here matches there as a whole word. */
const spacedOf = (text: string): string => text.normalize('NFKC').toLowerCase().replace(/[\s\u3000]+/gu, ' ');

export function englishRows(texts: readonly string[]): EnglishRows {
  const rows: EnglishRows['rows'] = [];
  const forms = new Map<string, Set<string>>();
  const compounds = new Set<string>();
  for (const text of texts) {
    if (detectLanguage(text) !== 'en') continue;
    const spaced = spacedOf(text);
    for (const m of spaced.matchAll(/[a-z]+(?:-[a-z]+)+/g)) {
      const parts = m[0].split('-');
      for (let i = 0; i + 1 < parts.length; i++) compounds.add(`${parts[i]} ${parts[i + 1]}`);
    }
    const tokens = [...spaced.matchAll(/[a-z0-9]+/g)].map((m) => {
      const word = m[0];
      const s = stem(word);
      if (!forms.has(s)) forms.set(s, new Set());
      forms.get(s)?.add(word);
      return { word, stem: s, start: m.index, end: m.index + word.length };
    });
    rows.push({ spaced, tokens });
  }
  return { rows, forms, compounds };
}

/**
 * Where the rows write a phrase (its stems in order, as `enKey` gives them, or for an exact-form
 * glossary phrase its words, as `exactKey` gives them): each distinct span.
 */
function spansOf(key: string, english: EnglishRows): string[] {
  const exact = key.startsWith(EXACT_MARK);
  const parts = (exact ? key.slice(EXACT_MARK.length) : key).split(' ');
  const out = new Set<string>();
  for (const { spaced, tokens } of english.rows) {
    for (let i = 0; i + parts.length <= tokens.length; i++) {
      if (parts.every((p, k) => (exact ? tokens[i + k]?.word : tokens[i + k]?.stem) === p)) out.add(spaced.slice(tokens[i]?.start ?? 0, tokens[i + parts.length - 1]?.end ?? 0));
    }
  }
  return [...out];
}

/**
 * A named thing (SOC 2 Type II, ISO 27001, an acronym): mentioned only as a whole, never by a
 * word of it ("type", "2" of a section number). As match.ts reads named topics.
 */
const NAME_LIKE = /[A-Z]{2,}|[A-Za-z][- ]?[0-9]|[0-9]{3,}/;

/**
 * The question's content words of a Latin multi-word source ("password length" → password,
 * length), as `enKey`-style keys. A compound is one word ("single sign on" → single, "sign on";
 * "full disk encryption" → "full disk", encryption) where the glossary's phrases for the
 * concept or the rows write it with a hyphen: its parts are no words of their own, or "sign" of
 * "sign-on" finds "contractors sign a confidentiality agreement".
 */
function phraseWords(source: string, hyphenated: (a: string, b: string) => boolean): string[] {
  if (!/^[\x20-\x7e]+$/.test(source) || NAME_LIKE.test(source)) return [];
  return source.split(/\s+\/\s+/).flatMap((alternative) => {
    const all = alternative.toLowerCase().match(/[a-z]+/g) ?? [];
    const joined: string[][] = [];
    for (const w of all) {
      const last = joined.at(-1);
      if (last && hyphenated(last.at(-1) ?? '', w)) last.push(w);
      else joined.push([w]);
    }
    const words = joined.filter((ws) => ws.length > 1 || ((ws[0] ?? '').length >= 3 && !EN_STOP.has(ws[0] ?? '')));
    return words.length >= 2 ? words.map((ws) => ws.map(stem).join(' ')) : [];
  });
}

/** Where the rows write one of the question's words: a single word in any of its forms, a compound as a span. */
const wordForms = (key: string, english: EnglishRows): string[] => (key.includes(' ') ? spansOf(key, english) : [...(english.forms.get(key) ?? [])]);

/** The concepts with the English rows' wordings of each added as Latin variants (unchanged when there are none). */
export function withEnglishWordings(concepts: readonly Concept[], english: EnglishRows, lexicon: Pick<Lexicon, 'glossary'>): Concept[] {
  if (english.rows.length === 0) return [...concepts];
  return concepts.map((c) => {
    const keys = (c.glossaryIds ?? []).flatMap((id) => lexicon.glossary[id]?.enKeys ?? []);
    const phrases = (c.glossaryIds ?? []).flatMap((id) => lexicon.glossary[id]?.en ?? []).join(' ');
    const hyphenated = (a: string, b: string): boolean => english.compounds.has(`${a} ${b}`) || phrases.includes(`${a}-${b}`);
    const found = [...keys.flatMap((k) => spansOf(k, english)), ...phraseWords(c.source, hyphenated).flatMap((k) => wordForms(k, english))];
    const added = found.filter((v) => !c.variants.includes(v));
    if (added.length === 0) return c;
    return { ...c, variants: [...c.variants, ...added], ...(c.own ? { own: [...c.own, ...added] } : {}) };
  });
}
