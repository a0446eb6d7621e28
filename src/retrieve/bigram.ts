/**
 * Character-bigram (and single-kanji) BM25 between the question and every candidate row: the plainest measure
 * of shared wording, with no lexicon in the way. It catches what concept coverage misses
 * (a paraphrase sharing half a compound, words the glossary does not know) and is one of the
 * judgement's features, never the whole of it.
 *
 * A Japanese question is scored by its own bigrams (hiragana-only pairs such as ます/ている
 * carry no topic and are skipped) plus those of its concepts' variants; an English question,
 * which shares no characters with Japanese rows, by the bigrams of its concepts' Japanese
 * variants, each concept weighted as the coverage is.
 *
 * English prose (an English policy, an approved English answer) has no kanji or kana bigrams
 * to share with anything: an English question is scored against English rows by their shared
 * words instead (englishWords), lemmatised and stemmed on both sides so that "passwords" meets
 * "password" and "kept" meets "keep". Japanese rows get no word score, so a product of Japanese
 * checksheets scores exactly as before.
 */
import lemmatizer from 'wink-lemmatizer';
import { matchKey } from '../corpus/clean.js';
import { EN_STOP } from './expand.js';
import { stem, tokenizeEn } from './lexicon.js';
import { HIRAGANA_CLASS, KANJI_CLASS } from '../regexp.js';

export type Grams = Map<string, number>;

/** A pair of hiragana (and the long-vowel mark): an ending or a particle (ます, ている), no topic. */
const KANA_ONLY = new RegExp(`^[${HIRAGANA_CLASS}ー]+$`, 'u');
const NOISE = /^[\p{P}\p{S}\d]+$/u;

/**
 * One kanji, counted on its own as a topic. Not 々: it repeats the kanji before it (日々, 各々), which the
 * pair already counts, and on its own names nothing, so every row with any such word would share it.
 */
const KANJI = new RegExp(`^(?!々)[${KANJI_CLASS}]$`, 'u');

/**
 * A word of one kanji the question writes on its own (雷による, 鍵は: expand.ts reads it as an idea)
 * counts in the question's grams as a word of two kanji does, by its bigram and its two kanji:
 * as one kanji among all the question's others (被, 害, 備 of 被害に備え) it was a twelfth of
 * the score, and a row sharing only サーバー outranked the one about 落雷.
 */
const ONE_KANJI_WORD = 3;

/** Adds a one-kanji word of the question (`word`) at the weight of a two-kanji word; other words are left to grams(). */
export function oneKanjiWord(word: string, weight: number, into: Grams): void {
  if (!KANJI.test(word)) return;
  const g = `1${word}`;
  // The question's own text already counted it once (grams).
  into.set(g, (into.get(g) ?? 0) + (ONE_KANJI_WORD - 1) * weight);
}

/**
 * Bigrams, and each kanji on its own (as `1` + the character): a one-kanji word (雷, 鍵, 火)
 * has no bigram of its own, yet is often the whole topic ("雷" in 落雷, "火" in 火災).
 */
export function grams(text: string, weight = 1, into: Grams = new Map()): Grams {
  const chars = [...matchKey(text)];
  for (const ch of chars) if (KANJI.test(ch)) into.set(`1${ch}`, (into.get(`1${ch}`) ?? 0) + weight);
  for (let i = 0; i + 1 < chars.length; i++) {
    const g = `${chars[i]}${chars[i + 1]}`;
    if (KANA_ONLY.test(g) || NOISE.test(g)) continue;
    into.set(g, (into.get(g) ?? 0) + weight);
  }
  return into;
}

/**
 * The content words of English text as BM25 terms: function words and questionnaire
 * boilerplate (expand.ts EN_STOP) dropped, each word reduced to its verb lemma (wink-lemmatizer
 * knows irregular forms: kept → keep) and then its Porter stem (the stems match.ts compares).
 */
export function englishWords(text: string, weight = 1, into: Grams = new Map()): Grams {
  for (const token of tokenizeEn(text.toLowerCase())) {
    if (EN_STOP.has(token)) continue;
    const w = `w${stem(lemmatizer.verb(token))}`;
    into.set(w, (into.get(w) ?? 0) + weight);
  }
  return into;
}

export interface GramIndex {
  idf: Map<string, number>;
  avgLength: number;
  count: number;
}

export function gramIndex(docs: Array<{ grams: Grams; length: number }>): GramIndex {
  const df = new Map<string, number>();
  let total = 0;
  for (const d of docs) {
    total += d.length;
    for (const g of d.grams.keys()) df.set(g, (df.get(g) ?? 0) + 1);
  }
  const n = docs.length;
  const idf = new Map<string, number>();
  for (const [g, f] of df) idf.set(g, Math.log(1 + (n - f + 0.5) / (f + 0.5)));
  return { idf, avgLength: n > 0 ? total / n : 1, count: n };
}

const K1 = 1.2;
const B = 0.75;

/** BM25 of a document for weighted query bigrams; a bigram no document has scores nothing. */
export function bm25(query: Grams, doc: { grams: Grams; length: number }, index: GramIndex): number {
  let score = 0;
  const norm = K1 * (1 - B + (B * doc.length) / Math.max(1, index.avgLength));
  for (const [g, qw] of query) {
    const tf = doc.grams.get(g);
    if (!tf) continue;
    score += qw * (index.idf.get(g) ?? 0) * ((tf * (K1 + 1)) / (tf + norm));
  }
  return score;
}

/** The best score any document could get for this query (every bigram present once, average length). */
export function ceiling(query: Grams, index: GramIndex): number {
  let score = 0;
  for (const [g, qw] of query) score += qw * (index.idf.get(g) ?? 0);
  return score;
}
