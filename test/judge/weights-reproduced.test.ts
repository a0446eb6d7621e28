/**
 * Why: the shipped judgement must be what `npm run train` fits on the committed code and the
 * labelled pool, byte for byte. Weights fitted on older retrieval code still load and still
 * answer, so nothing else notices when a lexicon line or a rule changes the features they were
 * fitted on; the eval's out-of-fold figures are then of a model nobody can rebuild. This runs
 * the whole training (ingest, gather, cross-validate: about a minute) and compares.
 *
 * The pool is ../shared/eval beside the checkout, as CI has it; a checkout without it finds
 * only test/eval's dev.jsonl and fails here, saying so, rather than passing on other data.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { WEIGHTS_FILE } from '../../src/judge/judge.js';
import { trainWeights } from '../../scripts/train-weights.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));

describe('the committed judgement weights', () => {
  it('are exactly what npm run train fits on this code and pool', { timeout: 600_000 }, async () => {
    const committed = readFileSync(WEIGHTS_FILE, 'utf8');
    const trained = await trainWeights(root);
    const committedSets = (JSON.parse(committed) as { trained: { sets: string[] } }).trained.sets;
    expect(trained.weights.trained.sets, 'the pool found is not the one the weights were trained on (is ../shared/eval beside the checkout?)').toEqual(committedSets);
    // Compared as text so a mismatch is one clear failure, not a 2,000-line object diff.
    expect(trained.serialised === committed, 'src/judge/weights.json is not what `npm run train` gives on this code: run it and commit the result').toBe(true);
  });
});
