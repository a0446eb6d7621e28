/**
 * What the PostgreSQL backend does beyond the shared contract (test/support/database-contract.ts):
 * how it turns the port's `?` into numbered parameters, that it refuses numbers it cannot hold
 * exactly, that it gives up on a lasting conflict with the typed busy error after retrying,
 * and that a bad or unreachable URL becomes a user-facing error that never shows the password.
 */
import { describe, expect, it } from 'vitest';
import { DatabaseBusyError, KotaeError } from '../../src/errors.js';
import { createLogger, redact } from '../../src/log.js';
import { DatabaseUnreachableError, describePostgresUrl, numberPlaceholders, openPostgresDatabase } from '../../src/store/postgres.js';
import { freshPostgresUrl, openFreshPostgres } from '../support/postgres.js';

describe('numberPlaceholders', () => {
  it('numbers bare ? in order', () => {
    expect(numberPlaceholders('SELECT * FROM t WHERE a = ? AND b IN (?, ?) LIMIT ? OFFSET ?')).toEqual({
      text: 'SELECT * FROM t WHERE a = $1 AND b IN ($2, $3) LIMIT $4 OFFSET $5',
      count: 5,
    });
  });

  it('leaves ? alone inside strings, escaped strings, dollar quotes, quoted identifiers and comments', () => {
    const sql = [
      "SELECT 'it''s ?' AS a, ?,",
      "E'a\\\\b \\' ?' AS b, ?,",
      '$$ ? $$, $tag$ ? $ ? $tag$, ?,',
      '"odd?column", ? -- trailing ?',
      '/* outer ? /* inner ? */ still ? */ ?',
    ].join('\n');
    const { text, count } = numberPlaceholders(sql);
    expect(count).toBe(5);
    expect(text).toBe(
      [
        "SELECT 'it''s ?' AS a, $1,",
        "E'a\\\\b \\' ?' AS b, $2,",
        '$$ ? $$, $tag$ ? $ ? $tag$, $3,',
        '"odd?column", $4 -- trailing ?',
        '/* outer ? /* inner ? */ still ? */ $5',
      ].join('\n'),
    );
  });

  it('treats a backslash as an escape only in E strings, not after a word ending in e', () => {
    expect(numberPlaceholders("SELECT date'2024-01-01\\', ?").text).toBe("SELECT date'2024-01-01\\', $1");
  });
});

