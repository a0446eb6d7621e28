/**
 * The pipeline's layers, bottom to top: shared types → spreadsheet I/O and corpus parsers →
 * embed → store → retrieve → judge → draft → questionnaire filling and exports → review →
 * the core use cases → adapters (cli, slack). A module may import its own layer or lower
 * ones only, so a lower layer can be tested and replaced without the ones above it; and an
 * adapter imports only the core and the shared types, so a use case lives in one place
 * whatever the surface.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const LAYERS: Record<string, number> = {
  types: 0, 'domain.ts': 0, 'source-label.ts': 0, 'errors.ts': 0, 'log.ts': 0, 'config.ts': 0, 'status-words.ts': 0, 'confidence-words.ts': 0, 'regexp.ts': 0, 'work-queue.ts': 0, 'instructions.ts': 0, 'request-verbs.ts': 0, 'sentences.ts': 0,
  spreadsheet: 1, corpus: 1,
  embed: 2,
  store: 3,
  retrieve: 4,
  judge: 5,
  draft: 6,
  questionnaire: 7, export: 7,
  review: 8,
  eval: 9, 'ask.ts': 9, 'ask-local.ts': 9, 'ask-thread.ts': 9, 'ask-worker.ts': 9, 'bulk.ts': 9, 'ingest.ts': 9, 'app.ts': 9, 'questionnaire-run.ts': 9, 'product.ts': 9, 'workflow.ts': 9,
  cli: 10, slack: 10,
};

/**
 * Known upward imports, each a debt with a reason, to be removed (issue #13): the store tags
 * passages with glossary concepts at ingest; the answer library turns review records into
 * passages. (How a source is named is src/source-label.ts, at the bottom, for every layer.)
 */
const KNOWN = new Set([
  'store/store.ts -> retrieve',
  'store/library.ts -> review',
]);

const CORE = 9;
const ADAPTER = 10;

/**
 * Known adapter imports below the core, each a debt to be removed (issue #13: the core owns
 * every use case, adapters make one call each). Key: adapter file -> layer it reaches into.
 */
const KNOWN_ADAPTER = new Map([
  ['cli/answer.ts -> spreadsheet', 'prints the detected layout (describeLayout, column letters) with spreadsheet helpers; the core could hand a described layout'],
  ['cli/ask.ts -> store', 'builds the search text of a question itself'],
  ['cli/review.ts -> review', 'types batches and reports with the queue\'s types; loads the review workbook module itself'],
  ['cli/review.ts -> spreadsheet', 'derives upload limits from the config itself'],
  ['slack/app.ts -> store', 'builds the Slack event log and lock policy itself'],
  ['slack/blocks.ts -> draft', 'sanitises and labels drafts with the drafter\'s helpers'],
  ['slack/blocks.ts -> review', 'reads review states and records directly to render cards'],
  ['slack/deps.ts -> store', 'holds the Slack event log itself'],
  ['slack/download.ts -> spreadsheet', 'sniffs and size-checks uploads itself before handing them on'],
  ['slack/handlers/ask.ts -> store', 'claims events in the event log itself'],
  ['slack/handlers/bulk.ts -> review', 'builds and imports review workbooks itself (the review-sheet use cases are not on the app yet)'],
  ['slack/handlers/review.ts -> review', 'applies review decisions through the queue itself'],
]);

const SRC = join(process.cwd(), 'src');
const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });
const top = (rel: string): string => rel.split('/')[0] ?? rel;

/** Every relative import in src: [importing file, imported path], both relative to src. */
function imports(): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const file of walk(SRC)) {
    const rel = relative(SRC, file);
    for (const m of readFileSync(file, 'utf8').matchAll(/from '(\.{1,2}\/[^']+)'/g)) out.push([rel, relative(SRC, normalize(join(dirname(file), m[1] ?? '')))]);
  }
  return out;
}

function upwardImports(): string[] {
  const unplaced = walk(SRC)
    .map((file) => relative(SRC, file))
    .filter((rel) => LAYERS[top(rel)] === undefined)
    .map((rel) => `${rel}: not in any layer (add it to LAYERS)`);
  const upward = imports().filter(([rel, target]) => {
    const own = LAYERS[top(rel)];
    const theirs = LAYERS[top(target)];
    return own !== undefined && theirs !== undefined && theirs > own && !KNOWN.has(`${rel} -> ${top(target)}`);
  });
  return [...unplaced, ...upward.map(([rel, target]) => `${rel} imports ${target}`)];
}

describe('layering', () => {
  it('no module imports a layer above its own', () => {
    expect(upwardImports()).toEqual([]);
  });

  it('adapters reach the layers below the core only through the core', () => {
    const below = imports().filter(([rel, target]) => {
      const theirs = LAYERS[top(target)];
      return LAYERS[top(rel)] === ADAPTER && theirs !== undefined && theirs > 0 && theirs < CORE && !KNOWN_ADAPTER.has(`${rel} -> ${top(target)}`);
    });
    expect(below.map(([rel, target]) => `${rel} imports ${target}`)).toEqual([]);
  });

  it('lists only debts that still exist, so a paid one is struck off', () => {
    const still = new Set(imports().map(([rel, target]) => `${rel} -> ${top(target)}`));
    expect([...KNOWN, ...KNOWN_ADAPTER.keys()].filter((k) => !still.has(k))).toEqual([]);
  });
});
