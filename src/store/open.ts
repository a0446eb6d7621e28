/**
 * Opens the workflow database the configuration names, migrated and ready: the embedded
 * SQLite file at <dataDir>/workflow.sqlite by default, or PostgreSQL when
 * KOTAE_DATABASE_URL is a postgres:// URL. Every process (bot, CLI, scripts) opens it
 * here, so they agree on where workflow state lives and on its schema.
 */
import { join } from 'node:path';
import type { Config } from '../config.js';
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

export async function openDatabase(config: Pick<Config, 'dataDir' | 'databaseUrl'>, options: OpenOptions = {}): Promise<Database> {
  const { log, ...sqlite } = options;
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
