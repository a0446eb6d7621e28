/**
 * A row's remark often says several things about several actors and aspects of one control:
 * 「リリース前にレビューを行っております。レビュー結果は非公開です。利用者による脆弱性診断は非対応です。」
 * states that the vendor tests, that it does not hand over the results, and that customers may
 * not test. The mark and the ingest's reading (a ○ with a caveat is partial) sum these up for the
 * row's requirement; a question asks about one actor and one aspect, and only the clauses about
 * those answer it. New-user trial s13 found a negation about another actor or aspect deciding
 * the status both ways, at 0.92-0.96: "do you run vulnerability tests?" partial (or いいえ) for
 * the customer's clause, "can we get the pentest results?" partial though the results are not
 * disclosed, "can customers run their own?" partial though the row says 非対応.
 *
 * So a row is split into clauses, each with its actor (the customer when it names the customer
 * acting, ./facets.ts; else the vendor), its aspect (doing the thing, handing over its results,
 * certifying it: a noun of the aspect with a verb of handing, lexicon/facets.tsv) and its
 * polarity; the question is read for the same two. The clauses of the question's actor and
 * aspect decide: all of those about the question negative is a no (the remark denies what is
 * asked); a row read partial only for negative clauses of another actor or aspect, and stating
 * the asked one as done, is yes for this question (remark-aside: the caveat is beside it).
 *
 * More ways a row answers less than is asked, read from the same clauses:
 * - shared duty: a question asking who does something ("who is responsible for OS patching?",
 *   「どちらが…」, 代行) or whether the customer may do it themselves, and a clause about it that gives
 *   part of the work to another party (the customer acting, 「…はAWSの管理範囲」), or (asked whether the
 *   customer may do it) says the vendor does it only on request or for a fee: partial. A row of one
 *   actor doing all of it stays yes, on request or for a fee as well.
 * - a row deferring to another service's or document's answer (「本事項は<基盤>に準じます」, "same as
 *   <platform>") and stating nothing else about the question: row-defers, no answer (unknown,
 *   flagged, the row cited); blind trials found such rows read yes or partial as if they answered.
 *   Asked who does it, the other service does (shared duty); asked which document or where it is
 *   written, the pointer is the answer.
 * - an exception to what the row states (「…の場合はこの限りではありません」) after a statement about
 *   the question: partial for a question whether something holds (a description or figure asked is answered).
 * - one ask of several about the customer acting ("do you test before release? and may we run our
 *   own test?"): the question as a whole fixes no actor, so the clauses are read for that ask; a
 *   row denying it reads partial for the question (the other ask may be done), and the judgement's
 *   ask-partly makes the whole answer partial.
 *
 * A ※ note putting other components out of scope stays partial for a question about the whole
 * service (issue #9, the eval's labels: "some components excluded"); a question naming the very
 * link the row states in full (「当社サーバーとkintone間の通信はすべて…」 asked "between your
 * servers and kintone") is about the part the note leaves in, and the row's statement answers it.
 */
import type { Passage } from '../domain.js';
import { caveats, scopeNotes } from '../corpus/status.js';
import { adminAudience, asksRestriction, namesPopulation, populationAsked } from './audience.js';
import type { Caution } from './caution.js';
import { askedFacets, asksPermission, asksWho, aspectOf, customerActs, namesCustomer, namesOtherParty, negativeClause, onRequestOnly, type AskedFacet } from './facets.js';
import { coverage, mentions, textKey, type CompiledConcept, type TextKey } from './match.js';
import { asksForContent, asksPermitted, limitedPart, prohibits, restricts, routineException, sentencesOf, wholeAsked } from './negation.js';
import { asksWhereWritten, customerSide, defersElsewhere, statesException } from './remark-denial.js';
import { splitQuestion } from './subquestions.js';

type Actor = 'vendor' | 'customer';

