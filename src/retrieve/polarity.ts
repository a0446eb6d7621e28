/**
 * Whether the evidence says the opposite of what a yes/no question asks, about the same thing.
 *
 * A policy states its controls in sentences whose predicate is often the negative of what a
 * questionnaire asks: "TLS 1.0 and 1.1 are disabled" answers "Is TLS 1.0 supported?", and "audit
 * logs cannot be modified by operators" answers "Can operators modify audit logs?". The passage
 * itself states a control in place (its status is yes), so its status is no answer to such a
 * question: the answer is no. A new-user trial got a confident yes to both.
 *
 * The negative must be bound to what is asked. Its predicate is the question's (the same verb,
 * or the opposite of the question's: disabled for supported), and its clause names the question's
 * subject: "TLS 1.0 and 1.1 are disabled" says nothing about TLS 1.2, and "audit logs are kept
 * for a year and cannot be modified" says nothing against keeping them. A question asking the
 * negative predicate itself ("Is TLS 1.2 disabled?") is answered by the same negative about its
 * subject; one found only about another subject is no yes (unknown).
 *
 * Only what is asked yes or no is read. A how/what/who ask ("and how are users told of an
 * outage?") is answered by a description, which no negative in it turns into a no; and a negative
 * inside a condition (「サイトが稼働できない場合は」, "if the site cannot be reached, …") says when
 * the rest applies, not that something is denied (new-user trial s14: a described outage notice
 * read as "the opposite of what is asked").
 *
 * The words are data (lexicon/negation.tsv roles `predicate-pair` and `verb-pair`).
 */
import { readFileSync } from 'node:fs';
import { detectLanguage } from '../domain.js';
import { EN_STOP, sameNumber } from './expand.js';
import { LEXICON_DIR, loadGlossary, stem } from './lexicon.js';
import { asksBadStateExists, asksForContent, negatedQuestion, sentencesOf } from './negation.js';
import { askedQuantity } from './quantities.js';
import { splitClauses } from './subquestions.js';
import { hasAnyWord, isLatin, wordsPattern } from '../regexp.js';

/** What the evidence says against the question, and the clause that says it. */
export interface Contradiction {
  /** no: the clause about what is asked says the opposite; unknown: the negative found is about something else. */
  status: 'no' | 'unknown';
  clause: string;
  /** The clause is a version the question names and no quoted passage does (versionUnnamed). */
  unnamed?: boolean;
}

interface Pair {
  on: string[];
  off: string[];
}
interface Words {
  /** Predicates and their opposites (supported / disabled). */
  predicates: Pair[];
  /** The same verb in English and Japanese (modify / 変更): a Japanese question meets English evidence. */
  verbs: Array<{ en: string[]; ja: string[] }>;
}

let loaded: Words | null = null;
function words(): Words {
  if (loaded) return loaded;
  const out: Words = { predicates: [], verbs: [] };
  for (const line of readFileSync(new URL('negation.tsv', LEXICON_DIR), 'utf8').split('\n').map((l) => l.trim())) {
    if (line === '' || line.startsWith('#')) continue;
    const [, role, list = ''] = line.split('\t');
    if (role !== 'predicate-pair' && role !== 'verb-pair') continue;
    const [a = '', b = ''] = list.split(' / ');
    const side = (x: string): string[] => x.split('|').map((v) => v.normalize('NFKC').toLowerCase().trim()).filter((v) => v !== '');
    if (role === 'predicate-pair') out.predicates.push({ on: side(a), off: side(b) });
    else out.verbs.push({ en: side(a).map(stem), ja: side(b) });
  }
  if (out.predicates.length === 0 || out.verbs.length === 0) throw new Error('negation.tsv: no predicate-pair or verb-pair line');
  loaded = out;
  return out;
}


/** A versioned name the text states, with every number its list gives ("tls 1.0 and 1.1", "tls 1.2 or higher"). */
interface Versioned {
  family: string;
  numbers: string[];
  /** "or higher", "or later", "+": every later number is named too. */
  upward: boolean;
}
const NUMBER = String.raw`v?(\d+(?:\.\d+)*)`;
const VERSIONED = new RegExp(String.raw`(?<![a-z0-9])([a-z][a-z]+)[\s-]?${NUMBER}((?:\s*(?:,|/|&|and|or)\s*${NUMBER.replace('(', '(?:')})*)(\s*(?:\+|or (?:higher|later|above|newer)|and (?:higher|later|above|newer)))?`, 'g');

