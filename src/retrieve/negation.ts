/**
 * Questions phrased in the negative ("Do you not back up …?", 「…を取得していないのですか」).
 * Retrieval finds the same rows for them as for the positive question, and a row marked ○
 * would come out as a confident "yes", which reads both ways: in Japanese はい to a negative
 * question means "correct, we don't". So a question whose own predicate is negated gets a
 * caution (./caution.ts): no bare yes or no, a review flag, a capped
 * confidence and a reason telling the reviewer to check which way yes/no reads.
 * Only the predicate counts: "a policy that staff must not share passwords" negates the
 * object, and yes answers that question plainly. The words are data (lexicon/negation.tsv).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { detectLanguage } from '../domain.js';
import { LEXICON_DIR } from './lexicon.js';
import { escapeRegExp, hasAnyWord, hasWord, isLatin, longestFirst, wordPattern, wordsPattern } from '../regexp.js';
import { sentences } from '../sentences.js';

const Line = z.tuple([z.enum(['en', 'ja', '-']), z.string().min(1), z.string().min(1)]);
const Roles = z.object({
  marker: z.array(z.string()),
  frame: z.array(z.string()),
  opener: z.array(z.string()),
  wh: z.array(z.string()),
  aux: z.array(z.string()),
  ending: z.array(z.string()),
  particle: z.array(z.string()),
  except: z.array(z.string()),
  requirement: z.array(z.string()),
  embed: z.array(z.string()),
  plain: z.array(z.string()),
  verb: z.array(z.string()),
  adjective: z.array(z.string()),
  noun: z.array(z.string()),
  blocker: z.array(z.string()),
  denial: z.array(z.string()),
  refusal: z.array(z.string()),
  restriction: z.array(z.string()),
  guard: z.array(z.string()),
  'refusal-verb': z.array(z.string()),
  'clause-end': z.array(z.string()),
  'clause-not': z.array(z.string()),
  'requirement-not': z.array(z.string()),
  control: z.array(z.string()),
  existence: z.array(z.string()),
  absence: z.array(z.string()),
  condition: z.array(z.string()),
  'provision-noun': z.array(z.string()),
  purpose: z.array(z.string()),
  'routine-case': z.array(z.string()),
  prohibition: z.array(z.string()),
  'permit-asked': z.array(z.string()),
  'whole-asked': z.array(z.string()),
  only: z.array(z.string()),
  owned: z.array(z.string()),
});
type Roles = z.infer<typeof Roles>;

export function parseNegation(text: string): Roles {
  const roles: Record<string, string[]> = { marker: [], frame: [], opener: [], wh: [], aux: [], ending: [], particle: [], except: [], requirement: [], embed: [], plain: [], verb: [], adjective: [], noun: [], blocker: [], denial: [], refusal: [], restriction: [], guard: [], 'refusal-verb': [], 'clause-end': [], 'clause-not': [], 'requirement-not': [], control: [], existence: [], absence: [], condition: [], 'provision-noun': [], purpose: [], 'routine-case': [], prohibition: [], 'permit-asked': [], 'whole-asked': [], only: [], owned: [] };
  for (const line of text.split('\n').map((l) => l.trim())) {
    if (line === '' || line.startsWith('#')) continue;
    const [, role, list] = Line.parse(line.split('\t'));
    // Pairs of opposites (国内/国外) are read by opposites(), not as a role's flat list.
    if (role === 'opposite' || role === 'opposite-questions' || role === 'bad-practice' || role === 'qualifier') continue;
    (roles[role] ??= []).push(...list.split('|').map((v) => v.normalize('NFKC').toLowerCase().trim()).filter((v) => v !== ''));
  }
  return Roles.parse(roles);
}

let loaded: Roles | null = null;
const words = (): Roles => (loaded ??= parseNegation(readFileSync(new URL('negation.tsv', LEXICON_DIR), 'utf8')));


/** A row's clause's words for something not done or not given (非公開, 非対応, "not"): what src/retrieve/facets.ts negativeClause reads. */
export const clauseNegatives = (): readonly string[] => words()['clause-not'];