/** One clause of a row's remark, read for who acts, which aspect and which way. */
export interface RowClause {
  text: string;
  actor: Actor;
  /** 'do', or an aspect of lexicon/facets.tsv (disclose, certify). */
  aspect: string;
  negative: boolean;
  /** The clause goes on from the one before it in the same sentence (after が、/ "but"). */
  contrast: boolean;
  /** The clause hands the answer to another service's or document's (「本事項は<基盤>に準じます」). */
  defers: boolean;
}

/** What a question asks about: whose act, and which aspect of it. */
export interface AskedClause {
  actor: Actor;
  aspect: string;
  /**
   * Only one ask of several is about this actor ("do you test before release? and may we run our
   * own test?"): a row denying it answers that ask no, and the question as a whole partly.
   */
  oneOfSeveral?: boolean;
}

const isJapanese = (text: string): boolean => /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u.test(text);

/**
 * A remark's clauses: its sentences, a ※ note on its own, and a sentence cut after が、/ ", but"
 * (what follows says another thing, often of another actor: 「…は非対応ですが、報告窓口を設けております」).
 */
export function rowClauses(answer: string): readonly RowClause[] {
  const known = clauseCache.get(answer);
  if (known) return known;
  const read = readClauses(answer);
  if (clauseCache.size >= CLAUSE_CACHE_LIMIT) clauseCache.clear();
  clauseCache.set(answer, read);
  return read;
}

// Every candidate row of every question is read for its clauses: a row's clauses, and each
// clause's match key, are kept (a product's rows recur from one question to the next).
const CLAUSE_CACHE_LIMIT = 20_000;
const clauseCache = new Map<string, readonly RowClause[]>();
const clauseKeys = new WeakMap<RowClause, TextKey>();

function clauseKey(c: RowClause): TextKey {
  let key = clauseKeys.get(c);
  if (!key) {
    key = textKey(c.text);
    clauseKeys.set(c, key);
  }
  return key;
}

function readClauses(answer: string): RowClause[] {
  const text = answer.normalize('NFKC').replace(/<[^>]+>/g, ' ');
  // A contrast cut is marked (\u0001) before splitting, so the clause after it knows it goes on from the one before.
  // Sentences as every reading of rows takes them (./negation.ts sentencesOf), then a ※ note, a contrast cut or a "; " apart.
  const marked = text.replace(/(?<=(?:ます|です|ません|おり|あり)が、)/gu, '\u0001').replace(/,?\s+(?:but|however)\s+/giu, '\u0001');
  const pieces = sentencesOf(marked)
    .flatMap((t) => t.split(/(?<=;)\s+|(?=※)|(?=\u0001)/u))
    .map((t) => ({ contrast: t.startsWith('\u0001'), text: t.replace('\u0001', '').trim() }))
    .filter((t) => /[\p{L}\p{N}]{2}/u.test(t.text));
  return pieces.map(({ text: t, contrast }) => ({ text: t, actor: customerActs(t) ? 'customer' : 'vendor', aspect: aspectOf(t, 'stated'), negative: negativeClause(t), contrast, defers: defersElsewhere(t) }));
}

/**
 * The actor and aspect a question asks about, or null when it does not fix them: a question
 * asking whether something is allowed, or of several asks about different actors (`facets`:
 * the sides every ask fixes, ./facets.ts askedFacets; the whole question naming the customer
 * where they do not is such a question). Read once per question.
 */
export function askedClause(question: string, facets: readonly AskedFacet[]): AskedClause | null {
  const key = `${question}\u0000${facets.map((f) => `${f.facet}:${f.side}`).join(',')}`;
  if (lastAsked?.key !== key) lastAsked = { key, asked: readAsked(question, facets) };
  return lastAsked.asked;
}

let lastAsked: { key: string; asked: AskedClause | null } | null = null;

function readAsked(question: string, facets: readonly AskedFacet[]): AskedClause | null {
  const customer = (fs: readonly AskedFacet[]): boolean => fs.some((f) => f.facet === 'actor' && f.side === 'customer');
  const mine = customer(facets);
  if (customer(askedFacets(question)) !== mine) return customerAsk(question);
  if (!mine && asksPermission(question)) return null;
  return { actor: mine ? 'customer' : 'vendor', aspect: aspectOf(question, 'asked') };
}

