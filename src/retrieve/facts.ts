/**
 * Questions that ask for a fact rather than a control, and the rows that can answer them.
 *
 * Questions about what happened, not about what is done: "have you ever had a breach?", "how
 * many outages in the past year?", 「過去3年間に情報漏えい事故は発生していますか?」. A checksheet
 * row describes a control ("incidents are handled by our CSIRT under a written procedure"),
 * and the judgement's features cannot tell that from an answer: the incident-response row
 * covers "breach" and "incident" as well as any row could, so the question used to get "yes"
 * with high confidence. Such a question is answered only by a row that states a fact of the
 * kind an event has: a count, a date, a measured figure, or that nothing of the sort occurred.
 * When none of the cited rows does, the documents do not cover the question and kotae
 * declines: such a question gets an 'unstated-fact' caution (./caution.ts).
 *
 * Questions asking for a name ("the name of your data-centre operator", 「責任者の氏名」) are
 * the same: a row saying "our data centres are earthquake-proof" covers "data centre" fully and
 * names nobody. Such a question is answered only by a row that states a name. So are questions
 * whether a certification is held (「外部認証を取得していますか」): 認証 is also authentication,
 * and a row about two-factor sign-in covers the word; only a row naming a certification scheme
 * or standard (ISO/IEC 27001, ISMS, Pマーク, SOC 2…) answers. And questions asking in which
 * country or region data is kept (「国外に置かれることは」, "which geographic location"): a row
 * saying the data centre is managed by the cloud vendor covers "data centre" and names no place.
 *
 * Stated rules, like SAME_QUESTION and the exclusive alternatives: the labelled sets hold too
 * few such questions to learn them from. The words are data (lexicon/facts.tsv, by role); how
 * the roles combine (a time window asks about events only with a word for an event; a name
 * request is a name word, a particle and a request) is here.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Language } from '../domain.js';
import { KotaeError } from '../errors.js';
import { namesProvider, namesRegion } from './alternatives.js';
import { LEXICON_DIR } from './lexicon.js';
import { textKey } from './match.js';
import { escapeRegExp, KANJI_CLASS, KATAKANA_CLASS, wordsPattern, type WordEdges } from '../regexp.js';

const Role = z.enum([
  'ever-verb', 'latest', 'happened', 'asked-when', 'window-preposition', 'window-recent', 'window-count', 'window-unit', 'recent', 'recent-span', 'window', 'duration-unit', 'event', 'planned',
  'fact-unit', 'times', 'per', 'about', 'done', 'fact-word', 'none-event', 'none-said', 'none-word', 'counted-event',
  'name-of', 'which', 'organisation', 'service', 'service-organisation', 'organisation-after', 'name-word', 'topic-particle', 'name-request', 'company-form',
  'certification', 'held', 'scheme', 'registration',
  'place', 'region', 'where', 'outside', 'home', 'region-in-row',
  'provision', 'provided',
]);
type Role = z.infer<typeof Role>;
const Line = z.union([
  z.tuple([z.enum(['en', 'ja', '-']), Role, z.string().min(1)]),
  z.tuple([z.enum(['en', 'ja', '-']), Role, z.string().min(1), z.string().min(1)]),
]);

/** One line of facts.tsv: its entries, and the role's detail (a gap, a noun, a scheme's name) where it has one. */
interface Entry {
  lang: 'en' | 'ja' | '-';
  role: Role;
  words: string[];
  detail: string;
}

export function parseFacts(text: string): Entry[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const [lang, role, list, detail] = Line.parse(l.split('\t'));
      return { lang, role, words: list.split('|').map((v) => v.normalize('NFKC').toLowerCase().trim()).filter((v) => v !== ''), detail: detail ?? '' };
    });
}

/** Entries touching no letter, digit or underscore (`\b` for entries that begin and end with one). */
const WORD_CHAR_EDGES: WordEdges = { before: '\\w', after: '\\w' };
/** A scheme is also written without its space (iso27001, jis q15001). */
const SCHEME_EDGES: WordEdges = { ...WORD_CHAR_EDGES, space: '\\s*' };