/**
 * Whether a question asks for content (how, what, who, 「どのように」「教えてください」) rather than
 * whether something holds: its answer is a description, which an exception beside it does not
 * make partial (./clauses.ts). English reads the first word, Japanese any such word.
 */
export function asksForContent(question: string): boolean {
  const q = questionText(question);
  // 「…などの」 holds どの and 「いつでも」 いつ without asking which or when (「ワンタイムパスワードなどの二要素認証は必要ですか」 is yes/no).
  if (detectLanguage(q) === 'ja') return hasAnyWord(q.replace(/など|いつでも|いつも/gu, ' '), words().wh);
  const first = q.replace(/^please\s+/, '').split(/[^a-z0-9'-]+/).find((t) => t !== '') ?? '';
  return words().wh.includes(first) || /^(?:please\s+)?(?:describe|list|explain|outline|specify|tell us)\b/.test(q);
}

/**
 * A text's sentences, NFKC, as the readings of rows here and in ./remark-denial.ts, ./polarity.ts
 * and ./clauses.ts take them: the split questions are cut by too (../sentences.ts), with a
 * bullet (■) or a URL ending what was said before it, as a full stop does.
 */
export const sentencesOf = (text: string): string[] => sentences(text.normalize('NFKC'), { rows: true }).map((s) => s.text);

/** A question as the readings below take it: NFKC, lower case, one kind of apostrophe. */
const questionText = (question: string): string => question.normalize('NFKC').toLowerCase().replace(/[’‘`]/g, "'").trim();

/** Whether the question's own predicate is negated, so that a yes or no to it reads both ways. */
export function negatedQuestion(question: string): boolean {
  const text = questionText(question);
  return detectLanguage(text) === 'ja' ? negatedJapanese(text) : negatedEnglish(text);
}

function negatedEnglish(text: string): boolean {
  const w = words();
  let clause = text.replace(/\s+/g, ' ');
  // "Is it true that you never …": the clause after the frame is what is asked.
  const frame = longestFirst(w.frame).find((f) => clause.startsWith(`${f} `));
  if (frame) clause = clause.slice(frame.length + 1);
  // "…, not only administrators?" widens what is asked; it does not negate it.
  for (const p of longestFirst(w.plain)) clause = clause.replace(new RegExp(`(?<![a-z])${escapeRegExp(p)}(?![a-z])`, 'g'), ' ');
  const tokens = clause.split(/[^a-z0-9'-]+/).filter((t) => t !== '');
  const first = tokens[0] ?? '';
  if (w.wh.includes(first)) return false;
  // A statement ("The supplier shall not …") is a requirement a yes complies with, unless a frame asked about it.
  const asking = frame !== undefined || text.includes('?') || w.aux.some((a) => first === a || first === `${a}n't`) || first === "can't" || first === "won't";
  if (!asking) return false;
  const single = new Set(w.marker.filter((m) => !m.includes(' ') && !m.startsWith("n'")));
  const phrases = w.marker.filter((m) => m.includes(' ')).map((m) => m.split(' '));
  const suffixes = w.marker.filter((m) => m.startsWith("n'"));
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] ?? '';
    if (w.opener.includes(t)) return false;
    const negation = single.has(t) || suffixes.some((s) => t.endsWith(s)) || phrases.some((p) => p.every((part, k) => tokens[i + k] === part));
    // "to not share", "not to share": an infinitive's negation belongs to what is asked about.
    if (negation && tokens[i - 1] !== 'to' && tokens[i + 1] !== 'to') return true;
  }
  return lexicalNegator(tokens, w);
}

const BE = new Set(['is', 'are', 'was', 'were', 'am']);
const at = (tokens: string[], i: number, phrase: string): boolean => phrase.split(' ').every((part, k) => tokens[i + k] === part);

/**
 * A word that negates without "not" ("Does the vendor lack …", "Is the policy missing?", "Is
 * there an absence of …"), counted only as the question's predicate: right after the subject
 * (a few words after the opening auxiliary) and not inside a noun phrase ("a process for
 * missing patches", "the lack of encryption", "Are missing patches tracked?").
 */
function lexicalNegator(tokens: string[], w: Roles): boolean {
  const first = tokens[0] ?? '';
  if (!w.aux.includes(first)) return false;
  if (BE.has(first) && tokens[1] === 'there') {
    const k = ['a', 'an', 'any'].includes(tokens[2] ?? '') ? 3 : 2;
    return w.noun.some((n) => at(tokens, k, n));
  }
  const [list, last] = BE.has(first) ? [w.adjective, 5] : [w.verb, 4];
  for (let i = 2; i <= last && i < tokens.length; i++) {
    if (w.opener.includes(tokens[i] ?? '')) return false;
    if (list.some((n) => at(tokens, i, n))) return !w.blocker.includes(tokens[i - 1] ?? '');
  }
  return false;
}

/** A Japanese question's predicate: the end of its last sentence, without its closing particle (か, の…). */
function japanesePredicate(text: string): string {
  const sentences = sentencesOf(text).map((s) => s.replace(/[\s\u3000、,」』)）]+$/u, '')).filter((s) => s !== '');
  const predicate = sentences.at(-1) ?? '';
  const particle = longestFirst(words().particle).find((p) => predicate.endsWith(p));
  return particle ? predicate.slice(0, -particle.length) : predicate;
}

