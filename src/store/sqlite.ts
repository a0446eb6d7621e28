/**
 * The SQLite backend of the persistence port (database.ts): embedded, the default, one
 * machine. better-sqlite3 runs on a thread of its own (sqlite-thread.ts), so its
 * synchronous calls and each commit's fsync never hold up the event loop.
 *
 * This process shares that one connection, so:
 * - a statement that finds another process holding the write lock must not wait inside
 *   the call (the whole event loop would wait with it): busy_timeout is 0, a locked
 *   write fails at once with SQLITE_BUSY having changed nothing, and it is retried here
 *   with backoff on timers (10 ms doubling, at most 250 ms) until the budget runs out,
 *   then DatabaseBusyError. (In WAL mode reads never wait for a writer.)
 * - an async transaction must not interleave with other statements on the connection
 *   (they would silently join it): every statement and every transaction goes through one
 *   async mutex; a transaction holds it from BEGIN IMMEDIATE to COMMIT/ROLLBACK.
 *   Statements inside `work` go through its `tx`; calling the database itself from inside
 *   `work` would wait for its own transaction, so it throws instead.
 *
 * Migrations accept `ALTER TABLE t ADD COLUMN IF NOT EXISTS c …` (PostgreSQL's syntax,
 * which SQLite lacks): the runner checks the table's columns and adds the column only when
 * it is missing, so a migration can adopt databases created before it by older kotae.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DatabaseBusyError } from '../errors.js';
import type { Database, Migration, Sql, SqlRow, SqlValue } from './database.js';
import { ScopedStorage } from './scoped-storage.js';
import { SqliteCallError, SqliteThread } from './sqlite-thread.js';

/** How long a statement or transaction keeps retrying while another process holds the write lock. */
export const DEFAULT_BUSY_RETRY_MS = 10_000;

export interface SqliteOptions {
  /** Retry budget for SQLITE_BUSY (default DEFAULT_BUSY_RETRY_MS). */
  busyRetryMs?: number;
}

/** SQLITE_BUSY (and its extended codes): another connection holds the lock; nothing was written. */
function isBusy(error: unknown): boolean {
  return error instanceof SqliteCallError && error.code.startsWith('SQLITE_BUSY');
}

/** A FIFO lock on timers: whoever holds it runs alone on the connection. */
class Mutex {
  private tail: Promise<void> = Promise.resolve();

  async run<T>(work: () => Promise<T> | T): Promise<T> {
    const before = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((done) => (release = done));
    await before;
    try {
      return await work();
    } finally {
      release();
    }
  }
}

const ADD_COLUMN_IF_MISSING = /ALTER\s+TABLE\s+(\w+)\s+ADD\s+COLUMN\s+IF\s+NOT\s+EXISTS\s+(\w+)([^;]*);/giu;

class SqliteDatabase implements Database {
  readonly dialect = 'sqlite' as const;
  private readonly mutex = new Mutex();
  /** Set while `work` of a transaction runs, to refuse the nested call that would deadlock. */
  private readonly inTransaction = new ScopedStorage<true>();
  private readonly busyRetryMs: number;
  private closed = false;

  constructor(
    private readonly conn: SqliteThread,
    options: SqliteOptions,
  ) {
    this.busyRetryMs = options.busyRetryMs ?? DEFAULT_BUSY_RETRY_MS;
  }

  private async allNow(sql: string, params: readonly SqlValue[]): Promise<SqlRow[]> {
    return (await this.conn.statement(sql, params)).rows;
  }

  private async runNow(sql: string, params: readonly SqlValue[]): Promise<number> {
    const result = await this.conn.statement(sql, params);
    return result.reader ? result.rows.length : result.changes;
  }

