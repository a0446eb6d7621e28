/**
 * Hybrid retrieval for one question within one product: weighted full-text search over
 * the expanded query (always), nearest-vector search (when an embedder is configured),
 * merged into the candidate rows that the judgement (src/judge/) scores, cites or declines.
 * With a query rewriter (a model, ./rewrite.ts), its Japanese terms join the question's concepts
 * and its sub-questions stand in for a split the question's own wording did not give.
 * Nothing here decides whether a row answers: it only finds rows and describes the question.
 */
import { BooleanQuery, MatchQuery, Occur, type FullTextQuery } from '@lancedb/lancedb';
import { detectLanguage, type Passage } from '../domain.js';
import type { Embedder } from '../embed/embedder.js';
import type { PassageStore, ScoredRow } from '../store/store.js';
import { expandQuery, type Concept } from './expand.js';
import { formalJa, loadCasual, type CasualEntry } from './casual.js';
import { questionTags } from './tags.js';
import { modifierOf, withModifiers } from './compound-head.js';
import { withSpelledAcronyms } from './spelled-acronym.js';
import type { Lexicon } from './lexicon.js';
import { searchText } from '../store/schema.js';
import { matchKey } from '../corpus/clean.js';
import { askedAbsentNames } from './asked-names.js';
import { absentTopics, compile, conceptIdf, coverage, MAIN_IDEA, mentions, namesMainIdea, statusFor, textKey, unmentionedShare, type TextKey } from './match.js';
import { splitClauses, splitQuestion } from './subquestions.js';
import { asksOf, rewriteConcepts, type QueryRewriter } from './rewrite.js';
import { englishRows, withEnglishWordings, type EnglishRows } from './english-wordings.js';
import { bm25, ceiling, englishWords, gramIndex, grams, oneKanjiWord, type GramIndex, type Grams } from './bigram.js';
import type { CompiledConcept } from './match.js';
import { setImmediate as afterPendingIo } from 'node:timers/promises';
import { inSlices } from '../work-queue.js';
import { retrievalText } from './question-text.js';
import { askedAlternatives, contradicts } from './alternatives.js';
import { asksForControl, badPracticeAsked, denialFocus, denials, guardedQuestion, namesAny, oppositeSides, oppositeStated, prohibits, restricts, ruledOut } from './negation.js';
import { readForReuse, sameQuestion } from './same-question.js';
import { askedQuantity, failingFigure, figureEvidence, figureHedge, figuresFailing, figureSubject, isFigureWording, looseFigureAsk, statesQuantity, type AskedQuantity } from './quantities.js';
import { hoursAsked, hoursExcluded, type HoursAsked } from './coverage-hours.js';
import { ALTERNATIVES, askCautions, questionCautions, ROW_DENIES, ROW_SAYS_NOT_DONE, type Caution } from './caution.js';
import { remarkAsked, remarkDenies, type RemarkAsked } from './remark-denial.js';
import { askDenialReader } from './ask-denials.js';
import { figureConcept } from './figure-rows.js';
import { asksAboutDocument, isPreface } from './preface.js';
import { productNameWords, withoutProductIdeas } from './product-name.js';
import { escapeRegExp } from '../regexp.js';
import { askedFacets, facetConcepts, facetConflict, offersBeside, setAsideSpans, type AskedFacet } from './facets.js';
import { askedClause, clauseCaution } from './clauses.js';
import { aspectConcepts } from './focus.js';
import { examplesWeighed, withoutGlosses } from './glosses.js';

/** A denial that mentions this share of the question's ideas is about the question (as a caveat is, match.ts). */
const DENIAL_RELEVANCE = 0.25;
/** A denial that mentions this share of the question's ideas, and no less than the rest of the row does, is the row's answer: no. */
const DENIAL_ANSWERS = 0.5;

/**
 * Why this row cannot answer this question plainly (./caution.ts), first the one a reason
 * names: a figure asked that it does not state, or a denial of what is asked; another of the
 * exclusive alternatives asked about.
 */
/** What rowCaution reads of the question, read once per question rather than once per row. */
interface AskedOfRows {
  /** The question as retrieval reads it. */
  text: string;
  concepts: CompiledConcept[];
  quantity: AskedQuantity | null;
  /** A figure asked in general words ("how often": ./quantities.ts looseFigureAsk): a row hedging it (as needed) is partial. */
  loose: AskedQuantity | null;
  /** A question about keeping something from happening: a row's negative is the control. */
  guarded: boolean;
  /** A question whether a control or rule exists (管理, 定め, restricted, policy): a row ruling the thing out is that control. */
  control: boolean;
  /** The hours or days asked of a service (24/7, 土日, 18時まで: ./coverage-hours.ts). */
  hours: HoursAsked | null;
  /** A weak practice the question asks about (plain text), and the sound one a row may state instead. */
  badPractice: ReturnType<typeof badPracticeAsked>;
  /** What a row's remark denying the asked thing is bound to (./remark-denial.ts). */
  remark: RemarkAsked;
  /** Who acts, through which channel, for which kind of inquiry, where the question fixes it (./facets.ts). */
  facets: AskedFacet[];
  /** The named things the question sets aside ("apart from AWS's reports": ./facets.ts setAsideSpans). */
  setAside: CompiledConcept[];
  /** The concepts a caveat or denial must mention a share of to be about the question: without a bracketed gloss's (./glosses.ts). */
  caveated: CompiledConcept[];
}

/** A name as a question writes it: capitalised Latin (Azure, Google Cloud), not a named topic's acronym alone. */
const CAPITALISED = /^[A-Z][A-Za-z0-9]/;

/**
 * The named things (a provider, a standard, a product: a named topic, or a capitalised name) a
 * question sets aside: those named in a stretch setAsideSpans reads. An ordinary word set aside
 * ("other than backups") is not one: rows name ordinary words for many reasons, a provider or a
 * standard only as what they rest on.
 */
function setAsideTopics(question: string, concepts: CompiledConcept[]): CompiledConcept[] {
  const spans = setAsideSpans(question).map((span) => textKey(span));
  return spans.length === 0 ? [] : concepts.filter((c) => (c.topic || CAPITALISED.test(c.source)) && spans.some((key) => mentions(c, key)));
}