function negatedJapanese(text: string): boolean {
  const w = words();
  let predicate = japanesePredicate(text);
  // 「…していないということはありますか」: whether such a case occurs is asked about the clause before the frame.
  const embed = longestFirst(w.embed).find((e) => predicate.endsWith(e));
  if (embed) predicate = predicate.slice(0, -embed.length);
  if (w.requirement.some((r) => predicate.endsWith(r))) return false;
  if (w.except.some((e) => predicate.endsWith(e))) return false;
  return w.ending.some((e) => new RegExp(`${escapeRegExp(e)}$`).test(predicate));
}

/**
 * The parts of a row's answer that say something is not done (「定期的な公開はしていません」,
 * "single-record restore is not offered"): each from the start of its sentence to the denial,
 * so the caller can tell whether what is denied is what the question asks about.
 */
export function denials(answer: string, role: 'denial' | 'refusal' = 'denial'): string[] {
  const out: string[] = [];
  for (const sentence of sentencesOf(answer.toLowerCase())) {
    const m = denialPattern(role).exec(sentence);
    if (!m) continue;
    // Up to the end of the denied verb's clause: "…しておりませんが、…で公開しています" denies only the first part.
    const after = m.index + m[0].length;
    const end = sentence.slice(after).search(/[、,;]|が|but|however/);
    out.push(sentence.slice(0, end < 0 ? undefined : after + end));
  }
  return out;
}

const denialRe = new Map<'denial' | 'refusal', RegExp>();
function denialPattern(role: 'denial' | 'refusal'): RegExp {
  let re = denialRe.get(role);
  if (!re) {
    const w = words();
    // A refusal is also a verb of handling data said in the plain negative (閲覧しません, 共有いたしません).
    const verbs = w['refusal-verb'].flatMap((v) => REFUSAL_ENDINGS.map((e) => `${v}${e}`));
    re = new RegExp(wordsPattern(role === 'denial' ? w.denial : [...w.denial, ...w.refusal, ...verbs]));
    denialRe.set(role, re);
  }
  return re;
}

/** The plain negative endings a refusal-verb takes: 閲覧しません, 閲覧いたしません, 閲覧することはありません. */
const REFUSAL_ENDINGS = ['しません', 'いたしません', '致しません', 'することはありません', 'することはございません', 'しない'];

let clauseEnd: RegExp | null = null;
/**
 * The part of a denial that says what is not done: after the last clause that ends before it
 * (「…を目的としており、…の復旧機能としては提供しておりません」, "backups are taken daily, but
 * restores are not offered"). What comes before such a clause end is a statement of its own,
 * so it does not make the denial about the question: a caveat about restores for customer
 * mistakes is not about how backups are taken.
 */
export function denialFocus(denial: string): string {
  clauseEnd ??= new RegExp(wordsPattern(words()['clause-end']), 'g');
  let start = 0;
  for (const m of denial.matchAll(clauseEnd)) start = Math.max(start, m.index + m[0].length);
  return denial.slice(start);
}

