/**
 * A question with a bound ("kept for at least 30 days?", 「年1回以下ですか」) is answered by
 * the row that states a figure of that kind about its subject, and the figure check
 * (quantities.ts) reads the best row only. The judgement ranks rows by how much of the
 * question's ideas they mention, and the figure asked was none of them: a row about the
 * backup method (no figure) outranked the one stating 「最長21日間」, and the answer stayed
 * "unknown" where the figure said no (new-user trial s11). Here the figure asked becomes an
 * idea of the question that exactly the rows stating a figure of that kind about the same
 * subject mention, so that such a row ranks first, is cited, and its figure is compared. It
 * counts where the question's ideas count: in coverage, and in the bigram score, where the
 * figure as the rows write it (「14日間」) stands beside the question's own (「60日」).
 * A figure asked for by name or question word (「ログの保存期間は？」, "how long are backups
 * kept?") is ranked for the same way: the row that states the period about logs, not the one
 * about keeping documents that states none, is the answer (new-user trial s14).
 *
 * "About the same subject" is read as the judgement's figure rule reads it (half the subject's
 * ideas, FIGURE_ROW_COVERAGE) and, so that shared generic words are not enough, as much of them
 * weighted by how rare each is in the documents (idf): 「実施」 and 「定期的」 in a row about
 * restore tests do not make it a statement of how often penetration tests are run. Nor is a row
 * that does not mention the subject's most specific idea (mostSpecificIdea): the judgement
 * (src/judge/judge.ts) and the drafter take a figure only from a row about it in this sense too.
 */
import type { Concept } from './expand.js';
import { coverage, idfCoverage, mentions, textKey, type CompiledConcept, type TextKey } from './match.js';
import { FIGURE_ROW_COVERAGE, figureSentences, isFigureWording, subjectFigures, type AskedQuantity } from './quantities.js';
import { inSlices } from '../work-queue.js';
import { customerWords } from './remark-denial.js';
import { wordsPattern } from '../regexp.js';

/**
 * An idea of the subject weighing at least this much is one of its main ideas (expand.ts weighs a
 * main idea 1, a generic verb such as 実施 or 取得 0.15-0.2): the most specific idea is read
 * among those when the subject has any.
 */
const MAIN_IDEA = 0.5;

/**
 * The subject's most specific idea: of its content ideas (its main ones when it has any; never the
 * words for the kind of figure or its unit, isFigureWording), the one the fewest rows mention
 * (ties: the heavier, then the first). A figure is about the subject only in a row that mentions
 * it: half the subject's ideas is not enough when they are generic. 「年1回」 in a row about the
 * yearly audit shares 「年」 and 「実施」 with "how many times a year do you run phishing drills",
 * and answered it (blind trial s15). Rarity is read among the ideas some row mentions: one no row
 * mentions is as often a paraphrase's word the documents put otherwise (ミドルウェア for their
 * OS, "notice" for their 通知) as a topic they lack, and would leave every row short (eval: five
 * figure answers blanked). Null when no content idea is mentioned by any row.
 */
export function mostSpecificIdea(subject: CompiledConcept[], keys: TextKey[]): CompiledConcept | null {
  return specificOnce(subject, (c) => keys.filter((k) => mentions(c, k)).length);
}

/** The subject's most specific idea, read once per compiled subject (specificCache says why). */
function specificOnce(subject: CompiledConcept[], rowsMentioning: (idea: CompiledConcept) => number): CompiledConcept | null {
  const known = specificCache.get(subject);
  if (known !== undefined) return known;
  const found = rarest(subject, rowsMentioning);
  specificCache.set(subject, found);
  return found;
}

/**
 * A question's subject is compiled once and read against the same rows by retrieval (the figure
 * ranked for, figureConcept) and by the judgement: counting each idea's rows is a pass over the
 * product (3,000 rows: tens of ms the event loop is held, test/retrieve/slices.test.ts), made once.
 */
const specificCache = new WeakMap<CompiledConcept[], CompiledConcept | null>();

/**
 * The customer's data as such (お客様のデータ, 顧客データ, "customer data"): whose data, which every datum
 * in the service is, not what the figure is of. Taken for the most specific idea because few rows
 * write it, it put the row stating 「最長21日間…スナップショット」 off the subject of 「お客様のデータは
 * 何日前の状態まで戻せますか」, which says only データ (blind trial s30). An idea most of whose wordings are
 * a customer word (remark-denial.tsv `customer`) and データ or 情報.
 */
let whoseDataPattern: RegExp | null = null;
const whoseData = (c: CompiledConcept): boolean => {
  whoseDataPattern ??= new RegExp(`^(?:${wordsPattern(customerWords('ja'))})の?(?:データ|情報)$`, 'u');
  const pattern = whoseDataPattern;
  return c.keys.length > 0 && c.keys.filter((k) => pattern.test(k)).length * 2 > c.keys.length;
};

