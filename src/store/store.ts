/**
 * The search index: one LanceDB table of passages per index generation (see
 * generations.ts), the published one named by `<dataDir>/index.json`.
 *
 * Every write is one LanceDB commit (a new table version), so a process killed mid-ingest
 * leaves the previous version intact and readable; a --rebuild writes a new generation
 * that is published only when complete. A store opened for reading follows the published
 * generation: each operation first checks `index.json`, so a running bot moves to a rebuilt
 * index without a restart. Per-file state (the content hash) lives in the rows themselves,
 * so there is no second record that could disagree with them.
 */
import { join } from 'node:path';
import * as lancedb from '@lancedb/lancedb';
import type { Passage } from '../domain.js';
import type { Embedder } from '../embed/embedder.js';
import { KotaeError, StoreMismatchError } from '../errors.js';
import { APPROVAL_COLUMN, PASSAGES_TABLE, fromRow, passageSchema, sqlString, toRow, type PassageRow } from './schema.js';
import type { Tagger } from '../retrieve/tags.js';
import { checkDataDir } from './data-dir.js';
import { createGeneration, lancedbDir, publish, published, readMeta, readPointerText, readPointerTextAsync, type StoreMeta } from './generations.js';
import { INGEST_LOCK } from './lock-file.js';
import { withLock } from './lock.js';
import { inSlices } from '../work-queue.js';

const hasColumn = async (table: lancedb.Table, name: string): Promise<boolean> => (await table.schema()).fields.some((f) => f.name === name);

/**
 * Gives a table made before approvals kept their fields the nullable column for them (one
 * commit, existing rows null), so an approval written now keeps its fields; no-op when present.
 */
async function addApprovalColumn(table: lancedb.Table): Promise<void> {
  if (!(await hasColumn(table, APPROVAL_COLUMN))) await table.addColumns([{ name: APPROVAL_COLUMN, valueSql: 'CAST(NULL AS STRING)' }]);
}

/** How long creating the very first index waits for another process doing the same. */
const CREATE_LOCK_WAIT_MS = 30_000;

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
  /**
   * Passages per product, only for products no larger than SCAN_LIMIT, each loaded when first
   * asked about: a process that only lists the products (the bot's Slack thread, whose
   * questions are answered on the ask thread) never holds the rows.
   */
  small: Map<string, Promise<Passage[]>>;
  sizes: Map<string, number>;
  table: lancedb.Table;
}

/** One opened generation: its description and table. */
interface Opened {
  generation: string;
  meta: StoreMeta;
  table: lancedb.Table;
  /** The `index.json` text it was opened under (null: legacy dir, or a rebuild not yet published). */
  pointer: string | null;
}

async function openTable(dataDir: string, generation: string, meta: StoreMeta, create: boolean): Promise<lancedb.Table> {
  // readConsistencyInterval 0: readers always see the latest committed version, so the bot
  // picks up a concurrent incremental ingest or approval without restarting.
  const db = await lancedb.connect(lancedbDir(dataDir, generation), { readConsistencyInterval: 0 });
  if (create) return db.createEmptyTable(PASSAGES_TABLE, passageSchema(meta.dimensions), { existOk: true });
  if (!(await db.tableNames()).includes(PASSAGES_TABLE)) {
    throw new KotaeError('not_found', `the index under ${dataDir} has no passages table`, undefined, { remedy: 'rebuild-index' });
  }
  return db.openTable(PASSAGES_TABLE);
}

/** The corpus version a generation has reached (its base plus the table version). */
async function reachedVersion(opened: Pick<Opened, 'meta' | 'table'>): Promise<number> {
  return opened.meta.versionBase + (await opened.table.version());
}

export class PassageStore {
  private snapshot: Snapshot | null = null;
  /** The snapshot being loaded, shared by the callers that need it meanwhile. */
  private loading: { version: number; snapshot: Promise<Snapshot> } | null = null;
  /** A switch to a newly published generation in progress, shared by concurrent callers. */
  private switching: Promise<Opened> | null = null;
  /** A version check in progress, shared by concurrent callers (see check). */
  private checking: Promise<{ opened: Opened; version: number }> | null = null;

  private constructor(
    readonly dataDir: string,
    private readonly embedderId: string,
    private opened: Opened,
    /** A rebuild in progress: bound to its own generation until publish(). */
    private building: boolean,
    /**
     * The concept tagger, needed only to write: the shipped one is imported and made on first
     * write, so a process that only reads (the bot's Slack thread) never loads the lexicon.
     */
    private readonly tagger: () => Promise<Tagger>,
  ) {}