let requirementNot: RegExp | null = null;
/**
 * What a requirement written as a negative control says must not happen (「契約は事業者側が
 * 一方的に解除できる条件になっていないこと」, "Customer data is never sold"): the clause without its
 * negation, or null when the requirement is not written so. A row marked ○ with such a
 * requirement says the thing does not happen: a question asking whether it does is answered no.
 */
export function ruledOut(requirement: string): string | null {
  const text = requirement.normalize('NFKC').toLowerCase().replace(/\([^()]*\)|\[[^[\]]*\]/g, '');
  const w = words();
  for (const sentence of sentencesOf(text).map((s) => s.trim())) {
    if (sentence === '') continue;
    if (/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u.test(sentence)) {
      const ending = longestFirst(w['requirement-not']).find((e) => !isLatin(e) && sentence.endsWith(e));
      if (ending) return sentence.slice(0, -ending.length);
      continue;
    }
    requirementNot ??= new RegExp(wordsPattern(w['requirement-not'].filter(isLatin)));
    const m = requirementNot.exec(sentence);
    if (m) return `${sentence.slice(0, m.index)} ${sentence.slice(m.index + m[0].length)}`.replace(/\s+/g, ' ').trim();
  }
  return null;
}


/**
 * Whether a row's caveat only excepts a routine case from a control in place (「※緊急の場合は
 * その限りではありません」, "except where required by law", 「法令に基づく場合を除き」): it limits
 * (a restriction word) and the case it names is one every control leaves open (negation.tsv
 * role `routine-case`: emergencies, force majeure, a legal request). Such a remark does not
 * narrow what the control covers, so it makes no answer partial (blind trial s16 read a ○
 * row with an emergency proviso partial); a real scope limit (only administrators, the free
 * plan excluded, only on request) names no routine case and still does.
 */
export function routineException(caveat: string): boolean {
  const text = caveat.normalize('NFKC').toLowerCase();
  return restricts(text) && hasAnyWord(text, words()['routine-case']);
}

/**
 * Whether a row's clause says a practice is not allowed (「私物端末の業務利用は認めておりません」,
 * "personal devices are not permitted"): a rule in place, not a gap, so it is no caveat of a
 * row marked done; asked whether the practice is allowed, it is the answer no.
 */
export function prohibits(clause: string): boolean {
  return hasAnyWord(clause.normalize('NFKC').toLowerCase(), words().prohibition);
}

/**
 * Whether the question asks if a practice is allowed or possible ("Can staff use their own
 * phones?", "Are USB drives permitted?", 「私物のPCを使えますか」), and not whether it is prohibited
 * (guardedQuestion: there a prohibition is the yes). English reads a modal only as the first word
 * ("can we …", not "how can we …").
 */
