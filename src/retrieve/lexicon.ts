/**
 * The offline lexicon behind query expansion: a curated English→Japanese security glossary,
 * Sudachi synonym groups and an EDICT-derived English→Japanese word list, all plain text files
 * under ./lexicon/ (see lexicon/README.md for formats and lexicon/ATTRIBUTION.md for licences).
 *
 * The derived files are committed rather than built at install time because CI and fresh
 * machines have neither Debian's edict package nor a reason to parse the 14 MB Sudachi JSON
 * on every start; `scripts/build-lexicon.ts` regenerates them.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

export interface GlossaryConcept {
  /** Index in `Lexicon.glossary`. */
  readonly id: number;
  /** 1-based line in glossary.tsv, for error messages and reviewers. */
  readonly line: number;
  /** English phrases as written (lowercase, without the `=` of an exact-form phrase). */
  readonly en: readonly string[];
  /** Their matching keys (`glossaryKey`: stems, or `=` and the words of an exact-form phrase), deduplicated. */
  readonly enKeys: readonly string[];
  /** Japanese variants, NFKC-normalised, latin lowercased, each at least two characters. */
  readonly ja: readonly string[];
  /** 0..1; low for words found in nearly every checksheet row. */
  readonly weight: number;
}

export interface EdictHead {
  readonly word: string;
  /** A suru-verb noun (暗号化する): may translate a verb form ("encrypted"), unlike 百貨店 for "stored". */
  readonly verbal: boolean;
}

export interface LexiconStats {
  glossaryConcepts: number;
  glossaryEnPhrases: number;
  glossaryJaVariants: number;
  synonymGroups: number;
  synonymTerms: number;
  edictKeys: number;
  loadMs: number;
}

export interface Lexicon {
  readonly glossary: readonly GlossaryConcept[];
  /**
   * Key: an English phrase as its stemmed tokens joined by one space ("multi factor authent"), or
   * for an exact-form phrase `=` and its words ("=communication"; `spanKeys`).
   */
  readonly enPhrases: ReadonlyMap<string, readonly number[]>;
  /** Token count of the longest English phrase, bounding the longest-first match window. */
  readonly maxEnPhraseTokens: number;
  /** Japanese glossary variant → ids of the concepts that list it. */
  readonly jaIndex: ReadonlyMap<string, readonly number[]>;
  readonly maxJaVariantLength: number;
  /** Sudachi: a term allowed to trigger expansion → the other members of its groups. */
  readonly synonyms: ReadonlyMap<string, readonly string[]>;
  /** EDICT: Japanese headwords, best first, for a lowercase English gloss (word or short phrase). */
  edict(gloss: string): readonly EdictHead[] | undefined;
  /** Whether glossary, Sudachi or EDICT knows the word; finds sub-terms in long compounds. */
  isJaWord(word: string): boolean;
  readonly stats: LexiconStats;
}

// ---------------------------------------------------------------------------------------------
// Text helpers shared by the loader, expandQuery and the build script, so that glossary phrases
// and questions are normalised by exactly the same code.

/** NFKC (full-width ASCII → ASCII, half-width kana → full-width), latin lowercased, spaces squashed. */
export function normalize(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[\s\u3000]+/gu, ' ').trim();
}

/** Latin words and numbers; `-`, `/`, `.` and `'` split tokens so "multi-factor" = "multi factor". */
export function tokenizeEn(text: string): string[] {
  return text.normalize('NFKC').match(/[A-Za-z0-9]+/g) ?? [];
}

/**
 * Porter merges some words that security questionnaires need apart (integrity/integration,
 * important/import, certificate/certification, authority/authorize...). These families get a
 * stem of their own; everything else goes through the algorithm.
 */
