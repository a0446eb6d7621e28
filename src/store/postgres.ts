/**
 * The PostgreSQL backend of the persistence port (src/store/database.ts), for teams that run
 * several bot replicas against one shared database (`KOTAE_DATABASE_URL=postgres://…`).
 * Repositories write the port's one SQL dialect; this module makes PostgreSQL accept it:
 * `?` placeholders are numbered `$1…$n` (not inside quoted text, identifiers or comments),
 * BIGINT/NUMERIC results (COUNT, SUM) come back as JS numbers on this pool only (the
 * process-wide `pg.types` stay untouched, so another pg user in the process is unaffected),
 * booleans (a comparison, EXISTS) as 1/0 like SQLite's, and BYTEA comes back as Buffer.
 *
 * Transactions are SERIALIZABLE, retried whole on a serialization failure (40001) or a
 * deadlock (40P01) after a jittered pause on a timer. Why not READ COMMITTED with row locks:
 * the port's dialect is shared with SQLite, which has no `SELECT … FOR UPDATE`, so row locks
 * would mean a second SQL text in every repository; SERIALIZABLE gives the same guarantee as
 * SQLite's BEGIN IMMEDIATE (the outcome of some serial order) to the very same SQL. The cost
 * is retries under contention, which the port already promises callers (`work` touches the
 * database only through `tx`). A module that needs queue-like claiming (src/store/leases.ts)
 * adds `FOR UPDATE SKIP LOCKED` on its PostgreSQL branch.
 *
 * A lock another session holds (another kotae process mid-write, an operator's LOCK TABLE or
 * a long transaction) is waited for at most the busy budget: every connection sets
 * `lock_timeout` to it, and the server's "lock not available" (55P03) becomes the same
 * DatabaseBusyError SQLite's busy lock gives, so the CLI says "try again" (exit 6) and the bot
 * tells the asker, instead of a statement timing out as an unexpected error (or, without
 * a statement timeout, waiting for ever).
 *
 * Migrations: each pending one runs in its own READ COMMITTED transaction that first takes
 * one transaction-scoped advisory lock, so replicas starting together apply each migration
 * exactly once. READ COMMITTED, not SERIALIZABLE, on purpose: the check "is it applied?"
 * must see the row a replica committed while this one waited for the lock, and only a fresh
 * per-statement snapshot does.
 *
 * The URL is a secret (it carries the password): it is registered with the log redactor and
 * every error names the server only as the URL with its password masked.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import pg, { type CustomTypesConfig, type PoolClient, type QueryResult } from 'pg';
import { DatabaseBusyError, KotaeError } from '../errors.js';
import { registerSecret, type Logger } from '../log.js';
import type { Database, Migration, Sql, SqlRow, SqlValue } from './database.js';
import { ScopedStorage } from './scoped-storage.js';

export interface PostgresOptions {
  /** Connections this process keeps at most (default 10: a replica's concurrent Slack requests, well under the server's default 100 for a handful of replicas). */
  poolSize?: number;
  /** A statement running longer is cancelled by the server (default 15 s). */
  statementTimeoutMs?: number;
  /** How long a conflicting transaction keeps being retried, or a statement waits for another session's lock, before DatabaseBusyError (default 10 s). */
  busyTimeoutMs?: number;
  /** Shown in pg_stat_activity, so an operator can tell kotae's sessions apart (default "kotae"). */
  applicationName?: string;
  /** Where an idle connection's failure (a server restart) is reported; without it such an error would crash the process. */
  log?: Logger;
}

const SERIALIZATION_FAILURE = '40001';
const DEADLOCK_DETECTED = '40P01';
/** lock_timeout expired: another session held a lock this statement needed; nothing was written. */
const LOCK_NOT_AVAILABLE = '55P03';
/** One lock id for "kotae is migrating this database", shared by every replica (advisory locks are per database). */
const MIGRATION_LOCK_KEY = 'kotae.schema_migrations';

/**
 * Numbers the port's `?` placeholders as `$1…$n`, leaving alone a `?` inside a string
 * ('…', E'…', $tag$…$tag$), a quoted identifier ("…") or a comment (-- …, nested /* … *\/).
 */
