/**
 * Hours and days a service covers. A row marked as done often limits the control in time
 * (「平日9:00-17:30(祝日・年末年始は除く)」, "business hours only, best effort outside them"), and
 * a question may ask about exactly the part it leaves out (「土日も対応していますか」, 休日・夜間,
 * 「18時まで」, 24/7): the row's ○ is then no yes. New-user trial s13 drafted 「はい。…(土日・祝祭日を
 * 除く)」 at 0.97. This module reads which parts of the week or day a question asks about
 * (weekends, holidays, nights, a closing or opening time) and which of them a row excludes,
 * and says what that makes the answer: no when what is asked is left out, partial when the
 * question also asks about a part the row covers, or the row covers the rest on a best-effort
 * basis only (unless the question asks for a guarantee). retrieve.ts gives such a row a
 * `row-restricts` caution (./caution.ts). Words are data (lexicon/coverage.tsv).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { LEXICON_DIR } from './lexicon.js';
import { hasWord, isLatin, longestFirst, wordPattern } from '../regexp.js';
import { asksAroundTheClock, hoursLimit } from './quantities.js';

const PARTS = ['weekend', 'holiday', 'night'] as const;
type Part = (typeof PARTS)[number];

interface Table {
  parts: Array<{ part: Part; word: string }>;
  only: Array<{ part: Part; word: string }>;
  except: string[];
  bestEffort: string[];
  guarantee: string[];
  covered: string[];
}

const PartLine = z.tuple([z.enum(['part', 'only']), z.enum(PARTS), z.string().min(1)]);
const ListLine = z.tuple([z.enum(['except', 'besteffort', 'guarantee', 'covered']), z.string(), z.string().min(1)]);

/** As texts are read: NFKC, lower case, every wave dash a tilde (月〜金 and 月~金 are one range). */
const normal = (s: string): string => s.normalize('NFKC').toLowerCase().replace(/[〜～]/g, '~');
const split = (list: string): string[] => list.split('|').map((v) => normal(v).trim()).filter((v) => v !== '');

export function parseCoverage(text: string): Table {
  const t: Table = { parts: [], only: [], except: [], bestEffort: [], guarantee: [], covered: [] };
  for (const line of text.split('\n').map((l) => l.trim())) {
    if (line === '' || line.startsWith('#')) continue;
    const cells = line.split('\t');
    if (cells[0] === 'part' || cells[0] === 'only') {
      const [kind, part, list] = PartLine.parse(cells);
      for (const word of split(list)) t[kind === 'part' ? 'parts' : 'only'].push({ part, word });
    } else {
      const [kind, , list] = ListLine.parse(cells);
      t[kind === 'besteffort' ? 'bestEffort' : kind].push(...split(list));
    }
  }
  return t;
}

let loaded: Table | null = null;
const table = (): Table => (loaded ??= parseCoverage(readFileSync(new URL('coverage.tsv', LEXICON_DIR), 'utf8')));

/** Every place a word occurs, as [start, end). */
function places(text: string, word: string): Array<[number, number]> {
  return [...text.matchAll(globalPattern(word))].map((m) => [m.index ?? 0, (m.index ?? 0) + m[0].length]);
}

// The lexicon's words are read in every candidate row of every question asking for hours: each
// word's pattern is built once (matchAll clones a global pattern, so one instance is safe to share).
const globals = new Map<string, RegExp>();
function globalPattern(word: string): RegExp {
  let re = globals.get(word);
  if (!re) {
    re = new RegExp(wordPattern(word), 'g');
    globals.set(word, re);
  }
  return re;
}

/** A time of day, in minutes after midnight: 18時, 17:30, "6 pm". */
const CLOCK = String.raw`(\d{1,2})(?:\s*:\s*(\d{2})|\s*時(?!間)(?:\s*(\d{1,2})\s*分)?|(?=\s*[ap]\.?m(?![a-z])))(?:\s*([ap])\.?m\.?(?![a-z]))?`;
const RANGE = new RegExp(`${CLOCK}\\s*(?:-|~|–|から|to|until|till)\\s*${CLOCK}`, 'g');
const UNTIL = [new RegExp(`${CLOCK}\\s*(?:まで|迄)`), new RegExp(`(?<![a-z])(?:until|till|through|to)\\s+${CLOCK}`)];
const FROM = [new RegExp(`${CLOCK}\\s*(?:から|より|以降)`), new RegExp(`(?<![a-z])from\\s+${CLOCK}`)];