const STEM_OVERRIDES = new Map<string, string>(
  (
    [
      ['integrat', ['integrate', 'integrated', 'integrates', 'integrating', 'integration', 'integrations']],
      ['important', ['important', 'importance']],
      ['certificate', ['certificate', 'certificates']],
      ['authority', ['authority', 'authorities']],
      ['administrator', ['administrator', 'administrators']],
      ['developer', ['developer', 'developers']],
      ['operator', ['operator', 'operators']],
      ['accountab', ['accountable', 'accountability']],
      ['international', ['international', 'internationally']],
      ['performance', ['performance']],
      ['response', ['response', 'responses']],
      // Windows the OS, not a maintenance window.
      ['windows', ['windows']],
      ['generator', ['generator', 'generators']],
      ['general', ['general', 'generally']],
      ['communit', ['community', 'communities']],
      ['university', ['university', 'universities']],
      // A deployment is a release of software; "is X deployed" only says that X is in place.
      ['deployment', ['deployment', 'deployments']],
    ] as const
  ).flatMap(([s, words]) => words.map((w) => [w, s] as [string, string])),
);

const STEP2: Record<string, string> = {
  ational: 'ate', tional: 'tion', enci: 'ence', anci: 'ance', izer: 'ize', bli: 'ble', alli: 'al',
  entli: 'ent', eli: 'e', ousli: 'ous', ization: 'ize', ation: 'ate', ator: 'ate', alism: 'al',
  iveness: 'ive', fulness: 'ful', ousness: 'ous', aliti: 'al', iviti: 'ive', biliti: 'ble', logi: 'log',
};
const STEP3: Record<string, string> = { icate: 'ic', ative: '', alize: 'al', iciti: 'ic', ical: 'ic', ful: '', ness: '' };
const CONS = '[^aeiou]';
const VOW = '[aeiouy]';
const CSEQ = `${CONS}[^aeiouy]*`;
const VSEQ = `${VOW}[aeiou]*`;
const MGR0 = new RegExp(`^(${CSEQ})?${VSEQ}${CSEQ}`);
const MEQ1 = new RegExp(`^(${CSEQ})?${VSEQ}${CSEQ}(${VSEQ})?$`);
const MGR1 = new RegExp(`^(${CSEQ})?${VSEQ}${CSEQ}${VSEQ}${CSEQ}`);
const HAS_VOWEL = new RegExp(`^(${CSEQ})?${VOW}`);
const CVC = new RegExp(`^${CSEQ}${VOW}[^aeiouwxy]$`);

/**
 * Porter (1980) stemmer, so "encrypted", "encrypting" and "encryption" meet at "encrypt" on both
 * the glossary and the question side. Tokens of three letters or fewer are left alone: they are
 * mostly acronyms, and stemming would merge "ips" with "ip" and "ids" with "id".
 */
export function stem(word: string): string {
  if (word.length <= 3 || !/^[a-z]+$/.test(word)) return word;
  const fixed = STEM_OVERRIDES.get(word);
  if (fixed !== undefined) return fixed;
  let w = word;
  const initialY = w.startsWith('y');
  if (initialY) w = `Y${w.slice(1)}`;
  // Step 1a: plurals.
  if (/^(.+?)(ss|i)es$/.test(w)) w = w.replace(/^(.+?)(ss|i)es$/, '$1$2');
  else if (/^(.+?)([^s])s$/.test(w)) w = w.replace(/^(.+?)([^s])s$/, '$1$2');
  // Step 1b: -eed, -ed, -ing.
  let m = /^(.+?)eed$/.exec(w);
  if (m) {
    if (MGR0.test(m[1] ?? '')) w = w.slice(0, -1);
  } else if ((m = /^(.+?)(ed|ing)$/.exec(w)) && HAS_VOWEL.test(m[1] ?? '')) {
    w = m[1] ?? w;
    if (/(at|bl|iz)$/.test(w)) w += 'e';
    else if (/([^aeiouylsz])\1$/.test(w)) w = w.slice(0, -1);
    else if (CVC.test(w)) w += 'e';
  }
  // Step 1c: -y → -i after a vowel-bearing stem.
  if ((m = /^(.+?)y$/.exec(w)) && HAS_VOWEL.test(m[1] ?? '')) w = `${m[1]}i`;
  // Step 2 and 3: derivational suffixes.
  m = /^(.+?)(ational|tional|enci|anci|izer|bli|alli|entli|eli|ousli|ization|ation|ator|alism|iveness|fulness|ousness|aliti|iviti|biliti|logi)$/.exec(w);
  if (m && MGR0.test(m[1] ?? '')) w = (m[1] ?? '') + (STEP2[m[2] ?? ''] ?? '');
  m = /^(.+?)(icate|ative|alize|iciti|ical|ful|ness)$/.exec(w);
  if (m && MGR0.test(m[1] ?? '')) w = (m[1] ?? '') + (STEP3[m[2] ?? ''] ?? '');
  // Step 4: remove -ance, -ment, -ion... from long stems.
  m = /^(.+?)(al|ance|ence|er|ic|able|ible|ant|ement|ment|ent|ou|ism|ate|iti|ous|ive|ize)$/.exec(w);
  if (m) {
    if (MGR1.test(m[1] ?? '')) w = m[1] ?? w;
  } else if ((m = /^(.+?)(s|t)(ion)$/.exec(w))) {
    const s = (m[1] ?? '') + (m[2] ?? '');
    if (MGR1.test(s)) w = s;
  }
  // Step 5: final -e and -ll.
  if ((m = /^(.+?)e$/.exec(w))) {
    const s = m[1] ?? '';
    if (MGR1.test(s) || (MEQ1.test(s) && !CVC.test(s))) w = s;
  }
  if (/ll$/.test(w) && MGR1.test(w)) w = w.slice(0, -1);
  if (initialY) w = `y${w.slice(1)}`;
  return w;
}

