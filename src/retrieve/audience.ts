/**
 * Whom a control covers. A row often states a control for administrators only, with no 「のみ」
 * or "only" to say so (「システム管理者はログインに多要素認証を設定しています」, "admin accounts
 * require MFA"), while a question asks about everyone who logs in ("Is MFA required for end
 * users?", 「利用者のログインに多要素認証は必須ですか」): the row's ○ read as a confident yes (issue #9:
 * admins only vs all users is partial). This module reads the general population a question asks
 * about, and whether a row's clause names an administrator-type audience as whom it covers.
 *
 * An administrator named as the one acting is no limit: one who configures or enforces the
 * control for others (「管理者がパスワードポリシーを設定できます」, "administrators can enforce MFA
 * for all users"), a screen named after them (「管理者画面から…」), one who approves or checks
 * others' work, one to whom something is sent (「ご契約管理者様へメールを送付」), or the only one let
 * in (「本番環境へのアクセスはシステム管理者に限定」: the restriction is the control). Nor is a clause
 * that also names the population (it covers them too, or says who the administrator acts on).
 * Words are data (lexicon/audience.tsv); ./clauses.ts decides what a limit does to the answer.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { detectLanguage } from '../domain.js';
import { LEXICON_DIR } from './lexicon.js';
import { hasAnyWord, isLatin, longestFirst, wordsPattern } from '../regexp.js';

const ROLES = ['admin', 'population', 'place', 'actor-after', 'actor-before', 'acting', 'recipient', 'restriction-asked', 'signing-in', 'internal'] as const;
type Role = (typeof ROLES)[number];
type Lang = 'en' | 'ja';
type Table = Record<Lang, Record<Role, string[]>>;

const Line = z.tuple([z.enum(['en', 'ja']), z.enum(ROLES), z.string().min(1)]);

const normal = (s: string): string => s.normalize('NFKC').toLowerCase().replace(/[’‘`]/g, "'");

export function parseAudience(text: string): Table {
  const empty = (): Record<Role, string[]> => ({ admin: [], population: [], place: [], 'actor-after': [], 'actor-before': [], acting: [], recipient: [], 'restriction-asked': [], 'signing-in': [], internal: [] });
  const t: Table = { en: empty(), ja: empty() };
  for (const line of text.split('\n').map((l) => l.trim())) {
    if (line === '' || line.startsWith('#')) continue;
    const [lang, role, list] = Line.parse(line.split('\t'));
    t[lang][role].push(...list.split('|').map((v) => normal(v).trim()).filter((v) => v !== ''));
  }
  return t;
}

let loaded: Table | null = null;
const table = (): Table => (loaded ??= parseAudience(readFileSync(new URL('audience.tsv', LEXICON_DIR), 'utf8')));

// Built once per language: read for the clauses of every candidate row of a question naming a population.
const adminRe = new Map<Lang, RegExp>();
function admins(lang: Lang): RegExp {
  let re = adminRe.get(lang);
  if (!re) {
    re = new RegExp(wordsPattern(table()[lang].admin), 'gu');
    adminRe.set(lang, re);
  }
  return re;
}

const langOf = (text: string): Lang => (detectLanguage(text) === 'ja' ? 'ja' : 'en');

/** A text without its administrator words, so that 特権ユーザー is not read as the population ユーザー. */
const withoutAdmins = (text: string, lang: Lang): string => text.replace(admins(lang), ' ');

/** Whether a text names an administrator-type audience. */
const namesAdmin = (text: string, lang: Lang): boolean => {
  const re = admins(lang);
  re.lastIndex = 0;
  return re.test(text);
};

/**
 * The general population a question asks about ("end users", 「利用者」, "everyone", 「全従業員」),
 * or the words for signing in to the service when it names no one (everyone who signs in), or
 * null; null too when the question names an administrator (it asks about them, or about them
 * acting for the others) or signs in to the vendor's own systems. Read for every candidate row of a question: the last question's reading is kept.
 */
export function populationAsked(question: string): string | null {
  if (lastPopulation?.question !== question) lastPopulation = { question, population: readPopulation(question) };
  return lastPopulation.population;
}

let lastPopulation: { question: string; population: string | null } | null = null;

function readPopulation(question: string): string | null {
  const q = normal(question);
  const lang = langOf(q);
  if (namesAdmin(q, lang)) return null;
  const w = table()[lang];
  const named = longestFirst(w.population).find((p) => hasAnyWord(q, [p]));
  if (named) return named;
  // Signing in to the service with no one named is everyone's signing in (blind trial s21: "does logging in to the
  // service ask for more than a password?" answered yes from a row requiring MFA of administrators only);
  // signing in to the vendor's own systems is its staff's.
  if (hasAnyWord(q, w.internal)) return null;
  return longestFirst(w['signing-in']).find((s) => hasAnyWord(q, [s])) ?? null;
}

/**
 * Whether the question asks if access or use is kept to some ("is production access restricted?",
 * 「アクセスを制限していますか」): a row keeping it to administrators states that control, whoever
 * the question names.
 */
export function asksRestriction(question: string): boolean {
  if (lastRestriction?.question !== question) {
    const q = normal(question);
    lastRestriction = { question, asks: hasAnyWord(q, table()[langOf(q)]['restriction-asked']) };
  }
  return lastRestriction.asks;
}

let lastRestriction: { question: string; asks: boolean } | null = null;

/** Whether a row's clause names the general population, beside any administrator it names. */
export function namesPopulation(clause: string): boolean {
  const text = normal(clause);
  const lang = langOf(text);
  return hasAnyWord(withoutAdmins(text, lang), table()[lang].population);
}

/**
 * The administrator-type audience a row's clause states its control for (「システム管理者と運用管理者は
 * ログインに…」: システム管理者; "admin accounts require MFA": admin accounts), or null when it names
 * none, or names one only as acting for others, as a screen's name or as a recipient (see the header).
 */
export function adminAudience(clause: string): string | null {
  const text = normal(clause);
  const lang = langOf(text);
  const w = table()[lang];
  if (hasAnyWord(text, w.acting) || hasAnyWord(text, w.recipient)) return null;
  const re = admins(lang);
  re.lastIndex = 0;
  for (const m of text.matchAll(re)) {
    const start = m.index ?? 0;
    const after = text.slice(start + m[0].length);
    if (lang === 'ja' ? jaActing(after, w) : enActing(text.slice(0, start), after, w)) continue;
    return m[0];
  }
  return null;
}

/** After a Japanese admin word: a screen (管理者画面, 管理者用の画面), the administrator acting (が, による) or addressed (様, へ). */
function jaActing(after: string, w: Record<Role, string[]>): boolean {
  const rest = after.replace(/^(?:用の|用|向けの|向け|の)/u, '');
  return w.place.some((p) => rest.startsWith(p)) || w['actor-after'].some((a) => after.startsWith(a));
}

/** Around an English admin word: "by administrators", "the admin console", "administrators can …" (within three words). */
function enActing(before: string, after: string, w: Record<Role, string[]>): boolean {
  const prev = before.split(/[^a-z0-9'-]+/).filter((t) => t !== '').at(-1) ?? '';
  const next = after.split(/[^a-z0-9'-]+/).filter((t) => t !== '');
  if (w['actor-before'].includes(prev) || w.place.includes(next[0] ?? '')) return true;
  const near = next.slice(0, 3).join(' ');
  return hasAnyWord(near, w['actor-after'].filter(isLatin));
}