  /**
   * Opens the published index for reading (it must exist) or writing (created when
   * missing). `rebuild` starts a new, empty generation instead, bound to this store and
   * invisible to everyone else until `publish()`: the way to switch embedders or start
   * over without readers ever seeing an empty index. The caller holds the ingest lock from
   * open to publish (runIngest does).
   */
  static async open(
    dataDir: string,
    embedder: Embedder,
    options: { write?: boolean; rebuild?: boolean; tagger?: Tagger } = {},
  ): Promise<PassageStore> {
    checkDataDir(dataDir);
    const given = options.tagger;
    const tag = given ? (): Promise<Tagger> => Promise.resolve(given) : async (): Promise<Tagger> => (await import('../retrieve/tags.js')).defaultTagger();
    if (options.rebuild) {
      // Versions continue from the replaced index, whichever embedder built it.
      const before = await PassageStore.readablePublished(dataDir);
      const versionBase = before ? await reachedVersion(before) : 0;
      const { generation, meta } = createGeneration(dataDir, { embedder: embedder.id, dimensions: embedder.dimensions, versionBase });
      const table = await openTable(dataDir, generation, meta, true);
      return new PassageStore(dataDir, embedder.id, { generation, meta, table, pointer: null }, true, tag);
    }
    if (!published(dataDir)) {
      if (!options.write) throw new KotaeError('not_found', `no kotae store under ${dataDir}`, 'run `npm run ingest` first (or set KOTAE_DATA_DIR).');
      await withLock(
        join(dataDir, INGEST_LOCK),
        async () => {
          if (published(dataDir)) return; // another process created it meanwhile
          const { generation, meta } = createGeneration(dataDir, { embedder: embedder.id, dimensions: embedder.dimensions, versionBase: 0 });
          await openTable(dataDir, generation, meta, true);
          publish(dataDir, generation);
        },
        { waitMs: CREATE_LOCK_WAIT_MS },
      );
    }
    const now = published(dataDir);
    if (!now) throw new KotaeError('not_found', `no kotae store under ${dataDir}`, 'run `npm run ingest` first (or set KOTAE_DATA_DIR).');
    const opened = await PassageStore.openGeneration(dataDir, now.pointer.generation, now.raw, embedder.id);
    return new PassageStore(dataDir, embedder.id, opened, false, tag);
  }

  /**
   * The published generation whatever embedder built it, or null when there is none or it
   * cannot be read (an older layout, a damaged pointer): what a rebuild replaces.
   */
  private static async readablePublished(dataDir: string): Promise<Opened | null> {
    try {
      const before = published(dataDir);
      return before ? await PassageStore.openGeneration(dataDir, before.pointer.generation, before.raw, null) : null;
    } catch (error) {
      if (error instanceof KotaeError) return null;
      throw error;
    }
  }

  /** Opens one generation; with `embedderId`, refuses one built by another embedder. */
  private static async openGeneration(dataDir: string, generation: string, pointer: string | null, embedderId: string | null): Promise<Opened> {
    const meta = readMeta(dataDir, generation);
    if (embedderId !== null && meta.embedder !== embedderId) throw new StoreMismatchError(meta.embedder, embedderId);
    return { generation, meta, table: await openTable(dataDir, generation, meta, false), pointer };
  }

  /**
   * The generation to use now. A following store re-reads `index.json` (one small file
   * read) and moves to a newly published generation; a rebuild stays on its own.
   */
  private async live(): Promise<Opened> {
    if (this.building) return this.opened;
    const raw = await readPointerTextAsync(this.dataDir);
    if (raw === this.opened.pointer || raw === null) return this.opened;
    if (!this.switching) {
      const next = (async (): Promise<Opened> => {
        const now = published(this.dataDir);
        if (!now) return this.opened;
        const opened = await PassageStore.openGeneration(this.dataDir, now.pointer.generation, now.raw, this.embedderId);
        // The old table is not closed: a read that started on it may still be running, and
        // its files stay on disk for RETIRE_GRACE_MS.
        this.opened = opened;
        this.snapshot = null;
        return opened;
      })();
      this.switching = next;
      const clear = (): void => {
        if (this.switching === next) this.switching = null;
      };
      next.then(clear, clear);
    }
    return this.switching;
  }

  /** The description of the index in use (embedder, vector size). */
  get meta(): StoreMeta {
    return this.opened.meta;
  }

  /** True for a --rebuild that is not published yet. */
  get isRebuild(): boolean {
    return this.building;
  }

