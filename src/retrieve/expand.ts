/**
 * Query expansion for offline, lexical retrieval over Japanese checksheet rows.
 *
 * A question becomes a list of concepts: one per idea, each with the Japanese (or literal) strings
 * that would show the idea in a row. Ranking scores a row by the weighted share of concepts it
 * mentions, so synonyms of one idea live in one concept and different ideas in different ones.
 *
 * English: glossary phrases (longest first) → EDICT for other content words → acronyms and
 * product names as literal concepts. Japanese: casual words read as formal ones (./casual.ts),
 * glossary variants found in the text, then script runs (kanji / katakana / latin) for the rest,
 * with Sudachi synonyms and sub-terms.
 */
import { detectLanguage, type Language } from '../domain.js';
import lemmatizer from 'wink-lemmatizer';
import { exactKey, stem, tokenizeEn, type Lexicon } from './lexicon.js';
import { shorthandStopWords, spellOut } from './shorthand.js';
import { formalJa } from './casual.js';
import { KANJI_CLASS, KATAKANA_CLASS } from '../regexp.js';

export interface Concept {
  /** The words of the question this concept stands for. */
  source: string;
  /** Strings to look for in evidence: NFKC, latin lowercased, best first. */
  variants: string[];
  /** Relative importance, 0..1. */
  weight: number;
  /**
   * 'unknown': an English content word neither the glossary nor EDICT knows ("quantum-resistant").
   * It has no Japanese to look for, so no Japanese row covers it: kept so that coverage shows that
   * part of what was asked is not in the row, never a named topic that vetoes rows (match.ts).
   */
  origin: 'literal' | 'glossary' | 'edict' | 'synonym' | 'unknown';
  /**
   * A capitalised word no lexicon knows, not opening the question ("Okta", "Datadog"): a
   * product's or company's name, so a named thing like a standard (match.ts `topic`): one no
   * passage mentions means the documents do not cover the question.
   */
  proper?: true;
  /** For glossary concepts: the glossary entries (Lexicon.glossary ids) it stands for. */
  glossaryIds?: readonly number[];
  /**
   * The word the question writes right before this concept in one compound (健康 of 健康診断),
   * where the lexicon gives the concept's head a narrower sense of its own (./compound-head.ts):
   * a row mentions the concept only with that modifier or on its own.
   */
  modifier?: string;
  /**
   * For a numbered named thing (ISO 27001, NIST 800-171, SOC 2): the variants of the glossary's
   * other numbers of the same family (ISO 27017's ismsクラウドセキュリティ), which name a
   * different standard and so must not count as a mention of this one (see match.ts).
   */
  rivals?: string[];
  /**
   * For a named thing a broader glossary concept groups with others (SAML under single sign-on):
   * the variants that count as a mention of it. `variants` then also holds the broader concept's,
   * which help rank rows about the same subject; only a row naming the thing itself mentions it.
   */
  own?: string[];
  /**
   * For a numbered named thing the question asks in one edition ("ISO/IEC 27001:2022", "NIST
   * 800-53 Rev. 5"): the edition (2022, 5). A row about another edition says nothing about this
   * one, so only a row naming it may answer yes (match.ts statusFor).
   */
  edition?: string;
}

export interface ExpandedQuery {
  lang: Language;
  concepts: Concept[];
}

// Weights. A glossary concept carries its own (1 unless the glossary marks it generic).
const W_ACRONYM = 1;
const W_NUMBER = 0.6;
const W_PROPER_NOUN = 0.7;
const W_EDICT = 0.5;
const W_EDICT_GENERIC = 0.2;
/** As much as a word EDICT translates: not knowing a word's Japanese must not make it count for less. */
const W_UNKNOWN = 0.5;
/**
 * A hyphenated compound no dictionary knows ("quantum-resistant", "air-gapped") is a coined
 * qualifier that narrows what is asked: as specific as a glossary concept.
 */
const W_UNKNOWN_COMPOUND = 1;
const W_JA_TERM = 1;
const W_JA_GENERIC = 0.2;
/** Sub-terms of a long compound repeat part of its idea, so they count for less. */
const SUBTERM_FACTOR = 0.5;

// Caps keep the full-text query within the retriever's clause budget.
const MAX_GLOSSARY_VARIANTS = 14;
const MAX_EDICT_VARIANTS = 3;
const MAX_SYNONYMS = 6;

/** English function words and questionnaire boilerplate: never concepts on their own (nor words that BM25 weighs, ./bigram.ts). */
export const EN_STOP = new Set([
  ...`a an the and or nor but if then else of in on at to for from by with without into onto over under about
  as is are was were be been being am do does did done doing have has had having can could may might must shall
  should will would you your yours yourself yourselves we our ours us they their them it its this that these those
  there here which what who whom whose when where why how whether any all each every some such other others same
  so than too very also only not no yes more most less least both either neither own per via etc eg ie e g i s
  please kindly describe description explain explanation detail details detailed provide provided provides providing
  list specify indicate confirm state outline share give include includes including included ensure ensures ensured
  ensuring maintain maintains maintained exist exists existing available company companies organization organisation
  organizations organisations firm vendor supplier provider service services product products solution solutions
  offering currently current applicable appropriate adequate relevant following related regarding respect method
  methods way ways approach able allow allows allowed make makes made take takes taken get gets got need needs needed
  like one ones many much several well use used using uses place places apply applies applied possible example examples
  question questions answer answers response yes no n/a na additional further specific specifically generally
  typically usually always ever often mechanism mechanisms capability capabilities feature features hold holds held
  obtain obtained possess possesses before after during upon between against across throughout among while until
  since because based address addresses addressed given carry carries carried near far around`.split(/\s+/),
  ...shorthandStopWords(),
]);

