/**
 * A vendor's remark that says, in so many words, that exactly what the question asks is not
 * done, inside a row whose mark says it is (○ with 「定期的な明示はしていません」, 「…の証明書に類する
 * 書類は発行しておりません」, 「…モバイル版では動作しません」, "we do not issue deletion certificates").
 * The mark is about the row's requirement; the remark's denial is about a narrower thing, and
 * when that thing is what the customer asked about, the honest answer is no (or partial, when
 * the same sentence offers what is done instead, another sentence says another part of what is
 * asked is done, the vendor does itself what the customer may not and another ask is about the
 * vendor, or the denial holds only as a rule or with exceptions). New-user trials s8, s9 and s11 found every such question answered yes or partial
 * from the mark: the older checks (./retrieve.ts rowCaution) bind a denial to the question by a
 * share of its ideas, and a remark names the denied thing in its own words and elides the rest.
 *
 * So the binding here goes both ways, and it is the other way that keeps it from firing on a
 * denial of something else in the same remark:
 * - every idea the denial names (its object, its qualifiers: 定期的, モバイル, 証明書) must be
 *   one the question asks about; a denial that narrows by an idea the question does not name
 *   (「kintoneモバイル版では動作しません」 for "does it run on kintone?") is about another case;
 *   the platform the row says the product runs on (「kintone上で提供」) narrows nothing, as its mobile
 *   version is the product's ("does krew work on smartphones?" need not name kintone);
 * - its predicate (the word before the negative ending) must be asked too, or be the row's own
 *   requirement's (「明示」 of 「…定期的に明示すること」), or be of the kind the question asks:
 *   existence (「存在しません」 for "are there …?"), working or use (「動作しません」 for 「利用できますか」),
 *   or only "do" (行う, 実施, 対応);
 * - a denial naming the customer as the one acting (「利用者による脆弱性診断は非対応」) answers
 *   only a question about the customer acting ("can we run our own test?", 弊社側で, the customer's
 *   side of ./facets.ts's actor facet: 「うちの開発チームで」), or about a capability that is the
 *   customer's own by its glossary line ("Do you support BYOK?": 「利用者が管理する鍵」); such a
 *   caution says so (actor), so that the judgement lets it lead over a row about the vendor's own
 *   doing (src/judge/judge.ts refusingRival);
 * - and the denial must share an idea of the question's beyond the customer.
 * The words are data (lexicon/remark-denial.tsv): general grammar, never a trial's rows.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Passage } from '../domain.js';
import type { Caution } from './caution.js';
import { expandQuery, type Concept } from './expand.js';
import { LEXICON_DIR, stem, tokenizeEn, type Lexicon } from './lexicon.js';
import { compile, mentions, textKey, type CompiledConcept, type TextKey } from './match.js';
import { denialFocus, restricts, sentencesOf } from './negation.js';
import { askedFacets } from './facets.js';
import { caveats } from '../corpus/status.js';
import { splitQuestion } from './subquestions.js';
import { hasAnyWord, longestFirst, wordsPattern } from '../regexp.js';

const Line = z.tuple([z.enum(['en', 'ja', '-']), z.string().min(1), z.string().min(1)]);
const ROLES = ['not', 'not-except', 'not-after', 'not-before', 'alternative', 'hedge', 'generic-head', 'light', 'do', 'clause-end', 'exception', 'except', 'defer', 'defer-asked', 'defer-where', 'defer-written', 'customer', 'actor-mark', 'actor', 'asker', 'exist', 'exists-asked', 'able', 'able-asked', 'give', 'give-asked', 'hold', 'hold-asked', 'content', 'content-asked', 'host'] as const;
type Role = (typeof ROLES)[number];
type Words = Record<Role, { en: string[]; ja: string[] }>;

function parseRemarkWords(text: string): Words {
  const out = Object.fromEntries(ROLES.map((r) => [r, { en: [] as string[], ja: [] as string[] }])) as Words;
  for (const line of text.split('\n').map((l) => l.trim())) {
    if (line === '' || line.startsWith('#')) continue;
    const [lang, role, list] = Line.parse(line.split('\t'));
    if (!(ROLES as readonly string[]).includes(role)) throw new Error(`remark-denial.tsv: unknown role ${role}`);
    const entries = list.split('|').map((v) => v.normalize('NFKC').toLowerCase().trim()).filter((v) => v !== '');
    for (const l of lang === '-' ? (['en', 'ja'] as const) : [lang]) out[role as Role][l].push(...entries);
  }
  return out;
}

let loaded: Words | null = null;
const words = (): Words => (loaded ??= parseRemarkWords(readFileSync(new URL('remark-denial.tsv', LEXICON_DIR), 'utf8')));

const normal = (text: string): string => text.normalize('NFKC').toLowerCase().replace(/[’‘`]/g, "'");
const isJapanese = (text: string): boolean => /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u.test(text);

/** A denial in a remark: the clause that says something is not done, and what follows it in its sentence. */
interface RemarkDenial {
  /** From the start of its clause to the negative ending (「定期的な明示はしていません」). */
  clause: string;
  /** The clause without its negative ending: what is said not to be done. */
  body: string;
  /** The rest of the sentence after an alternative's lead (「…が、…公開いたします」), or ''. */
  instead: string;
  /** Where in `body` the words after an English negation start (its verb); -1 in Japanese. */
  verbAt: number;
}


