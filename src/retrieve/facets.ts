/**
 * Who does the thing, through which channel, for which kind of inquiry: a question that fixes
 * one of these ("can we scan your service ourselves?", "phone support for general inquiries?",
 * 「障害の問い合わせ」) is not answered by a row about another side of it, however many words they
 * share. The trial s11 drafted "yes" from the vendor's own review for a customer-run scan, from
 * the failure-inquiry row (24h, email) for general phone support, and from the general-inquiry row
 * for failures at night. Retrieval gives such a row a caution (no yes: ./caution.ts `opposite`)
 * and, where the product's rows differ on the facet, makes the side asked an idea of the question
 * so that the row stating it ranks above the others. The words are data (lexicon/facets.tsv).
 * The same table gives ./clauses.ts its words for a clause's aspect (results handed over, a
 * certificate), for a question asking who does it, and for a clause giving part of the work to
 * another party or doing it only on request; a clause's polarity is read by negation.tsv's
 * clause-not words (one list for every reader of a negative).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Concept } from './expand.js';
import { LEXICON_DIR } from './lexicon.js';
import { clauseNegatives, sentencesOf } from './negation.js';
import { matchKey } from '../corpus/clean.js';
import { MAIN_IDEA } from './match.js';
import { escapeRegExp, HIRAGANA_CLASS } from '../regexp.js';

interface Side {
  facet: string;
  side: string;
  asked: string[];
  stated: string[];
}

interface Table {
  sides: Side[];
  anchors: Map<string, string[]>;
  ignore: Map<string, string[]>;
  /** Per facet, the side rows take for granted: never an idea that ranks rows. */
  defaults: Map<string, string>;
  /** What a clause of a row, or a question, is about beside doing the thing (./clauses.ts): its results, a certificate. */
  aspects: Array<{ aspect: string; asked: string[]; stated: string[] }>;
  /** Per word list of ./clauses.ts (aspect-verb, permission, customer, who, other-party, on-request), its words. */
  clauseWords: Map<string, string[]>;
}

const SideLine = z.tuple([z.literal('side'), z.string().min(1), z.string().min(1), z.string().min(1), z.string().min(1)]);
const ListLine = z.tuple([z.enum(['anchor', 'ignore']), z.string().min(1), z.string().min(1)]);
const DefaultLine = z.tuple([z.literal('default'), z.string().min(1), z.string().min(1)]);
const AspectLine = z.tuple([z.literal('aspect'), z.string().min(1), z.string().min(1), z.string().min(1)]);
const WORD_LISTS = ['aspect-verb', 'permission', 'customer', 'who', 'other-party', 'on-request', 'set-aside'] as const;
const WordsLine = z.tuple([z.enum(WORD_LISTS), z.string().min(1)]);

const split = (list: string): string[] => (list === '-' ? [] : list.split('|').map((v) => v.normalize('NFKC').toLowerCase().trim()).filter((v) => v !== ''));

export function parseFacets(text: string): Table {
  const table: Table = { sides: [], anchors: new Map(), ignore: new Map(), defaults: new Map(), aspects: [], clauseWords: new Map() };
  for (const line of text.split('\n').map((l) => l.trim())) {
    if (line === '' || line.startsWith('#')) continue;
    const cells = line.split('\t');
    if (cells[0] === 'side') {
      const [, facet, side, asked, stated] = SideLine.parse(cells);
      if (stated.includes(GAP)) throw new Error(`facets.tsv: a gap (${GAP}) in the stated words of ${facet} ${side}`);
      table.sides.push({ facet, side, asked: split(asked), stated: split(stated) });
    } else if (cells[0] === 'aspect') {
      const [, aspect, asked, stated] = AspectLine.parse(cells);
      table.aspects.push({ aspect, asked: split(asked), stated: split(stated) });
    } else if ((WORD_LISTS as readonly string[]).includes(cells[0] ?? '')) {
      const [role, list] = WordsLine.parse(cells);
      table.clauseWords.set(role, [...(table.clauseWords.get(role) ?? []), ...split(list)]);
    } else if (cells[0] === 'default') {
      const [, facet, side] = DefaultLine.parse(cells);
      table.defaults.set(facet, side);
    } else {
      const [role, facet, list] = ListLine.parse(cells);
      const into = role === 'anchor' ? table.anchors : table.ignore;
      into.set(facet, [...(into.get(facet) ?? []), ...split(list)]);
    }
  }
  return table;
}

let loaded: Table | null = null;
const table = (): Table => (loaded ??= parseFacets(readFileSync(new URL('facets.tsv', LEXICON_DIR), 'utf8')));