/** Matching key of an English phrase: normalised tokens, stemmed, joined by one space. */
export function enKey(phrase: string): string {
  return tokenizeEn(phrase.toLowerCase()).map(stem).join(' ');
}

/**
 * Marks a glossary phrase matched only in the form written: Porter gives "communicated" and
 * "communication" one stem (commun), so a line for network communication (通信) would also
 * take "policies approved and communicated" (周知). Written `=communication`, the phrase is
 * keyed by its words as they are, and a question's span is looked up by its words before its
 * stems: the exact form wins, other forms of the stem go to the line that lists them by stem.
 */
export const EXACT_MARK = '=';

/** Key of words matched as written: the mark, then the lowercase tokens. */
export function exactKey(words: readonly string[]): string {
  return `${EXACT_MARK}${words.join(' ')}`;
}

/** Key of a glossary phrase: `exactKey` of its words when it is marked exact-form, else `enKey`. */
export function glossaryKey(phrase: string): string {
  const exact = phrase.startsWith(EXACT_MARK);
  const words = tokenizeEn(phrase.toLowerCase());
  if (!exact) return words.map(stem).join(' ');
  return words.length > 0 ? exactKey(words) : '';
}

/**
 * The keys a span of lowercase words is looked up by, the one that wins first: its exact form,
 * then its stems.
 */
export function spanKeys(words: readonly string[]): [string, string] {
  return [exactKey(words), words.map(stem).join(' ')];
}

/** Japanese variant as stored: NFKC, lowercase latin, no inner whitespace runs. */
export function normalizeJa(text: string): string {
  return normalize(text);
}

// ---------------------------------------------------------------------------------------------
// Glossary parsing.

export interface GlossaryParse {
  concepts: GlossaryConcept[];
  /** Human-readable problems (duplicate phrases, empty variants...); empty for a clean file. */
  problems: string[];
}

