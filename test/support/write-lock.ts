/**
 * Another process holding the workflow database's write lock, on whichever backend the test
 * run uses (test/support/db.ts): the child test/store/fixtures/hold-write-lock.ts, given the
 * SQLite file under `dataDir` or, on the postgres run, the database URL through the
 * environment as every kotae process gets it. Resolves once the lock is held.
 */
import { join } from 'node:path';
import type { Config } from '../../src/config.js';
import { WORKFLOW_DB_FILE } from '../../src/store/open.js';
import { databaseEnv } from './db.js';
import { ROOT, spawnTs, type Spawned } from './spawn-ts.js';

const HOLD_LOCK = join(ROOT, 'test/store/fixtures/hold-write-lock.ts');

export interface LockHolder extends Spawned {
  /** Whether the child still holds the lock (it has not printed `released` nor exited). */
  holding(): boolean;
  /** Commits the holder's transaction now (SIGTERM) and waits until the lock is free. */
  release(): Promise<void>;
}

export async function holdWriteLock(config: Pick<Config, 'dataDir' | 'databaseUrl'>, holdMs: number): Promise<LockHolder> {
  const { KOTAE_DATABASE_URL: _inherited, ...env } = process.env;
  const child = spawnTs(HOLD_LOCK, [join(config.dataDir, WORKFLOW_DB_FILE), String(holdMs)], { ...env, ...databaseEnv(config) });
  if ((await child.waitFor((l) => l === 'locked')) === null) throw new Error(`the lock holder did not start: ${(await child.exit).stderr}`);
  return {
    ...child,
    holding: () => !child.lines.includes('released') && child.proc.exitCode === null && child.proc.signalCode === null,
    async release() {
      if (child.proc.exitCode !== null || child.proc.signalCode !== null) return;
      child.proc.kill('SIGTERM');
      await child.exit;
    },
  };
}
