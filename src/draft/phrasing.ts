/**
 * What the offline drafter can honestly say in the question's language without a model: what
 * kind of answer the question wants (yes/no, a value, a description), the value a cited row
 * states (`最低12か月間` → "at least 12 months"), and the English names of the security
 * concepts the row covers, taken from the glossary retrieval already uses. It never
 * translates prose: anything it cannot name stays in the quoted original.
 *
 * Pure functions over text and the lexicon; `firstSentenceIsEnglish` is also what the
 * evaluation measures English answers with.
 */
import { detectLanguage } from '../domain.js';
import { loadLexicon, normalizeJa, type Lexicon } from '../retrieve/lexicon.js';
import { askedQuantity, asksByWord, FIGURE_ROW_COVERAGE, figureSubject, japaneseFrequencies, keptPeriod } from '../retrieve/quantities.js';
import { expandQuery } from '../retrieve/expand.js';
import { productNameWords, withoutProductIdeas } from '../retrieve/product-name.js';
import { compile, coverage, mentions, textKey, type CompiledConcept } from '../retrieve/match.js';
import { denials } from '../retrieve/negation.js';
import { questionForm } from './question-form.js';
import { escapeRegExp } from '../regexp.js';

/**
 * The kind of figure a value question asks for, so a row stating several picks the right one:
 * a number of generations or copies is not a frequency, and "daily" is no answer to "how many".
 */
type ValueKind = 'percent' | 'hours' | 'duration' | 'frequency' | 'count';

/**
 * What a count counts, for the units a row states a count in: "how many generations" is
 * answered by 7世代 or "7 copies", not by 3拠点. Each group: the words a question names it by
 * (English stems, Japanese counters) and the counters a row states it with.
 */
const COUNTED: Array<{ group: string; asked: RegExp; units: string[] }> = [
  { group: 'copies', asked: /\b(generation|cop(y|ies)|replica|backup set|snapshot)|世代|複製|コピー|バックアップ/, units: ['世代', 'copy', 'copies', 'generation', 'generations', 'replica', 'replicas'] },
  { group: 'sites', asked: /\b(site|location|data ?cent(er|re)|facilit|region|zone)|拠点|箇所|か所|カ所|データセンター|リージョン/, units: ['拠点', '箇所', 'か所', 'カ所', 'site', 'sites'] },
  { group: 'people', asked: /\b(people|person|staff|employee|member|engineer|personnel)|何名|何人|人数|要員|担当者/, units: ['名', '人'] },
  { group: 'machines', asked: /\b(server|machine|device|node|instance)|何台|台数|サーバ/, units: ['台'] },
  { group: 'items', asked: /何件|件数/, units: ['件'] },
  { group: 'characters', asked: /\b(character|digit|length)|文字|桁/, units: ['文字', '桁', 'characters', 'digits'] },
  { group: 'events', asked: /\b(outage|incident|interruption|breach|failure|occurrence|downtime)|障害|停止|インシデント|事故|何回/, units: ['回'] },
];

/**
 * Items and occurrences are counted alike: 「障害は何件」 is answered by a row's 「2回」 and "how many
 * incidents" by 「3件」. Told apart, the draft said the evidence states no number of items and
 * then quoted the row's 2回 (blind trial s15).
 */
const OCCURRENCES = new Set(['items', 'events']);
const sameCount = (counts: string | null | undefined, group: string | null): boolean => counts === group || (group !== null && OCCURRENCES.has(group) && OCCURRENCES.has(counts ?? ''));

/**
 * The group a count question asks about: the one named first after its question word ("how
 * many sites hold replicas" counts sites), else the first named anywhere (バックアップは何世代);
 * null when it names none.
 */
function countedGroup(question: string): string | null {
  const q = question.normalize('NFKC').toLowerCase();
  const at = q.search(/how many|number of|何(世代|件|名|人|台|拠点|箇所|か所|文字|桁|回)|いくつ/);
  const first = (text: string): string | null => {
    const found = COUNTED.map((c) => ({ group: c.group, at: text.search(c.asked) })).filter((f) => f.at >= 0);
    return found.sort((a, b) => a.at - b.at)[0]?.group ?? null;
  };
  return (at >= 0 ? first(q.slice(at)) : null) ?? first(q);
}

