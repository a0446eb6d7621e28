/**
 * Runs a TypeScript file in a child process (node --import tsx, as `npx tsx` does) and
 * reads its stdout line by line, so a test can wait for a line and then SIGKILL the child
 * at that moment. Every child is remembered so that `killChildren` ends only ours.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

export const ROOT = resolve(import.meta.dirname, '../..');

export interface Spawned {
  proc: ChildProcess;
  lines: string[];
  /** Resolves with the first stdout line matching `test` (past or future), or null if the child exits first. */
  waitFor(test: (line: string) => boolean): Promise<string | null>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

const children: ChildProcess[] = [];

export function spawnTs(script: string, args: string[], env: NodeJS.ProcessEnv = process.env): Spawned {
  const proc = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(proc);
  const lines: string[] = [];
  const waiters: { test: (line: string) => boolean; resolve: (line: string | null) => void }[] = [];
  let stderr = '';
  proc.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  createInterface({ input: proc.stdout! }).on('line', (line) => {
    lines.push(line);
    for (const waiter of [...waiters]) {
      if (waiter.test(line)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((done) =>
    proc.on('close', (code, signal) => {
      for (const waiter of waiters.splice(0)) waiter.resolve(null);
      done({ code, signal, stderr });
    }),
  );
  return {
    proc,
    lines,
    exit,
    waitFor(test) {
      const seen = lines.find(test);
      if (seen !== undefined) return Promise.resolve(seen);
      if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve(null);
      return new Promise((resolveLine) => waiters.push({ test, resolve: resolveLine }));
    },
  };
}

/** SIGKILLs the children this module started that are still running (after a failed assertion). */
export function killChildren(): void {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}