export function numberPlaceholders(sql: string): { text: string; count: number } {
  let out = '';
  let count = 0;
  let i = 0;
  const copyUntil = (end: number): void => {
    out += sql.slice(i, end);
    i = end;
  };
  while (i < sql.length) {
    const c = sql[i];
    const next = sql[i + 1];
    if (c === '?') {
      out += `$${++count}`;
      i += 1;
    } else if (c === "'" || c === '"') {
      // A doubled quote inside is an escaped quote; E'…' strings also escape with a backslash.
      const escapes = c === "'" && i > 0 && /[eE]/.test(sql[i - 1] ?? '') && !/[A-Za-z0-9_]/.test(sql[i - 2] ?? '');
      let j = i + 1;
      while (j < sql.length) {
        if (escapes && sql[j] === '\\') j += 2;
        else if (sql[j] === c && sql[j + 1] === c) j += 2;
        else if (sql[j] === c) break;
        else j += 1;
      }
      copyUntil(Math.min(j + 1, sql.length));
    } else if (c === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      copyUntil(end === -1 ? sql.length : end);
    } else if (c === '/' && next === '*') {
      let depth = 0;
      let j = i;
      do {
        if (sql.startsWith('/*', j)) {
          depth += 1;
          j += 2;
        } else if (sql.startsWith('*/', j)) {
          depth -= 1;
          j += 2;
        } else j += 1;
      } while (depth > 0 && j < sql.length);
      copyUntil(j);
    } else if (c === '$' && !/[A-Za-z0-9_]/.test(sql[i - 1] ?? '')) {
      const tag = /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i))?.[0];
      if (tag) {
        const end = sql.indexOf(tag, i + tag.length);
        copyUntil(end === -1 ? sql.length : end + tag.length);
      } else copyUntil(i + 1);
    } else {
      copyUntil(i + 1);
    }
  }
  return { text: out, count };
}

/** The URL as it may be shown: the password masked; something unparsable is not echoed at all. */
export function describePostgresUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'KOTAE_DATABASE_URL (not a valid URL)';
  }
}

/** Masks the URL and its password wherever they appear in a message from the driver. */
function scrub(text: string, url: string): string {
  let out = text.split(url).join(describePostgresUrl(url));
  for (const secret of urlSecrets(url)) out = out.split(secret).join('***');
  return out;
}

function urlSecrets(url: string): string[] {
  try {
    const raw = new URL(url).password;
    return raw ? [...new Set([raw, decodeURIComponent(raw)])] : [];
  } catch {
    return [];
  }
}

/** Integers beyond 2^53 would silently lose digits as JS numbers: refuse them instead. */
function toSafeNumber(text: string): number {
  const value = Number(text);
  if (/^-?\d+$/.test(text) && !Number.isSafeInteger(value)) {
    throw new RangeError(`PostgreSQL returned ${text}, beyond the integers kotae can hold exactly (±${Number.MAX_SAFE_INTEGER})`);
  }
  return value;
}

const BOOL = 16;
const INT8 = 20;
const NUMERIC = 1700;
/** A comparison or EXISTS is a boolean in PostgreSQL but 1/0 in SQLite: the port's dialect says 1/0. */
const toBit = (text: string): number => (text === 't' ? 1 : 0);
const types: CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 || oid === NUMERIC ? toSafeNumber : oid === BOOL ? toBit : pg.types.getTypeParser(oid, format)) as CustomTypesConfig['getTypeParser'],
};

interface PgError {
  code?: string;
  message: string;
}
const sqlState = (err: unknown): string | undefined =>
  typeof err === 'object' && err !== null && typeof (err as PgError).code === 'string' ? (err as PgError).code : undefined;
const retryable = (err: unknown): boolean => {
  const code = sqlState(err);
  return code === SERIALIZATION_FAILURE || code === DEADLOCK_DETECTED || code === LOCK_NOT_AVAILABLE;
};

/**
 * Whether the failure is about reaching or logging in to the server rather than about a
 * statement: a socket error (ECONNREFUSED, ENOTFOUND…), SQLSTATE class 08 (connection),
 * 28 (authorisation), 3D000 (no such database), 57P0x (server shutting down / starting), 53300
 * (too many connections), or the driver's own "Connection terminated"/"timeout" errors.
 */
function isConnectionFailure(err: unknown): boolean {
  const code = sqlState(err) ?? '';
  if (/^(08|28)/.test(code) || ['3D000', '57P01', '57P02', '57P03', '53300'].includes(code)) return true;
  if (/^E[A-Z]+$/.test(code)) return true;
  const message = err instanceof Error ? err.message : '';
  return /Connection terminated|timeout exceeded when trying to connect|connect ECONN/i.test(message);
}

/** The server could not be reached or refused the login; the message names the server with the password masked. */
export class DatabaseUnreachableError extends KotaeError {
  override readonly name = 'DatabaseUnreachableError';
  constructor(err: unknown, url: string) {
    super(
      'upstream',
      `cannot reach the PostgreSQL database ${describePostgresUrl(url)}: ${scrub(err instanceof Error ? err.message : String(err), url)}`,
      'Check KOTAE_DATABASE_URL (host, port, user, password, database name) and that the server is running and accepts connections from this machine.',
    );
  }
}