/**
 * Whether a row names what a question setting something aside asks about: every named topic of
 * the question beside those set aside, or, for a question naming no other, its other main ideas.
 */
function namesWhatIsAsked(asked: AskedOfRows, key: TextKey): boolean {
  const rest = asked.concepts.filter((c) => !asked.setAside.includes(c));
  const topics = rest.filter((c) => c.topic);
  return (topics.length > 0 ? topics : rest.filter((c) => c.weight >= MAIN_IDEA)).every((c) => mentions(c, key));
}

function rowCautions(asked: AskedOfRows, alternatives: Map<string, Set<string>>, passage: Passage, key: TextKey): Caution[] {
  const edition = otherEdition(asked.text, asked.concepts, passage);
  const own = rowCaution(asked, passage);
  // "Apart from AWS's reports, has the vendor itself …?" and a row naming AWS: its mark rests on what is set aside, unless
  // the row also names what is asked ("besides ISO 27001, do you hold ISO 27017?" and a row naming both).
  const named = asked.setAside.find((c) => mentions(c, key));
  const aside = named && !namesWhatIsAsked(asked, key) ? named : undefined;
  return [...(edition ? [edition] : []), ...(own ? [own] : []), ...(contradicts(alternatives, key) ? [ALTERNATIVES] : []), ...(aside ? [{ kind: 'set-aside', effect: 'unknown', named: aside.source } as const] : [])];
}

/**
 * A standard's number in a text with its edition (ISO/IEC27001:2013, NIST SP 800-53 Rev. 4), as
 * written with the Latin name before it, and the edition: what a reason quotes.
 */
function editionsNamed(number: string, text: string): Array<{ text: string; edition: string }> {
  // The name is capitalised (ISO/IEC, JIS Q, NIST SP): a lower-case word before it is prose, not the name.
  const re = new RegExp(`(?:(?<![A-Za-z])[A-Z][A-Za-z/]*(?:\\s+[A-Z]{1,2})?\\s*)?(?<!\\d)${escapeRegExp(number)}\\s*(?::\\s*((?:19|20)\\d{2})(?!\\d)|(?:[Rr]ev(?:ision)?\\.?\\s*|[Rr])(\\d{1,2})(?!\\d))`, 'g');
  return [...text.normalize('NFKC').matchAll(re)].flatMap((m) => {
    const edition = m[1] ?? m[2];
    return edition ? [{ text: m[0].trim(), edition }] : [];
  });
}

/**
 * The row, marked as done, names a standard the question asks in one edition only in other
 * editions (:2013 for :2022): match.ts statusFor leaves it no yes, and this caution's reason
 * says which edition the sheet names (new-user trial s12: the reason was generic). A row naming
 * no edition, or the one asked, gets none.
 */
function otherEdition(question: string, concepts: CompiledConcept[], passage: Passage): Caution | null {
  if (passage.status !== 'yes' && passage.status !== 'partial') return null;
  for (const c of concepts) {
    const n = c.numbered;
    if (!n?.edition) continue;
    const held = editionsNamed(n.number, `${passage.requirement}\n${passage.answer}`);
    const [first] = held;
    if (!first || held.some((h) => h.edition === n.edition)) continue;
    const asked = editionsNamed(n.number, question).find((h) => h.edition === n.edition)?.text ?? `${n.number} (${n.edition})`;
    return { kind: 'other-edition', effect: 'unknown', asked, stated: first.text };
  }
  return null;
}