function wantedValue(question: string): ValueKind | null {
  const q = question.normalize('NFKC').toLowerCase();
  if (/uptime|availability|sla|percent|%|稼働率|可用性|パーセント/.test(q)) return 'percent';
  if (/\b(support|service|business|office|operating|opening) hours\b|\bwhat hours\b|\bwhich hours\b|^(what|which)\b[^?]*\bhours\b(?![^?]*\bwithin\b)|時間帯|営業時間|サービス時間|提供時間|何時から/.test(q)) return 'hours';
  // The quantities lexicon reads what a figure question asks: a period, a frequency (何時間ごと,
  // "how many times a year") or a count (何世代, "how many generations").
  const asked = askedQuantity(question);
  // "how many times a year" and 何回 ask how often, however they are worded; 何回も ("many times") asks nothing (the quantities lexicon's `indefinite`).
  if (asked?.dimension === 'frequency' || /how (often|frequently)|frequency|how many times|頻度/.test(q) || asksByWord(q, '何回')) return 'frequency';
  if (asked?.dimension === 'time' || /\bnumber of (minutes|hours|days|weeks|months|years)\b/.test(q)) return 'duration';
  // "How many copies are retained", 何件: a count, whatever verb follows; "how much" may be a
  // size or an amount of money, so it is left unread.
  if (asked?.dimension === 'count' || (asked?.dimension === 'any' && !/how much/.test(q)) || /\bnumber of\b|\bpassword length\b|\blength of (?:a |the )?passwords?\b|何名|何拠点|何箇所|何か所|何文字|何桁|文字数|桁数|いくつ/.test(q)) return 'count';
  if (/how long|retention|retain|period|rpo|rto|within|期間|いつまで|(どの|どれ)(くらい|ぐらい)(の間)?(保存|保管|保持)/.test(q)) return 'duration';
  return null;
}

/** A figure stated in a row: as written (`最低12か月間`) and in English (`at least 12 months`). */
export interface StatedValue {
  ja: string;
  en: string;
  kind: ValueKind;
  /** Where the figure starts in the row (NFKC), to tell which of several asked figures it is. */
  at?: number;
  /** For a count: what it counts (COUNTED's group), or null for a counter no group lists. */
  counts?: string | null;
}

const UNITS: Record<string, [string, string]> = {
  か月: ['month', 'months'],
  ヶ月: ['month', 'months'],
  カ月: ['month', 'months'],
  ヵ月: ['month', 'months'],
  ケ月: ['month', 'months'],
  箇月: ['month', 'months'],
  年: ['year', 'years'],
  日: ['day', 'days'],
  営業日: ['business day', 'business days'],
  時間: ['hour', 'hours'],
  分: ['minute', 'minutes'],
  秒: ['second', 'seconds'],
  週間: ['week', 'weeks'],
};
// English bounds are kept as written: "at least 12 characters" is not "12 characters".
const PREFIX_EN: Record<string, string> = { 最低: 'at least', 少なくとも: 'at least', 最大: 'up to', 最長: 'up to', 約: 'about', 概ね: 'about', 'at least': 'at least', 'at most': 'at most', 'up to': 'up to', about: 'about' };
const SUFFIX_EN: Record<string, { before?: string; after?: string }> = {
  以上: { after: 'or more' },
  以内: { before: 'within' },
  まで: { before: 'up to' },
  以下: { before: 'up to' },
  未満: { before: 'less than' },
  程度: { before: 'about' },
};

const RANGE = /(\d{1,2}:\d{2})\s*[~〜\-－–ー]\s*(\d{1,2}:\d{2})/u;
const ALL_DAY = /24時間\s*\/?\s*(36[56])日|24時間\s*年中無休/u;
/** A qualifier written right after a figure (計画停止を除く): part of the figure, never dropped. */
const QUALIFIER = /^\s*\(([^()\n]{1,40})\)/u;
const PERCENT = /(\d{1,3}(?:\.\d+)?)\s*(%|パーセント)/u;
/** 年2回, 年間少なくとも1回, 1年に2回, 毎月1回; not the tail of 3ヶ月に1回 (EVERY reads that). */
const PER_YEAR = /(?<![\d.][ヶヵケカか箇]?)(?:毎|1)?(年|月|週|日)(?:間)?(?:に|あたり|当たり)?(少なくとも|最低でも|最低)?\s*(\d+)\s*(?:回|度)/u;
/** Once every so many units: 3ヶ月に1回, 12時間ごと, 2週間おき. */
const EVERY = /(\d+)\s*(か月|ヶ月|カ月|ヵ月|ケ月|箇月|週間|週|日|時間|分)(?:間)?(?:ごと|毎|おき|に\s*(?:1|一)\s*(?:回|度))/gu;
/** An amount of time, with its bound and, where the row says it, which side of an event it lies (3ヶ月以上前, 30日後). */
const AMOUNT = /(最低|少なくとも|最大|最長|約|概ね)?\s*(\d+(?:\.\d+)?)\s*(か月|ヶ月|カ月|ヵ月|ケ月|箇月|営業日|週間|年|日|時間|分|秒)(?:間)?(以上|以内|まで|以下|未満|程度)?(前|後)?/gu;
/**
 * Which side of an event a figure lies, in English: after the event the row names before it
 * (「契約終了から30日後」 → "30 days after 「契約終了」"), after the one the previous sentence did
 * (「その7日後」 → "7 days after that"), or, with none named, as English says it alone ("30 days
 * later", "3 months in advance"): "30 days after, according to item 6-30" left the sentence hanging.
 */
