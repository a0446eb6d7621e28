/**
 * The persistence port's contract, on the SQLite backend: a transaction that throws leaves
 * nothing; a write that meets another process's write lock waits on timers (the event loop
 * keeps running) and lands once the lock is released, or fails with DatabaseBusyError;
 * migrations apply once, also when two processes start together; and a database made by
 * kotae before migrations existed is adopted with its reviews.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DatabaseBusyError } from '../../src/errors.js';
import type { Database } from '../../src/store/database.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { openSqliteDatabase } from '../../src/store/sqlite.js';
import { getAuditTrail, getReview } from '../../src/review/queue.js';
import { openTestDatabase } from '../support/db.js';
import { killChildren, spawnTs } from '../support/spawn-ts.js';

const dirs: string[] = [];
const dbs: Database[] = [];
afterEach(async () => {
  killChildren();
  for (const db of dbs.splice(0)) await db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kotae-sqlite-'));
  dirs.push(dir);
  return join(dir, 'workflow.sqlite');
}

async function scratch(db: Database): Promise<void> {
  await db.run('CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)');
}

describe('SQLite backend of the persistence port', () => {
  it('rolls a transaction back when its work throws, and commits when it returns', async () => {
    const db = await openTestDatabase();
    await scratch(db);
    await expect(
      db.transaction(async (tx) => {
        await tx.run('INSERT INTO t (v) VALUES (?)', ['lost']);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await db.all('SELECT v FROM t')).toEqual([]);
    const id = await db.transaction(async (tx) => (await tx.get('INSERT INTO t (v) VALUES (?) RETURNING id', ['kept']))?.id);
    expect(typeof id).toBe('number');
    expect(await db.all('SELECT v FROM t')).toEqual([{ v: 'kept' }]);
    expect(await db.run('INSERT INTO t (v) VALUES (?) ON CONFLICT (v) DO NOTHING', ['kept'])).toBe(0);
  });

  it('does not interleave statements with a transaction that is awaiting', async () => {
    const db = await openTestDatabase();
    await scratch(db);
    let release!: () => void;
    const gate = new Promise<void>((done) => (release = done));
    const slow = db.transaction(async (tx) => {
      await tx.run('INSERT INTO t (v) VALUES (?)', ['in-tx']);
      await gate;
      throw new Error('undo');
    });
    // Issued while the transaction is open: must not join it (and be rolled back with it).
    const outside = db.run('INSERT INTO t (v) VALUES (?)', ['outside']);
    release();
    await expect(slow).rejects.toThrow('undo');
    await outside;
    expect(await db.all('SELECT v FROM t')).toEqual([{ v: 'outside' }]);
  });

  it('round-trips blobs as Buffer and integers as numbers', async () => {
    const db = await openTestDatabase();
    await db.run('INSERT INTO review_sheet_key (id, key) VALUES (1, ?)', [new Uint8Array([1, 2, 3])]);
    const row = await db.get('SELECT key, COUNT(*) AS n FROM review_sheet_key');
    expect(Buffer.isBuffer(row?.key)).toBe(true);
    expect([...(row?.key as Buffer)]).toEqual([1, 2, 3]);
    expect(row?.n).toBe(1);
  });

  it('keeps the event loop running while a statement runs (the connection is on its own thread)', async () => {
    const db = openSqliteDatabase(tempPath());
    dbs.push(db);
    // A statement that takes a while: counts to three million in a recursive CTE.
    const slow = db.get('WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000000) SELECT COUNT(*) AS c FROM n');
    let ticks = 0;
    let done = false;
    void slow.then(() => (done = true));
    while (!done) {
      await new Promise<void>((r) => setImmediate(r));
      if (!done) ticks++;
    }
    expect((await slow)?.c).toBe(3_000_000);
    // On the calling thread (better-sqlite3 is synchronous) not one other turn of the loop could run meanwhile.
    expect(ticks).toBeGreaterThan(10);
  });

  it('reports a constraint failure with the SQLite error code and keeps working after it', async () => {
    const db = openSqliteDatabase(tempPath());
    dbs.push(db);
    await scratch(db);
    await db.run('INSERT INTO t (v) VALUES (?)', ['once']);
    await expect(db.run('INSERT INTO t (v) VALUES (?)', ['once'])).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_UNIQUE' });
    expect(await db.all('SELECT v FROM t')).toEqual([{ v: 'once' }]);
  });

  it('names a database it cannot open on first use, not with a crash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kotae-sqlite-'));
    dirs.push(dir);
    // A directory where the database file should be.
    const db = openSqliteDatabase(dir);
    dbs.push(db);
    await expect(db.all('SELECT 1')).rejects.toThrow(/unable to open|directory/i);
  });

  it('waits for another process holding the write lock on timers, then writes', async () => {
    const path = tempPath();
    const db = openSqliteDatabase(path);
    dbs.push(db);
    await scratch(db);
    const holder = spawnTs('test/store/fixtures/hold-write-lock.ts', [path, '600']);
    expect(await holder.waitFor((l) => l === 'locked')).toBe('locked');
    const started = Date.now();
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    try {
      await db.transaction(async (tx) => {
        await tx.run('INSERT INTO t (v) VALUES (?)', ['after-lock']);
      });
    } finally {
      clearInterval(timer);
    }
    const waited = Date.now() - started;
    expect(await holder.waitFor((l) => l === 'released')).toBe('released');
    expect(waited).toBeGreaterThan(200);
    // The loop ran while the write waited: at least one tick per ~40 ms of waiting.
    expect(ticks).toBeGreaterThan(waited / 40);
    expect(await db.all('SELECT v FROM t')).toEqual([{ v: 'after-lock' }]);
  });

  it('gives up with DatabaseBusyError, having written nothing, when the lock outlasts the budget', async () => {
    const path = tempPath();
    const db = openSqliteDatabase(path, { busyRetryMs: 150 });
    dbs.push(db);
    await scratch(db);
    const holder = spawnTs('test/store/fixtures/hold-write-lock.ts', [path, '1500']);
    expect(await holder.waitFor((l) => l === 'locked')).toBe('locked');
    await expect(db.run('INSERT INTO t (v) VALUES (?)', ['x'])).rejects.toBeInstanceOf(DatabaseBusyError);
    await expect(db.transaction((tx) => tx.run('INSERT INTO t (v) VALUES (?)', ['y']))).rejects.toBeInstanceOf(DatabaseBusyError);
    await holder.exit;
    expect(await db.all('SELECT v FROM t')).toEqual([]);
  });

  it('refuses a statement on the database from inside its own transaction instead of deadlocking', async () => {
    const db = await openTestDatabase();
    await scratch(db);
    await expect(db.transaction(async () => db.run('INSERT INTO t (v) VALUES (?)', ['nested']))).rejects.toThrow(/inside a transaction/);
  });

  it('applies migrations once: running them again changes nothing', async () => {
    const db = await openTestDatabase();
    const before = await db.all('SELECT id, applied_at FROM schema_migrations ORDER BY id');
    expect(before.map((r) => r.id)).toEqual(MIGRATIONS.map((m) => m.id));
    await db.migrate(MIGRATIONS);
    expect(await db.all('SELECT id, applied_at FROM schema_migrations ORDER BY id')).toEqual(before);
  });

  it('two processes migrating the same new database at once both succeed, each migration applied once', async () => {
    const path = tempPath();
    const startAt = String(Date.now() + 1500);
    const a = spawnTs('test/store/fixtures/migrate-child.ts', [path, startAt]);
    const b = spawnTs('test/store/fixtures/migrate-child.ts', [path, startAt]);
    const [ea, eb] = await Promise.all([a.exit, b.exit]);
    expect([ea.code, eb.code, ea.stderr, eb.stderr]).toEqual([0, 0, '', '']);
    const db = openSqliteDatabase(path);
    dbs.push(db);
    const rows = await db.all('SELECT id FROM schema_migrations ORDER BY id');
    expect(rows.map((r) => r.id)).toEqual(MIGRATIONS.map((m) => m.id));
  }, 30_000);
});

describe('adopting a database made before migrations', () => {
  // The review tables as kotae created them before this change (CREATE TABLE IF NOT
  // EXISTS on every start), in the older shape without location/item_ref.
  const LEGACY = `
CREATE TABLE reviews (
  id INTEGER PRIMARY KEY AUTOINCREMENT, product TEXT NOT NULL, question TEXT NOT NULL,
  state TEXT NOT NULL, version INTEGER NOT NULL, answer TEXT NOT NULL, status TEXT NOT NULL,
  draft_json TEXT NOT NULL, abstained INTEGER NOT NULL, asked_by TEXT, channel TEXT, job_id TEXT,
  row_key TEXT, corpus_version INTEGER NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL, approved_by TEXT, approved_at TEXT, note TEXT);
CREATE TABLE review_citations (review_id INTEGER NOT NULL REFERENCES reviews(id), passage_id TEXT NOT NULL,
  PRIMARY KEY (review_id, passage_id)) WITHOUT ROWID;
CREATE TABLE review_audit (seq INTEGER PRIMARY KEY AUTOINCREMENT, review_id INTEGER NOT NULL REFERENCES reviews(id),
  action TEXT NOT NULL, from_state TEXT, to_state TEXT NOT NULL, from_version INTEGER, to_version INTEGER NOT NULL,
  actor TEXT NOT NULL, at TEXT NOT NULL, before_text TEXT, after_text TEXT NOT NULL, before_status TEXT,
  after_status TEXT NOT NULL, corpus_version INTEGER NOT NULL, note TEXT);
CREATE UNIQUE INDEX reviews_job_row_idx ON reviews(job_id, row_key) WHERE job_id IS NOT NULL AND row_key IS NOT NULL;
CREATE TABLE slack_events (event_id TEXT PRIMARY KEY, state TEXT NOT NULL, started_at INTEGER NOT NULL,
  done_at INTEGER, attempts INTEGER NOT NULL DEFAULT 1);
`;
  const draft = {
    question: 'Is data encrypted at rest?',
    product: 'acme',
    lang: 'en',
    draft: 'Yes, with AES-256.',
    status: 'yes',
    confidence: 0.95,
    citations: [],
    abstained: false,
    needsHuman: false,
    reason: '',
    drafter: 'extractive',
    fallback: null,
    corpusVersion: 3,
  };

  it('keeps the reviews and audit of an old database and adds the new columns', async () => {
    const path = tempPath();
    const legacy = new BetterSqlite3(path);
    legacy.exec(LEGACY);
    const at = '2026-01-02T03:04:05.000Z';
    legacy
      .prepare(
        `INSERT INTO reviews (product, question, state, version, answer, status, draft_json, abstained, asked_by, corpus_version, created_at, updated_at, updated_by, approved_by, approved_at)
         VALUES ('acme', ?, 'approved', 2, ?, 'yes', ?, 0, 'U1', 3, ?, ?, 'U2', 'U2', ?)`,
      )
      .run(draft.question, draft.draft, JSON.stringify(draft), at, at, at);
    legacy
      .prepare(`INSERT INTO review_audit (review_id, action, to_state, to_version, actor, at, after_text, after_status, corpus_version) VALUES (1, 'approve', 'approved', 2, 'U2', ?, ?, 'yes', 3)`)
      .run(at, draft.draft);
    // Bulk rows: the first review of a row, and its third generation (then a `~N` key suffix).
    const bulkRow = (rowKey: string) =>
      legacy
        .prepare(
          `INSERT INTO reviews (product, question, state, version, answer, status, draft_json, abstained, job_id, row_key, corpus_version, created_at, updated_at, updated_by)
           VALUES ('acme', ?, 'drafted', 1, ?, 'yes', ?, 0, 'bulk-1', ?, 3, ?, ?, 'kotae:extractive')`,
        )
        .run(draft.question, draft.draft, JSON.stringify(draft), rowKey, at, at);
    bulkRow('q-0123456789abcdef0123');
    bulkRow('q-0123456789abcdef0123~2');
    legacy.close();

    const db = openSqliteDatabase(path);
    dbs.push(db);
    await db.migrate(MIGRATIONS);
    const review = await getReview(db, '1');
    expect(review).toMatchObject({ state: 'approved', answer: draft.draft, approvedBy: 'U2', location: null, itemRef: null });
    expect((await getAuditTrail(db, '1')).map((e) => e.action)).toEqual(['approve']);
    // The generation left the key for its own column.
    expect(await getReview(db, '2')).toMatchObject({ jobId: 'bulk-1', rowKey: 'q-0123456789abcdef0123', generation: 0 });
    expect(await getReview(db, '3')).toMatchObject({ jobId: 'bulk-1', rowKey: 'q-0123456789abcdef0123', generation: 2 });
    // The append-only triggers are in place on the adopted table too.
    await expect(db.run('DELETE FROM review_audit')).rejects.toThrow(/append-only/);
  });
});
