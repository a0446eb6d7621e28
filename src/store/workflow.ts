/**
 * The system of record for workflow state (reviews, audit events, bulk-job checkpoints,
 * processed Slack events, draft cache): SQLite in WAL mode. LanceDB is only the search
 * index; it offers neither atomic transitions nor safe concurrent updates.
 *
 * Each module owns its tables and creates them with `CREATE TABLE IF NOT EXISTS` through
 * `ensureSchema`, so modules stay independent and a fresh data dir needs no migration step.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

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

/** Runs a module's DDL once; idempotent. */
export function ensureSchema(db: WorkflowDb, ddl: string): void {
  db.exec(ddl);
}