/** The denials in a row's remark, each with the part of its sentence that says what is done instead. */
function remarkDenials(answer: string): RemarkDenial[] {
  const out: RemarkDenial[] = [];
  // Matched in lower case, quoted as written (NFKC only: a reason quotes the row's words).
  for (const sentence of sentencesOf(answer)) {
    if (sentence.trim() === '') continue;
    const ja = isJapanese(sentence);
    const w = words();
    const ending = new RegExp(wordsPattern(ja ? w.not.ja : w.not.en), 'gi');
    let start = 0;
    for (const m of sentence.matchAll(ending)) {
      const end = (m.index ?? 0) + m[0].length;
      const head = sentence.slice(start, m.index);
      const after = sentence.slice(end);
      start = end;
      if (!ja && !englishDenial(sentence, m.index ?? 0)) continue;
      // 「一部冗長化されていないサーバーがございます」: some servers exist that are not redundant. The
      // item is the noun the negative describes; read as 「サーバーは一部冗長化されていない」, so that
      // the item comes before the predicate as in any other Japanese denial.
      const described = ja ? ATTRIBUTIVE.exec(after) : null;
      if (ja && described?.[1] && VERBAL_NOT.test(m[0])) {
        const head2 = clauseOf(denialFocus(head)).trim();
        out.push({ clause: `${head2}${m[0]}${described[1]}`, body: `${described[1].toLowerCase()}は${head2.toLowerCase()}`, instead: '', verbAt: -1 });
        continue;
      }
      if (ja && !japaneseDenial(sentence, m.index ?? 0, m[0], after)) continue;
      // English says what is not done after the negation ("we do not issue certificates"): up to the clause's end.
      const alternative = wordsPattern(ja ? w.alternative.ja : w.alternative.en);
      const tail = ja ? '' : (after.split(new RegExp(`[,;]|${alternative}`, 'i'))[0] ?? '');
      const clause = clauseOf(denialFocus(`${head}${m[0]}${tail}`)).trim();
      const focus = clauseOf(denialFocus(head.toLowerCase())).trimStart();
      const body = ja ? focus.trimEnd() : `${focus} ${tail.trim().toLowerCase()}`;
      // What is done instead follows the alternative's lead in the same sentence (「…していませんが、…」, ", but …").
      const lead = new RegExp(ja ? `^[^、,。]{0,20}?(?:${alternative})` : `(?:${alternative})`, 'i').exec(ja ? after : after.slice(tail.length));
      const instead = lead ? (ja ? after : after.slice(tail.length)).slice((lead.index ?? 0) + lead[0].length) : '';
      out.push({ clause, body, instead, verbAt: ja ? -1 : focus.length + 1 });
    }
  }
  return out;
}

/**
 * A noun a Japanese verbal negative describes, said to exist (「…されていないサーバーがございます」,
 * 「…できない機能があります」): the noun. Only a verb's negative (ていない, できない) describes a noun
 * so; a noun ending (非対応) before a noun is part of a word.
 */
const ATTRIBUTIVE = /^([\p{Script=Han}\p{Script=Katakana}ー]+)(?:が|も)(?:ござい|あり|存在)/u;
const VERBAL_NOT = /(?:ていない|できない|行わない|存在しない)$/u;

/** A Japanese denial's own clause: after the last clause end before it (「…はなく、」). */
function clauseOf(head: string): string {
  const ends = words()['clause-end'].ja;
  let start = 0;
  for (const e of ends) {
    const i = head.lastIndexOf(e);
    if (i >= 0) start = Math.max(start, i + e.length);
  }
  return head.slice(start);
}

function japaneseDenial(sentence: string, index: number, ending: string, after: string): boolean {
  const w = words();
  // A noun ending (非対応, 不可) is one only as a word of its own: 不可欠 is "indispensable".
  if (/^[\p{Script=Han}\p{Script=Katakana}a-z0-9]/u.test(after)) return false;
  if (w['not-after'].ja.some((a) => after.startsWith(a))) return false;
  const around = sentence.slice(Math.max(0, index - 8), index + ending.length);
  return !w['not-except'].ja.some((e) => around.endsWith(e));
}

function englishDenial(sentence: string, index: number): boolean {
  // "to ensure data is not lost", "if the customer does not renew": a purpose or a condition, not a denial.
  const before = sentence.slice(0, index).toLowerCase().split(/[,;]/).at(-1) ?? '';
  return !hasAnyWord(before, words()['not-before'].en);
}

