/**
 * The judgement: which rows answer the question, whether to decline, how sure the answer is
 * and whether a human must look before it leaves. Every number here comes from
 * `weights.json`, fitted by `npm run train` on labelled questions with k-fold cross-validation;
 * no hand-set cut-offs.
 *
 * 1. The ranker scores every candidate row; within the question a softmax turns the scores
 *    into shares (how much of the answer each row is likely to hold). Rows are ranked by it.
 * 2. The answerable model gives P(the documents answer the question); below the decline
 *    threshold (one per language) kotae declines and cites nothing.
 * 3. Rows whose share is at or above the citation threshold are cited in rank order (at most
 *    five; the best row always); for a multi-part question also the rows that clear it among
 *    one ask's rows. Nothing below it is cited.
 * 4. The answer model gives a calibrated P(the drafted answer is right); below the unflagged
 *    threshold (chosen for ≥ 97% precision out of fold) the draft is flagged for review.
 *
 * A few stated rules sit on top where the labelled sets hold too few cases to learn from: an
 * approved answer is reused only for the same question (SAME_QUESTION), and the cautions that
 * retrieval finds (src/retrieve/caution.ts: a row naming another of the alternatives asked
 * about, a negated question, a figure the row does not state, a row saying it is not done, a
 * fact no cited row states) leave no bare yes, or decline.
 */
import { LIKELY, measuredShare } from '../confidence-words.js';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Hit, Language, Status } from '../domain.js';
import { answerFeatures, knownUnmentioned, type AnswerFeatures, type Featured, type QuestionView, type RowFeatures } from './features.js';
import { acts, blanks, lifts, CAUTION_CAP, cautionReason, denies, narrows, qualifierDenied, ROW_DENIES, type AppliedCaution, type Caution } from '../retrieve/caution.js';
import { rowClauses } from '../retrieve/clauses.js';
import { statesFact } from '../retrieve/facts.js';
import { coverage, mentions, namesMainIdea, type CompiledConcept } from '../retrieve/match.js';
import { FIGURE_ROW_COVERAGE } from '../retrieve/quantities.js';
import { aboutFigureSubject, figuresNear, mostSpecificIdea } from '../retrieve/figure-rows.js';
import { LogisticModel, linear, predict } from './logistic.js';
import { scopedStatus } from './scope.js';
import { approvalsLast, reuseHits, reusedApproval, reuseReason, SAME_QUESTION } from './reuse.js';

export const Thresholds = z.object({
  /** Rows whose share of the question's softmax is at or above this are cited. */
  cite: z.number().min(0).max(1),
  /** Below this P(answerable), kotae declines a Japanese question. */
  decline: z.number().min(0).max(1),
  /**
   * The same for an English question. Each language's threshold keeps its own wrongly declined
   * share at most 5%: Japanese paraphrases look less like their rows than English questions
   * do, and one threshold for both would decline Japanese answerable questions more often.
   */
  declineEn: z.number().min(0).max(1),
  /** Answers with P(right) at or above this go out without a review flag (1: none do). */
  unflagged: z.number().min(0).max(1),
});
export type Thresholds = z.infer<typeof Thresholds>;

export const Judge = z.object({ rank: LogisticModel, answerable: LogisticModel, answer: LogisticModel, thresholds: Thresholds });
export type Judge = z.infer<typeof Judge>;

export const JudgeWeights = z.object({
  /** What produced the file, for the reader: command, data, folds. */
  trained: z.object({ command: z.string(), sets: z.array(z.string()), items: z.number().int(), folds: z.number().int() }),
  /** Trained on every item: what kotae uses. */
  full: Judge,
  /** Fold k's judge was trained without fold k: the eval judges fold k's items with it (out of fold). */
  folds: z.array(Judge),
});
export type JudgeWeights = z.infer<typeof JudgeWeights>;

export const WEIGHTS_FILE = new URL('./weights.json', import.meta.url);

let loaded: JudgeWeights | null = null;
/** The committed weights, read and validated once per process. */
export function loadWeights(): JudgeWeights {
  loaded ??= JudgeWeights.parse(JSON.parse(readFileSync(WEIGHTS_FILE, 'utf8')));
  return loaded;
}

export const MAX_CITATIONS = 5;

// The reuse rule and the judgement of a reused approval live in ./reuse.ts.

export interface JudgedRow extends Featured {
  score: number;
  share: number;
  status: Status;
}

export interface Judgement {
  /** Every candidate, best first. */
  ranked: JudgedRow[];
  hits: Hit[];
  abstained: boolean;
  /** P(the documents answer the question). */
  answerable: number;
  /** P(the drafted answer is right), calibrated out of fold. */
  confidence: number;
  needsReview: boolean;
  reason: string;
  answerFeatures: AnswerFeatures;
  /**
   * For a multi-part question, per ask in the question's order: the ids of the cited rows found
   * for that ask, best first; empty for an ask no cited row touches (uncoveredAsk). The drafter
   * answers each ask from its own rows (src/draft/extractive.ts).
   */
  askRows?: string[][];
  /**
   * Per ask, like askRows: the status each of those rows gives that ask where a row cited for
   * several asks reads differently for them (「毎日リストア試験」 yes to "are restores tested?",
   * its denial of recovering a user's mistake no to that ask): the drafter answers each ask with
   * its own. Also when the figure one ask alone asks is failed beside another ask done, making the
   * whole partial (QuestionView.figureAsk): each ask keeps its own rows' readings. Absent otherwise.
   */
  askStatuses?: Array<Record<string, Status>>;
}

