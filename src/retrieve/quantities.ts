/**
 * Questions that ask for a figure: a deadline ("within 30 days", 24時間以内), a period or a
 * count ("how long", "how many generations", 何世代), or a figure by its name ("What is the
 * RTO?", 「ログの保存期間は？」). A row about the same subject that states
 * no such figure, or a different one, is not a "yes" to them: the trial drafted "yes" to
 * "are patches applied within 30 days?" from a row that names no period at all. This module
 * reads what figure a question asks for and whether a row states it; retrieve.ts gives a row
 * that does not a caution (./caution.ts: no bare yes, flagged, the figure named in the reason).
 * Units and question words are data (lexicon/quantities.tsv).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { LEXICON_DIR, stem } from './lexicon.js';
import { EN_STOP } from './expand.js';
import { escapeRegExp, firstWord, hasWord, isLatin, longestFirst, wordPattern, wordsPattern, type WordEdges } from '../regexp.js';

interface Unit {
  dimension: string;
  name: string;
  size: number;
  variant: string;
}

interface Table {
  units: Unit[];
  asks: Array<{ dimension: string; phrase: string }>;
  /** Words asking for a figure in general terms ("how often", 頻度): ranked for, never checked (looseFigureAsk). */
  loose: Array<{ dimension: string; phrase: string }>;
  bounds: Array<{ kind: 'within' | 'at least'; phrase: string }>;
  periods: string[];
  /** English number words and their values ("two" 2, "twenty-four" 24). */
  numbers: Array<{ word: string; value: number }>;
  /** Bounds before which "a"/"an" is one ("within an hour"). */
  articles: string[];
  /** Words asking for round-the-clock coverage (24/7, 24時間365日). */
  always: string[];
  /** Words limiting coverage to some hours or days (平日, business hours). */
  hours: string[];
  /** Words right after a figure that make it a lead time (7日前までに, "7 days in advance"): at least that long before. */
  lead: string[];
  /** Words for a deadline of no time at all (immediately, 直ちに). */
  immediate: string[];
  /** Words a row meets such a deadline with, too loose to be asked as one (promptly, 速やか). */
  prompt: string[];
  /** Words for a period without end (無期限, indefinitely): longer than any retention period asked. */
  forever: string[];
  /** Words right after a Japanese question word that make it "many", not a question (何回も, 何日も). */
  indefinite: string[];
  /** Words saying a period asked is how long copies are kept (保持, 残っ, "keep"): generations of a periodic copy state it. */
  kept: string[];
  /** Periods a frequency is counted per, with how many there are in a year (年 1, month 12). */
  per: Array<{ perYear: number; variant: string }>;
  /** English counts of a frequency (once 1, twice 2). */
  times: Array<{ value: number; word: string }>;
  /** Frequencies in one word (daily, 四半期ごと), in times a year, with the line's English word for it (its first: "hourly" for 毎時). */
  frequency: Array<{ perYear: number; phrase: string; en: string }>;
  /**
   * Words that make a figure asked with no bound word a bound, for one dimension: more is better
   * for a retention period or a number of generations (「20世代保持」 asks at least 20), less for a
   * recovery time or a notification deadline ("RTO of 4 hours" asks at most 4).
   */
  bare: Array<{ kind: 'within' | 'at least'; dimension: string; phrase: string }>;
  /** Figures known by their name (RTO, 保存期間, "session timeout"): asked for by a question asking what the name's value is. */
  named: Array<{ dimension: string; phrase: string }>;
  /** English openings asking what a named figure is ("what is", "please state"). */
  valueEn: string[];
  /** Japanese words right after a named figure asking what it is (「は?」, 「を教え」). */
  valueJa: string[];
  /**
   * Words that say what kind of figure is asked, not what it is of (保存期間, "kept", "retention"
   * for a period): left out of the subject a row must be about (figureSubject).
   */
  kinds: Array<{ dimension: string; phrase: string }>;
  /** A row's words for a figure it states none of: done as needed (dimension frequency), given on request (any). */
  hedges: Array<{ dimension: string; phrase: string }>;
}

const UnitLine = z.tuple([z.literal('unit'), z.string().min(1), z.string().min(1), z.coerce.number().positive(), z.string().min(1)]);
const AskLine = z.tuple([z.enum(['ask', 'loose']), z.string().min(1), z.string().min(1)]);
const BoundLine = z.tuple([z.literal('bound'), z.enum(['within', 'at least']), z.string().min(1)]);
const PeriodLine = z.tuple([z.literal('period'), z.string(), z.string().min(1)]);
const NumberLine = z.tuple([z.literal('number'), z.coerce.number().positive(), z.string().min(1)]);
const ListLine = z.tuple([z.enum(['article', 'always', 'hours', 'lead', 'immediate', 'prompt', 'forever', 'indefinite', 'kept']), z.string(), z.string().min(1)]);
const RateLine = z.tuple([z.enum(['per', 'times', 'frequency']), z.coerce.number().positive(), z.string().min(1)]);
const BareLine = z.tuple([z.literal('bare'), z.enum(['within', 'at least']), z.string().min(1), z.string().min(1)]);
const DimensionLine = z.tuple([z.enum(['named', 'kind', 'hedge']), z.string().min(1), z.string().min(1)]);
const ValueLine = z.tuple([z.enum(['value-en', 'value-ja']), z.string(), z.string().min(1)]);

const split = (list: string): string[] => list.split('|').map((v) => v.normalize('NFKC').toLowerCase().trim()).filter((v) => v !== '');

export function parseQuantities(text: string): Table {
  const table: Table = { units: [], asks: [], loose: [], bounds: [], periods: [], numbers: [], articles: [], always: [], hours: [], lead: [], immediate: [], prompt: [], forever: [], indefinite: [], kept: [], per: [], times: [], frequency: [], bare: [], named: [], valueEn: [], valueJa: [], kinds: [], hedges: [] };
  for (const line of text.split('\n').map((l) => l.trim())) {
    if (line === '' || line.startsWith('#')) continue;
    const cells = line.split('\t');
    if (cells[0] === 'unit') {
      const [, dimension, name, size, list] = UnitLine.parse(cells);
      for (const variant of split(list)) table.units.push({ dimension, name, size, variant });
    } else if (cells[0] === 'ask' || cells[0] === 'loose') {
      const [role, dimension, list] = AskLine.parse(cells);
      for (const phrase of split(list)) table[role === 'ask' ? 'asks' : 'loose'].push({ dimension, phrase });
    } else if (cells[0] === 'number') {
      const [, value, list] = NumberLine.parse(cells);
      for (const word of split(list)) table.numbers.push({ word, value });
    } else if (cells[0] === 'article' || cells[0] === 'always' || cells[0] === 'hours' || cells[0] === 'lead' || cells[0] === 'immediate' || cells[0] === 'prompt' || cells[0] === 'forever' || cells[0] === 'indefinite' || cells[0] === 'kept') {
      const [role, , list] = ListLine.parse(cells);
      table[role === 'article' ? 'articles' : role].push(...split(list));
    } else if (cells[0] === 'per' || cells[0] === 'times' || cells[0] === 'frequency') {
      const [role, value, list] = RateLine.parse(cells);
      const phrases = split(list);
      const en = phrases.find((v) => /^[a-z]/i.test(v)) ?? phrases[0] ?? '';
      for (const v of phrases) {
        if (role === 'per') table.per.push({ perYear: value, variant: v });
        else if (role === 'times') table.times.push({ value, word: v });
        else table.frequency.push({ perYear: value, phrase: v, en });
      }
    } else if (cells[0] === 'bare') {
      const [, kind, dimension, list] = BareLine.parse(cells);
      for (const phrase of split(list)) table.bare.push({ kind, dimension, phrase });
    } else if (cells[0] === 'named' || cells[0] === 'kind' || cells[0] === 'hedge') {
      const [role, dimension, list] = DimensionLine.parse(cells);
      for (const phrase of split(list)) table[role === 'named' ? 'named' : role === 'kind' ? 'kinds' : 'hedges'].push({ dimension, phrase });
    } else if (cells[0] === 'value-en' || cells[0] === 'value-ja') {
      const [role, , list] = ValueLine.parse(cells);
      table[role === 'value-en' ? 'valueEn' : 'valueJa'].push(...split(list));
    } else if (cells[0] === 'period') {
      table.periods.push(...split(PeriodLine.parse(cells)[2]));
    } else {
      const [, kind, list] = BoundLine.parse(cells);
      for (const phrase of split(list)) table.bounds.push({ kind, phrase });
    }
  }
  table.units.sort((a, b) => b.variant.length - a.variant.length);
  table.per.sort((a, b) => b.variant.length - a.variant.length);
  table.frequency.sort((a, b) => b.phrase.length - a.phrase.length);
  table.hedges.sort((a, b) => b.phrase.length - a.phrase.length);
  return table;
}