/** What the denial test reads of a question, once per question. */
export interface RemarkAsked {
  concepts: CompiledConcept[];
  /** The question's own text, as a denial's idea is looked up in it. */
  key: TextKey;
  /** Every variant of the question's ideas: a denial's idea sharing one is asked about. */
  variants: Set<string>;
  /** The stems of the question's English words. */
  stems: Set<string>;
  /** The question names the customer, or itself as the one acting ("we", 弊社). */
  asker: boolean;
  existence: boolean;
  able: boolean;
  /** The question asks to be handed something (a copy, an extract, a certificate). */
  give: boolean;
  /** The question asks whether the vendor comes to hold the data (a copy on its servers, kept, sent to it). */
  hold: boolean;
  /** The question asks about the customer's own content (the records it entered, "our data"). */
  content: boolean;
  lexicon: Lexicon;
  /** Each ask of a multi-part question read alike (none for a question of one ask): a denial is about one of them. */
  asks: RemarkAsked[];
}

export function remarkAsked(question: string, concepts: CompiledConcept[], own: readonly Concept[], lexicon: Lexicon): RemarkAsked {
  const parts = splitQuestion(question);
  const asks = parts.length > 1 ? parts.map((part) => {
    const partConcepts = expandQuery(part, lexicon).concepts;
    return readAsked(part, compile(partConcepts), partConcepts, lexicon, []);
  }) : [];
  return readAsked(question, concepts, own, lexicon, asks);
}

function readAsked(question: string, concepts: CompiledConcept[], own: readonly Concept[], lexicon: Lexicon, asks: RemarkAsked[]): RemarkAsked {
  const text = normal(question);
  const lang = isJapanese(text) ? 'ja' : 'en';
  const w = words();
  const variants = own.flatMap((c) => [...c.variants, ...(c.own ?? [])]);
  return {
    concepts,
    key: textKey(text),
    variants: new Set(variants.map(normal)),
    stems: new Set(tokenizeEn(text).map(stem)),
    // The customer's side of who acts, as ./facets.ts reads it (「うちの開発チームで」, "for our QA team to") is the asker acting too.
    asker: hasAnyWord(text, w.asker[lang]) || customerSubject(text, lang) || askedFacets(question).some((f) => f.facet === 'actor' && f.side === 'customer') || own.some((c) => customerSide(c.variants)),
    existence: hasAnyWord(text, w['exists-asked'][lang]),
    able: hasAnyWord(text, w['able-asked'][lang]),
    give: hasAnyWord(text, w['give-asked'][lang]),
    hold: hasAnyWord(text, w['hold-asked'][lang]),
    content: hasAnyWord(text, w['content-asked'][lang]),
    lexicon,
    asks,
  };
}

/** A customer word as the subject of what is asked ("can customers …", 「利用者が…」), not a possessor ("customer data"). */
function customerSubject(text: string, lang: 'ja' | 'en'): boolean {
  const w = words();
  if (lang === 'ja') return new RegExp(`(?:${wordsPattern(w.customer.ja)})(?:${wordsPattern(w['actor-mark'].ja)})`).test(text);
  return new RegExp(`(?<![a-z])(?:can|could|may|do|does|will|are|is|allow|allows|let|lets|permit|permits)\\s+(?:the\\s+|our\\s+|your\\s+)?(?:${wordsPattern(w.customer.en)})(?!\\s+(?:data|information|accounts?|records?|content|files?)(?![a-z]))`).test(text);
}

/** The customer named as the one acting (利用者が, お客様による), read in a glossary line's Japanese words. */
let actingPattern: RegExp | undefined;

/**
 * Whether an idea of the question (its variants) is itself the customer acting: a glossary line whose Japanese words
 * name the customer as the one acting (BYOK: 「利用者が管理する鍵」, 「利用者が独自に暗号化」; a customer's
 * own test: 「お客様による脆弱性診断」). "Do you support BYOK?" asks whether customers may bring
 * their keys though it names no customer: a remark refusing the customer that capability answers it.
 */
export function customerSide(variants: readonly string[]): boolean {
  const w = words();
  const acting = (actingPattern ??= new RegExp(`(?:${wordsPattern(w.customer.ja)})(?:${wordsPattern(w['actor-mark'].ja)})`));
  return variants.some((v) => acting.test(normal(v)));
}

/** The ideas of a denial, each with where it first appears (its predicate is the last). */
interface DenialIdea {
  concept: Concept;
  compiled: CompiledConcept;
  at: number;
}

const ideasCache = new Map<string, DenialIdea[]>();
function ideas(body: string, lexicon: Lexicon): DenialIdea[] {
  const cached = ideasCache.get(body);
  if (cached) return cached;
  const concepts = expandQuery(body, lexicon).concepts;
  const compiled = compile(concepts);
  const out = concepts.flatMap((concept): DenialIdea[] => {
    const c = compiled.find((x) => x.source === concept.source);
    if (!c) return [];
    const at = firstAt(body, concept);
    return at < 0 ? [] : [{ concept, compiled: c, at }];
  });
  ideasCache.set(body, out);
  return out;
}

function firstAt(body: string, concept: Concept): number {
  const source = normal(concept.source);
  const direct = body.indexOf(source);
  if (direct >= 0) return direct;
  const found = concept.variants.map((v) => body.indexOf(normal(v))).filter((i) => i >= 0);
  return found.length > 0 ? Math.min(...found) : -1;
}

