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
}

function matches(row: RowRef, expected: EvalItem['expected'][number]): boolean {
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
  };
}

/** Groups outcomes by a key (kind, lang, product) and summarises each group. */
export function breakdown(outcomes: ItemOutcome[], key: (o: ItemOutcome) => string): Map<string, Summary> {
  const groups = new Map<string, ItemOutcome[]>();
  for (const o of outcomes) groups.set(key(o), [...(groups.get(key(o)) ?? []), o]);
  return new Map([...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, summarise(v)]));
}