const percent = (x: number): string => `${Math.round(x * 100)}%`;
const quoted = (terms: string[], lang: Language): string => terms.map((t) => (lang === 'ja' ? `「${t}」` : `“${t}”`)).join(lang === 'ja' ? '' : ', ');

/** Reasons in the question's language: they end up in the customer's sheet and in Slack. */
const REASONS = {
  ja: {
    nothing: 'この製品の資料には質問の内容に触れた記載がありません。担当者の確認が必要です',
    absent: (t: string) => `${t}に触れた記載がありません。担当者の確認が必要です`,
    weak: (p: number) => `質問に答える記載が見当たりません(資料が答えている確度${percent(p)})。担当者の確認が必要です`,
    uncovered: (t: string, p: number) => `質問のうち${t}を尋ねる部分に触れた記載が見当たりません。ほかの部分には答えているため、回答は「一部」です(確度${percent(p)})。担当者の確認が必要です`,
    sure: (p: number) => `引用した記載が質問に答えています(確度${percent(p)})`,
    review: (p: number) =>
      p > LIKELY
        ? `引用した記載は質問に答えている可能性が高いものの、確認なしで送れるほど確かではありません(${measuredShare(p, 'ja')})。担当者の確認が必要です`
        : `引用した記載が質問に答えているか確かではありません(${measuredShare(p, 'ja')})。担当者の確認が必要です`,
  },
  en: {
    nothing: 'no passage in this product’s documents mentions the question’s topic; a human should answer',
    absent: (t: string) => `no passage mentions ${t}; a human should answer`,
    weak: (p: number) => `no passage answers the question (chance the documents cover it: ${percent(p)}); a human should answer`,
    uncovered: (t: string, p: number) => `no cited passage mentions ${t}, which one part of the question asks about; the rest is answered, so the answer is partial (confidence ${percent(p)}); a human should check`,
    sure: (p: number) => `the cited passages answer the question (confidence ${percent(p)})`,
    // A calibrated 97% that still falls short of the unflagged bar read as a contradiction
    // beside "may not answer" (new-user trial): the percentage is said for what it is.
    review: (p: number) =>
      p > LIKELY
        ? `the cited passages likely answer the question, but not surely enough to send unreviewed (${measuredShare(p, 'en')}); a human should check`
        : `the cited passages may not answer the question (${measuredShare(p, 'en')}); a human should check`,
  },
} as const;

/** Scores, shares and ranks the candidates with the judge's ranker. */
function rankRows(question: QuestionView, featured: Featured[], rank: Judge['rank']): JudgedRow[] {
  const provision = (question.cautions ?? []).some((c) => c.kind === 'provision');
  const scored = featured.map((f) => ({ ...f, score: linear(rank, f.features as Readonly<RowFeatures>), status: scopedStatus(question.caveated ?? question.concepts, f.candidate.passage, provision, question.concepts) }));
  const max = Math.max(...scored.map((r) => r.score));
  const sum = scored.reduce((s, r) => s + Math.exp(r.score - max), 0);
  return scored
    .map((r) => ({ ...r, share: Math.exp(r.score - max) / sum }))
    .sort((a, b) => b.score - a.score || b.features.cov - a.features.cov || b.features.rel - a.features.rel);
}

const featuresOf = (question: QuestionView, ranked: JudgedRow[], cite: number): AnswerFeatures =>
  answerFeatures(
    question,
    ranked.slice(0, 10).map((r) => ({ score: r.score, share: r.share, features: r.features, askCoverage: r.askCoverage, statusKnown: r.status !== 'unknown' })),
    cite,
    knownUnmentioned(question, ranked.map((r) => r.candidate.key)),
  );

/** The answer-level features under a judge's ranker and citation threshold (training): the same ordering as `judge`. */
export function judgeAnswerFeatures(question: QuestionView, featured: Featured[], model: Pick<Judge, 'rank' | 'thresholds'>, asks: Featured[][] = []): AnswerFeatures {
  return featuresOf(question, order(question, featured, model, asks, MAX_CITATIONS).ranked, model.thresholds.cite);
}

export interface JudgeOptions {
  /**
   * How many rows of each ask of a multi-part question may be cited for that ask (those that
   * clear the citation threshold among the ask's rows). Default MAX_CITATIONS; the eval's
   * ablation sets 1 (each ask's best row only) to measure what the rest add.
   */
  askDepth?: number;
}

/**
 * The rows in the order they are cited: an approved answer to the same question first, else
 * the best row; then, for a multi-part question, the rows that clear the citation threshold
 * among each ask's rows (each ask's best before any ask's second); then the rest by score.
 */
function order(question: QuestionView, featured: Featured[], model: Pick<Judge, 'rank' | 'thresholds'>, asks: Featured[][], askDepth: number): { ranked: JudgedRow[]; askCited: Map<string, number[]>; perAsk: JudgedRow[][] } {
  const byQuestion = rankRows(question, featured, model.rank);
  // Each ask's rows that clear the threshold among that ask's rows: every ask's best first,
  // then every ask's second, and so on, so that no ask is crowded out of the five citations.
  const perAsk = asks.map((ask) => rankRows(question, ask, model.rank).filter((r) => r.share >= model.thresholds.cite));
  // Each row cited for an ask, with the asks (in the question's order) it is cited for.
  const askCited = new Map<string, number[]>();
  for (let depth = 0; depth < Math.min(askDepth, MAX_CITATIONS); depth++) {
    for (const [a, rows] of perAsk.entries()) {
      const id = rows[depth]?.candidate.passage.id;
      if (id !== undefined) askCited.set(id, [...(askCited.get(id) ?? []), a].sort((x, y) => x - y));
    }
  }
  const reused = reusedApproval(byQuestion);
  const leading = approvalsLast(byQuestion, reused);
  const first = reused ?? leading[0];
  const rest = leading.filter((r) => r !== first);
  const byId = new Map(rest.map((r) => [r.candidate.passage.id, r]));
  const askRows = [...askCited.keys()].flatMap((id) => byId.get(id) ?? []);
  const ranked = first ? [first, ...askRows, ...rest.filter((r) => !askCited.has(r.candidate.passage.id))] : leading;
  return { ranked, askCited, perAsk };
}

