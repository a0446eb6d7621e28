/**
 * Ingestion: manifest → parsers → embedder → store. Incremental and idempotent: a file is
 * re-parsed only when its bytes, its manifest entry or the parser version changed; a file
 * that left the manifest loses its rows. One bad file is reported and skipped; the rest
 * still land.
 *
 * Order under the ingest lock, so that the answer library never disagrees with the review
 * record: files land → answers citing changed passages are marked stale in the record
 * (`onChanged`) → the library is made to match the record as it is at that moment
 * (`approved`). An approval committed before that read is in the library; one committed
 * after it updates the library itself once the lock is free (see store/library.ts).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ManifestEntry, Passage } from './domain.js';
import { noEmbedder, type Embedder } from './embed/embedder.js';
import { KotaeError } from './errors.js';
import { loadManifest } from './corpus/manifest.js';
import { PARSER_VERSION, parseDocument } from './corpus/index.js';
import { fileKey, type PassageStore } from './store/store.js';
import { searchText } from './store/schema.js';
import { withLock } from './store/lock.js';
import { INGEST_LOCK } from './store/lock-file.js';

export type FileAction = 'added' | 'updated' | 'unchanged' | 'removed' | 'failed';

export interface FileResult {
  file: string;
  product: string;
  action: FileAction;
  rows: number;
  error?: string;
}

export interface IngestReport {
  files: FileResult[];
  /** Passages that changed or disappeared (answers citing them go stale). */
  changedIds: string[];
  corpusVersion: number;
  failed: number;
}

export interface IngestProgress {
  done: number;
  total: number;
  file: string;
  action: FileAction;
}

export interface IngestOptions {
  corpusDir: string;
  store: PassageStore;
  embedder: Embedder;
  /**
   * Called once the files landed, before the library is reconciled, with the passages that
   * changed or disappeared and the corpus version: where the record marks answers citing
   * them stale.
   */
  onChanged?: (changedIds: string[], corpusVersion: number) => void | Promise<void>;
  /**
   * Reads the approved answers the review record holds, after `onChanged`: the index is
   * made to match them exactly (missing ones added, withdrawn ones removed).
   */
  approved?: () => Promise<Passage[]>;
  /**
   * Called with the passages of each added or changed file (never for unchanged ones): the
   * English renderings made when a model is configured (src/draft/translations.ts).
   */
  onChangedPassages?: (passages: Passage[]) => Promise<void>;
  onProgress?: (p: IngestProgress) => void;
}

function contentHash(entry: ManifestEntry, bytes: Uint8Array): string {
  return createHash('sha256')
    .update(`kotae-parser-${PARSER_VERSION}\n${JSON.stringify(entry)}\n`)
    .update(bytes)
    .digest('hex');
}

async function embedPassages(embedder: Embedder, passages: Passage[]): Promise<number[][]> {
  if (embedder.id === noEmbedder.id) return passages.map(() => []);
  return embedder.embed(passages.map(searchText));
}

function describe(error: unknown): string {
  if (error instanceof KotaeError) return error.message;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

export async function ingest(options: IngestOptions): Promise<IngestReport> {
  const { corpusDir, store, embedder } = options;
  return withLock(join(store.dataDir, INGEST_LOCK), async () => {
    const manifest = await loadManifest(corpusDir);
    const stored = await store.fileHashes();
    const results: FileResult[] = [];
    const changedIds: string[] = [];
    const total = manifest.length;
    const report = (result: FileResult): void => {
      results.push(result);
      options.onProgress?.({ done: results.length, total, file: result.file, action: result.action });
    };

    for (const entry of manifest) {
      const key = fileKey(entry.product, entry.file);
      try {
        const bytes = new Uint8Array(await readFile(join(corpusDir, entry.file)));
        const hash = contentHash(entry, bytes);
        if (stored.get(key) === hash) {
          report({ file: entry.file, product: entry.product, action: 'unchanged', rows: 0 });
          continue;
        }
        const passages = await parseDocument(entry, bytes);
        const vectors = await embedPassages(embedder, passages);
        const change = await store.replaceFile(entry.product, entry.file, hash, passages, vectors);
        changedIds.push(...change.changedIds);
        await options.onChangedPassages?.(passages);
        report({ file: entry.file, product: entry.product, action: stored.has(key) ? 'updated' : 'added', rows: change.rows });
      } catch (error) {
        report({ file: entry.file, product: entry.product, action: 'failed', rows: 0, error: describe(error) });
      }
    }

    const declared = new Set(manifest.map((e) => fileKey(e.product, e.file)));
    for (const key of stored.keys()) {
      if (declared.has(key)) continue;
      const [product = '', file = ''] = key.split('\u0000');
      changedIds.push(...(await store.removeFile(product, file)));
      results.push({ file, product, action: 'removed', rows: 0 });
    }

    // A rebuild starts from an empty index: what changed is measured against the published one.
    if (store.isRebuild) changedIds.push(...(await store.changedSincePublished()));
    if (results.some((r) => r.action !== 'unchanged')) await store.buildIndexes();
    await options.onChanged?.(changedIds, await store.version());

    if (options.approved) {
      const ids = await store.idsOfKind('approved');
      // A row stored twice (a write raced an older version's ingest) is removed and re-added once.
      const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
      await store.removeIds([...new Set(twice)]);
      const indexed = new Set(ids.filter((id) => !twice.includes(id)));
      const wanted = new Map((await options.approved()).map((p) => [p.id, p]));
      const missing = [...wanted.values()].filter((p) => !indexed.has(p.id));
      const withdrawn = [...indexed].filter((id) => !wanted.has(id));
      if (missing.length > 0) await store.upsert(missing, await embedPassages(embedder, missing));
      await store.removeIds(withdrawn);
    }

    return {
      files: results,
      changedIds,
      corpusVersion: await store.version(),
      failed: results.filter((r) => r.action === 'failed').length,
    };
  });
}
