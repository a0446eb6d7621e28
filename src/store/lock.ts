/**
 * A single-writer lock for ingest: LanceDB's concurrent mergeInsert can duplicate rows,
 * so two ingests must never write at once. The lock file holds the owner's pid; a lock
 * left by a killed process is taken over instead of blocking forever.
 */
import { mkdirSync, openSync, closeSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { KotaeError } from '../errors.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function acquire(path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number.parseInt(readFileSync(path, 'utf8'), 10);
      if (Number.isInteger(owner) && owner !== process.pid && alive(owner)) {
        throw new KotaeError('conflict', `another ingest (pid ${owner}) is running`, `wait for it to finish, or remove ${path} if it is not.`);
      }
      rmSync(path, { force: true });
    }
  }
  throw new KotaeError('conflict', `could not take the ingest lock ${path}`);
}

export async function withLock<T>(path: string, work: () => Promise<T>): Promise<T> {
  acquire(path);
  try {
    return await work();
  } finally {
    rmSync(path, { force: true });
  }
}