/**
 * Words that carry no idea of their own but are not stop words for phrase matching: pronouns,
 * particles of phrasal verbs, and the second halves of compounds that only say "of that kind"
 * ("SIEM-style", "OS-level"). An unknown word among these is not an uncovered idea.
 */
const UNKNOWN_SKIP = new Set(
  `someone somebody anyone anybody everyone everybody noone nobody something anything everything nothing ourselves
  themselves itself himself herself myself cannot hey hi hello thanks thank out off up down back away apart else
  whatever whoever whenever wherever however therefore thus hence yet still already just even really quite rather never
  style level type kind sort wide oriented like ready friendly happen happens happened`.split(/\s+/),
);

/**
 * Multi-word prepositions and connectives: their nouns say where or why ("in front of the
 * service", "due to", "on behalf of"), never what is asked, and a dictionary reads them in their
 * own sense (front → 前線, order → 注文, due → 正当). Their words are stop words, like "of" and
 * "the"; a glossary phrase that contains one still matches.
 */
const EN_FUNCTION_PHRASES: readonly string[][] = [
  'in front of', 'on top of', 'in addition to', 'in order to', 'as part of', 'as a result of', 'as a result',
  'in accordance with', 'in line with', 'on behalf of', 'with regard to', 'in regard to', 'in terms of', 'by means of',
  'in view of', 'in lieu of', 'in spite of', 'due to', 'in the event of', 'in the case of', 'in case of',
].map((p) => p.split(' '));

function markFunctionPhrases(tokens: EnToken[]): void {
  for (let i = 0; i < tokens.length; i++) {
    const phrase = EN_FUNCTION_PHRASES.find((words) => words.every((w, k) => tokens[i + k]?.lower === w));
    if (!phrase) continue;
    for (let k = 0; k < phrase.length; k++) {
      const t = tokens[i + k];
      if (t) t.stop = true;
    }
    i += phrase.length - 1;
  }
}

/** English words EDICT knows that match nearly every row; low weight if they reach EDICT at all. */
const EN_GENERIC = new Set(['information', 'data', 'system', 'security', 'service', 'cloud', 'management', 'user', 'time', 'case', 'level', 'type', 'thing']);

/** Kanji terms that are question boilerplate (貴社, 有無, 具体的...) rather than topics. */
const JA_DROP = new Set([
  '貴社', '御社', '弊社', '当社', '貴殿', '有無', '具体的', '詳細', '説明', '回答', '記載', '教示', '質問', '場合', '以下',
  '以上', '程度', '何', '可否', '是非', '現在', '現状', '状況', '内容', '方法', '方針等', '予定', '具体', '例', '等',
  '際', '時', '者', '下記', '上記', '該当', '何処', '何時', '如何', '一般的', '貴社内', '御社内',
]);

/** Kanji/katakana terms found in nearly every checksheet row. */
const JA_GENERIC = new Set([
  '情報', 'データ', 'システム', 'セキュリティ', '管理', '利用', '提供', '実施', '対応', '確認', '設定', '機能', 'サービス',
  'クラウド', 'クラウドサービス', '対策', '運用', '利用者', '事業者', '必要', '可能', '適切', '定期的', '対象', '使用',
  '実施状況', '取り組み', '取組', '規定', '文書', '手順', '組織', '従業員', '業務', '作成', '策定', '整備', '導入',
  '取得', '体制', '環境', '保有', '実行', '行為', '事項', '規模', '範囲', '発生',
  // Who the question speaks of (the vendor, the customer's company), as "company" is an English
  // stop word: rows write it mostly inside a name (株式会社), which says nothing of the topic.
  '会社',
]);

// Script classes, on NFKC-normalised text.
const KANJI_CHAR = new RegExp(`[${KANJI_CLASS}〆ヵヶ]`, 'u');
export const KATAKANA_CHAR = new RegExp(`[${KATAKANA_CLASS}]`, 'u');
const LATIN_CHAR = /[A-Za-z0-9]/;

type Script = 'kanji' | 'katakana' | 'latin' | 'other';

function scriptOf(ch: string): Script {
  if (KANJI_CHAR.test(ch)) return 'kanji';
  if (KATAKANA_CHAR.test(ch)) return 'katakana';
  if (LATIN_CHAR.test(ch)) return 'latin';
  return 'other';
}

function unique(list: Iterable<string>): string[] {
  return [...new Set(list)];
}

function round(w: number): number {
  return Math.round(w * 100) / 100;
}

/** Collects concepts, merging the ones that come from the same glossary entry or the same term. */
class ConceptSet {
  private readonly list: Concept[] = [];
  private readonly byKey = new Map<string, Concept>();

  add(key: string, concept: Concept): void {
    const existing = this.byKey.get(key);
    if (existing) {
      if (!existing.source.split(' / ').includes(concept.source)) existing.source = `${existing.source} / ${concept.source}`;
      existing.variants = unique([...existing.variants, ...concept.variants]);
      existing.weight = round(Math.max(existing.weight, concept.weight));
      return;
    }
    const c = { ...concept, variants: unique(concept.variants.filter((v) => v.length > 0)), weight: round(concept.weight) };
    if (c.variants.length === 0) return;
    this.byKey.set(key, c);
    this.list.push(c);
  }

  /** Whether some concept already looks for this string. */
  hasVariant(variant: string): boolean {
    return this.list.some((c) => c.variants.includes(variant));
  }

  get concepts(): Concept[] {
    return this.list;
  }
}

function glossaryConcept(lexicon: Lexicon, ids: readonly number[], source: string, extra: string[] = []): Concept | null {
  const concepts = ids.map((id) => lexicon.glossary[id]).filter((c) => c !== undefined);
  if (concepts.length === 0) return null;
  const variants = unique([...extra, ...concepts.flatMap((c) => c.ja)]).slice(0, MAX_GLOSSARY_VARIANTS + extra.length);
  const rivals = rivalVariants(lexicon, source, ids, variants);
  const broader = broaderVariants(lexicon, ids);
  return {
    source,
    variants: broader.length > 0 ? unique([...variants, ...broader]).slice(0, MAX_GLOSSARY_VARIANTS + extra.length + MAX_BROADER_VARIANTS) : variants,
    weight: Math.max(...concepts.map((c) => c.weight)),
    origin: 'glossary',
    glossaryIds: concepts.map((c) => c.id),
    ...(rivals.length > 0 ? { rivals } : {}),
    ...(broader.length > 0 ? { own: variants } : {}),
  };
}