function versionsIn(text: string): Versioned[] {
  return [...text.matchAll(VERSIONED)].map((m) => ({
    family: m[1] ?? '',
    numbers: [m[2] ?? '', ...[...(m[3] ?? '').matchAll(/\d+(?:\.\d+)*/g)].map((x) => x[0])],
    upward: m[4] !== undefined,
  }));
}

const later = (a: string, b: string): boolean => {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) > (y[i] ?? 0);
  return false;
};
const namesVersion = (v: Versioned, number: string): boolean => v.numbers.some((n) => sameNumber(n, number)) || (v.upward && v.numbers.some((n) => later(number, n)));

/** Whether a clause names each versioned name asked; a clause naming none of a family leaves it to the sentence. */
function namesVersions(asked: Versioned[], clause: string, sentence: string): boolean {
  const inClause = versionsIn(clause);
  const inSentence = versionsIn(sentence);
  return asked.every((a) => {
    const own = inClause.filter((v) => v.family === a.family);
    const where = own.length > 0 ? own : inSentence.filter((v) => v.family === a.family);
    return where.some((v) => a.numbers.every((n) => namesVersion(v, n)));
  });
}

/**
 * Sentences (not at a decimal point: "TLS 1.2") and their clauses (at ";", "but", "and" before a
 * new predicate, and a Japanese verb's continuative comma: 「…変更でき、…変更できません」), lower-cased for reading, each clause also as written, to quote.
 */
