/**
 * CLI conventions a script or a person relies on: every command answers -h/--help with its
 * own usage (exit 0), `--version`, usage errors exit 2 without a stack trace, a missing file
 * or a directory is one line, `| head` does not crash, and a database another process is
 * writing says so (exit 6) instead of hanging: on SQLite another process's BEGIN IMMEDIATE, on
 * PostgreSQL its table locks (test/store/fixtures/hold-write-lock.ts). The last ones run the
 * real executable (bin/kotae.js).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runCliInProcess, type CliRun } from '../support/cli.js';
import { enqueueDraft } from '../../src/review/queue.js';
import type { Config } from '../../src/config.js';
import { openDatabase } from '../../src/store/open.js';
import { makeDraft } from '../review/fixtures/drafts.js';
import { databaseEnv, testDatabaseConfig } from '../support/db.js';
import { killChildren } from '../support/spawn-ts.js';
import { holdWriteLock } from '../support/write-lock.js';

let dir: string;
let reviewId: string;
let database: Pick<Config, 'dataDir' | 'databaseUrl'>;
const BIN = join(process.cwd(), 'bin', 'kotae.js');
const version = z.object({ version: z.string() }).parse(JSON.parse(readFileSync('package.json', 'utf8'))).version;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kotae-cli-'));
  database = await testDatabaseConfig(join(dir, 'data'));
  const db = await openDatabase(database);
  // Enough JSON that `| head` closes the pipe while kotae is still writing.
  for (let i = 0; i < 400; i++) reviewId = (await enqueueDraft(db, makeDraft({ question: `Question ${i}: ${'how are backups protected? '.repeat(12)}` }), { askedBy: null })).id;
  await db.close();
});
afterAll(() => {
  killChildren();
  rmSync(dir, { recursive: true, force: true });
});

const env = (): NodeJS.ProcessEnv => ({ ...process.env, KOTAE_DATA_DIR: join(dir, 'data'), KOTAE_APPROVERS: 'U_SEC', KOTAE_LOG_LEVEL: 'silent', ...databaseEnv(database) });

function inProcess(...argv: string[]): Promise<CliRun> {
  return runCliInProcess(argv, { KOTAE_DATA_DIR: join(dir, 'data'), ...databaseEnv(database) });
}

describe('help and usage', () => {
  it.each([
    [['--help'], /Usage: kotae \[options\] \[command\][\s\S]*review {2,}the review queue/],
    [['help'], /Usage: kotae/],
    [['help', 'review'], /Usage: kotae review/],
    [['ingest', '--help'], /Usage: kotae ingest \[options\][\s\S]*--rebuild/],
    [['ask', '-h'], /usage: kotae ask "question" --product P/],
    [['answer', '--help'], /usage: kotae answer FILE\.xlsx\|FILE\.csv --product P/],
    [['review', '-h'], /Usage: kotae review \[options\] \[command\][\s\S]*export[\s\S]*import/],
    [['review', 'list', '-h'], /Usage: kotae review list \[options\][\s\S]*--offset <n>/],
    [['review', 'show', '-h'], /Usage: kotae review show \[options\] <id>/],
    [['review', 'approve', '-h'], /Usage: kotae review approve \[options\] \[ids\.\.\.\][\s\S]*--min-confidence <x>[\s\S]*--dry-run/],
    [['review', 'edit', '-h'], /Usage: kotae review edit \[options\] <id>/],
    [['review', 'reject', '-h'], /Usage: kotae review reject \[options\] <ids\.\.\.>[\s\S]*--reason/],
    [['review', 'export', '-h'], /Usage: kotae review export \[options\][\s\S]*--out <file\.xlsx>/],
    [['review', 'import', '-h'], /Usage: kotae review import \[options\] <file\.xlsx>[\s\S]*--dry-run/],
  ])('kotae %j prints its own usage and exits 0', async (argv, usage) => {
    const res = await inProcess(...argv);
    expect(res.code).toBe(0);
    expect(res.out).toMatch(usage);
    expect(res.err).toBe('');
  });

  it.each([[['nope']], [['review', 'list', '--bogus']], [['review', 'approve', '1']], [['review', 'frobnicate']], [['ingest', '--bogus']], [[]]])(
    'kotae %j is a usage error: exit 2, a message, no stack trace',
    async (argv) => {
      const res = await inProcess(...argv);
      expect(res.code).toBe(2);
      expect(res.err).not.toBe('');
      expect(res.err).not.toMatch(/\n\s+at /);
    },
  );
});

function kotae(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const res = spawnSync(process.execPath, [BIN, ...args], { env: env(), encoding: 'utf8', timeout: 60_000 });
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}

describe('the kotae executable', () => {
  it('--version prints the package version', () => {
    expect(kotae(['--version'])).toMatchObject({ status: 0, stdout: `${version}\n` });
  });

  it('a missing file or a directory is one line and exit 2', () => {
    const missing = kotae(['review', 'import', join(dir, 'nope.xlsx'), '--as', 'U_SEC']);
    expect(missing).toMatchObject({ status: 2, stdout: '', stderr: `error: ${join(dir, 'nope.xlsx')}: no such file\n  Check the path.\n` });
    const folder = kotae(['review', 'import', dir, '--as', 'U_SEC']);
    expect(folder.status).toBe(2);
    expect(folder.stderr).toBe(`error: ${dir} is a directory, not a file\n  Give the path of a file.\n`);
  });

  it('piped into head, it stops quietly when the reader goes away (no EPIPE crash)', () => {
    const res = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" review list --json --limit 400 | head -c 200 > /dev/null; echo "exit=\${PIPESTATUS[0]}"`], {
      env: env(),
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(res.stdout).toBe('exit=0\n');
    expect(res.stderr).toBe('');
  });

  it('a database another process is writing: "another kotae process is writing; try again", exit 6', async () => {
    // Another process's write lock, held for longer than the CLI's busy retries (10 s).
    const holder = await holdWriteLock(database, 45_000);
    const started = Date.now();
    try {
      const child = spawn(process.execPath, [BIN, 'review', 'approve', reviewId, '--as', 'U_SEC'], { env: env() });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(status).toBe(6);
      expect(stderr).toMatch(/^error: another kotae process is writing; try again\n/);
      // It gave up after its busy budget, while the lock was still held: no hang until the holder lets go.
      expect(holder.holding()).toBe(true);
      expect(Date.now() - started).toBeLessThan(30_000);
    } finally {
      await holder.release();
    }
    expect(kotae(['review', 'show', reviewId]).stdout).toContain('[drafted]');
  }, 60_000);
});