const SIDE_EN: Record<string, { named: string; that: string; alone: string }> = {
  前: { named: 'before', that: 'before that', alone: 'in advance' },
  後: { named: 'after', that: 'after that', alone: 'later' },
};
const EVENT_BEFORE = /([\p{Script=Han}\p{Script=Katakana}ー]{2,})(?:から|の)\s*$/u;
const THAT_BEFORE = /(?:その|それから|そこから)\s*$/u;

function sideEn(amount: string, side: string, before: string): string {
  const words = SIDE_EN[side];
  if (!words) return amount;
  const event = EVENT_BEFORE.exec(before)?.[1];
  if (event) return `${amount} ${words.named} 「${event}」`;
  return `${amount} ${THAT_BEFORE.test(before) ? words.that : words.alone}`;
}
/** A period stated as having no end: the answer to how long something is kept. */
const NO_END = /無期限|永久/u;
/** Counts: generations or copies kept, sites, people (7世代, 3拠点, 2 copies). 回 is a count only without a period (年2回 is a frequency). */
const COUNT = /(最低|少なくとも|最大|最長|約|概ね|\bat least|\bat most|\bup to|\babout)?\s*(?<![年月週日毎\d.])(\d+)\s*(世代|件|名|人|台|拠点|箇所|か所|カ所|文字|桁|回|copies|copy|generations?|replicas?|sites?|characters|digits)(?:分)?(以上|以内|まで|以下|未満|程度)?/giu;
const COUNT_EN: Record<string, [string, string]> = {
  世代: ['generation', 'generations'],
  件: ['item', 'items'],
  文字: ['character', 'characters'],
  桁: ['digit', 'digits'],
  characters: ['character', 'characters'],
  digits: ['digit', 'digits'],
  回: ['time', 'times'],
  名: ['person', 'people'],
  人: ['person', 'people'],
  台: ['unit', 'units'],
  拠点: ['site', 'sites'],
  箇所: ['location', 'locations'],
  か所: ['location', 'locations'],
  カ所: ['location', 'locations'],
  copy: ['copy', 'copies'],
  copies: ['copy', 'copies'],
  generation: ['generation', 'generations'],
  generations: ['generation', 'generations'],
  replica: ['replica', 'replicas'],
  replicas: ['replica', 'replicas'],
  site: ['site', 'sites'],
  sites: ['site', 'sites'],
};
/**
 * A row's cadence in English: the one-word frequencies of the quantities lexicon (毎時 hourly, 毎日
 * daily, 四半期ごと quarterly), one list with the figures retrieval reads, and the continuous ones
 * that are no count a year. Longest first, so 四半期ごと is read whole; the first in the row leads.
 * Kept apart from the lexicon, a cadence it lacked (毎時) gave way to a later one in the same row
 * (「毎時バックアップ…四半期ごとの訓練」 was "quarterly" for how often backups are taken).
 */
const CADENCE_EN: Record<string, string> = {
  リアルタイム: 'in real time',
  常時: 'continuously',
  四半期: 'quarterly',
  ...Object.fromEntries(japaneseFrequencies().map((f) => [f.phrase, f.en])),
};
const CADENCE = new RegExp(`(${Object.keys(CADENCE_EN).sort((a, b) => b.length - a.length).map(escapeRegExp).join('|')})`, 'u');

/**
 * Figures as English prose writes them (an English policy): a cadence ("every quarter",
 * "every 6 hours", "twice a year", "monthly", "around the clock") and an amount of time
 * ("within 48 hours", "at least 30 days", "ten working days"). Without them, a draft quoting
 * "RPO is 6 hours" said the cited evidence states no RPO. Copied as the row writes them.
 */
