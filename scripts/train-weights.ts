/**
 * The judgement's weights as `npm run train` fits them, as a function: gathers the labelled
 * pool (scripts/train-data.ts) and cross-validates (src/judge/train.ts). Shared by the train
 * script, which writes the result, and by the test that holds the committed
 * src/judge/weights.json to being exactly this output, so that a change to retrieval or to the
 * features cannot land with weights fitted on older code.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { JudgeWeights } from '../src/judge/judge.js';
import { crossValidate } from '../src/judge/train.js';
import { FOLDS } from '../src/eval/pool.js';
import { gatherTraining } from './train-data.js';

export interface Trained {
  weights: JudgeWeights;
  /** The file's bytes: what src/judge/weights.json must hold. */
  serialised: string;
  /** One line per figure, for the console. */
  summary: string;
}

export async function trainWeights(root: string): Promise<Trained> {
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
  const oof = [...result.oof.values()];
  const given = oof.filter((o) => !o.outcome.abstained);
  const summary =
    `trained on ${items.length} items (${data.files.map((f) => basename(f)).join(' + ')}), ${FOLDS} folds\n` +
    `thresholds (full): ${JSON.stringify(result.full.thresholds)}\n` +
    `out of fold: answered ${given.length}/${oof.length}, right ${given.filter((o) => o.outcome.right).length}\n`;
  return { weights, serialised: `${JSON.stringify(weights, null, 1)}\n`, summary };
}
