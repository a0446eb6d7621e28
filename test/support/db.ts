/**
 * The workflow database the tests run against: fresh and migrated. SQLite in a temp directory
 * by default (a file, not ':memory:', so WAL and locking behave as in production); in the
 * vitest `postgres` project (KOTAE_TEST_DATABASE=postgres) a new, empty database on the
 * throwaway PostgreSQL server. Tests get their database only through this helper, so the same
 * tests hold both backends to the same behaviour.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import type { Config } from '../../src/config.js';
import type { Database } from '../../src/store/database.js';
import { openDatabase } from '../../src/store/open.js';
import { freshPostgresUrl } from './postgres.js';

export const onPostgres = (): boolean => process.env['KOTAE_TEST_DATABASE'] === 'postgres';

/**
 * Where a test's workflow state lives: under `dataDir` on SQLite, or a new PostgreSQL
 * database. Every handle opened with the same result (another process given it through
 * KOTAE_DATABASE_URL included) shares one database.
 */
export async function testDatabaseConfig(dataDir: string): Promise<Pick<Config, 'dataDir' | 'databaseUrl'>> {
  return onPostgres() ? { dataDir, databaseUrl: await freshPostgresUrl() } : { dataDir };
}

/** The environment a child process needs to open the same database (empty on SQLite, where the path is passed instead). */
export function databaseEnv(config: Pick<Config, 'databaseUrl'>): Record<string, string> {
  return config.databaseUrl === undefined ? {} : { KOTAE_DATABASE_URL: config.databaseUrl };
}

const opened: Array<{ db: Database; dir: string }> = [];

afterAll(async () => {
  for (const { db, dir } of opened.splice(0)) {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

export async function openTestDatabase(): Promise<Database> {
  const dir = mkdtempSync(join(tmpdir(), 'kotae-db-'));
  const db = await openDatabase(await testDatabaseConfig(dir));
  opened.push({ db, dir });
  return db;
}

/**
 * A workflow db of its own that the test closes itself: a file in a fresh temp dir on SQLite
 * (WAL needs a real file for multi-process tests), a new database on PostgreSQL; `config`
 * opens it again, from another process too (see databaseEnv).
 */
export async function tempDb(): Promise<{ dir: string; config: Pick<Config, 'dataDir' | 'databaseUrl'>; db: Database; cleanup: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'kotae-review-'));
  const config = await testDatabaseConfig(dir);
  const db = await openDatabase(config);
  return {
    dir,
    config,
    db,
    cleanup: async () => {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
