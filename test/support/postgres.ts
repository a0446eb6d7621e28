/**
 * A fresh PostgreSQL database for a test, on the server the `postgres` project's globalSetup
 * started (test/support/postgres-global-setup.ts). Each call creates a new, empty database, so
 * a test file (or a test) never sees another's rows and files can run in parallel; they all go
 * when the server is removed at the end of the run.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { openPostgresDatabase, type PostgresOptions } from '../../src/store/postgres.js';
import type { Database } from '../../src/store/database.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The test server's superuser URL to its maintenance database; set only in the `postgres` project. */
    kotaePostgresUrl: string;
  }
}

/** The URL of a new, empty database; fails outside the `postgres` project, where no server was started. */
export async function freshPostgresUrl(): Promise<string> {
  const admin = inject('kotaePostgresUrl');
  if (!admin) throw new Error('no PostgreSQL test server: run this file in the "postgres" vitest project (KOTAE_TEST_DATABASE=postgres)');
  const name = `kotae_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    // FILE_COPY: with fsync off it takes about a third of the default WAL_LOG's time (measured ~35 ms vs ~90 ms).
    await client.query(`CREATE DATABASE ${name} STRATEGY FILE_COPY`);
  } finally {
    await client.end();
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A PostgreSQL-backed port on a new, empty database. */
export async function openFreshPostgres(options?: PostgresOptions): Promise<Database> {
  return openPostgresDatabase(await freshPostgresUrl(), options);
}
