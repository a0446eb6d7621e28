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
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WEIGHTS_FILE, type JudgeWeights } from '../src/judge/judge.js';
import { crossValidate } from '../src/judge/train.js';
import { FOLDS } from '../src/eval/pool.js';
import { gatherTraining } from './train-data.js';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const data = await gatherTraining(root);
const { items } = data;
const result = crossValidate(items, FOLDS, data.featuresUnder, data.judgeItem);
const weights: JudgeWeights = {
  trained: {
    command: 'npm run train',
    sets: data.files.map((f) => `${basename(f)} sha256:${createHash('sha256').update(readFileSync(f)).digest('hex').slice(0, 12)}`),
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
  `trained on ${items.length} items (${data.files.map((f) => basename(f)).join(' + ')}), ${FOLDS} folds → ${fileURLToPath(WEIGHTS_FILE)}\n` +
    `thresholds (full): ${JSON.stringify(result.full.thresholds)}\n` +
    `out of fold: answered ${given.length}/${oof.length}, right ${given.filter((o) => o.outcome.right).length}\n`,
);