/**
 * @param asks for a multi-part question, every candidate's features against each ask (same
 *   candidate order as `featured`): an ask's rows are cited when their share of that ask clears
 *   the citation threshold (each ask's best before any ask's second), so a two-part question
 *   gets rows for each part.
 */
export function judge(question: QuestionView, featured: Featured[], model: Judge, asks: Featured[][] = [], options: JudgeOptions = {}): Judgement {
  const say = REASONS[question.lang];
  const t = model.thresholds;
  const { ranked, askCited, perAsk } = order(question, featured, model, asks, options.askDepth ?? MAX_CITATIONS);
  const af = featuresOf(question, ranked, t.cite);
  const answerable = predict(model.answerable, af);
  const confidence = predict(model.answer, af);
  const top = ranked[0];
  // A named thing asked about that no passage mentions: no row answers it, however many other words they share (src/retrieve/asked-names.ts).
  const unnamed = question.absentAsked ?? [];
  if (!top || unnamed.length > 0 || answerable < (question.lang === 'en' ? t.declineEn : t.decline)) {
    const reason = unnamed.length > 0 ? say.absent(quoted(unnamed, question.lang)) : !top || top.features.cov === 0 ? say.nothing : question.absent.length > 0 ? say.absent(quoted(question.absent, question.lang)) : say.weak(answerable);
    return { ranked, hits: [], abstained: true, answerable, confidence: Math.min(confidence, answerable), needsReview: true, reason, answerFeatures: af };
  }
  // A person's answer to the same question stands as they approved it (./reuse.ts).
  if (top.candidate.passage.kind === 'approved' && top.candidate.sameQuestion >= SAME_QUESTION) {
    return { ranked, hits: reuseHits(top, ranked), abstained: false, answerable, confidence: top.candidate.sameQuestion, needsReview: false, reason: reuseReason(top.candidate.passage, question.lang), answerFeatures: af };
  }
  // A row saying what is asked is not done, which the question fits as well as the best row's yes, leads.
  const rival = question.asks.length > 1 ? undefined : denyingRival(ranked);
  // A row saying the customer may not do what the question asks whether the customer may do leads a row about the vendor's own doing.
  const refusal = rival ? undefined : refusingRival(ranked, t.cite, question.asks.length);
  // Whether a text names what the question asks about: reads a row's price list item by item.
  const names = (text: string): boolean => namesMainIdea(question.concepts, text);
  const qualified = rival || refusal || question.asks.length > 1 ? undefined : qualifierRival(ranked, question.cautions ?? [], t.cite, names);
  const leader = rival ?? refusal ?? qualified;
  const leading = leader ? [leader, ...ranked.filter((r) => r !== leader)] : ranked;
  // An approved answer is cited only where it is reused: it must not ride along on word overlap.
  // Under a leading denial, a row's yes is about the thing beside what is asked: citing it would
  // make the drafted answer's status a mix (src/draft/extractive.ts combineStatus) under a reason saying no.
  // Under a leading refusal of the customer (a rival's, or the best row's own), so is a row's yes or partial about the vendor's own doing.
  const refusing = rival === undefined && leading[0] !== undefined && refusesCustomer(leading[0]) && everyAskRefused(leading[0], question.asks.length);
  const beside = (r: JudgedRow): boolean => (rival !== undefined && r.status === 'yes') || (refusing && (r.status === 'yes' || r.status === 'partial') && !refusesCustomer(r));
  const cited = leading
    .filter((r, i) => i === 0 || ((r.share >= t.cite || askCited.has(r.candidate.passage.id)) && r.candidate.passage.kind !== 'approved' && !beside(r)))
    .slice(0, MAX_CITATIONS);
  const best = cited[0] ?? top;
  // Cautions (src/retrieve/caution.ts) that reach the answer: the question's own, and those of
  // the best row. Each cited row's status becomes unknown where a caution blanks it: the
  // question's own reach every row, a row's reach that row only.
  // A row saying what is asked is not done (or stating a figure short of it) is a no, one
  // limiting round-the-clock coverage to some hours a partial, unless another caution blanks
  // the row (a negated question: its no reads both ways too).
  // A row denying the very qualifier asked about (by mistake, free of charge) says no to it.
  // A multi-part question's row cited for some of its asks is read once per such ask: the
  // question's cautions from one ask's words (askCautions: its qualifier) reach that ask's
  // reading only, and the row's status combines its readings (acrossAsks). Other rows, and a
  // question of one ask, are read once under the whole question's cautions.
  const source = figureSource(question, ranked);
  const multi = question.asks.length > 1;
  // A cited row whose remark denies one ask (src/retrieve/ask-denials.ts) answers that ask, whichever
  // ask it was cited for: "…review audit logs themselves, and will you hand over other logs?" and the
  // audit-log row's 「…以外のログの提供は行っておりません」 say no to the second, whatever row shares its words.
  const askDenied = new Map<string, Map<number, Caution>>();
  if (multi) {
    for (const r of cited) {
      const read = (r.candidate.askDenials ?? []).flatMap((c, a) => (c && a < question.asks.length ? [[a, c] as const] : []));
      if (read.length > 0) askDenied.set(r.candidate.passage.id, new Map(read));
    }
  }
  const citedFor = new Map(askCited);
  for (const [id, denied] of askDenied) citedFor.set(id, [...new Set([...(askCited.get(id) ?? []), ...denied.keys()])].sort((x, y) => x - y));
  const asksOf = (r: JudgedRow): Array<number | undefined> => {
    const asks = multi ? citedFor.get(r.candidate.passage.id) ?? [] : [];
    return asks.length > 0 ? asks : [undefined];
  };
  const questionReach = (a: number | undefined): readonly Caution[] => {
    const whole = question.cautions ?? [];
    const own = a === undefined ? undefined : question.askCautions?.[a];
    return own === undefined ? whole : [...whole.filter((c) => c.kind !== 'qualifier'), ...own];
  };
  // The figure one ask alone asks (QuestionView.figureAsk) is read in the rows cited for that ask: a row read for another
  // ask states no figure of it, and one it states is of something else (a firewall row, for "…sessions ended after 15 minutes?").
  // Only once a row cited for the figure's ask states a figure of it, met or failed, near the ask's most specific idea: else the
  // figure is as unstated as ever (a session row's 12時間 is no answer to "…certificates renewed within 30 days?").
  const figureAnswered = question.figureAsk !== undefined && cited.some((r) => asksOf(r).includes(question.figureAsk) && !(r.candidate.cautions ?? []).some((c) => c.kind === 'figure') && source.near(r));
  const ownCautions = (r: JudgedRow, a?: number): Caution[] => {
    const denied = qualifierDenied(questionReach(a), r.candidate.passage.answer, names);
    const askDenial = a === undefined ? undefined : askDenied.get(r.candidate.passage.id)?.get(a);
    // The whole question's remark denial reaches only the asks it denies read one by one: 「※報告書の
    //提供は行っておりません」 says no to "will you hand over the report?", not to "are you audited?".
    const beside = a !== undefined && multi && askDenied.has(r.candidate.passage.id) && !askDenial;
    const otherThanFigure = a !== undefined && figureAnswered && a !== question.figureAsk;
    // Hours one ask asks (「土日も対応してます?」) are limited for that ask only: the row's limit says nothing of another ask.
    const otherThanHours = a !== undefined && question.hoursAsks !== undefined && !question.hoursAsks.includes(a);
    const rowOwn = (r.candidate.cautions ?? []).filter((c) => !(beside && c.kind === 'remark-denies') && !(otherThanFigure && (c.kind === 'figure' || c.kind === 'figure-fails')) && !(otherThanHours && c.kind === 'row-restricts'));
    return [...(denied ? [denied] : []), ...(askDenial ? [askDenial] : []), ...rowOwn];
  };
  // A figure the best row does not state is stated by another cited row about the question
  // (no caution of its own, and about the subject: its most specific idea too): the draft quotes
  // that row's figure (src/draft/phrasing.ts figureRow), so the best row's silence holds back
  // neither the answer nor that row's own status.
  // The best row off the figure's subject states no figure asked: its own mark stays for the
  // other rows cited beside it (a two-topic question's other row is about its own topic).
  const bestOwnFor = (a?: number): Caution[] => (source.offSubject(best) ? offSubjectFigure(ownCautions(best, a), source.figure) : ownCautions(best, a));
  const statedElsewhere = bestOwnFor().some((c) => c.kind === 'figure') && cited.some((r) => r !== best && (r.candidate.cautions ?? []).length === 0 && source.about(r));
  // Stated by none, the figure may be hedged by another cited row (its sole caution: 「目標復旧時間については情報を提供することが
  // 可能」 below a row on recovery planning): that row's words stand for the figure, and the answer is partial. Its hedge sentence
  // names the figure and a main idea of the question (src/retrieve/retrieve.ts hedgedFigure): not also source.about, whose half
  // of the subject's ideas a sentence naming the figure by its Japanese name (RTO asked) does not reach.
  const hedgedElsewhere = bestOwnFor().some((c) => c.kind === 'figure') && !statedElsewhere ? cited.find((r) => r !== best && (r.candidate.cautions ?? []).length === 1 && r.candidate.cautions?.[0]?.kind === 'figure-hedged')?.candidate.cautions?.[0] : undefined;
  const bestCautionsFor = (a?: number): Caution[] => bestOwnFor(a).flatMap((c) => (c.kind === 'figure' && statedElsewhere ? [] : c.kind === 'figure' && hedgedElsewhere ? [hedgedElsewhere] : [c]));
  // Rows a caution about this question reads partial, whether or not their mark was already partial.
  const cautionedPartial = new Set<string>();
  // Rows whose asks read differently (done for one ask, not for another), with each ask's reading.
  const mixed = new Map<string, Map<number, Status>>();
  const readings = cited.map((r) =>
    asksOf(r).map((a) => {
      // A row below the best standing for the figure (as needed) speaks for the answer through the best row only (hedgedElsewhere):
      // beside a best row stating it (「日次で収集」), its 「必要に応じて」 about the same topic is no part of the answer (eval: one yes lost).
      const reaching = [...questionReach(a), ...(r === best ? bestCautionsFor(a) : ownCautions(r, a).filter((c) => c.kind !== 'figure-hedged'))];
      // A caution lifting the row's partial (its caveat is beside the question) acts first; the others read what it leaves.
      const own = reaching.some((c) => lifts(c, r.status)) ? 'yes' : r.status;
      const status: Status = reaching.some((c) => blanks(c, own)) ? 'unknown' : reaching.some((c) => denies(c, own)) ? 'no' : reaching.some((c) => narrows(c, own)) ? 'partial' : own;
      const defers = status === 'unknown' && reaching.some((c) => c.kind === 'row-defers' && blanks(c, own));
      return { ask: a, status, defers, narrowed: status === 'partial' && reaching.some((c) => c.effect === 'partial'), hedged: reaching.some((c) => c.kind === 'figure-hedged') || (r !== best && (r.candidate.cautions ?? []).some((c) => c.kind === 'figure-hedged')) };
    }),
  );
  const rowHits: Hit[] = cited.map((r, k) => {
    const read = readings[k] ?? [];
    const status = acrossAsks(read.map((x) => x.status));
    if (status === 'partial' && read.some((x) => x.narrowed)) cautionedPartial.add(r.candidate.passage.id);
    if (read.some((x) => x.status !== read[0]?.status)) mixed.set(r.candidate.passage.id, new Map(read.flatMap((x) => (x.ask === undefined ? [] : [[x.ask, x.status] as const]))));
    return { passage: r.candidate.passage, score: Math.round(r.share * 1000) / 1000, ...(status === r.candidate.passage.status ? {} : { status }), ...(source.offSubject(r) ? { offFigureSubject: true as const } : {}), ...(read.some((x) => x.hedged) ? { figureHedged: true as const } : {}), ...(read.some((x) => x.defers) ? { defers: true as const } : {}) };
  });
  // The best row's cautions the reason may name: those of every ask it is read for when its asks
  // agree; when they differ (no for one ask, yes for another), only those all its asks share, the
  // difference itself being named by askPartly.
  const bestReadings = readings[0] ?? [];
  const bestMixed = mixed.has(best.candidate.passage.id);
  const bestCautions = bestReadings
    .map((x) => (x.ask === undefined ? bestCautionsFor() : bestCautionsFor(x.ask)))
    .reduce<Caution[]>((kept, cs, i) => (i === 0 ? cs : bestMixed ? kept.filter((c) => cs.some((o) => o.kind === c.kind)) : [...kept, ...cs.filter((c) => !kept.some((o) => o.kind === c.kind))]), []);
  // A multi-part question: a row cited for one of its asks that says that part is not done, or
  // only partly, leaves the whole no plain yes, though the best row's part is done; so does a
  // row (the best too) that says one of its asks is done and another is not.
  const partly = multi ? askPartly(cited, rowHits, citedFor, cautionedPartial, mixed) : null;
  // An ask no cited row touches, beside asks they answer: no full yes, and the reason names it.
  // An ask a cited row's remark denies is answered (no), not open, however few of its words the row has.
  const deniedAsks = new Set([...askDenied.values()].flatMap((m) => [...m.keys()]));
  const open = question.asks.length > 1 ? uncoveredAsk(question.asks, cited, deniedAsks) : null;
  // The best row failing the figure one ask alone asks, read for that ask only, beside another ask a cited row says yes to:
  // that ask's no makes the whole partial, as a row below the best saying no to its ask does (askPartly).
  const figureAsk = question.figureAsk;
  const otherAskDone = figureAsk !== undefined && readings.some((read) => read.some((x) => x.ask !== undefined && x.ask !== figureAsk && (x.status === 'yes' || x.status === 'partial')));
  const bestRef = best.candidate.passage.ref || best.candidate.passage.locator;
  const failsOwnAsk = (c: Caution): boolean => otherAskDone && !bestMixed && c.kind === 'figure-fails' && c.effect === 'no';
  const figurePartly = bestCautions.some(failsOwnAsk);
  const wholeOf = (c: Caution): Caution => (failsOwnAsk(c) ? { kind: 'ask-partly', effect: 'partial', ref: bestRef } : c);
  const hits = partly || open ? partlyAnswered(rowHits) : figurePartly ? bestPartial(rowHits) : rowHits;
  const citedIds = new Set(cited.map((r) => r.candidate.passage.id));
  // The figure ask's no (or another ask's) making the whole partial: each ask is answered with its rows' own readings
  // (a cited row's reading for that ask, before the whole answer is made partial), not with the whole's partial.
  const figureSplit = figureAsk !== undefined && hits !== rowHits;
  const askReading = (id: string, a: number): Status | undefined => {
    const k = cited.findIndex((r) => r.candidate.passage.id === id);
    return (readings[k] ?? []).find((x) => x.ask === a)?.status ?? (rowHits[k] ? rowHits[k].status ?? rowHits[k].passage.status : undefined);
  };
  const opened = question.asks.length > 1 ? openAsks(question.asks, cited).filter((a) => !deniedAsks.has(a)) : [];
  // A row whose reading for an ask is no where it reads otherwise for another (its denial names this ask's qualifier),
  // or whose remark denies this ask, is that ask's answer: it leads the ask's rows.
  const denying = (id: string, a: number): number => (mixed.get(id)?.get(a) === 'no' || askDenied.get(id)?.has(a) ? 0 : 1);
  const deniedFor = (a: number): string[] => cited.map((r) => r.candidate.passage.id).filter((id) => askDenied.get(id)?.has(a));
  const askRows =
    perAsk.length > 1
      ? perAsk.map((rows, a) => (opened.includes(a) ? [] : [...new Set([...deniedFor(a), ...rows.map((r) => r.candidate.passage.id).filter((id) => citedIds.has(id))])].sort((x, y) => denying(x, a) - denying(y, a))))
      : undefined;
  // A fact caution's flag waits on the cited rows (unstatedFact); any other flag applies as it is.
  // The row whose asks read differently may keep its own partial mark (its caveat): the answer's partial is still the asks'.
  const partlyShown = partly !== null && (hits[0]?.status === 'partial' || (mixed.size > 0 && (hits[0]?.status ?? hits[0]?.passage.status) === 'partial'));
  const applied = [...(question.cautions ?? []), ...(rival ? [ROW_DENIES] : []), ...bestCautions.map(wholeOf), ...(partly && partlyShown ? [partly] : [])].filter(acts).filter((c) => c.effect === 'unknown' || c.effect === 'no' || c.effect === 'partial' || (c.effect === 'flag' && c.kind !== 'unstated-fact'));
  const firstStatus = hits[0]?.status ?? hits[0]?.passage.status;
  // A bad state asked about, and the best row not stating the control in place: as open as any caution leaving no answer.
  const unanswered = (c: AppliedCaution): boolean => c.effect === 'unknown' || (c.kind === 'bad-state' && firstStatus !== 'no');
  // Two rows fitting the question alike, one saying it is done and one not: no surer than a coin toss.
  const sure = Math.min(confidence, ...(rival ? [CAUTION_CAP] : []), ...applied.filter(unanswered).map((c) => capOf(c, ranked)));
  const needsReview = applied.length > 0 || open !== null || sure < t.unflagged;
  const [first] = applied;
  const answered: Judgement = {
    ranked,
    hits,
    abstained: false,
    answerable,
    confidence: sure,
    needsReview,
    reason: first ? cautionReason(first, question.lang, sure, firstStatus) : open && firstStatus === 'partial' ? say.uncovered(quoted(open, question.lang), sure) : needsReview ? say.review(sure) : say.sure(sure),
    answerFeatures: af,
    ...(askRows ? { askRows } : {}),
    ...(askRows && (mixed.size > 0 || figureSplit) ? { askStatuses: askRows.map((ids, a) => Object.fromEntries(ids.flatMap((id) => { const read = figureSplit ? askReading(id, a) : mixed.get(id)?.get(a); return read === undefined ? [] : [[id, read]]; }))) } : {}),
  };
  return unstatedFact(question, answered);
}

