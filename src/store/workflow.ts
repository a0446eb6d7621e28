/**
 * The system of record for workflow state (reviews, audit events, bulk-job checkpoints,
 * processed Slack events, draft cache): SQLite in WAL mode. LanceDB is only the search
 * index; it offers neither atomic transitions nor safe concurrent updates.
 *
 * Each module owns its tables and creates them with `CREATE TABLE IF NOT EXISTS` through
 * `ensureSchema`, so modules stay independent and a fresh data dir needs no migration step.
 *
 * better-sqlite3 is synchronous: a write that finds another process holding the write lock
 * waits busy_timeout inside the call, and the whole event loop waits with it. The CLI can
 * afford that; the Slack bot cannot (every ack would wait). So the bot's connection has
 * busy_timeout 0 (`neverWaitForLocks`), a locked write fails at once with SQLITE_BUSY
 * before changing anything, and the writes on its request path go through
 * `retryWhileBusy`, which retries them with backoff on timers, leaving the loop free.
 * (In WAL mode reads never wait for a writer.)
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { DatabaseBusyError } from '../errors.js';

export type WorkflowDb = Database.Database;

export const WORKFLOW_DB_FILE = 'workflow.sqlite';

/** Opens (creating if needed) `<dataDir>/workflow.sqlite`. Pass ':memory:' as dataDir in unit tests. */
export function openWorkflowDb(dataDir: string): WorkflowDb {
  let db: WorkflowDb;
  if (dataDir === ':memory:') {
    db = new Database(':memory:');
  } else {
    mkdirSync(dataDir, { recursive: true });
    db = new Database(join(dataDir, WORKFLOW_DB_FILE));
  }
  db.pragma('journal_mode = WAL');
  // FULL: a committed approval survives power loss, not just a process crash.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  // Several processes (bot, CLI) may write; wait instead of failing with SQLITE_BUSY.
  db.pragma('busy_timeout = 5000');
  return db;
}

/** Makes a locked write fail at once instead of waiting inside the call (see the header). */
export function neverWaitForLocks(db: WorkflowDb): void {
  db.pragma('busy_timeout = 0');
}

/** SQLITE_BUSY (and its extended codes): another connection holds the lock; nothing was written. */
export function isBusy(error: unknown): boolean {
  return error instanceof Database.SqliteError && error.code.startsWith('SQLITE_BUSY');
}

/** How long a request-path write keeps retrying before the user is told the database is busy. */
export const DEFAULT_BUSY_RETRY_MS = 10_000;

/**
 * Runs `work` (a write, or an operation whose only write is one transaction), and while it
 * fails with SQLITE_BUSY runs it again after a growing pause (10 ms doubling, at most
 * 250 ms) on a timer. After `budgetMs` it throws DatabaseBusyError. Only for work that a
 * busy failure left without effect, as a failed BEGIN IMMEDIATE or single statement does.
 */
export async function retryWhileBusy<T>(work: () => T | Promise<T>, options: { budgetMs?: number } = {}): Promise<T> {
  const budget = options.budgetMs ?? DEFAULT_BUSY_RETRY_MS;
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!isBusy(error)) throw error;
      const waited = Date.now() - started;
      if (waited >= budget) throw new DatabaseBusyError(waited, { cause: error });
      const pause = Math.min(250, 10 * 2 ** attempt);
      await sleep(Math.min(pause * (0.5 + Math.random() / 2), Math.max(1, budget - waited)));
    }
  }
}

/** Runs a module's DDL once; idempotent. */
export function ensureSchema(db: WorkflowDb, ddl: string): void {
  db.exec(ddl);
}
