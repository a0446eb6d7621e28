/**
 * Japanese words by their dictionary (base) forms, from a morphological analyser: 変更されています
 * and 変更する are both 変更, 定められている is 定める. Character bigrams (./bigram.ts) already
 * match most shared kanji, but they cannot tell a word from a pair of characters that merely
 * sit side by side, nor meet a Sudachi synonym that shares no character with the row
 * (パスワード / 暗証番号); words can.
 *
 * The analyser is lindera with IPADIC (lindera-wasm-nodejs-ipadic: dictionary inside the
 * package, no download at run time). Measured on a 2-core machine: about 0.5-0.8 s to load and
 * some 120 MB of RSS, about 1 ms per short sentence; kuromoji needed 1.2 s and 340 MB for the
 * same analyses, too much for the bot's 400 MB budget. It is loaded once per process, lazily,
 * and its WebAssembly is compiled synchronously: the bot loads it at start-up (createApp), never
 * while a Slack request waits.
 *
 * Only content words are kept (nouns, verbs and adjectives, by base form); particles,
 * auxiliaries, symbols, numbers, suffixes and the light verbs every row has (する, ある, いる…)
 * say nothing about a row's topic. Rows are analysed once, at ingest (the `words` column,
 * src/store/schema.ts); only the question is analysed when it is asked.
 */
import { createRequire } from 'node:module';
import { z } from 'zod';

/** The fields of a lindera token that content-word selection reads. */
export const Token = z.object({
  surface: z.string(),
  baseForm: z.string().optional(),
  partOfSpeech: z.string().optional(),
  partOfSpeechSubcategory1: z.string().optional(),
});
export type Token = z.infer<typeof Token>;

export interface Analyser {
  /** The content words of a text by base form, in order, repeated as often as they occur. */
  words(text: string): string[];
}