/**
 * Which rows a figure asked may be taken from (src/retrieve/figure-rows.ts aboutFigureSubject):
 * those mentioning half the ideas of the figure's subject and its most specific one, read among
 * every candidate (the product's rows), near the figures they state (figuresNear). `offSubject`:
 * a row of a single-ask figure question without that idea near its figures, whose figure (年1回
 * in a row about the yearly audit, for "how many times a year are drills run?") is therefore no answer; `near`: a row with that
 * idea near its figures (none when no row of the product names one of the subject's ideas); `figure` names what is asked, as retrieval named it for
 * the rows stating no figure. Without a subject (no figure asked) every row is about the question
 * that mentions half its ideas, and none is off the subject.
 */
function figureSource(question: QuestionView, ranked: readonly JudgedRow[]): { about: (r: JudgedRow) => boolean; near: (r: JudgedRow) => boolean; offSubject: (r: JudgedRow) => boolean; figure: string } {
  const subject = question.subject;
  if (!subject) return { about: (r) => coverage(question.concepts, r.candidate.key) >= FIGURE_ROW_COVERAGE, near: () => false, offSubject: () => false, figure: '' };
  // Read when first needed: most answers never ask (no figure caution to lift, none to add).
  let read: { idea: ReturnType<typeof mostSpecificIdea> } | null = null;
  const specificIdea = (): ReturnType<typeof mostSpecificIdea> => (read ??= { idea: mostSpecificIdea(subject, ranked.map((r) => r.candidate.key)) }).idea;
  // Off the subject is a row whose figures cannot be about its most specific idea; a row covering
  // less than half its ideas may still be the answer in other words (a paraphrase), and is only not
  // taken to state a figure for another row.
  const specificNear = (r: JudgedRow): boolean => {
    const specific = specificIdea();
    return (specific === null || mentions(specific, r.candidate.key)) && figuresNear(specific, r.candidate.passage);
  };
  const about = (r: JudgedRow): boolean => aboutFigureSubject(subject, specificIdea(), r.candidate.key) && specificNear(r);
  const figure = ranked.flatMap((r) => r.candidate.cautions ?? []).find((c) => c.kind === 'figure' || c.kind === 'figure-fails');
  const named = figure && (figure.kind === 'figure' || figure.kind === 'figure-fails') ? figure.figure : null;
  // Multi-part questions: the subject is the figure's part's (the figure ask's), and each ask's row is read for its own ask.
  const single = question.asks.length <= 1 && named !== null;
  return { about, near: (r) => specificIdea() !== null && specificNear(r), offSubject: (r) => single && !specificNear(r), figure: named ?? '' };
}

