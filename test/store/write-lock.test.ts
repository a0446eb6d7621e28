/**
 * Both backends of the persistence port meet another process's write lock the same way: a
 * write waits (on timers, the event loop keeps running) and lands once the lock is released
 * within the busy budget, or fails with DatabaseBusyError, having written nothing, once the
 * budget is spent. On PostgreSQL the lock is another session's table lock, which without a
 * lock_timeout would be waited for until the statement timeout and then surface as an
 * unexpected "canceling statement" error instead of "busy, try again".
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import { DatabaseBusyError } from '../../src/errors.js';
import type { Database } from '../../src/store/database.js';
import { WORKFLOW_DB_FILE } from '../../src/store/open.js';
import { openPostgresDatabase } from '../../src/store/postgres.js';
import { openSqliteDatabase } from '../../src/store/sqlite.js';
import { testDatabaseConfig } from '../support/db.js';
import { killChildren } from '../support/spawn-ts.js';
import { holdWriteLock } from '../support/write-lock.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  killChildren();
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** A database of the run's backend with the given busy budget, and a scratch table. */
async function openWithBudget(busyMs: number): Promise<{ db: Database; config: Pick<Config, 'dataDir' | 'databaseUrl'> }> {
  const dir = mkdtempSync(join(tmpdir(), 'kotae-lock-'));
  const config = await testDatabaseConfig(dir);
  const db =
    config.databaseUrl === undefined ? openSqliteDatabase(join(dir, WORKFLOW_DB_FILE), { busyRetryMs: busyMs }) : openPostgresDatabase(config.databaseUrl, { busyTimeoutMs: busyMs });
  cleanups.push(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  await db.run('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)');
  return { db, config };
}

describe(`another process's write lock (${process.env['KOTAE_TEST_DATABASE'] ?? 'sqlite'})`, () => {
  it('is waited for on timers, and the write lands once it is released', async () => {
    const { db, config } = await openWithBudget(5_000);
    const holder = await holdWriteLock(config, 600);
    const started = Date.now();
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    try {
      await db.transaction((tx) => tx.run('INSERT INTO t (id, v) VALUES (?, ?)', [1, 'after-lock']));
    } finally {
      clearInterval(timer);
    }
    const waited = Date.now() - started;
    expect(await holder.waitFor((l) => l === 'released')).toBe('released');
    expect(waited).toBeGreaterThan(300);
    // The loop ran while the write waited: at least one tick per ~40 ms of waiting.
    expect(ticks).toBeGreaterThan(waited / 40);
    expect(await db.all('SELECT v FROM t')).toEqual([{ v: 'after-lock' }]);
  });

  it('ends in DatabaseBusyError after the budget, not after the statement timeout, having written nothing', async () => {
    const { db, config } = await openWithBudget(400);
    const holder = await holdWriteLock(config, 20_000);
    for (const write of [() => db.run('INSERT INTO t (id, v) VALUES (?, ?)', [1, 'x']), () => db.transaction((tx) => tx.run('INSERT INTO t (id, v) VALUES (?, ?)', [2, 'y']))]) {
      const started = Date.now();
      await expect(write()).rejects.toBeInstanceOf(DatabaseBusyError);
      // About the budget (twice it at most: a lock met late in a retry waits once more), far below the 15 s statement timeout.
      expect(Date.now() - started).toBeLessThan(2_000);
    }
    expect(holder.holding()).toBe(true);
    await holder.release();
    expect(await db.all('SELECT v FROM t')).toEqual([]);
  });
});