function rowCaution({ text, concepts, quantity, loose, guarded, control, hours, badPractice, remark, facets, caveated }: AskedOfRows, passage: Passage): Caution | null {
  const answer = passage.answer || passage.requirement;
  // A question about keeping a weak practice from happening ("must not reuse passwords") is answered by the control.
  const practice = badPractice && !guarded && !control ? badPracticeCaution(badPractice, passage) : null;
  if (practice) return practice;
  // "By an external party?" and a row saying 自社にて: the row's mark is about the other side.
  const opposite = oppositeStated(text, `${passage.requirement}\n${passage.answer}`);
  if (opposite) return { kind: 'opposite', effect: 'unknown', ...opposite };
  // "Can we scan it ourselves?" and a row saying 自社にて; "phone support?" and 「メール」: the row is about another actor or channel.
  const otherSide = facetConflict(facets, `${passage.requirement}\n${passage.answer}`);
  if (otherSide) return { kind: 'opposite', effect: 'unknown', ...otherSide };
  // The row's clauses about the actor and aspect asked decide (results not disclosed, customers' own tests not accepted);
  // a figure or hours asked are read below first, so the row is never lifted past them.
  const asked = askedClause(text, facets);
  const figureAsked = quantity !== null || hours !== null;
  // A figure or hours asked: a row read partial only for a clause beside the question (no certificate issued, beside the
  // erasure date it states) is lifted too, once the figures below are read and none fails. Not lifted, it was partial in
  // one language and yes in the other, by which words the side clause shared (blind trial s16).
  const byClause = clauseCaution(asked, text, concepts, passage, figureAsked);
  // A row handing the client requirements to its platform (「…に準じます」) that also says in a remark that
  // the very thing asked does not work (「※…モバイル版では動作しません」) answers it by that denial, not by the pointer.
  const deniedToo = byClause?.kind === 'row-defers' && !guarded ? remarkDenies(remark, passage) : null;
  if (deniedToo) return deniedToo;
  if (byClause && byClause.effect !== 'yes') return byClause;
  const lifted = byClause;
  // Hours or days asked that the row leaves out (土日 and 「平日のみ」, 18時まで and 「9:00-17:30」, 24/7): no, or partly done.
  const limit = hours && passage.status !== 'no' ? hoursExcluded(hours, answer) : null;
  if (limit) return { kind: 'row-restricts', ...limit };
  // A bare value (「2回」) is read with its requirement, which says what it counts.
  const figures = quantity ? figureEvidence(passage.answer, passage.requirement) : answer;
  // Several figures asked (RPO and RTO), each against the row's clause about its own subject: one failing says no, partial beside one met.
  const some = quantity ? figuresFailing(quantity, figures) : null;
  if (some) return { kind: 'figure-fails', effect: some.met ? 'partial' : 'no', figure: some.figure, stated: some.stated, ...(some.met ? { met: some.met } : {}) };
  if (quantity && !statesQuantity(quantity, figures)) {
    // A figure of the kind asked that fails the bound asked (99.9% for "at least 99.95%") says no.
    const stated = failingFigure(quantity, figures);
    if (stated) return { kind: 'figure-fails', effect: 'no', figure: quantity.text, stated };
    return hedgedFigure(quantity, concepts, passage) ?? { kind: 'figure', effect: 'unknown', figure: quantity.text };
  }
  // "How often?" and a row stating no frequency but 「必要に応じて実施」 about what is asked: partial, not the row's plain yes.
  const hedged = loose && passage.status !== 'no' && !statesQuantity(loose, figureEvidence(passage.answer, passage.requirement)) ? hedgedFigure(loose, concepts, passage) : null;
  if (hedged) return hedged;
  if (lifted) return lifted;
  if (passage.status === 'no' || concepts.length === 0) return null;
  // A refusal of what is asked is a no; not for a question about keeping something from
  // happening: there the row's negative (「共有は行いません」) is the control.
  if (!guarded) {
    // Asked whether a control exists (「…は管理されていますか」), a requirement ruling the thing out is that control.
    const ruled = control ? null : rulesOutWhatIsAsked(text, concepts, passage);
    if (ruled) return ruled;
    const found = refusesWhatIsAsked(concepts, passage, answer);
    // A refusal with exceptions is partial only for a question whether the thing happens.
    const refused = found && !(control && found.kind === 'row-refuses-some') ? found : null;
    if (refused?.kind === 'row-refuses-some') return refused;
    // The remark says the very thing asked is not done (「…は発行しておりません」), whatever the mark:
    // before a bare refusal, as it quotes the denial and reads what is done instead.
    const remarked = remarkDenies(remark, passage);
    if (remarked) return remarked;
    if (refused) return refused;
  }
  // A prohibition (「…の利用は許可しておりません」) is a rule in place, not a denial (./negation.ts prohibits).
  const denied = denials(answer).filter((d) => !prohibits(d)).map(denialFocus);
  // A denial about the question is no plain yes, whatever the row's mark (○, or partial lifted
  // to yes by a caveat statusFor finds unrelated). "About" as for caveats: a quarter of the
  // question's ideas. Any one idea was tried: out of fold it also flagged rows whose denial was
  // about something beside the question (a retention period asked, log extracts denied), status 0.89 -> 0.88.
  if (denied.some((d) => coverage(caveated, textKey(d)) >= DENIAL_RELEVANCE) && statusFor(caveated, passage) === 'yes') return ROW_SAYS_NOT_DONE;
  return null;
}

/**
 * The row's sentence standing for a figure asked it does not state (./quantities.ts figureHedge: as
 * needed, on request), about one of the question's main ideas that is not the figure's kind or
 * unit: 「必要に応じてパッチを適用」 is no answer to how often backups are tested.
 */
function hedgedFigure(asked: AskedQuantity, concepts: CompiledConcept[], passage: Passage): Caution | null {
  const ideas = concepts.filter((c) => c.weight >= MAIN_IDEA && !isFigureWording(c.source));
  const found = figureHedge(asked, passage.answer || passage.requirement, (sentence) => ideas.some((c) => mentions(c, textKey(sentence))));
  return found ? { kind: 'figure-hedged', effect: 'partial', figure: asked.text, ...found } : null;
}

/**
 * Whether a refusal in the row (「一切行いません」, "we never …") is its statement about what is
 * asked: it holds at least DENIAL_ANSWERS of the question's ideas and no fewer than the rest of
 * the row does, and does not merely narrow (「…のみ」, "except"). A row read partial at ingest
 * (○ with a caveat) says no only when the refusal is all it says.
 */
function refusesWhatIsAsked(concepts: CompiledConcept[], passage: Passage, answer: string): Caution | null {
  const refused = denials(answer, 'refusal');
  if (refused.length === 0) return null;
  const rest = refused.reduce((text, d) => text.replace(d, ' '), answer.normalize('NFKC').toLowerCase());
  const restCoverage = passage.status === 'partial' && /[\p{L}\p{N}]{4}/u.test(rest) ? 1 : coverage(concepts, textKey(rest));
  // What the refusal is about is the clause it ends (denialFocus): an earlier clause of the
  // sentence is a statement of its own (「…取得しており、…復旧機能としては提供しておりません」).
  const answering = refused.filter((d) => coverage(concepts, textKey(denialFocus(d))) >= Math.max(DENIAL_ANSWERS, restCoverage));
  const flat = answering.find((d) => !restricts(d));
  // Refused, and offered in another sentence for a fee or on request (「なお、有償で復旧作業を承る場合があります」): partly.
  const offered = flat !== undefined && offersBeside(answer, refused).some((t) => namesMainIdea(concepts, t));
  if (offered) return { kind: 'row-refuses-some', effect: 'partial', clause: denialFocus(flat) };
  if (flat !== undefined) return ROW_DENIES;
  // Refused except in some cases (「書面による承諾を得ることなく…開示いたしません」): partly, never yes.
  const some = answering.find((d) => restricts(d));
  return some ? { kind: 'row-refuses-some', effect: 'partial', clause: denialFocus(some) } : null;
}

/**
 * The row's requirement is that what is asked does not happen (「…一方的に解除できる条件になって
 * いないこと」 ○, "Customer data is never sold" ○): a no for a question asking whether it
 * happens. Only for a row marked as met, when the clause it rules out mentions most of the
 * question's ideas, and the question does not name the opposite of what the clause names
 * ("Do you store passwords encrypted?" is not answered by 「パスワードを平文で保存しないこと」).
 */
