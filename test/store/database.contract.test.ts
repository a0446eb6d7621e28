/**
 * The persistence port's contract (test/support/database-contract.ts) held against the
 * backend this run uses: SQLite on a file in a temp directory, or (in the `postgres` project)
 * PostgreSQL on a real server. Each opener call is another handle, as another process has.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPostgresDatabase } from '../../src/store/postgres.js';
import { openSqliteDatabase } from '../../src/store/sqlite.js';
import { describeDatabaseContract } from '../support/database-contract.js';
import { onPostgres } from '../support/db.js';
import { freshPostgresUrl } from '../support/postgres.js';

// Unmigrated handles: the contract applies a schema of its own.
describeDatabaseContract(onPostgres() ? 'postgres' : 'sqlite', async () => {
  if (onPostgres()) {
    const url = await freshPostgresUrl();
    return async () => openPostgresDatabase(url);
  }
  const file = join(mkdtempSync(join(tmpdir(), 'kotae-contract-')), 'contract.sqlite');
  return async () => openSqliteDatabase(file);
});
