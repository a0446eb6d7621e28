/**
 * The labelled pool as the judgement's training sees it, gathered once: every item's candidate
 * rows by the live retrieval code, labelled by the dataset's needles, and the callbacks that
 * src/judge/train.ts crossValidate needs (answer features under a ranker, an item judged and
 * drafted as `ask` would). Shared by `npm run train` (scripts/train.ts) and the measure of the
 * procedure's spread across fold assignments (scripts/train-spread.ts), so both fit on exactly
 * the same data; gathering is the slow part, fitting is fast.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.js';
import { createApp, runIngest } from '../src/app.js';
import { createLogger } from '../src/log.js';
import { loadLexicon } from '../src/retrieve/lexicon.js';
import { gather, type Gathered } from '../src/retrieve/retrieve.js';
import { rowFeatures, type AnswerFeatures, type Featured } from '../src/judge/features.js';
import { judge, judgeAnswerFeatures, type Judge, type JudgeOptions } from '../src/judge/judge.js';
import type { LogisticModel } from '../src/judge/logistic.js';
import { featureAsks, toRetrieval } from '../src/judge/retrieval.js';
import type { AnswerOutcome, TrainItem } from '../src/judge/train.js';
import { extractiveDraft } from '../src/draft/extractive.js';
import { foldOf, loadPool } from '../src/eval/pool.js';
import { matches, type ItemOutcome, type RowRef } from '../src/eval/metrics.js';
import { searchText } from '../src/store/schema.js';
import type { EvalItem } from '../src/eval/dataset.js';
import type { Passage } from '../src/domain.js';

interface Context {
  item: EvalItem;
  g: Gathered;
  featured: Featured[];
  asks: Featured[][];
}

export interface TrainingData {
  /** The pool files read (dev.jsonl, dev2.jsonl). */
  files: string[];
  /** Every item with its rows, in the shipped folds (foldOf without a salt). */
  items: TrainItem[];
  /** crossValidate's answerFeaturesOf. */
  featuresUnder: (item: TrainItem, rank: LogisticModel, cite: number) => AnswerFeatures;
  /** crossValidate's judgeItem: judged and drafted, right = an expected row among the first five citations and the right status. */
  judgeItem: (item: TrainItem, j: Judge) => AnswerOutcome;
  /** The item judged and drafted with `j`, as the eval scores it (src/eval/metrics.ts). */
  outcome: (item: TrainItem, j: Judge) => ItemOutcome;
}

/** Ingests the corpus into a temporary store, gathers and labels every pool item, and closes the store again. */
export async function gatherTraining(root: string): Promise<TrainingData> {
  const pool = await loadPool(root);
  if (pool.files.length < 2) process.stderr.write(`warning: only ${pool.files.join(', ')} found; train on the whole pool where ../shared/eval is beside the checkout\n`);
  const tempDir = mkdtempSync(join(tmpdir(), 'kotae-train-'));
  const config = { ...loadConfig({ ...process.env, KOTAE_LOG_LEVEL: 'warn', KOTAE_DRAFTER: 'extractive', KOTAE_EMBEDDINGS: 'none' }), dataDir: tempDir };
  const logger = createLogger('warn');
  const lines = new Map<string, string[]>();
  const lineOf = (file: string, line: number | null): string => {
    if (line === null) return '';
    if (!lines.has(file)) lines.set(file, readFileSync(join(config.corpusDir, file), 'utf8').split('\n'));
    return lines.get(file)?.[line - 1] ?? '';
  };
  const rowRef = (p: { source: string; line: number | null } & Parameters<typeof searchText>[0]): RowRef => ({ file: p.source, text: `${lineOf(p.source, p.line)}\n${searchText(p)}` });
  const isExpected = (item: EvalItem, ref: RowRef): boolean => item.expected.some((e) => matches(ref, e));
  const context = new Map<string, Context>();
  const items: TrainItem[] = [];
  try {
    const report = await runIngest(config, { logger });
    if (report.failed > 0) throw new Error(`ingest failed for ${report.failed} file(s)`);
    const app = await createApp(config, { logger });
    const lexicon = loadLexicon();
    for (const item of pool.items) {
      const g = await gather({ store: app.store, embedder: app.embedder, lexicon }, item.question, item.product);
      const featured = rowFeatures(g.view, g.candidates);
      context.set(item.id, { item, g, featured, asks: await featureAsks(g) });
      items.push({
        id: item.id,
        fold: foldOf(item.id),
        answerable: item.answerable,
        rows: featured.map((f) => ({ features: f.features, label: isExpected(item, rowRef(f.candidate.passage)) ? 1 : 0 })),
      });
    }
    await app.close();
  } finally {
    rmSync(tempDir, { recursive: true, force: true });
  }
  const contextOf = (id: string): Context => {
    const ctx = context.get(id);
    if (!ctx) throw new Error(`no context for ${id}`);
    return ctx;
  };
  const featuresUnder = (trainItem: TrainItem, rank: LogisticModel, cite: number): AnswerFeatures => {
    const ctx = contextOf(trainItem.id);
    const placeholder = { rank, answerable: rank, answer: rank, thresholds: { cite, decline: 0, declineEn: 0, unflagged: 1 } };
    return judgeAnswerFeatures(ctx.g.view, ctx.featured, placeholder, ctx.asks);
  };
  const judgeItem = (trainItem: TrainItem, j: Judge): AnswerOutcome => {
    const ctx = contextOf(trainItem.id);
    const judgement = judge(ctx.g.view, ctx.featured, j, ctx.asks);
    const draft = extractiveDraft(toRetrieval(ctx.g, judgement));
    const cited = judgement.hits.slice(0, 5).some((h) => isExpected(ctx.item, rowRef(h.passage)));
    const right = !draft.abstained && ctx.item.answerable && cited && draft.status === ctx.item.status;
    // Flagged at any confidence (the eval's needsHuman with every confidence let through).
    const open = judge(ctx.g.view, ctx.featured, { ...j, thresholds: { ...j.thresholds, unflagged: 0 } }, ctx.asks);
    const flagged = extractiveDraft(toRetrieval(ctx.g, open)).needsHuman;
    return { features: judgement.answerFeatures, abstained: draft.abstained, right, flagged };
  };
  const outcome = (trainItem: TrainItem, j: Judge): ItemOutcome => {
    const ctx = contextOf(trainItem.id);
    return judgedOutcome(ctx.item, ctx, j, rowRef);
  };
  return { files: pool.files, items, featuresUnder, judgeItem, outcome };
}

/**
 * An item judged by `j` and drafted offline, as the eval scores it: its first 20 ranked rows,
 * the rows the draft cites, and the draft's status and confidence. One place for the eval and
 * the train scripts, so that both score exactly what a user would get.
 */
export function judgedOutcome(item: EvalItem, gathered: { g: Gathered; featured: Featured[]; asks: Featured[][] }, j: Judge, ref: (p: Passage) => RowRef, options?: JudgeOptions): ItemOutcome {
  const retrieval = toRetrieval(gathered.g, judge(gathered.g.view, gathered.featured, j, gathered.asks, options));
  const draft = extractiveDraft(retrieval);
  return {
    item,
    retrieved: retrieval.ranked.slice(0, 20).map((h) => ref(h.passage)),
    cited: draft.abstained ? [] : retrieval.hits.map((h) => ref(h.passage)),
    abstained: draft.abstained,
    status: draft.status,
    needsHuman: draft.needsHuman,
    confidence: draft.confidence,
  };
}
