/**
 * Evaluation metrics, as defined by the dataset README: row matches by normalised needle,
 * recall@k and hit@k on answerable items, abstention on unanswerable ones, status accuracy.
 * Pure functions: the runner supplies, per item, the rows retrieved and the draft.
 */
import { matchKey } from '../corpus/clean.js';
import type { Status } from '../domain.js';
import type { EvalItem } from './dataset.js';

/** A retrieved or cited row: its file and the text the needle is looked for in. */
export interface RowRef {
  file: string;
  text: string;
}

export interface ItemOutcome {
  item: EvalItem;
  /** Ranked retrieval, best first. */
  retrieved: RowRef[];
  cited: RowRef[];
  abstained: boolean;
  status: Status;
  /** Flagged for review (a declined answer is flagged too). */
  needsHuman?: boolean;
  confidence?: number;
}

/**
 * Whether an answer given without a flag would be right: it cites an expected row among its
 * first five citations and, where the item has a status, states that status. An answer to an
 * unanswerable item is never right.
 */
export function isRight(o: ItemOutcome): boolean {
  if (o.abstained || !o.item.answerable) return false;
  return hitAt(o, o.cited, 5) === 1 && (o.item.status === null || o.status === o.item.status);
}

const unflagged = (o: ItemOutcome): boolean => !o.abstained && o.needsHuman === false;

export function matches(row: RowRef, expected: EvalItem['expected'][number]): boolean {
  return row.file === expected.file && matchKey(row.text).includes(matchKey(expected.needle));
}

/** Fraction of expected rows found among the first k rows. */
export function recallAt(outcome: ItemOutcome, rows: RowRef[], k: number): number {
  const { expected } = outcome.item;
  if (expected.length === 0) return 0;
  const top = rows.slice(0, k);
  return expected.filter((e) => top.some((r) => matches(r, e))).length / expected.length;
}

export function hitAt(outcome: ItemOutcome, rows: RowRef[], k: number): number {
  const top = rows.slice(0, k);
  return outcome.item.expected.some((e) => top.some((r) => matches(r, e))) ? 1 : 0;
}

export function citationPrecision(outcome: ItemOutcome): number | null {
  if (outcome.cited.length === 0) return null;
  return outcome.cited.filter((r) => outcome.item.expected.some((e) => matches(r, e))).length / outcome.cited.length;
}

export interface Summary {
  n: number;
  answerable: number;
  unanswerable: number;
  recall1: number | null;
  recall5: number | null;
  hit5: number | null;
  citedRecall: number | null;
  citationPrecision: number | null;
  abstention: number | null;
  falseAbstention: number | null;
  statusAccuracy: number | null;
  recall20: number | null;
  /** Cited rows (first five) that match an expected row, share of expected rows. */
  citedRecall5: number | null;
  /** Multi-part items whose every expected row is among the first five citations. */
  allRows5: number | null;
  unflaggedShare: number | null;
  unflaggedPrecision: number | null;
  /** Wrong unflagged answers over all items: the headline figure. */
  confidentWrong: number | null;
}

const mean = (xs: number[]): number | null => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);

export function summarise(outcomes: ItemOutcome[]): Summary {
  const answerable = outcomes.filter((o) => o.item.answerable);
  const unanswerable = outcomes.filter((o) => !o.item.answerable);
  return {
    n: outcomes.length,
    answerable: answerable.length,
    unanswerable: unanswerable.length,
    recall1: mean(answerable.map((o) => recallAt(o, o.retrieved, 1))),
    recall5: mean(answerable.map((o) => recallAt(o, o.retrieved, 5))),
    hit5: mean(answerable.map((o) => hitAt(o, o.retrieved, 5))),
    citedRecall: mean(answerable.map((o) => recallAt(o, o.cited, o.cited.length))),
    citationPrecision: mean(answerable.map(citationPrecision).filter((x): x is number => x !== null)),
    abstention: mean(unanswerable.map((o) => (o.abstained ? 1 : 0))),
    falseAbstention: mean(answerable.map((o) => (o.abstained ? 1 : 0))),
    statusAccuracy: mean(answerable.map((o) => (o.status === o.item.status ? 1 : 0))),
    recall20: mean(answerable.map((o) => recallAt(o, o.retrieved, 20))),
    citedRecall5: mean(answerable.map((o) => recallAt(o, o.cited, 5))),
    allRows5: mean(answerable.filter((o) => o.item.expected.length > 1).map((o) => (recallAt(o, o.cited, 5) === 1 ? 1 : 0))),
    unflaggedShare: outcomes.some((o) => o.needsHuman !== undefined) ? (mean(outcomes.map((o) => (unflagged(o) ? 1 : 0))) ?? null) : null,
    unflaggedPrecision: mean(outcomes.filter(unflagged).map((o) => (isRight(o) ? 1 : 0))),
    confidentWrong: outcomes.some((o) => o.needsHuman !== undefined) ? mean(outcomes.map((o) => (unflagged(o) && !isRight(o) ? 1 : 0))) : null,
  };
}

/** Groups outcomes by a key (kind, lang, product) and summarises each group. */
export function breakdown(outcomes: ItemOutcome[], key: (o: ItemOutcome) => string): Map<string, Summary> {
  const groups = new Map<string, ItemOutcome[]>();
  for (const o of outcomes) groups.set(key(o), [...(groups.get(key(o)) ?? []), o]);
  return new Map([...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, summarise(v)]));
}

/** Reliability of the confidence on answers given (not declined): bins of width 0.1 and the expected calibration error. */
export function calibration(outcomes: ItemOutcome[]): { bins: Array<{ from: number; to: number; n: number; confidence: number; accuracy: number }>; ece: number } {
  const given = outcomes.filter((o) => !o.abstained && o.confidence !== undefined);
  const bins = Array.from({ length: 10 }, (_, b) => {
    const inBin = given.filter((o) => Math.min(9, Math.floor((o.confidence ?? 0) * 10)) === b);
    return {
      from: b / 10,
      to: (b + 1) / 10,
      n: inBin.length,
      confidence: mean(inBin.map((o) => o.confidence ?? 0)) ?? 0,
      accuracy: mean(inBin.map((o) => (isRight(o) ? 1 : 0))) ?? 0,
    };
  });
  const ece = given.length === 0 ? 0 : bins.reduce((s, b) => s + (b.n / given.length) * Math.abs(b.confidence - b.accuracy), 0);
  return { bins: bins.filter((b) => b.n > 0), ece };
}
