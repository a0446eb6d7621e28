/**
 * Matching a question's concepts against evidence text: pure functions, so that they can be
 * tested without a store. Coverage (the weighted share of the question's ideas a passage
 * mentions) and named topics absent from every passage are the main signals the judgement
 * (src/judge/) learns from; whether a row answers is decided there, not here.
 */
import type { Passage, Status } from '../domain.js';
import { matchKey } from '../corpus/clean.js';
import { caveats } from '../corpus/status.js';
import { KATAKANA_CHAR, numberedName, sameNumber, type Concept } from './expand.js';
import { LEXICON_DIR, loadGlossary, loadLexicon, stem, tokenizeEn } from './lexicon.js';
import { readFileSync } from 'node:fs';
import { escapeRegExp, KATAKANA_CLASS } from '../regexp.js';
import { prohibits, routineException } from './negation.js';
import { modifierOf, sameCompound } from './compound-head.js';

/** A caveat that mentions this share of the question's ideas is about the question. */
const CAVEAT_RELEVANCE = 0.25;

/**
 * Text prepared once for matching: compact for Japanese, spaced for Latin word boundaries,
 * and the stems of its English words so that English sources (approved answers, English
 * policies) meet English questions ("backups" ~ "backup").
 */
export interface TextKey {
  compact: string;
  spaced: string;
  stems: Set<string>;
}

const englishStems = (text: string): string[] => tokenizeEn(text.toLowerCase()).map(stem);

export function textKey(text: string): TextKey {
  const normal = text.normalize('NFKC').toLowerCase();
  return { ...variantKey(normal), stems: new Set(englishStems(normal)) };
}

/** The part of a TextKey that variants are looked up in (no stems: tagging every row at ingest needs none). */
export function variantKey(text: string): Pick<TextKey, 'compact' | 'spaced'> {
  const normal = text.normalize('NFKC').toLowerCase();
  return { compact: matchKey(normal), spaced: ` ${normal.replace(/[\s\u3000]+/gu, ' ')} ` };
}

/** The weight expand.ts gives a question's main ideas (glossary concepts, named things, literal nouns). */
export const MAIN_IDEA = 1;

export interface CompiledConcept {
  source: string;
  weight: number;
  /** Variants containing non-Latin characters, matched as substrings of the compact key. */
  keys: string[];
  /** Latin-only variants, matched as whole words ("ids" must not match "LeySerKids"). */
  words: RegExp | null;
  /** The English words of the question behind the concept, stemmed: one alternative per entry. */
  english: string[][];
  /**
   * A named topic (see NAME_LIKE): a standard, certification, law or acronym the question names
   * (SOC 2, ISMAP, DLP). If no passage of the product mentions it, the documents do not cover
   * the question. Ordinary words are never topics: a paraphrase is often absent while the idea
   * is there.
   */
  topic: boolean;
  /** For a named thing with a number (ISO 27001, SOC 2): what tells it from its siblings. */
  numbered: Numbered | null;
  /**
   * For the last word of a longer compound of the question (診断 of 健康診断): the compound's
   * head as matched (its source) and the word before it. A row mentions the concept only where
   * it writes the head with that word or on its own, never inside another compound (./compound-head.ts).
   */
  compound: { head: string; modifier: string } | null;
  /**
   * A glossary concept: its katakana variants are the checksheets' own words, found in a row's
   * katakana compound beside any word a dictionary knows; a word the glossary does not list (the
   * question's own, or a synonym) only beside glossary words (katakanaWordAt).
   */
  listed: boolean;
}

/**
 * ISO 27001 and ISO 27017 share words ("ISMS"), and SOC 1 and SOC 2 share 保証報告書; a row
 * that names a different number of the family is about that one. Such a row mentions the
 * concept only if it also names the concept's own number.
 */