let loaded: Table | null = null;
const table = (): Table => (loaded ??= parseQuantities(readFileSync(new URL('quantities.tsv', LEXICON_DIR), 'utf8')));

/** The Japanese one-word frequencies (毎時, 四半期ごと) with the English word their line gives, longest first: a draft renders a row's cadence with it. */
export function japaneseFrequencies(): ReadonlyArray<{ phrase: string; en: string }> {
  return table().frequency.filter((f) => !/^[a-z]/i.test(f.phrase));
}

/** A unit right after its figure: nothing asked before it ("30days"). */
const AFTER_FIGURE: WordEdges = { before: '' };
const variantPattern = (v: string): string => wordPattern(v, AFTER_FIGURE);
/** A bound before "a"/"an": a whole word before, the article right after it. */
const BEFORE_ARTICLE: WordEdges = { after: '' };

/** Kanji numerals as checksheets write small figures (七世代, 三十日, 二十四時間). */
const KANJI_DIGITS = '〇一二三四五六七八九';
function kanjiNumber(s: string): number | null {
  if (!/^[〇一二三四五六七八九十百]+$/.test(s)) return null;
  let total = 0;
  let digit = 0;
  for (const ch of s) {
    const d = KANJI_DIGITS.indexOf(ch);
    if (d >= 0) digit = digit * 10 + d;
    else {
      total += (digit === 0 ? 1 : digit) * (ch === '百' ? 100 : 10);
      digit = 0;
    }
  }
  return total + digit;
}

/** A figure stated in a text: its value in the dimension's base unit. */
export interface Figure {
  dimension: string;
  value: number;
  /** As written ("30 days", "7世代"). */
  text: string;
  /** A period kept read from generations of a periodic copy (generationPeriods): the interval as written, the period in words (English with how it is read). */
  kept?: { every: string; en: string; ja: string };
}

const DATES = /\d{4}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?|\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}[/-]\d{1,2}[/-]\d{1,2}/g;

let figurePattern: RegExp | null = null;
let wordPatterns: Array<{ re: RegExp; to: string }> | null = null;

/**
 * English figures in words as digits: "two years" as "2 years", and "a"/"an" as 1 right after a
 * bound ("within an hour", "for at least a year"); elsewhere "a year" is a frequency ("once a
 * year"), not a figure.
 */
function digitsForWords(text: string): string {
  wordPatterns ??= numberWordPatterns();
  return wordPatterns.reduce((s, p) => s.replace(p.re, p.to), text);
}

function numberWordPatterns(): Array<{ re: RegExp; to: string }> {
  const t = table();
  const units = t.units.filter((u) => isLatin(u.variant)).map((u) => variantPattern(u.variant)).join('|');
  return [
    ...[...t.numbers].sort((a, b) => b.word.length - a.word.length).map((n) => ({ re: new RegExp(`(?<![a-z-])${escapeRegExp(n.word).replace(/[ -]/g, '[ -]')}(?=\\s+(?:${units}))`, 'g'), to: String(n.value) })),
    { re: new RegExp(`(${wordsPattern(t.articles, BEFORE_ARTICLE)})\\s+an?(?=\\s+(?:${units}))`, 'g'), to: '$1 1' },
  ];
}

/**
 * Rows recur from one ask to the next (a product's candidates), and one ask reads a row's clauses
 * several times (statesQuantity, failingFigure, subjectFigures, aboutSubject): reading figures was
 * most of an ask's time at 100k rows (`npm run bench`), so a text's figures are kept, up to a bound.
 * Callers never change the arrays returned.
 */
const FIGURE_CACHE_LIMIT = 20_000;
const figureCache = new Map<string, readonly Figure[]>();

function figuresIn(text: string): readonly Figure[] {
  const known = figureCache.get(text);
  if (known) return known;
  const found = readFigures(text);
  if (figureCache.size >= FIGURE_CACHE_LIMIT) figureCache.clear();
  figureCache.set(text, found);
  return found;
}

function readFigures(text: string): Figure[] {
  const t = table();
  // English puts a noun between a count and its counter ("30 backup generations", "7 daily
  // copies"): up to two words for a count unit; a time unit must follow its number.
  figurePattern ??= new RegExp(`(\\d+(?:\\.\\d+)?|[〇一二三四五六七八九十百]+)\\s*(?:-\\s*)?(?:(${t.units.map((u) => variantPattern(u.variant)).join('|')})|(?:[a-z][a-z-]*\\s+){1,2}(${t.units.filter((u) => u.dimension === 'count' && isLatin(u.variant)).map((u) => variantPattern(u.variant)).join('|')}))`, 'g');
  // Dates are not durations: 2024年4月1日 states neither 2024 years nor one day.
  const normal = digitsForWords(
    text
      .normalize('NFKC')
      .toLowerCase()
      .replace(/(\d),(?=\d{3})/g, '$1')
      // Addresses are not figures: a URL's %E3%82 escapes would read as percentages.
      .replace(/https?:\/\/\S+|(?:%[0-9a-f]{2})+/g, ' ')
      .replace(DATES, ' '),
  );
  // 年2回 is a frequency, not a year and a count: frequencies are read first and blanked.
  const { found: out, rest } = frequenciesIn(normal);
  for (const m of rest.matchAll(figurePattern)) {
    const n = /^\d/.test(m[1] ?? '') ? Number(m[1]) : kanjiNumber(m[1] ?? '');
    const unit = t.units.find((u) => u.variant === (m[2] ?? m[3]));
    if (n === null || !unit) continue;
    out.push({ dimension: unit.dimension, value: n * unit.size, text: m[0].trim() });
  }
  return out;
}

const numberOf = (s: string): number | null => (/^\d/.test(s) ? Number(s) : kanjiNumber(s));

interface RatePattern {
  re: RegExp;
  /** Times a year for a match. */
  value: (m: RegExpMatchArray) => number | null;
}
let ratePatterns: RatePattern[] | null = null;