/** mostSpecificIdea, with the number of rows mentioning each idea (`rowsMentioning`). */
function rarest(subject: CompiledConcept[], rowsMentioning: (idea: CompiledConcept) => number): CompiledConcept | null {
  const content = subject.filter((c) => !isFigureWording(c.source));
  const main = content.filter((c) => c.weight >= MAIN_IDEA && !whoseData(c));
  const pool = main.length > 0 ? main : content;
  let best: { idea: CompiledConcept; rows: number } | null = null;
  for (const idea of pool) {
    const rows = rowsMentioning(idea);
    if (rows === 0) continue;
    if (!best || rows < best.rows || (rows === best.rows && idea.weight > best.idea.weight)) best = { idea, rows };
  }
  return best?.idea ?? null;
}

/**
 * Whether a row may be the source of a figure about the subject: it mentions FIGURE_ROW_COVERAGE
 * of the subject's ideas and its most specific one (`specific`, mostSpecificIdea of the rows read).
 */
export function aboutFigureSubject(subject: CompiledConcept[], specific: CompiledConcept | null, key: TextKey): boolean {
  return coverage(subject, key) >= FIGURE_ROW_COVERAGE && (specific === null || mentions(specific, key));
}

/**
 * Whether the figures a row states can be about the most specific idea: the row's requirement
 * (what its item is about) names it, or a sentence of its answer stating a figure does. A row
 * about reviewing the security policy 「毎年」 that also mentions 「監査」 in another sentence does
 * not say how often audits are done.
 */
export function figuresNear(specific: CompiledConcept | null, passage: { answer: string; requirement: string }): boolean {
  if (specific === null) return true;
  if (passage.requirement !== '' && mentions(specific, textKey(passage.requirement))) return true;
  return figureSentences(passage.answer, passage.requirement).some((s) => mentions(specific, textKey(s)));
}

/**
 * The figure asked weighs as two main ideas of the question (features.ts and expand.ts weigh a
 * main idea 1): it is what the answer turns on, and the words saying what kind of figure is asked
 * (保持, 保存期間, "kept") are ideas the row stating the figure need not word. At 1, a row about
 * where backups are 保管 (no figure) outranked 「最長35日間、日次のスナップショット」 for 「60日以上保持
 * されますか」 (new-user trial s14's class, this repository's own spec); at 2 the trial's figure
 * answers gained confidence and the evaluation set's statuses did not move.
 */
const FIGURE_WEIGHT = 2;

/**
 * The most rows whose figures are read for one question, those most about its subject first.
 * Reading a row's figures takes some 0.1-0.4 ms: on a product of 3,000 rows sharing the
 * subject's words, reading them all held the event loop 300 ms and more in one go
 * (test/retrieve/slices.test.ts). A checksheet holds a few rows about one subject, not dozens.
 */
const FIGURE_ROWS_READ = 40;

export interface FigureRow {
  /** The text the figure check reads (the vendor's answer, else the requirement). */
  text: string;
  key: TextKey;
}

/**
 * The figure asked as an idea of the question: mentioned by the rows stating a figure of the
 * kind asked about the question's subject (their figures as written are its variants). Null when
 * the question asks for no figure, one stated exactly, any kind of figure, or no row states one
 * about its subject.
 */
export async function figureConcept(asked: AskedQuantity | null, subject: CompiledConcept[], rows: FigureRow[]): Promise<Concept | null> {
  if (!asked || asked.immediate || subject.length === 0) return null;
  // A figure stated exactly ("Is the timeout 30 minutes?") is not ranked for; one asked for by
  // name or question word (「バックアップの保持期間は？」, "how long…") is, unless any kind would do.
  if (asked.figure ? asked.bound === 'exactly' : asked.dimension === 'any') return null;
  // Both passes over the rows run in slices (work-queue.ts): on a product of 3,000 rows each held
  // the thread some 20-40 ms (test/retrieve/slices.test.ts).
  // How many rows mention each idea, counted once: for the rarity of each and the most specific.
  const mentioned = await inSlices(rows, (r) => subject.map((c) => mentions(c, r.key)));
  const counts = new Map(subject.map((c, i) => [c, mentioned.filter((m) => m[i]).length]));
  const specific = specificOnce(subject, (c) => counts.get(c) ?? 0);
  // Rarity is read among the ideas the documents hold: one no row mentions (a stray literal
  // such as 「回以下」) is the rarest of all and would leave every row short.
  const held = subject.filter((c) => (counts.get(c) ?? 0) > 0);
  // As match.ts conceptIdf weighs them, from the counts above rather than another pass over the rows.
  const idf = held.map((c) => Math.log(1 + rows.length / ((counts.get(c) ?? 0) + 0.5)));
  const about = (
    await inSlices(rows, (r) => {
      if (!aboutFigureSubject(subject, specific, r.key)) return null;
      const rare = idfCoverage(held, idf, r.key);
      return rare < FIGURE_ROW_COVERAGE ? null : { row: r, rare };
    })
  ).filter((a) => a !== null);
  // The rows most about the subject first (a stable sort keeps the documents' order among equals).
  const read = about.sort((a, b) => b.rare - a.rare).slice(0, FIGURE_ROWS_READ);
  const figures = read.flatMap(({ row }) => subjectFigures(asked, row.text).map((f) => f.text));
  if (figures.length === 0) return null;
  return { source: asked.text, variants: [...new Set(figures)], weight: FIGURE_WEIGHT, origin: 'literal' };
}