/** Parses glossary.tsv text. Exported so tests and the build script can validate the file. */
export function parseGlossary(text: string): GlossaryParse {
  const concepts: GlossaryConcept[] = [];
  const problems: string[] = [];
  const seenEn = new Map<string, number>();
  const seenConcept = new Map<string, number>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '' || raw.startsWith('#')) return;
    const cols = raw.split('\t');
    if (cols.length < 2 || cols.length > 3) {
      problems.push(`line ${line}: expected 2 or 3 tab-separated columns, got ${cols.length}`);
      return;
    }
    const enRaw = (cols[0] ?? '').split('|');
    const jaRaw = (cols[1] ?? '').split('|');
    const en = enRaw.map((p) => normalize(p));
    // `=phrase` is matched as written (EXACT_MARK); `en` keeps the phrase without the mark.
    const ja = jaRaw.map((v) => normalizeJa(v));
    en.forEach((p, i) => {
      if (p === '') problems.push(`line ${line}: empty English phrase #${i + 1}`);
    });
    ja.forEach((v, i) => {
      if (v === '') problems.push(`line ${line}: empty Japanese variant #${i + 1}`);
      else if ([...v].length < 2) problems.push(`line ${line}: one-character Japanese variant "${v}"`);
      else if (v !== (jaRaw[i] ?? '').normalize('NFKC').toLowerCase().trim()) problems.push(`line ${line}: variant "${jaRaw[i]}" has stray whitespace`);
    });
    let weight = 1;
    if (cols[2] !== undefined) {
      weight = Number(cols[2]);
      if (!Number.isFinite(weight) || weight <= 0 || weight > 1) problems.push(`line ${line}: weight "${cols[2]}" not in (0, 1]`);
    }
    const id = concepts.length;
    const enUnique = [...new Set(en.filter((p) => p !== ''))];
    const jaNonEmpty = ja.filter((v) => v !== '');
    const jaUnique = [...new Set(jaNonEmpty.filter((v) => [...v].length >= 2))];
    if (enUnique.length < en.filter((p) => p !== '').length) problems.push(`line ${line}: repeated English phrase`);
    if (new Set(jaNonEmpty).size < jaNonEmpty.length) problems.push(`line ${line}: repeated Japanese variant`);
    const signature = `${[...enUnique].sort().join('|')}\t${[...jaUnique].sort().join('|')}`;
    const dup = seenConcept.get(signature);
    if (dup !== undefined) problems.push(`line ${line}: duplicate of the concept on line ${dup}`);
    seenConcept.set(signature, line);
    // Two concepts claiming the same English phrase (after stemming) would make matching ambiguous.
    const keysHere = new Set<string>();
    for (const p of enUnique) {
      const key = glossaryKey(p);
      if (key === '') {
        problems.push(`line ${line}: English phrase "${p}" has no word characters`);
        continue;
      }
      if (keysHere.has(key)) continue;
      keysHere.add(key);
      const other = seenEn.get(key);
      if (other !== undefined) problems.push(`line ${line}: English phrase "${p}" (key "${key}") already on line ${other}`);
      else seenEn.set(key, line);
    }
    if (enUnique.length === 0 || jaUnique.length === 0) {
      problems.push(`line ${line}: concept needs at least one English phrase and one Japanese variant`);
      return;
    }
    const phrases = [...new Set(enUnique.map((p) => (p.startsWith(EXACT_MARK) ? p.slice(EXACT_MARK.length).trim() : p)))];
    concepts.push({ id, line, en: phrases, enKeys: [...keysHere], ja: jaUnique, weight });
  });
  return { concepts, problems };
}

// ---------------------------------------------------------------------------------------------
// Derived data files.

/**
 * synonyms.tsv: one Sudachi group per line, members separated by `|`; a member prefixed with `~`
 * may be expanded to but does not trigger expansion itself (Sudachi's expand-control flag 1,
 * set by its editors on ambiguous words such as ログ = log/logarithm).
 */
export function parseSynonyms(text: string): { groups: number; map: Map<string, string[]> } {
  const map = new Map<string, string[]>();
  let groups = 0;
  for (const raw of text.split('\n')) {
    if (raw === '' || raw.startsWith('#')) continue;
    groups++;
    const members = raw.split('|').map((m) => ({ trigger: !m.startsWith('~'), word: m.replace(/^~/, '') }));
    for (const m of members) {
      if (!m.trigger) continue;
      const list = map.get(m.word) ?? [];
      for (const other of members) if (other.word !== m.word && !list.includes(other.word)) list.push(other.word);
      map.set(m.word, list);
    }
  }
  return { groups, map };
}

/**
 * edict.tsv: `english gloss<TAB>headword|+headword...`, best first; `+` marks suru-verb nouns.
 * Values stay unparsed (see `parseEdictHeads`): a question looks up a handful of its 44k keys.
 */
export function parseEdict(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const raw of text.split('\n')) {
    if (raw === '' || raw.startsWith('#')) continue;
    const tab = raw.indexOf('\t');
    if (tab > 0) map.set(raw.slice(0, tab), raw.slice(tab + 1));
  }
  return map;
}