describe('PostgreSQL backend', () => {
  it('refuses a statement whose placeholders and values differ in number', async () => {
    const db = await openFreshPostgres();
    try {
      await expect(db.get('SELECT ? AS a', [])).rejects.toThrow(/1 placeholders but 0 values/);
    } finally {
      await db.close();
    }
  });

  it('refuses an integer beyond 2^53 rather than returning it rounded', async () => {
    const db = await openFreshPostgres();
    try {
      expect(await db.get('SELECT 9007199254740991::bigint AS n')).toEqual({ n: Number.MAX_SAFE_INTEGER });
      await expect(db.get('SELECT 9007199254740993::bigint AS n')).rejects.toThrow(/9007199254740993/);
      // The pool's parser is its own: the process-wide pg defaults still return bigint as text.
      const pg = (await import('pg')).default;
      expect(pg.types.getTypeParser(20, 'text')('12')).toBe('12');
    } finally {
      await db.close();
    }
  });

  it('retries a transaction that keeps conflicting, pausing between attempts, then fails with DatabaseBusyError', async () => {
    const db = await openFreshPostgres({ busyTimeoutMs: 300 });
    let attempts = 0;
    const started = Date.now();
    try {
      const failed = await db
        .transaction(async (tx) => {
          attempts += 1;
          await tx.run("DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = 'serialization_failure'; END $$");
        })
        .catch((err: unknown) => err);
      expect(failed).toBeInstanceOf(DatabaseBusyError);
      expect(attempts).toBeGreaterThan(2);
      expect(Date.now() - started).toBeGreaterThanOrEqual(300);
      // Nothing was left behind: the pool still serves statements.
      expect(await db.get('SELECT 1 AS one')).toEqual({ one: 1 });
    } finally {
      await db.close();
    }
  });

  it('refuses, at once, the database itself used inside a transaction (it would wait on its own locks) and rolls back', async () => {
    const db = await openFreshPostgres();
    try {
      await db.run('CREATE TABLE notes (body TEXT)');
      const started = Date.now();
      await expect(
        db.transaction(async (tx) => {
          await tx.run('INSERT INTO notes (body) VALUES (?)', ['inside']);
          await db.run('INSERT INTO notes (body) VALUES (?)', ['beside']);
        }),
      ).rejects.toThrow(/use the `tx`/);
      await expect(db.transaction(async () => db.transaction(async () => 1))).rejects.toThrow(/do not nest/);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(await db.all('SELECT body FROM notes')).toEqual([]);
    } finally {
      await db.close();
    }
  });

  it('a migration may outlast the statement timeout; a failing one is rolled back whole and tried again next start', async () => {
    const db = await openFreshPostgres({ statementTimeoutMs: 200 });
    try {
      const slow = { id: '0001-slow', sqlite: '', postgres: 'CREATE TABLE t (n BIGINT); SELECT pg_sleep(0.5)' };
      const broken = { id: '0002-broken', sqlite: '', postgres: 'INSERT INTO t (n) VALUES (1); INSERT INTO no_such_table VALUES (1)' };
      await expect(db.migrate([slow, broken])).rejects.toThrow(/no_such_table/);
      expect(await db.all('SELECT id FROM schema_migrations')).toEqual([{ id: '0001-slow' }]);
      expect(await db.get('SELECT COUNT(*) AS n FROM t')).toEqual({ n: 0 });
      await db.migrate([slow, { ...broken, postgres: 'INSERT INTO t (n) VALUES (1)' }]);
      expect(await db.get('SELECT COUNT(*) AS n FROM t')).toEqual({ n: 1 });
    } finally {
      await db.close();
    }
  });

  it('cancels a statement that runs past the statement timeout', async () => {
    const db = await openFreshPostgres({ statementTimeoutMs: 200 });
    try {
      await expect(db.get('SELECT pg_sleep(2)')).rejects.toThrow(/statement timeout/);
      expect(await db.get("SELECT current_setting('application_name') AS app")).toEqual({ app: 'kotae' });
    } finally {
      await db.close();
    }
  });

  it('a wrong password is a KotaeError with a hint, and neither it nor the log shows the password', async () => {
    const url = new URL(await freshPostgresUrl());
    url.password = 'Wrong-Pa55word-x';
    const db = openPostgresDatabase(url.toString());
    const lines: string[] = [];
    try {
      const failed = await db.get('SELECT 1 AS one').catch((err: unknown) => err);
      expect(failed).toBeInstanceOf(DatabaseUnreachableError);
      const error = failed as KotaeError;
      expect(error.code).toBe('upstream');
      expect(error.message).toMatch(/password authentication failed/);
      expect(error.message).toContain(`${url.hostname}:${url.port}`);
      expect(error.hint).toMatch(/KOTAE_DATABASE_URL/);
      expect(`${error.message} ${error.hint}`).not.toContain('Wrong-Pa55word-x');
      createLogger('info', (line) => lines.push(line)).error('storage failed', { url: url.toString(), error });
      expect(lines.join('')).not.toContain('Wrong-Pa55word-x');
      expect(redact(`connecting to ${url.toString()}`)).not.toContain('Wrong-Pa55word-x');
    } finally {
      await db.close();
    }
  });

  it('a server that is not there is a KotaeError naming it with the password masked', async () => {
    const db = openPostgresDatabase('postgres://kotae:S3cret-nowhere@127.0.0.1:1/kotae');
    try {
      const failed = await db.transaction(async (tx) => tx.get('SELECT 1')).catch((err: unknown) => err);
      expect(failed).toBeInstanceOf(DatabaseUnreachableError);
      expect((failed as Error).message).toContain('postgres://kotae:***@127.0.0.1:1/kotae');
      expect((failed as Error).message).not.toContain('S3cret-nowhere');
    } finally {
      await db.close();
    }
  });

  it('describes a URL without its password, and an unparsable one without echoing it', () => {
    expect(describePostgresUrl('postgres://app:p%40ss@db.internal:5432/kotae')).toBe('postgres://app:***@db.internal:5432/kotae');
    expect(describePostgresUrl('not a url with hunter2')).not.toContain('hunter2');
    // A URL that never reached openPostgresDatabase (a config dump) is masked in logs too.
    expect(redact('KOTAE_DATABASE_URL=postgres://app:never-registered@db:5432/kotae')).toBe('KOTAE_DATABASE_URL=postgres://app:[redacted]@db:5432/kotae');
    // …and looking for URLs stays linear: a 1 MB run of letters (a blob in an error) is not a hang.
    const started = Date.now();
    redact('a'.repeat(1_000_000));
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