const EN_NUMBER = '\\d+(?:\\.\\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|sixty|ninety';
const EN_PERIOD = 'minute|hour|day|week|fortnight|month|quarter|year';
const EN_CADENCE = new RegExp(
  `\\b(?:every\\s+(?:(?:${EN_NUMBER})\\s+|other\\s+)?(?:${EN_PERIOD})s?|(?:once|twice|(?:${EN_NUMBER})\\s+times)\\s+(?:a|an|per|each|every)\\s+(?:${EN_PERIOD})|hourly|daily|nightly|weekly|fortnightly|monthly|quarterly|annually|yearly|semi-annually|bi-annually|continuously|in real time)\\b`,
  'giu',
);
const EN_ALL_DAY = /\b(?:around the clock|24\s*\/\s*7(?:\s*\/\s*365)?|24 hours a day,? 7 days a week)/iu;
const EN_AMOUNT = new RegExp(
  `\\b(?:(?:at least|at most|up to|within|no (?:more|later) than|less than|more than|about|approximately|a minimum of|a maximum of)\\s+)?(?:${EN_NUMBER})\\s+(?:(?:working|business|calendar)\\s+)?(?:second|minute|hour|day|week|month|year)s?\\b`,
  'giu',
);
const PER_EN: Record<string, string> = { 年: 'a year', 月: 'a month', 週: 'a week', 日: 'a day' };

function amountEn(prefix: string | undefined, n: string, unit: string, suffix: string | undefined, units: Record<string, [string, string]> = UNITS): string {
  const [one, many] = units[unit.toLowerCase()] ?? [unit, unit];
  const core = `${n} ${Number(n) === 1 ? one : many}`;
  const pre = prefix ? PREFIX_EN[prefix.toLowerCase()] : undefined;
  const suf = suffix ? SUFFIX_EN[suffix] : undefined;
  if (pre) return `${pre} ${core}`;
  if (suf?.before) return `${suf.before} ${core}`;
  return suf?.after ? `${core} ${suf.after}` : core;
}

/** English cadences and amounts of time (EN_CADENCE, EN_AMOUNT); an amount inside a cadence ("every 6 hours") is the cadence's. */
function englishFigures(t: string, found: StatedValue[]): void {
  const allDay = EN_ALL_DAY.exec(t);
  if (allDay) found.push({ ja: allDay[0], en: allDay[0], kind: 'hours', at: allDay.index });
  const cadences = [...t.matchAll(EN_CADENCE)].map((m) => ({ text: m[0], at: m.index }));
  for (const c of cadences) found.push({ ja: c.text, en: c.text, kind: 'frequency', at: c.at });
  for (const m of t.matchAll(EN_AMOUNT)) {
    if (cadences.some((c) => m.index >= c.at && m.index < c.at + c.text.length)) continue;
    if (allDay && m.index >= allDay.index && m.index < allDay.index + allDay[0].length) continue;
    found.push({ ja: m[0], en: m[0], kind: 'duration', at: m.index });
  }
}

/** Every figure the text states, in order of kind preference for `wanted`. */
function statedValues(text: string): StatedValue[] {
  const t = text.normalize('NFKC');
  return figuresIn(t).map((v) => {
    const at = v.at ?? 0;
    const q = QUALIFIER.exec(t.slice(at + v.ja.length));
    if (!q?.[1]) return v;
    const note = detectLanguage(q[1]) === 'ja' ? `「${q[1]}」` : q[1];
    return { ...v, ja: `${v.ja}${q[0].trim()}`, en: `${v.en} (${note})` };
  });
}

/** Whether a position of the text lies inside a figure of that kind already found. */
const inside = (found: readonly StatedValue[], kind: ValueKind, at: number): boolean => found.some((v) => v.kind === kind && v.at !== undefined && at >= v.at && at < v.at + v.ja.length);