function rulesOutWhatIsAsked(question: string, concepts: CompiledConcept[], passage: Passage): Caution | null {
  if (passage.status !== 'yes' && passage.status !== 'partial') return null;
  const clause = ruledOut(passage.requirement);
  if (clause === null) return null;
  if (coverage(concepts, textKey(clause)) < RULED_OUT || oppositeSides(question, clause)) return null;
  const quoted = passage.requirement.trim();
  // "Not used for any purpose other than the service" rules out only part of what is asked.
  return restricts(clause, false) ? { kind: 'row-refuses-some', effect: 'partial', clause: quoted } : { kind: 'row-rules-out', effect: 'no', clause: quoted };
}

/** The share of the question's ideas a requirement's ruled-out clause must mention. */
const RULED_OUT = 0.6;

/**
 * A question about a weak practice (plain text): a row that names it is read as usual (its
 * refusal of it is a no like any other); one naming the sound practice instead is a no; one
 * naming neither is no yes.
 */
function badPracticeCaution(practice: NonNullable<AskedOfRows['badPractice']>, passage: Passage): Caution | null {
  const text = `${passage.requirement}\n${passage.answer}`;
  if (namesAny(text, practice.weak)) return null;
  const stated = namesAny(text, practice.sound);
  return { kind: 'bad-practice', effect: stated ? 'no' : 'unknown', practice: practice.asked, stated: stated ?? '' };
}

/** The question as the judgement sees it. */
export interface QuestionView {
  concepts: CompiledConcept[];
  /** One concept list per ask of a multi-part question; empty for a single ask. */
  asks: CompiledConcept[][];
  /** Named topics of the question that no passage of the product mentions. */
  absent: string[];
  /**
   * Of those, the ones a single-ask question asks about (./asked-names.ts), when it names no
   * topic the documents do mention: the documents do not cover it, and the judgement declines.
   * None when absent.
   */
  absentAsked?: string[];
  /** Weighted share of the question's ideas that no passage of the product mentions. */
  unmentioned: number;
  /** Each concept's idf among the product's passages (same order as `concepts`). */
  idf: number[];
  lang: 'ja' | 'en';
  /** Bigram BM25 of each candidate (same order as the candidates) and the best score possible. */
  bm25: number[];
  bm25Ceiling: number;
  /**
   * Why the question itself cannot be answered plainly (./caution.ts): phrased in the negative,
   * or asking for a fact only a row stating it answers. None when absent.
   */
  cautions?: readonly Caution[];
  /**
   * For a multi-part question, per ask (same order as `asks`): the cautions from that ask's own
   * words (./caution.ts askCautions), which reach only the rows cited for that ask.
   */
  askCautions?: ReadonlyArray<readonly Caution[]>;
  /**
   * For a question asking a figure: the ideas of what it asks the figure of, without its
   * question word (quantities.ts figureSubject), so that a cited row stating the figure can be
   * told to be about the question; of a multi-part question's figureAsk, that ask's. None when
   * no figure is asked.
   */
  subject?: CompiledConcept[];
  /**
   * For a multi-part question whose figure one ask alone asks ("a firewall, and are sessions
   * ended after 15 minutes?"): that ask's index. A row cited for another ask states no figure of
   * it and is not held back for that (blind trial s18: the whole answer was declined for the
   * minutes the firewall row does not state). None when no ask or several ask a figure.
   */
  figureAsk?: number;
  /**
   * For a multi-part question whose hours or days of coverage some asks ask and others do not
   * ("is support by phone? on weekends too?"): the asks that do (./coverage-hours.ts). A row's
   * limit on those hours (a row-restricts caution, 「月~金」) answers those asks only: the phone
   * ask is still yes, and the whole partial (blind trial s23: the whole was no). None otherwise.
   */
  hoursAsks?: number[];
  /** The concepts a row's status is read against: `concepts` without those a bracketed gloss alone names (./glosses.ts). None when it is `concepts`. */
  caveated?: CompiledConcept[];
}

/** The figure one ask asks, as an idea the rows stating it about that ask's subject mention (./figure-rows.ts); null when it asks none. */
async function askFigure(ask: string, product: string, names: Parameters<typeof withoutProductIdeas>[1], lexicon: Lexicon, compileHere: (cs: Concept[]) => CompiledConcept[], rows: Parameters<typeof figureConcept>[2]): Promise<Concept | null> {
  const asked = askedQuantity(ask);
  if (!asked) return null;
  return figureConcept(asked, compileHere(withoutProductIdeas(expandQuery(figureSubject(ask, product), lexicon).concepts, names)), rows);
}

/** The asks of a multi-part question asking hours or days of coverage, as QuestionView.hoursAsks; none when all or none do. */
function hoursAsking(asks: readonly string[]): { hoursAsks?: number[] } {
  const asking = asks.flatMap((a, i) => (hoursAsked(a) ? [i] : []));
  return asking.length > 0 && asking.length < asks.length ? { hoursAsks: asking } : {};
}

/** The one ask of a multi-part question asking a figure, as QuestionView.figureAsk; none when several do or none does. */
function soleFigureAsk(asks: readonly string[]): { figureAsk?: number } {
  const asking = asks.flatMap((a, i) => (askedQuantity(a) ? [i] : []));
  const [only] = asking;
  return asking.length === 1 && only !== undefined ? { figureAsk: only } : {};
}

/** A candidate row with its match keys (whole text, requirement, answer). */
export interface CandidateView {
  passage: Passage;
  /**
   * For an approved answer: how closely its original question asks what this question asks
   * (the smaller of the two coverages, each question's ideas in the other; 0 when either names
   * a topic the other does not). 0 for every other source.
   */
  sameQuestion: number;
  /**
   * Why this row is no plain answer to this question (./caution.ts): a figure asked that it does
   * not state, a denial of what is asked, a different member of a group of exclusive
   * alternatives the question asks about (AWS for "hosted on Azure?", Tokyo for "stored outside
   * Japan?"). None when absent.
   */
  cautions?: readonly Caution[];
  /**
   * For a multi-part question, per ask (same order as `asks`): the row's remark denying that ask
   * (./ask-denials.ts), or null. None when it denies no ask.
   */
  askDenials?: ReadonlyArray<Caution | null>;
  relevance: number;
  key: TextKey;
  requirementKey: TextKey;
  answerKey: TextKey;
}

