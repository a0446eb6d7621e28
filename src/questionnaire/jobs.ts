/**
 * Durable bulk questionnaire jobs that any replica can finish (issue 13). Several bot
 * processes share one workflow database; a bulk upload is run by the process that took it,
 * but if that process dies (deploy, OOM, `kill -9`), another one takes the job over and
 * finishes it, and the person who uploaded still gets their file.
 *
 * - The job row (`questionnaire_runs`) keeps everything needed to run it again elsewhere:
 *   the file itself (until the job is finished), the options, and an opaque delivery target
 *   the adapter gave (where to post the result). It is not a queue: nobody polls rows.
 * - Ownership is a lease (store/leases.ts, `FOR UPDATE SKIP LOCKED` on PostgreSQL): the
 *   runner renews it every TTL/3; a replica calling `adoptOrphans` takes over only leases
 *   whose owner stopped renewing.
 * - The run itself is the core use case, and it checkpoints each drafted row
 *   (checkpoint.ts), so the adopter drafts only the rows the dead owner had not finished.
 * - A runner whose renewal is refused (its lease expired and was taken over) aborts its run
 *   and delivers nothing, rather than racing the new owner.
 * - Delivery is at least once: the result is handed to `deliver` before the job is marked
 *   done, so a process killed in between has the job delivered again by its adopter. A
 *   `deliver` that throws leaves the job running (its error noted on the row) and its lease
 *   unrenewed: another replica (or this one) adopts it after the TTL and delivers again.
 * - Attempts are capped (`maxAttempts`, default DEFAULT_MAX_JOB_ATTEMPTS executions), or a
 *   job that can never finish (a delivery that always throws, a file that kills every
 *   process that runs it) would be retried once per TTL for ever, across every replica. An
 *   adopter that finds the cap reached runs it no more: it marks the job failed with the
 *   last error, then hands `deliver` a failure (JobAttemptsExhaustedError) so the asker is
 *   told once. Marked first, so a process dying while telling cannot make it told twice;
 *   a resubmission of the same file starts it again with a fresh count.
 * - Whoever runs the bot calls `adoptOrphans` on a timer (every TTL or so).
 *
 * This module sits below the core: the run is passed in (`run`), the app binds it to
 * `answerQuestionnaire` (app.ts `questionnaireJobs`).
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { z } from 'zod';
import { KotaeError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Database } from '../store/database.js';
import { claim, claimExpired, release, renew } from '../store/leases.js';
import { sha256 } from './checkpoint.js';
import type { JobProgress } from './job.js';

/** The lease kind of a bulk questionnaire job. */
export const QUESTIONNAIRE_RUN_LEASE = 'questionnaire-run';

export const DEFAULT_JOB_TTL_MS = 60_000;

/** Executions of one job (the first run and its take-overs) before it is given up as failed. */
export const DEFAULT_MAX_JOB_ATTEMPTS = 5;

/** Handed to `deliver` for a job given up after `maxAttempts` executions that did not finish. */
export class JobAttemptsExhaustedError extends KotaeError {
  override readonly name = 'JobAttemptsExhaustedError';
  constructor(
    fileName: string,
    readonly attempts: number,
    /** Why the last execution did not finish, when it said (a process that died says nothing). */
    readonly lastError: string | null,
  ) {
    super(
      'upstream',
      `kotae could not finish ${fileName}: it was started ${attempts} times and never completed, so it was given up`,
      'The rows drafted so far are waiting for review. Send the file again to start over; if it stops again, whoever runs kotae will find the cause in the bot log.',
    );
  }
}

const ColumnRef = z.union([z.string(), z.number()]);

/** What a job was asked with; stored as JSON and parsed back when another replica runs it. */
export const JobOptions = z.object({
  product: z.string().optional(),
  askedBy: z.string().nullable(),
  channel: z.string().optional(),
  overwrite: z.boolean().optional(),
  overrides: z
    .object({
      sheets: z.array(z.string()).optional(),
      questionCol: ColumnRef.optional(),
      answerCol: ColumnRef.optional(),
      statusCol: ColumnRef.optional(),
      commentCol: ColumnRef.optional(),
    })
    .strict()
    .optional(),
});
export type JobOptions = z.infer<typeof JobOptions>;

export interface JobFile {
  name: string;
  bytes: Uint8Array;
}

/** How one execution is driven: stopped through `signal`; `fresh` only on the first one. */
export interface RunControl {
  signal: AbortSignal;
  fresh?: boolean;
  onProgress?: (p: JobProgress) => void;
}

export type JobState = 'running' | 'done' | 'failed';

export interface JobRecord<D> {
  key: string;
  fileName: string;
  options: JobOptions;
  delivery: D;
  /** Executions so far (2 and more: taken over from a replica that stopped). */
  attempts: number;
  /** Whether this execution took the job over from another replica. */
  adopted: boolean;
}

export type JobOutcome<R> = { ok: true; result: R } | { ok: false; error: unknown };

