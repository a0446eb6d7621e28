/**
 * Opens the workflow database the configuration names, migrated and ready: the embedded
 * SQLite file at <dataDir>/workflow.sqlite by default, or PostgreSQL when
 * KOTAE_DATABASE_URL is a postgres:// URL. Every process (bot, CLI, scripts) opens it
 * here, so they agree on where workflow state lives and on its schema.
 */
import { join } from 'node:path';
import type { Config } from '../config.js';
import { KotaeError } from '../errors.js';
import type { Database } from './database.js';
import { MIGRATIONS } from './migrations.js';
import { openSqliteDatabase, type SqliteOptions } from './sqlite.js';

export const WORKFLOW_DB_FILE = 'workflow.sqlite';

export async function openDatabase(config: Pick<Config, 'dataDir' | 'databaseUrl'>, options: SqliteOptions = {}): Promise<Database> {
  if (config.databaseUrl !== undefined) {
    throw new KotaeError(
      'config',
      'KOTAE_DATABASE_URL names a PostgreSQL database, but this build of kotae has no PostgreSQL backend yet',
      'Unset KOTAE_DATABASE_URL to keep workflow state in SQLite at KOTAE_DATA_DIR/workflow.sqlite.',
    );
  }
  const db = openSqliteDatabase(join(config.dataDir, WORKFLOW_DB_FILE), options);
  try {
    await db.migrate(MIGRATIONS);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}