/** The regular expressions of facts.tsv, built once. */
interface Patterns {
  eventWording: Record<Language, RegExp[]>;
  eventWindow: Record<Language, RegExp[]>;
  eventNoun: Record<Language, RegExp>;
  planned: Record<Language, RegExp>;
  eventFact: RegExp[];
  nameQuestion: Record<Language, RegExp[]>;
  nameInRow: RegExp[];
  certificationQuestion: Record<Language, RegExp>;
  schemes: Array<readonly [string, RegExp]>;
  registration: RegExp;
  regionQuestion: Record<Language, RegExp>;
  regionInRow: RegExp;
  provisionQuestion: Record<Language, RegExp>;
  provided: RegExp;
}

function build(entries: Entry[]): Patterns {
  const lines = (lang: Entry['lang'], role: Role): Entry[] => {
    const found = entries.filter((e) => e.lang === lang && e.role === role);
    // An empty alternation would match every text: every question would ask for every fact.
    if (found.length === 0) throw new KotaeError('parse', `lexicon/facts.tsv has no entries for ${lang} ${role}`, 'restore the line from version control');
    return found;
  };
  const list = (lang: Entry['lang'], role: Role): string[] => lines(lang, role).flatMap((e) => e.words);
  /** The entries of a role as one alternation (no boundaries: the pattern around it sets them). */
  const any = (lang: Entry['lang'], role: Role): string => `(?:${list(lang, role).map(escapeRegExp).join('|')})`;
  const particle = any('ja', 'topic-particle');
  const which = any('en', 'which');
  const whereAsked = String.raw`(?:^|[,;:(]\s*|\b(?:and|or|describe|explain|tell us|specify|indicate|state|list)\s+)where\b`;
  return {
    eventWording: {
      en: [new RegExp(`\\bever\\s+${any('en', 'ever-verb')}\\b`), new RegExp(`\\bwhen\\s+(?:was|were|did)\\s+(?:the|your)\\s+${any('en', 'latest')}\\b`)],
      ja: [new RegExp(`${any('ja', 'happened')}たこと(?:は|が)`), new RegExp(lines('ja', 'asked-when').flatMap((e) => e.words.map((w) => `${escapeRegExp(w)}.{0,${Number(e.detail)}}いつ`)).join('|'))],
    },
    eventWindow: {
      en: [
        new RegExp(`\\b${any('en', 'window-preposition')}\\s+the\\s+${any('en', 'window-recent')}\\s+(?:\\d+|${list('en', 'window-count').map(escapeRegExp).join('|')})?\\s*${any('en', 'window-unit')}\\b`),
        // "do you keep logs for the past year?" asks about a control kept for a period.
        new RegExp(`(?<!\\bfor the )\\b${any('en', 'recent')}\\s+${any('en', 'recent-span')}\\b`),
        // "within how many hours are customers notified?" asks a control's deadline, not a count of events.
        new RegExp(`\\b${any('en', 'window')}\\b(?!\\s+${any('en', 'duration-unit')}\\b)`),
      ],
      ja: [new RegExp(any('ja', 'window'))],
    },
    eventNoun: { en: new RegExp(`\\b${any('en', 'event')}\\b`), ja: new RegExp(any('ja', 'event')) },
    planned: { en: new RegExp(`\\b${any('en', 'planned')}\\b`), ja: new RegExp(any('ja', 'planned')) },
    eventFact: [
      new RegExp(`\\d+(?:\\.\\d+)?\\s*${any('ja', 'fact-unit')}`, 'u'),
      // 年2回 is a frequency, 2回実施 a control done twice: neither counts events.
      new RegExp(`(?<!${any('ja', 'per')}|\\d)\\d+\\s*${any('ja', 'times')}(?!\\s*${any('ja', 'about')}?\\s*${any('ja', 'done')})`, 'u'),
      /(?:19|20)\d{2}\s*(?:年\s*\d{1,2}\s*月|[/.-]\s*\d{1,2})/u,
      new RegExp(any('ja', 'fact-word'), 'u'),
      new RegExp(`${any('ja', 'none-event')}[^。]{0,20}${any('ja', 'none-said')}`, 'u'),
      new RegExp(`\\b${any('en', 'none-word')}\\b[^.]{0,40}\\b${any('en', 'none-event')}\\b`, 'i'),
      new RegExp(`\\b\\d+\\s+${any('en', 'counted-event')}\\b`, 'i'),
    ],
    nameQuestion: {
      en: [
        new RegExp(`\\b${any('en', 'name-of')} `),
        new RegExp(`\\b${which} ${any('en', 'organisation')}\\b`),
        new RegExp(`\\b${which} ${any('en', 'service')} ${any('en', 'service-organisation')}\\b`),
      ],
      ja: [new RegExp(`${any('ja', 'name-word')}${particle}${any('ja', 'name-request')}`), new RegExp(`${any('ja', 'which')}${any('ja', 'organisation')}${any('ja', 'organisation-after')}`)],
    },
    // A capitalised Latin word (Microsoft, Oracle) or a company form (株式会社…).
    nameInRow: [/\b[A-Z][a-z]{2,}/, new RegExp(any('ja', 'company-form'))],
    certificationQuestion: {
      en: new RegExp(`\\b${any('en', 'certification')}\\b`),
      ja: new RegExp([any('ja', 'certification'), ...lines('ja', 'held').map((e) => `${escapeRegExp(e.detail)}${particle}?(?:${e.words.map(escapeRegExp).join('|')})`)].join('|')),
    },
    schemes: lines('-', 'scheme').map((e) => [e.detail, new RegExp(wordsPattern(e.words, SCHEME_EDGES), 'i')] as const),
    registration: new RegExp(any('ja', 'registration')),
    regionQuestion: {
      // "Where is the service hosted?": where opening a question (or an ask after a comma, "and",
      // "describe"), then in the same clause a verb of being located. Where something is stored or kept
      // may be answered by the system that keeps it, and "a log of where files are kept" asks nothing.
      en: new RegExp(`\\b${which} ${any('en', 'place')}\\b|\\b${any('en', 'region')}\\b|\\b${any('en', 'outside')} ${any('en', 'home')}\\b|${whereAsked}[^,;.?]*?\\b${any('en', 'where')}\\b`),
      ja: new RegExp(`${any('ja', 'region')}|${any('ja', 'where')}`),
    },
    regionInRow: new RegExp(`${any('ja', 'region-in-row')}|\\b${any('en', 'region-in-row')}\\b`, 'i'),
    provisionQuestion: { en: new RegExp(`\\b${any('en', 'provision')}\\b`), ja: new RegExp(any('ja', 'provision')) },
    provided: new RegExp(wordsPattern(lines('-', 'provided').flatMap((e) => e.words), WORD_CHAR_EDGES), 'i'),
  };
}

