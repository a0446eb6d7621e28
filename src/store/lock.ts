/**
 * A single-writer lock for the search index: LanceDB's concurrent mergeInsert can
 * duplicate rows, so ingest and answer-library writes never run at once. The lock file
 * holds the owner's pid; a lock left by a killed process is taken over instead of blocking
 * forever. Re-entrant within one async call chain (async context storage), so `runIngest` can
 * hold it across a --rebuild and the ingest inside it, while an unrelated concurrent
 * caller in the same process still waits its turn.
 * (ScopedStorage, so that the async context costs nothing while no lock is held.)
 */
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { KotaeError } from '../errors.js';
import { ScopedStorage } from './scoped-storage.js';

const held = new ScopedStorage<ReadonlySet<string>>();
/** Locks this process holds, so that a second in-process caller waits instead of taking over. */
const ownedHere = new Set<string>();

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

/** One attempt: true when taken, false when a live owner holds it. */
function tryAcquire(path: string): boolean {
  mkdirSync(dirname(path), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    if (ownedHere.has(resolve(path))) return false;
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = readOwner(path);
      if (owner !== null && alive(owner)) return false;
      takeOver(path, owner);
    }
  }
  return false;
}

export interface LockOptions {
  /** How long to wait for another writer to finish; 0 fails at once. */
  waitMs?: number;
}

export async function withLock<T>(path: string, work: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const key = resolve(path);
  const mine = held.getStore();
  if (mine?.has(key)) return work();
  const deadline = Date.now() + (options.waitMs ?? 0);
  while (!tryAcquire(path)) {
    if (Date.now() >= deadline) {
      const owner = readOwner(path);
      throw new KotaeError(
        'conflict',
        owner === process.pid || owner === null ? `the index is being written (${path})` : `another ingest (pid ${owner}) is running`,
        `wait for it to finish, or remove ${path} if no kotae process is running.`,
      );
    }
    await sleep(100);
  }
  ownedHere.add(key);
  try {
    return await held.run(new Set([...(mine ?? []), key]), work);
  } finally {
    ownedHere.delete(key);
    rmSync(path, { force: true });
  }
}