/**
 * How often something is done, in times a year: 年2回, 年間少なくとも1回, 1年に2回, 3か月ごと,
 * "twice a year", "3 times per year", "every 6 months", and one-word frequencies (daily, 四半期ごと).
 */
function rates(): RatePattern[] {
  if (ratePatterns) return ratePatterns;
  const t = table();
  const alt = (list: string[]): string => [...list].sort((a, b) => b.length - a.length).map(variantPattern).join('|');
  const perOf = (v: string | undefined): number | null => t.per.find((p) => p.variant === v)?.perYear ?? null;
  const ja = t.per.filter((p) => !isLatin(p.variant)).map((p) => p.variant);
  const en = t.per.filter((p) => isLatin(p.variant)).map((p) => p.variant);
  const num = '(\\d+|[〇一二三四五六七八九十]+)';
  const times = (w: string | undefined): number | null => t.times.find((x) => x.word === w)?.value ?? null;
  ratePatterns = [
    // 年2回, 年間少なくとも1回, 1年に2回, 毎月1回, 週に一度; not the end of a count of periods
    // (3ヶ月に1回, 24時間1回: the next pattern reads those whole, as once every three months).
    { re: new RegExp(`(?<![\\d.〇一二三四五六七八九十][ヶヵケカか箇]?)(?:毎|1|一|ひと)?(${alt(ja)})(?:に|あたり|当たり|で)?(?:少なくとも|最低でも|最低)?\\s*${num}\\s*(?:回|度)`, 'g'), value: (m) => mul(perOf(m[1]), numberOf(m[2] ?? '')) },
    // 3か月ごと, 6ヶ月に1回, 2週間おき (digits only: 四半期 is no "four half-years")
    { re: new RegExp(`(\\d+)\\s*(${alt(ja)})(?:ごと|毎|おき|に(?:1|一)(?:回|度))`, 'g'), value: (m) => div(perOf(m[2]), numberOf(m[1] ?? '')) },
    // "twice a year", "3 times per month", "once every quarter"
    { re: new RegExp(`(?<![a-z])(?:(${alt(t.times.map((x) => x.word))})|(\\d+)\\s+times)\\s+(?:a|an|per|each|every)\\s+(${alt(en)})`, 'g'), value: (m) => mul(perOf(m[3]), m[1] ? times(m[1]) : Number(m[2])) },
    // "every 6 months"
    { re: new RegExp(`(?<![a-z])every\\s+(\\d+)\\s+(${alt(en)})`, 'g'), value: (m) => div(perOf(m[2]), Number(m[1])) },
    // One word last, so that 毎年1回 is read whole.
    ...t.frequency.map((f) => ({ re: new RegExp(wordPattern(f.phrase), 'g'), value: () => f.perYear })),
  ];
  return ratePatterns;
}
const mul = (a: number | null, b: number | null): number | null => (a === null || b === null ? null : a * b);
const div = (a: number | null, b: number | null): number | null => (a === null || b === null || b === 0 ? null : a / b);

/** The frequencies a normalised text states (dimension `frequency`, times a year), and the text with them blanked. */
function frequenciesIn(normal: string): { found: Figure[]; rest: string } {
  const found: Figure[] = [];
  let rest = normal;
  for (const p of rates()) {
    for (const m of [...rest.matchAll(p.re)]) {
      const value = p.value(m);
      if (value === null || m.index === undefined) continue;
      found.push({ dimension: 'frequency', value, text: m[0].trim() });
      rest = rest.slice(0, m.index) + ' '.repeat(m[0].length) + rest.slice(m.index + m[0].length);
    }
  }
  return { found, rest };
}

/** What figure a question asks for. */
export interface AskedQuantity {
  /** time, count, or any (a "how many" whose unit the question does not name). */
  dimension: string;
  /** The figure the question states ("within 30 days"), or null for how long / how many. */
  figure: Figure | null;
  /** How a stated figure bounds the answer: a row with a stricter one meets it. */
  bound: 'within' | 'at least' | 'exactly';
  /** The words of the question to name in a reason. */
  text: string;
  /** A deadline of no time at all ("immediately", 直ちに): see IMMEDIATE_MEETS and IMMEDIATE_FAILS. */
  immediate?: boolean;
  /**
   * What the figure is asked of: the question's words beside the figure (English stems,
   * Japanese runs of kanji or katakana). A row's figure is read from its sentence about them:
   * "triaged within 1 hour" is no answer to "notified within 24 hours?" beside "notified within 72 hours".
   */
  subject?: string[];
  /** The events the question counts its figure from (契約終了後, "after termination"): see clausesOf. */
  events?: string[];
  /** Each figure, when the question states more than one ("RPO within 1 hour, RTO within 4 hours"), read from its own part of it. */
  each?: AskedQuantity[];
  /** A period asked is how long copies are kept (lexicon `kept`): a row's generations of a periodic copy state it (generationPeriods). */
  kept?: boolean;
}

/** Asked "immediately", a row's deadline of at most an hour meets it (in minutes, the time unit)… */
const IMMEDIATE_MEETS = 60;
/** …and one of more than a day ("30 days after the contract ends") fails it; in between the row states no answer. */
const IMMEDIATE_FAILS = 1440;
/** Frequencies counted per different periods (12 a year, 52 a year) compare within a few percent. */
const RATE_SLACK = 0.05;

let boundAfter: RegExp | null = null;
/**
 * The text with each bound written after its figure as "or"/"and" and a word ("a year or
 * longer", "7 or more", "90 days or less") masked, same length: it says which way the figure
 * binds, and is no second thing asked beside it (./subquestions.ts coordination). Split there,
 * "…for a year or longer?" became two asks, one of them with no figure, whose yes made a plain no
 * partial.
 */
export function boundsMasked(text: string): string {
  boundAfter ??= new RegExp(wordsPattern(table().bounds.map((b) => b.phrase).filter((p) => /^(?:or|and) /u.test(p))), 'giu');
  return text.replace(boundAfter, (m) => '\u0003'.repeat(m.length));
}

/** The figure the question asks for, or null when it asks for none. */
export function askedQuantity(question: string): AskedQuantity | null {
  const asked = readAsked(question);
  if (!asked) return null;
  const normal = question.normalize('NFKC').toLowerCase();
  const words = subjectWords(normal.replace(asked.text, ' '));
  const events = eventsOf(normal);
  const each = eachStated(normal, events);
  const kept = asked.dimension === 'time' && asked.bound !== 'within' && mentionsAny(normal, table().kept) !== undefined;
  return { ...asked, ...(words.length > 0 ? { subject: words } : {}), ...(events.length > 0 ? { events } : {}), ...(each.length > 1 ? { each } : {}), ...(kept ? { kept } : {}) };
}

/** Words between two figures of a question that end the first one's part (「、」, "and"). */
const PART_END = /[、,;]|(?<![a-z])and(?![a-z])|および|及び|かつ|また/;

/**
 * Each bounded figure a question states, read from its own part: "RPO within 1 hour and RTO
 * within 4 hours" is checked as two questions, each against the row's clause about its own
 * subject (new-user trial s13: the RPO met, the RTO did not, and the answer was yes). None
 * unless two or more are, each in a part of its own.
 */
