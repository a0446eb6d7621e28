/**
 * A single-writer lock for ingest: LanceDB's concurrent mergeInsert can duplicate rows,
 * so two ingests must never write at once. The lock file holds the owner's pid; a lock
 * left by a killed process is taken over instead of blocking forever. Re-entrant within a
 * process, so `runIngest` can hold it across a --rebuild and the ingest inside it.
 */
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { KotaeError } from '../errors.js';

const held = new Set<string>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(path: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
    return Number.isInteger(pid) ? pid : null;
  } catch {
    return null;
  }
}

/**
 * Moves a dead owner's lock aside. Renaming (not deleting) lets us check that what we moved
 * is still the dead owner's: if another process took the lock over meanwhile, put it back.
 */
function takeOver(path: string, deadOwner: number | null): void {
  const aside = `${path}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    renameSync(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // someone else moved it
    throw error;
  }
  if (readOwner(aside) !== deadOwner) {
    renameSync(aside, path);
    return;
  }
  rmSync(aside, { force: true });
}

function acquire(path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = readOwner(path);
      if (owner !== null && owner !== process.pid && alive(owner)) {
        throw new KotaeError('conflict', `another ingest (pid ${owner}) is running`, `wait for it to finish, or remove ${path} if it is not.`);
      }
      takeOver(path, owner);
    }
  }
  throw new KotaeError('conflict', `could not take the ingest lock ${path}`, 'another ingest is starting; try again.');
}

export async function withLock<T>(path: string, work: () => Promise<T>): Promise<T> {
  const key = resolve(path);
  if (held.has(key)) return work();
  acquire(path);
  held.add(key);
  try {
    return await work();
  } finally {
    held.delete(key);
    rmSync(path, { force: true });
  }
}
