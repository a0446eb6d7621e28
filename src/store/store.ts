/**
 * The search index: one LanceDB table of passages under `<dataDir>/lancedb`, plus
 * `<dataDir>/store.json` recording which embedder built it.
 *
 * Every write is one LanceDB commit (a new table version), so a process killed mid-ingest
 * leaves the previous version intact and readable. Per-file state (the content hash) lives
 * in the rows themselves, so there is no second record that could disagree with them.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as lancedb from '@lancedb/lancedb';
import { z } from 'zod';
import type { Passage } from '../domain.js';
import type { Embedder } from '../embed/embedder.js';
import { KotaeError, StoreMismatchError } from '../errors.js';
import { PASSAGES_TABLE, fromRow, passageSchema, sqlString, toRow, type PassageRow } from './schema.js';
import { defaultTagger, type Tagger } from '../retrieve/tags.js';

/** Bumped when the table layout changes; an older store must be rebuilt. */
const SCHEMA_VERSION = 2;

const StoreMeta = z.object({
  schemaVersion: z.number().int(),
  embedder: z.string(),
  dimensions: z.number().int().nonnegative(),
  createdAt: z.string(),
});
type StoreMeta = z.infer<typeof StoreMeta>;

/** ngram 2–3 matches Japanese without a dictionary; the default tokenizer drops CJK text. */
const FTS_OPTIONS: Partial<lancedb.FtsOptions> = {
  baseTokenizer: 'ngram',
  ngramMinLength: 2,
  ngramMaxLength: 3,
  removeStopWords: false,
  stem: false,
  lowercase: true,
  asciiFolding: true,
  maxTokenLength: 10_000,
  withPosition: true,
};

/** Concept tags are whole tokens: split on spaces, nothing else. */
const TAG_OPTIONS: Partial<lancedb.FtsOptions> = {
  baseTokenizer: 'whitespace',
  lowercase: true,
  stem: false,
  removeStopWords: false,
  asciiFolding: false,
  withPosition: false,
};

export interface ScoredRow {
  passage: Passage;
  /** BM25 for full-text hits, similarity (1 - distance) for vector hits. */
  score: number;
}

export interface FileChange {
  /** Passages whose text changed or that disappeared: answers citing them must be re-reviewed. */
  changedIds: string[];
  rows: number;
}

export function fileKey(product: string, source: string): string {
  return `${product}\u0000${source}`;
}

/** Products of at most this many passages are held in memory and ranked exhaustively. */
export const SCAN_LIMIT = 3000;

interface Snapshot {
  version: number;
  /** Passages per product, only for products no larger than SCAN_LIMIT. */
  small: Map<string, Passage[]>;
  sizes: Map<string, number>;
}

export class PassageStore {
  private snapshot: Snapshot | null = null;

  private constructor(
    readonly dataDir: string,
    readonly meta: StoreMeta,
    private readonly table: lancedb.Table,
    private readonly tag: Tagger,
  ) {}

  /**
   * Opens the store for reading (it must exist) or writing (created when missing).
   * `rebuild` drops everything first: the way to switch embedders.
   */
  static async open(
    dataDir: string,
    embedder: Embedder,
    options: { write?: boolean; rebuild?: boolean; tagger?: Tagger } = {},
  ): Promise<PassageStore> {
    const metaPath = join(dataDir, 'store.json');
    const dbDir = join(dataDir, 'lancedb');
    if (options.rebuild) {
      rmSync(dbDir, { recursive: true, force: true });
      rmSync(metaPath, { force: true });
    }
    let meta: StoreMeta;
    if (existsSync(metaPath)) {
      const parsed = StoreMeta.safeParse(JSON.parse(readFileSync(metaPath, 'utf8')));
      if (!parsed.success) {
        throw new KotaeError('store_mismatch', `${metaPath} is not a kotae store description`, 're-run ingest with --rebuild.');
      }
      meta = parsed.data;
      if (meta.schemaVersion !== SCHEMA_VERSION) {
        throw new KotaeError('store_mismatch', `the store under ${dataDir} has layout ${meta.schemaVersion}; this kotae uses ${SCHEMA_VERSION}`, 're-run ingest with --rebuild (npm run ingest -- --rebuild).');
      }
      if (meta.embedder !== embedder.id) throw new StoreMismatchError(meta.embedder, embedder.id);
    } else if (options.write) {
      mkdirSync(dataDir, { recursive: true });
      meta = { schemaVersion: SCHEMA_VERSION, embedder: embedder.id, dimensions: embedder.dimensions, createdAt: new Date().toISOString() };
      // Write-then-rename: a crash never leaves a half-written description.
      writeFileSync(`${metaPath}.tmp`, JSON.stringify(meta, null, 2));
      renameSync(`${metaPath}.tmp`, metaPath);
    } else {
      throw new KotaeError('not_found', `no kotae store under ${dataDir}`, 'run `npm run ingest` first (or set KOTAE_DATA_DIR).');
    }
    // readConsistencyInterval 0: readers always see the latest committed version, so the bot
    // picks up a concurrent ingest without restarting.
    const db = await lancedb.connect(dbDir, { readConsistencyInterval: 0 });
    const names = await db.tableNames();
    const table = names.includes(PASSAGES_TABLE)
      ? await db.openTable(PASSAGES_TABLE)
      : await db.createEmptyTable(PASSAGES_TABLE, passageSchema(meta.dimensions), { existOk: true });
    return new PassageStore(dataDir, meta, table, options.tagger ?? defaultTagger());
  }