function figuresIn(t: string): StatedValue[] {
  const found: StatedValue[] = [];
  const range = RANGE.exec(t);
  if (range?.[1] && range[2]) found.push({ ja: range[0], en: `${range[1]}–${range[2]}`, kind: 'hours', at: range.index });
  const allDay = ALL_DAY.exec(t);
  // The row's own day count (366日) is copied, never rounded to 365.
  if (allDay) found.push({ ja: allDay[0], en: allDay[1] ? `24 hours a day, ${allDay[1]} days a year` : '24 hours a day, all year round', kind: 'hours', at: allDay.index });
  const pct = PERCENT.exec(t);
  if (pct?.[1]) found.push({ ja: pct[0], en: `${pct[1]}%`, kind: 'percent', at: pct.index });
  // 毎年1回 says how many times (once a year), which is more than its cadence word (yearly).
  const per = PER_YEAR.exec(t);
  if (per?.[1] && per[3]) {
    const times = per[3] === '1' ? 'once' : per[3] === '2' ? 'twice' : `${per[3]} times`;
    found.push({ ja: per[0], en: `${per[2] ? 'at least ' : ''}${times} ${PER_EN[per[1]] ?? ''}`.trim(), kind: 'frequency', at: per.index });
  }
  for (const every of t.matchAll(EVERY)) {
    const [raw, n, unit] = every;
    if (!n || !unit) continue;
    const [one, many] = UNITS[unit === '週' ? '週間' : unit] ?? [unit, unit];
    found.push({ ja: raw, en: n === '1' ? `every ${one}` : `every ${n} ${many}`, kind: 'frequency', at: every.index });
  }
  const cadence = CADENCE.exec(t);
  // 毎年 inside 毎年1回 is the frequency's own word.
  if (cadence?.[1] && !inside(found, 'frequency', cadence.index)) found.push({ ja: cadence[1], en: CADENCE_EN[cadence[1]] ?? cadence[1], kind: 'frequency', at: cadence.index });
  const noEnd = NO_END.exec(t);
  if (noEnd) found.push({ ja: noEnd[0], en: 'indefinitely', kind: 'duration', at: noEnd.index });
  for (const m of t.matchAll(AMOUNT)) {
    const [raw, prefix, n, unit, suffix, side] = m;
    if (!n || !unit) continue;
    // 2025年 is a date, not a duration.
    if (unit === '年' && Number(n) >= 1900) continue;
    // 24時間 inside 24時間365日 is already named, 12時間 inside 12時間ごと too.
    if (allDay && m.index >= allDay.index && m.index < allDay.index + allDay[0].length) continue;
    if (inside(found, 'frequency', m.index)) continue;
    const en = amountEn(prefix, n, unit, suffix);
    found.push({ ja: raw.trim(), en: side ? sideEn(en, side, t.slice(Math.max(0, m.index - 20), m.index)) : en, kind: 'duration', at: m.index + (raw.length - raw.trimStart().length) });
  }
  englishFigures(t, found);
  for (const m of t.matchAll(COUNT)) {
    const [raw, prefix, n, unit, suffix] = m;
    if (!n || !unit) continue;
    const at = m.index + (raw.length - raw.trimStart().length);
    // 少なくとも1回 inside 年間少なくとも1回 is the frequency's count.
    if (inside(found, 'frequency', at)) continue;
    found.push({ ja: raw.trim(), en: amountEn(prefix, n, unit, suffix, COUNT_EN), kind: 'count', counts: COUNTED.find((c) => c.units.includes(unit.toLowerCase()))?.group ?? null, at });
  }
  return found;
}

/**
 * The figure a value question asks for, as the row states it; null when the row states none of
 * that kind, so that the draft says what the row covers instead of offering another kind of
 * figure ("daily" or "3 sites" to "how many generations?"). A question whose wording does not
 * tell the kind gets none: a guessed figure reads as the answer.
 */
export function statedValue(question: string, rowText: string): StatedValue | null {
  const wanted = wantedValue(question);
  if (!wanted) return null;
  const group = wanted === 'count' ? countedGroup(question) : null;
  const values = statedValues(rowText);
  const found = values.find((v) => v.kind === wanted && (wanted !== 'count' || sameCount(v.counts, group)));
  // 何回 / "how many times" over a stated period: the row may give a plain count of occurrences (2回).
  if (!found && wanted === 'frequency' && /how many times|何回/.test(question.normalize('NFKC').toLowerCase())) return values.find((v) => v.counts === 'events') ?? null;
  // "How many planned outages a year?": a row's 年2回 is that count, per year.
  if (!found && wanted === 'count' && group === 'events') return values.find((v) => v.kind === 'frequency' && /\d/.test(v.ja)) ?? null;
  // "How many days of backups are kept?" of a row taking them daily and keeping 7 generations: 7 days, as the judgement read it.
  if (!found && wanted === 'duration') return keptValue(question, rowText);
  return found ?? null;
}