/** How many of a broader concept's variants a named thing borrows for ranking. */
const MAX_BROADER_VARIANTS = 6;
const LATIN_NAME = /^[\x20-\x7e]+$/;

/**
 * The variants of the broader concepts that list a named thing among theirs (single sign-on lists
 * saml, openid connect, oauth): a named thing heads its own glossary line with its Latin name,
 * and a broader line names it further down. Empty for anything else.
 */
function broaderVariants(lexicon: Lexicon, ids: readonly number[]): string[] {
  const heads = ids.map((id) => lexicon.glossary[id]?.ja[0]).filter((h): h is string => h !== undefined && LATIN_NAME.test(h));
  const out: string[] = [];
  for (const entry of lexicon.glossary) {
    if (ids.includes(entry.id) || !heads.some((h) => entry.ja.indexOf(h) > 0)) continue;
    out.push(...entry.ja.filter((v) => !heads.includes(v)));
  }
  return unique(out).slice(0, MAX_BROADER_VARIANTS);
}

/**
 * The Japanese variants of the glossary entries that name the same family as `source` with a
 * different number (for "ISO 27001": ISO 27017's, 27018's ...), less those `source`'s own entry
 * shares with them (保証報告書 is both SOC 1's and SOC 2's).
 */
function rivalVariants(lexicon: Lexicon, source: string, ids: readonly number[], own: readonly string[]): string[] {
  const named = numberedName(source);
  if (!named) return [];
  const mine = new Set(own);
  const out = new Set<string>();
  for (const entry of lexicon.glossary) {
    if (ids.includes(entry.id)) continue;
    const other = entry.en.map(numberedName).find((n) => n !== null && n.family === named.family);
    if (!other || sameNumber(other.number, named.number)) continue;
    for (const v of entry.ja) if (!mine.has(v)) out.add(v);
  }
  return [...out];
}

/** A named thing with a number: its family (letters before the number) and the number. */
export interface NumberedName {
  family: string;
  number: string;
}

/**
 * "ISO/IEC 27001" → iso/iec, 27001; "NIST SP 800-171" → nist, 800-171; "PCI DSS v4" → pci dss, 4;
 * "SOC 2 Type II" → soc, 2. Null when the name has no letters before its number.
 */
export function numberedName(name: string): NumberedName | null {
  // The question's words arrive tokenised ("NIST 800 171"): a space between digits was a hyphen.
  const m = /^([a-z][a-z/ -]*?)[\s/-]*(?:sp|v|ver|version)?[\s.]*(\d[\d.\s-]*\d|\d)/.exec(name.normalize('NFKC').toLowerCase().trim());
  if (!m?.[1] || !m[2]) return null;
  return { family: m[1].replace(/\/.*$/, '').replace(/[\s-]+/g, ' ').trim(), number: m[2].replace(/\s+/g, '-') };
}

/** 27001 and 27001:2013, 4 and 4.0.1 are the same number; 800-53 and 800-171, 1 and 2 are not. */
export function sameNumber(a: string, b: string): boolean {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  return long === short || (long.startsWith(short) && !/\d/.test(long.charAt(short.length)) && long.charAt(short.length) !== '-');
}

// ---------------------------------------------------------------------------------------------
// English.

interface EnToken {
  raw: string;
  lower: string;
  stem: string;
  /** Upper-case acronym (SOC, ISMAP, 2FA), standard number (27001) or camel-case product name. */
  literal: boolean;
  /** Capitalised word not opening the question: a product or proper name. */
  proper: boolean;
  stop: boolean;
  used: boolean;
  /** Written right after the previous token with only a dot between two digits ("1.2"): a version, not two numbers. */
  decimal: boolean;
  /** Joined to the previous token by a hyphen ("quantum-resistant"): part of one compound word. */
  hyphen: boolean;
}

/**
 * A version written with its "v" or "version" glued to or after an acronym (TLSv1.2, SNMP v3,
 * TLS version 1.3) is the acronym and its number, as checksheets and the glossary write it
 * (TLS 1.2, TLS1.2): otherwise "TLSv1" is one unknown word and the version is lost.
 */
const VERSION_PREFIX = /(?<=[A-Z]{2,})\s*(?:v|ver\.?|version)\s*(?=\d)/g;

/** A span of tokens as the question wrote it, for a concept's source: "TLS 1.2", not "TLS 1 2". */
const spanText = (span: EnToken[]): string => span.map((t, k) => (k === 0 ? t.raw : `${t.decimal ? '.' : ' '}${t.raw}`)).join('');

/**
 * @param latinInJapanese the text is a latin run inside a Japanese question, where words are
 *   product names and acronyms whatever their case ("aws", "Soc2"): all become literal.
 */
