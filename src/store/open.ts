/**
 * Opens the workflow database the configuration names, migrated and ready: the embedded
 * SQLite file at <dataDir>/workflow.sqlite by default, or PostgreSQL when
 * KOTAE_DATABASE_URL is a postgres:// URL. Every process (bot, CLI, scripts) opens it
 * here, so they agree on where workflow state lives and on its schema.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.js';
import { KotaeError } from '../errors.js';
import { checkDataDir } from './data-dir.js';
import type { Logger } from '../log.js';
import type { Database } from './database.js';
import { MIGRATIONS } from './migrations.js';
import { openPostgresDatabase } from './postgres.js';
import { openSqliteDatabase, type SqliteOptions } from './sqlite.js';

export const WORKFLOW_DB_FILE = 'workflow.sqlite';

export interface OpenOptions extends SqliteOptions {
  /** Where the PostgreSQL pool reports an idle connection's failure (a server restart). */
  log?: Logger;
}

/**
 * For commands that only read or decide what is there (review, library): a data directory
 * without a workflow database holds no kotae data, which is said as `ask` says it, rather
 * than creating an empty database and reporting "no reviews".
 */
export function requireWorkflowData(config: Pick<Config, 'dataDir' | 'databaseUrl'>): void {
  if (config.databaseUrl !== undefined) return;
  checkDataDir(config.dataDir);
  if (!existsSync(join(config.dataDir, WORKFLOW_DB_FILE))) {
    throw new KotaeError('not_found', `no kotae data under ${config.dataDir}`, 'Run kotae ingest and kotae ask or answer there first, or set KOTAE_DATA_DIR to the folder that has it.');
  }
}

export async function openDatabase(config: Pick<Config, 'dataDir' | 'databaseUrl'>, options: OpenOptions = {}): Promise<Database> {
  const { log, ...sqlite } = options;
  if (config.databaseUrl === undefined) checkDataDir(config.dataDir);
  const db =
    config.databaseUrl !== undefined
      ? openPostgresDatabase(config.databaseUrl, log ? { log } : {})
      : openSqliteDatabase(join(config.dataDir, WORKFLOW_DB_FILE), sqlite);
  try {
    await db.migrate(MIGRATIONS);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}