export interface Candidate {
  passage: Passage;
  /**
   * Search relevance in 0..1: BM25 over the best BM25 when only full-text search ran,
   * reciprocal-rank fusion of the full-text and vector rankings when both did.
   */
  relevance: number;
}

export interface RetrieveDeps {
  store: PassageStore;
  embedder: Embedder;
  lexicon: Lexicon;
  /** Products up to this many passages are ranked exhaustively (default: the store's limit). */
  scanLimit?: number;
  /** Restates the question in checksheet vocabulary (with a model configured); none offline. */
  rewriter?: QueryRewriter;
}

const CANDIDATES = 40;

/** Every variant of every concept, for small products where the query's cost does not matter. */
function broadQuery(question: string, concepts: Concept[]): FullTextQuery {
  const variants = [...new Set(concepts.flatMap((c) => c.variants.map((v) => v.trim())))].filter((v) => [...v].length >= 2);
  const clauses: [Occur, FullTextQuery][] = variants.map((v) => {
    const weight = Math.max(...concepts.filter((c) => c.variants.includes(v)).map((c) => c.weight));
    return [Occur.Should, new MatchQuery(v, 'text', { boost: weight })];
  });
  // The whole question's n-grams catch wording the term splitter cut apart, and, for an
  // English question, English sources (approved answers, English policies) word for word.
  clauses.push([Occur.Should, new MatchQuery(question, 'text', { boost: detectLanguage(question) === 'ja' ? 0.3 : 0.05 })]);
  return new BooleanQuery(clauses);
}

/**
 * Candidates for a large product: passages tagged with the question's glossary concepts,
 * plus an n-gram search for the few words the glossary does not know. Both lists are
 * normalised to their best score and merged, keeping each passage's better score.
 */
async function largeProductCandidates(store: PassageStore, concepts: Concept[], product: string): Promise<ScoredRow[]> {
  const rest = concepts.filter((c) => !c.glossaryIds);
  const restQuery = wordQuery(rest);
  const [byTags, byWords] = await Promise.all([
    store.byConcepts(questionTags(concepts), product, CANDIDATES),
    restQuery ? store.fullText(restQuery, product, CANDIDATES) : Promise.resolve([]),
  ]);
  const merged = new Map<string, ScoredRow>();
  for (const list of [byTags, byWords]) {
    const best = Math.max(0, ...list.map((r) => r.score));
    for (const row of list) {
      const score = best > 0 ? row.score / best : 0;
      const seen = merged.get(row.passage.id);
      if (!seen || seen.score < score) merged.set(row.passage.id, { passage: row.passage, score });
    }
  }
  return [...merged.values()];
}

/**
 * Words the glossary does not know, searched by n-grams in a large product: only the few
 * most specific variants, since each adds posting lists to walk and the n-grams of common
 * words are in most rows (at 100k rows, hundreds of milliseconds).
 */
const WORD_VARIANTS = 4;
const SPECIFIC_WEIGHT = 0.5;

function wordQuery(concepts: Concept[]): FullTextQuery | null {
  const specific = concepts.filter((c) => c.weight >= SPECIFIC_WEIGHT);
  const ordered = [...(specific.length > 0 ? specific : concepts)].sort((a, b) => b.weight - a.weight);
  // Round-robin over concepts so that every idea gets its best variants in before any gets its tail.
  const picked: string[] = [];
  for (let depth = 0; picked.length < WORD_VARIANTS; depth++) {
    const layer = ordered.map((c) => c.variants[depth]).filter((v): v is string => v !== undefined);
    if (layer.length === 0) break;
    for (const v of layer) {
      const t = v.trim();
      // Single characters match almost everything under an n-gram index.
      if ([...t].length >= 2 && !picked.includes(t) && picked.length < WORD_VARIANTS) picked.push(t);
    }
  }
  return picked.length > 0 ? new MatchQuery(picked.join(' '), 'text') : null;
}

/**
 * Match keys of passages, computed once: snapshot passages of small products are the same
 * objects from query to query until the corpus version changes.
 */
interface Keys {
  all: TextKey;
  requirement: TextKey;
  answer: TextKey;
  grams: { grams: Grams; length: number };
  /** An English row's content words (bigram.ts englishWords); null for a Japanese row. */
  words: { grams: Grams; length: number } | null;
}
const keys = new WeakMap<Passage, Keys>();
/**
 * A large product's candidates are new objects on every search, so the WeakMap above never
 * hits for them: the keys of the rows searched most recently are also kept by id (checked
 * against the row's text, which an ingest may have changed). Questions on one topic fetch
 * mostly the same rows; without this, every question recomputed the bigrams and match keys
 * of all its candidates (4 ms of a 28 ms ask at 100k rows, and much of its garbage).
 */
const RECENT_ROWS = 1_000;
const recent = new Map<string, { text: string; keys: Keys }>();
function keysOf(passage: Passage): Keys {
  let k = keys.get(passage);
  if (k) return k;
  const text = searchText(passage);
  const seen = recent.get(passage.id);
  if (seen && seen.text === text) {
    k = seen.keys;
    recent.delete(passage.id);
  } else {
    const g = grams(text);
    const w = detectLanguage(text) === 'en' ? englishWords(text) : null;
    k = {
      all: textKey(text),
      requirement: textKey(passage.requirement),
      answer: textKey(passage.answer),
      grams: { grams: g, length: total(g) },
      words: w ? { grams: w, length: total(w) } : null,
    };
  }
  recent.set(passage.id, { text, keys: k });
  if (recent.size > RECENT_ROWS) recent.delete(recent.keys().next().value as string);
  keys.set(passage, k);
  return k;
}

const total = (g: Grams): number => [...g.values()].reduce((a, b) => a + b, 0);

/** Bigram and (over the English rows) word statistics of a small product's snapshot, computed once per snapshot. */
interface Indexes {
  grams: GramIndex;
  words: GramIndex;
  /** The English rows' wordings of the question's ideas are looked up in (./english-wordings.ts). */
  english: EnglishRows;
}
const indexes = new WeakMap<Passage[], Indexes>();
function indexOf(passages: Passage[]): Indexes {
  let index = indexes.get(passages);
  if (!index) {
    const words = passages.map((p) => keysOf(p).words).filter((w) => w !== null);
    index = { grams: gramIndex(passages.map((p) => keysOf(p).grams)), words: gramIndex(words), english: englishRows(passages.map(searchText)) };
    indexes.set(passages, index);
  }
  return index;
}