const LATIN = /^[\x20-\x7e]+$/;
/**
 * A word's gap (「うちの~部門で」, "our ~ team"): a few words of the text's own between the parts, so
 * that one entry names the customer's own team whatever it is called (「うちのセキュリティ部門で」,
 * "our internal audit team"). At most GAP_WORDS English words; in Japanese one noun. Asked words
 * only: a row's stated words are ideas that rank rows (facetConcepts) and are written out whole.
 */
const GAP = '~';
// A Japanese gap is one compound noun (セキュリティ部門, 情報システム部): no particle (hiragana) in it, so it never spans a clause's words.
const GAP_JA = `[^${HIRAGANA_CLASS}、。,.?？!！\\s]{0,12}?`;
const GAP_WORDS = 3;
const patterns = new Map<string, { test: RegExp; all: RegExp }>();
function pattern(word: string): { test: RegExp; all: RegExp } {
  let re = patterns.get(word);
  if (!re) {
    const latin = LATIN.test(word);
    const parts = word.split(GAP).map((p) => (latin ? escapeRegExp(p.trim()).replace(/ /g, '\\s+') : escapeRegExp(p)));
    const body = parts.join(latin ? `(?:\\s+[a-z0-9'-]+){0,${GAP_WORDS}}\\s+` : GAP_JA);
    const source = latin ? `(?<![a-z0-9])${body}(?![a-z0-9])` : body;
    re = { test: new RegExp(source), all: new RegExp(source, 'g') };
    patterns.set(word, re);
  }
  return re;
}
/** The first of the words the text names, as the text writes it (a gap's words filled in). */
function named(text: string, words: readonly string[]): string | undefined {
  for (const w of words) {
    const m = pattern(w).test.exec(text);
    if (m) return m[0];
  }
  return undefined;
}