let loaded: Patterns | null = null;
const patterns = (): Patterns => (loaded ??= build(parseFacts(readFileSync(new URL('facts.tsv', LEXICON_DIR), 'utf8'))));

/** A question in the form its patterns read: NFKC, and lowercase for English. */
const asQuestion = (question: string, lang: Language): string => {
  const q = question.normalize('NFKC');
  return lang === 'en' ? q.toLowerCase() : q;
};
/** A row's text without its links: a URL's path is no fact. */
const plain = (text: string): string => text.normalize('NFKC').replace(/https?:\/\/\S+/g, '');

/**
 * Whether the question asks about past occurrences, their number or their date. Some wordings
 * say so on their own ("have you ever had…", 「…たことはありますか」, "when was the last…"); a
 * time window or a count says so only with a word for an event: "in the past year" asks about
 * events in "any breaches in the past year?" and about a control in "do you keep logs for the
 * past year?". A conditional ("if the product is ever discontinued") or a control done at some
 * time ("have you ever run a penetration test?": a row saying it is done yearly answers it) is
 * not one. Nor is a count of events the vendor plans ("how many planned maintenance outages a
 * year?", 「計画停止は年に何回」): a schedule, which a row states as a frequency (年2回); read as past
 * events it was declined (blind trial s16).
 */
export function asksAboutEvents(question: string, lang: Language): boolean {
  const p = patterns();
  const text = asQuestion(question, lang);
  if (p.eventWording[lang].some((re) => re.test(text))) return true;
  return p.eventWindow[lang].some((re) => re.test(text)) && p.eventNoun[lang].test(text) && !p.planned[lang].test(text);
}

/** Whether a row states a fact an event can have: a count, a date, a measured figure, or that none occurred. */
export function statesEventFact(text: string): boolean {
  const t = plain(text);
  return patterns().eventFact.some((re) => re.test(t));
}

/**
 * Whether the question asks for the name of a company or a person. "Which cloud provider …?"
 * is one; naming things in the product (「データに名前を付ける」) is not.
 */
export function asksForName(question: string, lang: Language): boolean {
  const text = asQuestion(question, lang);
  return patterns().nameQuestion[lang].some((re) => re.test(text));
}