function enTokens(written: string, latinInJapanese = false): EnToken[] {
  const text = written.normalize('NFKC').replace(VERSION_PREFIX, ' ');
  const raws = tokenizeEn(text);
  // Where each token starts, to tell "1.2" from "1, 2" (tokenizeEn drops what lies between).
  const starts = [...text.matchAll(/[A-Za-z0-9]+/g)].map((m) => m.index);
  const alpha = raws.filter((r) => /[A-Za-z]{2,}/.test(r));
  // An all-caps question would make every word an "acronym": then case tells nothing.
  const shouting = alpha.length >= 4 && alpha.filter((r) => r === r.toUpperCase()).length / alpha.length > 0.6;
  const between = (i: number): string => text.slice((starts[i - 1] ?? 0) + (raws[i - 1]?.length ?? 0), starts[i]);
  return raws.map((raw, i) => {
    // "IDs", "APIs": an acronym's plural.
    const plural = /^[A-Z]{2,}s$/.test(raw);
    const base = plural ? raw.slice(0, -1) : raw;
    const lower = base.toLowerCase();
    const acronym =
      !shouting &&
      (/^[A-Z]{2,}[0-9]*$/.test(base) || /^[0-9]*[A-Z]+[0-9]+[A-Z0-9]*$/.test(base) || /^[0-9][A-Z]{2,}$/.test(base) || /^[A-Z][a-z]+[A-Z][A-Za-z]*$/.test(base));
    const number = /^[0-9]{4,}$/.test(base);
    const proper = !shouting && i > 0 && /^[A-Z][a-z]{2,}$/.test(base);
    const stop = EN_STOP.has(lower) || (lower.length < 2 && !/[0-9]/.test(lower));
    const word = latinInJapanese && !stop && /[a-z]/.test(lower) && lower.length >= 2;
    return {
      raw,
      lower,
      stem: acronym || plural ? lower : stem(lower),
      literal: acronym || number || word,
      proper,
      stop,
      used: false,
      decimal: i > 0 && /^[0-9]/.test(raw) && /[0-9]$/.test(raws[i - 1] ?? '') && between(i) === '.',
      hyphen: i > 0 && between(i) === '-',
    };
  });
}

/** Longest-first glossary phrase matching over the token sequence (stop words included). */
function matchGlossaryEn(tokens: EnToken[], lexicon: Lexicon, out: ConceptSet): void {
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i]?.used) continue;
    for (let len = Math.min(lexicon.maxEnPhraseTokens, tokens.length - i); len >= 1; len--) {
      const span = tokens.slice(i, i + len);
      if (span.some((t) => t.used)) continue;
      // "do", "use", "available" alone are boilerplate even where the glossary knows them.
      if (span.every((t) => t.stop)) continue;
      // The words as written first: a phrase the glossary marks exact-form wins over its stem's line.
      const ids = lexicon.enPhrases.get(exactKey(span.map((t) => t.lower))) ?? lexicon.enPhrases.get(span.map((t) => t.stem).join(' '));
      if (!ids) continue;
      // A lone acronym ("MFA") is itself a good variant; two letters match inside too many words.
      const literals = span.length === 1 && span[0]?.literal && span[0].lower.length >= 3 ? [span[0].lower] : [];
      const concept = glossaryConcept(lexicon, ids, spanText(span), literals);
      const acronym = spelledOutAcronym(span, ids, lexicon);
      if (concept) out.add(`g${ids.join(',')}`, acronym ? { ...concept, source: `${concept.source} / ${acronym}` } : concept);
      for (const t of span) t.used = true;
      i += len - 1;
      break;
    }
  }
}

/**
 * The acronym a glossary line is headed by (waf, vpn, siem), when the question spells it out
 * ("web application firewall", "security information and event management"): the initials of
 * the words, with or without the small words between them. A Japanese row writes the acronym
 * (「AWS WAFを用いた」) far more often than a katakana spelling, so the concept stands for the
 * acronym as the question writing "WAF" does: the same named thing, found by its name. Undefined
 * for a phrase that is not the acronym's expansion ("integration" on the API line).
 */
function spelledOutAcronym(span: EnToken[], ids: readonly number[], lexicon: Lexicon): string | undefined {
  if (span.length < 2) return undefined;
  const initials = (words: EnToken[]): string => words.map((t) => t.lower.charAt(0)).join('');
  const spelled = new Set([initials(span), initials(span.filter((t) => !t.stop))]);
  const head = ids.map((id) => lexicon.glossary[id]?.ja[0]).find((h) => h !== undefined && /^[a-z]{2,6}$/.test(h) && spelled.has(h));
  return head?.toUpperCase();
}

export interface LemmaCandidate {
  form: string;
  /** Guessed by stripping -ed/-ing: only a suru-verb noun may translate it (stored ≠ 百貨店). */
  verbalOnly: boolean;
}

/**
 * Dictionary forms to try in EDICT, in order: the word, its singular, nouns derived from a verb
 * form (encrypted → encryption), then the bare verb (encrypted → encrypt, verbal nouns only).
 */
export function lemmaCandidates(word: string): LemmaCandidate[] {
  // A real lemmatiser first (retired → retire, libraries → library, rotated → rotate), then
  // the American spelling of British -ise words (synchronised → synchronize), which is how
  // the dictionary spells them; the suffix rules below catch what the lemmatiser does not know.
  const lemmas = [lemmatizer.noun(word)].filter((l) => l !== word);
  const american = [word, ...lemmas].map((w) => w.replace(/is(e|es|ed|ing|ation|ations)$/, 'iz$1')).filter((w) => w !== word);
  const singular: string[] = [...lemmas, ...american];
  if (word.endsWith('ies') && word.length > 4) singular.push(`${word.slice(0, -3)}y`);
  if (word.endsWith('es') && word.length > 4) singular.push(word.slice(0, -2));
  if (word.endsWith('s') && !word.endsWith('ss') && word.length > 3) singular.push(word.slice(0, -1));
  const verbs: string[] = [];
  const verbLemma = lemmatizer.verb(word);
  if (verbLemma !== word) verbs.push(verbLemma, verbLemma.replace(/ise$/, 'ize'));
  for (const suffix of ['ed', 'ing']) {
    if (word.endsWith(suffix) && word.length > suffix.length + 2) {
      const b = word.slice(0, -suffix.length);
      verbs.push(b, `${b}e`);
      if (/([b-df-hj-np-tv-z])\1$/.test(b)) verbs.push(b.slice(0, -1));
    }
  }
  const nouns = verbs.flatMap((b) => {
    const s = b.replace(/e$/, '');
    return [`${b}ion`, `${s}ion`, `${s}ation`, `${b}ment`];
  });
  const seen = new Set<string>();
  const out: LemmaCandidate[] = [];
  for (const [forms, verbalOnly] of [
    [[word, ...singular, ...nouns], false],
    [verbs, true],
  ] as const) {
    for (const form of forms) {
      if (seen.has(form)) continue;
      seen.add(form);
      out.push({ form, verbalOnly });
    }
  }
  return out;
}