function minutes(m: RegExpMatchArray, at: number): number | null {
  const h = Number(m[at]);
  const min = Number(m[at + 1] ?? m[at + 2] ?? 0);
  const half = m[at + 3];
  const hour = half ? (h % 12) + (half === 'p' ? 12 : 0) : h;
  return hour > 24 || min > 59 ? null : hour * 60 + min;
}

/** What part of the week or day a question asks a service to cover. */
export interface HoursAsked {
  parts: Set<Part>;
  /** The question's words for them, named in a reason (土日, 18時まで, 24/7). */
  words: string[];
  /** A closing time asked ("until 18:00", 18時まで), in minutes after midnight. */
  until: number | null;
  /** An opening time asked ("from 8:00", 8時から). */
  from: number | null;
  /** Round-the-clock coverage asked (24/7, 24時間365日): every part. */
  always: boolean;
  /** The question names a covered part beside an excluded one (平日と土日): it asks both. */
  alongside: boolean;
  /** The question asks for a commitment (保証, guaranteed): best effort does not meet it. */
  guarantee: boolean;
}

/** Words a question uses to list things it asks together (平日と土日, "weekdays and weekends"). */
const LISTED = /^\s*(?:の|も)?\s*(?:と|及び|および|並びに|ならびに|・|、|,|や|and|or|as well as|&)\s*(?:the\s+)?$/;

/** The parts of the week or day a question asks about, or null when it asks about none. */
export function hoursAsked(question: string): HoursAsked | null {
  const t = table();
  const q = normal(question);
  const always = asksAroundTheClock(question);
  const parts = new Set<Part>(always ? PARTS : []);
  const words: string[] = [];
  const asked: Array<[number, number]> = [];
  for (const { part, word } of longestFirst([...new Set(t.parts.map((p) => p.word))]).flatMap((w) => t.parts.filter((p) => p.word === w))) {
    // A part the question itself leaves out (「土日祝日を除く営業時間」) is not asked.
    const at = places(q, word).filter(([s, e]) => !asked.some(([as, ae]) => s >= as && e <= ae && (s !== as || e !== ae)) && !excluded(q, s, e));
    if (at.length === 0) continue;
    parts.add(part);
    if (!words.includes(word)) words.push(word);
    asked.push(...at);
  }
  const until = clockAsked(q, UNTIL);
  const from = clockAsked(q, FROM);
  if (until) words.push(until.text);
  if (from) words.push(from.text);
  if (parts.size === 0 && !until && !from) return null;
  const alongside = t.covered.some((c) => places(q, c).some(([cs, ce]) => asked.some(([s, e]) => LISTED.test(ce <= s ? q.slice(ce, s) : q.slice(e, cs)))));
  return { parts, words: always ? [] : words, until: until?.at ?? null, from: from?.at ?? null, always, alongside, guarantee: t.guarantee.some((g) => hasWord(q, g)) };
}

function clockAsked(q: string, patterns: RegExp[]): { at: number; text: string } | null {
  for (const re of patterns) {
    const m = re.exec(q);
    if (!m) continue;
    // A range asked (9時から18時まで) is read by its own ends: 9時から is the opening, 18時まで the closing.
    const at = minutes(m, 1);
    if (at !== null) return { at, text: m[0].trim() };
  }
  return null;
}

/** Whether the words at [s, e) are in a list the text excludes: 「(年末年始・土日・祝祭日を除く)」, "excluding weekends and holidays". */
function excluded(text: string, s: number, e: number): boolean {
  // Japanese: the exclusion word follows the list, within the same parenthesis or sentence.
  const after = /^[^()。.;\n]{0,16}/.exec(text.slice(e))?.[0] ?? '';
  // English: it comes first.
  const before = /[^().;\n]{0,40}$/.exec(text.slice(0, s))?.[0] ?? '';
  return table().except.some((x) => (isLatin(x) ? hasWord(before, x) : after.includes(x)));
}

/** What a row's limit does to the answer, and the words a reason names. */
export interface HoursExcluded {
  effect: 'no' | 'partial';
  /** The question's words for what is asked (土日, 18時まで); none for round-the-clock coverage. */
  asked?: string;
  /** The row's words for its limit (土日・祝祭日を除く, 平日, 9:00~17:30). */
  limit: string;
}

type Covered = 'excluded' | 'covered' | 'silent';

/**
 * The row's limit on what the question asks (see the module comment), or null when the row
 * excludes none of it. Round-the-clock asked reads the row's limit as quantities.ts hoursLimit does.
 */