/** The text as its facets are read: NFKC, lowercase, curly apostrophes straight, a facet's ignored words blanked. */
function prepared(text: string, facet: string): string {
  const normal = text.normalize('NFKC').toLowerCase().replace(/[’‘`]/g, "'");
  return [...(table().ignore.get(facet) ?? [])].sort((a, b) => b.length - a.length).reduce((t, w) => t.replace(pattern(w).all, ' '), normal);
}

/** A side of a facet the question fixes, and the question's word for it. */
export interface AskedFacet {
  facet: string;
  side: string;
  word: string;
}

/**
 * The sides the question fixes: one per facet whose words it uses for one side only (a question
 * naming phone and email asks about both), and whose anchor, if the facet has one, it names.
 * A question of several asks fixes a side only where every ask does: 「リリース前に診断していますか。
 * また、当社が独自に実施してもよいですか」 asks about the vendor first and the customer second.
 */
export function askedFacets(question: string, asks: readonly string[] = []): AskedFacet[] {
  const whole = facetsOf(question);
  if (asks.length < 2) return whole;
  const each = asks.map(facetsOf);
  return whole.filter((f) => each.every((fs) => fs.some((x) => x.facet === f.facet && x.side === f.side)));
}

function facetsOf(question: string): AskedFacet[] {
  const t = table();
  const out: AskedFacet[] = [];
  for (const facet of new Set(t.sides.map((s) => s.facet))) {
    const text = prepared(question, facet);
    const anchors = t.anchors.get(facet);
    if (anchors && !named(text, anchors)) continue;
    const hits = t.sides.filter((s) => s.facet === facet).flatMap((s) => {
      const word = named(text, s.asked);
      return word ? [{ facet, side: s.side, word }] : [];
    });
    if (hits.length === 1 && hits[0]) out.push(hits[0]);
  }
  return out;
}

/** The sides of a facet a row states, with its word for each. */
function statedSides(facet: string, row: string): Map<string, string> {
  const text = prepared(row, facet);
  const out = new Map<string, string>();
  for (const s of table().sides.filter((x) => x.facet === facet)) {
    const word = named(text, s.stated);
    if (word) out.set(s.side, word);
  }
  return out;
}

/**
 * The first facet the question fixes on which the row states another side and not the one asked
 * (the question's word and the row's), or null.
 */
export function facetConflict(asked: readonly AskedFacet[], row: string): { asked: string; stated: string } | null {
  for (const a of asked) {
    const sides = statedSides(a.facet, row);
    if (sides.has(a.side)) continue;
    const other = [...sides.values()][0];
    if (other) return { asked: a.word, stated: other };
  }
  return null;
}

/**
 * The sides asked as ideas of the question, for the facets on which the product's rows differ
 * (some state the side asked, some only another): the rows stating the side asked mention it, in
 * the words rows use for it. None for a facet no row states or every row states alike: there it
 * tells no row from another; none for the side rows take for granted (the vendor acting).
 */
export function facetConcepts(asked: readonly AskedFacet[], rows: readonly string[]): Concept[] {
  return asked.flatMap((a) => {
    if (table().defaults.get(a.facet) === a.side) return [];
    const stated = rows.map((r) => statedSides(a.facet, r));
    const mine = stated.some((s) => s.has(a.side));
    const other = stated.some((s) => !s.has(a.side) && s.size > 0);
    const words = table().sides.find((s) => s.facet === a.facet && s.side === a.side)?.stated ?? [];
    return mine && other && words.length > 0 ? [{ source: a.word, variants: words, weight: MAIN_IDEA, origin: 'literal' as const }] : [];
  });
}

/**
 * What a text is about beside doing the thing (./clauses.ts): the aspect whose noun it names
 * (results, a certificate) together with a verb of handing or showing it (開示, 発行, share), or
 * 'do'. A question asks (`asked` words), a row's clause states (`stated` words).
 */
export function aspectOf(text: string, role: 'asked' | 'stated'): string {
  const normal = prepared(text, 'aspect');
  if (!named(normal, table().clauseWords.get('aspect-verb') ?? [])) return 'do';
  return table().aspects.find((a) => named(normal, a[role]) !== undefined)?.aspect ?? 'do';
}

/** Whether a clause of a row says something is not done or not given (非公開, 非対応, ておりません, "not"). */
export const negativeClause = (clause: string): boolean => named(prepared(clause, 'not'), clauseNegatives()) !== undefined;

/** Whether a question asks for permission ("do you allow …", 許可): someone other than the vendor would act. */
export const asksPermission = (question: string): boolean => named(prepared(question, 'permission'), table().clauseWords.get('permission') ?? []) !== undefined;

/** Whether a clause of a row names the customer as the one acting (利用者による, "by customers"). */
export const customerActs = (clause: string): boolean => statedSides('actor', clause).has('customer');

/** Whether a question names the customer at all ("can customers …", 「利用者が…」, customer data). */
export const namesCustomer = (question: string): boolean => named(prepared(question, 'customer'), table().clauseWords.get('customer') ?? []) !== undefined;

/** Whether a question asks who does the thing ("who is responsible for …", 「どちらが」) or to have it done on its behalf (代行). */
export const asksWho = (question: string): boolean => named(prepared(question, 'who'), table().clauseWords.get('who') ?? []) !== undefined;

/** Whether a row's clause puts part of the work in another party's hands (「…の管理範囲」, "the customer's responsibility"). */
export const namesOtherParty = (clause: string): boolean => named(prepared(clause, 'other-party'), table().clauseWords.get('other-party') ?? []) !== undefined;

/** Whether a row's clause says the vendor does it only when asked or paid (個別のご依頼, 有償, "for a fee"). */
export const onRequestOnly = (clause: string): boolean => named(prepared(clause, 'on-request'), table().clauseWords.get('on-request') ?? []) !== undefined;

/**
 * The sentences of a row's answer, other than those holding one of its refusals `beside`, that
 * offer something for a fee or on request (「なお、有償で復旧作業を承る場合があります」): what a refusal
 * leaves to be had. The caller says whether the offer is of what was asked.
 */
export function offersBeside(answer: string, beside: readonly string[]): string[] {
  const refusals = beside.map(matchKey);
  return sentencesOf(answer).filter((t) => {
    const key = matchKey(t);
    return !refusals.some((r) => key.includes(r) || r.includes(key)) && onRequestOnly(t);
  });
}

/** How far after an English set-aside word, or before a Japanese one, the thing set aside may be named. */
const SET_ASIDE_SPAN = 40;

/**
 * The stretches of a question naming what it sets aside ("apart from AWS's own reports, has the
 * vendor itself been audited?", 「AWSの第三者認証とは別に、貴社自身は…」): the words after an English
 * set-aside word up to the clause's end, or before a Japanese one back to the clause's start. The
 * question asks about something else; a row whose answer rests on the thing set aside is no
 * answer to it (./caution.ts set-aside).
 */
export function setAsideSpans(question: string): string[] {
  const normal = question.normalize('NFKC').toLowerCase().replace(/[’‘`]/g, "'");
  return (table().clauseWords.get('set-aside') ?? []).flatMap((word) =>
    [...normal.matchAll(pattern(word).all)].map((m) => {
      const at = m.index ?? 0;
      if (LATIN.test(word)) return normal.slice(at + m[0].length, at + m[0].length + SET_ASIDE_SPAN).split(/[,;?.!]/)[0] ?? '';
      return normal.slice(Math.max(0, at - SET_ASIDE_SPAN), at).split(/[、。,?!]/).pop() ?? '';
    }),
  );
}