/** A question's idea that is the customer itself (利用者, customers): in every remark, it says nothing of what is done. */
const customerConcept = (c: CompiledConcept): boolean => c.keys.some((k) => words().customer.ja.includes(k));

/** Light: a generic word (a glossary weight under 0.3) or one the lexicon lists as narrowing nothing. */
const LIGHT = 0.3;

/**
 * Whether the question asks about the idea: it names one of its words, or shares a variant
 * with one of the question's ideas, or (a Japanese idea for an English question) one of the
 * English phrases of its glossary line is made of the question's words ("provide logs").
 */
function asked(idea: DenialIdea, q: RemarkAsked, body = ''): boolean {
  if (mentions(idea.compiled, q.key)) return true;
  if (idea.concept.variants.some((v) => q.variants.has(normal(v)))) return true;
  // A word of the question's idea as the denial writes it (暗号化 of 「利用者が独自に暗号化」, a word of BYOK's line) is that idea.
  const source = normal(idea.concept.source);
  if (body !== '' && isJapanese(source) && [...q.variants].some((v) => v.length > source.length && v.includes(source) && body.includes(v))) return true;
  // A compound of an idea asked and one kanji of kind (証明書 for 証明, 暗号化 for 暗号) names the same thing.
  if (/^[\p{Script=Han}\p{Script=Katakana}ー]{3,}$/u.test(source) && [...q.variants].some((v) => v.length >= 2 && source.length === v.length + 1 && source.startsWith(v) && /\p{Script=Han}$/u.test(source))) return true;
  return (idea.concept.glossaryIds ?? []).some((id) =>
    (q.lexicon.glossary[id]?.en ?? []).some((phrase) => {
      const stems = tokenizeEn(phrase).map(stem);
      return stems.length > 0 && stems.every((s) => q.stems.has(s));
    }),
  );
}

/**
 * The remark-denies caution for this row and question, or null: the row's remark denies the
 * very thing asked (no), or denies it while saying what is done instead or that it holds as a
 * rule (partial). Rows marked × or n/a say so themselves.
 */
export function remarkDenies(q: RemarkAsked, passage: Passage): Caution | null {
  if (passage.status === 'no' || passage.status === 'not_applicable' || q.concepts.length === 0) return null;
  const answer = passage.answer;
  if (answer.trim() === '') return null;
  const all = remarkDenials(answer);
  // 「…添付ファイル以外の…暗号化は行っておりません」 asked about attachments: what the denial leaves out is what is asked.
  const excepting = all.filter((d) => exceptsAsked(d, q));
  const denied = all.filter((d) => !excepting.includes(d));
  // Of a multi-part question, a denial joining one ask's predicate to another's object (「バックアップデータの
  // 暗号化は行っておりません」 for "is data in transit encrypted, and how often are backups taken?") is about
  // neither ask: it is beside the question, as a denial of another item is.
  const straddling = q.asks.length > 1 ? denied.filter((d) => binds(d, q, passage) !== null && !q.asks.some((a) => ownAsk(d, a, q.asks, passage))) : [];
  for (const denial of denied) {
    if (straddling.includes(denial)) continue;
    const bound = binds(denial, q, passage);
    if (bound === null) continue;
    const w = words();
    const lang = isJapanese(denial.clause) ? 'ja' : 'en';
    // What is done instead, said in the same sentence about the question: partly done.
    const instead = denial.instead !== '' && q.concepts.some((c) => c.weight >= LIGHT && !customerConcept(c) && mentions(c, textKey(denial.instead)));
    // The remark says elsewhere that it does what the denial's predicate names, for another
    // part of what is asked (「伝送データは暗号化しております。…ストレージは暗号化されておりません」
    // asked about both): the denial narrows the answer, it is not the whole of it. Not when the
    // denial is of the customer doing it: the vendor doing it is another thing.
    const deniedKey = textKey(denial.clause);
    // The product's own name ("is krew usable on …?") is what the question is about, not a part of
    // what it asks: a sentence naming the product states no other part as done.
    // Its family's names (krewSheet of krew) too.
    const product = passage.product ? normal(passage.product) : null;
    const own = (c: CompiledConcept): boolean => product !== null && normal(c.source).startsWith(product);
    // A question's word the denial's predicate answers in its own words (「保存は一切行いません」 for
    // 「コピーされますか」) is what the denial is about, not another part of what is asked.
    const holding = bound.predicate !== undefined && q.hold && holds(bound.predicate, lang);
    const answered = (c: CompiledConcept): boolean => holding && c.keys.some((k) => hasAnyWord(k, w['hold-asked'][lang]));
    const other = q.concepts.filter((c) => c.weight >= LIGHT && !mentions(c, deniedKey) && !own(c) && !answered(c));
    const predicate = bound.predicate?.compiled;
    const elsewhere = sentencesOf(answer)
      .filter((t) => !denied.some((d) => t.includes(d.clause)))
      .map(textKey);
    const affirmed = predicate !== undefined && !bound.customer && elsewhere.some((key) => mentions(predicate, key) && other.some((c) => mentions(c, key)));
    // Another sentence of the remark states another part of what is asked as done (the data is
    // erased after the contract ends; no certificate is issued), or the vendor does itself what
    // the customer may not (third-party tests run, customers' own tests not accepted): the
    // labelled questionnaires read both as partly met, not a no. The vendor's own doing is part of
    // the answer only to a question that also asks about it (another ask): asked only whether the
    // customer may act ("may our contractor test the service?"), the refusal is the whole answer
    // and the vendor's own tests are another thing (blind trial s16 answered such a refusal partial).
    const otherDone = !bound.customer && elsewhere.some((key) => other.some((c) => !customerConcept(c) && mentions(c, key)));
    // Asks that are each about the customer acting ("may we run our own scan or our own penetration test?") ask nothing of the vendor's own.
    const vendorAsked = q.asks.some((a) => !a.asker);
    const vendorDoes = bound.customer && vendorAsked && predicate !== undefined && elsewhere.some((key) => mentions(predicate, key));
    const some = instead || affirmed || otherDone || vendorDoes || restricts(denial.clause) || hasAnyWord(denial.clause.toLowerCase(), w.hedge[lang]);
    return { kind: 'remark-denies', effect: some ? 'partial' : 'no', clause: denial.clause, ...(bound.customer ? { actor: 'customer' as const } : {}) };
  }
  return remarkAside(q, passage, denied.filter((d) => !straddling.includes(d)), excepting, straddling);
}