/**
 * A row's cautions when it is not about the figure's subject: what it states of a figure, met or
 * failed, says nothing of the figure asked (a failing figure about something else is no "no"),
 * so the row states no figure asked; one standing for it (as needed, on request) keeps saying so.
 */
function offSubjectFigure(own: Caution[], figure: string): Caution[] {
  const kept = own.filter((c) => c.kind !== 'figure-fails');
  // A row standing for the figure (figure-hedged) names it in the very sentence: about the figure, though it states none.
  return kept.some((c) => c.kind === 'figure' || c.kind === 'figure-hedged') ? kept : [...kept, { kind: 'figure', effect: 'unknown', figure }];
}

/**
 * How many of the best-ranked rows below the first may hold the row that says what is asked is
 * not done (denyingRival): those the answer could cite.
 */
const RIVAL_DEPTH = MAX_CITATIONS;

/**
 * A row below the best that says what is asked is not done (its status for this question is
 * no) and that the question fits at least as well as the best row's yes: as much of its ideas,
 * and as much of them in its requirement. Rows answering yes are then not cited. A row whose answer only says 「現状文書化したものはありません」
 * names the topic in its requirement alone, and the ranker, which weighs the answer's words,
 * puts a neighbouring row about something beside it that answers yes in its own words
 * ("maintenance staff authorisation procedures" for "is there a maintenance procedure?") above
 * it. Two rows fitting the question equally, one saying it is done and one that it is not: the
 * one that is not is the answer, so no yes goes out over the sheet's own no.
 */