function sentences(text: string): Array<{ sentence: string; clauses: Array<{ lower: string; written: string }> }> {
  return sentencesOf(text.replace(/[’‘`]/g, "'"))
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((written) => ({
      sentence: written.toLowerCase(),
      clauses: written
        .split(/;|,?\s+(?:but|however|whereas|while)\s+|\s+and\s+(?=(?:can|cannot|can't|is|are|must|may|will|shall|has|have|does|do|never)\b)|ただし|が、|けれど|(?<=[きりしてで])、/i)
        .map((c) => c.trim())
        .filter((c) => c !== '')
        .map((c) => ({ lower: c.toLowerCase(), written: c })),
    }));
}

/**
 * A condition inside a clause: 「(Webサイトが稼働できない場合)」「停止した時は、」, "if the portal
 * cannot be reached", "when the service is unavailable". It says when the rest applies; a
 * negative in it denies nothing. 随時 / 常時 / 同時 … are adverbs, not conditions.
 */
const JA_CONDITION = /[^、,。()（）]*?(?:場合|とき|(?<![随常同臨定即適当日])時|際|なら(?:ば)?)(?:に?は|に|でも|も)?(?=[、,)）]|$)/gu;
const EN_CONDITION = /\b(?:if|when|whenever|in case|in the event)\b[^,;()]*/g;
const withoutConditions = (clause: string): string => clause.replace(JA_CONDITION, ' ').replace(EN_CONDITION, ' ');

/**
 * An occasion a clause is stated for: 「返却の際には」「契約終了後に」「障害発生時は」 (no comma needed),
 * "on account closure", "upon termination", "after the contract ends", or a condition. "Media are
 * kept encrypted, and erased on disposal" says nothing against keeping them: an opposite stated
 * only for an occasion is no no to a question that names none (blind trial s16: 「バックアップ媒体
 * は暗号化した状態で保管していますか」 answered いいえ from 「廃棄の際にはデータの完全な抹消」). A question
 * naming an occasion of its own ("kept after cancellation?") may name the same one in other words
 * or the other language, so there the opposite is read as before.
 */
const JA_OCCASION = /[\p{Script=Han}\p{Script=Katakana}ー]{2}(?:の)?(?:際|時|後|場合|とき)(?:に?は|に|でも)/u;
const EN_OCCASION = /\b(?:on|upon|after|following|at)\s+(?:the\s+|an?\s+|its\s+|their\s+|your\s+|our\s+)?(?:[a-z-]+\s+){0,2}(?:closure|termination|cancellation|expiry|expiration|end|request|disposal|retirement|decommissioning|offboarding|departure|exit|deletion|removal)\b/;
const statesOccasion = (clause: string): boolean => JA_OCCASION.test(clause) || EN_OCCASION.test(clause) || new RegExp(EN_CONDITION.source).test(clause) || new RegExp(JA_CONDITION.source, 'u').test(clause);
/** A question naming any occasion ("after an account is closed", 「解約後」): read generously, since there the opposite is read as before. */
const asksOccasion = (question: string): boolean => statesOccasion(question) || /\b(?:after|upon|once|following|during|until)\b|(?:際|時|後|以降|まで)/u.test(question);

/** A negative in a clause: the words it denies (English stems, or a Japanese run), and on which predicate side. */
interface Negative {
  /** The opposite predicates the clause states (disabled), as pairs' indexes. */
  off: number[];
  /** The words a not/never/cannot governs ("cannot be modified" → modifi), stemmed; Japanese: the run before できません. */
  denied: string[];
  /** The on-side predicates that a negation governs ("is not supported"), as pairs' indexes. */
  notOn: number[];
  /** How many opposite predicates the clause states (無効化は禁止: two). */
  offWords: number;
}

let offStemSet: Set<string> | null = null;
/** The off-side words as a negation's governed words are read (stemmed English, Japanese as written). */
const offStems = (): Set<string> => (offStemSet ??= new Set(words().predicates.flatMap((p) => p.off.map((o) => (isLatin(o) ? stem(o) : o)))));

let offPattern: RegExp | null = null;
/** Every off-side word, longest first, so that 無効化 is one word and not also 無効. */
function offWords(clause: string): number {
  offPattern ??= new RegExp(
    wordsPattern([...new Set(words().predicates.flatMap((p) => p.off))]),
    'g',
  );
  return [...clause.matchAll(offPattern)].length;
}

const EN_NEGATION = /\b(?:not|never|cannot|no longer)\b|n't\b/g;
const SKIP_AFTER_NEGATION = new Set(['be', 'been', 'being', 'to', 'the', 'a', 'an', 'any', 'yet', 'ever', 'always', 'currently', 'directly', 'otherwise']);
const JA_NEGATION = /(?:することは|することが|することも|は|が|を)?(?:できません|できない|不可|しません|しない|いたしません|致しません|しておりません|していません|されません|されない|されておりません|されていません)/g;

function negativesIn(clause: string): Negative {
  const w = words();
  const off = w.predicates.flatMap((p, i) => (hasAnyWord(clause, p.off) ? [i] : []));
  const denied: string[] = [];
  const notOn: number[] = [];
  for (const m of clause.matchAll(EN_NEGATION)) {
    const after = clause.slice(m.index + m[0].length).split(/[^a-z0-9'-]+/).filter((t) => t !== '' && !SKIP_AFTER_NEGATION.has(t)).slice(0, 2);
    denied.push(...after.map(stem));
    const phrase = after.join(' ');
    w.predicates.forEach((p, i) => {
      if (p.on.some((o) => phrase.startsWith(o))) notOn.push(i);
    });
  }
  for (const m of clause.matchAll(JA_NEGATION)) {
    const run = /[\p{Script=Han}\p{Script=Katakana}ー]+$/u.exec(clause.slice(0, m.index))?.[0];
    if (run) {
      denied.push(run);
      w.predicates.forEach((p, i) => {
        if (p.on.some((o) => !isLatin(o) && run.endsWith(o))) notOn.push(i);
      });
    }
  }
  return { off, denied, notOn, offWords: offWords(clause) };
}

/** The question, as read for its predicate and subject. */
interface Asked {
  ja: boolean;
  /** The pairs whose on side the question names, and whose off side. */
  on: number[];
  off: number[];
  /** Its content words (English stems, Japanese runs) and English stems its Japanese verbs stand for. */
  content: string[];
  verbsEn: string[];
  /** The Japanese runs that are such verbs (変更): the predicate, not the subject. */
  verbRuns: string[];
  versions: Versioned[];
}

function readQuestion(question: string): Asked {
  const q = question.normalize('NFKC').toLowerCase().replace(/[’‘`]/g, "'");
  const w = words();
  const ja = detectLanguage(q) === 'ja';
  const versions = versionsIn(q);
  const families = new Set(versions.map((v) => v.family));
  const english = (q.match(/[a-z][a-z'-]*/g) ?? []).filter((t) => t.length > 1 && !EN_STOP.has(t) && !families.has(t) && !['can', 'could', 'do', 'does', 'is', 'are'].includes(t)).map(stem);
  const runs = ja ? (q.match(/[\p{Script=Han}\p{Script=Katakana}ー]{2,}/gu) ?? []) : [];
  return {
    ja,
    on: w.predicates.flatMap((p, i) => (hasAnyWord(q, p.on) ? [i] : [])),
    off: w.predicates.flatMap((p, i) => (hasAnyWord(q, p.off) ? [i] : [])),
    content: [...english, ...runs],
    verbsEn: w.verbs.filter((v) => v.ja.some((j) => runs.some((r) => r.includes(j)))).flatMap((v) => v.en),
    verbRuns: runs.filter((r) => w.verbs.some((v) => v.ja.some((j) => r.includes(j)))),
    versions,
  };
}

/**
 * The English phrases (as stems) the glossary gives a Japanese word: a Japanese question's
 * subject (監査ログ) is named by an English policy's "audit logs".
 */
const englishOf = new Map<string, string[][]>();
function glossed(run: string): string[][] {
  let out = englishOf.get(run);
  if (!out) {
    out = loadGlossary()
      .filter((c) => c.ja.some((v) => v.length >= 2 && run.includes(v)))
      .flatMap((c) => c.en.map((phrase) => (phrase.match(/[a-z0-9]+/g) ?? []).map(stem)).filter((stems) => stems.length > 0));
    englishOf.set(run, out);
  }
  return out;
}

/**
 * The Japanese variants the glossary gives an English word on its own line ("cancel" → 解約):
 * an English question's subject named by a Japanese checksheet row. Single-word phrases only,
 * so that "data" is not every concept with data in its name.
 */
const japaneseOf = new Map<string, string[]>();
function variantsOf(word: string): string[] {
  let out = japaneseOf.get(word);
  if (!out) {
    out = loadGlossary()
      .filter((c) => c.en.some((phrase) => {
        const stems = (phrase.match(/[a-z0-9]+/g) ?? []).map(stem);
        return stems.length === 1 && stems[0] === word;
      }))
      .flatMap((c) => c.ja.filter((v) => v.length >= 2));
    japaneseOf.set(word, out);
  }
  return out;
}

/**
 * The question's subject words a sentence names: at least half of them, or at least one where
 * `least` is 'one' (none asked: the versions alone bind).
 */
function aboutSubject(subject: string[], sentence: string, least: 'half' | 'one' = 'half'): boolean {
  if (subject.length === 0) return true;
  const stems = new Set((sentence.match(/[a-z0-9][a-z0-9'-]*/g) ?? []).map(stem));
  const found = subject.filter((s) => (isLatin(s) ? stems.has(s) || variantsOf(s).some((v) => sentence.includes(v)) : sentence.includes(s) || glossed(s).some((phrase) => phrase.every((x) => stems.has(x))))).length;
  return found > 0 && (least === 'one' || found * 2 >= subject.length);
}

/**
 * A negative limited to part of the service ("not available on the Starter plan", "except for
 * contractors") that the question does not name: it is no plain no, and the passage's own
 * reading (partial) stands.
 */
/** A question about the whole of something: a negative limited to part of it answers no. */
const UNIVERSAL = /\b(?:all|every|each|any)\s+(?:of\s+(?:the\s+|our\s+|your\s+)?)?[\w-]+|すべての|全ての|全プラン|全ユーザー/;
const CONDITION = /(?:を除き|を除いて|場合(?:は|に)?|限り|以外)$/;
const SCOPE = /\b(?:only|except|excluding|unless|other than)\b|\b(?:on|for|in)\s+(?:the\s+)?[\w-]+\s+(?:plans?|tiers?|editions?|versions?|accounts?)\b|のみ|を除/;

/** An ask without the "and"/"also" that joined it to the one before. */
const bareAsk = (ask: string): string => ask.replace(/^(?:and|also|or|as well as)\s+/iu, '');

/**
 * The part of a question asked yes or no: its yes/no asks (a how/what/who ask is answered by a
 * description, ./negation.ts asksForContent), the whole question when all of them are, null when
 * none is.
 */
function yesNoAsks(question: string): string | null {
  const asks = splitClauses(question);
  if (asks.length === 0) return asksForContent(bareAsk(question)) ? null : question;
  const yesNo = asks.filter((a) => !asksForContent(bareAsk(a)));
  if (yesNo.length === asks.length) return question;
  return yesNo.length === 0 ? null : yesNo.join(' ');
}

/**
 * What the evidence says against a yes to the question, or null when nothing does. Only a yes/no
 * question phrased positively, or asking the negative predicate of a pair (disabled) is read: a
 * negated question and one asking whether a bad state exists have their own rules (./negation.ts).
 */
export function predicateContradiction(whole: string, evidence: string): Contradiction | null {
  // A figure asked ("kept for 90 days?") is the figure rules' to answer (./quantities.ts).
  if (negatedQuestion(whole) || asksBadStateExists(whole) || askedQuantity(whole) !== null) return null;
  const question = yesNoAsks(whole);
  if (question === null) return null;
  const asked = readQuestion(question);
  const w = words();
  const onSide = (i: number): string[] => w.predicates[i]?.on.map((o) => (isLatin(o) ? stem(o) : o)) ?? [];
  let unbound: string | null = null;
  for (const { sentence, clauses } of sentences(evidence)) {
    for (const [k, { lower: clause, written }] of clauses.entries()) {
      const neg = negativesIn(withoutConditions(clause));
      const bound = namesVersions(asked.versions, clause, sentence);
      // The question's own verb negated ("cannot be deleted by support staff" for "Can support staff delete …?").
      const verb = neg.denied.filter((d) => asked.content.includes(d) || asked.verbsEn.includes(d) || (asked.ja && asked.content.some((c) => c.endsWith(d) || d.endsWith(c))));
      // "Disabling antivirus is prohibited", 「無効化は禁止」, "cannot be disabled": two negatives make a positive.
      const doubled = neg.offWords > 1 || (neg.offWords > 0 && neg.denied.some((d) => offStems().has(d)));
      if (verb.length === 0 && doubled) continue;
      if (verb.length === 0 && asked.off.length > 0) {
        // The question asks the negative predicate (disabled): the same negative about its subject agrees.
        const same = neg.off.filter((i) => asked.off.includes(i));
        if (same.length === 0) continue;
        const subject = asked.content.filter((c) => !asked.off.some((i) => w.predicates[i]?.off.some((o) => (isLatin(o) ? stem(o) === c : o === c))));
        // A question naming several things ("backup media encrypted … with USB ports disabled")
        // agrees with a clause disabling any one of them; a version asked still has to be named
        // ("Is TLS 1.2 disabled?" against "TLS 1.0 and 1.1 are disabled" stays unknown).
        if (bound && aboutSubject(subject, sentence, 'one')) return null;
        unbound ??= written;
        continue;
      }
      // The question's predicate denied: its own verb negated, its opposite stated (disabled for supported), or its side negated ("is not available").
      const opposite = verb.length > 0 ? [] : neg.off.filter((i) => asked.on.includes(i));
      const notOn = verb.length > 0 ? [] : neg.notOn.filter((i) => asked.on.includes(i));
      if (opposite.length + notOn.length + verb.length === 0) continue;
      // Only the opposite predicate stated: for an occasion the question does not ask about, no no (statesOccasion).
      if (verb.length === 0 && notOn.length === 0 && statesOccasion(clause) && !asksOccasion(question.normalize('NFKC').toLowerCase())) continue;
      // 「…は提供していませんが、障害時は随時お知らせしています」, "… is not offered, but …": the
      // remark says what is done instead, which is its partial (./remark-denial.ts), not a plain no.
      const rest = sentence.slice(sentence.indexOf(clause) + clause.length);
      if (clauses[k + 1] && /^\s*(?:が[、,]|,?\s*but\b)/.test(rest)) continue;
      const predicate = new Set([...verb, ...[...opposite, ...notOn].flatMap(onSide)]);
      const subject = asked.content.filter((c) => !predicate.has(c) && !(verb.length > 0 && asked.verbRuns.includes(c)) && ![...opposite, ...notOn].some((i) => onSide(i).some((o) => c.endsWith(o))));
      // A versioned name asked (TLS 1.0) is the subject itself when the clause names it.
      if (!bound || (asked.versions.length === 0 && !aboutSubject(subject, sentence))) continue;
      // A Japanese exception leads its clause (「法令に基づく場合を除き、…開示いたしません」).
      const scope = SCOPE.exec(clause) ?? CONDITION.exec(clauses[k - 1]?.lower ?? '');
      // Limited to part of the service, the negative is no plain no, unless the question asks about all of it ("on all plans?").
      const q = question.normalize('NFKC').toLowerCase();
      if (scope && !q.includes(scope[0]) && !UNIVERSAL.test(q)) continue;
      return { status: 'no', clause: written };
    }
  }
  return unbound === null ? null : { status: 'unknown', clause: unbound };
}

/**
 * A version the question names (SSL 3.0, TLS 1.3: a name with a dotted number) that none of the
 * quoted texts names, by itself, in a list or in a range ("TLS 1.2 or higher"): a passage about
 * other versions, or about the protocol family in general, is no yes to it. The version as the
 * question writes it, or null. Undotted numbers (ISO 27001, SOC 2) are the named-topic rules'.
 */
export function versionUnnamed(question: string, texts: readonly string[]): string | null {
  const asked = versionsIn(question.normalize('NFKC').toLowerCase()).filter((v) => v.numbers.every((n) => n.includes('.')));
  const stated = texts.flatMap((t) => versionsIn(t.normalize('NFKC').toLowerCase()));
  const missing = asked.find((a) => !stated.some((v) => v.family === a.family && a.numbers.every((n) => namesVersion(v, n))));
  return missing ? `${missing.family.toUpperCase()} ${missing.numbers.join(', ')}` : null;
}