function edictLookup(lexicon: Lexicon, words: string[]): string[] | undefined {
  const last = words[words.length - 1] ?? '';
  const head = words.slice(0, -1).join(' ');
  for (const cand of lemmaCandidates(last)) {
    // Multi-word keys only in the surface form and its singular: verb→noun guesses go too far.
    if (head && cand.form !== last && !last.startsWith(cand.form)) break;
    const hit = lexicon.edict(head ? `${head} ${cand.form}` : cand.form);
    const heads = hit?.filter((h) => !cand.verbalOnly || h.verbal).map((h) => h.word);
    if (heads && heads.length > 0) return heads.slice(0, MAX_EDICT_VARIANTS);
  }
  return undefined;
}

/**
 * A hyphenated compound that neither dictionary knows as a whole and of which some word it does
 * not know at all ("air-gapped") is one unknown idea: translating the part it knows (air → 空気)
 * would look for something the question does not ask.
 */
function claimUnknownCompounds(tokens: EnToken[], lexicon: Lexicon, out: ConceptSet): void {
  const free = (t: EnToken | undefined): t is EnToken => t !== undefined && !t.used && !t.stop && !t.literal && /^[a-z]+$/.test(t.lower);
  for (let i = 0; i < tokens.length; i++) {
    const span: EnToken[] = [];
    for (let j = i; free(tokens[j]) && (j === i || tokens[j]?.hyphen); j++) span.push(tokens[j] as EnToken);
    if (span.length < 2) continue;
    i += span.length - 1;
    const words = span.map((t) => t.lower);
    if ((span.length <= 3 && edictLookup(lexicon, words)) || words.every((w) => edictLookup(lexicon, [w]))) continue;
    addUnknown(span, out);
  }
}

function expandEnglishTokens(tokens: EnToken[], lexicon: Lexicon, out: ConceptSet): void {
  markFunctionPhrases(tokens);
  matchGlossaryEn(tokens, lexicon, out);
  claimUnknownCompounds(tokens, lexicon, out);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (!t || t.used || t.stop) continue;
    if (t.literal) {
      t.used = true;
      out.add(`l${t.lower}`, { source: t.raw, variants: [t.lower], weight: /^[0-9]+$/.test(t.lower) ? W_NUMBER : W_ACRONYM, origin: 'literal' });
      continue;
    }
    if (/^[0-9]+$/.test(t.lower)) continue;
    // Two- and three-word EDICT terms among consecutive content words ("load balancing").
    let matched = false;
    for (let len = 3; len >= 1 && !matched; len--) {
      const span = tokens.slice(i, i + len);
      if (span.length < len || span.some((s) => s.used || s.stop || s.literal)) continue;
      const heads = edictLookup(lexicon, span.map((s) => s.lower));
      if (!heads) continue;
      const generic = len === 1 && EN_GENERIC.has(t.lower);
      for (const s of span) s.used = true;
      matched = true;
      // "whistleblower hotline": the glossary concept already lists ホットライン; a second concept
      // for the same string would count one mention twice.
      if (heads.every((h) => out.hasVariant(h))) continue;
      out.add(`e${heads.join('|')}`, {
        source: span.map((s) => s.raw).join(' '),
        variants: heads,
        weight: generic ? W_EDICT_GENERIC : W_EDICT,
        origin: 'edict',
      });
    }
    if (!matched && t.proper) {
      // An unknown capitalised word is most likely a product or company name: keep it literally.
      t.used = true;
      out.add(`l${t.lower}`, { source: t.raw, variants: [t.lower], weight: W_PROPER_NOUN, origin: 'literal', proper: true });
    }
  }
  addUnknownWords(tokens, lexicon, out);
}

/**
 * The content words left after glossary, EDICT and names: kept as ideas of the question
 * instead of dropped, so that "quantum-resistant cryptography" is not read as "cryptography"
 * and a row about encryption covers only part of it. Each run of such words joined by hyphens
 * is one idea ("quantum-resistant"); its variants are the English forms an English row would
 * write. Pronouns, phrasal particles and "-style" tails are not ideas (UNKNOWN_SKIP).
 */
function addUnknownWords(tokens: EnToken[], lexicon: Lexicon, out: ConceptSet): void {
  // A name in mixed case (krewData, iPhone) is a product's, not a word: only named things may
  // weigh as names (issue #9), and as an idea it would make every row naming the product cover it.
  // A word EDICT knows in some form but could not safely translate (EDICT's "store" is a shop, so
  // "stored" is left out) is an ordinary word, known and deliberately left out, not an unknown idea.
  const unknown = (t: EnToken | undefined): t is EnToken =>
    t !== undefined &&
    !t.used &&
    !t.stop &&
    !t.literal &&
    /^[a-z]{3,}$/.test(t.lower) &&
    !/[a-z][A-Z]/.test(t.raw) &&
    !UNKNOWN_SKIP.has(t.lower) &&
    !lemmaCandidates(t.lower).some((c) => lexicon.edict(c.form) !== undefined);
  for (let i = 0; i < tokens.length; i++) {
    const span: EnToken[] = [];
    for (let j = i; unknown(tokens[j]) && (j === i || tokens[j]?.hyphen); j++) span.push(tokens[j] as EnToken);
    if (span.length === 0) continue;
    i += span.length - 1;
    addUnknown(span, out);
  }
}

