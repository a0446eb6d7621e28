/**
 * Runs one parser of an uploaded questionnaire (ExcelJS for xlsx, csv-parse for CSV) in a
 * worker thread with a heap cap and a wall-clock limit. Customer files come from outside:
 * a hostile one (a million columns, a zip bomb that slipped through) must end in an
 * InputError while the bot keeps answering everyone else, never in a frozen event loop
 * or a killed process. Both readers share this, so a timeout, an out-of-memory worker
 * and a crash are reported the same way whatever the format.
 *
 * The worker source is plain CommonJS evaluated from a string, so it runs the same under
 * tsx, vitest and a compiled build (a .ts worker file needs a loader vitest lacks).
 */
import { Worker } from 'node:worker_threads';
import { InputError } from '../errors.js';
import type { SafetyLimits } from './safety.js';

/** A worker's reply: its payload, or why it failed (`code` set by the worker for known limits). */
type WorkerReply = { ok: true; value: unknown } | { ok: false; code: string | null; message: string };

function isWorkerReply(v: unknown): v is WorkerReply {
  if (typeof v !== 'object' || v === null || !('ok' in v)) return false;
  return v.ok === true ? 'value' in v : 'message' in v && typeof v.message === 'string';
}

export interface ParseJob<T> {
  /** CommonJS source; it posts `{ ok: true, value }` or `{ ok: false, code, message }`. */
  source: string;
  workerData: unknown;
  /**
   * Buffers in `workerData` to move to the worker rather than copy (they become unusable
   * here): the caller passes copies it made for the worker, never the caller's own bytes.
   */
  transferList?: ArrayBuffer[];
  fileName: string;
  /** "workbook" or "CSV", for messages. */
  what: string;
  /** Checks the worker's payload (it crosses a thread boundary untyped). */
  accept: (value: unknown) => value is T;
  /** The InputError for a limit the worker reported by code, or null for a generic one. */
  limitError: (code: string, message: string) => InputError | null;
  /** What the user can do when the file cannot be read at all. */
  hint: string;
}

/** Runs `job` in a worker bounded by `limits` (parse timeout, old-generation heap). */
export function runParseWorker<T>(job: ParseJob<T>, limits: SafetyLimits): Promise<T> {
  const { fileName, what, hint } = job;
  const worker = new Worker(job.source, {
    eval: true,
    workerData: job.workerData,
    ...(job.transferList ? { transferList: job.transferList } : {}),
    resourceLimits: { maxOldGenerationSizeMb: limits.maxOldGenerationSizeMb, maxYoungGenerationSizeMb: 64 },
    stdout: true,
    stderr: true,
  });
  const smaller = 'Remove unused sheets, rows, columns and formatting, or split the questionnaire.';
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
      void worker.terminate();
    };
    const timer = setTimeout(
      () => finish(() => reject(new InputError(`${fileName}: reading the ${what} took longer than ${Math.round(limits.parseTimeoutMs / 1000)} s`, smaller))),
      limits.parseTimeoutMs,
    );
    worker.on('message', (msg: unknown) =>
      finish(() => {
        if (!isWorkerReply(msg)) return reject(new Error(`unexpected reply from the ${what} parser`));
        if (msg.ok) return job.accept(msg.value) ? resolve(msg.value) : reject(new Error(`unexpected reply from the ${what} parser`));
        const limit = msg.code === null ? null : job.limitError(msg.code, msg.message);
        reject(limit ?? new InputError(`${fileName}: the ${what} cannot be read (${msg.message})`, hint));
      }),
    );
    worker.on('error', (err: Error & { code?: string }) =>
      finish(() => {
        if (err.code === 'ERR_WORKER_OUT_OF_MEMORY') {
          reject(new InputError(`${fileName}: the ${what} needs more than ${limits.maxOldGenerationSizeMb} MB to read`, smaller));
        } else reject(new InputError(`${fileName}: the ${what} cannot be read (${err.message})`, hint));
      }),
    );
    worker.on('exit', (code) => finish(() => reject(new InputError(`${fileName}: the ${what} parser stopped (exit code ${code})`, hint))));
  });
}
