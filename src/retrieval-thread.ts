/**
 * Retrieval on a thread of its own, behind the same function the rest of the core calls.
 *
 * Why: retrieval and judging are JavaScript on the CPU, and on the thread of the Slack
 * receiver they delay acks. Yielding between them (./work-queue.ts, one retrieval at a time
 * after a `setImmediate`) bounded the loop delay by one slice but not the acks: under 20
 * commands in flight on a loaded 2-core machine the bot's thread was always runnable, and the
 * CPU profile showed its long loop turns were mostly time the OS had it waiting for a core
 * (ack p99 355-593 ms, loop delay p99 125-191 ms). With retrieval here, the receiver's
 * thread sleeps between requests and is woken as soon as one arrives.
 *
 * The thread (./retrieval-worker.ts) opens its own read-only handle on the index and its own
 * lexicon. What waits on the network stays on the calling thread: the model's query rewrite
 * (made by the caller) and the question's embedding (made here), handed over as data. It is started on the first question, so a process that never asks
 * (review decisions, exports) never pays for it, and it does not keep an idle process alive.
 * A thread that dies fails the questions in flight and is started again by the next one.
 */
import { Worker } from 'node:worker_threads';
import type { Config } from './config.js';
import type { Passage } from './domain.js';
import type { Embedder } from './embed/embedder.js';
import { KotaeError, type KotaeErrorCode } from './errors.js';
import type { RetrievalWithRanking } from './judge/retrieval.js';
import type { Logger } from './log.js';
import type { QueryRewrite } from './retrieve/rewrite.js';
import type { PassageStore } from './store/store.js';

/**
 * Retrievals running at once in the retrieval thread: one, which bounds the memory of
 * retrievals in flight. (On the receiver's thread, two at a time measured worse acks, p99 506
 * vs 274-444 ms, 20 concurrent commands on a shared, loaded machine.)
 */
export const RETRIEVALS_AT_ONCE = 1;

export type RetrievalReply =
  | { id: number; ok: true; result: RetrievalWithRanking }
  | { id: number; ok: false; error: { message: string; code?: KotaeErrorCode; hint?: string; stack?: string } };

/** What the thread is started with. */
export interface RetrievalWorkerData {
  dataDir: string;
  /** The caller's embedder, named: the index refuses to be read for another one's vectors. */
  embedder: { id: string; dimensions: number };
  scanLimit?: number;
}

/** One question, as the thread receives it. */
export interface RetrievalRequest {
  id: number;
  question: string;
  product: string;
  rewrite: QueryRewrite | null;
  /** The question's embedding; empty when the index has no vectors. */
  vector: number[];
}

export interface RetrievalThread {
  retrieve(question: string, product: string, rewrite: QueryRewrite | null): Promise<RetrievalWithRanking>;
  /** Stops the thread; questions still in flight fail. */
  close(): Promise<void>;
}

/**
 * Under `tsx` or vitest, this module is TypeScript and so is the worker: the worker thread
 * registers tsx's loader for itself (Node's loader hooks do not pass to workers) before
 * importing it. Built (dist/), it is plain JavaScript.
 */
function spawn(workerData: RetrievalWorkerData): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./retrieval-worker.js', import.meta.url), { workerData });
  const entry = new URL('./retrieval-worker.ts', import.meta.url).href;
  return new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`, { eval: true, workerData });
}

/**
 * Passages arrive copied from the thread, one copy per question; drafts waiting on a slow model
 * hold their retrieval, and twenty of them would hold twenty copies of the product. Within one
 * corpus version a passage id names one content, so the copies are replaced by the first one seen.
 */
function interner(): (r: RetrievalWithRanking) => RetrievalWithRanking {
  let version = -1;
  let seen = new Map<string, Passage>();
  const one = (p: Passage): Passage => {
    const known = seen.get(p.id);
    if (known) return known;
    seen.set(p.id, p);
    return p;
  };
  return (r) => {
    if (r.corpusVersion !== version) {
      version = r.corpusVersion;
      seen = new Map();
    }
    for (const list of [r.ranked, r.hits, r.candidates ?? []]) for (const hit of list) hit.passage = one(hit.passage);
    return r;
  };
}

export function createRetrievalThread(
  config: Config,
  options: { logger: Logger; store: PassageStore; embedder: Embedder; scanLimit?: number },
): RetrievalThread {
  const { store, embedder } = options;
  let worker: Worker | null = null;
  let nextId = 0;
  const intern = interner();
  const pending = new Map<number, { resolve: (r: RetrievalWithRanking) => void; reject: (e: Error) => void }>();

  const failAll = (error: Error): void => {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };

  const start = (): Worker => {
    const w = spawn({ dataDir: config.dataDir, embedder: { id: embedder.id, dimensions: embedder.dimensions }, ...(options.scanLimit === undefined ? {} : { scanLimit: options.scanLimit }) });
    w.on('message', (message: RetrievalReply) => {
      const p = pending.get(message.id);
      if (!p) return;
      pending.delete(message.id);
      if (pending.size === 0) w.unref();
      if (message.ok) p.resolve(intern(message.result));
      else {
        const { code, message: text, hint, stack } = message.error;
        p.reject(code ? new KotaeError(code, text, hint) : Object.assign(new Error(text), stack ? { stack } : {}));
      }
    });
    const stopped = (error: Error): void => {
      if (worker === w) worker = null;
      failAll(error);
    };
    w.on('error', (error) => {
      options.logger.error('retrieval thread failed', { error });
      stopped(error);
    });
    w.on('exit', (code) => stopped(new Error(`the retrieval thread stopped (exit code ${code})`)));
    w.unref();
    return w;
  };

  return {
    async retrieve(question, product, rewrite) {
      const vector = store.meta.dimensions > 0 ? ((await embedder.embed([question]))[0] ?? []) : [];
      const w = worker ?? (worker = start());
      const id = nextId++;
      const request: RetrievalRequest = { id, question, product, rewrite, vector };
      return new Promise<RetrievalWithRanking>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        // Keeps the process alive while an answer is awaited, not while the thread is idle.
        w.ref();
        w.postMessage(request);
      });
    },
    async close() {
      const w = worker;
      worker = null;
      if (w) await w.terminate();
      failAll(new Error('the retrieval thread was closed'));
    },
  };
}