/**
 * Of a question whose asks are about different actors, the one ask about the customer acting
 * (「…していますか。また、当社が独自に実施しても構いませんか」), or null when there is not exactly one.
 */
function customerAsk(question: string): AskedClause | null {
  const asks = splitQuestion(question);
  const customers = asks.filter((a) => askedFacets(a).some((f) => f.facet === 'actor' && f.side === 'customer'));
  const [ask] = customers;
  return asks.length > 1 && customers.length === 1 && ask ? { actor: 'customer', aspect: aspectOf(ask, 'asked'), oneOfSeveral: true } : null;
}

/** An idea of the question that says what it is about (not a light word like 実施, "do"). */
const WEIGHTY = 0.3;
/** A row mentioning this share of the question's ideas is about it: its clauses of an aspect answer the question's aspect. */
const ABOUT = 0.5;

/**
 * The caution the row's clauses give this question, or null: shared-duty (partial) when the
 * question asks who does it or whether the customer may and the row shares the work; partial for
 * an exception to the row's statement; a no when every clause of the asked actor and aspect about
 * the question says it is not done (quoted; partial when that actor is one ask's of several); the
 * lifting remark-aside when the row is partial only for negative clauses of another actor or
 * aspect and states the asked one, or when the question names the link a row with a ※ note
 * states in full. `figureAsked`: the question asks something else of the row first (a figure,
 * hours), so no exception is read (the figure answers it), and a lift is only returned for the
 * caller to apply once the figures are read, none failing; never where an exception or a part of
 * the whole would have narrowed the row had no figure been asked.
 */