function denyingRival(ranked: JudgedRow[]): JudgedRow | undefined {
  const [best] = ranked;
  if (!best || best.status !== 'yes' || best.candidate.passage.kind === 'approved') return undefined;
  return ranked.slice(1, 1 + RIVAL_DEPTH).find((r) => r.status === 'no' && r.candidate.passage.kind !== 'approved' && r.features.cov >= best.features.cov && r.features.covReq >= best.features.covReq);
}

/**
 * A cited row below the best that refuses exactly the case the question's qualifier names
 * (「お客様の誤操作等による…復旧機能としては提供しておりません」 for records a user deleted by mistake),
 * when the best row says nothing of that case: the refusal is about what is asked, the best row
 * about its topic in general (a deletion row, on the words 削除 and データ). It leads, and its
 * reading (no, or partial beside an offer for a fee) is the answer's (blind trial s23: yes from
 * the deletion row).
 */
function qualifierRival(ranked: JudgedRow[], cautions: readonly Caution[], cite: number, names: (text: string) => boolean): JudgedRow | undefined {
  const [best] = ranked;
  if (!best || best.candidate.passage.kind === 'approved' || qualifierDenied(cautions, best.candidate.passage.answer, names)) return undefined;
  return ranked.slice(1, 1 + RIVAL_DEPTH).find((r) => r.share >= cite && r.candidate.passage.kind !== 'approved' && qualifierDenied(cautions, r.candidate.passage.answer, names) !== null);
}