function addUnknown(span: EnToken[], out: ConceptSet): void {
  const words = span.map((t) => t.lower);
  const last = words.length - 1;
  const lemma = [...words.slice(0, last), lemmatizer.noun(words[last] ?? '')];
  for (const t of span) t.used = true;
  out.add(`u${words.join('-')}`, {
    source: span.map((t) => t.raw).join('-'),
    variants: unique([words.join('-'), words.join(' '), lemma.join(' ')]),
    weight: span.length > 1 ? W_UNKNOWN_COMPOUND : W_UNKNOWN,
    origin: 'unknown',
  });
}

// ---------------------------------------------------------------------------------------------
// Japanese.

interface JaTerm {
  text: string;
  /** The words as the question wrote them (case kept: "ISMAP" is a name, "ismap" is not written). */
  source?: string;
  /** Glossary concepts that list this exact string. */
  ids: readonly number[];
}

function isBoundaryOk(text: string, start: number, end: number): boolean {
  const first = text[start] ?? '';
  const last = text[end - 1] ?? '';
  const before = text[start - 1] ?? '';
  const after = text[end] ?? '';
  // Latin variants must be whole words ("ids" not inside "guids"); katakana variants whole
  // katakana words ("ログ" not inside "カタログ").
  for (const [edge, neighbour] of [
    [first, before],
    [last, after],
  ] as const) {
    const s = scriptOf(edge);
    if ((s === 'latin' || s === 'katakana') && scriptOf(neighbour) === s) return false;
  }
  return true;
}

/**
 * Splits lowercase text into glossary matches (longest first at each position) and the gaps
 * between them, the gaps taken from `cased` (same length) so acronyms keep their case.
 */
function scanGlossaryJa(text: string, cased: string, lexicon: Lexicon): Array<{ term: JaTerm } | { gap: string }> {
  const parts: Array<{ term: JaTerm } | { gap: string }> = [];
  let gapStart = 0;
  let i = 0;
  while (i < text.length) {
    let hit: JaTerm | undefined;
    for (let len = Math.min(lexicon.maxJaVariantLength, text.length - i); len >= 2; len--) {
      const s = text.slice(i, i + len);
      const ids = lexicon.jaIndex.get(s);
      if (ids && isBoundaryOk(text, i, i + len)) {
        hit = { text: s, ids, source: cased.slice(i, i + len) };
        break;
      }
    }
    if (hit) {
      if (i > gapStart) parts.push({ gap: cased.slice(gapStart, i) });
      parts.push({ term: hit });
      i += hit.text.length;
      gapStart = i;
    } else {
      i++;
    }
  }
  if (gapStart < text.length) parts.push({ gap: cased.slice(gapStart) });
  return parts;
}

/** Runs of one script; hiragana and punctuation separate them (and are dropped). */
function scriptRuns(text: string): Array<{ script: Script; text: string }> {
  const runs: Array<{ script: Script; text: string }> = [];
  for (const ch of text) {
    let s = scriptOf(ch);
    // Spaces, dots and hyphens stay inside latin runs: "soc 2", "iso/iec 27001", "tls1.2".
    if (s === 'other' && /[ ./\-+]/.test(ch) && runs[runs.length - 1]?.script === 'latin') s = 'latin';
    const last = runs[runs.length - 1];
    if (last && last.script === s) last.text += ch;
    else runs.push({ script: s, text: ch });
  }
  return runs.filter((r) => r.script !== 'other').map((r) => ({ script: r.script, text: r.text.trim() }));
}

/** Kanji runs split at conjunction kanji (及び, 又は, 並びに, 等) and 何, and trimmed of 各/全 prefixes. */
function kanjiTerms(run: string, lexicon: Lexicon): string[] {
  return run
    .split(/[及又並等何]/u)
    .map((t) => {
      const rest = t.slice(1);
      return /^[各全]/u.test(t) && rest.length >= 2 && (rest.length >= 3 || lexicon.isJaWord(rest)) ? rest : t;
    })
    // 発生時, 退職時, 自治体向(け), 月毎: "at the time of", "for", "per" add nothing to the idea.
    .map((t) => (t.length >= 3 && /[時向毎]$/u.test(t) ? t.slice(0, -1) : t))
    // 稼働情報, 監視方法, 運用状況: a known word and "information / way / state / content of" it asks about the word.
    .map((t) => {
      const head = LIGHT_SUFFIX.exec(t)?.[1];
      return head !== undefined && lexicon.isJaWord(head) ? head : t;
    })
    .filter((t) => [...t].length >= 2 && !JA_DROP.has(t));
}

/**
 * A noun written as one kanji between kana: after a particle or a verb and before a case
 * particle (暗号化の鍵は, 雷による, 火を). It is the thing asked about as much as a compound is,
 * and rows write it inside compounds (暗号鍵, 落雷), so it is kept where a run of one kanji is
 * otherwise dropped. Group 1 is the kanji.
 */
const LONE_KANJI = /(?<![\p{Script=Han}\p{Script=Katakana}ー々a-z0-9])(\p{Script=Han})(?=は|が|を|に|で|へ|も|と|や|の(?![\p{Script=Hiragana}]))/gu;
/**
 * Kanji that stand alone as formal nouns, suffixes, counters or pronouns (人, 方, 時, 前, 他,
 * 何, 誰), or begin an adverb (常に, 特に, 既に): they say when, who, how or how much, not what
 * is asked about.
 */
const FORMAL_KANJI = new Set([...'常既特再未非人者方時際中上下内外前後他等件点数的性化名各全旨毎度回以為事物所場側分用間頃目何誰今先次元本皆私自当同別多少主共計約末初最半部面例形式法策年月日週秒個台枚社']);

function loneKanjiNouns(gap: string): string[] {
  return [...gap.matchAll(LONE_KANJI)].map((m) => m[1] ?? '').filter((k) => k !== '' && !FORMAL_KANJI.has(k));
}