function eachStated(normal: string, events: string[]): AskedQuantity[] {
  const text = digitsForWords(normal);
  const at = [...new Set(figuresIn(text).map((f) => text.indexOf(f.text)).filter((i) => i >= 0))].sort((a, b) => a - b);
  if (at.length < 2) return [];
  const cuts: number[] = [];
  for (let i = 0; i + 1 < at.length; i++) {
    const from = at[i] ?? 0;
    const between = text.slice(from, at[i + 1]);
    // The first figure's own words end where the part does: past the figure, at a separator.
    const figureEnd = /^[^\s、,;]*/.exec(between)?.[0].length ?? 0;
    const cut = between.slice(figureEnd).search(PART_END);
    if (cut < 0) return [];
    cuts.push(from + figureEnd + cut);
  }
  const parts = [0, ...cuts].map((start, i) => text.slice(start, cuts[i] ?? text.length));
  return parts.flatMap((part) => {
    const asked = readAsked(part);
    if (!asked?.figure || asked.bound === 'exactly' || asked.immediate) return [];
    const words = subjectWords(part.replace(asked.text, ' '));
    return [{ ...asked, ...(words.length > 0 ? { subject: words } : {}), ...(events.length > 0 ? { events } : {}) }];
  });
}

/**
 * For a question stating several figures: the first that the row's clause about its own
 * subject fails, as written, and one it meets (partial, named in the reason); null when none fails.
 */
export function figuresFailing(asked: AskedQuantity, row: string): { figure: string; stated: string; met: string | null } | null {
  const each = asked.each ?? [];
  for (const one of each) {
    const stated = failingFigure(one, row);
    if (stated) return { figure: one.text, stated, met: each.find((o) => o !== one && statesQuantity(o, row))?.text ?? null };
  }
  return null;
}

/**
 * The text a row's figures are read from: its answer, and its requirement too when the answer
 * is a bare value (「2回」, "20 generations"): the requirement says what the value counts
 * (「1年間に発生した障害件数」).
 */
export function figureEvidence(answer: string, requirement: string): string {
  const words = answer.normalize('NFKC').replace(/[\d.,%\s:：()（）]/g, '');
  return answer !== '' && words.length <= BARE_VALUE && requirement !== '' ? `${requirement}\n${answer}` : answer || requirement;
}
/** Characters beside the digits of a bare value: a counter and a particle (「2回」「20世代分」「2年間」). */
const BARE_VALUE = 3;

/**
 * A figure asked in general words ("how often are backups tested?", 「どのくらいの間隔で診断していますか」),
 * for ranking only: the row stating a frequency about the subject is the answer when there is
 * one, but such a question is also answered by a row saying 定期的に, so it is not a figure asked
 * (askedQuantity: no row is cautioned for stating none). Null when the question asks a figure
 * askedQuantity reads, or none in general words.
 */
export function looseFigureAsk(question: string): AskedQuantity | null {
  if (askedQuantity(question)) return null;
  const normal = question.normalize('NFKC').toLowerCase();
  const ask = table().loose.find((a) => hasWord(normal, a.phrase));
  if (!ask) return null;
  const words = subjectWords(normal.replace(ask.phrase, ' '));
  return { dimension: ask.dimension, figure: null, bound: 'exactly', text: ask.phrase, ...(words.length > 0 ? { subject: words } : {}) };
}

/** Question words that say nothing of what a figure is about. */
const QUESTION_WORDS = new Set(['can', 'could', 'do', 'does', 'did', 'is', 'are', 'was', 'were', 'you', 'your', 'we', 'our', 'least', 'within', 'under', 'than', 'less', 'longer', 'shorter', 'after', 'before', 'every']);

let periodPattern: RegExp | null = null;

/**
 * The period a figure is reported over ("over the last twelve months", "for the past year", 「直近1年」):
 * when the figure was measured, not what it is about. Read as the subject, "last" had
 * to be near a row's figure, and "what was your uptime over the last twelve months?" found no row
 * stating it beside 「99.989%(直近1年の実績)」 (blind trial s29). Read as quantities.tsv writes it: a
 * period word (`period`), an optional count (a number or `number` word) and a time unit.
 */
function reportingPeriod(): RegExp {
  if (periodPattern) return periodPattern;
  const t = table();
  const count = `(?:\\d+|${wordsPattern(t.numbers.map((n) => n.word))})`;
  const units = wordsPattern(t.units.filter((u) => u.dimension === 'time').map((u) => u.variant));
  periodPattern = new RegExp(`(?:${wordsPattern(t.periods)})\\s*(?:${count}\\s*)?(?:${units})`, 'gu');
  return periodPattern;
}

/** A text's content words for telling what a figure is about: English stems, Japanese runs of kanji or katakana. */
function subjectWords(given: string): string[] {
  const text = given.replace(reportingPeriod(), ' ');
  const english = (text.match(/[a-z][a-z-]*/g) ?? []).filter((w) => w.length > 2 && !EN_STOP.has(w) && !QUESTION_WORDS.has(w) && !table().units.some((u) => u.variant === w)).map(stem);
  const japanese = (text.match(/[\p{Script=Han}\p{Script=Katakana}ー]{2,}/gu) ?? []).filter((r) => !table().units.some((u) => u.variant === r));
  return [...new Set([...english, ...japanese])];
}

/** A clause of a row: its words and the figures it states, of every kind. */
interface Clause {
  text: string;
  figures: Figure[];
}

/**
 * A row's clauses: a sentence is cut only between its figures, so that the words before a
 * figure (「RTOについては、1営業日」) and after the last one (「30日後に、入力データ…を消去します」)
 * are the clause's. A deadline counted from another clause's event (「その7日後」, 「消去から
 * 2週間」, "14 days after that") is counted on from that clause's figure, unless the question
 * counts from the same event: "erased within 14 days of the contract ending" is not met by
 * backups erased two weeks after data erased 30 days after it (new-user trial s13).
 */
function clausesOf(asked: AskedQuantity, text: string): Clause[] {
  const out: Clause[] = [];
  // Asked "immediately", a row's word for it is read by meets itself.
  const deadline = asked.dimension === 'time' && asked.bound === 'within' && !asked.immediate;
  const sentences = text.normalize('NFKC').split(/(?<=[.!?;])\s+|[。\n；;]+/);
  const sentenceOf: number[] = [];
  for (const [at, sentence] of sentences.entries()) {
    const first = out.length;
    let pending: string[] = [];
    for (const piece of sentence.split(/、+|,\s+|\s+(?=and\s)/)) {
      const figures = statedFigures(piece, deadline);
      if (figures.length === 0) pending.push(piece);
      else {
        out.push({ text: [...pending, piece].join('、'), figures });
        pending = [];
      }
    }
    const last = out[out.length - 1];
    if (last && out.length > first && pending.length > 0) last.text = [last.text, ...pending].join('、');
    while (sentenceOf.length < out.length) sentenceOf.push(at);
  }
  if (asked.kept) generationPeriods(asked, out, sentenceOf);
  if (asked.dimension !== 'time' || asked.bound !== 'within') return out;
  let before: Figure | undefined;
  for (const clause of out) {
    clause.figures = clause.figures.map((f) => {
      const on = f.dimension === 'time' && before && countedOn(asked, clause.text, f) ? { ...f, value: before.value + f.value, text: `${before.text} + ${f.text}` } : f;
      if (on.dimension === 'time') before = on;
      return on;
    });
  }
  return out;
}

const GENERATION_UNITS = new Set(['generation']);