/** What a question is scored by: its bigrams (Japanese rows) and its English content words (English rows). */
interface QueryTerms {
  grams: Grams;
  words: Grams;
}

/**
 * The question's English words: its own for an English question; for a Japanese one, the
 * glossary's English phrases of its concepts, each concept weighted as coverage weighs it
 * (so 「パスワードの最小文字数」 finds "password length" in an English policy).
 */
export function questionWords(question: string, lang: 'ja' | 'en', concepts: Concept[], lexicon: Pick<Lexicon, 'glossary'>): Grams {
  if (lang === 'en') return englishWords(question);
  const out: Grams = new Map();
  for (const c of concepts) {
    const phrases = (c.glossaryIds ?? []).flatMap((id) => lexicon.glossary[id]?.en ?? []);
    for (const phrase of phrases) englishWords(phrase, c.weight / phrases.length, out);
  }
  return out;
}

/**
 * Each candidate's BM25 and the best score possible. An English row's word score is scaled so
 * that its ceiling is the bigram ceiling (a row sharing every word scores as one sharing every
 * bigram would), or stands alone when the question has no bigrams to score (an English
 * question whose concepts have no Japanese). Japanese rows score by bigrams alone, as before.
 */
function scorer(index: Indexes, terms: QueryTerms): { score: (keys: Keys) => number; ceiling: number } {
  const gramCeiling = ceiling(terms.grams, index.grams);
  const wordCeiling = index.words.count > 0 ? ceiling(terms.words, index.words) : 0;
  const scale = wordCeiling > 0 ? (gramCeiling > 0 ? gramCeiling / wordCeiling : 1) : 0;
  return {
    score: (k) => bm25(terms.grams, k.grams, index.grams) + (k.words && scale > 0 ? scale * bm25(terms.words, k.words, index.words) : 0),
    ceiling: gramCeiling > 0 ? gramCeiling : wordCeiling,
  };
}

/** An acronym as the question writes it (WAF, VPN, SOC 2): a named thing, not a common word. */
const ACRONYM = /[A-Z]{2,}/;

/**
 * The question's bigrams: its own (Japanese) and its concepts' variants, weighted as coverage
 * weighs them. Of a concept's variants only those some row of the product writes (`used`) add
 * bigrams, each its share of the concept's weight as before: a wording no row uses can only
 * match rows by its parts (在宅 of 在宅勤務 where the rows write テレワーク; 保護 of 情報保護),
 * which are not the idea. When no row writes any of them, all count, as parts may be all there is.
 */
export function questionGrams(question: string, lang: 'ja' | 'en', concepts: Concept[], used: (variant: string) => boolean = () => true): Grams {
  // A clipped word counts by the formal word's wording (アップ's bigrams are バックアップ's: ./casual.ts). A casual
  // verb's formal word is no wording of the question: it counts through its concept's variants, as a glossary idea does.
  const out: Grams = lang === 'ja' ? grams(formalJa(question, clippedWords())) : new Map();
  for (const c of concepts) {
    // The glossary's spellings of a compound's last word (脆弱性診断 for the 診断 of 健康診断) are another sense's.
    if (modifierOf(c) !== null) continue;
    const all = c.variants.filter((v) => !/^[\x20-\x7e]+$/.test(v));
    const written = all.filter(used);
    const variants = written.length > 0 ? written : all;
    for (const v of variants) grams(v, (lang === 'ja' ? 0.5 : 1) * c.weight / all.length, out);
    if (lang === 'ja') oneKanjiWord(c.source, c.weight, out);
    // An acronym an English question names (WAF, VPN) is written as it is in Japanese rows
    // (「AWS WAFを用いた」): the name itself counts as much as all its Japanese spellings together,
    // whose generic parts (アプリケーション of ウェブアプリケーションファイアウォール) are in unrelated rows.
    if (lang === 'en' && ACRONYM.test(c.source)) for (const v of c.variants.filter((v) => /^[a-z][a-z0-9]+$/.test(v))) grams(v, c.weight, out);
  }
  return out;
}

let clipped: readonly CasualEntry[] | null = null;
/** The casual words replaced outright (casual.tsv's `clip` lines), read once. */
function clippedWords(): readonly CasualEntry[] {
  clipped ??= loadCasual().filter((e) => e.form === 'clip');
  return clipped;
}

/** Whether any of these rows (compact match keys) writes a wording; each wording is looked up once per question. */
function writtenIn(rows: readonly string[]): (variant: string) => boolean {
  const seen = new Map<string, boolean>();
  return (variant) => {
    let found = seen.get(variant);
    if (found === undefined) {
      const k = matchKey(variant.normalize('NFKC').toLowerCase());
      found = k.length > 0 && rows.some((row) => row.includes(k));
      seen.set(variant, found);
    }
    return found;
  };
}

/** Reciprocal-rank fusion constant from Cormack et al. (2009). */
const RRF_K = 60;

/** BM25 normalised by the best hit when only full-text ran; RRF when vectors joined in. */
export function fuse(lexical: ScoredRow[], semantic: ScoredRow[]): Candidate[] {
  if (semantic.length === 0) {
    const best = Math.max(0, ...lexical.map((r) => r.score));
    return lexical.map((r) => ({ passage: r.passage, relevance: best > 0 ? r.score / best : 0 }));
  }
  const fused = new Map<string, { passage: Passage; rrf: number }>();
  for (const list of [lexical, semantic]) {
    list.forEach((row, i) => {
      const entry = fused.get(row.passage.id) ?? { passage: row.passage, rrf: 0 };
      entry.rrf += 1 / (RRF_K + i + 1);
      fused.set(row.passage.id, entry);
    });
  }
  const best = Math.max(...[...fused.values()].map((e) => e.rrf));
  return [...fused.values()].map((e) => ({ passage: e.passage, relevance: e.rrf / best }));
}

