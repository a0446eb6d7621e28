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
 *
 * "About the same subject" is read as the judgement's figure rule reads it (half the subject's
 * ideas, FIGURE_ROW_COVERAGE) and, so that shared generic words are not enough, as much of them
 * weighted by how rare each is in the documents (idf): 「実施」 and 「定期的」 in a row about
 * restore tests do not make it a statement of how often penetration tests are run.
 */
import type { Concept } from './expand.js';
import { conceptIdf, coverage, idfCoverage, mentions, type CompiledConcept, type TextKey } from './match.js';
import { FIGURE_ROW_COVERAGE, subjectFigures, type AskedQuantity } from './quantities.js';

/** The figure asked weighs as a main idea of the question (as features.ts and expand.ts weigh them). */
const MAIN = 1;

export interface FigureRow {
  /** The text the figure check reads (the vendor's answer, else the requirement). */
  text: string;
  key: TextKey;
}

/**
 * The figure asked as an idea of the question: mentioned by the rows stating a figure of the
 * kind asked about the question's subject (their figures as written are its variants). Null when
 * the question asks for no bounded figure or no row states one about its subject.
 */
export function figureConcept(asked: AskedQuantity | null, subject: CompiledConcept[], rows: FigureRow[]): Concept | null {
  if (!asked?.figure || asked.bound === 'exactly' || asked.immediate || subject.length === 0) return null;
  const keys = rows.map((r) => r.key);
  // Rarity is read among the ideas the documents hold: one no row mentions (a stray literal
  // such as 「回以下」) is the rarest of all and would leave every row short.
  const held = subject.filter((c) => keys.some((k) => mentions(c, k)));
  const idf = conceptIdf(held, keys);
  const figures = rows.flatMap((r) => {
    if (coverage(subject, r.key) < FIGURE_ROW_COVERAGE || idfCoverage(held, idf, r.key) < FIGURE_ROW_COVERAGE) return [];
    return subjectFigures(asked, r.text).map((f) => f.text);
  });
  if (figures.length === 0) return null;
  return { source: asked.text, variants: [...new Set(figures)], weight: MAIN, origin: 'literal' };
}