  /**
   * Makes this rebuild the published index: readers move to it at their next operation,
   * and this store follows the published index from now on.
   */
  async publish(): Promise<void> {
    if (!this.building) return;
    await withLock(join(this.dataDir, INGEST_LOCK), async () => {
      publish(this.dataDir, this.opened.generation);
      this.opened = { ...this.opened, pointer: readPointerText(this.dataDir) };
      this.building = false;
    });
  }

  /**
   * For a rebuild: passages of the published index whose text is not in this one (changed
   * or gone), so that answers citing them are re-reviewed as after an incremental ingest.
   * Nothing when the published index cannot be read (an older layout being replaced).
   */
  async changedSincePublished(): Promise<string[]> {
    const old = this.building ? await PassageStore.readablePublished(this.dataDir) : null;
    if (!old) return [];
    const texts = async (table: lancedb.Table): Promise<Map<string, string>> => {
      const rows = (await table.query().where("kind != 'approved'").select(['id', 'text']).toArray()) as PassageRow[];
      return new Map(rows.map((r) => [r.id, r.text]));
    };
    const now = await texts(this.opened.table);
    return [...(await texts(old.table))].filter(([id, text]) => now.get(id) !== text).map(([id]) => id);
  }

  /**
   * The corpus version: names the corpus a draft was built from. Grows with every commit
   * and never goes back, also across rebuilds.
   */
  async version(): Promise<number> {
    return (await this.check()).version;
  }

  /**
   * The generation in use and the version it has reached, one check shared by the callers
   * that ask meanwhile: a question asks several times (products, rows, the draft's version),
   * twenty at once asked sixty times, and each check is a file read and a call into LanceDB
   * on the thread that runs it (on the bot's Slack thread, some 10% of its time under twenty
   * commands at once). A caller arriving while a check runs gets that check's answer.
   */
  private check(): Promise<{ opened: Opened; version: number }> {
    if (!this.checking) {
      const check = (async () => {
        const opened = await this.live();
        return { opened, version: await reachedVersion(opened) };
      })();
      this.checking = check;
      const clear = (): void => {
        if (this.checking === check) this.checking = null;
      };
      check.then(clear, clear);
    }
    return this.checking;
  }

  async count(filter?: string): Promise<number> {
    return (await this.live()).table.countRows(filter);
  }

