/**
 * The `ask` use case on a thread of its own (issue 13: Slack acks within 100 ms while twenty
 * questions are being answered). Answering one question is CPU on the thread that runs it:
 * LanceDB full-text reads and their Arrow decoding, lexicon expansion, ranking and judging,
 * the OpenAI SDK's requests and JSON, and the garbage all that leaves. On the thread that
 * also receives Slack's requests, an ack waited behind it (event loop busy ~0.9 under twenty
 * commands, ack p99 136-351 ms). Moving retrieval alone to a worker was measured and not
 * enough (p99 235 -> 198 ms): the model calls stayed. So the whole use case moves: the
 * worker (ask-worker.ts) builds its own core App from the same parsed config, with its own
 * search index reader, database connection (a second SQLite connection in WAL mode, or its
 * own PostgreSQL pool) and model clients, and answers `ask` (library lookup, query rewrite,
 * retrieval, drafting, review enqueue). This thread only posts the question and parses the
 * answer.
 *
 * Across the boundary go plain structured-clone messages; what comes back is parsed with zod.
 * A kotae error keeps its class, code, hint and remedy. An abort is forwarded (the model call
 * is cancelled there) and the caller's promise settles at once with the signal's reason. A
 * worker that dies fails every question it held with a retryable AskThreadStoppedError (never a
 * hang) and is started again for the next question.
 *
 * The worker is started by a small CommonJS bootstrap evaluated from a string, which imports
 * the entry module: ask-worker.js next to this file in a build, or ask-worker.ts from the
 * source, with tsx's loader registered in the worker first (loaders registered by
 * `tsx`/`node --import tsx` do not reach worker threads; vitest's transform does not either).
 */
import { Worker } from 'node:worker_threads';
import { z } from 'zod';
import type { AskedDraft, AskOptions } from './app.js';
import type { Config } from './config.js';
import { Draft, Passage, Status } from './domain.js';
import * as errors from './errors.js';
import { KotaeError, REMEDIES } from './errors.js';
import { ANSWER_FEATURES, ROW_FEATURES } from './judge/feature-names.js';
import type { Logger } from './log.js';
import { ReviewRecord } from './review/types.js';

/** The worker stopped (a crash, an out-of-memory end) before it answered: asking again works. */
export class AskThreadStoppedError extends KotaeError {
  override readonly name = 'AskThreadStoppedError';
  constructor(why: string) {
    super('upstream', `kotae stopped drafting this answer: ${why}`, 'Please ask again: kotae has restarted its drafting.');
  }
}

/**
 * The worker's young generation (V8's default lets it grow to 48 MB per thread): measured on
 * twenty questions, 24 MB took 15-20 MB off the bot's RSS for no more CPU (issue 13's budget
 * is 400 MiB idle for both threads).
 */
const YOUNG_GENERATION_MB = 24;

/** How long close() lets the worker close its database before ending it. */
const CLOSE_GRACE_MS = 5_000;

const RankedHit = z.object({
  passage: Passage,
  score: z.number(),
  coverage: z.number(),
  features: z.record(z.enum(ROW_FEATURES), z.number()),
  status: Status.optional(),
});

const AskedDraftMessage = z.object({
  draft: Draft,
  ranked: z.array(RankedHit),
  answerFeatures: z.record(z.enum(ANSWER_FEATURES), z.number()),
  review: ReviewRecord.nullable(),
});

/** An error as it crosses the thread: what it says, and its own fields (code, hint, remedy, problems...). */
export const ThrownError = z.object({
  name: z.string(),
  message: z.string(),
  stack: z.string().optional(),
  /** Whether it was one of kotae's errors (a KotaeError or a subclass). */
  kotae: z.boolean(),
  fields: z.record(z.string(), z.unknown()),
});
export type ThrownError = z.infer<typeof ThrownError>;

/** Messages the worker posts. */
export const FromWorker = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), drafterName: z.string() }),
  z.object({ type: z.literal('failed'), error: ThrownError }),
  z.object({ type: z.literal('answered'), id: z.number().int(), value: z.unknown() }),
  z.object({ type: z.literal('threw'), id: z.number().int(), error: ThrownError }),
]);