/** Noun subcategories that name nothing by themselves: suffixes (者, 性, 化), numbers, pronouns, こと/もの. */
const NOUN_DROP = new Set(['非自立', '代名詞', '数', '接尾', '特殊', '接続詞的', '動詞非自立的', '引用文字列', '副詞可能']);
/** Verbs and adjectives in nearly every row, and the negation (a status, not a topic). */
const LIGHT = new Set(['する', 'ある', 'いる', 'なる', 'できる', 'おる', 'いう', 'くる', 'れる', 'られる', 'せる', 'させる', 'ない', 'よい', 'いい']);
/** An unknown word worth keeping: Latin letters, with digits or not (SSO, 2FA; never a bare number), or katakana. */
const UNKNOWN_WORD = /^(?:(?=[a-z0-9.+#-]*[a-z])[a-z0-9][a-z0-9.+#-]*|[\u30a0-\u30ff]{2,})$/u;
const ONE_KANA = /^[\u3040-\u30ff]$/u;

/**
 * Content words of analysed tokens: the part of the analyser that decides, kept pure to be tested.
 *
 * IPADIC cuts compounds finely (管理者 = 管理 + 者, 脆弱性診断 = 脆弱 + 性 + 診断), so a noun is
 * kept with the prefixes and suffixes around it (再発行, 管理者, 脆弱性, 暗号化), and each pair
 * of adjacent nouns in a compound is one more word (不正アクセス, アクセス対策): a row about
 * 多要素認証 then matches a question about it better than one that only says 認証.
 */
export function contentWords(tokens: readonly Token[]): string[] {
  const out: string[] = [];
  let run: string[] = [];
  let prefix = '';
  const flush = (): void => {
    out.push(...run);
    run = [];
    prefix = '';
  };
  const keep = (word: string): boolean => !ONE_KANA.test(word) && !/^[\p{P}\p{S}\d]+$/u.test(word);
  for (const t of tokens) {
    const surface = t.surface.toLowerCase();
    const base = (t.baseForm && t.baseForm !== '*' ? t.baseForm : t.surface).toLowerCase();
    const pos = t.partOfSpeech ?? '';
    const sub = t.partOfSpeechSubcategory1 ?? '';
    if (pos === '接頭詞' && sub === '名詞接続') {
      prefix += surface;
      continue;
    }
    if (pos === '名詞' && sub === '接尾' && run.length > 0) {
      run[run.length - 1] += surface;
      continue;
    }
    if (pos === '名詞' && !NOUN_DROP.has(sub)) {
      if (keep(base)) run.push(`${prefix}${base}`);
      prefix = '';
      continue;
    }
    if ((pos === 'UNK' || pos === '') && UNKNOWN_WORD.test(surface)) {
      run.push(`${prefix}${surface}`);
      prefix = '';
      continue;
    }
    flush();
    if ((pos === '動詞' || pos === '形容詞') && sub === '自立' && !LIGHT.has(base) && keep(base)) out.push(base);
  }
  flush();
  return out;
}

interface LinderaTokenizer {
  tokenize(text: string): unknown;
}
interface LinderaModule {
  TokenizerBuilder: new () => { setDictionary(uri: string): void; setMode(mode: string): void; build(): LinderaTokenizer };
}

const Tokens = z.array(Token);

function createAnalyser(): Analyser {
  // CommonJS with a synchronous WebAssembly compile: required here, on first use, not at import.
  const lindera = createRequire(import.meta.url)('lindera-wasm-nodejs-ipadic') as LinderaModule;
  const builder = new lindera.TokenizerBuilder();
  builder.setDictionary('embedded://ipadic');
  builder.setMode('normal');
  const tokenizer = builder.build();
  return {
    words(text) {
      const normal = text.normalize('NFKC').replace(/[\s\u3000]+/gu, ' ').trim();
      return normal.length === 0 ? [] : contentWords(Tokens.parse(tokenizer.tokenize(normal)));
    },
  };
}

let shared: Promise<Analyser> | null = null;
/** The process's analyser, loaded on the first call (about half a second) and shared after. */
export function loadAnalyser(): Promise<Analyser> {
  shared ??= Promise.resolve().then(createAnalyser);
  return shared;
}

/** A passage's words counted, and how many there are (BM25's document length). */
export interface WordDoc {
  tf: Map<string, number>;
  length: number;
}

export function wordDoc(words: readonly string[]): WordDoc {
  const tf = new Map<string, number>();
  for (const w of words) tf.set(w, (tf.get(w) ?? 0) + 1);
  return { tf, length: words.length };
}

/** How many passages of a pool hold each word, computed once per snapshot. */
export interface WordIndex {
  df: Map<string, number>;
  count: number;
  avgLength: number;
}

export function wordIndex(docs: readonly WordDoc[]): WordIndex {
  const df = new Map<string, number>();
  let total = 0;
  for (const d of docs) {
    total += d.length;
    for (const w of d.tf.keys()) df.set(w, (df.get(w) ?? 0) + 1);
  }
  return { df, count: docs.length, avgLength: docs.length > 0 ? total / docs.length : 1 };
}

/**
 * One word of the question with its Sudachi synonyms: the alternatives share one term weight
 * (a row saying パスワード or 暗証番号 matches the same term once), and the term is as rare as
 * the rows holding any of them (structured query, Pirkola 1998).
 */
export interface WordTerm {
  word: string;
  alternatives: string[];
  idf: number;
}

/** At most this many synonyms per word: Sudachi groups run to dozens of loose members. */
const MAX_SYNONYMS = 6;

export function wordTerms(
  analyser: Analyser,
  question: string,
  synonyms: ReadonlyMap<string, readonly string[]>,
  index: WordIndex,
): WordTerm[] {
  const words = [...new Set(analyser.words(question))];
  return words.map((word) => {
    // A synonym is matched as a word only when the analyser reads it as one word (rows are stored as words).
    const alternatives = [word];
    for (const s of synonyms.get(word) ?? []) {
      if (alternatives.length > MAX_SYNONYMS) break;
      const as = analyser.words(s);
      if (as.length === 1 && as[0] !== undefined && !alternatives.includes(as[0])) alternatives.push(as[0]);
    }
    const df = Math.min(index.count, alternatives.reduce((n, a) => n + (index.df.get(a) ?? 0), 0));
    return { word, alternatives, idf: Math.log(1 + (index.count - df + 0.5) / (df + 0.5)) };
  });
}

const K1 = 1.2;
const B = 0.75;

/** Word-level BM25 of a passage and the idf share of the question's words it holds. */
export function wordMatch(terms: readonly WordTerm[], doc: WordDoc, index: WordIndex): { bm25: number; share: number } {
  const norm = K1 * (1 - B + (B * doc.length) / Math.max(1, index.avgLength));
  let bm25 = 0;
  let found = 0;
  let total = 0;
  for (const t of terms) {
    total += t.idf;
    const tf = t.alternatives.reduce((n, a) => n + (doc.tf.get(a) ?? 0), 0);
    if (tf === 0) continue;
    found += t.idf;
    bm25 += t.idf * ((tf * (K1 + 1)) / (tf + norm));
  }
  return { bm25, share: total > 0 ? found / total : 0 };
}
