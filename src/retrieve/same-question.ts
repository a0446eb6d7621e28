/**
 * Whether an approved answer's original question asks what a new question asks: the rule that
 * decides which approvals the answer library may serve (retrieve.ts leaves the others out, the
 * judgement reuses one only at SAME_QUESTION). An approval served for another question is a
 * confident wrong answer in a person's words, so the rule errs towards "different": each
 * question's distinctive ideas and qualifiers (by mistake / after a failure, before / after,
 * the customer's / the staff's) must be in the other.
 */
import { readFileSync } from 'node:fs';
import type { Passage } from '../domain.js';
import { expandQuery, type Concept } from './expand.js';
import { LEXICON_DIR, type Lexicon } from './lexicon.js';
import { compile, mentions, textKey, wholeWords, type CompiledConcept, type TextKey } from './match.js';
import { negatedQuestion, oppositeSides } from './negation.js';
import { askedQuantity } from './quantities.js';
import { retrievalText } from './question-text.js';

/** One idea of a question, with the glossary lines it came from (two questions' ideas are the same idea when they share one). */
interface Idea {
  concept: CompiledConcept;
  glossaryIds: readonly number[];
}

/** A question as the reuse rule reads it; read once per question (and once per approval). */
export interface ReadForReuse {
  ideas: Idea[];
  key: TextKey;
  negated: boolean;
  /** The figure the question states, as one comparable string; '' when none (see figureAsked). */
  figure: string;
  /** Names of the qualifiers it names (lexicon/qualifiers.tsv). */
  qualifiers: Set<string>;
}

/**
 * Reads a question for the reuse rule. `concepts`: its expansion when the caller already has it
 * (retrieval does), so the question is not expanded twice.
 */
export function readForReuse(question: string, lexicon: Lexicon, concepts: Concept[] = expandQuery(question, lexicon).concepts): ReadForReuse {
  // Each concept compiled alone keeps its glossary ids beside it (compile drops concepts with nothing to match).
  const ideas = concepts.flatMap((c) => compile([c]).map((concept) => ({ concept, glossaryIds: c.glossaryIds ?? [] })));
  return { ideas, key: textKey(question), negated: negatedQuestion(question), figure: figureAsked(question), qualifiers: qualifiersOf(question) };
}

/** An idea at least this weighty ("encryption", "audited", not "data") must be in both questions. */
export const DISTINCTIVE = 0.5;

const approvedQuestions = new WeakMap<Passage, ReadForReuse>();

/**
 * How closely an approved answer's original question asks what this one asks: the share of
 * each question's ideas found in the other (stated in its text, or the same idea: the same
 * glossary line, or concepts whose characteristic words are each other's variants), the
 * smaller of the two. 0 when
 * - a named topic of either (ISMAP, ISO 27001) is missing from the other: an answer about one
 *   certification never answers another;
 * - a distinctive idea of either (weight at least DISTINCTIVE: "encryption", "audited", "third
 *   party", not "data") is missing from the other: generic ideas shared by many questions
 *   ("customer data") must not carry the match;
 * - a qualifier of either (by mistake, after a failure, before, after, the customer's) is not
 *   named by the other: "restore data deleted by mistake" and "restore after a server failure"
 *   share every topic word and ask opposite things;
 * - one is phrased in the negative and the other not, they name opposite words (国内/国外), or
 *   state different figures (at least 30 generations, against "how many").
 */
export function sameQuestion(asked: ReadForReuse, approved: Passage, lexicon: Lexicon): number {
  return sameQuestionRead(asked, approvedQuestion(approved, lexicon));
}

/**
 * sameQuestion between two questions both already read (readForReuse(retrievalText(question))):
 * the test a rejection is carried by too (src/review/similar-lookup.ts), so that what an
 * approval would be served to is what a rejection of it holds back.
 */
export function sameQuestionRead(asked: ReadForReuse, original: ReadForReuse): number {
  return asksAlike(asked, original) ? Math.min(share(asked, original), share(original, asked)) : 0;
}

/**
 * The least share of each question's ideas in the other at which an approval is shown as a
 * hint ("a similar question was approved in review #N"): it is never served at this share,
 * only named, so that a reviewer does not approve the same thing twice unawares.
 */
export const SIMILAR = 0.6;

/**
 * How closely an approved question resembles this one, for a hint only (trial s12 #9: "Are
 * customer backups performed every day?" against the approved "Do you take daily backups of
 * customer data?"): the same gates as sameQuestion (negation, figures, opposite words,
 * qualifiers, named topics), but an idea of one missing from the other only lowers the share
 * instead of ruling the approval out ("customer backups" against "customer data"). `original`:
 * the approved question read with readForReuse(retrievalText(question)), as sameQuestion reads it.
 */
export function similarQuestion(asked: ReadForReuse, original: ReadForReuse): number {
  return asksAlike(asked, original) ? Math.min(share(asked, original, false), share(original, asked, false)) : 0;
}

