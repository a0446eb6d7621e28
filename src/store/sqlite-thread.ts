/**
 * better-sqlite3 on a thread of its own. Every call of better-sqlite3 is synchronous, and
 * with `synchronous = FULL` each commit waits for the disk's fsync: on the bot's event loop
 * that was most of what delayed Slack's acks under load (`npm run bench` profiled ~20 s of
 * commits and cache writes blocking the main thread over 2,440 commands, p99 acks near 1 s
 * at 20 in flight). Here the connection lives in a worker thread and the main thread only
 * posts statements and awaits replies, so a slow disk delays the statement, not every
 * other request. Durability is unchanged (still FULL).
 *
 * The protocol is one request at a time per caller, in order: the worker handles messages
 * in the order they were posted, so the callers' mutex (sqlite.ts) still decides what runs
 * inside a transaction. Errors cross the thread as `{code, message}` and come back as
 * SqliteCallError with better-sqlite3's code (SQLITE_BUSY…), which is what the retry loop
 * and the CLI's exit-code table read.
 *
 * The worker source is plain CommonJS evaluated from a string, as the spreadsheet parser's
 * is (src/spreadsheet/worker.ts), so it runs the same under tsx, vitest and a compiled
 * build; better-sqlite3 is resolved here and its path handed over.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { SqlRow, SqlValue } from './database.js';

/** A failure better-sqlite3 reported in the worker, with its code (SQLITE_BUSY, SQLITE_CONSTRAINT_UNIQUE…). */
export class SqliteCallError extends Error {
  override readonly name = 'SqliteCallError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Request =
  | { op: 'statement'; sql: string; params: readonly SqlValue[] }
  | { op: 'exec'; sql: string }
  | { op: 'rollback' }
  | { op: 'close' };

/** A statement's result: its rows when it returns rows, else the rows it changed. */
export interface StatementResult {
  reader: boolean;
  rows: SqlRow[];
  changes: number;
}

const WORKER = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driverPath);
let conn = null;
let openError = null;
try {
  conn = new Database(workerData.path);
  conn.pragma('journal_mode = WAL');
  // FULL: a committed approval survives power loss, not just a process crash.
  conn.pragma('synchronous = FULL');
  conn.pragma('foreign_keys = ON');
  // Never wait inside a call: a locked write fails at once and is retried on timers (sqlite.ts).
  conn.pragma('busy_timeout = 0');
} catch (e) {
  openError = e;
}
const statements = new Map();
function prepare(sql) {
  let stmt = statements.get(sql);
  if (!stmt) {
    stmt = conn.prepare(sql);
    statements.set(sql, stmt);
  }
  return stmt;
}
// better-sqlite3 binds Buffers as blobs, not plain Uint8Arrays (which is what crosses the thread).
const bind = (params) => params.map((p) => (p instanceof Uint8Array && !Buffer.isBuffer(p) ? Buffer.from(p.buffer, p.byteOffset, p.byteLength) : p));
function handle(req) {
  if (openError && req.op !== 'close') throw openError;
  switch (req.op) {
    case 'statement': {
      const stmt = prepare(req.sql);
      if (stmt.reader) return { reader: true, rows: stmt.all(...bind(req.params)), changes: 0 };
      return { reader: false, rows: [], changes: stmt.run(...bind(req.params)).changes };
    }
    case 'exec':
      conn.exec(req.sql);
      return null;
    case 'rollback':
      if (conn.inTransaction) conn.exec('ROLLBACK');
      return null;
    case 'close':
      statements.clear();
      if (conn) conn.close();
      return null;
  }
  throw new Error('unknown request ' + req.op);
}
parentPort.on('message', ({ id, req }) => {
  try {
    parentPort.postMessage({ id, ok: true, value: handle(req) });
  } catch (e) {
    parentPort.postMessage({ id, ok: false, code: (e && typeof e.code === 'string' && e.code) || 'SQLITE_ERROR', message: String((e && e.message) || e) });
  }
  if (req.op === 'close') parentPort.close();
});
`;

type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; code: string; message: string };

/** Blobs come back as Uint8Array (structured clone); callers get Buffers, as from better-sqlite3 and pg. */
function asBuffers(rows: SqlRow[]): SqlRow[] {
  for (const row of rows) {
    for (const [key, value] of Object.entries(row)) {
      if (value instanceof Uint8Array && !Buffer.isBuffer(value)) row[key] = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    }
  }
  return rows;
}

/** One SQLite connection in a worker thread. Calls are answered in the order they are made. */
export class SqliteThread {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private stopped: Error | null = null;

  constructor(path: string) {
    const driverPath = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER, { eval: true, workerData: { path, driverPath } });
    // Idle, the thread must not keep a finished CLI command alive; while a call is out it must.
    this.worker.unref();
    this.worker.on('message', (reply: Reply) => {
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      this.settle(reply.id);
      if (reply.ok) waiter.resolve(reply.value);
      else waiter.reject(new SqliteCallError(reply.code, reply.message));
    });
    const fail = (error: Error): void => {
      this.stopped = error;
      for (const [id, waiter] of this.pending) {
        this.settle(id);
        waiter.reject(error);
      }
    };
    this.worker.on('error', (error) => fail(new Error(`the workflow database thread failed: ${error.message}`, { cause: error })));
    this.worker.on('exit', (code) => fail(new Error(`the workflow database thread stopped (exit code ${code})`)));
  }

  private settle(id: number): void {
    this.pending.delete(id);
    if (this.pending.size === 0) this.worker.unref();
  }

  private call(req: Request): Promise<unknown> {
    if (this.stopped) return Promise.reject(this.stopped);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, req });
    });
  }

  async statement(sql: string, params: readonly SqlValue[]): Promise<StatementResult> {
    const result = (await this.call({ op: 'statement', sql, params })) as StatementResult;
    asBuffers(result.rows);
    return result;
  }

  async exec(sql: string): Promise<void> {
    await this.call({ op: 'exec', sql });
  }

  /** ROLLBACK if a transaction is open (a failed COMMIT may already have ended it). */
  async rollback(): Promise<void> {
    await this.call({ op: 'rollback' });
  }

  async close(): Promise<void> {
    if (this.stopped) return;
    await this.call({ op: 'close' });
  }
}