export interface QuestionnaireJobsOptions<R, D> {
  db: Database;
  run: (file: JobFile, options: JobOptions & RunControl) => Promise<R>;
  /** Hands the outcome to whoever asked (e.g. posts the filled file in the Slack thread). */
  deliver: (job: JobRecord<D>, outcome: JobOutcome<R>) => Promise<void>;
  /** Parses the stored delivery target back (it is the adapter's, opaque here). */
  delivery: z.ZodType<D>;
  /** Unique per process; default host, pid and a random suffix. */
  owner?: string;
  ttlMs?: number;
  /** Executions (the first run and take-overs) before the job is given up as failed; default DEFAULT_MAX_JOB_ATTEMPTS. */
  maxAttempts?: number;
  logger?: Logger;
}

/**
 * How a submitted or adopted execution ended here: `done` / `failed` were delivered;
 * `lost` stopped because another replica took the lease over; `elsewhere` was not started
 * because another replica (or this one) is running the same job.
 */
export type ExecutionEnd = 'done' | 'failed' | 'lost' | 'elsewhere';

export interface QuestionnaireJobs<D> {
  readonly owner: string;
  /** Stores the job, takes its lease and runs it to the end here. */
  submit(file: JobFile, options: JobOptions, delivery: D, control?: { fresh?: boolean; onProgress?: (p: JobProgress) => void }): Promise<{ key: string; end: ExecutionEnd }>;
  /**
   * Takes over every job whose owner stopped renewing its lease and finishes them; their
   * keys. A job that reached `maxAttempts` is given up instead (failed, asker told), not listed.
   */
  adoptOrphans(): Promise<string[]>;
  state(key: string): Promise<{ state: JobState; attempts: number; error: string | null } | undefined>;
}

const JobRow = z.object({
  file_name: z.string(),
  file_bytes: z.instanceof(Uint8Array),
  options_json: z.string(),
  delivery_json: z.string(),
  state: z.enum(['running', 'done', 'failed']),
  attempts: z.number(),
  error: z.string().nullable(),
});

/** One job per (file content, what it was asked with): the same upload again is the same job. */
export function questionnaireRunKey(bytes: Uint8Array, options: JobOptions): string {
  const { askedBy: _askedBy, ...asked } = options;
  const sorted = Object.fromEntries(Object.entries(asked).sort(([a], [b]) => a.localeCompare(b)));
  return `qrun-${sha256(Buffer.from(JSON.stringify([sha256(bytes), sorted]), 'utf8')).slice(0, 32)}`;
}

const errorText = (error: unknown): string => String(error instanceof Error ? error.message : error);

class LeaseLost extends Error {
  override readonly name = 'LeaseLost';
}