export function openPostgresDatabase(url: string, options: PostgresOptions = {}): Database {
  for (const secret of [url, ...urlSecrets(url)]) registerSecret(secret);
  const busyTimeoutMs = options.busyTimeoutMs ?? 10_000;
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    statement_timeout: options.statementTimeoutMs ?? 15_000,
    // Within the statement timeout, so a lock wait ends as DatabaseBusyError (retrying), not as a cancelled statement.
    lock_timeout: busyTimeoutMs,
    // A replica killed mid-transaction must not keep its locks until TCP notices.
    idle_in_transaction_session_timeout: 60_000,
    application_name: options.applicationName ?? 'kotae',
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    types,
  });
  pool.on('error', (err) => options.log?.warn('a pooled PostgreSQL connection failed while idle', { error: scrub(err.message, url) }));
  let closed: Promise<void> | undefined;
  const ensureOpen = (): void => {
    if (closed) throw new Error('the PostgreSQL database was closed');
  };

  /** Runs one statement on `client` (or any pooled connection), numbering placeholders first. */
  async function query(client: pg.Pool | PoolClient, sql: string, params: readonly SqlValue[] = []): Promise<QueryResult<SqlRow>> {
    ensureOpen();
    const { text, count } = numberPlaceholders(sql);
    if (count !== params.length) throw new RangeError(`the statement has ${count} placeholders but ${params.length} values were given: ${sql}`);
    try {
      return await client.query<SqlRow>(text, [...params]);
    } catch (err) {
      throw isConnectionFailure(err) ? new DatabaseUnreachableError(err, url) : err;
    }
  }

  async function connect(): Promise<PoolClient> {
    ensureOpen();
    try {
      return await pool.connect();
    } catch (err) {
      throw new DatabaseUnreachableError(err, url);
    }
  }

  /** Runs `attempt` again while PostgreSQL reports a conflict that left nothing written, pausing on a timer with jitter. */
  async function retrying<T>(attempt: () => Promise<T>): Promise<T> {
    const started = Date.now();
    for (let tries = 0; ; tries += 1) {
      try {
        return await attempt();
      } catch (err) {
        if (!retryable(err)) throw err;
        const waited = Date.now() - started;
        if (waited >= busyTimeoutMs) throw new DatabaseBusyError(waited, { cause: err });
        // Exponential from 2 ms up to 100 ms, full jitter so two losers do not collide again in step.
        await sleep(Math.random() * Math.min(100, 2 * 2 ** tries));
      }
    }
  }

  /** One transaction on one pooled connection; a connection that failed is destroyed, not returned to the pool. */
  async function inTransaction<T>(begin: string, work: (tx: Sql) => Promise<T>): Promise<T> {
    const client = await connect();
    let broken: Error | undefined;
    try {
      await query(client, begin);
      try {
        const result = await insideTransaction.run(true, () => work(sqlOn(client)));
        await query(client, 'COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch((rollbackFailed: Error) => (broken = rollbackFailed));
        throw err;
      }
    } catch (err) {
      if (err instanceof DatabaseUnreachableError) broken = err;
      throw err;
    } finally {
      client.release(broken);
    }
  }

  function sqlOn(client: pg.Pool | PoolClient): Sql {
    return {
      all: async (sql, params) => (await query(client, sql, params)).rows,
      get: async (sql, params) => (await query(client, sql, params)).rows[0],
      run: async (sql, params) => (await query(client, sql, params)).rowCount ?? 0,
    };
  }

  // Outside a transaction each statement is its own; a deadlock there also left nothing written.
  const direct = sqlOn(pool);
  /**
   * Set while a transaction's work runs. A call on the database itself from there would take a
   * second connection and wait on the transaction's own row locks until the statement timeout
   * (where SQLite, on one connection, would silently run it inside the transaction): refused at once.
   */
  const insideTransaction = new ScopedStorage<boolean>();
  const outside = <T>(call: () => Promise<T>): Promise<T> =>
    insideTransaction.getStore()
      ? Promise.reject(new Error('the database was used directly inside a transaction: use the `tx` handed to the work (transactions do not nest)'))
      : call();

  return {
    dialect: 'postgres',
    all: (sql, params) => outside(() => retrying(() => direct.all(sql, params))),
    get: (sql, params) => outside(() => retrying(() => direct.get(sql, params))),
    run: (sql, params) => outside(() => retrying(() => direct.run(sql, params))),
    transaction: (work) => outside(() => retrying(() => inTransaction('BEGIN ISOLATION LEVEL SERIALIZABLE', work))),
    migrate: (migrations) => outside(() => migrate(migrations)),
    close() {
      closed ??= pool.end();
      return closed;
    },
  };

  async function migrate(migrations: readonly Migration[]): Promise<void> {
    const ordered = [...migrations].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const duplicate = ordered.find((m, i) => ordered[i + 1]?.id === m.id);
    if (duplicate) throw new Error(`two migrations share the id ${duplicate.id}`);
    for (const migration of ordered) {
      await retrying(() =>
        inTransaction('BEGIN ISOLATION LEVEL READ COMMITTED', async (tx) => {
          // A migration (an index on a large table) may take long, and so may waiting for another replica's.
          await tx.run('SET LOCAL statement_timeout = 0');
          await tx.run('SET LOCAL lock_timeout = 0');
          await tx.get('SELECT pg_advisory_xact_lock(hashtext(?))', [MIGRATION_LOCK_KEY]);
          await tx.run('CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
          if (await tx.get('SELECT id FROM schema_migrations WHERE id = ?', [migration.id])) return;
          // Several statements in one text: sent without parameters, PostgreSQL runs them all.
          await tx.run(migration.postgres);
          await tx.run('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)', [migration.id, new Date().toISOString()]);
        }),
      );
    }
  }
}