/**
 * Generations of a periodic copy as the period they reach back (blind trial s21): 「日次でバックアップを取得しています。
 * バックアップは、7世代分保管されます。」 keeps 7 days of backups, 「毎週取得し4世代保持」 4 weeks, and a question asking
 * how many days are kept, or whether they are kept at least 30 days, is answered by that period (generations × the
 * interval), added to the clause stating the generations, as written there (「7世代分」: the words the row holds, which
 * figure-rows.ts ranks by). Only when the copies are clearly the same: the interval is stated in the generations' own
 * sentence, or in a clause of another that names the question's subject (バックアップ, "snapshots") or a noun of the
 * generations' clause (an English question read against a Japanese row names its subject in other words), and the row states one
 * interval only (日次 and 月次 side by side say which generations are which no better than a person would guess).
 * Generations with no interval stay a count.
 */
function generationPeriods(asked: AskedQuantity, clauses: Clause[], sentenceOf: number[]): void {
  const t = table();
  const generation = (f: Figure): boolean => f.dimension === 'count' && t.units.some((u) => GENERATION_UNITS.has(u.name) && f.text.endsWith(u.variant));
  const subject = asked.subject ?? [];
  const names = (text: string): boolean => {
    const lower = text.toLowerCase();
    const stems = new Set((lower.match(/[a-z][a-z-]*/g) ?? []).map(stem));
    return subject.some((w) => stems.has(w) || (!/^[a-z-]+$/.test(w) && lower.includes(w)));
  };
  for (const [i, clause] of clauses.entries()) {
    const kept = clause.figures.filter(generation);
    if (kept.length === 0 || clause.figures.some((f) => f.dimension === 'time' && !generation(f))) continue;
    const own = new Set(nouns(clause.text));
    const rates = clauses.flatMap((c, j) => (sentenceOf[j] === sentenceOf[i] || names(c.text) || nouns(c.text).some((w) => own.has(w)) ? c.figures.filter((f) => f.dimension === 'frequency' && f.value > 0) : []));
    const intervals = new Set(rates.map((f) => Math.round(MINUTES_A_YEAR / f.value)));
    const [minutes] = [...intervals];
    const every = rates[0]?.text;
    const interval = minutes === undefined ? null : calendarInterval(minutes);
    if (intervals.size !== 1 || !interval || every === undefined) continue;
    clause.figures = [
      ...clause.figures,
      ...kept.map((f) => {
        const n = f.value * interval.count;
        // The unit's shortest Japanese word (日, not 営業日).
        const ja = t.units.filter((u) => u.name === interval.unit.name && !isLatin(u.variant)).sort((a, b) => a.variant.length - b.variant.length)[0]?.variant ?? '';
        const plural = (k: number): string => `${k} ${interval.unit.name}${k === 1 ? '' : 's'}`;
        const en = `${plural(n)} (${f.value} generations of a copy taken every ${interval.count === 1 ? interval.unit.name : plural(interval.count)})`;
        return { dimension: 'time', value: n * interval.unit.size, text: f.text, kept: { every, en, ja: `${n}${ja}分` } };
      }),
    ];
  }
}

/**
 * An interval in minutes as a whole number of calendar units (weekly's 525,600/52 minutes is one week, not 10,108
 * minutes): the largest time unit it is a multiple of, within the slack time figures compare with. Null for none.
 */
function calendarInterval(minutes: number): { count: number; unit: Unit } | null {
  const units = table().units.filter((u, i, all) => u.dimension === 'time' && all.findIndex((v) => v.name === u.name) === i);
  for (const unit of [...units].sort((a, b) => b.size - a.size)) {
    const count = Math.round(minutes / unit.size);
    if (count >= 1 && Math.abs(count * unit.size - minutes) <= minutes * TIME_SLACK) return { count, unit };
  }
  return null;
}

/**
 * The period a row keeps copies for, read from its generations of a periodic copy (「日次で…7世代分保管」: 7 days),
 * when the question asks how long copies are kept: the drafter names it (src/draft/phrasing.ts) as the judgement
 * read it. Null when the question asks no such period or the row states none so.
 */
export function keptPeriod(question: string, row: string): Figure | null {
  const asked = askedQuantity(question);
  if (!asked?.kept) return null;
  return aboutSubject(asked, row).found.find((f) => f.kept) ?? null;
}
/**
 * A clause's nouns that can say two clauses are about the same copies: English stems and runs of kanji or katakana of
 * three characters or more (バックアップ, データベース; not a two-kanji verb such as 取得 or 保管 every row uses), never a
 * word for a figure's kind or unit.
 */
function nouns(text: string): string[] {
  return subjectWords(text.normalize('NFKC').toLowerCase()).filter((w) => w.length >= 3 && !isFigureWording(w));
}
/** Minutes in a year: a frequency's interval is this over its times a year (daily: 1,440). */
const MINUTES_A_YEAR = 525600;

/** Words saying a figure counts from the previous clause's event: その7日後, "7 days later". */
const FROM_THEN = /(?:その後?|それから|そこから)\s*$/;
const THEN_AFTER = /^\s*(?:later|thereafter|afterwards|after\s+(?:that|this|which))(?![a-z])/;
/** An event a figure counts from, as Japanese writes it before the figure (消去から, 削除後) and English after it ("after deletion"). */
const EVENT_JA = String.raw`([\p{Script=Han}\p{Script=Katakana}ー]{2,})(?:から|の後|後)`;
const EVENT_EN = String.raw`(?:after|following|from)\s+(?:the\s+|its\s+)?([a-z]+)`;
/** The event a row's figure counts from: 「消去から2週間」, 「削除後7日」, "14 days after deletion". */
const EVENT_BEFORE = new RegExp(`${EVENT_JA}\\s*$`, 'u');
const EVENT_AFTER = new RegExp(`^\\s*${EVENT_EN}`);

/** Whether a row's figure counts from an event other than the one the question counts from. */
function countedOn(asked: AskedQuantity, clause: string, f: Figure): boolean {
  const lower = clause.toLowerCase();
  const at = lower.indexOf(f.text);
  if (at < 0) return false;
  const head = lower.slice(0, at);
  const tail = lower.slice(at + f.text.length).replace(/^後/, '');
  if (FROM_THEN.test(head) || THEN_AFTER.test(tail)) return true;
  const event = EVENT_BEFORE.exec(head)?.[1] ?? EVENT_AFTER.exec(tail)?.[1];
  if (!event) return false;
  const own = asked.events ?? [];
  return !own.some((e) => e.includes(event) || event.includes(e) || (/^[a-z]+$/.test(event) && stem(event) === stem(e)));
}

/** The events a question counts its figure from (契約終了後, "after termination"). */
function eventsOf(normal: string): string[] {
  const ja = [...normal.matchAll(new RegExp(EVENT_JA, 'gu'))].map((m) => m[1] ?? '');
  // A question also counts "within 30 days of termination".
  const en = [...normal.matchAll(new RegExp(`(?<![a-z])(?:${EVENT_EN}|of\\s+(?:the\\s+|its\\s+)?([a-z]+))`, 'g'))].map((m) => m[1] ?? m[2] ?? '');
  return [...ja, ...en].filter((e) => e !== '');
}

/**
 * The figures a text states, with a period without end (無期限, indefinitely) as a time longer
 * than any, and, for a deadline asked (`deadline`: "within 30 days"), a word for no time at all
 * (即時, immediately) as a time of none: 「重要なアップデートは即時対応」 meets any deadline, and
 * was read as stating no figure (new-user trial s14). Not for a period asked to be long enough:
 * an alert sent immediately says nothing of how long logs are kept.
 */