interface Numbered {
  number: string;
  /** The family followed by any number ("iso/iec 27017"); group 1 is the number. */
  family: RegExp;
  /** The glossary's variants of the other numbers (ismsクラウドセキュリティ), compact. */
  rivals: string[];
  /** The edition asked (2022 of ISO/IEC 27001:2022, 5 of 800-53 Rev. 5), or null for none. */
  edition: string | null;
}

/** A bare number this long (27001, 800-171) names the standard even without its family. */
const BARE_NUMBER = 4;

function numbered(c: Concept): Numbered | null {
  const named = numberedName(c.source);
  if (!named) return null;
  const family = named.family.split(' ').map(escapeRegExp).join('[\\s-]*');
  return {
    number: named.number,
    family: new RegExp(`(?<![a-z])${family}(?:\\s*/\\s*[a-z]+)?[\\s/-]*(?:sp|v|ver|version)?[\\s.]*(\\d[\\d.-]*\\d|\\d)`, 'g'),
    rivals: (c.rivals ?? []).map((v) => matchKey(v.normalize('NFKC').toLowerCase())).filter((v) => v.length > 0),
    edition: c.edition ?? null,
  };
}

/**
 * Whether a text names the standard's number in the edition asked ("iso/iec27001:2022",
 * "800-53 rev. 5"). A text naming the number in another edition (27001:2013), or in none, does
 * not: only the edition asked answers a question about it.
 */
function namesEdition(number: string, edition: string, text: string): boolean {
  const editions = new RegExp(`(?<![\\d])${escapeRegExp(number)}\\s*(?::\\s*((?:19|20)\\d{2})(?!\\d)|(?:rev(?:ision)?\\.?\\s*|r)(\\d{1,2})(?!\\d))`, 'gi');
  return [...text.normalize('NFKC').matchAll(editions)].some((m) => (m[1] ?? m[2]) === edition);
}

/**
 * The numbers a text gives the family: each one written after it, and the rest of a list it
 * heads ("TLS 1.0 and 1.1", "TLS 1.0, 1.1 or 1.2", "SOC 1/2"): the later numbers name the
 * family as much as the first.
 */
const LISTED = /^(?:\s*(?:,|、|・|\/|&|and|or)\s*(?:v|version\s*)?(\d+(?:\.\d+)*)(?![\d.]*\s*(?:%|percent|days?|hours?|months?|years?)))+/;
function familyNumbers(n: Numbered, key: TextKey): string[] {
  return [...key.spaced.matchAll(n.family)].flatMap((m) => {
    const rest = LISTED.exec(key.spaced.slice((m.index ?? 0) + m[0].length))?.[0] ?? '';
    return [m[1] ?? '', ...[...rest.matchAll(/\d+(?:\.\d+)*/g)].map((x) => x[0])];
  });
}

/** Whether a text that mentions one of a numbered concept's variants is about that number. */
function ownNumber(n: Numbered, key: TextKey): boolean {
  const named = familyNumbers(n, key);
  if (named.some((x) => sameNumber(x, n.number))) return true;
  const digits = n.number.replace(/\D/g, '');
  if (digits.length >= BARE_NUMBER && new RegExp(`(?<![\\d])${escapeRegExp(n.number)}(?![\\d])`).test(key.spaced)) return true;
  return named.length === 0 && !n.rivals.some((r) => key.compact.includes(r));
}

const LATIN = /^[\x20-\x7e]+$/;
/** A variant written in ASCII only, matched as whole words rather than as a substring. */
export const isLatin = (variant: string): boolean => LATIN.test(variant);
/** Latin variants (lowercased) as one whole-word pattern over TextKey.spaced, or null for none. */
export function wholeWords(latin: readonly string[]): RegExp | null {
  return latin.length > 0 ? new RegExp(`(?<![a-z0-9])(?:${latin.map((v) => escapeRegExp(v).replace(/ /g, '\\s*')).join('|')})(?![a-z0-9])`) : null;
}
/**
 * What the question calls a named thing: an acronym in capitals (SOC, ISMAP, GDPR, TISAX), or
 * a name with a number (ISO 27001, NIST 800-53, SOC 2). Only such topics, when no passage of
 * the product mentions them, mean the documents do not cover the question; an ordinary word
 * the lexicon happens not to know ("libraries", "upload") is not one. A capitalised word no
 * lexicon knows, inside the question, is a product's or company's name (expand.ts `proper`).
 */