/**
 * Whether a denial is about this one ask: it binds to the ask, and what it says is not done is not
 * another ask's predicate that this ask lacks (a row's requirement verb fits any ask, so 「暗号化」 of an
 * encryption row would bind a denial of encrypting backups to "how often are backups taken?").
 */
function ownAsk(denial: RemarkDenial, ask: RemarkAsked, asks: readonly RemarkAsked[], passage: Passage): boolean {
  const bound = binds(denial, ask, passage);
  if (bound === null) return false;
  const predicate = bound.predicate;
  return !predicate || asked(predicate, ask) || !asks.some((other) => other !== ask && asked(predicate, other));
}

/**
 * The part of a denial its except word leaves out (「監査ログ以外のログは提供しておりません」: 監査ログ;
 * "we do not offer support other than by email": by email), and the rest, or null without one.
 * Japanese names the exception before the word, English after it (up to the clause's end).
 */
function exceptionOf(denial: RemarkDenial): { excepted: string; rest: string } | null {
  const text = normal(denial.clause);
  const lang = isJapanese(text) ? 'ja' : 'en';
  const found = words().except[lang].map((e) => ({ e, at: lang === 'ja' ? text.lastIndexOf(e) : text.search(new RegExp(`(?<![a-z])${wordsPattern([e])}(?![a-z])`)) })).filter((x) => x.at >= 0);
  const [first] = found.sort((a, b) => b.at - a.at);
  if (!first) return null;
  if (lang === 'ja') return { excepted: clauseOf(text.slice(0, first.at)), rest: text.slice(first.at + first.e.length) };
  const after = text.slice(first.at + first.e.length);
  const excepted = after.split(/[,;]/)[0] ?? '';
  return { excepted, rest: `${text.slice(0, first.at)} ${after.slice(excepted.length)}` };
}

/**
 * Whether the question asks about the very item a denial excepts (「添付ファイル以外の保存データは暗号化
 * しておりません」 for "are attachments encrypted?"): an idea of the question's (not the customer, not
 * light) named in the exception and not in the rest of the denial. The denial then says the asked
 * item is the one done; for a question about the whole (「保存データはすべて…」) it still narrows
 * (the rest names that idea): partial. Blind trials read both partial.
 */
function exceptsAsked(denial: RemarkDenial, q: RemarkAsked): boolean {
  const parts = exceptionOf(denial);
  if (!parts || parts.excepted.trim() === '') return false;
  const excepted = textKey(parts.excepted);
  const rest = textKey(parts.rest);
  return q.concepts.some((c) => c.weight >= LIGHT && !customerConcept(c) && mentions(c, excepted) && !mentions(c, rest));
}

/**
 * A row read partial only because its remark denies an item the question does not ask, while
 * another sentence states the item it does (「伝送データは暗号化…ストレージは暗号化されておりません」
 * asked only about data in transit): the row's statement answers the question, the denial
 * narrows something beside it. The same binding as remarkDenies, the other way round: every
 * denial names an idea the question does not (the other item), and a sentence without a denial
 * states every idea of the question the denials share (the predicate: encrypted) together with
 * one they do not name (in transit): what tells the asked item from the denied one. A question
 * naming only what the denial shares ("is customer data encrypted?") has no such idea and stays
 * partial; one naming the denied item too binds the denial above. Only a row whose caveats are
 * all such denials: a limit (一部のみ) or an unread caveat still narrows every question. An
 * exception to what the row states (「…の場合はこの限りではありません」) is read before this, by
 * ./clauses.ts, for a question whether something holds; asked for a description or a figure, the
 * statement answers it, and a row read partial only for the exception may be lifted here.
 */
