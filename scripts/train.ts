/**
 * `npm run train`: refits the judgement (src/judge/weights.json) from the labelled pool
 * (dev.jsonl + dev2.jsonl, from ../shared/eval or test/eval) with 5-fold cross-validation.
 *
 * The corpus is ingested into a temporary store; every item's candidate rows are gathered
 * by the live retrieval code and labelled by the dataset's needles; src/judge/train.ts fits
 * the models. Deterministic: the same data and code give the same weights byte for byte.
 * The eval (`npm run eval`) then judges each item with the fold model that never saw it.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config.js';
import { createApp, runIngest } from '../src/app.js';
import { createLogger } from '../src/log.js';
import { loadLexicon } from '../src/retrieve/lexicon.js';
import { gather } from '../src/retrieve/retrieve.js';
import { rowFeatures, type AnswerFeatures, type Featured } from '../src/judge/features.js';
import { judge, judgeAnswerFeatures, WEIGHTS_FILE, type JudgeWeights } from '../src/judge/judge.js';
import type { LogisticModel } from '../src/judge/logistic.js';
import { featureAsks, toRetrieval } from '../src/judge/retrieval.js';
import { crossValidate, type TrainItem } from '../src/judge/train.js';
import { extractiveDraft } from '../src/draft/extractive.js';
import { FOLDS, foldOf, loadPool } from '../src/eval/pool.js';
import { matches, type RowRef } from '../src/eval/metrics.js';
import { searchText } from '../src/store/schema.js';
import type { Gathered } from '../src/retrieve/retrieve.js';
import type { EvalItem } from '../src/eval/dataset.js';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const pool = await loadPool(root);
if (pool.files.length < 2) process.stderr.write(`warning: only ${pool.files.join(', ')} found; train on the whole pool where ../shared/eval is beside the checkout\n`);

const tempDir = mkdtempSync(join(tmpdir(), 'kotae-train-'));
const config = { ...loadConfig({ ...process.env, KOTAE_LOG_LEVEL: 'warn', KOTAE_DRAFTER: 'extractive', KOTAE_EMBEDDINGS: 'none' }), dataDir: tempDir };
const logger = createLogger('warn');
try {
  const report = await runIngest(config, { logger });
  if (report.failed > 0) throw new Error(`ingest failed for ${report.failed} file(s)`);
  const app = await createApp(config, { logger });
  const lexicon = loadLexicon();
  const lines = new Map<string, string[]>();
  const lineOf = (file: string, line: number | null): string => {
    if (line === null) return '';
    if (!lines.has(file)) lines.set(file, readFileSync(join(config.corpusDir, file), 'utf8').split('\n'));
    return lines.get(file)?.[line - 1] ?? '';
  };
  const rowRef = (p: { source: string; line: number | null } & Parameters<typeof searchText>[0]): RowRef => ({ file: p.source, text: `${lineOf(p.source, p.line)}\n${searchText(p)}` });
  const isExpected = (item: EvalItem, ref: RowRef): boolean => item.expected.some((e) => matches(ref, e));

  const context = new Map<string, { item: EvalItem; g: Gathered; featured: Featured[]; asks: Featured[][] }>();
  const items: TrainItem[] = [];
  for (const item of pool.items) {
    const g = await gather({ store: app.store, embedder: app.embedder, lexicon }, item.question, item.product);
    const featured = rowFeatures(g.view, g.candidates);
    context.set(item.id, { item, g, featured, asks: featureAsks(g) });
    items.push({
      id: item.id,
      fold: foldOf(item.id),
      answerable: item.answerable,
      rows: featured.map((f) => ({ features: f.features, label: isExpected(item, rowRef(f.candidate.passage)) ? 1 : 0 })),
    });
  }
  const contextOf = (id: string): { item: EvalItem; g: Gathered; featured: Featured[]; asks: Featured[][] } => {
    const ctx = context.get(id);
    if (!ctx) throw new Error(`no context for ${id}`);
    return ctx;
  };
  const featuresUnder = (trainItem: TrainItem, rank: LogisticModel, cite: number): AnswerFeatures => {
    const ctx = contextOf(trainItem.id);
    const placeholder = { rank, answerable: rank, answer: rank, thresholds: { cite, decline: 0, declineEn: 0, unflagged: 1 } };
    return judgeAnswerFeatures(ctx.g.view, ctx.featured, placeholder, ctx.asks);
  };
  const result = crossValidate(items, FOLDS, featuresUnder, (trainItem, j) => {
    const ctx = contextOf(trainItem.id);
    const judgement = judge(ctx.g.view, ctx.featured, j, ctx.asks);
    const draft = extractiveDraft(toRetrieval(ctx.g, judgement));
    const cited = judgement.hits.slice(0, 5).some((h) => isExpected(ctx.item, rowRef(h.passage)));
    const right = !draft.abstained && ctx.item.answerable && cited && draft.status === ctx.item.status;
    // Flagged at any confidence (the eval's needsHuman with every confidence let through).
    const open = judge(ctx.g.view, ctx.featured, { ...j, thresholds: { ...j.thresholds, unflagged: 0 } }, ctx.asks);
    const flagged = extractiveDraft(toRetrieval(ctx.g, open)).needsHuman;
    return { features: judgement.answerFeatures, abstained: draft.abstained, right, flagged };
  });
  await app.close();
  const weights: JudgeWeights = {
    trained: {
      command: 'npm run train',
      sets: pool.files.map((f) => `${basename(f)} sha256:${createHash('sha256').update(readFileSync(f)).digest('hex').slice(0, 12)}`),
      items: items.length,
      folds: FOLDS,
    },
    full: result.full,
    folds: result.judges,
  };
  writeFileSync(WEIGHTS_FILE, `${JSON.stringify(weights, null, 1)}\n`);
  const oof = [...result.oof.values()];
  const given = oof.filter((o) => !o.outcome.abstained);
  process.stdout.write(
    `trained on ${items.length} items (${pool.files.map((f) => basename(f)).join(' + ')}), ${FOLDS} folds → ${fileURLToPath(WEIGHTS_FILE)}\n` +
      `thresholds (full): ${JSON.stringify(result.full.thresholds)}\n` +
      `out of fold: answered ${given.length}/${oof.length}, right ${given.filter((o) => o.outcome.right).length}\n`,
  );
} finally {
  rmSync(tempDir, { recursive: true, force: true });
}