/**
 * Nouns that, after a known word, only say "information about / the way of / the state of / the
 * content of" it: everyday questions write 障害情報, 通知方法, 稼働状況 where a row writes 障害,
 * 通知, 稼働. Group 1 is the known word.
 */
const LIGHT_SUFFIX = /^(\p{Script=Han}{2,}|\p{Script=Katakana}[\p{Script=Katakana}ー]+)(?:情報|方法|状況|内容)$/u;

/**
 * A glossary paraphrase made of a known word and a light suffix (障害情報, listed for 障害通知,
 * "failure notification"), split back into the word and the suffix: the glossary lists it so
 * that rows wording the narrower idea that way are found, but a question writing it asks only
 * about the word (障害情報の通知方法: failures, notified), and reading it as the narrower idea
 * demands the compound from rows that write 障害 and 通知 apart. Only when the paraphrase is no
 * line's head and heads no line of its own (個人情報, 脆弱性情報, 稼働状況 are terms), and
 * every line it is read as is an idea about the word (its head starts with it: 障害通知), so
 * that 認証情報 (credentials, under パスワード) and 顧客情報 (customer data) stay whole.
 * Null when the term is to be read as listed.
 */
function lightSuffixSplit(term: JaTerm, lexicon: Lexicon): [JaTerm, JaTerm] | null {
  const head = LIGHT_SUFFIX.exec(term.text)?.[1];
  if (head === undefined) return null;
  const headIds = lexicon.jaIndex.get(head);
  if (!headIds || headIds.length === 0) return null;
  if (term.ids.some((id) => lexicon.glossary[id]?.ja[0] === term.text)) return null;
  const lines = primaryConcepts(term.text, term.ids, lexicon);
  if (!lines.every((id) => lexicon.glossary[id]?.ja[0]?.startsWith(head))) return null;
  const suffix = term.text.slice(head.length);
  const cased = term.source ?? term.text;
  return [
    { text: head, ids: headIds, source: cased.slice(0, head.length) },
    { text: suffix, ids: lexicon.jaIndex.get(suffix) ?? [], source: cased.slice(head.length) },
  ];
}

/** Known words inside a long compound, by greedy longest match (情報資産管理 → 情報資産, 管理). */
function subTerms(term: string, lexicon: Lexicon): string[] {
  const found: string[] = [];
  let i = 0;
  while (i < term.length) {
    let len = Math.min(term.length - i, 12);
    for (; len >= 2; len--) {
      const s = term.slice(i, i + len);
      if (s !== term && lexicon.isJaWord(s)) break;
    }
    if (len >= 2) {
      found.push(term.slice(i, i + len));
      i += len;
    } else {
      i++;
    }
  }
  return found.filter((s) => !JA_DROP.has(s));
}

function synonymsOf(term: string, lexicon: Lexicon): string[] {
  const syn = lexicon.synonyms.get(term) ?? [];
  // Prefer synonyms the glossary also knows: they are the ones checksheets use.
  const known = syn.filter((s) => lexicon.jaIndex.has(s));
  return unique([...known, ...syn]).slice(0, MAX_SYNONYMS);
}

/**
 * Of the glossary concepts listing a Japanese term, those where it ranks earliest: 対策 heads
 * "control|measure" and is only a tail variant elsewhere, so only the former speaks for it.
 */
function primaryConcepts(text: string, ids: readonly number[], lexicon: Lexicon): number[] {
  let best = Infinity;
  const ranked = ids.map((id) => {
    const rank = lexicon.glossary[id]?.ja.indexOf(text) ?? -1;
    const r = rank < 0 ? Infinity : rank;
    best = Math.min(best, r);
    return { id, r };
  });
  return ranked.filter((x) => x.r === best).map((x) => x.id);
}

function termConcept(term: JaTerm, lexicon: Lexicon, weightFactor: number): Concept | null {
  if (term.ids.length > 0) {
    const c = glossaryConcept(lexicon, term.ids, term.source ?? term.text, [term.text]);
    return c && { ...c, weight: c.weight * weightFactor };
  }
  const synonyms = JA_GENERIC.has(term.text) ? [] : synonymsOf(term.text, lexicon);
  return {
    source: term.source ?? term.text,
    variants: [term.text, ...synonyms],
    weight: (JA_GENERIC.has(term.text) ? W_JA_GENERIC : W_JA_TERM) * weightFactor,
    origin: synonyms.length > 0 ? 'synonym' : 'literal',
  };
}

function addJaTerm(found: JaTerm, lexicon: Lexicon, out: ConceptSet, weightFactor = 1): void {
  if (JA_DROP.has(found.text)) return;
  const term = { ...found, ids: primaryConcepts(found.text, found.ids, lexicon) };
  const key = term.ids.length > 0 ? `g${term.ids.join(',')}` : `j${term.text}`;
  const concept = termConcept(term, lexicon, weightFactor);
  if (concept) out.add(key, concept);
}

/** Whether a term, as a sub-term, would only add an idea found in nearly every row. */
function isGenericTerm(text: string, lexicon: Lexicon): boolean {
  if (JA_GENERIC.has(text)) return true;
  const ids = primaryConcepts(text, lexicon.jaIndex.get(text) ?? [], lexicon);
  return ids.length > 0 && ids.every((id) => (lexicon.glossary[id]?.weight ?? 1) < 0.3);
}