function statedFigures(text: string, deadline: boolean): Figure[] {
  const lower = text.normalize('NFKC').toLowerCase();
  const forever = mentionsAny(lower, table().forever);
  const now = deadline ? mentionsAny(lower, table().immediate) : undefined;
  return [...figuresIn(text), ...(forever ? [{ dimension: 'time', value: Number.POSITIVE_INFINITY, text: forever }] : []), ...(now ? [{ dimension: 'time', value: 0, text: now }] : [])];
}

/**
 * The clauses of a row whose figures answer the question, and those figures: of the clauses
 * stating a figure of the kind asked ("the RTO is 4 hours and the RPO is 24 hours" is two), the
 * ones naming most of the question's subject; the whole row when none names any (a checksheet
 * cell is one statement about its item). A frequency asked of a row stating a count over a
 * period (「1年間に発生した障害件数 2回」) is read as that count per period.
 */
function aboutSubject(asked: AskedQuantity, text: string): { text: string; found: Figure[] } {
  const kind = (f: Figure): boolean => asked.dimension === 'any' || f.dimension === asked.dimension;
  // A period asked with no event ("how long are backups kept?") is not a deadline counted from
  // one: 「契約終了翌日から30日後に消去」 and 「消去から2週間」 say when data goes after the contract,
  // not how long backups are kept (new-user trial s14).
  const plainPeriod = asked.dimension === 'time' && asked.bound !== 'within' && (asked.events ?? []).length === 0;
  const clauses = clausesOf(asked, text).map((c) => (plainPeriod ? { ...c, figures: c.figures.filter((f) => !countedOn(asked, c.text, f)) } : c));
  const whole = { text, found: clauses.flatMap((c) => c.figures.filter(kind)) };
  const parts = clauses.filter((c) => c.figures.some(kind));
  const subject = asked.subject ?? [];
  const chosen = (() => {
    if (subject.length === 0 || parts.length < 2) return whole;
    const named = parts.map((p) => {
      const lower = p.text.toLowerCase();
      const stems = new Set((lower.match(/[a-z][a-z-]*/g) ?? []).map(stem));
      return subject.filter((w) => stems.has(w) || (!/^[a-z-]+$/.test(w) && lower.includes(w))).length;
    });
    const most = Math.max(...named);
    const best = parts.filter((_, i) => named[i] === most);
    return most === 0 ? whole : { text: best.map((p) => p.text).join('\n'), found: best.flatMap((p) => p.figures.filter(kind)) };
  })();
  if (asked.dimension !== 'frequency' || chosen.found.length > 0) return chosen;
  const rate = countOverPeriod(text);
  return rate ? { text, found: [rate] } : chosen;
}

/** A count stated beside the period it is counted over (「1年間に発生した件数… 2回」, "3 incidents in the last 12 months"), as a frequency. */
function countOverPeriod(text: string): Figure | null {
  const lower = text.normalize('NFKC').toLowerCase();
  const count = /(?<![\d.])(\d+)\s*(?:回|件)(?![\p{Script=Han}])|(?<![\d.])(\d+)\s+(?:times|incidents?|outages?)(?![a-z])/u.exec(lower);
  if (!count) return null;
  const period = figuresIn(lower).find((f) => {
    if (f.dimension !== 'time') return false;
    const at = lower.indexOf(f.text);
    return /^(?:間)?(?:に|の間に|で|あたり|当たり|中)/.test(lower.slice(at + f.text.length)) || /(?:in|during|over|per|within)\s+(?:the\s+)?(?:past\s+|last\s+|previous\s+)?$/.test(lower.slice(0, at));
  });
  const n = Number(count[1] ?? count[2]);
  return period && period.value > 0 ? { dimension: 'frequency', value: (n * 525600) / period.value, text: `${period.text}: ${count[0].trim()}` } : null;
}

