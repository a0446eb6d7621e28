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
 * approved answer is reused only for the same question (SAME_QUESTION), a row naming another
 * of the alternatives asked about is no "yes", and a question about past events is declined
 * unless a cited row states what happened, one asking for a name, a certification or a country
 * unless a cited row states one (declineUnstatedFacts, facts.ts).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Hit, Language, Status } from '../domain.js';
import { answerFeatures, type AnswerFeatures, type Featured, type QuestionView, type RowFeatures } from './features.js';
import { asksAboutEvents, asksForCertification, asksForName, asksForRegion, statesCertification, statesEventFact, statesName, statesRegion } from './facts.js';
import { LogisticModel, linear, predict } from './logistic.js';
import { scopedStatus } from './scope.js';

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

/**
 * An approved answer is reused only for a question that asks the same thing: at least this
 * share of each question's ideas in the other, and the same named topics (see
 * CandidateView.sameQuestion). Approved answers are too few to learn this from, so it is a
 * stated rule, and it does not get past the decline gate: the documents must answer too.
 */
export const SAME_QUESTION = 0.8;

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
}

const percent = (x: number): string => `${Math.round(x * 100)}%`;
const quoted = (terms: string[], lang: Language): string => terms.map((t) => (lang === 'ja' ? `「${t}」` : `“${t}”`)).join(lang === 'ja' ? '' : ', ');

/** Reasons in the question's language: they end up in the customer's sheet and in Slack. */
const REASONS = {
  ja: {
    nothing: 'この製品の資料には質問の内容に触れた記載がありません。担当者の確認が必要です',
    absent: (t: string) => `${t}に触れた記載がありません。担当者の確認が必要です`,
    weak: (p: number) => `質問に答える記載が見当たりません(資料が答えている確度${percent(p)})。担当者の確認が必要です`,
    sure: (p: number) => `引用した記載が質問に答えています(確度${percent(p)})`,
    review: (p: number) => `引用した記載が質問に答えているか確かではありません(確度${percent(p)})。担当者の確認が必要です`,
    other: (p: number) => `引用した記載は質問とは別の対象(クラウド事業者・地域など)を挙げています(確度${percent(p)})。担当者の確認が必要です`,
    events: '資料には対策の記載はありますが、過去の事象(発生の有無・件数・時期)の記載がありません。担当者の確認が必要です',
    names: '質問は名称(事業者名・氏名など)を尋ねていますが、引用できる記載に名称がありません。担当者の確認が必要です',
    certifications: '質問は認証・認定の取得を尋ねていますが、引用できる記載に認証や規格の名称がありません。担当者の確認が必要です',
    regions: '質問は国・地域を尋ねていますが、引用できる記載に国や地域の記載がありません。担当者の確認が必要です',
    caution: (why: string, p: number) => `${why}(確度${percent(p)})。担当者の確認が必要です`,
  },
  en: {
    nothing: 'no passage in this product’s documents mentions the question’s topic; a human should answer',
    absent: (t: string) => `no passage mentions ${t}; a human should answer`,
    weak: (p: number) => `no passage answers the question (chance the documents cover it: ${percent(p)}); a human should answer`,
    sure: (p: number) => `the cited passages answer the question (confidence ${percent(p)})`,
    review: (p: number) => `the cited passages may not answer the question (confidence ${percent(p)}); a human should check`,
    other: (p: number) => `the best passage names a different vendor or region than the question asks about (confidence ${percent(p)}); a human should check`,
    events: 'the documents describe controls, not past events (whether, how often or when something happened); a human should answer',
    names: 'the question asks for a name (a company, a person) and no passage found states one; a human should answer',
    certifications: 'the question asks about a certification and no passage found names a certification or standard; a human should answer',
    regions: 'the question asks for a country or region and no passage found names one; a human should answer',
    caution: (why: string, p: number) => `${why} (confidence ${percent(p)}); a human should check`,
  },
} as const;

