/**
 * The persistence port's contract (test/support/database-contract.ts) held against the
 * PostgreSQL backend on a real server; the SQLite backend is held to the same suite.
 */
import { openPostgresDatabase } from '../../src/store/postgres.js';
import { describeDatabaseContract } from '../support/database-contract.js';
import { freshPostgresUrl } from '../support/postgres.js';

describeDatabaseContract('postgres', async () => {
  const url = await freshPostgresUrl();
  return async () => openPostgresDatabase(url);
});
