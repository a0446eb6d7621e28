/**
 * Shorthand in English questions, read before the glossary and the dictionary (issue #9).
 *
 * Engineers and sales people write "pw min length?", "who has prod access?", "where's your DC?",
 * "can you tell me if…". The glossary is keyed on spelled-out phrases and EDICT on dictionary
 * words, so a clipped word was no idea at all (pw), an unknown one (creds, config, dev), the
 * wrong one (EDICT's min, hr as 人事 in "24 hr"), or a named topic that no row mentions ("DC"
 * read as an acronym), and the question was declined; a request's filler (tell, me, know,
 * wondering) became an idea of its own (テル, ミー, ノウ) that no row covers.
 *
 * lexicon/shorthand.tsv says, for general words only, how each is written out, when (after a
 * number "min" is minutes, elsewhere minimum; "CERT" is not a certificate), which request
 * fillers are not read, and which single words are never ideas (added to expand.ts's EN_STOP,
 * so BM25 and the polarity and figure readers skip them too). `spellOut` rewrites the words,
 * longest phrase first, so that phrases form as the glossary knows them ("pw min length" →
 * "password minimum length", "vuln scans" → "vulnerability scans"). Only the text that
 * expansion reads is rewritten: the question shown, quoted and stored stays as written.
 */
import { readFileSync } from 'node:fs';
import { LEXICON_DIR } from './lexicon.js';

type Kind = 'spell' | 'drop' | 'stop';

/** A word list a neighbour is checked against; `#` stands for any number. */
interface WordTest {
  words: ReadonlySet<string>;
  number: boolean;
}

interface Conditions {
  after?: WordTest;
  before?: WordTest;
  notAfter?: WordTest;
  notBefore?: WordTest;
  lower?: true;
  upper?: true;
}

export interface ShorthandEntry {
  kind: 'spell' | 'drop';
  /** The written words, lowercase, as `tokens` splits them ("w/o" → w, o). */
  written: readonly string[];
  /** What they are read as: empty for a filler. */
  spelled: string;
  when: Conditions;
  /** 1-based line of shorthand.tsv, for problems. */
  line: number;
}

export interface Shorthand {
  /** Entries by their first written word, longest phrase first, then in file order. */
  byFirst: ReadonlyMap<string, readonly ShorthandEntry[]>;
  stop: ReadonlySet<string>;
}

const WORD = /[A-Za-z0-9]+/g;
const NUMBER = /^[0-9]+$/;

function wordTest(list: string): WordTest {
  const items = list.split('|').map((w) => w.trim().toLowerCase()).filter((w) => w !== '');
  return { words: new Set(items.filter((w) => w !== '#')), number: items.includes('#') };
}

const passes = (test: WordTest | undefined, word: string | undefined): boolean =>
  test !== undefined && word !== undefined && (test.words.has(word) || (test.number && NUMBER.test(word)));

function parseConditions(text: string, line: number, problems: string[]): Conditions {
  const when: Conditions = {};
  for (const part of text.split(/\s+/).filter((p) => p !== '')) {
    const m = /^(!?)(after|before)=(.+)$/.exec(part);
    if (m) {
      const test = wordTest(m[3] ?? '');
      if (m[1] === '!') when[m[2] === 'after' ? 'notAfter' : 'notBefore'] = test;
      else when[m[2] === 'after' ? 'after' : 'before'] = test;
    } else if (part === 'lower') when.lower = true;
    else if (part === 'upper') when.upper = true;
    else problems.push(`line ${line}: unknown condition "${part}"`);
  }
  if (when.lower && when.upper) problems.push(`line ${line}: both lower and upper`);
  return when;
}

