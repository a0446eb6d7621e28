/**
 * A real, throwaway PostgreSQL server for the test run, so the PostgreSQL backend is tested
 * against the engine it will meet in production rather than a fake: the server binaries of
 * the machine's PostgreSQL package (Debian puts them in /usr/lib/postgresql/<version>/bin),
 * a cluster in a temporary directory, a free port on 127.0.0.1 with password (SCRAM) login,
 * its unix socket inside that directory, and durability switched off because the data is
 * thrown away (fsync off saves most of the start-up and CREATE DATABASE time).
 *
 * The server refuses to run as root: as root every PostgreSQL command runs as the `postgres`
 * user through `runuser`; a non-root user runs them directly.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where the server binaries are, or why there are none. */
export type PostgresInstall = { bin: string; asUser: string | undefined } | { missing: string };

const USER = 'kotae';

/** Finds the newest installed PostgreSQL server (initdb, pg_ctl, postgres); synchronous so a config file can call it. */
export function findPostgres(): PostgresInstall {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => /^\d+(\.\d+)?$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  // Elsewhere (Homebrew, other distributions) the server's pg_config on PATH names its bin directory.
  const onPath = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  const candidates = [...versions.map((v) => join(root, v, 'bin')), ...(onPath.status === 0 ? [onPath.stdout.trim()] : [])];
  const bin = candidates.find((dir) => ['initdb', 'pg_ctl', 'postgres'].every((b) => existsSync(join(dir, b))));
  if (!bin) return { missing: `no PostgreSQL server found (looked for initdb, pg_ctl and postgres in ${root}/<version>/bin and pg_config --bindir; on Debian: apt-get install postgresql)` };
  if (process.getuid?.() !== 0) return { bin, asUser: undefined };
  if (spawnSync('id', ['-u', 'postgres']).status !== 0) return { missing: 'running as root, and there is no "postgres" user to run the server as (PostgreSQL refuses root)' };
  return { bin, asUser: 'postgres' };
}

export interface PostgresServer {
  /** The superuser's URL to the `postgres` maintenance database (password included). */
  adminUrl: string;
  /** Milliseconds from nothing to accepting connections. */
  startupMs: number;
  stop(): void;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Starts a fresh server; throws with the server's own log when it does not come up. */
export async function startPostgresServer(install: { bin: string; asUser: string | undefined }): Promise<PostgresServer> {
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'kotae-pg-'));
  const invocation = (command: string, args: string[]): [string, string[]] =>
    install.asUser ? ['runuser', ['-u', install.asUser, '--', join(install.bin, command), ...args]] : [join(install.bin, command), args];
  const run = (command: string, args: string[]): void => {
    const result = spawnSync(...invocation(command, args), { encoding: 'utf8', timeout: 60_000 });
    if (result.status !== 0) throw new Error(`${command} failed (${result.status ?? result.signal}): ${result.stderr || result.stdout}`);
  };
  try {
    if (install.asUser) {
      const uid = Number(spawnSync('id', ['-u', install.asUser], { encoding: 'utf8' }).stdout);
      const gid = Number(spawnSync('id', ['-g', install.asUser], { encoding: 'utf8' }).stdout);
      chownSync(dir, uid, gid);
    }
    const password = randomBytes(12).toString('hex');
    const pwfile = join(dir, 'pw');
    writeFileSync(pwfile, `${password}\n`, { mode: 0o644 });
    const data = join(dir, 'data');
    run('initdb', ['-D', data, '-U', USER, `--pwfile=${pwfile}`, '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions']);
    rmSync(pwfile);
    // Two test projects' workers, each file with its own pools (and the contract test's several): room for them all.
    const settings = ['fsync = off', 'synchronous_commit = off', 'full_page_writes = off', 'max_connections = 200', `unix_socket_directories = '${dir}'`, "listen_addresses = '127.0.0.1'"];
    for (let attempt = 1; ; attempt += 1) {
      const port = await freePort();
      appendFileSync(join(data, 'postgresql.conf'), `\n${[...settings, `port = ${port}`].join('\n')}\n`);
      const log = join(dir, 'server.log');
      try {
        run('pg_ctl', ['start', '-D', data, '-w', '-t', '30', '-l', log]);
      } catch (err) {
        // Another process may have taken the port between our probe and the server's bind.
        if (attempt < 3) continue;
        throw new Error(`${err instanceof Error ? err.message : String(err)}\nserver log:\n${existsSync(log) ? readFileSync(log, 'utf8') : '(none)'}`);
      }
      const stop = (): void => {
        spawnSync(...invocation('pg_ctl', ['stop', '-D', data, '-m', 'immediate', '-w']));
        rmSync(dir, { recursive: true, force: true });
      };
      return { adminUrl: `postgres://${USER}:${password}@127.0.0.1:${port}/postgres`, startupMs: Date.now() - started, stop };
    }
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