  /** Content hash of every ingested file, keyed by product and source. */
  async fileHashes(): Promise<Map<string, string>> {
    const { table } = await this.live();
    const rows = await table
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
    const { table } = await this.live();
    const scope = `product = ${sqlString(product)} AND source = ${sqlString(source)} AND kind != 'approved'`;
    const before = new Map<string, string>();
    for (const row of (await table.query().where(scope).select(['id', 'text']).toArray()) as PassageRow[]) {
      before.set(row.id, row.text);
    }
    const tagger = await this.tagger();
    const rows = passages.map((p, i) => toRow(p, fileHash, vectors[i], tagger));
    const after = new Map(rows.map((r) => [r.id, r.text]));
    const changedIds = [...before.entries()].filter(([id, text]) => after.get(id) !== text).map(([id]) => id);
    if (rows.length === 0) {
      await table.delete(scope);
    } else {
      await table
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
    const { table } = await this.live();
    const scope = `product = ${sqlString(product)} AND source = ${sqlString(source)} AND kind != 'approved'`;
    const ids = ((await table.query().where(scope).select(['id']).toArray()) as PassageRow[]).map((r) => r.id);
    if (ids.length > 0) await table.delete(scope);
    return ids;
  }

  /** Inserts or replaces individual passages (approved answers), one commit. */
  async upsert(passages: Passage[], vectors: number[][]): Promise<void> {
    if (passages.length === 0) return;
    const { table } = await this.live();
    const tagger = await this.tagger();
    const rows = passages.map((p, i) => toRow(p, 'review', vectors[i], tagger));
    if (rows.some((r) => r.approval !== undefined)) await addApprovalColumn(table);
    await table.mergeInsert('id').whenMatchedUpdateAll().whenNotMatchedInsertAll().execute(rows);
  }

  async removeIds(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const { table } = await this.live();
    await table.delete(`id IN (${ids.map(sqlString).join(', ')})`);
  }

  async idsOfKind(kind: Passage['kind']): Promise<string[]> {
    const { table } = await this.live();
    const rows = (await table.query().where(`kind = ${sqlString(kind)}`).select(['id']).toArray()) as PassageRow[];
    return rows.map((r) => r.id);
  }

  /**
   * Per-version view of the products: their sizes, and the passages of the small ones.
   * Rebuilt only when the corpus version moves (an ingest, an approval elsewhere, a rebuild).
   */
  private async current(): Promise<Snapshot> {
    const { opened, version } = await this.check();
    if (this.snapshot?.version === version) return this.snapshot;
    // Questions arriving together after a start or an ingest share one load: each loaded the
    // 3,000 rows of a large product on its own (20 Slack commands: event loop held for seconds).
    if (this.loading?.version !== version) {
      const snapshot = this.load(opened.table, version);
      this.loading = { version, snapshot };
      const done = (): void => {
        if (this.loading?.snapshot === snapshot) this.loading = null;
      };
      snapshot.then((loaded) => {
        if (this.loading?.snapshot === snapshot) this.snapshot = loaded;
        done();
      }, done);
    }
    return this.loading.snapshot;
  }

  private async load(table: lancedb.Table, version: number): Promise<Snapshot> {
    const sizes = new Map<string, number>();
    for (const row of (await table.query().select(['product']).toArray()) as PassageRow[]) {
      sizes.set(row.product, (sizes.get(row.product) ?? 0) + 1);
    }
    return { version, small: new Map(), sizes, table };
  }

  /** A small product's rows at the snapshot's version, loaded once and shared by the questions that need them meanwhile. */
  private rowsOf(snapshot: Snapshot, product: string): Promise<Passage[]> {
    let rows = snapshot.small.get(product);
    if (!rows) {
      rows = (async () => {
        // A table made before approvals kept their fields has no such column to select.
        const approval = (await hasColumn(snapshot.table, APPROVAL_COLUMN)) ? [APPROVAL_COLUMN] : [];
        const found = await snapshot.table
          .query()
          .where(`product = ${sqlString(product)}`)
          .select(['id', 'product', 'kind', 'source', 'title', 'locator', 'line', 'page', 'section_path', 'ref', 'requirement', 'answer', 'status', ...approval])
          .toArray();
        // In slices: 3,000 rows held the thread for some 150 ms at once (Slack requests wait).
        return inSlices(found as PassageRow[], fromRow);
      })();
      snapshot.small.set(product, rows);
      // A failed read is not kept: the next question tries again.
      rows.catch(() => {
        if (snapshot.small.get(product) === rows) snapshot.small.delete(product);
      });
    }
    return rows;
  }

  async products(): Promise<string[]> {
    return [...(await this.current()).sizes.keys()].sort();
  }

  /** Every passage of a product small enough to rank exhaustively (≤ limit), else null. */
  async smallProduct(product: string, limit: number = SCAN_LIMIT): Promise<Passage[] | null> {
    const snapshot = await this.current();
    const size = snapshot.sizes.get(product) ?? 0;
    if (size === 0 || size > limit || size > SCAN_LIMIT) return null;
    return this.rowsOf(snapshot, product);
  }

  async getByIds(ids: string[]): Promise<Passage[]> {
    if (ids.length === 0) return [];
    const { table } = await this.live();
    const rows = await table.query().where(`id IN (${ids.map(sqlString).join(', ')})`).toArray();
    return (rows as PassageRow[]).map(fromRow);
  }

  /**
   * (Re)builds the full-text index and the product filter index. Rows added after the
   * last build are still searched (unindexed rows are scanned), so approvals need no rebuild.
   */
  async buildIndexes(): Promise<void> {
    const opened = await this.live();
    const { table } = opened;
    if ((await table.countRows()) === 0) return;
    await table.createIndex('text', { config: lancedb.Index.fts(FTS_OPTIONS), replace: true });
    await table.createIndex('product', { config: lancedb.Index.bitmap(), replace: true });
    await table.createIndex('concepts', { config: lancedb.Index.fts(TAG_OPTIONS), replace: true });
    if (opened.meta.dimensions > 0 && (await table.countRows()) >= 10_000) {
      await table.createIndex('vector', { config: lancedb.Index.ivfPq({ distanceType: 'cosine' }), replace: true });
    }
  }

  /** Weighted full-text search within one product. */
  async fullText(query: lancedb.FullTextQuery, product: string, limit: number): Promise<ScoredRow[]> {
    const { table } = await this.live();
    const rows = await table
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
    const opened = await this.live();
    const { table } = opened;
    if (opened.meta.dimensions === 0) return [];
    const rows = await table
      .query()
      .nearestTo(vector)
      .distanceType('cosine')
      .where(`product = ${sqlString(product)}`)
      .limit(limit)
      .toArray();
    return (rows as (PassageRow & { _distance: number })[]).map((r) => ({ passage: fromRow(r), score: 1 - r._distance }));
  }
}