/** The period a row keeps copies for, from its generations of a periodic copy (quantities.ts keptPeriod), as a stated duration. */
function keptValue(question: string, rowText: string): StatedValue | null {
  const kept = keptPeriod(question, rowText);
  if (!kept?.kept) return null;
  const t = rowText.normalize('NFKC');
  return { ja: `${kept.kept.ja}(${kept.kept.every}で${kept.text})`, en: kept.kept.en, kind: 'duration', at: Math.max(0, t.indexOf(kept.text)) };
}

/**
 * The cited row, beside those the draft quotes, that states a figure the question asks for and
 * they do not (`text`, what the draft quotes): the first in citation order that is about the
 * question (`about`, its requirement and answer, mentions FIGURE_ROW_COVERAGE of the ideas of its subject,
 * the product's own name left out: every row of `product` names it). "How long are failure logs kept?" is answered by the third cited row's 2年間 when
 * the first is about incident traceability and states no period; the draft must not say the
 * cited evidence states none. Null when the quoted rows state every figure asked, or no other does.
 */
export function figureRow<T>(question: string, quoted: string[], others: Array<{ text: string; about: string; row: T }>, name?: { product: string; title: string }, lexicon: Lexicon = loadLexicon()): T | null {
  if (questionForm(question) !== 'value') return null;
  // askedFigures lists the figures asked in the same order whatever the row: the i-th is the same figure.
  const missing = askedFigures(question, quoted.join('\n')).flatMap((f, i) => (f.value === null ? [i] : []));
  if (missing.length === 0) return null;
  const concepts = compile(withoutProductIdeas(expandQuery(figureSubject(question, name?.product), lexicon).concepts, name ? productNameWords(name.product, name.title) : new Set()));
  const answers = (text: string): boolean => askedFigures(question, text).some((f, i) => f.value !== null && missing.includes(i));
  // Whether a row is about the question is read from all it says (its requirement too: 「障害ログの期間」 over a bare 2年間).
  return others.find((o) => answers(o.text) && coverage(concepts, textKey(o.about)) >= FIGURE_ROW_COVERAGE)?.row ?? null;
}

/** What a figure question asks for, in words (EN/JA), for an answer saying the evidence does not state it. */
export interface AskedFigure {
  what: { en: string; ja: string };
  value: StatedValue | null;
}

const WHAT: Record<ValueKind, { en: string; ja: string }> = {
  percent: { en: 'percentage', ja: '割合(%)' },
  hours: { en: 'hours of service', ja: '時間帯' },
  duration: { en: 'period of time', ja: '期間・時間' },
  frequency: { en: 'frequency', ja: '頻度' },
  count: { en: 'number', ja: '数値' },
};
const WHAT_COUNTED: Record<string, { en: string; ja: string }> = {
  copies: { en: 'number of backup generations', ja: 'バックアップの世代数' },
  sites: { en: 'number of sites', ja: '拠点数' },
  people: { en: 'number of people', ja: '人数' },
  machines: { en: 'number of machines', ja: '台数' },
  items: { en: 'number of items', ja: '件数' },
  characters: { en: 'number of characters or digits', ja: '文字数・桁数' },
  events: { en: 'number of occurrences', ja: '回数' },
};

/**
 * Named figures a question may ask for together ("RPO and RTO"): each is answered by the figure
 * the row states after its own name, so one is never given as the other.
 */
const METRICS: Array<{ name: string; asked: RegExp; inRow: RegExp }> = [
  { name: 'RPO', asked: /\brpo\b|recovery point|目標復旧時点|復旧時点/, inRow: /rpo|recovery point|目標復旧時点|復旧時点/ },
  { name: 'RTO', asked: /\brto\b|recovery time|目標復旧時間|復旧時間/, inRow: /rto|recovery time|目標復旧時間|復旧時間/ },
];

/**
 * Each figure the question asks for, with the one the row states (or null): one entry for an
 * ordinary figure question, one per named figure ("RPO and RTO"), none when the wording does
 * not tell which kind of figure is wanted.
 */