/**
 * Whether a row states a name: a capitalised Latin word (Microsoft, Oracle), a Japanese company
 * form (株式会社…), or a cloud vendor of lexicon/alternatives.tsv (AWS). Acronyms in capitals
 * are not names here: checksheets are full of ISMS, CSIRT and PDF. Personal names written in
 * kanji are not recognised either: such a question is declined, and a person answers it. Links
 * do not count.
 */
export function statesName(text: string): boolean {
  const t = plain(text);
  return patterns().nameInRow.some((re) => re.test(t)) || namesProvider(textKey(t));
}

/** Whether the question asks whether a certification (of the organisation, the service or its staff) is held. */
export function asksForCertification(question: string, lang: Language): boolean {
  return patterns().certificationQuestion[lang].test(asQuestion(question, lang));
}

/**
 * The certification schemes and standards a text names. A question naming one ("PrivacyMark?")
 * is answered only by a row naming the same one: an ISMS row is no answer to it. The number
 * within a family (ISO 27001 vs 27017) is the glossary's business (src/retrieve/match.ts).
 */
const schemesIn = (text: string): string[] =>
  patterns()
    .schemes.filter(([, re]) => re.test(text))
    .map(([name]) => name);

/**
 * Whether a row names a certification scheme: the one the question names, when it names any;
 * else any scheme, or a registration. Links do not count.
 */
export function statesCertification(text: string, question = ''): boolean {
  const wanted = schemesIn(plain(question));
  const named = schemesIn(plain(text));
  return wanted.length > 0 ? named.some((n) => wanted.includes(n)) : named.length > 0 || patterns().registration.test(plain(text));
}

/** Whether the question asks in which country or region something is (or whether it is abroad). */
export function asksForRegion(question: string, lang: Language): boolean {
  return patterns().regionQuestion[lang].test(asQuestion(question, lang));
}

/**
 * A Japanese organisation's name (一般社団法人 日本品質保証機構, 日本〇〇株式会社): the country in it
 * says who, not where. Without this, a certification row naming its auditor answered "where are
 * backups stored (in Japan or abroad)?".
 */
const ORGANISATION = new RegExp(String.raw`(?:(?:一般|公益)?(?:社団|財団)法人\s*)?[${KANJI_CLASS}${KATAKANA_CLASS}]*(?:機構|協会|財団|連盟|組合|学会|研究所|株式会社|有限会社)[${KANJI_CLASS}${KATAKANA_CLASS}]*`, 'gu');

/** Whether a row names a country or region (lexicon/alternatives.tsv) or a cloud region; links and organisations' names do not count. */
export function statesRegion(text: string): boolean {
  const t = plain(text).replace(ORGANISATION, ' ');
  return namesRegion(textKey(t)) || patterns().regionInRow.test(t);
}

/**
 * Whether the question asks that something be handed to the customer: a copy, an extract, a
 * download, a certificate ("can we obtain log extracts?", 「ログを提供してもらえますか」). Not a
 * fact, but read like one: a row's caveat that such things are not handed over ("logs are not
 * provided to customers") narrows an answer to this question and no other (src/judge/scope.ts).
 */
export function asksForProvision(question: string, lang: Language): boolean {
  return patterns().provisionQuestion[lang].test(asQuestion(question, lang));
}

/** Whether a text (a row's caveat) is about handing something over: provided, issued, disclosed (提供, 発行, 開示). */
export function aboutProvision(text: string): boolean {
  return patterns().provided.test(plain(text));
}

/** The kinds of fact a question can ask for that a row describing a control does not state. */
export type Fact = 'events' | 'names' | 'certifications' | 'regions';

/** Each fact: whether a question asks for it, whether a row's text states it (`asked`: the question). In the order a reason names them. */
const FACTS: ReadonlyArray<readonly [Fact, (question: string, lang: Language) => boolean, (text: string, asked: string) => boolean]> = [
  ['events', asksAboutEvents, statesEventFact],
  ['names', asksForName, statesName],
  ['certifications', asksForCertification, statesCertification],
  ['regions', asksForRegion, statesRegion],
];

/** The facts a question asks for, in FACTS order. */
export function factsAsked(question: string, lang: Language): Fact[] {
  return FACTS.filter(([, asks]) => asks(question, lang)).map(([fact]) => fact);
}

/** Whether a row's text states the fact a question (`asked`) asks for. */
export function statesFact(fact: Fact, text: string, asked: string): boolean {
  return FACTS.find(([f]) => f === fact)?.[2](text, asked) ?? false;
}