  /** The LanceDB table version: names the corpus a draft was built from. */
  version(): Promise<number> {
    return this.table.version();
  }

  count(filter?: string): Promise<number> {
    return this.table.countRows(filter);
  }

  /** Content hash of every ingested file, keyed by product and source. */
  async fileHashes(): Promise<Map<string, string>> {
    const rows = await this.table
      .query()
      .where("kind != 'approved'")
      .select(['product', 'source', 'file_hash'])
      .toArray();
    const out = new Map<string, string>();
    for (const row of rows as PassageRow[]) out.set(fileKey(row.product, row.source), row.file_hash);
    return out;
  }

  /**
   * Replaces exactly one file's passages in a single commit (insert new, update changed,
   * delete gone), and reports which previously stored passages changed or disappeared.
   */
  async replaceFile(
    product: string,
    source: string,
    fileHash: string,
    passages: Passage[],
    vectors: number[][],
  ): Promise<FileChange> {
    const scope = `product = ${sqlString(product)} AND source = ${sqlString(source)} AND kind != 'approved'`;
    const before = new Map<string, string>();
    for (const row of (await this.table.query().where(scope).select(['id', 'text']).toArray()) as PassageRow[]) {
      before.set(row.id, row.text);
    }
    const rows = passages.map((p, i) => toRow(p, fileHash, vectors[i], this.tag));
    const after = new Map(rows.map((r) => [r.id, r.text]));
    const changedIds = [...before.entries()].filter(([id, text]) => after.get(id) !== text).map(([id]) => id);
    if (rows.length === 0) {
      await this.table.delete(scope);
    } else {
      await this.table
        .mergeInsert('id')
        .whenMatchedUpdateAll()
        .whenNotMatchedInsertAll()
        .whenNotMatchedBySourceDelete({ where: scope })
        .execute(rows);
    }
    return { changedIds, rows: rows.length };
  }

  /** Removes a file that left the manifest; returns the ids that disappeared. */
  async removeFile(product: string, source: string): Promise<string[]> {
    const scope = `product = ${sqlString(product)} AND source = ${sqlString(source)} AND kind != 'approved'`;
    const ids = ((await this.table.query().where(scope).select(['id']).toArray()) as PassageRow[]).map((r) => r.id);
    if (ids.length > 0) await this.table.delete(scope);
    return ids;
  }

  /** Inserts or replaces individual passages (approved answers), one commit. */
  async upsert(passages: Passage[], vectors: number[][]): Promise<void> {
    if (passages.length === 0) return;
    const rows = passages.map((p, i) => toRow(p, 'review', vectors[i], this.tag));
    await this.table.mergeInsert('id').whenMatchedUpdateAll().whenNotMatchedInsertAll().execute(rows);
  }

  async removeIds(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.table.delete(`id IN (${ids.map(sqlString).join(', ')})`);
  }

  async idsOfKind(kind: Passage['kind']): Promise<string[]> {
    const rows = (await this.table.query().where(`kind = ${sqlString(kind)}`).select(['id']).toArray()) as PassageRow[];
    return rows.map((r) => r.id);
  }

