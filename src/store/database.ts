/**
 * The persistence port: the one interface every repository (reviews and audit, bulk
 * checkpoints, draft and rewrite caches, the Slack event log, translations) talks to.
 * Two backends implement it: SQLite (embedded, the default, one machine) and PostgreSQL
 * (`KOTAE_DATABASE_URL=postgres://…`, for several bot replicas). Repositories write one
 * SQL text that both run, so the schema, the state transitions and the tests are shared.
 *
 * Why async: on PostgreSQL every call is network I/O, and on SQLite a write that finds
 * another process holding the lock must wait on timers, not inside a synchronous call;
 * either way nothing on the Slack path may block the event loop.
 *
 * The SQL both backends accept (the contract repositories are written to):
 * - placeholders are `?`, bound in order (the PostgreSQL backend numbers them);
 * - `INSERT … RETURNING`, `INSERT … ON CONFLICT (…) DO UPDATE SET x = excluded.x` / `DO NOTHING`;
 * - `LIMIT ? OFFSET ?`; no `INSERT OR IGNORE`, no `json_each`, no SQLite pragmas;
 * - integers come back as JS numbers (PostgreSQL BIGINT/COUNT included), blobs as Buffer,
 *   text as string; booleans are stored as INTEGER 0/1; times as ISO-8601 TEXT.
 * DDL differs between the engines (identity columns, triggers, BLOB/BYTEA), so each
 * migration carries both texts.
 */

export type SqlValue = string | number | bigint | null | Uint8Array;
export type SqlRow = Record<string, unknown>;

/** Statements, inside or outside a transaction. */
export interface Sql {
  /** Every row of a query (or of a statement with RETURNING). */
  all(sql: string, params?: readonly SqlValue[]): Promise<SqlRow[]>;
  /** The first row, or undefined. */
  get(sql: string, params?: readonly SqlValue[]): Promise<SqlRow | undefined>;
  /** A statement without rows; resolves to how many rows it changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
}

export type Dialect = 'sqlite' | 'postgres';

/** One schema step. `id`s sort in the order they apply (e.g. `0001-reviews`) and never change once released. */
export interface Migration {
  id: string;
  sqlite: string;
  postgres: string;
}

export interface Database extends Sql {
  readonly dialect: Dialect;
  /**
   * Runs `work` in one transaction that sees and writes a consistent snapshot (SQLite:
   * BEGIN IMMEDIATE; PostgreSQL: SERIALIZABLE or row locks). When the engine reports a
   * conflict that left nothing written (SQLITE_BUSY, serialization failure, deadlock) the
   * whole `work` runs again after a short pause on a timer, so `work` must only touch the
   * database through `tx`; after the retry budget it fails with DatabaseBusyError.
   * Transactions do not nest.
   */
  transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T>;
  /** Applies the migrations not yet applied, in id order, each in its own transaction; safe when several processes start at once. */
  migrate(migrations: readonly Migration[]): Promise<void>;
  close(): Promise<void>;
}

/** `(?, ?, …)` for a list bound one value per placeholder (the portable form of an IN list). */
export function placeholders(n: number): string {
  if (n < 1) throw new Error('an IN list needs at least one value');
  return `(${Array.from({ length: n }, () => '?').join(', ')})`;
}