function approvedQuestion(approved: Passage, lexicon: Lexicon): ReadForReuse {
  // An approved passage's own question is read once per snapshot object, not once per query.
  let original = approvedQuestions.get(approved);
  if (!original) {
    // Approved questions are stored as the customer wrote them: read them as retrieval reads a question.
    original = readForReuse(retrievalText(approved.requirement), lexicon);
    approvedQuestions.set(approved, original);
  }
  return original;
}

/** The gates both rules share: what makes two questions ask different things whatever their shared words. */
function asksAlike(asked: ReadForReuse, original: ReadForReuse): boolean {
  if (original.negated !== asked.negated || original.figure !== asked.figure) return false;
  if (oppositeSides(original.key.spaced, asked.key.spaced)) return false;
  if (!sameQualifiers(original.qualifiers, asked.qualifiers)) return false;
  return asked.ideas.every((i) => !i.concept.topic || mentions(i.concept, original.key)) && original.ideas.every((i) => !i.concept.topic || mentions(i.concept, asked.key));
}

/** The weighted share of `a`'s ideas found in `b`; 0 when a distinctive one is missing (unless not `strict`). */
function share(a: ReadForReuse, b: ReadForReuse, strict = true): number {
  let total = 0;
  let found = 0;
  for (const idea of a.ideas) {
    total += idea.concept.weight;
    if (mentions(idea.concept, b.key) || b.ideas.some((other) => sameIdea(idea, other))) found += idea.concept.weight;
    else if (strict && idea.concept.weight >= DISTINCTIVE) return 0;
  }
  return total === 0 ? 0 : found / total;
}

/**
 * Two concepts stand for one idea when they come from one glossary line ("certified" and
 * "certification"; "deleted" and 削除), or when one's characteristic (first) variant is among
 * the other's ("kept", 保存, is a variant of "retained"). Sharing any variant was too loose:
 * 停止 is a variant of both 削除 and 障害, and made "deleted" and "failure" one idea.
 */
function sameIdea(a: Idea, b: Idea): boolean {
  if (a.glossaryIds.some((id) => b.glossaryIds.includes(id))) return true;
  const [headA] = a.concept.keys;
  const [headB] = b.concept.keys;
  return (headA !== undefined && b.concept.keys.includes(headA)) || (headB !== undefined && a.concept.keys.includes(headB));
}

function sameQualifiers(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((q) => b.has(q));
}

/**
 * The figure a question states (at least 30 generations, within 24 hours) as one comparable
 * string; '' when it states none. "How many generations?" and 「世代数を教えてください」 ask the
 * same (no figure stated); "at least 30 generations?" asks for a check the other never had.
 */
function figureAsked(question: string): string {
  const q = askedQuantity(question);
  return q?.figure ? `${q.dimension}:${q.bound}:${q.figure.value}` : '';
}

interface Qualifier {
  name: string;
  /** English entries as whole words of the lowercased question. */
  english: RegExp | null;
  japanese: string[];
}

let qualifiers: Qualifier[] | null = null;

/** lexicon/qualifiers.tsv, parsed once per process; a malformed line fails loudly rather than matching nothing. */
function qualifierList(): Qualifier[] {
  if (qualifiers) return qualifiers;
  const out: Qualifier[] = [];
  for (const [i, raw] of readFileSync(new URL('qualifiers.tsv', LEXICON_DIR), 'utf8').split('\n').entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const [name, en, ja] = raw.split('\t');
    const english = (en ?? '').split('|').map((w) => w.trim().toLowerCase()).filter(Boolean);
    const japanese = (ja ?? '').split('|').map((w) => w.normalize('NFKC').trim()).filter(Boolean);
    if (!name || (english.length === 0 && japanese.length === 0) || japanese.some((w) => [...w].length < 2)) throw new Error(`qualifiers.tsv line ${i + 1}: expected name, English and Japanese entries (Japanese at least two characters)`);
    out.push({ name, english: wholeWords(english), japanese });
  }
  qualifiers = out;
  return out;
}

/**
 * "every" in a period ("every day", "every 3 months", "every other week") says how often, which
 * the figure compares (figureAsked), not how far: read as the "whole" qualifier it made "backed
 * up every day" a different question from "daily backups", and from 「毎日バックアップ」, which
 * matched (trial s12 #9).
 */
const PERIOD = /\bevery\s+(?:other\s+|single\s+|\d+\s+)?(?:business\s+|working\s+|calendar\s+)?(?:minute|hour|day|night|week|month|quarter|year|weekday|weekend)s?\b/gu;

/** The qualifiers a question names. */
export function qualifiersOf(question: string): Set<string> {
  const text = question.normalize('NFKC').toLowerCase().replace(PERIOD, ' ');
  return new Set(qualifierList().filter((q) => (q.english?.test(text) ?? false) || q.japanese.some((w) => text.includes(w))).map((q) => q.name));
}