function remarkAside(q: RemarkAsked, passage: Passage, denied: RemarkDenial[], excepting: RemarkDenial[], straddling: RemarkDenial[]): Caution | null {
  const beside = [...excepting, ...straddling];
  if (passage.status !== 'partial' || denied.length + beside.length === 0) return null;
  const bare = (text: string): string => text.normalize('NFKC').replace(/[\s\u3000]+/gu, '');
  const clauses = [...denied, ...beside].map((d) => bare(d.clause)).filter((c) => c !== '');
  if (clauses.length < denied.length + beside.length || !caveats(passage.answer).every((c) => clauses.some((d) => c.includes(d) || d.includes(bare(c))))) return null;
  // Every caveat beside the question: a denial excepting the asked item (what is asked is what the
  // row does), or one straddling two asks beside a sentence of the row stating an asked idea.
  if (denied.length === 0) {
    const [first] = beside;
    const stated = excepting.length > 0 || sentencesOf(passage.answer).some((t) => t.trim() !== '' && !beside.some((d) => t.includes(d.clause)) && q.concepts.some((c) => c.weight >= LIGHT && !customerConcept(c) && mentions(c, textKey(t))));
    return first && stated ? { kind: 'remark-aside', effect: 'yes', clause: first.clause } : null;
  }
  if (!denied.every((d) => namesOtherItem(d, q))) return null;
  const weighty = q.concepts.filter((c) => c.weight >= LIGHT && !customerConcept(c));
  const deniedKeys = denied.map((d) => textKey(d.clause));
  const shared = weighty.filter((c) => deniedKeys.some((k) => mentions(c, k)));
  const telling = weighty.filter((c) => !shared.includes(c));
  // The telling idea names the sentence's item, its topic (「伝送データは」, not 「…して保管しております」:
  // a stored attachment tells nothing from a stored backup): the question's idea found there,
  // or the topic's idea asked by the question in other words (アップロードしたファイル, "uploaded files").
  const tells = (sentence: string): boolean => {
    const topic = topicOf(sentence);
    const lang = isJapanese(sentence) ? 'ja' : 'en';
    return (
      telling.some((c) => mentions(c, textKey(topic))) ||
      ideas(normal(topic), q.lexicon).some((i) => !customerIdea(i, lang) && !lightIdea(i, lang) && asked(i, q) && !deniedKeys.some((k) => mentions(i.compiled, k)))
    );
  };
  const stated = sentencesOf(passage.answer)
    .filter((t) => t.trim() !== '' && !denied.some((d) => t.includes(d.clause)))
    .some((t) => shared.every((c) => mentions(c, textKey(t))) && tells(t));
  return stated ? { kind: 'remark-aside', effect: 'yes', clause: denied[0]?.clause ?? '' } : null;
}

/** Whether a clause only says the statement before it does not hold in some case (「この限りではありません」, "this does not apply to …"). */
export const statesException = (clause: string): boolean => hasAnyWord(normal(clause), words().exception[isJapanese(clause) ? 'ja' : 'en']);

/** Whether a clause hands the answer to another service's or document's (「本事項は<基盤>に準じます」, "same as <platform>"). */
export const defersElsewhere = (clause: string): boolean => hasAnyWord(normal(clause), words().defer[isJapanese(clause) ? 'ja' : 'en']);

/** Whether a question asks where something is written or found (「どの文書で確認できますか」, "which document"): a pointer answers it. */
export function asksWhereWritten(question: string): boolean {
  const text = normal(question);
  const lang = isJapanese(question) ? 'ja' : 'en';
  const w = words();
  if (hasAnyWord(text, w['defer-asked'][lang])) return true;
  // "Where is the shared-responsibility split with that provider documented?": where, and a verb of
  // writing down, in one clause, whatever is named between them (blind trial: such an ask, answered by
  // the row's link, was read as a row deferring its answer).
  return text.split(/[?？。;]/u).some((clause) => hasAnyWord(clause, w['defer-where'][lang]) && hasAnyWord(clause, w['defer-written'][lang]));
}

/** A Japanese sentence's topic, what it is about: the words before its first は (「伝送データは」, 「…については」); an English one whole. */
function topicOf(sentence: string): string {
  if (!isJapanese(sentence)) return sentence;
  const at = sentence.search(/(?<=[\p{Script=Han}\p{Script=Katakana}ーA-Za-z0-9)）」でにて])は/u);
  return at > 0 ? sentence.slice(0, at) : sentence;
}

/**
 * Whether a denial names an item of its own, an idea the question does not ask (データベース),
 * beside its predicate; each of its conjuncts, as 「AのレビューやBの提供は…」 denies B as well as A.
 */
function namesOtherItem(denial: RemarkDenial, q: RemarkAsked): boolean {
  const lang = isJapanese(denial.body) ? 'ja' : 'en';
  return [denial.body, ...(lang === 'ja' ? conjuncts(denial.body) : [])].every((body) => bodyNamesOtherItem(body, denial.verbAt, lang, q));
}