export function askedFigures(question: string, rowText: string): AskedFigure[] {
  const q = question.normalize('NFKC').toLowerCase();
  const metrics = METRICS.filter((m) => m.asked.test(q));
  if (metrics.length === 0) {
    const wanted = wantedValue(question);
    if (!wanted) return [];
    const group = wanted === 'count' ? countedGroup(question) : null;
    return [{ what: (group ? WHAT_COUNTED[group] : undefined) ?? WHAT[wanted], value: statedValue(question, rowText) }];
  }
  const t = rowText.normalize('NFKC').toLowerCase();
  const durations = statedValues(rowText).filter((v) => v.kind === 'duration');
  const starts = METRICS.map((m) => t.search(m.inRow)).filter((i) => i >= 0);
  return metrics.map((m) => {
    const from = t.search(m.inRow);
    // The figure after the metric's own name, before the next named figure begins.
    const until = Math.min(...starts.filter((i) => i > from), t.length);
    const value = from < 0 ? null : (durations.find((v) => (v.at ?? -1) >= from && (v.at ?? -1) < until) ?? null);
    return { what: { en: m.name, ja: m.name }, value };
  });
}

/** At most this many figures are named in English beside a yes/no answer: more read as a list, not an answer. */
const MAX_ROW_FIGURES = 3;

/**
 * The figures a row states, in English as the row writes them (`30日後` → "30 days", 20世代 →
 * "20 generations"), in the row's order and at most MAX_ROW_FIGURES: what an English answer
 * over Japanese evidence can say of it without a translation.
 */
export function rowFigures(text: string): string[] {
  const values = statedValues(text).sort((a, b) => (a.at ?? 0) - (b.at ?? 0));
  return [...new Set(values.map((v) => v.en))].slice(0, MAX_ROW_FIGURES);
}