export function clauseCaution(asked: AskedClause | null, question: string, concepts: readonly CompiledConcept[], passage: Passage, figureAsked = false): Caution | null {
  if (passage.status === 'no' || passage.status === 'not_applicable' || passage.kind === 'approved' || passage.answer.trim() === '') return null;
  const shared = sharedDuty(asked, question, concepts, passage);
  if (shared) return shared;
  // Asked where it is written, a row pointing to the document answers: the pointer is what is asked.
  const deferred = asksWhereWritten(question) ? null : deferral(concepts, passage);
  if (deferred) return { kind: 'row-defers', effect: 'unknown', clause: deferred };
  const exception = !asksForContent(question) ? exceptionTo(concepts, passage) : null;
  if (exception && !figureAsked) return { kind: 'remark-denies', effect: 'partial', clause: exception };
  const prohibited = asksPermitted(question) ? prohibition(concepts, passage) : null;
  if (prohibited) return prohibited;
  const limited = !exception && !asksForContent(question) ? partOfWhole(question, concepts, passage) : null;
  if (limited && !figureAsked) return limited;
  // Read for a figure asked, an exception or a part of the whole leaves the row no lift.
  const lift = exception === null && limited === null;
  if (!asked) return null;
  // Not a certificate asked: the labelled sets read a certificate not issued, beside the deletion it would
  // certify stated as done, as partial (./remark-denial.ts otherDone decides it).
  if (asked.aspect === 'certify') return null;
  const vendorDoing = asked.actor === 'vendor' && asked.aspect === 'do';
  // The vendor doing it asked: only a partial row can be lifted (read first: it is most rows of every question).
  if (vendorDoing && (!lift || passage.status !== 'partial')) return null;
  const clauses = rowClauses(passage.answer);
  if (!vendorDoing) {
    // Another actor or aspect asked (the customer testing, the results handed over): the clauses about it decide.
    const weighty = concepts.filter((c) => c.weight >= WEIGHTY);
    let rowAbout: boolean | undefined;
    const about = (c: RowClause): boolean =>
      weighty.some((k) => mentions(k, clauseKey(c))) || (c.aspect !== 'do' && (rowAbout ??= coverage([...concepts], textKey(`${passage.requirement}\n${passage.answer}`)) >= ABOUT));
    const mine = clauses.filter((c) => c.actor === asked.actor && c.aspect === asked.aspect && about(c));
    const [first] = mine;
    // One ask of several denied: that ask is answered no, the question partly, whatever the row says it does instead.
    const actor = asked.actor === 'customer' ? { actor: 'customer' as const } : {};
    if (asked.oneOfSeveral) return first && mine.every((c) => c.negative) ? { kind: 'remark-denies', effect: 'partial', clause: first.text, ...actor } : null;
    // 「…レポートは提供していませんが、ステータスページでお知らせしています」: the same sentence goes on to
    // what is done instead, which ./remark-denial.ts reads as partly done; the clauses leave it to that.
    const instead = mine.some((c) => c.negative && clauses[clauses.indexOf(c) + 1]?.contrast === true && clauses[clauses.indexOf(c) + 1]?.negative === false);
    return first && !instead && mine.every((c) => c.negative) ? { kind: 'remark-denies', effect: 'no', clause: first.text, ...actor } : null;
  }
  const notes = scopeNotes(passage.answer);
  if (notes.length > 0) return namesCoveredLink(question, concepts, passage) ? { kind: 'remark-aside', effect: 'yes', clause: clauses.find((c) => c.text.startsWith('※'))?.text ?? '' } : null;
  // The vendor doing it asked: lifted when every caveat is a negative clause of another actor or aspect.
  // A question naming the customer ("can customers encrypt with their own keys?") may be about the customer's clause.
  // So may one asking for a capability that is the customer's own (BYOK: 「利用者が管理する鍵」) in no customer's words.
  const customerAsked = namesCustomer(question) || concepts.some((c) => customerSide(c.keys));
  const aside = clauses.filter((c) => c.negative && ((c.actor !== 'vendor' && !customerAsked) || (c.actor === 'vendor' && c.aspect !== 'do')));
  const bare = (t: string): string => t.normalize('NFKC').replace(/[\s\u3000]+/gu, '');
  const found = caveats(passage.answer);
  const besideAll = found.length > 0 && found.every((cv) => aside.some((c) => bare(c.text).includes(bare(cv)) || bare(cv).includes(bare(c.text))));
  const stated = clauses.some((c) => c.actor === 'vendor' && c.aspect === 'do' && !c.negative);
  const [firstAside] = aside;
  return besideAll && stated && firstAside ? { kind: 'remark-aside', effect: 'yes', clause: firstAside.text } : null;
}

/**
 * Who does it asked ("who is responsible for OS patching?", 「どちらが設定しますか」, 代行), or whether
 * the customer may do it themselves: a row whose clause about the question gives part of the
 * work to another party answers it only in part (shared-duty). For who does it, another party is
 * the customer acting (「利用者側で設定いただきます」) or another party's scope (「OSはAWSの管理範囲」);
 * the vendor doing it on request or for a fee still does it (「復元は有償にて承ります」 answers "who
 * restores deleted data?" in full: the vendor; blind trials read it partial). For the customer doing
 * it themselves, the vendor doing it only on request (「個別のご依頼に応じて当社で出力します」) is
 * partial. A row of one actor alone ("we apply OS patches monthly") answers who does it in full.
 */
function sharedDuty(asked: AskedClause | null, question: string, concepts: readonly CompiledConcept[], passage: Passage): Caution | null {
  const who = asksWho(question);
  const ourselves = asked?.actor === 'customer' && !asked.oneOfSeveral;
  if (!who && !ourselves) return null;
  const weighty = concepts.filter((c) => c.weight >= WEIGHTY);
  const found = rowClauses(passage.answer).find(
    (c) => !c.negative && weighty.some((k) => mentions(k, clauseKey(c))) && ((ourselves && onRequestOnly(c.text)) || (who && (c.actor === 'customer' || namesOtherParty(c.text)))),
  );
  // Who does it asked, and a row handing it to another service's answer: that service does it.
  const handed = who && !found ? deferral(concepts, passage) : null;
  const clause = found?.text ?? handed;
  return clause ? { kind: 'shared-duty', effect: 'partial', clause } : null;
}