const NAME_LIKE = /[A-Z]{2,}|[A-Za-z][- ]?[0-9]|[0-9]{3,}/;

let practiceIds: ReadonlySet<number> | null = null;
/**
 * The glossary concepts that name a practice a vendor states or does not (background checks,
 * biometrics, a bug bounty: lexicon/practices.tsv): named topics, like a standard, whatever the
 * question's wording of them.
 */
function namedPractices(): ReadonlySet<number> {
  if (practiceIds) return practiceIds;
  const heads = new Set(
    readFileSync(new URL('practices.tsv', LEXICON_DIR), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#')),
  );
  practiceIds = new Set(loadGlossary().filter((c) => heads.has(c.en[0] ?? '')).map((c) => c.id));
  return practiceIds;
}
const isPractice = (c: Concept): boolean => (c.glossaryIds ?? []).some((id) => namedPractices().has(id));

function compoundOf(c: Concept): CompiledConcept['compound'] {
  const modifier = modifierOf(c);
  return modifier === null ? null : { head: matchKey(c.source.normalize('NFKC').toLowerCase()), modifier };
}

const KATAKANA_WORD = new RegExp(`^[${KATAKANA_CLASS}]+$`, 'u');

let katakanaWords: ReadonlySet<string> | null = null;
/** The glossary's katakana words (セキュリティ, ログ, アクセス): the words a katakana compound of a row is read as. */
function glossaryKatakana(): ReadonlySet<string> {
  if (katakanaWords) return katakanaWords;
  katakanaWords = new Set(loadGlossary().flatMap((c) => c.ja.filter((v) => KATAKANA_WORD.test(v))));
  return katakanaWords;
}

/** Katakana texts already read by `wordsOf`, per vocabulary: the rows' runs are few and met on every question. */
const compounds = { glossary: new Map<string, boolean>(), lexicon: new Map<string, boolean>() };
/**
 * Past this many texts a vocabulary's memo starts afresh: a bot serving many products over months
 * meets new katakana runs with every ingest, and a memo that only grows is a leak (a run is ~10
 * characters; the bound keeps the memo under a few MiB while one product's runs all fit).
 */
const COMPOUND_MEMO = 50_000;
/**
 * Whether katakana text is nothing, long-vowel marks, or words one after another (アクセス,
 * セキュリティポリシー): the glossary's words, or with `lexicon` any word a dictionary of the
 * lexicon knows (ロック of アカウントロック).
 */
function wordsOf(text: string, vocabulary: keyof typeof compounds): boolean {
  if (/^ー*$/u.test(text)) return true;
  const memo = compounds[vocabulary];
  const known = memo.get(text);
  if (known !== undefined) return known;
  const isWord = vocabulary === 'glossary' ? (w: string) => glossaryKatakana().has(w) : (w: string) => loadLexicon().isJaWord(w);
  let found = false;
  for (let len = text.length; len >= 2 && !found; len--) found = isWord(text.slice(0, len)) && wordsOf(text.slice(len), vocabulary);
  if (memo.size >= COMPOUND_MEMO) memo.clear();
  memo.set(text, found);
  return found;
}

/**
 * Whether a katakana variant found at `at` is a word of the row, as an English word must be a
 * whole word: the row's katakana run is the variant itself (with or without a long-vowel mark:
 * サーバ, サーバー), or a compound read as words, one of them the variant (ログ of アクセスログ,
 * セキュリティ of セキュリティポリシー). The rest of the run must be glossary words, or, for a
 * variant the glossary lists (a word of the checksheets' own), words any dictionary of the
 * lexicon knows (アカウント of アカウントロック). A run not read so is one word of its own: the
 * question's clipped アップ is not in バックアップ or アップデート, ポート not in サポート, ログ
 * not in プログラム.
 */
function katakanaWordAt(compact: string, at: number, k: string, listed: boolean): boolean {
  let start = at;
  while (start > 0 && KATAKANA_CHAR.test(compact[start - 1] ?? '')) start -= 1;
  let end = at + k.length;
  while (end < compact.length && KATAKANA_CHAR.test(compact[end] ?? '')) end += 1;
  if (start === at && end === at + k.length) return true;
  const before = compact.slice(start, at);
  const after = compact.slice(at + k.length, end).replace(/^ー/u, '');
  const read = (rest: string): boolean => wordsOf(rest, 'glossary') || (listed && wordsOf(rest, 'lexicon'));
  return read(before) && read(after);
}

/** Whether a non-Latin variant occurs in the compact text as the concept's idea (see CompiledConcept.compound and .listed). */
function keyMentioned(concept: CompiledConcept, k: string, compact: string): boolean {
  const compound = concept.compound;
  const katakana = KATAKANA_WORD.test(k);
  if (compound === null && !katakana) return compact.includes(k);
  for (let at = compact.indexOf(k); at >= 0; at = compact.indexOf(k, at + 1)) {
    if (katakana && !katakanaWordAt(compact, at, k, concept.listed)) continue;
    if (compound === null || sameCompound(compact, at, k, compound.head, compound.modifier)) return true;
  }
  return false;
}

export function compile(concepts: Concept[]): CompiledConcept[] {
  return concepts
    .map((c) => {
      // A named thing grouped under a broader concept is mentioned only by its own variants (expand.ts, `own`).
      const variants = [...new Set((c.own ?? c.variants).map((v) => v.normalize('NFKC').toLowerCase().trim()).filter((v) => v.length > 0))];
      const latin = variants.filter((v) => LATIN.test(v));
      const other = variants.filter((v) => !LATIN.test(v)).map(matchKey);
      return {
        source: c.source,
        weight: c.weight,
        keys: other,
        words: wholeWords(latin),
        english: LATIN.test(c.source)
          ? c.source.split(/\s+\/\s+/).map(englishStems).filter((stems) => stems.length > 0)
          : [],
        topic: (c.weight >= 1 && (NAME_LIKE.test(c.source) || isPractice(c))) || c.proper === true,
        numbered: c.weight >= 1 && NAME_LIKE.test(c.source) ? numbered(c) : null,
        compound: compoundOf(c),
        listed: c.origin === 'glossary',
      };
    })
    .filter((c) => (c.keys.length > 0 || c.words !== null) && c.weight > 0);
}

/**
 * The text names the family with the concept's own number however it is spelled (TLSv1.2,
 * TLS 1.2, TLS1.2, or later in a list: "TLS 1.0 and 1.2"): a mention even where no variant matches as a whole word ("tlsv1.2" is
 * one word to the variant "tls").
 */
const namesOwnNumber = (n: Numbered, key: TextKey): boolean => familyNumbers(n, key).some((x) => sameNumber(x, n.number));

export function mentions(concept: CompiledConcept, key: TextKey): boolean {
  if (concept.numbered !== null && namesOwnNumber(concept.numbered, key)) return true;
  const any =
    concept.keys.some((k) => keyMentioned(concept, k, key.compact)) ||
    (concept.words?.test(key.spaced) ?? false) ||
    concept.english.some((alternative) => alternative.every((w) => key.stems.has(w)));
  return any && (concept.numbered === null || ownNumber(concept.numbered, key));
}

/** Whether a text names one of the question's main ideas (MAIN_IDEA): what is asked about, not データ or 情報. */
export function namesMainIdea(concepts: readonly CompiledConcept[], text: string): boolean {
  const key = textKey(text);
  return concepts.some((c) => c.weight >= MAIN_IDEA && mentions(c, key));
}

/** Weighted share of concepts that the text mentions. */
export function coverage(concepts: CompiledConcept[], key: TextKey): number {
  let total = 0;
  let covered = 0;
  for (const c of concepts) {
    total += c.weight;
    if (mentions(c, key)) covered += c.weight;
  }
  return total === 0 ? 0 : covered / total;
}

/**
 * How telling each idea is in this pool of passages: log(1 + N / (df + 0.5)), df the number of
 * passages mentioning it. An idea in every row ("管理") tells little; one in two rows, a lot;
 * one in none, the most (and no row can cover it).
 */
export function conceptIdf(concepts: CompiledConcept[], pool: TextKey[]): number[] {
  return concepts.map((c) => Math.log(1 + pool.length / (pool.filter((key) => mentions(c, key)).length + 0.5)));
}

/** Coverage with each idea weighted by its weight times its idf in the pool. */
export function idfCoverage(concepts: CompiledConcept[], idf: number[], key: TextKey): number {
  let total = 0;
  let covered = 0;
  concepts.forEach((c, i) => {
    const w = c.weight * (idf[i] ?? 1);
    total += w;
    if (mentions(c, key)) covered += w;
  });
  return total === 0 ? 0 : covered / total;
}

/** Weighted share of the question's ideas that no passage in the pool mentions. */
export function unmentionedShare(concepts: CompiledConcept[], pool: TextKey[]): number {
  let total = 0;
  let missing = 0;
  for (const c of concepts) {
    total += c.weight;
    if (!pool.some((key) => mentions(c, key))) missing += c.weight;
  }
  return total === 0 ? 1 : missing / total;
}

/** Topics of the question that no passage in the pool mentions. */
export function absentTopics(concepts: CompiledConcept[], pool: TextKey[]): string[] {
  return concepts.filter((c) => c.topic && !pool.some((key) => mentions(c, key))).map((c) => c.source);
}

/**
 * The question asks a standard in one edition (ISO/IEC 27001:2022) and the row, marked as done,
 * does not name that edition: it holds the standard in another (27001:2013) or says nothing of
 * which, so its mark is no yes to the edition asked (unknown: a person says whether the held
 * edition will do). A new-user trial got a confident yes about the newer edition from a sheet
 * naming :2013. A row naming no edition is no yes either, though another row may name the one
 * asked: the answer's status is its best row's.
 */
function editionUnstated(concepts: CompiledConcept[], passage: Passage): boolean {
  if (passage.status !== 'yes' && passage.status !== 'partial') return false;
  const text = `${passage.requirement}\n${passage.answer}`;
  return concepts.some((c) => {
    const n = c.numbered;
    return n !== null && n.edition !== null && !namesEdition(n.number, n.edition, text);
  });
}

/**
 * A row is `partial` when its text admits something is not done; whether that matters
 * depends on the question. "Backups are verified daily; restoring single records for
 * users is not offered" fully answers "do you test restores?". A row not naming the edition of
 * a standard the question asks is `unknown` (editionUnstated). A routine exception
 * (「※緊急の場合はその限りではありません」) and a prohibition (「…は認めておりません」: a rule in
 * place) are no caveats: they narrow no control (./negation.ts), whatever words they share.
 */
export function statusFor(concepts: CompiledConcept[], passage: Passage): Status {
  if (editionUnstated(concepts, passage)) return 'unknown';
  if (passage.status !== 'partial') return passage.status;
  const all = caveats(passage.answer);
  if (all.length === 0) return passage.status;
  const found = all.filter((c) => !routineException(c) && !prohibits(c));
  return found.some((c) => coverage(concepts, textKey(c)) >= CAVEAT_RELEVANCE) ? 'partial' : 'yes';
}