  /** Runs `attempt` under the mutex; while it fails with SQLITE_BUSY, again after a pause with the mutex released. */
  private async retrying<T>(attempt: () => Promise<T> | T): Promise<T> {
    if (this.closed) throw new Error('the workflow database is closed');
    if (this.inTransaction.getStore()) {
      throw new Error('a statement or transaction was started on the database inside a transaction; use its tx');
    }
    const started = Date.now();
    for (let n = 0; ; n++) {
      try {
        return await this.mutex.run(attempt);
      } catch (error) {
        if (!isBusy(error)) throw error;
        const waited = Date.now() - started;
        if (waited >= this.busyRetryMs) throw new DatabaseBusyError(waited, { cause: error });
        const pause = Math.min(250, 10 * 2 ** n);
        await sleep(Math.min(pause * (0.5 + Math.random() / 2), Math.max(1, this.busyRetryMs - waited)));
      }
    }
  }

  all(sql: string, params: readonly SqlValue[] = []): Promise<SqlRow[]> {
    return this.retrying(() => this.allNow(sql, params));
  }

  async get(sql: string, params: readonly SqlValue[] = []): Promise<SqlRow | undefined> {
    return (await this.all(sql, params))[0];
  }

  run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return this.retrying(() => this.runNow(sql, params));
  }

  transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T> {
    return this.retrying(() => this.transactionNow(work));
  }

  /** One attempt, under the mutex: BEGIN IMMEDIATE, work, COMMIT; anything thrown rolls back. */
  private async transactionNow<T>(work: (tx: Sql) => Promise<T>): Promise<T> {
    await this.conn.exec('BEGIN IMMEDIATE');
    let open = true;
    const live = (): void => {
      if (!open) throw new Error('a transaction handle was used after its transaction ended');
    };
    const tx: Sql = {
      all: async (sql, params = []) => (live(), this.allNow(sql, params)),
      get: async (sql, params = []) => (live(), (await this.allNow(sql, params))[0]),
      run: async (sql, params = []) => (live(), this.runNow(sql, params)),
    };
    try {
      const result = await this.inTransaction.run(true, () => work(tx));
      await this.conn.exec('COMMIT');
      open = false;
      return result;
    } catch (error) {
      open = false;
      await this.conn.rollback();
      throw error;
    }
  }

  async migrate(migrations: readonly Migration[]): Promise<void> {
    await this.run('CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
    const ids = new Set<string>();
    for (const m of migrations) {
      if (ids.has(m.id)) throw new Error(`migration ${m.id} is listed twice`);
      ids.add(m.id);
    }
    for (const m of [...migrations].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
      // Re-checked inside the write lock: another process may have applied it meanwhile.
      await this.transaction(async (tx) => {
        if (await tx.get('SELECT id FROM schema_migrations WHERE id = ?', [m.id])) return;
        await this.conn.exec(await this.adoptingColumns(m.sqlite));
        await tx.run('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)', [m.id, new Date().toISOString()]);
      });
    }
  }

  /** `ADD COLUMN IF NOT EXISTS` (see the header): kept when the column is missing, dropped when it is there. */
  private async adoptingColumns(ddl: string): Promise<string> {
    const present = new Map<string, boolean>();
    for (const [, table = '', column = ''] of ddl.matchAll(ADD_COLUMN_IF_MISSING)) {
      const columns = await this.allNow('SELECT name FROM pragma_table_info(?)', [table]);
      present.set(`${table}.${column}`, columns.some((c) => c.name === column));
    }
    return ddl.replace(ADD_COLUMN_IF_MISSING, (_all, table: string, column: string, rest: string) =>
      present.get(`${table}.${column}`) === true ? '' : `ALTER TABLE ${table} ADD COLUMN ${column}${rest};`,
    );
  }

  async close(): Promise<void> {
    // Waits for a transaction under way, so a close never cuts one off.
    await this.mutex.run(async () => {
      if (this.closed) return;
      this.closed = true;
      await this.conn.close();
    });
  }
}

/** Opens (creating if needed) a SQLite database file, or a private in-memory one for ':memory:'. */
export function openSqliteDatabase(path: string, options: SqliteOptions = {}): Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  return new SqliteDatabase(new SqliteThread(path), options);
}