/** Sentences of a row: each ends at a Japanese or English full stop, or a line. */
function sentencesOf(row: string): string[] {
  return row
    .split(/(?<=[。．！？])|(?<=[.!?])\s+|\n+/u)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/**
 * The part of a row that answers one ask of a multi-part question, as the row writes it: the
 * sentence that covers most of the ask's ideas, the sentence stating the figure the answer leads
 * with (`figure`), and every sentence denying something the ask names (「但し、定期的な明示は
 * していません」: a caveat on what was asked must reach the customer), but never one about
 * another ask of the question (`others`) and not this one. A row of one or two sentences is kept
 * whole, such a denial aside.
 */
export function askedSentences(ask: string, row: string, figure: string | null = null, lexicon: Lexicon = loadLexicon(), others: readonly string[] = []): string {
  const sentences = sentencesOf(row);
  const concepts = compile(expandQuery(ask, lexicon).concepts);
  const elsewhere = aboutOthers(concepts, others, lexicon);
  // A caveat about another ask of the question is that ask's to say (blind trial s15: 「…は行っていません」
  // about giving out logs, printed on the line answering how long they are kept).
  const own = sentences.filter((s) => !elsewhere(s));
  if (sentences.length <= 2) return own.length > 0 && own.length < sentences.length ? own.join(detectLanguage(row) === 'ja' ? '' : ' ') : row.trim();
  const covered = sentences.map((s) => coverage(concepts, textKey(s)));
  const best = covered.reduce((b, c, i) => (c > (covered[b] ?? 0) ? i : b), 0);
  const figureAt = figure === null ? -1 : sentences.findIndex((s) => s.normalize('NFKC').replace(/\s+/g, '').includes(figure.replace(/\s+/g, '')));
  const kept = sentences.filter((s, i) => i === best || i === figureAt || ((covered[i] ?? 0) > 0 && denials(s).length > 0 && !elsewhere(s)));
  return kept.join(detectLanguage(row) === 'ja' ? '' : ' ');
}

/**
 * Whether a sentence is about another ask of the question (`others`) and not about this one
 * (`concepts`): it names an idea only another ask names, and none only this ask names.
 */
function aboutOthers(concepts: CompiledConcept[], others: readonly string[], lexicon: Lexicon): (sentence: string) => boolean {
  if (others.length === 0) return () => false;
  const theirs = others.flatMap((o) => compile(expandQuery(o, lexicon).concepts));
  const own = concepts.filter((c) => !theirs.some((t) => t.source === c.source));
  const onlyTheirs = theirs.filter((t) => !concepts.some((c) => c.source === t.source));
  return (sentence) => {
    const key = textKey(sentence);
    return onlyTheirs.some((t) => mentions(t, key)) && !own.some((c) => mentions(c, key));
  };
}

// ---------------------------------------------------------------------------------------
// Concept names

/** Glossary words found in nearly every row (情報, データ, 管理…) say nothing about what a row covers. */
const MIN_CONCEPT_WEIGHT = 0.5;
const MAX_CONCEPTS = 3;

/** Glossary phrases are lowercase; these words are acronyms in English prose. */
const ACRONYMS = new Set([
  'id', 'it', 'iso', 'iec', 'soc', 'tls', 'ssl', 'vpn', 'rpo', 'rto', 'sla', 'mfa', '2fa', 'waf', 'ips', 'ddos', 'dr', 'bcp', 'pii', 'api',
  'ntp', 'siem', 'edr', 'hr', 'iam', 'sso', 'saml', 'aes', 'pci', 'dss', 'gdpr', 'nist', 'csf', 'caiq', 'ismap', 'jis', 'ssh', 'http', 'https',
  'dns', 'os', 'ip', 'ca', 'ciso', 'cpu', 'db', 'vpc', 'aws', 'gcp', 'utc', 'sast', 'dast', 'cve', 'cvss', 'isms', 'csirt', 'dlp', 'hsm',
  'kms', 'pki', 'acl', 'fw', 'ups', 'smtp', 'spf', 'dkim', 'dmarc', 'ldap',
]);

/** `user ids` → `user IDs`. */
function displayPhrase(phrase: string): string {
  return phrase
    .split(' ')
    .map((w) => (ACRONYMS.has(w) ? w.toUpperCase() : w.endsWith('s') && ACRONYMS.has(w.slice(0, -1)) ? `${w.slice(0, -1).toUpperCase()}s` : w))
    .join(' ');
}

/**
 * English names of the glossary concepts whose Japanese variants occur in the row (longest
 * variant first, as a reader would segment it): concepts in both the requirement and the
 * answer first, then in order of appearance; generic words left out.
 */
export function conceptNames(requirement: string, answer: string, lexicon: Lexicon = loadLexicon()): string[] {
  const inReq = conceptsIn(requirement, lexicon);
  const inAns = conceptsIn(answer, lexicon);
  const order = [...new Set([...inAns.filter((id) => inReq.includes(id)), ...inAns, ...inReq])];
  const names: string[] = [];
  for (const id of order) {
    const c = lexicon.glossary[id];
    const first = c?.en[0];
    if (!c || !first || c.weight < MIN_CONCEPT_WEIGHT) continue;
    const name = displayPhrase(first);
    if (!names.includes(name)) names.push(name);
    if (names.length === MAX_CONCEPTS) break;
  }
  return names;
}

const LATIN_WORD_CHAR = /[a-z0-9]/;
/** Whether t[i, i+len) is not Latin, or is a Latin run with no letter or digit right before or after it. */
function wholeLatinWord(t: string, i: number, len: number): boolean {
  if (!LATIN_WORD_CHAR.test(t[i] ?? '') && !LATIN_WORD_CHAR.test(t[i + len - 1] ?? '')) return true;
  return !LATIN_WORD_CHAR.test(t[i - 1] ?? '') && !LATIN_WORD_CHAR.test(t[i + len] ?? '');
}

function conceptsIn(text: string, lexicon: Lexicon): number[] {
  const t = normalizeJa(text);
  const ids: number[] = [];
  for (let i = 0; i < t.length; ) {
    let matched = 0;
    for (let len = Math.min(lexicon.maxJaVariantLength, t.length - i); len >= 2; len--) {
      const hit = lexicon.jaIndex.get(t.slice(i, i + len));
      // A Latin variant counts only as a whole word: "ai" is not the one inside "retained".
      if (!hit || !wholeLatinWord(t, i, len)) continue;
      for (const id of hit) if (!ids.includes(id)) ids.push(id);
      matched = len;
      break;
    }
    i += matched > 0 ? matched : 1;
  }
  return ids;
}

// ---------------------------------------------------------------------------------------
// Checks

/** Quoted names (a document title in Japanese) do not make an English sentence Japanese. */
const QUOTED = /"[^"\n]*"|“[^”\n]*”|«[^»\n]*»|「[^」\n]*」|『[^』\n]*』/gu;

/**
 * Whether a draft's first sentence is English: it has latin words and, quoted names aside,
 * no Japanese. "Yes. Covered by item 6-15 …" is; "はい。…" and "Yes" followed by a Japanese
 * quotation on the same sentence are not.
 */
export function firstSentenceIsEnglish(draft: string): boolean {
  const text = draft.trim();
  const end = /[.!?](?=\s|$)|[。！？\n]/u.exec(text);
  const first = (end ? text.slice(0, end.index + 1) : text).replace(QUOTED, '');
  return /[A-Za-z]{2,}/.test(first) && detectLanguage(first) === 'en';
}