/** Scores, shares and ranks the candidates with the judge's ranker. */
function rankRows(question: QuestionView, featured: Featured[], rank: Judge['rank']): JudgedRow[] {
  const scored = featured.map((f) => ({ ...f, score: linear(rank, f.features as Readonly<RowFeatures>), status: scopedStatus(question.concepts, f.candidate.passage) }));
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
function order(question: QuestionView, featured: Featured[], model: Pick<Judge, 'rank' | 'thresholds'>, asks: Featured[][], askDepth: number): { ranked: JudgedRow[]; askCited: Set<string> } {
  const byQuestion = rankRows(question, featured, model.rank);
  // Each ask's rows that clear the threshold among that ask's rows: every ask's best first,
  // then every ask's second, and so on, so that no ask is crowded out of the five citations.
  const perAsk = asks.map((ask) => rankRows(question, ask, model.rank).filter((r) => r.share >= model.thresholds.cite));
  const askCited = new Set<string>();
  for (let depth = 0; depth < Math.min(askDepth, MAX_CITATIONS); depth++) {
    for (const rows of perAsk) {
      const row = rows[depth];
      if (row) askCited.add(row.candidate.passage.id);
    }
  }
  const reused = byQuestion.filter((r) => r.candidate.sameQuestion >= SAME_QUESTION).sort((a, b) => b.candidate.sameQuestion - a.candidate.sameQuestion)[0];
  const first = reused ?? byQuestion[0];
  const rest = byQuestion.filter((r) => r !== first);
  const byId = new Map(rest.map((r) => [r.candidate.passage.id, r]));
  const askRows = [...askCited].flatMap((id) => byId.get(id) ?? []);
  const ranked = first ? [first, ...askRows, ...rest.filter((r) => !askCited.has(r.candidate.passage.id))] : byQuestion;
  return { ranked, askCited };
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
  const { ranked, askCited } = order(question, featured, model, asks, options.askDepth ?? MAX_CITATIONS);
  const af = featuresOf(question, ranked, t.cite);
  const answerable = predict(model.answerable, af);
  const confidence = predict(model.answer, af);
  const best = ranked[0];
  if (!best || answerable < (question.lang === 'en' ? t.declineEn : t.decline)) {
    const reason = !best || best.features.cov === 0 ? say.nothing : question.absent.length > 0 ? say.absent(quoted(question.absent, question.lang)) : say.weak(answerable);
    return { ranked, hits: [], abstained: true, answerable, confidence: Math.min(confidence, answerable), needsReview: true, reason, answerFeatures: af };
  }
  // An approved answer is cited only where it is reused: it must not ride along on word overlap.
  const cited = ranked
    .filter((r, i) => i === 0 || ((r.share >= t.cite || askCited.has(r.candidate.passage.id)) && r.candidate.passage.kind !== 'approved'))
    .slice(0, MAX_CITATIONS);
  // A row naming another of the alternatives the question asks about (AWS for "Azure?") is
  // no evidence of "yes": its status becomes unknown, and the answer is no surer than the
  // share of the rows that do not contradict the question (a stated rule, like SAME_QUESTION:
  // the labelled sets hold too few such questions to learn it from).
  // A caution (retrieve.ts: a negatively phrased question, a figure asked that the row does
  // not state, a row denying what is asked) likewise leaves no bare yes: the question's own
  // caution makes every cited status unknown, a row's makes its yes unknown; flagged, capped.
  const hits: Hit[] = cited.map((r) => {
    const status = r.candidate.contradicts || question.caution || (r.candidate.caution && r.status === 'yes') ? 'unknown' : r.status;
    return { passage: r.candidate.passage, score: Math.round(r.share * 1000) / 1000, ...(status === r.candidate.passage.status ? {} : { status }) };
  });
  const contradicted = best.candidate.contradicts;
  const caution = question.caution ?? best.candidate.caution ?? null;
  const unsure = contradicted ? Math.min(confidence, ranked.filter((r) => !r.candidate.contradicts).reduce((sum, r) => sum + r.share, 0)) : confidence;
  const sure = caution ? Math.min(unsure, caution.cap) : unsure;
  const needsReview = contradicted || caution !== null || sure < t.unflagged;
  return {
    ranked,
    hits,
    abstained: false,
    answerable,
    confidence: sure,
    needsReview,
    reason: caution ? say.caution(caution[question.lang], sure) : contradicted ? say.other(sure) : needsReview ? say.review(sure) : say.sure(sure),
    answerFeatures: af,
  };
}

/**
 * Questions that ask for a fact rows rarely state (facts.ts): a question about past events is
 * answered only by a row that states what happened, a question asking for a name only by a row
 * that states one, a question about a certification only by a row naming one, a question
 * asking for a country or region only by a row naming a place. When no cited row does, the
 * judgement becomes a decline: the documents describe what is done, not the fact asked for.
 * `asked` is the question as retrieval read it.
 * The confidence becomes 0: nothing is drafted, and the rows' fit to the question's words (what
 * the answer model measures) is exactly what misled it. A question of several asks (`parts`,
 * src/retrieve/subquestions.ts) is not declined for some of them ("what is your incident
 * procedure, and how many incidents last year?"): the rows answer the others, so the draft
 * stays, flagged, with the reason.
 */
export function declineUnstatedFacts(asked: string, j: Judgement, lang: Language, parts: string[] = [asked]): Judgement {
  // An approved answer reused for the same question states what a person decided it should.
  if (j.abstained || j.hits.some((h) => h.passage.kind === 'approved')) return j;
  const texts = j.hits.map((h) => h.passage.answer);
  const rules = [
    ['events', asksAboutEvents, statesEventFact],
    ['names', asksForName, statesName],
    ['certifications', asksForCertification, (text: string) => statesCertification(text, asked)],
    ['regions', asksForRegion, statesRegion],
  ] as const;
  const rule = rules.find(([, asks, states]) => asks(asked, lang) && !texts.some(states));
  if (rule === undefined) return j;
  const [missing, asks] = rule;
  if (!parts.every((part) => asks(part, lang))) return { ...j, needsReview: true, reason: REASONS[lang][missing] };
  return { ...j, hits: [], abstained: true, needsReview: true, confidence: 0, reason: REASONS[lang][missing] };
}