/**
 * The row's clause handing the answer to another service's or document's (「本事項は<基盤>に準じます」,
 * 「<製品>のチェックシートをご参照ください」, "same as <platform>") when no other clause of the row states
 * anything done about the question (mentions one of its weighty ideas and is not negative); else
 * null. Such a row says where the answer is and states no control: its mark (○, or the '-' such
 * rows often carry) is no yes and no partial to the question (blind trials: these read yes or
 * partial as if the row answered). A row that states the control and then points to a document
 * for details (「…日次で取得しています。詳細は…をご参照ください」) answers by its statement.
 */
function deferral(concepts: readonly CompiledConcept[], passage: Passage): string | null {
  // Most rows never defer: the remark as a whole is looked at before it is read clause by clause.
  if (!defersElsewhere(passage.answer)) return null;
  const clauses = rowClauses(passage.answer);
  const found = clauses.find((c) => c.defers);
  if (!found) return null;
  const weighty = concepts.filter((c) => c.weight >= WEIGHTY);
  const states = clauses.some((c) => !c.defers && !c.negative && weighty.some((k) => mentions(k, clauseKey(c))));
  return states ? null : found.text.replace(/^[○〇◯△×-]\s*/u, '');
}

/**
 * Asked whether a practice is allowed or possible ("Can staff use their own tablets?",
 * 「私物のスマホを業務で使えますか」), the row's clause about it saying it is not allowed
 * (「私物端末の業務利用は認めておりません」): the practice asked about is not permitted, a no
 * (blind trial s16 read it partial, the prohibition taken for a control partly done). A
 * prohibition that itself names a case it lets through (「承認を得た場合を除き…認めておりません」)
 * allows the practice in part: partial. A row stating the practice allowed as well is left to
 * the other readings.
 */
function prohibition(concepts: readonly CompiledConcept[], passage: Passage): Caution | null {
  const weighty = concepts.filter((c) => c.weight >= WEIGHTY);
  const clauses = rowClauses(passage.answer);
  const found = clauses.find((c) => prohibits(c.text) && weighty.some((k) => mentions(k, clauseKey(c))));
  if (!found) return null;
  return { kind: 'remark-denies', effect: restricts(found.text) ? 'partial' : 'no', clause: found.text };
}

/**
 * Asked about the whole ("is MFA required for all users?", 「全従業員に…していますか」), a row
 * whose clause about the question limits what it states to a part the question does not name
 * (「管理者アカウントのみ多要素認証を必須としています」): done for that part only, partial (issue #9:
 * admins only against all users; the row's ○ read yes). A question naming the part itself
 * ("for administrators") is answered by it. Asked about a general population (users, 利用者,
 * employees), a row stating the control for administrators only, with no 「のみ」 (adminsOnly), is
 * partial too. Neither reading is made of a question whether access is restricted ("is production
 * access restricted for all staff?"): a row keeping it to a part (「…はシステム管理者に限定しています」)
 * states that restriction, the control asked.
 */
function partOfWhole(question: string, concepts: readonly CompiledConcept[], passage: Passage): Caution | null {
  const asked = wholeAsked(question);
  const population = populationAsked(question);
  // Asked whether access is kept to some, a row keeping it to a part (「…はシステム管理者に限定」) states the control.
  if ((!asked && !population) || asksRestriction(question)) return null;
  const weighty = concepts.filter((c) => c.weight >= WEIGHTY);
  const q = question.normalize('NFKC').toLowerCase();
  if (asked) {
    for (const c of rowClauses(passage.answer)) {
      if (c.negative || !weighty.some((k) => mentions(k, clauseKey(c)))) continue;
      const part = limitedPart(c.text);
      if (!part || q.includes(part) || concepts.some((k) => mentions(k, textKey(part)))) continue;
      return { kind: 'row-restricts', effect: 'partial', limit: c.text, asked };
    }
  }
  return population ? adminsOnly(population, weighty, passage) : null;
}

