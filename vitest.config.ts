import { configDefaults, defineConfig } from 'vitest/config';
import { findPostgres } from './test/support/postgres-server.js';

/**
 * Two projects: `sqlite` runs every test file as always; `postgres` runs the files that
 * exercise the workflow database a second time with KOTAE_TEST_DATABASE=postgres, against a
 * real throwaway server (test/support/postgres-global-setup.ts), so both backends are held to
 * the same tests. Without a PostgreSQL server on the machine the second run is left out and
 * says so; under CI (CI=true) that is a failure, not a silent skip.
 */

/** Files that run against PostgreSQL only (they need the server); the sqlite project leaves them out. */
const POSTGRES_ONLY = ['test/store/postgres.test.ts', 'test/store/leases.test.ts', 'test/slack/replicas.test.ts', 'test/questionnaire/jobs.test.ts', 'test/slack/processes.test.ts'];

/**
 * Files whose behaviour goes through the persistence port (test/support/db.ts picks the
 * backend). The fault tests of another process holding the write lock (test/slack/busy-database,
 * reliability, cli/conventions, store/write-lock) are here too: their lock holder
 * (test/support/write-lock.ts) takes SQLite's write lock or PostgreSQL table locks, whichever
 * backend the run uses.
 */
const PERSISTENCE = [
  'test/store/database.contract.test.ts',
  'test/review/authorize.test.ts',
  'test/review/cli.test.ts',
  'test/review/concurrency.test.ts',
  'test/review/queue.test.ts',
  'test/review/workbook.test.ts',
  'test/slack/blocks.test.ts',
  'test/slack/event-log.test.ts',
  'test/slack/bot.test.ts',
  'test/slack/bulk.test.ts',
  'test/bulk.test.ts',
  'test/questionnaire-run.test.ts',
  'test/slack/bulk-outcomes.test.ts',
  'test/slack/bulk-takeover.test.ts',
  'test/review/slack-sheet.test.ts',
  'test/draft/cache.test.ts',
  'test/draft/rewriter.test.ts',
  'test/questionnaire/job.test.ts',
  'test/cli/library.test.ts',
  'test/questionnaire/jobs-app.test.ts',
  'test/slack/busy-database.test.ts',
  'test/slack/reliability.test.ts',
  'test/cli/conventions.test.ts',
  'test/store/write-lock.test.ts',
];

const postgres = findPostgres();
if ('missing' in postgres) {
  console.warn(`\nPostgreSQL tests NOT run: ${postgres.missing}\n`);
  if (process.env.CI === 'true') throw new Error(`PostgreSQL tests NOT run: ${postgres.missing} (CI=true requires them)`);
}

export default defineConfig({
  test: {
    // LanceDB and child-process tests do real I/O on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'sqlite', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, ...POSTGRES_ONLY] } },
      ...('missing' in postgres
        ? []
        : [
            {
              extends: true as const,
              test: {
                name: 'postgres',
                include: [...POSTGRES_ONLY, ...PERSISTENCE],
                env: { KOTAE_TEST_DATABASE: 'postgres' },
                globalSetup: ['test/support/postgres-global-setup.ts'],
              },
            },
          ]),
    ],
  },
});
