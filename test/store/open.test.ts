/**
 * Which workflow database a configuration opens: SQLite under the data dir by default,
 * migrated; a postgres:// URL is accepted by the configuration but refused with a hint
 * until the PostgreSQL backend exists; anything else is a configuration error.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { WORKFLOW_DB_FILE, openDatabase } from '../../src/store/open.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('openDatabase', () => {
  it('opens SQLite at <dataDir>/workflow.sqlite, migrated, when no URL is set', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kotae-open-'));
    dirs.push(dir);
    const config = loadConfig({ KOTAE_DATA_DIR: join(dir, 'data') });
    expect(config.databaseUrl).toBeUndefined();
    const db = await openDatabase(config);
    try {
      expect(db.dialect).toBe('sqlite');
      expect(existsSync(join(dir, 'data', WORKFLOW_DB_FILE))).toBe(true);
      expect((await db.all('SELECT id FROM schema_migrations ORDER BY id')).map((r) => r.id)).toEqual(MIGRATIONS.map((m) => m.id));
    } finally {
      await db.close();
    }
  });

  it('accepts a postgres:// URL in the configuration but refuses to open it until the backend exists, saying what to do', async () => {
    const config = loadConfig({ KOTAE_DATABASE_URL: 'postgres://kotae:hunter2-secret@db.internal:5432/kotae' });
    expect(config.databaseUrl).toBe('postgres://kotae:hunter2-secret@db.internal:5432/kotae');
    await expect(openDatabase(config)).rejects.toMatchObject({ code: 'config', message: expect.stringContaining('PostgreSQL'), hint: expect.stringContaining('Unset KOTAE_DATABASE_URL') });
  });

  it('rejects a URL that is not PostgreSQL, naming the variable', () => {
    expect(() => loadConfig({ KOTAE_DATABASE_URL: 'mysql://db.internal/kotae' })).toThrow(ConfigError);
    expect(() => loadConfig({ KOTAE_DATABASE_URL: 'mysql://db.internal/kotae' })).toThrow(/KOTAE_DATABASE_URL/);
  });
});