function expandJapanese(question: string, lexicon: Lexicon, out: ConceptSet): void {
  // Casual words are read as the formal ones the glossary and the rows use (./casual.ts).
  const cased = formalJa(question).replace(/[\s\u3000]+/gu, ' ').trim();
  const lower = cased.toLowerCase();
  // toLowerCase keeps the length for everything but a few exotic letters; then case is dropped.
  const text = lower;
  const source = lower.length === cased.length ? cased : lower;
  for (const part of scanGlossaryJa(text, source, lexicon)) {
    if ('term' in part) {
      // No sub-terms here: the glossary already says what the compound means, and requiring its
      // parts (監査ログ → 監査, ログ) would penalise rows that use a listed paraphrase (操作履歴).
      const split = lightSuffixSplit(part.term, lexicon);
      for (const term of split ?? [part.term]) addJaTerm(term, lexicon, out);
      continue;
    }
    for (const noun of loneKanjiNouns(part.gap)) addJaTerm({ text: noun, ids: [] }, lexicon, out);
    for (const run of scriptRuns(part.gap)) {
      if (run.script === 'latin') {
        expandEnglishTokens(enTokens(run.text, true), lexicon, out);
        continue;
      }
      const terms = run.script === 'kanji' ? kanjiTerms(run.text, lexicon) : [...run.text].length >= 2 ? [run.text] : [];
      for (const t of terms) {
        addJaTerm({ text: t, ids: [] }, lexicon, out);
        const long = run.script === 'kanji' ? [...t].length >= 4 : [...t].length >= 6;
        if (!long) continue;
        for (const sub of subTerms(t, lexicon)) {
          if (!isGenericTerm(sub, lexicon)) addJaTerm({ text: sub, ids: lexicon.jaIndex.get(sub) ?? [] }, lexicon, out, SUBTERM_FACTOR);
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------

/**
 * Turns a questionnaire question (English or Japanese) into weighted concepts whose variants
 * are the strings to look for in Japanese evidence.
 */
export function expandQuery(question: string, lexicon: Lexicon): ExpandedQuery {
  const lang = detectLanguage(question);
  const out = new ConceptSet();
  if (lang === 'ja') expandJapanese(question, lexicon, out);
  else expandEnglishTokens(enTokens(spellOut(question)), lexicon, out);
  return { lang, concepts: withEditions(question, lang === 'en' ? withSlashAlternatives(question, out.concepts) : out.concepts) };
}

/** Two lowercase words joined by a slash ("failure/incident logs", "root/admin accounts"): either of them. */
const SLASH_PAIR = /\b([a-z]{3,})\/([a-z]{3,})\b/g;

/**
 * Words a question joins by a slash ("failure/incident logs", "malware/threat definitions",
 * "root/admin accounts") name one idea in either wording, not two ideas a row must both
 * mention: their concepts become one, any of whose variants mentions it, as heavy as the
 * heavier. Read so, a row on failure logs answers "how long are failure/incident logs kept?"
 * (blind trial s23 ranked a row on security-incident traceability first, for having both
 * words). Named things (ISO/IEC, BitLocker/FileVault: capitals) stay apart: each is a thing.
 */
function withSlashAlternatives(question: string, concepts: Concept[]): Concept[] {
  let merged = concepts;
  for (const m of question.matchAll(SLASH_PAIR)) {
    const plain = (word: string): number =>
      merged.findIndex((c) => !c.proper && !c.own && !c.rivals && !c.modifier && !c.edition && c.source.toLowerCase().split(/\s+/).includes(word));
    const a = plain(m[1] ?? '');
    const b = plain(m[2] ?? '');
    const first = merged[a];
    const second = merged[b];
    if (a < 0 || b < 0 || a === b || !first || !second) continue;
    const glossaryIds = [...new Set([...(first.glossaryIds ?? []), ...(second.glossaryIds ?? [])])];
    const one: Concept = {
      ...first,
      source: `${first.source}/${second.source}`,
      variants: [...new Set([...first.variants, ...second.variants])],
      weight: Math.max(first.weight, second.weight),
      ...(glossaryIds.length > 0 ? { glossaryIds } : {}),
    };
    merged = merged.flatMap((c, i) => (i === a ? [one] : i === b ? [] : [c]));
  }
  return merged;
}

/**
 * An edition written after a standard's number: its year (ISO/IEC 27001:2022, JIS Q 27001:2014)
 * or its revision (NIST SP 800-53 Rev. 5, 800-53r5). Group 1 is the number, 2 the edition.
 */
const EDITION_AFTER = /(?<![\d])(\d{3,5}(?:-\d{1,3})?)\s*(?::\s*((?:19|20)\d{2})(?!\d)|(?:rev(?:ision)?\.?\s*|r)(\d{1,2})(?![\d]))/gi;
/** A year said to be the edition ("its 2022 edition", 2022年版), for the one numbered name of the question. */
const EDITION_YEAR = /(?<!\d)((?:19|20)\d{2})\s*(?:revision|version|edition|年版|版)/i;

/**
 * The edition the question asks of each numbered named thing, set on its concept; a year or
 * revision number kept as an idea of its own is then dropped: it is the edition, and a row
 * dated that year does not mention it.
 */
function withEditions(question: string, concepts: Concept[]): Concept[] {
  const text = question.normalize('NFKC');
  const named = concepts.map((c) => (c.weight >= 1 ? numberedName(c.source) : null));
  const editions = new Map<number, string>();
  for (const m of text.matchAll(EDITION_AFTER)) {
    const i = named.findIndex((n) => n !== null && sameNumber(n.number, m[1] ?? ''));
    const edition = m[2] ?? m[3];
    if (i >= 0 && edition) editions.set(i, edition);
  }
  const year = EDITION_YEAR.exec(text)?.[1];
  const numbered = named.flatMap((n, i) => (n ? [i] : []));
  if (year && editions.size === 0 && numbered.length === 1 && numbered[0] !== undefined) editions.set(numbered[0], year);
  if (editions.size === 0) return concepts;
  const stated = new Set(editions.values());
  return concepts
    .map((c, i) => {
      const edition = editions.get(i);
      return edition ? { ...c, edition } : c;
    })
    .filter((c) => !(c.origin === 'literal' && stated.has(c.source.trim())));
}