function bodyNamesOtherItem(body: string, verbAt: number, lang: 'ja' | 'en', q: RemarkAsked): boolean {
  const all = ideas(body, q.lexicon);
  const named = all.filter((i) => !customerIdea(i, lang) && !lightIdea(i, lang) && !words().do[lang].includes(normal(i.concept.source)));
  const predicate = verbAt < 0 ? [...named].sort((a, b) => b.at - a.at)[0] : named.filter((i) => i.at >= verbAt).sort((a, b) => a.at - b.at)[0];
  return named.some((i) => i !== predicate && !asked(i, q));
}

const customerIdea = (i: DenialIdea, lang: 'ja' | 'en'): boolean => {
  const w = words();
  return i.concept.variants.some((v) => w.customer[lang].includes(normal(v)) || w.customer.ja.includes(normal(v))) || w['actor-mark'].ja.includes(normal(i.concept.source));
};

/**
 * Light: a generic word (a glossary weight under 0.3), one the lexicon lists, or a compound of
 * such words (各製品, 原則として). A Japanese compound of a light head and a word that names a thing
 * (ネットワーク機器, タブレット端末) is that thing, not light: read light, a denial of monitoring
 * network devices bound to "do you monitor your servers?" (blind trials: the row's statement about
 * the servers read partial for the other item's denial).
 */
const lightIdea = (i: DenialIdea, lang: 'ja' | 'en'): boolean => {
  const w = words();
  const source = normal(i.concept.source);
  const lights = [...w.light[lang], ...w.hedge[lang]];
  if (i.concept.weight < LIGHT || w.light[lang].includes(source)) return true;
  if (!hasAnyWord(source, lights)) return false;
  if (lang === 'en') return true;
  const left = longestFirst(lights).reduce((rest, l) => rest.split(l).join(''), source);
  return !/[\p{L}\p{N}]{2}/u.test(left);
};

/**
 * The platforms a row says the product runs on (「…はnimbus上で提供しているサービス」, "runs on nimbus"):
 * for that product, the platform's mobile version is the product's mobile version, so a denial
 * naming it (「※nimbusモバイル版では動作しません」) narrows nothing a question about using the product on
 * a phone leaves out ("does plume work on smartphones?" need not name nimbus).
 */
const hostsCache = new Map<string, TextKey[]>();
/** Past this many rows the cache starts afresh: one product's rows all fit, and a long-running bot's ingests do not pile up. */
const HOSTS_CACHED = 20_000;
let hostPatterns: readonly RegExp[] | undefined;
function hostsOf(answer: string): TextKey[] {
  const cached = hostsCache.get(answer);
  if (cached) return cached;
  const w = words();
  const text = normal(answer);
  // A platform's name: a run of Latin or of katakana (kintone, AWS, サイボウズ), never the kana and kanji of the sentence before it.
  const patterns = (hostPatterns ??= [
    new RegExp(`([a-z0-9._-]+|[\\p{Script=Katakana}ー]+)(?:${wordsPattern(w.host.ja)})`, 'gu'),
    new RegExp(`(?:${wordsPattern(w.host.en)})\\s+(?:the\\s+)?([a-z0-9._-]+)`, 'gu'),
  ]);
  const out = patterns.flatMap((p) => [...text.matchAll(p)]).map((m) => m[1] ?? '').filter((h) => h.length >= 2).map(textKey);
  if (hostsCache.size >= HOSTS_CACHED) hostsCache.clear();
  hostsCache.set(answer, out);
  return out;
}

/** Whether the denial is about what is asked, and if so its predicate (the idea it says is not done). */
function binds(denial: RemarkDenial, q: RemarkAsked, passage: Passage): Bound | null {
  const lang = isJapanese(denial.body) ? 'ja' : 'en';
  for (const body of [denial.body, ...(lang === 'ja' ? conjuncts(denial.body) : [])]) {
    const bound = bindsBody(body, denial.verbAt, lang, q, passage);
    if (bound) return bound;
  }
  return null;
}

/**
 * 「AのレビューやBへのログ提供は実施していません」 denies each of A and B: the body with one
 * conjunct left out (from the start of its phrase to its や, or one of two words joined by a
 * slash or a middle dot), so that each is weighed alone.
 */
function conjuncts(body: string): string[] {
  const out: string[] = [];
  // や between two nouns (レビューや, ことや), not inside a word (速やか).
  for (const m of body.matchAll(/(?<=[\p{Script=Han}\p{Script=Katakana}ーと])や[、,]?(?![かむすりらる])/gu)) {
    const before = body.slice(0, m.index);
    // The conjunct starts after the last particle or comma that ends the phrase before it.
    const starts = [...before.matchAll(/[、,]|では|には|は|について/g)].map((b) => (b.index ?? 0) + b[0].length);
    const from = starts.length > 0 ? Math.max(...starts) : 0;
    out.push(`${body.slice(0, from)}${body.slice((m.index ?? 0) + m[0].length)}`);
  }
  // 「…の取得/保存は一切行いません」, 「提示・説明」: two words joined by a slash or a middle dot are each
  // denied, so each is weighed alone (the body without the one word, then without the other).
  for (const m of body.matchAll(/([\p{Script=Han}\p{Script=Katakana}ー]+)[/／・]([\p{Script=Han}\p{Script=Katakana}ー]+)/gu)) {
    const at = m.index ?? 0;
    const [whole, first = '', second = ''] = m;
    out.push(`${body.slice(0, at)}${second}${body.slice(at + whole.length)}`, `${body.slice(0, at)}${first}${body.slice(at + whole.length)}`);
  }
  return out;
}