function readAsked(question: string): AskedQuantity | null {
  const t = table();
  const normal = digitsForWords(question.normalize('NFKC').toLowerCase());
  const asking = t.asks.find((a) => asksByWord(normal, a.phrase));
  // A figure inside the words asking (「1年に何回」: how many times a year) is the ask's own period, not a figure stated.
  const askedAt = asking ? normal.indexOf(asking.phrase) : -1;
  const inAsk = (at: number, length: number): boolean => askedAt >= 0 && at < askedAt + (asking?.phrase.length ?? 0) && at + length > askedAt;
  // "availability over the past 1 year": the figure is the period counted over, not the one asked.
  // A frequency beside another figure ("monthly uptime of 99.95%", "daily backups kept 30 days") qualifies it: the other is asked.
  const stated = [...figuresIn(normal)]
    .sort((a, b) => Number(a.dimension === 'frequency') - Number(b.dimension === 'frequency'))
    .find((f) => {
      const at = normal.indexOf(f.text);
      const before = normal.slice(0, at).trimEnd();
      return !t.periods.some((p) => before.endsWith(p)) && !inAsk(at, f.text.length);
    });
  // "How many outages happen each year?": the frequency is the period counted over; the count is asked.
  if (stated?.dimension === 'frequency' && !asking) {
    // A frequency asked is a floor: done more often meets it (年2回 asked, 毎月 done), unless the question caps it.
    const at = normal.indexOf(stated.text);
    const around = `${normal.slice(Math.max(0, at - 20), at)} ${normal.slice(at, at + stated.text.length + 12)}`;
    const bound = t.bounds.find((b) => hasWord(around, b.phrase));
    return { dimension: 'frequency', figure: stated, bound: bound?.kind === 'within' ? 'within' : 'at least', text: stated.text };
  }
  if (stated && stated.dimension !== 'frequency') {
    const at = normal.indexOf(stated.text);
    // "within 30 days" / 30日以内: the bound sits just before (English) or just after (Japanese) the figure.
    const around = `${normal.slice(Math.max(0, at - 20), at)} ${normal.slice(at, at + stated.text.length + 12)}`;
    // 7日前までに, 1週間前には, "7 days in advance": notice given at least that long before, however
    // the deadline is worded (まで reads "within" elsewhere).
    const next = normal.slice(at + stated.text.length).replace(/^['’]s?/, '').trimStart();
    const lead = longestFirst(t.lead).find((l) => new RegExp(`^${variantPattern(l)}`).test(next));
    if (lead) return { dimension: stated.dimension, figure: stated, bound: 'at least', text: isLatin(lead) ? `${stated.text} ${lead}` : `${stated.text}${lead}` };
    const bound = t.bounds.find((b) => hasWord(around, b.phrase));
    return { dimension: stated.dimension, figure: stated, bound: bound?.kind ?? bareBound(normal, stated.dimension), text: stated.text };
  }
  const immediate = mentionsAny(normal, t.immediate);
  if (immediate) return { dimension: 'time', figure: { dimension: 'time', value: 0, text: immediate }, bound: 'within', text: immediate, immediate: true };
  const ask = asking;
  if (!ask) return namedAsked(normal);
  // "how many backup generations": the unit named right after the question word decides what a
  // row must state ("over the past 12 months, how many incidents" asks a plain count).
  const after = normal.slice(normal.indexOf(ask.phrase) + ask.phrase.length).split(/\s+/).slice(0, 4).join(' ');
  const named = ask.dimension === 'any' ? t.units.find((u) => hasWord(after, u.variant)) : undefined;
  return { dimension: named?.dimension ?? ask.dimension, figure: null, bound: 'exactly', text: ask.phrase };
}

/**
 * Whether every 「何回」 of a question is 「何回も」: "many times", as in 「何回も間違えたら」, which
 * asks for no figure (a row about locking an account after failed logins was blanked for stating
 * no count). English question words have no such reading.
 */
function onlyIndefinite(normal: string, phrase: string, after: readonly string[]): boolean {
  if (isLatin(phrase)) return false;
  const rest = normal.split(phrase).slice(1);
  return rest.length > 0 && rest.every((r) => after.some((w) => r.startsWith(w)));
}

/**
 * Whether a text (NFKC, lower case) asks by a question word or phrase (何回, "how many"): holds it
 * somewhere other than as "many" (何回も: the lexicon's `indefinite` words). One reading, so that
 * the figure asked (readAsked) and the drafter's kind of answer (src/draft/phrasing.ts) agree.
 */
export function asksByWord(normal: string, word: string): boolean {
  return hasWord(normal, word) && !onlyIndefinite(normal, word, table().indefinite);
}

let namedPatterns: { en: RegExp; unit: RegExp; ja: RegExp } | null = null;

/**
 * A figure asked by its name: "What's the RTO for the service?", 「バックアップの保存期間は？」,
 * "What is the idle session timeout, in minutes?". The draft answers such a question with a
 * value (src/draft/phrasing.ts), so a row stating none of that kind is no answer; unread, such
 * a question got "yes" at high confidence from a row naming no RTO while the draft said the
 * evidence states none (new-user trial s14). English asks with an opening ("what is", up to
 * three words before the name) or a unit asked for ("…, in minutes?"), Japanese with the words
 * right after the name (「は?」, 「を教えてください」). The name is asked exactly: any figure of
 * its kind answers.
 */
function namedAsked(normal: string): AskedQuantity | null {
  const t = table();
  const start = String.raw`(?:^|[.?!:;]\s*)(?:and\s+|also\s+)?(?:${wordsPattern(t.valueEn)})`;
  namedPatterns ??= {
    // "Indicate whether the RTO is tested" asks no value: no whether or if before the name.
    en: new RegExp(`${start}\\s+(?:(?!whether\\b|if\\b)[^\\s?.,;]+\\s+){0,3}?(${wordsPattern(t.named.map((n) => n.phrase).filter(isLatin))})`),
    unit: new RegExp(`${start}[^?.]*?\\bin\\s+(${wordsPattern(t.units.filter((u) => isLatin(u.variant) && u.variant.endsWith('s')).map((u) => u.variant))})\\s*(?:[?.]|$)`),
    // A gloss in brackets may stand between the name and the words asking it (「目標復旧時点(RPO)は？」).
    ja: new RegExp(`(${wordsPattern(t.named.map((n) => n.phrase).filter((p) => !isLatin(p)))})\\s*(?:\\([^()]{1,20}\\)\\s*)?(?:${t.valueJa.map(escapeRegExp).join('|')})`),
  };
  const named = namedPatterns.en.exec(normal)?.[1] ?? namedPatterns.ja.exec(normal)?.[1];
  const dimension = named ? t.named.find((n) => n.phrase === named)?.dimension : undefined;
  if (named && dimension) return { dimension, figure: null, bound: 'exactly', text: named };
  const unit = namedPatterns.unit.exec(normal)?.[1];
  const of = unit ? t.units.find((u) => u.variant === unit) : undefined;
  return unit && of ? { dimension: of.dimension, figure: null, bound: 'exactly', text: `in ${unit}` } : null;
}

/**
 * How a figure asked with no bound word bounds the answer: customers write 「20世代保持していますか」
 * and "Is the RTO 4 hours?" meaning at least 20 and at most 4, and a row's 7世代 or 24 hours
 * answers no (new-user trial s12). Read so only for the kinds the lexicon's `bare` lines name,
 * and only when the question's words say one way alone; otherwise the figure is asked exactly.
 */
function bareBound(normal: string, dimension: string): AskedQuantity['bound'] {
  const kinds = new Set(table().bare.filter((b) => b.dimension === dimension && hasWord(normal, b.phrase)).map((b) => b.kind));
  const [only] = [...kinds];
  return kinds.size === 1 && only ? only : 'exactly';
}

const TIME_SLACK = 0.03;

/**
 * A cited row below the first that mentions at least half the ideas of the question's subject is
 * about it: a figure asked that it states answers the question (the draft quotes it,
 * src/draft/phrasing.ts figureRow), and the first row's silence on the figure is no caution.
 */
export const FIGURE_ROW_COVERAGE = 0.5;

/**
 * The question without the product's own name (「cybozu.comの従業員向けに…」, "Qloba PAGE's RTO"):
 * every row of the product is about the product, so its name tells nothing about which row states
 * the figure asked. Counted as subject, it let a row sharing only the product name and the kind of
 * figure (an audit row's 年1回 for a question on phishing drills) pass for a row about the subject
 * (new-user trial s14b). The key's parts may be written apart (qloba page) and with a domain (.com).
 */
function withoutProductName(normal: string, product: string | undefined): string {
  const parts = (product ?? '').toLowerCase().split(/[^a-z0-9]+/u).filter((p) => p !== '');
  if (parts.length === 0) return normal;
  return normal.replace(new RegExp(`${parts.map(escapeRegExp).join('[\\s\\-_・]*')}(?:\\.[a-z]{2,})*`, 'gu'), ' ');
}

/** Where a question's parts end: a sentence, ", and …", 「また、」. A Japanese 「、」 alone does not end one: the topic before it (「…は、」) is the next clause's too. */
const QUESTION_PART_END = /[?？。!！;]+|,\s*(?:and|or|also)\s+|、?また、/u;

/**
 * The part of a question that asks the figure (`asked`, its words for it), when the question has
 * several and that part names something besides: "What password rules apply, and after how long
 * idle is a session closed?" asks the figure of idle sessions, not of passwords. Else the whole.
 */
function figurePart(normal: string, asked: string): string {
  const parts = normal.split(QUESTION_PART_END).filter((p) => p.trim() !== '');
  if (parts.length < 2) return normal;
  const part = parts.find((p) => p.includes(asked));
  return part && subjectWords(part.replace(asked, ' ')).length > 0 ? part : normal;
}

/**
 * What a figure question is about, without its question word ("how long", 何年): 保存期間 is in
 * every retention row, so "how long are backups kept?" must not find a log row about it.
 */
export function figureSubject(question: string, product?: string): string {
  // A figure asked in general words ("how often") has a subject as one asked outright does.
  const asked = askedQuantity(question) ?? looseFigureAsk(question);
  const whole = withoutProductName(question.normalize('NFKC').toLowerCase(), product).replace(reportingPeriod(), ' ');
  if (!asked) return whole;
  const normal = figurePart(whole, asked.text);
  const t = table();
  // The question words and the words naming the kind of figure (保存期間, "kept")
  // say what is asked of the subject, not what it is: 「バックアップの保存期間は」 is about backups,
  // and a row keeping access logs 無期限 in a sentence about 保存期間 is not (new-user trial s14).
  // A figure's name that is its subject (RTO) stays.
  // The figure asked stays: its unit (「営業日」) is how the rows stating one of its kind write it.
  const own = asked.figure || t.named.some((n) => n.phrase === asked.text) ? null : asked.text;
  const words = [...(own ? [own] : []), ...t.asks.map((a) => a.phrase), ...t.loose.map((a) => a.phrase), ...t.kinds.filter((k) => k.dimension === asked.dimension).map((k) => k.phrase)];
  const stripped = normal.replace(new RegExp(wordsPattern(words), 'g'), ' ');
  // Nothing left (「保存期間は？」 alone): the question as before, without its question word.
  if (subjectWords(stripped).length > 0) return stripped;
  return asked.figure ? normal : normal.replace(asked.text, ' ');
}

/** A row's sentences as the figure readings take them (NFKC): cut after a full stop or a mark, and at a line break. */
const rowSentences = (text: string): string[] => text.normalize('NFKC').split(/(?<=[。．!?！？])|(?<=\.)\s+|\n+/u);

/**
 * The sentences of a row's answer that state a figure of any kind (a period without end too):
 * where a figure the row states can be read as being about something. A bare value (「2回」) is
 * one sentence with its requirement (figureEvidence).
 */
export function figureSentences(answer: string, requirement: string): string[] {
  const text = figureEvidence(answer, requirement);
  const sentences = text === answer ? rowSentences(text) : [text];
  return sentences.filter((s) => statedFigures(s, false).length > 0);
}

/**
 * Whether a word of a figure question says only what kind of figure is asked or its unit (days,
 * 年間, times, 頻度, "how many", a figure such as 30日): no idea of what the figure is about. The
 * subject keeps a unit (figureSubject), and an English word such as "times" reaches unrelated rows
 * through the glossary (速やか): taken for the subject's most specific idea (./figure-rows.ts),
 * it would decide which row's figure answers.
 */
export function isFigureWording(words: string): boolean {
  const w = words.normalize('NFKC').toLowerCase().trim();
  if (w === '' || /\d/.test(w)) return true;
  const known = figureWords();
  return known.has(w) || (isLatin(w) && w.split(/\s+/).every((part) => known.has(part) || EN_STOP.has(part)));
}

let figureWordSet: Set<string> | null = null;
/** The lexicon's words for a figure's kind, unit or question word, read once. */
function figureWords(): Set<string> {
  const t = table();
  figureWordSet ??= new Set<string>([
    ...t.units.map((u) => u.variant),
    ...t.per.map((p) => p.variant),
    ...t.times.map((x) => x.word),
    ...t.numbers.map((n) => n.word),
    ...t.frequency.map((f) => f.phrase),
    ...t.asks.map((a) => a.phrase),
    ...t.kinds.map((k) => k.phrase),
    ...t.bounds.map((b) => b.phrase),
  ]);
  return figureWordSet;
}

/**
 * The figures of the kind asked that a row states about the question's subject (the clauses
 * aboutSubject picks), as written: what a row ranked for the figure asked must hold.
 */
export function subjectFigures(asked: AskedQuantity, row: string): Figure[] {
  return aboutSubject(asked, row).found;
}

/**
 * The words of a row that stand for the figure asked without stating it, in a sentence about what
 * is asked (`about`: the caller reads the question's ideas): 「必要に応じて…実施」 or "as needed" for
 * how often (done when needed: that is its frequency), 「…については提供することが可能」 or "available
 * on request" for any figure, in a sentence naming the figure (its name or the word for its kind:
 * 目標復旧時間, 保存期間, 頻度). Such a row is what a person answers with once the figure is obtained
 * (partial, flagged), where a row silent on the figure is no answer (blind trial s20: both declined).
 * `onRequest`: the row gives the figure on request (else it does the thing as needed). Null when the
 * row has no such sentence.
 */
export function figureHedge(asked: AskedQuantity, answer: string, about: (sentence: string) => boolean): { clause: string; onRequest: boolean } | null {
  const t = table();
  const names = [...t.named, ...t.kinds].filter((n) => n.dimension === asked.dimension && n.phrase.length > 2).map((n) => n.phrase);
  for (const sentence of rowSentences(answer)) {
    const lower = sentence.toLowerCase();
    const hedge = t.hedges.find((h) => (h.dimension === asked.dimension || h.dimension === 'any') && hasWord(lower, h.phrase));
    if (!hedge) continue;
    // "On request" is the figure's only where the sentence names the figure: 「詳細はお問い合わせください」 is about anything.
    if (hedge.dimension === 'any' && mentionsAny(lower, [...names, asked.text.normalize('NFKC').toLowerCase()]) === undefined) continue;
    if (about(sentence)) return { clause: sentence.trim(), onRequest: hedge.dimension === 'any' };
  }
  return null;
}

/** Whether a row's text states the figure asked for (for how long / how many: any figure of that kind). */
export function statesQuantity(asked: AskedQuantity, row: string): boolean {
  return meets(asked, aboutSubject(asked, row));
}

/** Whether the clauses aboutSubject picked state the figure asked. */
function meets(asked: AskedQuantity, { text, found }: { text: string; found: Figure[] }): boolean {
  if (asked.dimension === 'any' && found.length === 0) return /\d/.test(text.normalize('NFKC'));
  const want = asked.figure;
  if (!want) return found.length > 0;
  if (asked.immediate) return mentionsAny(text.normalize('NFKC').toLowerCase(), [...table().immediate, ...table().prompt]) !== undefined || found.some((f) => f.value <= IMMEDIATE_MEETS);
  if (asked.dimension === 'frequency') return found.some((f) => (asked.bound === 'within' ? f.value <= want.value * (1 + RATE_SLACK) : f.value >= want.value * (1 - RATE_SLACK)));
  // Calendar units are not exact multiples (12か月 is a year, 30 days a month): time compares within a few percent.
  const slack = asked.dimension === 'time' ? want.value * TIME_SLACK : 0;
  return found.some((f) => (asked.bound === 'within' ? f.value <= want.value + slack : asked.bound === 'at least' ? f.value >= want.value - slack : Math.abs(f.value - want.value) <= slack));
}

/**
 * The figure a row states, of the kind asked, that fails the bound asked ("at least 99.95%"
 * against a row's 99.9%, "one year or longer" against 180日): the first such figure when the row
 * states figures of that kind and none meets the bound; null otherwise, and for a question
 * that asks for an exact figure or none (a different figure there may be about something else).
 */
export function failingFigure(asked: AskedQuantity, row: string): string | null {
  const want = asked.figure;
  if (!want || asked.bound === 'exactly') return null;
  const about = aboutSubject(asked, row);
  const found = about.found.filter((f) => f.dimension === asked.dimension && (!asked.immediate || f.value > IMMEDIATE_FAILS));
  if (found.length === 0 || meets(asked, about)) return null;
  return found[0]?.text ?? null;
}

const CLOCK_RANGE = /\d{1,2}:\d{2}\s*[-~〜～]\s*\d{1,2}:\d{2}/;
/** No letter or digit just before a word ("24h" is not "4h"), no letter just after. */
const AFTER_NO_FIGURE: WordEdges = { before: 'a-z0-9' };
const mentionsAny = (text: string, list: string[]): string | undefined => firstWord(text, list, AFTER_NO_FIGURE);

/** Whether the question asks for round-the-clock coverage ("24/7", 24時間365日): read once per question. */
export function asksAroundTheClock(question: string): boolean {
  return mentionsAny(question.normalize('NFKC').toLowerCase(), table().always) !== undefined;
}

/** The row's words limiting a service to some hours, or null when it states none or states round-the-clock coverage too. */
export function hoursLimit(text: string): string | null {
  const t = table();
  const row = text.normalize('NFKC').toLowerCase();
  if (mentionsAny(row, t.always)) return null;
  return mentionsAny(row, t.hours) ?? CLOCK_RANGE.exec(row)?.[0] ?? null;
}
