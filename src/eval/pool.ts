/**
 * The labelled pool the judgement is trained and measured on: every evaluation set found
 * (dev.jsonl, dev2.jsonl, ...), split into k folds by a hash of the item id, so that the
 * train script and the eval agree on which model may judge which item without sharing state.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadEvalSet, type EvalItem } from './dataset.js';

export const FOLDS = 5;

/**
 * FNV-1a over the id: stable across runs, machines and item order. A `salt` (prefixed to the
 * id) gives another assignment of the same items, to measure how much the training procedure's
 * results depend on which items share a fold (scripts/train-spread.ts); the shipped folds use none.
 */
export function foldOf(id: string, folds: number = FOLDS, salt = ''): number {
  let h = 0x811c9dc5;
  for (const ch of salt + id) {
    h ^= ch.codePointAt(0) ?? 0;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % folds;
}

/** Where the shared evaluation data lives: `../shared/eval` beside a checkout, else the copy in test/eval. */
export function evalDirs(root: string): string[] {
  return [join(root, '..', 'shared', 'eval'), join(root, 'test', 'eval')].filter((d) => existsSync(d));
}

export const POOL_FILES = ['dev.jsonl', 'dev2.jsonl'];

/** Loads every pool file found (first directory that has it wins); ids must be unique across files. */
export async function loadPool(root: string): Promise<{ items: EvalItem[]; files: string[]; dir: (file: string) => string }> {
  const dirs = evalDirs(root);
  const items: EvalItem[] = [];
  const files: string[] = [];
  const where = new Map<string, string>();
  for (const name of POOL_FILES) {
    const dir = dirs.find((d) => existsSync(join(d, name)));
    if (!dir) continue;
    const path = join(dir, name);
    files.push(path);
    where.set(name, dir);
    items.push(...(await loadEvalSet(path)));
  }
  const seen = new Set<string>();
  for (const item of items) {
    if (seen.has(item.id)) throw new Error(`duplicate item id ${item.id} in the evaluation pool`);
    seen.add(item.id);
  }
  return { items, files, dir: (file) => where.get(file) ?? dirs[0] ?? join(root, 'test', 'eval') };
}
