/**
 * vitest globalSetup of the `postgres` test project: one throwaway PostgreSQL server for the
 * whole run (start-up costs about two seconds, so not one per file), its URL handed to the test
 * files through `provide`; each file then takes a database of its own (test/support/postgres.ts)
 * so files run in parallel without seeing each other's rows. The server and its directory are
 * removed at the end, also when the run is interrupted.
 */
import type { TestProject } from 'vitest/node';
import { findPostgres, startPostgresServer } from './postgres-server.js';

export default async function setup(project: TestProject): Promise<() => void> {
  const install = findPostgres();
  // vitest.config.ts leaves the project out when there is no server; this guards a direct --project postgres run.
  if ('missing' in install) throw new Error(`PostgreSQL tests NOT run: ${install.missing}`);
  const server = await startPostgresServer(install);
  process.once('exit', server.stop);
  console.log(`PostgreSQL test server ready in ${server.startupMs} ms`);
  project.provide('kotaePostgresUrl', server.adminUrl);
  return () => {
    process.off('exit', server.stop);
    server.stop();
  };
}