/** Parses shorthand.tsv text; exported so tests and the build script can validate the file. */
export function parseShorthand(text: string): { entries: ShorthandEntry[]; stop: Set<string>; problems: string[] } {
  const entries: ShorthandEntry[] = [];
  const stop = new Set<string>();
  const problems: string[] = [];
  const seen = new Map<string, number>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '' || raw.startsWith('#')) return;
    const [kindRaw = '', writtenRaw = '', spelledRaw = '', whenRaw = '', ...rest] = raw.split('\t');
    const kind = kindRaw as Kind;
    if (rest.length > 0 || !['spell', 'drop', 'stop'].includes(kind)) {
      problems.push(`line ${line}: expected spell|drop|stop and up to three tab-separated columns`);
      return;
    }
    const written = writtenRaw.split('|').map((w) => w.trim().toLowerCase());
    if (written.some((w) => (w.match(WORD) ?? []).length === 0)) {
      problems.push(`line ${line}: an empty written form`);
      return;
    }
    const spelled = spelledRaw.trim().toLowerCase();
    if (kind === 'stop') {
      if (spelled !== '' || whenRaw.trim() !== '') problems.push(`line ${line}: a stop line has words only`);
      for (const w of written) {
        if (!/^[a-z]+$/.test(w)) problems.push(`line ${line}: stop word "${w}" is not one word`);
        if (stop.has(w)) problems.push(`line ${line}: stop word "${w}" listed twice`);
        stop.add(w);
      }
      return;
    }
    if (kind === 'spell' && spelled === '') problems.push(`line ${line}: a spell line needs the spelled-out words`);
    if (kind === 'drop' && spelled !== '') problems.push(`line ${line}: a drop line has no spelled-out words`);
    const when = parseConditions(whenRaw, line, problems);
    for (const w of written) {
      const words = (w.match(WORD) ?? []).map((t) => t.toLowerCase());
      if (kind === 'spell' && words.join(' ') === spelled) problems.push(`line ${line}: "${w}" is spelled as itself`);
      const key = `${words.join(' ')}\t${whenRaw.trim()}`;
      const other = seen.get(key);
      if (other !== undefined) problems.push(`line ${line}: "${w}" with the same conditions already on line ${other}`);
      seen.set(key, line);
      entries.push({ kind, written: words, spelled, when, line });
    }
  });
  for (const e of entries) {
    if (e.kind === 'spell' && e.written.length === 1 && stop.has(e.written[0] ?? '')) problems.push(`line ${e.line}: "${e.written[0]}" is also a stop word`);
  }
  return { entries, stop, problems };
}

let cached: Shorthand | undefined;

/** shorthand.tsv, parsed once per process; throws on a problem, as the glossary does. */
export function loadShorthand(): Shorthand {
  if (cached) return cached;
  const { entries, stop, problems } = parseShorthand(readFileSync(new URL('shorthand.tsv', LEXICON_DIR), 'utf8'));
  if (problems.length > 0) throw new Error(`shorthand.tsv: ${problems.slice(0, 5).join('; ')}`);
  const byFirst = new Map<string, ShorthandEntry[]>();
  for (const e of entries) {
    const list = byFirst.get(e.written[0] ?? '') ?? [];
    list.push(e);
    byFirst.set(e.written[0] ?? '', list);
  }
  // Stable sort: longest phrase first, file order among equals.
  for (const list of byFirst.values()) list.sort((a, b) => b.written.length - a.written.length);
  cached = { byFirst, stop };
  return cached;
}

/** Words that are never an idea of an English question (tell, me, wondering): for expand.ts's EN_STOP. */
export function shorthandStopWords(): ReadonlySet<string> {
  return loadShorthand().stop;
}

interface Token {
  raw: string;
  lower: string;
  start: number;
  end: number;
}

/** What may stand between two words of one written phrase: spaces, a hyphen, a slash ("dev-env", "w/o"). */
const JOINER = /^[\s\-/]*$/;

function fits(entry: ShorthandEntry, tokens: Token[], i: number, text: string): boolean {
  const span = tokens.slice(i, i + entry.written.length);
  if (span.length < entry.written.length) return false;
  for (let k = 0; k < span.length; k++) {
    if (span[k]?.lower !== entry.written[k]) return false;
    if (k > 0 && !JOINER.test(text.slice(span[k - 1]?.end ?? 0, span[k]?.start ?? 0))) return false;
  }
  // An acronym's plural keeps its capitals: "AZs", "PIRs".
  const letters = span.map((t) => t.raw).join('').replace(/[^A-Za-z]/g, '').replace(/(?<=[A-Z]{2})s$/, '');
  const capitals = letters.length >= 2 && letters === letters.toUpperCase();
  const { after, before, notAfter, notBefore, lower, upper } = entry.when;
  const prev = tokens[i - 1]?.lower;
  const next = tokens[i + entry.written.length]?.lower;
  if (lower && capitals) return false;
  if (upper && !capitals) return false;
  if (after && !passes(after, prev)) return false;
  if (before && !passes(before, next)) return false;
  if (notAfter && passes(notAfter, prev)) return false;
  if (notBefore && passes(notBefore, next)) return false;
  return true;
}

/**
 * The question with its shorthand written out and its request fillers left out, for query
 * expansion: "pw min length?" → "password minimum length?", "Let us know if prod is on k8s" →
 * " if production is on k8s". Text it has nothing to say about comes back unchanged.
 */
export function spellOut(text: string, shorthand: Shorthand = loadShorthand()): string {
  const tokens: Token[] = [...text.matchAll(WORD)].map((m) => ({ raw: m[0], lower: m[0].toLowerCase(), start: m.index, end: m.index + m[0].length }));
  let out = '';
  let at = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    const entry = shorthand.byFirst.get(t.lower)?.find((e) => fits(e, tokens, i, text));
    if (!entry) continue;
    const last = tokens[i + entry.written.length - 1] as Token;
    out += `${text.slice(at, t.start)}${entry.kind === 'spell' ? entry.spelled : ' '}`;
    at = last.end;
    i += entry.written.length - 1;
  }
  return at === 0 ? text : out + text.slice(at);
}