export function parseEdictHeads(value: string): EdictHead[] {
  return value.split('|').map((h) => (h.startsWith('+') ? { word: h.slice(1), verbal: true } : { word: h, verbal: false }));
}

export const LEXICON_DIR = new URL('./lexicon/', import.meta.url);

function readData(name: string): string {
  return readFileSync(new URL(name, LEXICON_DIR), 'utf8');
}

let cached: Lexicon | undefined;
let glossaryCached: readonly GlossaryConcept[] | undefined;

/**
 * The glossary alone, parsed once per process: what the concept tagger needs to tag an
 * approved answer, without the synonym and EDICT tables of the whole lexicon (a process that
 * only decides reviews, such as the bot's Slack thread, then never holds them).
 * Throws if glossary.tsv has problems, as loadLexicon does.
 */
export function loadGlossary(): readonly GlossaryConcept[] {
  if (glossaryCached) return glossaryCached;
  const { concepts, problems } = parseGlossary(readData('glossary.tsv'));
  if (problems.length > 0) throw new Error(`glossary.tsv: ${problems.slice(0, 5).join('; ')}`);
  glossaryCached = concepts;
  return concepts;
}

/**
 * Loads the lexicon once per process (≈ 70–100 ms CPU on an idle 2-core machine) and returns the
 * same object afterwards.
 * Throws if glossary.tsv has problems, since a silently half-parsed glossary would only show up
 * later as unexplained retrieval misses.
 */
export function loadLexicon(): Lexicon {
  if (cached) return cached;
  const t0 = performance.now();
  const concepts = loadGlossary();

  const enPhrases = new Map<string, number[]>();
  let maxEnPhraseTokens = 1;
  const jaIndex = new Map<string, number[]>();
  let maxJaVariantLength = 2;
  for (const c of concepts) {
    for (const key of c.enKeys) {
      const ids = enPhrases.get(key) ?? [];
      if (!ids.includes(c.id)) ids.push(c.id);
      enPhrases.set(key, ids);
      maxEnPhraseTokens = Math.max(maxEnPhraseTokens, key.split(' ').length);
    }
    for (const v of c.ja) {
      const ids = jaIndex.get(v) ?? [];
      if (!ids.includes(c.id)) ids.push(c.id);
      jaIndex.set(v, ids);
      maxJaVariantLength = Math.max(maxJaVariantLength, v.length);
    }
  }

  const syn = parseSynonyms(readData('synonyms.tsv'));
  const edictRaw = parseEdict(readData('edict.tsv'));
  const edictParsed = new Map<string, EdictHead[]>();
  const edict = (gloss: string): EdictHead[] | undefined => {
    let heads = edictParsed.get(gloss);
    if (!heads) {
      const raw = edictRaw.get(gloss);
      if (raw === undefined) return undefined;
      heads = parseEdictHeads(raw);
      edictParsed.set(gloss, heads);
    }
    return heads;
  };

  // ~70k words, needed only to split long Japanese compounds: built on first use (~30 ms).
  let jaWords: Set<string> | undefined;
  const isJaWord = (word: string): boolean => {
    if (!jaWords) {
      jaWords = new Set<string>(jaIndex.keys());
      for (const [term, others] of syn.map) {
        jaWords.add(term);
        for (const o of others) jaWords.add(o);
      }
      for (const raw of edictRaw.values()) for (const h of raw.split('|')) jaWords.add(h.startsWith('+') ? h.slice(1) : h);
    }
    return jaWords.has(word);
  };

  const loadMs = performance.now() - t0;
  cached = {
    glossary: concepts,
    enPhrases,
    maxEnPhraseTokens,
    jaIndex,
    maxJaVariantLength,
    synonyms: syn.map,
    edict,
    isJaWord,
    stats: {
      glossaryConcepts: concepts.length,
      glossaryEnPhrases: enPhrases.size,
      glossaryJaVariants: jaIndex.size,
      synonymGroups: syn.groups,
      synonymTerms: syn.map.size,
      edictKeys: edictRaw.size,
      loadMs: Math.round(loadMs * 10) / 10,
    },
  };
  return cached;
}