/**
 * A row below the best whose remark says the customer may not do what the question asks whether
 * the customer may do (「利用者による脆弱性診断は非対応」 for 「弊社側で診断してもよいですか」: a
 * remark-denies caution of the customer acting, src/retrieve/remark-denial.ts), when the best row
 * says nothing of the customer acting: the best row is then about the vendor doing the thing itself
 * (「自社にて脆弱性診断を行います」, its keys managed under its own policy), which the ranker puts first
 * on the words they share, and the refusal is the answer. Blind trials found such questions declined
 * (the best row about another actor) or answered partial (its yes mixed with the refusal's no).
 * Only a row the answer cites (its share at the citation threshold) and not a reused approval; a best
 * row naming the customer acting (a clause of the customer's, or a refusal of its own) keeps the lead.
 * Of a multi-part question, only a row refusing every ask ("may we run our own scan or our own
 * penetration test?"): one ask refused beside another is ask-partly's.
 */
function refusingRival(ranked: JudgedRow[], cite: number, asks: number): JudgedRow | undefined {
  const [best] = ranked;
  if (!best || best.candidate.passage.kind === 'approved') return undefined;
  if (refusesCustomer(best, 'any') || rowClauses(best.candidate.passage.answer).some((c) => c.actor === 'customer')) return undefined;
  return ranked.slice(1, 1 + RIVAL_DEPTH).find((r) => r.share >= cite && r.candidate.passage.kind !== 'approved' && refusesCustomer(r) && everyAskRefused(r, asks));
}

/** Whether a row refuses the customer every ask of the question: the one, or each of several read alone (src/retrieve/ask-denials.ts). */
function everyAskRefused(r: JudgedRow, asks: number): boolean {
  const read = r.candidate.askDenials;
  return asks < 2 || (read?.length === asks && read.every((c) => c?.kind === 'remark-denies' && c.actor === 'customer' && c.effect === 'no'));
}

/** Whether a row's remark refuses the customer doing what is asked: no (or, with 'any', partly). */
function refusesCustomer(r: JudgedRow, effect: 'no' | 'any' = 'no'): boolean {
  return (r.candidate.cautions ?? []).some((c) => c.kind === 'remark-denies' && c.actor === 'customer' && (effect === 'any' || c.effect === 'no'));
}

/**
 * A row's status for a multi-part question from its readings for the asks it is cited for: the
 * one they agree on; no for one ask beside another done or partly done is partial; no beside
 * unknown (an ask the row gives no plain answer) is unknown. One reading (a row cited for no
 * ask, or a question of one ask) is the row's status.
 */
export function acrossAsks(readings: readonly Status[]): Status {
  const [first = 'unknown'] = readings;
  if (readings.every((s) => s === first)) return first;
  const rest = readings.filter((s) => s !== 'no' && s !== 'not_applicable');
  if (rest.length === 0) return 'no';
  return rest.every((s) => s === 'unknown') ? 'unknown' : 'partial';
}

/**
 * Statuses of a cited row that say its part of a multi-part question is not done. A row read
 * partial at ingest (a ○ with a caveat) was tried too: its caveat is as often about something
 * beside the ask (eval status 0.92 → 0.91, three fixed and six broken); a partial set by a
 * caution about this question counts.
 */
const SHORT_OF_YES = new Set(['no', 'not_applicable']);

/**
 * The first row below the best cited for an ask of a multi-part question whose status (after
 * its cautions) says that ask is not done or only partly ("…and may we run our own penetration
 * test?" and a row saying tests by customers are not supported), as a caution naming it; null
 * when there is none.
 */
