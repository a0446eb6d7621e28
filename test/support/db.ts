/**
 * The database the storage tests run against: fresh and migrated. Today SQLite in a temp
 * directory (a file, not ':memory:', so WAL and locking behave as in production); the
 * same tests run on PostgreSQL by changing only this helper.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import type { Database } from '../../src/store/database.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { openSqliteDatabase } from '../../src/store/sqlite.js';

const opened: Array<{ db: Database; dir: string }> = [];

afterAll(async () => {
  for (const { db, dir } of opened.splice(0)) {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

export async function openTestDatabase(): Promise<Database> {
  const dir = mkdtempSync(join(tmpdir(), 'kotae-db-'));
  const db = openSqliteDatabase(join(dir, 'workflow.sqlite'));
  opened.push({ db, dir });
  await db.migrate(MIGRATIONS);
  return db;
}