export function createQuestionnaireJobs<R, D>(deps: QuestionnaireJobsOptions<R, D>): QuestionnaireJobs<D> {
  const { db } = deps;
  const owner = deps.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const ttlMs = deps.ttlMs ?? DEFAULT_JOB_TTL_MS;
  const maxAttempts = deps.maxAttempts ?? DEFAULT_MAX_JOB_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new RangeError(`maxAttempts must be a whole number of at least 1, got ${maxAttempts}`);
  const lease = (key: string) => ({ kind: QUESTIONNAIRE_RUN_LEASE, key, owner, ttlMs });
  /** Jobs this process is executing: never twice at once here (a lease is per owner, not per execution). */
  const executing = new Set<string>();

  async function finish(key: string, state: 'done' | 'failed', error: string | null): Promise<void> {
    // A finished job is never run again (adoption skips it), so its copy of the upload goes:
    // customer files are not kept in the database longer than the work needs them.
    await db.run('UPDATE questionnaire_runs SET state = ?, error = ?, file_bytes = ?, updated_at = ? WHERE run_key = ?', [state, error, Buffer.alloc(0), new Date().toISOString(), key]);
    await release(db, lease(key));
  }

  /** Gives up a job that reached the cap: failed with its last error, then the asker is told once (best effort). */
  async function giveUp(job: JobRecord<D>, lastError: string | null): Promise<void> {
    const exhausted = new JobAttemptsExhaustedError(job.fileName, job.attempts, lastError);
    await finish(job.key, 'failed', `given up after ${job.attempts} attempts${lastError === null ? '' : `; last error: ${lastError}`}`);
    deps.logger?.error('questionnaire job given up', { key: job.key, attempts: job.attempts, lastError });
    await deps.deliver(job, { ok: false, error: exhausted }).catch((error: unknown) =>
      deps.logger?.error('questionnaire job: telling the asker it was given up failed', { key: job.key, error: errorText(error) }),
    );
  }

  async function execute(job: JobRecord<D>, file: JobFile, control: { fresh?: boolean; onProgress?: (p: JobProgress) => void }): Promise<ExecutionEnd> {
    executing.add(job.key);
    const stop = new AbortController();
    const renewal = setInterval(() => {
      renew(db, lease(job.key)).then(
        (held) => {
          if (!held) stop.abort(new LeaseLost(`job ${job.key} was taken over by another replica`));
        },
        // A failed renewal is retried at the next tick; if the lease expires meanwhile, the next renewal is refused.
        (error: unknown) => deps.logger?.warn('questionnaire job: lease renewal failed', { key: job.key, error }),
      );
    }, Math.max(1, Math.floor(ttlMs / 3)));
    try {
      let outcome: JobOutcome<R>;
      try {
        outcome = { ok: true, result: await deps.run(file, { ...job.options, signal: stop.signal, ...control }) };
      } catch (error) {
        if (stop.signal.aborted) return 'lost';
        outcome = { ok: false, error };
      }
      // Still ours? A run that ended just as its lease was taken over is delivered by the new owner.
      if (stop.signal.aborted || !(await renew(db, lease(job.key)))) return 'lost';
      // Still renewing while delivering: an upload slower than the TTL must not hand the job to another replica.
      try {
        await deps.deliver(job, outcome);
      } catch (error) {
        // Kept for the give-up at the cap, which reports the last reason the job did not finish.
        await db
          .run('UPDATE questionnaire_runs SET error = ?, updated_at = ? WHERE run_key = ?', [errorText(error), new Date().toISOString(), job.key])
          .catch((noted: unknown) => deps.logger?.warn('questionnaire job: could not note why delivery failed', { key: job.key, error: errorText(noted) }));
        throw error;
      }
      const end = outcome.ok ? 'done' : 'failed';
      await finish(job.key, end, outcome.ok ? null : errorText(outcome.error));
      deps.logger?.info('questionnaire job finished', { key: job.key, end, adopted: job.adopted, attempts: job.attempts });
      return end;
    } finally {
      clearInterval(renewal);
      executing.delete(job.key);
    }
  }

  async function load(key: string): Promise<{ row: z.infer<typeof JobRow>; job: Omit<JobRecord<D>, 'adopted'> } | undefined> {
    const raw = await db.get('SELECT file_name, file_bytes, options_json, delivery_json, state, attempts, error FROM questionnaire_runs WHERE run_key = ?', [key]);
    if (raw === undefined) return undefined;
    const row = JobRow.parse(raw);
    return {
      row,
      job: {
        key,
        fileName: row.file_name,
        options: JobOptions.parse(JSON.parse(row.options_json)),
        delivery: deps.delivery.parse(JSON.parse(row.delivery_json)),
        attempts: row.attempts,
      },
    };
  }

  async function adoptOrphans(): Promise<string[]> {
    const runs: Array<Promise<ExecutionEnd>> = [];
    const keys: string[] = [];
    for (;;) {
      const taken = await claimExpired(db, { kind: QUESTIONNAIRE_RUN_LEASE, owner, ttlMs });
      if (!taken) break;
      // Our own lease expired while we still run it (renewals failed): it is renewed again now.
      if (executing.has(taken.key)) continue;
      const stored = await load(taken.key);
      // Killed between taking the lease and storing the job, or between marking it and releasing: nothing to run.
      if (!stored || stored.row.state !== 'running') {
        await release(db, lease(taken.key));
        continue;
      }
      if (stored.job.attempts >= maxAttempts) {
        await giveUp({ ...stored.job, adopted: true }, stored.row.error);
        continue;
      }
      await db.run('UPDATE questionnaire_runs SET attempts = attempts + 1, updated_at = ? WHERE run_key = ?', [new Date().toISOString(), taken.key]);
      deps.logger?.warn('questionnaire job taken over from a replica that stopped', { key: taken.key, attempts: stored.job.attempts + 1 });
      keys.push(taken.key);
      // Not fresh: the checkpoint keeps the rows the previous owner finished.
      runs.push(execute({ ...stored.job, attempts: stored.job.attempts + 1, adopted: true }, { name: stored.row.file_name, bytes: stored.row.file_bytes }, {}));
    }
    await Promise.all(runs);
    return keys;
  }

  return {
    owner,

    async submit(file, options, delivery, control = {}) {
      const parsed = JobOptions.parse(options);
      const key = questionnaireRunKey(file.bytes, parsed);
      if (executing.has(key) || !(await claim(db, lease(key)))) return { key, end: 'elsewhere' };
      const now = new Date().toISOString();
      await db.run(
        `INSERT INTO questionnaire_runs (run_key, file_name, file_bytes, options_json, delivery_json, state, attempts, error, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, 'running', 1, NULL, ?, ?)
         ON CONFLICT (run_key) DO UPDATE SET file_name = excluded.file_name, file_bytes = excluded.file_bytes, options_json = excluded.options_json, delivery_json = excluded.delivery_json,
           state = 'running', attempts = 1, error = NULL, updated_at = excluded.updated_at`,
        [key, file.name, file.bytes, JSON.stringify(parsed), JSON.stringify(deps.delivery.parse(delivery)), now, now],
      );
      const end = await execute({ key, fileName: file.name, options: parsed, delivery, attempts: 1, adopted: false }, file, control);
      return { key, end };
    },

    adoptOrphans,

    async state(key) {
      const stored = await load(key);
      return stored && { state: stored.row.state, attempts: stored.row.attempts, error: stored.row.error };
    },
  };
}