/** A denial bound to the question: what it says is not done, and whether it is the customer doing it. */
interface Bound {
  predicate?: DenialIdea;
  customer: boolean;
}

function bindsBody(body: string, verbAt: number, lang: 'ja' | 'en', q: RemarkAsked, passage: Passage): Bound | null {
  const w = words();
  // "By customers": answers only a question about the customer acting.
  const acting = customerActs(body, lang);
  if (acting && !q.asker) return null;
  const all = ideas(body, q.lexicon);
  const customer = (i: DenialIdea): boolean => customerIdea(i, lang);
  const light = (i: DenialIdea): boolean => lightIdea(i, lang);
  // The row's word for the customer's own content (アプリデータ) names what a question about the records it entered asks.
  const content = (i: DenialIdea): boolean => w.content[lang].includes(normal(i.concept.source));
  const genericHead = (i: DenialIdea): boolean => w['generic-head'][lang].some((g) => body.slice(0, i.at).trimEnd().endsWith(g));
  const host = (i: DenialIdea): boolean => hostsOf(passage.answer).some((h) => mentions(i.compiled, h));
  // What comes before 以外 / "other than" is the exception the denial leaves out, not what it denies.
  const exception = Math.max(-1, ...w.except[lang].map((e) => body.lastIndexOf(e)));
  // The predicate, what the denial says is not done: in Japanese the last idea before the ending,
  // in English the first after the negation, a mere "do" (行う, 実施) or the product's own words
  // aside: 「ログの提供は行っていません」 denies ログの提供. A light verb (提供) is denied all the same.
  const named = [...all].filter((i) => !customer(i) && !w.do[lang].includes(normal(i.concept.source)) && !w.light[lang].includes(normal(i.concept.source)));
  const predicate = verbAt < 0 ? [...named].sort((a, b) => b.at - a.at)[0] : ([...named].filter((i) => i.at >= verbAt).sort((a, b) => a.at - b.at)[0] ?? named[0]);
  let shared = false;
  for (const idea of all) {
    const yes = asked(idea, q, body);
    if (yes && !customer(idea) && idea.concept.weight >= LIGHT) shared = true;
    if (idea === predicate) {
      // Of the customer acting, asked whether the asker may: the predicate is the vendor's stance (受け付けない, 非対応).
      if (yes || acting || predicateFits(idea, q, passage, lang)) continue;
    } else if (yes || customer(idea) || light(idea) || genericHead(idea) || host(idea) || idea.at <= exception || (q.content && content(idea))) continue;
    return null;
  }
  if (!shared) return null;
  return predicate ? { predicate, customer: acting } : { customer: acting };
}

/** The predicate of a denial that need not be a word of the question. */
function predicateFits(idea: DenialIdea, q: RemarkAsked, passage: Passage, lang: 'ja' | 'en'): boolean {
  const w = words();
  const source = normal(idea.concept.source);
  if (w.do[lang].includes(source)) return true;
  // The requirement's own verb (「…明示すること」 and 「…明示はしていません」): the row denies its requirement.
  if (mentions(idea.compiled, textKey(passage.requirement))) return true;
  if (q.existence && w.exist[lang].some((e) => source.startsWith(e))) return true;
  if (q.give && w.give.ja.some((g) => source.startsWith(g))) return true;
  // 「…の保存は一切行いません」 for "is our data copied to your servers?": not storing it is not copying it.
  if (q.hold && holds(idea, lang)) return true;
  return q.able && w.able[lang].some((a) => source.startsWith(a));
}

/** A row's words for handing something over (「提供」, "provide"): what an ask asking to be handed a thing asks about (./ask-denials.ts). */
export const giveWords = (lang: 'ja' | 'en'): readonly string[] => words().give[lang];

/** The words for the customer or its users (利用者, お客様, "customers"), as remark-denial.tsv lists them. */
export const customerWords = (lang: 'ja' | 'en'): readonly string[] => words().customer[lang];

/** A denial's predicate of the vendor coming to hold data (取得, 保存, "store"). */
const holds = (idea: DenialIdea, lang: 'ja' | 'en'): boolean => words().hold[lang].some((h) => normal(idea.concept.source).startsWith(h));

function customerActs(body: string, lang: 'ja' | 'en'): boolean {
  const w = words();
  if (lang === 'ja') return new RegExp(`(?:${wordsPattern(w.customer.ja)})(?:${wordsPattern(w['actor-mark'].ja)})`).test(body);
  const customer = wordsPattern(w.customer.en);
  return new RegExp(`(?<![a-z])by\\s+(?:the\\s+|our\\s+|its\\s+)?(?:${customer})|(?:${customer})[\\s-]+(?:run|led|initiated|performed|managed)(?![a-z])|(?:${customer})\\s+(?:${wordsPattern(w.actor.en)})`).test(body);
}
