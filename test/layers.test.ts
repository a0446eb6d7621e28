/**
 * The pipeline's layers, bottom to top: shared types → corpus parsers → embed → store →
 * retrieve → judge → draft → spreadsheet I/O and exports → review → the core use cases →
 * adapters (cli, slack). A module may import its own layer or lower ones only, so a lower
 * layer can be tested and replaced without the ones above it.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const LAYERS: Record<string, number> = {
  types: 0, 'domain.ts': 0, 'errors.ts': 0, 'log.ts': 0, 'config.ts': 0, 'status-words.ts': 0, 'work-queue.ts': 0,
  corpus: 1,
  embed: 2,
  store: 3,
  retrieve: 4,
  judge: 5,
  draft: 6,
  questionnaire: 7, export: 7,
  review: 8,
  eval: 9, 'ask.ts': 9, 'bulk.ts': 9, 'ingest.ts': 9, 'app.ts': 9,
  cli: 10, slack: 10,
};

/**
 * Known upward imports, each a debt with a reason, to be removed (issue #13): the
 * previously-answered-questionnaire parser reads sheets through the questionnaire reader
 * (spreadsheet I/O should be a bottom layer of its own); the store tags passages with glossary
 * concepts at ingest; the answer library turns review records into passages.
 */
const KNOWN = new Set([
  'corpus/qa-sheet.ts -> questionnaire',
  'store/store.ts -> retrieve',
  'store/library.ts -> review',
  'store/library.ts -> draft',
]);

const SRC = join(process.cwd(), 'src');
const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });
const top = (rel: string): string => rel.split('/')[0] ?? rel;

function upwardImports(): string[] {
  const found: string[] = [];
  for (const file of walk(SRC)) {
    const rel = relative(SRC, file);
    const own = LAYERS[top(rel)];
    if (own === undefined) {
      found.push(`${rel}: not in any layer (add it to LAYERS)`);
      continue;
    }
    for (const m of readFileSync(file, 'utf8').matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
      const target = relative(SRC, normalize(join(dirname(file), m[1] ?? '')));
      const theirs = LAYERS[top(target)];
      if (theirs !== undefined && theirs > own && !KNOWN.has(`${rel} -> ${top(target)}`)) found.push(`${rel} imports ${target}`);
    }
  }
  return found;
}

describe('layering', () => {
  it('no module imports a layer above its own', () => {
    expect(upwardImports()).toEqual([]);
  });

  it('lists only debts that still exist, so a paid one is struck off', () => {
    const still = new Set<string>();
    for (const file of walk(SRC)) {
      const rel = relative(SRC, file);
      for (const m of readFileSync(file, 'utf8').matchAll(/from '(\.{1,2}\/[^']+)'/g)) still.add(`${rel} -> ${top(relative(SRC, normalize(join(dirname(file), m[1] ?? ''))))}`);
    }
    expect([...KNOWN].filter((k) => !still.has(k))).toEqual([]);
  });
});