export function asksPermitted(question: string): boolean {
  const q = questionText(question);
  if (guardedQuestion(q)) return false;
  const list = words()['permit-asked'];
  if (detectLanguage(q) === 'ja') {
    // The last sentence with its particle: 「…を使えますか」 asks, 「…を使えますか、と聞かれた場合の手順」 does not end so.
    const last = sentencesOf(q).map((t) => t.replace(/[\s\u3000、,」』)）]+$/u, '')).filter((t) => t !== '').at(-1) ?? '';
    return list.some((w) => !isLatin(w) && last.endsWith(w));
  }
  const first = q.split(/[^a-z0-9'-]+/).find((t) => t !== '') ?? '';
  const modal = ['can', 'could', 'may'];
  return modal.includes(first) || hasAnyWord(q, list.filter((w) => isLatin(w) && !modal.includes(w)));
}

/** The question's word asking about the whole of a population or service ("all users", 「全従業員」), or null. */
export function wholeAsked(question: string): string | null {
  return namesAny(questionText(question), longestFirst(words()['whole-asked'])) ?? null;
}

/**
 * The part a row's clause limits what it states to, when that part is what the control covers
 * (「管理者アカウントのみ多要素認証を必須」: 管理者アカウント; "MFA is enforced only for
 * administrator accounts": administrator accounts), or null. A part that is who may act
 * (「許可された者のみがアクセス」, 「担当者のみに付与」, "only authorised staff can access", "given
 * only to operators") is the control itself, a restriction that works, not a limit of its scope.
 */
export function limitedPart(clause: string): string | null {
  const text = clause.normalize('NFKC').toLowerCase();
  const w = words().only;
  if (detectLanguage(text) === 'ja') {
    for (const o of longestFirst(w.filter((x) => !isLatin(x)))) {
      const at = text.indexOf(o);
      if (at <= 0) continue;
      // Who may act: the part is followed by its particle (が, に, と: 「…のみがアクセス」「…のみとしております」).
      if (/^[がにとで]/u.test(text.slice(at + o.length))) continue;
      const part = /[\p{Script=Han}\p{Script=Katakana}ーa-z0-9・]+$/u.exec(text.slice(0, at))?.[0] ?? '';
      if (part !== '') return part;
    }
    return null;
  }
  const tokens = text.split(/[^a-z0-9'-]+/).filter((t) => t !== '');
  const i = tokens.findIndex((t) => w.includes(t));
  if (i < 0) return null;
  const after = tokens.slice(i + 1);
  const start = after[0] === 'for' || after[0] === 'on' || after[0] === 'in' || after[0] === 'with' ? 1 : 0;
  // "only to operators", "only by administrators", "only authorised staff can …": who may act.
  if (after[0] === 'to' || after[0] === 'by' || after.slice(0, 5).some((t) => ['can', 'may', 'have', 'has', 'are', 'is'].includes(t))) return null;
  const part = after.slice(start, start + 3).filter((t) => !['the', 'a', 'an', 'our', 'their'].includes(t));
  return part.length > 0 ? part.join(' ') : null;
}

/**
 * Whether a row's denial only narrows what is done (「平日のみ」, "except on the free plan",
 * 「…の場合は…」): a partial answer, never a no.
 */
export function restricts(denial: string, conditions = true): boolean {
  // A requirement's own condition (「解除する場合にペナルティがないこと」) is what it rules out, not a limit on it.
  return hasAnyWord(denial.normalize('NFKC').toLowerCase(), conditions ? words().restriction : words().restriction.filter((r) => r !== '場合' && r !== 'unless'));
}

/**
 * Pairs of opposite words (国内/国外, inside/outside, allowed/prohibited): two questions that
 * differ by one side of a pair ask opposite things. Read from negation.tsv role `opposite`,
 * each line one pair, its sides split by " / ".
 */
export interface Opposite {
  a: string[];
  b: string[];
  /** Whether a row naming one side contradicts a question naming the other (not only two questions). */
  rows: boolean;
}
let pairs: { opposite: Opposite[]; bad: Opposite[] } | null = null;
function pairLists(): { opposite: Opposite[]; bad: Opposite[] } {
  if (pairs) return pairs;
  const out: { opposite: Opposite[]; bad: Opposite[] } = { opposite: [], bad: [] };
  for (const line of readFileSync(new URL('negation.tsv', LEXICON_DIR), 'utf8').split('\n').map((l) => l.trim())) {
    if (line === '' || line.startsWith('#')) continue;
    const [, role, list] = Line.parse(line.split('\t'));
    if (role !== 'opposite' && role !== 'opposite-questions' && role !== 'bad-practice') continue;
    const [a = '', b = ''] = list.split(' / ');
    const side = (x: string): string[] => x.split('|').map((v) => v.normalize('NFKC').toLowerCase().trim()).filter((v) => v !== '');
    out[role === 'bad-practice' ? 'bad' : 'opposite'].push({ a: side(a), b: side(b), rows: role !== 'opposite-questions' });
  }
  pairs = out;
  return out;
}


/**
 * The opposite pair two questions differ by: one says one side and not the other, the other
 * question the other side and not the first (「国内に保管」 and 「国外に保管」). Null when none.
 */
export function oppositeSides(first: string, second: string): Opposite | null {
  const x = first.normalize('NFKC').toLowerCase();
  const y = second.normalize('NFKC').toLowerCase();
  const only = (t: string, p: string[], q: string[]): boolean => hasAnyWord(t, p) && !hasAnyWord(t, q);
  return pairLists().opposite.find((o) => (only(x, o.a, o.b) && only(y, o.b, o.a)) || (only(x, o.b, o.a) && only(y, o.a, o.b))) ?? null;
}

/**
 * The side of an opposite pair the question names that a row contradicts: the row names the
 * other side and not the question's ("by an external party?" and a row's 自社にて, "stored in
 * Japan?" and a row's 海外). The question's words and the row's, or null.
 */
export function oppositeStated(question: string, row: string): { asked: string; stated: string } | null {
  const q = question.normalize('NFKC').toLowerCase();
  const r = row.normalize('NFKC').toLowerCase();
  // Both texts are normalised once: this runs for every candidate row of every question.
  const named = (t: string, list: string[]): string | undefined => list.find((w) => hasWord(t, w));
  for (const o of pairLists().opposite.filter((p) => p.rows)) {
    for (const [mine, other] of [[o.a, o.b], [o.b, o.a]] as const) {
      const asked = mine.find((w) => hasWord(q, w) && namedNotOwned(q, w));
      if (!asked || named(q, other) || named(r, mine)) continue;
      const stated = named(r, other);
      if (stated) return { asked, stated };
    }
  }
  return null;
}

/**
 * Whether the question names a side's word other than as the asker's own ("our internal
 * systems", 「弊社の社内システム」: lexicon role `owned`), which a vendor's row calls external.
 */
function namedNotOwned(question: string, word: string): boolean {
  // Read for every candidate row of a question naming the word: each word's pattern is built once (the lexicon's words, a bounded set).
  let at = sidePatterns.get(word);
  if (!at) sidePatterns.set(word, (at = new RegExp(wordPattern(word), 'gu')));
  const owned = ownedBefore();
  return [...question.matchAll(at)].some((m) => !owned.test(question.slice(0, m.index)));
}

const sidePatterns = new Map<string, RegExp>();
let ownedPattern: RegExp | null = null;
/** The asker's own words (role `owned`) ending a text, as a pattern: read before a side's word. */
function ownedBefore(): RegExp {
  ownedPattern ??= new RegExp(`(?:${wordsPattern(words().owned)})\\s*$`, 'u');
  return ownedPattern;
}

/**
 * A bad practice the question asks about (plain text, shared accounts) and the practice a row
 * states instead (encrypted, hashed, individual accounts): a row that does not itself name the
 * bad practice cannot answer yes to it, and one naming the good practice answers no. Null when
 * the question names none.
 */
export function badPracticeAsked(question: string): { asked: string; weak: string[]; sound: string[] } | null {
  const q = question.normalize('NFKC').toLowerCase();
  for (const p of pairLists().bad) {
    const asked = namesAny(q, p.a);
    if (asked) return { asked, weak: p.a, sound: p.b };
  }
  return null;
}

/** Whether a text names one of the words (Latin whole words, Japanese anywhere). */
export function namesAny(text: string, list: string[]): string | undefined {
  const t = text.normalize('NFKC').toLowerCase();
  return list.find((w) => hasWord(t, w));
}

/**
 * Whether the question asks whether a control or rule exists (「…は管理されていますか」, "Is
 * installation restricted?", "Is there a policy …?") rather than whether the thing itself
 * happens: a row ruling the thing out (…ないこと) is then the control, not a no.
 */
export function asksForControl(question: string): boolean {
  return hasAnyWord(question.normalize('NFKC').toLowerCase().replace(/[’‘`]/g, "'"), words().control);
}

/**
 * Whether the question asks about keeping something from happening ("Do you prohibit shared
 * accounts?", 「共有を禁止していますか」): there a row's plain negative (「共有は行いません」) is
 * the control itself, and never reads as a no.
 */
export function guardedQuestion(question: string): boolean {
  return hasAnyWord(question.normalize('NFKC').toLowerCase().replace(/[’‘`]/g, "'"), words().guard);
}

/**
 * Whether the question asks if a bad state exists: something that lacks a control or where it
 * is not done ("Is there any laptop without disk encryption?", "Are there cases where changes
 * are not reviewed?", 「暗号化されていない端末は存在しますか」, 「レビューしない場合はありますか」).
 * The negation sits inside what is asked to exist, not at the predicate, so negatedQuestion
 * does not see it (or sees an ambiguity that is not there: はい means "such a case exists"),
 * and a row stating the control would otherwise be drafted as a yes that tells the customer
 * the bad state exists. What is asked to exist must not itself be an arrangement for that case
 * ("Is there a procedure for when a backup does not complete?": a row stating it is a yes),
 * and a negation in a condition ("a fee if we do not renew") is not part of it.
 */
export function asksBadStateExists(question: string): boolean {
  const text = questionText(question);
  return detectLanguage(text) === 'ja' ? badStateJapanese(text) : badStateEnglish(text);
}

function badStateEnglish(text: string): boolean {
  const w = words();
  const clause = text.replace(/\s+/g, ' ');
  const opener = longestFirst(w.existence.filter((e) => isLatin(e))).find((e) => clause.startsWith(`${e} `));
  if (!opener) return false;
  const tokens = clause.slice(opener.length + 1).split(/[^a-z0-9'-]+/).filter((t) => t !== '');
  const start = ['a', 'an', 'any', 'some', 'cases', 'case', 'situations', 'instances', 'times'].includes(tokens[0] ?? '') ? 1 : 0;
  // "Is there a procedure for laptops without encryption?": the arrangement is what is asked.
  if (w['provision-noun'].some((n) => at(tokens, start, n))) return false;
  for (let i = start; i < tokens.length; i++) {
    const t = tokens[i] ?? '';
    if (w.condition.some((c) => at(tokens, i, c))) return false;
    // "Is there no backup?" negates the existence itself (negatedQuestion): the absence must follow what is asked to exist.
    if (i > start && w.absence.some((a) => (a === "n't" ? t.endsWith("n't") : at(tokens, i, a)))) return true;
  }
  return false;
}

function badStateJapanese(text: string): boolean {
  const w = words();
  const predicate = japanesePredicate(text);
  // The verb of existence after its subject's particle (「…端末は存在しますか」), not an auxiliary (「保証されていますか」).
  const exists = longestFirst(w.existence.filter((e) => !isLatin(e))).find((e) => predicate.endsWith(e) && /[はがも]$/.test(predicate.slice(0, -e.length)));
  if (!exists) return false;
  // What is asked to exist: the phrase before the verb, back to the last comma (a clause before it is a condition).
  const subject = predicate.slice(0, -exists.length - 1).split(/[、,]/).at(-1) ?? '';
  // 「のぞき見されないようにする決まり」: a negation followed by ように states what an arrangement is for, not what is missing
  // (「ような」 still describes the thing itself: 「暗号化されていないような端末」).
  const purpose = (rest: string): boolean => w.purpose.some((p) => rest.startsWith(p) && !rest.startsWith(`${p}な`));
  const marks = w.absence
    .filter((a) => !isLatin(a))
    .flatMap((a) => [...subject.matchAll(new RegExp(escapeRegExp(a), 'g'))].map((m) => (m.index ?? 0) + a.length))
    .filter((end) => !purpose(subject.slice(end)));
  if (marks.length === 0) return false;
  const head = subject.slice(Math.max(...marks));
  return !w['provision-noun'].some((n) => !isLatin(n) && head.includes(n));
}

/** A qualifier's words, and a row's words saying it does not hold (有償 against 無償), if any. */
interface Qualifier {
  words: string[];
  contrary: string[];
}

let qualifierGroups: Qualifier[] | null = null;
function qualifiers(): Qualifier[] {
  if (qualifierGroups) return qualifierGroups;
  const out: Qualifier[] = [];
  const list = (x: string): string[] => x.split('|').map((v) => v.normalize('NFKC').toLowerCase().trim()).filter((v) => v !== '');
  for (const line of readFileSync(new URL('negation.tsv', LEXICON_DIR), 'utf8').split('\n').map((l) => l.trim())) {
    if (line === '' || line.startsWith('#')) continue;
    const [, role, entries] = Line.parse(line.split('\t'));
    if (role !== 'qualifier') continue;
    const [asked = '', contrary = ''] = entries.split(' / ');
    out.push({ words: list(asked), contrary: list(contrary) });
  }
  qualifierGroups = out;
  return out;
}

/** The qualifier groups (negation.tsv role `qualifier`) a question names: by mistake, free of charge, on-site. */
export function qualifiersAsked(question: string): string[][] {
  const q = question.normalize('NFKC').toLowerCase().replace(/[’‘`]/g, "'");
  return qualifiers()
    .filter((group) => hasAnyWord(q, group.words))
    .map((group) => group.words);
}

/**
 * The part of a row's answer that denies exactly the qualifier asked about: a denial
 * (「…お客様の誤操作等によるデータ紛失時の復旧機能としては提供しておりません」, "restores are not
 * offered for accidental deletions") naming a word of a group the question names, in a row
 * whose other text names none. What the row does otherwise (backups for server failures) is
 * not what was asked, so the row's ○ is no yes to it. Null when no denial does.
 */
export function deniedQualifier(groups: string[][], answer: string, names?: (text: string) => boolean): string | null {
  if (groups.length === 0) return null;
  const text = answer.normalize('NFKC').toLowerCase();
  for (const denial of denials(answer, 'refusal')) {
    const named = groups.filter((g) => hasAnyWord(denial, g));
    if (named.length === 0) continue;
    const rest = text.replace(denial, ' ');
    if (named.some((g) => !hasAnyWord(rest, g))) return denialFocus(denial);
  }
  return contraryQualifier(groups, answer, names);
}

/** The qualifiers asked (their groups of words) that have words saying they do not hold (有償 for 無償). */
const withContraries = (groups: string[][]): Qualifier[] => qualifiers().filter((q) => q.contrary.length > 0 && groups.some((g) => g.join('|') === q.words.join('|')));

/** Whether a row's sentence names what says a qualifier asked does not hold (有償 beside 無償 asked): no softening of a denial. */
export function contradictsQualifier(groups: string[][], sentence: string): boolean {
  const lower = sentence.normalize('NFKC').toLowerCase();
  return withContraries(groups).some((q) => hasAnyWord(lower, q.contrary));
}

/**
 * The sentence of a row saying a qualifier asked does not hold (「…の復元は有償にて承ります」 for "is it
 * restored free of charge?", "available as a paid option" for "included in the subscription?"),
 * when the row names none of the qualifier's own words; else null. The row offers the thing, not
 * as asked: no to the question (blind trials read a paid option yes whatever was asked).
 *
 * A row naming both (a price list: 「IPアドレス制限(無償)、BASIC認証(無償)、クライアント証明書認証(有償)」)
 * is read item by item, given `names` (whether a text names what the question asks about): the
 * item naming it and the contrary word, and none of the qualifier's, is the answer. The row's
 * other items being free says nothing of the one asked.
 */
function contraryQualifier(groups: string[][], answer: string, names?: (text: string) => boolean): string | null {
  const text = answer.normalize('NFKC');
  const lower = text.toLowerCase();
  for (const group of withContraries(groups)) {
    const says = (t: string): boolean => hasAnyWord(t.toLowerCase(), group.contrary) && !hasAnyWord(t.toLowerCase(), group.words);
    if (!hasAnyWord(lower, group.words)) {
      const sentence = sentencesOf(text).find((t) => hasAnyWord(t.toLowerCase(), group.contrary));
      if (sentence) return sentence.trim();
      continue;
    }
    if (!names) continue;
    const item = sentencesOf(text)
      .flatMap((t) => t.split(LIST_SEPARATOR))
      // What the item names besides its price words: 有償 is no subject, whatever the question's words for price.
      .find((t) => says(t) && names(withoutWords(t.toLowerCase(), [...group.words, ...group.contrary])));
    if (item) return item.trim();
  }
  return null;
}

const withoutWords = (text: string, words: readonly string[]): string => words.reduce((t, w) => t.split(w).join(' '), text);

/** Between the items of a list in one sentence: 「A(無償)、B(有償)」, "A (free), B (paid)". */
const LIST_SEPARATOR = /[、,，;；]/u;
