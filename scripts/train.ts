/**
 * `npm run train`: refits the judgement (src/judge/weights.json) from the labelled pool
 * (dev.jsonl + dev2.jsonl, from ../shared/eval or test/eval) with 5-fold cross-validation.
 *
 * The corpus is ingested into a temporary store; every item's candidate rows are gathered
 * by the live retrieval code and labelled by the dataset's needles; src/judge/train.ts fits
 * the models (scripts/train-weights.ts). Deterministic: the same data and code give the same
 * weights byte for byte, and test/judge/weights-reproduced.test.ts holds the committed file to it.
 * The eval (`npm run eval`) then judges each item with the fold model that never saw it.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WEIGHTS_FILE } from '../src/judge/judge.js';
import { trainWeights } from './train-weights.js';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const trained = await trainWeights(root);
writeFileSync(WEIGHTS_FILE, trained.serialised);
process.stdout.write(`${trained.summary}→ ${fileURLToPath(WEIGHTS_FILE)}\n`);