  /**
   * Per-version view of the products: their sizes, and the passages of the small ones.
   * Rebuilt only when the table version moves (an ingest or an approval elsewhere).
   */
  private async current(): Promise<Snapshot> {
    const version = await this.table.version();
    if (this.snapshot?.version === version) return this.snapshot;
    const sizes = new Map<string, number>();
    for (const row of (await this.table.query().select(['product']).toArray()) as PassageRow[]) {
      sizes.set(row.product, (sizes.get(row.product) ?? 0) + 1);
    }
    const small = new Map<string, Passage[]>();
    const smallProducts = [...sizes].filter(([, n]) => n <= SCAN_LIMIT).map(([p]) => p);
    if (smallProducts.length > 0) {
      const rows = await this.table
        .query()
        .where(`product IN (${smallProducts.map(sqlString).join(', ')})`)
        .select(['id', 'product', 'kind', 'source', 'title', 'locator', 'line', 'page', 'section_path', 'ref', 'requirement', 'answer', 'status'])
        .toArray();
      for (const row of rows as PassageRow[]) {
        const passage = fromRow(row);
        small.set(passage.product, [...(small.get(passage.product) ?? []), passage]);
      }
    }
    this.snapshot = { version, small, sizes };
    return this.snapshot;
  }

  async products(): Promise<string[]> {
    return [...(await this.current()).sizes.keys()].sort();
  }

  /** Every passage of a product small enough to rank exhaustively (≤ limit), else null. */
  async smallProduct(product: string, limit: number = SCAN_LIMIT): Promise<Passage[] | null> {
    const snapshot = await this.current();
    if ((snapshot.sizes.get(product) ?? 0) > limit) return null;
    return snapshot.small.get(product) ?? null;
  }

  async getByIds(ids: string[]): Promise<Passage[]> {
    if (ids.length === 0) return [];
    const rows = await this.table.query().where(`id IN (${ids.map(sqlString).join(', ')})`).toArray();
    return (rows as PassageRow[]).map(fromRow);
  }

  /**
   * (Re)builds the full-text index and the product filter index. Rows added after the
   * last build are still searched (unindexed rows are scanned), so approvals need no rebuild.
   */
  async buildIndexes(): Promise<void> {
    if ((await this.table.countRows()) === 0) return;
    await this.table.createIndex('text', { config: lancedb.Index.fts(FTS_OPTIONS), replace: true });
    await this.table.createIndex('product', { config: lancedb.Index.bitmap(), replace: true });
    await this.table.createIndex('concepts', { config: lancedb.Index.fts(TAG_OPTIONS), replace: true });
    if (this.meta.dimensions > 0 && (await this.table.countRows()) >= 10_000) {
      await this.table.createIndex('vector', { config: lancedb.Index.ivfPq({ distanceType: 'cosine' }), replace: true });
    }
  }

  /** Weighted full-text search within one product. */
  async fullText(query: lancedb.FullTextQuery, product: string, limit: number): Promise<ScoredRow[]> {
    const rows = await this.table
      .query()
      .fullTextSearch(query)
      .where(`product = ${sqlString(product)}`)
      .limit(limit)
      .toArray();
    return (rows as (PassageRow & { _score: number })[]).map((r) => ({ passage: fromRow(r), score: r._score }));
  }

  /** Passages tagged with any of the concept tags, best BM25 first, within one product. */
  async byConcepts(tags: string[], product: string, limit: number): Promise<ScoredRow[]> {
    if (tags.length === 0) return [];
    return this.fullText(new lancedb.MatchQuery(tags.join(' '), 'concepts'), product, limit);
  }

  /** Nearest passages by cosine similarity within one product (only when vectors exist). */
  async nearest(vector: number[], product: string, limit: number): Promise<ScoredRow[]> {
    if (this.meta.dimensions === 0) return [];
    const rows = await this.table
      .query()
      .nearestTo(vector)
      .distanceType('cosine')
      .where(`product = ${sqlString(product)}`)
      .limit(limit)
      .toArray();
    return (rows as (PassageRow & { _distance: number })[]).map((r) => ({ passage: fromRow(r), score: 1 - r._distance }));
  }
}