export function hoursExcluded(asked: HoursAsked, row: string): HoursExcluded | null {
  const t = table();
  const text = normal(row);
  const bestEffort = t.bestEffort.some((b) => hasWord(text, b));
  const soft = (effect: 'no' | 'partial'): 'no' | 'partial' => (bestEffort && !asked.guarantee ? 'partial' : effect);
  if (asked.always && asked.until === null && asked.from === null) {
    const limit = hoursLimit(row);
    return limit ? { effect: soft('no'), limit } : null;
  }
  const limits: string[] = [];
  const status = (part: Part): Covered => {
    // A part the row names outside an exclusion and a best-effort sentence (土日も対応) is covered.
    const named = t.parts.filter((p) => p.part === part).flatMap((p) => places(text, p.word));
    const out = named.filter(([s, e]) => excluded(text, s, e));
    if (out.length > 0) {
      const [s, e] = out[0] ?? [0, 0];
      limits.push(exclusionWords(text, s, e));
      return 'excluded';
    }
    if (named.some(([s]) => !t.bestEffort.some((b) => hasWord(sentenceAt(text, s), b)))) return 'covered';
    // A row stating round-the-clock coverage (the words a question asks it with) covers every part.
    if (asksAroundTheClock(row)) return 'covered';
    const only = t.only.filter((o) => o.part === part).find((o) => places(text, o.word).some(([s]) => !/\d\s*$/.test(text.slice(0, s))));
    if (only) {
      limits.push(only.word);
      return 'excluded';
    }
    const range = part === 'night' ? ranges(text)[0] : undefined;
    if (range && !(range.start === 0 && range.end >= 24 * 60)) {
      limits.push(range.text);
      return 'excluded';
    }
    return 'silent';
  };
  const seen = [...asked.parts].map(status);
  const clock = clockStatus(asked, text, limits);
  const all = [...seen, ...clock];
  if (!all.includes('excluded')) return null;
  const partly = asked.alongside || all.includes('covered');
  return { effect: partly ? 'partial' : soft('no'), asked: asked.words.join('・'), limit: [...new Set(limits)].join('、') };
}

/** A closing or opening time asked against the row's clock ranges: a row closing 17:30 does not meet 18時まで. */
function clockStatus(asked: HoursAsked, text: string, limits: string[]): Covered[] {
  const held = ranges(text);
  if (held.length === 0) return [];
  const out: Covered[] = [];
  if (asked.until !== null) {
    const last = held.reduce((a, b) => (b.end > a.end ? b : a));
    out.push(last.end >= asked.until ? 'covered' : 'excluded');
    if (last.end < asked.until) limits.push(last.text);
  }
  if (asked.from !== null) {
    const first = held.reduce((a, b) => (b.start < a.start ? b : a));
    out.push(first.start <= asked.from ? 'covered' : 'excluded');
    if (first.start > asked.from) limits.push(first.text);
  }
  return out;
}

function ranges(text: string): Array<{ start: number; end: number; text: string }> {
  return [...text.matchAll(RANGE)].flatMap((m) => {
    const start = minutes(m, 1);
    const end = minutes(m, 5);
    return start === null || end === null ? [] : [{ start, end, text: m[0].trim() }];
  });
}

/** The sentence around a position: best effort said of the hours outside (時間外はベストエフォート) covers them no further. */
function sentenceAt(text: string, at: number): string {
  const start = Math.max(text.lastIndexOf('。', at), text.lastIndexOf('. ', at), text.lastIndexOf('\n', at)) + 1;
  const ends = ['。', '. ', '\n'].map((d) => text.indexOf(d, at)).filter((i) => i >= 0);
  return text.slice(start, ends.length > 0 ? Math.min(...ends) : text.length);
}

/** The row's words excluding a part, for the reason: the exclusion as written (年末年始・土日・祝祭日を除く). */
function exclusionWords(text: string, s: number, e: number): string {
  // English names the exclusion first ("excluding public holidays"): from that word on.
  const lead = table()
    .except.filter(isLatin)
    .map((x) => text.slice(0, s).search(new RegExp(`${wordPattern(x)}[^().;\\n]{0,40}$`)))
    .find((i) => i >= 0);
  if (lead !== undefined) return text.slice(lead, e).trim();
  const open = Math.max(text.lastIndexOf('(', s), text.lastIndexOf('。', s), text.lastIndexOf('\n', s)) + 1;
  const close = /^[^()。\n]*/.exec(text.slice(e))?.[0] ?? '';
  return `${text.slice(Math.max(open, s - 30), s)}${text.slice(s, e)}${close}`.trim().slice(0, 60);
}