function askPartly(cited: JudgedRow[], hits: Hit[], askCited: ReadonlyMap<string, number[]>, cautionedPartial: Set<string>, mixed: ReadonlyMap<string, unknown>): Caution | null {
  const short = (k: number, r: JudgedRow): boolean => {
    const status = hits[k]?.status ?? r.candidate.passage.status;
    // A partial a caution about this question gives counts though the row's mark was partial already.
    return SHORT_OF_YES.has(status) || (status === 'partial' && (hits[k]?.status !== undefined || cautionedPartial.has(r.candidate.passage.id)));
  };
  const i = cited.findIndex((r, k) => mixed.has(r.candidate.passage.id) || (k > 0 && askCited.has(r.candidate.passage.id) && short(k, r)));
  const row = cited[i]?.candidate.passage;
  return row ? { kind: 'ask-partly', effect: 'partial', ref: row.ref || row.locator } : null;
}

/**
 * How much of an ask's own ideas (those no other ask names) must be left untouched for the ask
 * to count as not covered: two full ideas. An ask of one idea (「単一障害点はありませんか」, "could
 * someone quietly edit them") is too often answered in other words than the question's to say
 * the rows miss it: in the labelled sets, ten asks of one or one and a half ideas, in nine
 * questions labelled yes, had no cited row mentioning any of their ideas.
 */
const UNCOVERED_ASK_WEIGHT = 2;

/**
 * The question's words for the first ask of a multi-part question that no cited row touches
 * (not one of its own ideas mentioned, and those ideas weigh UNCOVERED_ASK_WEIGHT or more),
 * when another ask is touched; null when every ask is, or none is (then the question as a
 * whole is unanswered, which the answerable model judges). "…when is data erased, what is
 * erased, and can you issue a certificate of erasure?" answered from a row about erasure that
 * never mentions a certificate is no full yes. `answered`: asks a cited row's remark denies,
 * answered no whatever words they share with it.
 */
export function uncoveredAsk(asks: CompiledConcept[][], cited: readonly Featured[], answered: ReadonlySet<number> = new Set()): string[] | null {
  const [first] = openAsks(asks, cited).filter((a) => !answered.has(a));
  const words = first === undefined ? [] : ownIdeas(asks)[first]?.map((c) => c.source) ?? [];
  // 「発行」 beside 「発行可否」 names nothing more.
  return words.length > 0 ? words.filter((w) => !words.some((other) => other !== w && other.includes(w))) : null;
}

/** Each ask's own ideas: those no other ask names. */
const ownIdeas = (asks: CompiledConcept[][]): CompiledConcept[][] => asks.map((ask, a) => ask.filter((c) => !asks.some((other, b) => b !== a && other.some((o) => o.source === c.source))));

/** The indices of the asks uncoveredAsk reads as left open (all of them, in order); none when no ask is touched. */
function openAsks(asks: CompiledConcept[][], cited: readonly Featured[]): number[] {
  const touched = (c: CompiledConcept): boolean => cited.some((r) => mentions(c, r.candidate.key));
  const own = ownIdeas(asks);
  const covered = own.some((ideas) => ideas.length === 0 || ideas.some(touched));
  if (!covered) return [];
  return own.flatMap((ideas, a) => (ideas.length > 0 && !ideas.some(touched) && ideas.reduce((w, c) => w + c.weight, 0) >= UNCOVERED_ASK_WEIGHT ? [a] : []));
}

/**
 * How sure an answer a caution applies to can be: at most CAUTION_CAP; for a best row naming
 * another of the alternatives asked about, also no surer than the share of the rows that do
 * not (what is left of the ranking that could say yes).
 */
function capOf(caution: Caution, ranked: JudgedRow[]): number {
  if (caution.kind !== 'alternatives') return CAUTION_CAP;
  return ranked.filter((r) => !(r.candidate.cautions ?? []).some((c) => c.kind === 'alternatives')).reduce((sum, r) => sum + r.share, 0);
}

/**
 * A question asking for a fact rows rarely state (src/retrieve/facts.ts): past events, a name,
 * a certification, a country or region. The first such fact no cited row states decides:
 * declined (confidence 0, nothing cited: the rows' fit to the question's words, what the answer
 * model measures, is exactly what misled it), or, when only some asks of a multi-part question
 * want it, the draft kept for the other asks, flagged, a yes made partial (one ask is left
 * open: "how often, how many generations and where?" answered from a row stating the first two
 * is no full yes), and the reason naming the ask left open. An approved answer reused for the
 * same question states what a person decided it should, and stands.
 */
export function unstatedFact(question: QuestionView, j: Judgement): Judgement {
  if (j.hits.some((h) => h.passage.kind === 'approved')) return j;
  const texts = j.hits.map((h) => h.passage.answer);
  const caution = (question.cautions ?? []).filter(acts).find((c) => c.kind === 'unstated-fact' && !texts.some((text) => statesFact(c.fact, text, c.asked)));
  if (caution === undefined) return j;
  if (caution.effect === 'flag') {
    const hits = partlyAnswered(j.hits);
    return { ...j, hits, needsReview: true, reason: cautionReason(caution, question.lang, j.confidence, hits[0]?.status ?? hits[0]?.passage.status) };
  }
  return { ...j, hits: [], abstained: true, needsReview: true, confidence: 0, reason: cautionReason(caution, question.lang, j.confidence) };
}

/** The best row read partial for the whole answer (its own ask's reading stays in askStatuses). */
function bestPartial(hits: Hit[]): Hit[] {
  const [first, ...rest] = hits;
  return first ? [{ ...first, status: 'partial' }, ...rest] : hits;
}

/** The hits of an answer that leaves one ask open: the best row's yes becomes partial (the draft's status follows it). */
function partlyAnswered(hits: Hit[]): Hit[] {
  const [first, ...rest] = hits;
  if (!first || (first.status ?? first.passage.status) !== 'yes') return hits;
  return [{ ...first, status: 'partial' }, ...rest];
}