/** Messages the worker reads. */
export const ToWorker = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ask'), id: z.number().int(), question: z.string(), product: z.string(), enqueue: z.unknown().optional() }),
  z.object({ type: z.literal('abort'), id: z.number().int() }),
  z.object({ type: z.literal('close') }),
]);
export type ToWorker = z.infer<typeof ToWorker>;

/** `error` as it crosses the thread; fields that cannot be cloned (a cause, a client) stay behind. */
export function throwable(error: unknown): ThrownError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), kotae: false, fields: {} };
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(error)) {
    if (key === 'cause') continue;
    try {
      fields[key] = structuredClone(value);
    } catch {
      // Not cloneable: left out.
    }
  }
  return { name: error.name, message: error.message, ...(error.stack ? { stack: error.stack } : {}), kotae: error instanceof KotaeError, fields };
}

/** kotae's error classes, by name: a revived error is an instance of the class it was thrown as. */
const KOTAE_CLASSES = new Map<string, { prototype: KotaeError }>(
  Object.values(errors)
    .filter((value): value is typeof KotaeError => typeof value === 'function' && (value === KotaeError || value.prototype instanceof KotaeError))
    .map((cls) => [cls.name, cls]),
);

/**
 * The error the worker threw, as the caller would have caught it in-process: a kotae error
 * of errors.ts is an instance of its class with its code, hint, remedy and other fields (one
 * defined elsewhere is a KotaeError with its name); any other is an Error with its name and
 * message, and its code when it had one.
 */
export function revive(thrown: ThrownError): Error {
  if (thrown.kotae) {
    const cls = KOTAE_CLASSES.get(thrown.name) ?? KotaeError;
    const error: KotaeError = Object.create(cls.prototype as object) as KotaeError;
    const code = thrown.fields.code;
    const remedy = z.enum(REMEDIES).optional().safeParse(thrown.fields.remedy);
    Object.assign(error, thrown.fields, {
      name: thrown.name,
      message: thrown.message,
      code: typeof code === 'string' ? code : 'upstream',
      hint: typeof thrown.fields.hint === 'string' ? thrown.fields.hint : undefined,
      remedy: remedy.success ? remedy.data : undefined,
      stack: thrown.stack,
    });
    return error;
  }
  const error = new Error(thrown.message);
  error.name = thrown.name;
  if (thrown.stack) error.stack = thrown.stack;
  if (typeof thrown.fields.code === 'string') Object.assign(error, { code: thrown.fields.code });
  return error;
}

interface Pending {
  resolve: (value: AskedDraft) => void;
  reject: (error: unknown) => void;
}

/** One worker: its ready promise and the questions it holds. */
interface Running {
  worker: Worker;
  ready: Promise<string>;
  pending: Map<number, Pending>;
  /** Why it stopped, once it has: a question must not be posted to it any more. */
  down: Error | null;
}

export interface AskThread {
  drafterName: string;
  ask(question: string, product: string, options?: AskOptions): Promise<AskedDraft>;
  /** Ends the worker (its database closed first); questions still out fail. */
  close(): Promise<void>;
}

/** The worker's entry module: the build's .js next to this file, or the source's .ts. */
function defaultEntry(): URL {
  return new URL(import.meta.url.endsWith('.ts') ? './ask-worker.ts' : './ask-worker.js', import.meta.url);
}

const BOOTSTRAP = String.raw`
const { workerData } = require('node:worker_threads');
(async () => {
  if (workerData.tsx) (await import(workerData.tsx)).register();
  await import(workerData.entry);
})().catch((error) => {
  // Thrown outside the promise: the worker ends with an 'error' event the owner reports.
  setImmediate(() => { throw error; });
});
`;

/**
 * Starts the ask thread and waits until it can answer (its App built, the index opened): a
 * configuration it cannot start with fails here, at startup, as in-process. `entry` replaces
 * the worker's module (tests: a worker that crashes on cue).
 */