/** What retrieval hands the judgement: the question's concepts and every candidate row. */
export interface Gathered {
  question: string;
  product: string;
  view: QuestionView;
  /** Each ask of a multi-part question seen as a question of its own (empty for one ask). */
  askViews: QuestionView[];
  /** The text of each ask of a multi-part question, in askViews' order (the drafter answers each). */
  askTexts?: string[];
  candidates: CandidateView[];
  /** Ids of candidates that only the vector search found (no word-level evidence). */
  vectorOnly: Set<string>;
  corpusVersion: number;
}

export async function gather(deps: RetrieveDeps, asked: string, product: string): Promise<Gathered> {
  const question = retrievalText(asked);
  const lang = detectLanguage(question);
  // A small product is judged in full: every passage is a candidate, and search relevance
  // is one feature among others. A large one is narrowed by search first.
  const [rewrite, everything] = await Promise.all([
    deps.rewriter ? deps.rewriter.rewrite(question) : Promise.resolve(null),
    deps.store.smallProduct(product, deps.scanLimit),
  ]);
  // The last word of a longer compound (診断 of 健康診断) is that compound's idea, not any row's 診断 (./compound-head.ts).
  // An acronym the question spells out ("security operations center (SOC)") means what its spelling says (./spelled-acronym.ts).
  // The product's own name is no idea of the question (./product-name.ts).
  const names = productNameWords(product, everything?.[0]?.title ?? '');
  const expandAsked = (text: string): Concept[] => withoutProductIdeas(withModifiers(text, withSpelledAcronyms(text, expandQuery(text, deps.lexicon).concepts, deps.lexicon)), names);
  // An idea named only as a bracketed example ranks at half weight (./glosses.ts).
  const own = examplesWeighed(question, expandAsked(question));
  const concepts = rewrite ? [...own, ...rewriteConcepts(rewrite, deps.lexicon, own)] : own;
  // The question's own clauses first, then a model's sub-questions, then a coordination split.
  const ownClauses = splitClauses(question);
  const byRewrite = asksOf(ownClauses, rewrite);
  const parts = (byRewrite.length > 1 ? byRewrite : splitQuestion(question)).map((part) => ({ part, concepts: expandAsked(part) }));
  const [lexical, semantic] = await Promise.all([
    everything ? deps.store.fullText(broadQuery(question, concepts), product, CANDIDATES) : largeProductCandidates(deps.store, concepts, product),
    deps.store.meta.dimensions > 0
      ? deps.embedder.embed([question]).then(([v]) => (v && v.length > 0 ? deps.store.nearest(v, product, CANDIDATES) : []))
      : Promise.resolve([]),
  ]);
  // An approved answer is a source only for the question it was approved for: one to another
  // question would otherwise rank first on shared words and be served word for word. Those
  // that ask something else are left out here (sameQuestion 0); the judgement reuses the rest
  // only at SAME_QUESTION (src/judge/judge.ts). Both match on what this question itself
  // asks, in its own words (not a model's rewrite).
  const forReuse = readForReuse(question, deps.lexicon, own);
  const questionKey = textKey(question);
  // A document's preface answers only a question about the document (./preface.ts).
  const prefaceAnswers = asksAboutDocument(question);
  const asksSame = (p: Passage): boolean => (p.kind !== 'approved' || sameQuestion(forReuse, p, deps.lexicon) > 0) && (prefaceAnswers || !isPreface(p));
  const candidates = fuse(lexical.filter((r) => asksSame(r.passage)), semantic.filter((r) => asksSame(r.passage)));
  const lexicalIds = new Set(lexical.map((r) => r.passage.id));
  const vectorOnly = new Set(candidates.filter((c) => !lexicalIds.has(c.passage.id)).map((c) => c.passage.id));
  if (everything) {
    const found = new Map(candidates.map((c) => [c.passage.id, c]));
    // Use the snapshot's objects so their match keys are cached across questions.
    for (const passage of everything) {
      const hit = found.get(passage.id);
      if (hit) hit.passage = passage;
      else if (asksSame(passage)) candidates.push({ passage, relevance: 0 });
    }
  }
  const pool = everything ?? candidates.map((c) => c.passage);
  // The loops over the whole product below run in slices (work-queue.ts): for a product of
  // thousands of rows each held the thread for 30-800 ms, and Slack requests with it.
  // Match keys are cached per snapshot: after the first question this is a lookup per row.
  // Between the passes below that are not sliced themselves (each 5-40 ms on 3,000 rows, but
  // back to back 120-180 ms: test/retrieve/slices.test.ts), pending I/O is let through too.
  await inSlices(pool, keysOf);
  const index = indexOf(pool);
  await afterPendingIo();
  // Coverage sees the question's ideas as the product's English rows word them too.
  const compileHere = (cs: Concept[]): CompiledConcept[] => compile(withEnglishWordings(cs, index.english, deps.lexicon));
  const compiled = compileHere(concepts);
  // The aspect an ask asks of its topic (how far, decided by whom, set out where: ./focus.ts) is an idea of that ask.
  const asks = parts.map((p) => {
    const own = compileHere(p.concepts);
    const aspects = parts.length > 1 ? aspectConcepts(p.part, p.concepts, pool.map((r) => keysOf(r).all.compact)) : [];
    return aspects.length > 0 ? [...own, ...compile(aspects)] : own;
  });
  const used = writtenIn(pool.map((p) => keysOf(p).all.compact));
  const terms = (text: string, cs: Concept[]): QueryTerms => ({ grams: questionGrams(text, lang, cs, used), words: questionWords(text, lang, cs, deps.lexicon) });
  // For a large product the candidates stand in for the whole: a topic that none of the
  // best matches mentions is as good as absent.
  const poolKeys = pool.map((p) => keysOf(p).all);
  const absent = absentTopics(compiled, poolKeys);
  // "ISO 27001 or SOC 2?" with ISO 27001 in the sheets has an answer about it: only a question whose every named topic is absent is vetoed.
  const absentAsked = asks.length <= 1 && compiled.filter((c) => c.topic).length === absent.length ? askedAbsentNames(question, absent) : [];
  const unmentioned = unmentionedShare(compiled, poolKeys);
  await afterPendingIo();
  const scores = (s: ReturnType<typeof scorer>): Promise<number[]> => inSlices(candidates, (c) => s.score(keysOf(c.passage)));
  const alternatives = askedAlternatives(questionKey);
  const quantity = askedQuantity(question);
  const askedOfRows: AskedOfRows = { text: question, concepts: compiled, quantity, loose: looseFigureAsk(question), guarded: guardedQuestion(question), control: asksForControl(question), hours: hoursAsked(question), badPractice: badPracticeAsked(question), remark: remarkAsked(question, compiled, concepts, deps.lexicon), facets: askedFacets(question, parts.length > 1 ? parts.map((p) => p.part) : []), setAside: setAsideTopics(question, compiled), caveated: withoutGlosses(question, compiled) };
  // A figure asked in general words ("how often") is ranked for as one asked outright, and checked in no row (quantities.ts looseFigureAsk);
  // of a question with several asks it is one ask's, whose own row that ask finds: ranking the whole for it put that row first.
  const ranked = quantity ?? (parts.length > 1 ? null : looseFigureAsk(question));
  const rankedSubject = ranked ? compileHere(withoutProductIdeas(expandQuery(figureSubject(question, product), deps.lexicon).concepts, names)) : null;
  // The figure one ask of several alone asks is of that ask's subject ("idle sessions", not the firewall of the other ask).
  const figureAsk = quantity && asks.length > 1 ? soleFigureAsk(parts.map((p) => p.part)) : {};
  const askSubject = figureAsk.figureAsk === undefined ? null : parts[figureAsk.figureAsk]?.part;
  const subject = !quantity ? null : askSubject ? compileHere(withoutProductIdeas(expandQuery(figureSubject(askSubject, product), deps.lexicon).concepts, names)) : rankedSubject;
  // A bounded figure asked is an idea of the question the rows stating it about its subject mention (./figure-rows.ts).
  const figureRows = pool.map((p) => ({ text: p.answer || p.requirement, key: keysOf(p).all }));
  const figure = rankedSubject ? await figureConcept(ranked, rankedSubject, figureRows) : null;
  // Each ask of several that asks a figure ranks for it as a question of one does: the row stating 年2回 leads
  // 「…年に何回？」, not the notice row that also words the other ask (「…何日前に告知？」; blind trial s23).
  const askFigures = asks.length > 1 ? await Promise.all(parts.map((p) => askFigure(p.part, product, names, deps.lexicon, compileHere, figureRows))) : [];
  const asksRanked = asks.map((own, i) => {
    const f = askFigures[i];
    return f ? [...own, ...compile([f])] : own;
  });
  // The side of a facet asked (the customer acting, the phone) where the rows differ on it (./facets.ts).
  const sides = facetConcepts(askedOfRows.facets, pool.map((p) => `${p.requirement}\n${p.answer}`));
  // What the question asks of its topic (how far, decided by whom, set out in which document: ./focus.ts):
  // an idea a row states or not; its words (規約, 承認) are in too many rows to count as shared wording in the bigram score.
  const aspects = aspectConcepts(question, concepts, poolKeys.map((k) => k.compact));
  await afterPendingIo();
  const added = [...(figure ? [figure] : []), ...sides, ...aspects];
  const viewConcepts = added.length > 0 ? [...compiled, ...compile(added)] : compiled;
  // The row statuses are read against the same ideas, a bracketed gloss's aside (./glosses.ts), as the caveats above.
  const caveated = withoutGlosses(question, viewConcepts);
  // The figure as the rows write it counts in the bigram score too; a side's words (利用者による, メール) are in too many rows to.
  const whole = scorer(index, terms(question, figure ? [...concepts, figure] : concepts));
  const askViews: QuestionView[] = [];
  if (asks.length > 1) {
    for (const [i, p] of parts.entries()) {
      const f = askFigures[i];
      const s = scorer(index, terms(p.part, f ? [...p.concepts, f] : p.concepts));
      const own = asksRanked[i] ?? [];
      askViews.push({ concepts: own, asks: [], absent, unmentioned: unmentionedShare(own, poolKeys), idf: conceptIdf(own, poolKeys), lang, bm25: await scores(s), bm25Ceiling: s.ceiling });
    }
  }
  // Each ask read against a row's remark on its own, when the remark's asks are the question's (no model's rewrite split it otherwise).
  const readAskDenials = asks.length > 1 && askedOfRows.remark.asks.length === asks.length ? askDenialReader(askedOfRows.remark) : null;
  return {
    question,
    product,
    askViews,
    ...(asks.length > 1 ? { askTexts: parts.map((p) => p.part) } : {}),
    view: {
      concepts: viewConcepts,
      asks: asks.length > 1 ? asksRanked : [],
      absent,
      unmentioned,
      idf: conceptIdf(viewConcepts, poolKeys),
      lang,
      bm25: await scores(whole),
      bm25Ceiling: whole.ceiling,
      cautions: questionCautions(question, lang),
      ...(asks.length > 1 ? { askCautions: askCautions(question, parts.map((p) => p.part)) } : {}),
      ...(subject ? { subject } : {}),
      ...figureAsk,
      ...(asks.length > 1 ? hoursAsking(parts.map((p) => p.part)) : {}),
      ...(absentAsked.length > 0 ? { absentAsked } : {}),
      ...(caveated.length < viewConcepts.length ? { caveated } : {}),
    },
    candidates: await inSlices(candidates, (c) => {
      const k = keysOf(c.passage);
      const denied = readAskDenials?.(c.passage);
      return {
        passage: c.passage,
        relevance: c.relevance,
        key: k.all,
        requirementKey: k.requirement,
        answerKey: k.answer,
        sameQuestion: c.passage.kind === 'approved' ? sameQuestion(forReuse, c.passage, deps.lexicon) : 0,
        cautions: rowCautions(askedOfRows, alternatives, c.passage, k.all),
        ...(denied ? { askDenials: denied } : {}),
      };
    }),
    vectorOnly,
    corpusVersion: await deps.store.version(),
  };
}