/**
 * Asked about a general population ("is MFA required for end users?", 「利用者のログインに…必須ですか」),
 * a row whose clauses about the question's control name administrators as whom it covers
 * (「システム管理者と運用管理者はログインに多要素認証を設定」, "admin accounts require MFA") and none
 * names the population: done for administrators only, partial, the clause quoted. The question's
 * own words for the population say whom it asks about, not what: a clause about the control
 * mentions its weightiest other idea. An administrator acting for the others ("administrators can
 * enforce MFA for all users", 「管理者画面から設定」) is no limit (./audience.ts).
 */
function adminsOnly(population: string, weighty: readonly CompiledConcept[], passage: Passage): Caution | null {
  const who = textKey(population);
  const what = weighty.filter((k) => !mentions(k, who));
  // The control is the question's weightiest idea (多要素認証, not ログイン): a clause naming users about another
  // of its ideas (「利用者はメールアドレスでログインします」) states another control for them.
  const top = Math.max(...what.map((k) => k.weight));
  const control = what.filter((k) => k.weight >= top);
  const about = rowClauses(passage.answer).filter((c) => !c.negative && control.some((k) => mentions(k, clauseKey(c))));
  const limited = about.find((c) => adminAudience(c.text) !== null);
  if (!limited || about.some((c) => namesPopulation(c.text))) return null;
  return { kind: 'row-restricts', effect: 'partial', limit: limited.text, asked: population };
}

/**
 * A caveat of the row that is an exception to a statement before it about the question (「ただし、
 * 無料プランの場合はこの限りではありません」, "this does not apply to trial accounts"), or null: it
 * names a case the statement leaves out, so the row answers a question about that statement only
 * in part, whether or not the case shares the question's words (the plan it names is rarely one
 * the question asked about; by word overlap such a row was yes for "can we take all our data out
 * ourselves?"). Only for a question whether something holds: one asking for a description, a
 * figure or hours ("how far ahead is maintenance announced?", `lift` false) is answered by the
 * statement, the exception for emergencies beside it (the labelled sets read those yes).
 */
function exceptionTo(concepts: readonly CompiledConcept[], passage: Passage): string | null {
  if (passage.status !== 'partial') return null;
  const answer = passage.answer.normalize('NFKC');
  const found = caveats(passage.answer).find((c) => {
    if (!statesException(c)) return false;
    const at = answer.indexOf(c.normalize('NFKC'));
    if (at <= 0) return false;
    const before = textKey(answer.slice(0, at));
    // A routine case excepted (emergencies) leaves the control as it is, unless it is the very case
    // asked about: 「緊急の場合はこの限りではありません」 answers "notice even for emergency maintenance?"
    // only partly (blind trial s29, 「急ぎのメンテのときも…」 answered yes).
    if (routineException(c) && !concepts.some((k) => k.weight >= 0.5 && mentions(k, textKey(c)) && !mentions(k, before))) return false;
    return coverage([...concepts], before) > 0;
  });
  return found ?? null;
}

/**
 * Whether the question names a link (between A and B, AとBの間) whose two ends the row states as
 * one link of its own (「AとB間の通信」), outside its ※ notes: the question is about that part.
 */
function namesCoveredLink(question: string, concepts: readonly CompiledConcept[], passage: Passage): boolean {
  const q = question.normalize('NFKC');
  const asksLink = isJapanese(q) ? /[^、。\s]+と[^、。\s]+(?:の)?間/u.test(q) : /\bbetween\s+\S.+\s+and\s+\S/iu.test(q);
  if (!asksLink) return false;
  const covered = passage.answer.normalize('NFKC').split('※')[0] ?? '';
  return [...covered.matchAll(/([\p{L}\p{N}・ー]+)と([\p{L}\p{N}・ー]+?)(?:の)?間/gu)].some((link) =>
    [link[1] ?? '', link[2] ?? ''].every((end) => end !== '' && concepts.some((c) => mentions(c, textKey(end)))),
  );
}
