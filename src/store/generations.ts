/**
 * Index generations: every `ingest --rebuild` builds a complete new index in its own
 * directory, `<dataDir>/index/<generation>/` (`store.json` + `lancedb/`), and only then
 * switches `<dataDir>/index.json` over to it with one atomic rename. So:
 * - a rebuild killed at any point leaves `index.json` naming the previous, whole index;
 * - a reader never has files removed under it: it re-reads `index.json` before each
 *   operation and moves to the new generation, and a replaced generation is deleted only
 *   after RETIRE_GRACE_MS, at a later rebuild (no read lasts that long);
 * - a rebuilt table starts its LanceDB versions at 1 again, so each generation records a
 *   `versionBase` (the version its predecessor had reached): corpus versions never go back,
 *   and a draft cached for an old corpus can never match a new one.
 *
 * A data dir from before generations (`<dataDir>/store.json` + `<dataDir>/lancedb/`, no
 * `index.json`) is read as the generation LEGACY and retired like any other.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { KotaeError } from '../errors.js';

/** Bumped when the table layout changes; an older store must be rebuilt. */
export const SCHEMA_VERSION = 2;

/** A replaced generation stays readable at least this long before a later rebuild deletes it. */
export const RETIRE_GRACE_MS = 60_000;

export const LEGACY = 'legacy';
const POINTER = 'index.json';
const GENERATIONS = 'index';

export const StoreMeta = z.object({
  schemaVersion: z.number().int(),
  embedder: z.string(),
  dimensions: z.number().int().nonnegative(),
  createdAt: z.string(),
  /** The corpus version the previous generation had reached: this one's versions continue from it. */
  versionBase: z.number().int().nonnegative().default(0),
});
export type StoreMeta = z.infer<typeof StoreMeta>;

const Pointer = z.object({
  generation: z.string().regex(/^[a-z0-9-]+$/),
  retired: z.array(z.object({ generation: z.string().regex(/^[a-z0-9-]+$/), at: z.string() })).default([]),
});
export type Pointer = z.infer<typeof Pointer>;

/** The published generation as `index.json` names it (its raw text tells a reader whether it moved). */
export interface Published {
  pointer: Pointer;
  /** Compared by readers to notice a switch without parsing; null for a legacy dir. */
  raw: string | null;
}

export function generationDir(dataDir: string, generation: string): string {
  return generation === LEGACY ? dataDir : join(dataDir, GENERATIONS, generation);
}

export function lancedbDir(dataDir: string, generation: string): string {
  return join(generationDir(dataDir, generation), 'lancedb');
}

function metaPath(dataDir: string, generation: string): string {
  return join(generationDir(dataDir, generation), 'store.json');
}

/** The raw `index.json`, or null when there is none. Cheap: readers call it before each operation. */
export function readPointerText(dataDir: string): string | null {
  try {
    return readFileSync(join(dataDir, POINTER), 'utf8');
  } catch (error) {
    return missing(error);
  }
}

/**
 * The same, off the event loop: a reader checks the pointer before every search, and on the
 * bot's Slack thread (product list, every command) a synchronous read, small as it is, held
 * the acks of the commands behind it.
 */
export async function readPointerTextAsync(dataDir: string): Promise<string | null> {
  try {
    return await readFile(join(dataDir, POINTER), 'utf8');
  } catch (error) {
    return missing(error);
  }
}

function missing(error: unknown): null {
  if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
  throw error;
}

function parsePointer(dataDir: string, raw: string): Pointer {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    json = null;
  }
  const parsed = Pointer.safeParse(json);
  if (!parsed.success) {
    throw new KotaeError('store_mismatch', `${join(dataDir, POINTER)} is not a kotae index pointer`, undefined, { remedy: 'rebuild-index' });
  }
  return parsed.data;
}

/** What is published now: `index.json`, else a legacy store, else nothing. */
export function published(dataDir: string): Published | null {
  const raw = readPointerText(dataDir);
  if (raw !== null) return { pointer: parsePointer(dataDir, raw), raw };
  if (existsSync(metaPath(dataDir, LEGACY))) return { pointer: { generation: LEGACY, retired: [] }, raw: null };
  return null;
}

export function readMeta(dataDir: string, generation: string): StoreMeta {
  const path = metaPath(dataDir, generation);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new KotaeError('not_found', `the published index ${generation} is missing under ${dataDir}`, undefined, { remedy: 'rebuild-index' });
    }
    json = null;
  }
  const parsed = StoreMeta.safeParse(json);
  if (!parsed.success) {
    throw new KotaeError('store_mismatch', `${path} is not a kotae store description`, undefined, { remedy: 'rebuild-index' });
  }
  if (parsed.data.schemaVersion !== SCHEMA_VERSION) {
    throw new KotaeError(
      'store_mismatch',
      `the store under ${dataDir} has layout ${parsed.data.schemaVersion}; this kotae uses ${SCHEMA_VERSION}`,
      undefined,
      { remedy: 'rebuild-index' },
    );
  }
  return parsed.data;
}

/** Write-then-rename: a crash never leaves a half-written file, and readers see old or new. */
function writeAtomically(path: string, text: string): void {
  const tmp = `${path}.${process.pid}-${randomBytes(3).toString('hex')}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/** Creates an empty, unpublished generation directory with its description. */
export function createGeneration(dataDir: string, meta: Omit<StoreMeta, 'schemaVersion' | 'createdAt'>): { generation: string; meta: StoreMeta } {
  const generation = `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  mkdirSync(generationDir(dataDir, generation), { recursive: true });
  const full: StoreMeta = { schemaVersion: SCHEMA_VERSION, createdAt: new Date().toISOString(), ...meta };
  writeAtomically(metaPath(dataDir, generation), JSON.stringify(full, null, 2));
  return { generation, meta: full };
}

/**
 * Makes `generation` the published index (one rename), retires the one it replaces and
 * deletes what no reader can still be using. The caller holds the ingest lock.
 */
export function publish(dataDir: string, generation: string, now: Date = new Date()): void {
  const before = published(dataDir)?.pointer ?? null;
  const retired = [...(before?.retired ?? [])];
  if (before && before.generation !== generation) retired.push({ generation: before.generation, at: now.toISOString() });
  const keep = retired.filter((r) => now.getTime() - Date.parse(r.at) < RETIRE_GRACE_MS);
  writeAtomically(join(dataDir, POINTER), JSON.stringify({ generation, retired: keep } satisfies Pointer, null, 2));
  removeUnused(dataDir);
}

/**
 * Deletes generations that are neither published nor retired within the grace period:
 * replaced long ago, or left half-built by a killed rebuild. The caller holds the ingest
 * lock, so no build is in progress.
 */
export function removeUnused(dataDir: string): void {
  const current = published(dataDir)?.pointer;
  if (!current || current.generation === LEGACY) return;
  const inUse = new Set([current.generation, ...current.retired.map((r) => r.generation)]);
  const root = join(dataDir, GENERATIONS);
  const dirs = existsSync(root) ? readdirSync(root) : [];
  for (const dir of dirs) if (!inUse.has(dir)) rmSync(join(root, dir), { recursive: true, force: true });
  if (!inUse.has(LEGACY)) {
    rmSync(lancedbDir(dataDir, LEGACY), { recursive: true, force: true });
    rmSync(metaPath(dataDir, LEGACY), { force: true });
  }
}