export async function startAskThread(config: Config, options: { logger: Logger; entry?: URL }): Promise<AskThread> {
  const { logger } = options;
  const entry = options.entry ?? defaultEntry();
  const tsx = entry.pathname.endsWith('.ts') ? import.meta.resolve('tsx/esm/api') : null;
  let nextId = 1;
  let current: Running | null = null;
  let closed = false;

  const start = (): Running => {
    const worker = new Worker(BOOTSTRAP, {
      eval: true,
      workerData: { entry: entry.href, tsx, config },
      resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    });
    const pending = new Map<number, Pending>();
    let readied: { resolve: (name: string) => void; reject: (error: unknown) => void } | null = null;
    const ready = new Promise<string>((resolve, reject) => {
      readied = { resolve, reject };
    });
    // Never unhandled: a failed start is reported to whoever waits for it.
    ready.catch(() => undefined);
    const running: Running = { worker, ready, pending, down: null };
    // Idle, the thread must not keep a finished command alive; starting or answering, it must.
    ready.then(() => {
      if (pending.size === 0) worker.unref();
    }, () => undefined);
    const stopped = (error: Error): void => {
      if (current === running) current = null;
      running.down ??= error;
      readied?.reject(error);
      for (const [id, waiter] of pending) {
        pending.delete(id);
        waiter.reject(error);
      }
    };
    worker.on('message', (raw: unknown) => {
      const parsed = FromWorker.safeParse(raw);
      if (!parsed.success) {
        logger.error('ask thread: unreadable message', { issue: parsed.error.issues[0]?.message });
        return;
      }
      const message = parsed.data;
      if (message.type === 'ready') {
        readied?.resolve(message.drafterName);
        return;
      }
      if (message.type === 'failed') {
        stopped(revive(message.error));
        void worker.terminate();
        return;
      }
      const waiter = pending.get(message.id);
      if (!waiter) return;
      forget(running, message.id);
      if (message.type === 'threw') {
        waiter.reject(revive(message.error));
        return;
      }
      const answer = AskedDraftMessage.safeParse(message.value);
      if (answer.success) waiter.resolve(answer.data);
      else waiter.reject(new AskThreadStoppedError(`its answer could not be read (${answer.error.issues[0]?.message ?? 'invalid'})`));
    });
    worker.on('error', (error) => {
      logger.error('ask thread failed', { error });
      stopped(new AskThreadStoppedError(`the drafting thread failed (${error.message})`));
    });
    worker.on('exit', (code) => {
      if (!closed) logger.warn('ask thread stopped; it is started again for the next question', { code });
      stopped(closed ? new AskThreadStoppedError('kotae is shutting down') : new AskThreadStoppedError(`the drafting thread stopped (exit code ${code})`));
    });
    return running;
  };

  const running = (): Running => (current ??= start());
  const forget = (thread: Running, id: number): boolean => {
    const had = thread.pending.delete(id);
    if (thread.pending.size === 0) thread.worker.unref();
    return had;
  };
  const drafterName = await running().ready;

  return {
    drafterName,
    async ask(question, product, askOptions = {}) {
      const { signal, enqueue } = askOptions;
      if (closed) throw new AskThreadStoppedError('kotae is shutting down');
      signal?.throwIfAborted();
      const thread = running();
      await thread.ready;
      // While it started: the question may have been cancelled, or the thread have stopped.
      signal?.throwIfAborted();
      if (thread.down) throw new AskThreadStoppedError(`the drafting thread stopped (${thread.down.message})`);
      const id = nextId++;
      return new Promise<AskedDraft>((resolve, reject) => {
        const onAbort = (): void => {
          if (!forget(thread, id)) return;
          thread.worker.postMessage({ type: 'abort', id } satisfies ToWorker);
          reject(signal?.reason);
        };
        const settle =
          <T>(fn: (value: T) => void) =>
          (value: T): void => {
            signal?.removeEventListener('abort', onAbort);
            fn(value);
          };
        thread.pending.set(id, { resolve: settle(resolve), reject: settle(reject) });
        thread.worker.ref();
        signal?.addEventListener('abort', onAbort, { once: true });
        thread.worker.postMessage({ type: 'ask', id, question, product, ...(enqueue ? { enqueue } : {}) } satisfies ToWorker);
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      const thread = current;
      if (!thread) return;
      // Questions still out are told now, not with the model call the worker cancels on closing.
      for (const [id, waiter] of thread.pending) {
        forget(thread, id);
        waiter.reject(new AskThreadStoppedError('kotae is shutting down'));
      }
      const exited = new Promise<void>((resolve) => thread.worker.once('exit', () => resolve()));
      thread.worker.postMessage({ type: 'close' } satisfies ToWorker);
      const timer = setTimeout(() => void thread.worker.terminate(), CLOSE_GRACE_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}
