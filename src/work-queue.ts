/**
 * A bounded queue for the CPU-bound part of answering (retrieval: lexicon expansion, match
 * keys, ranking and judging, some 20-30 ms of JavaScript per question). Node runs it on the
 * same thread as the Slack receiver: when twenty commands arrive at once, twenty retrievals
 * otherwise run interleaved, each loop turn runs a slice of every one of them, and a new
 * request waits behind all those slices before it is acknowledged (ack p99 2.4 s measured
 * under 20 concurrent /kotae, BENCHMARKS.md). Through the queue, at most `concurrency`
 * retrievals run at once and each starts only after a `setImmediate`, i.e. after the
 * pending I/O (incoming requests, acks being written) has been served: an ack then waits
 * for one slice of one retrieval at most. Total throughput is unchanged, the JavaScript
 * was on one thread anyway.
 *
 * Model calls are deliberately not queued: they wait on the network, not the CPU, and a
 * hanging model must not hold a slot that the next question's retrieval needs.
 *
 * Inside one retrieval, the loops over a whole product run through `inSlices`: for a product
 * of 3,000 rows a single loop held the thread for 100-800 ms; in slices, a request waits for
 * one slice of a few milliseconds. (Retrieval on a worker thread was tried and measured worse
 * on a shared 2-core machine: no better acks, more CPU per command, RSS peak 555-635 MiB
 * against 404-441 MiB, since every question's passages crossed the thread boundary as copies.)
 */
import { setImmediate as afterPendingIo } from 'node:timers/promises';
import pLimit from 'p-limit';

export interface WorkQueue {
  /** Runs `work` once a slot is free and the I/O pending at that moment has been served. */
  run<T>(work: () => Promise<T>): Promise<T>;
}

/** The longest synchronous slice `inSlices` runs before letting pending I/O through. */
export const SLICE_MS = 5;

/**
 * `items.map(fn)`, run in slices of about `sliceMs`, each followed by a `setImmediate`: for a
 * loop over a whole product (3,000 rows: match keys, bigram scores, snapshot rows) that would
 * otherwise hold the thread for 100-800 ms at once, so that a Slack request arriving meanwhile
 * waits for one slice, not for the loop. The result is the same array `map` returns.
 */
export async function inSlices<T, R>(items: readonly T[], fn: (item: T, index: number) => R, sliceMs = SLICE_MS): Promise<R[]> {
  const out: R[] = [];
  let started = performance.now();
  for (let i = 0; i < items.length; i++) {
    out.push(fn(items[i] as T, i));
    if (performance.now() - started >= sliceMs && i + 1 < items.length) {
      await afterPendingIo();
      started = performance.now();
    }
  }
  return out;
}

export function createWorkQueue(concurrency: number): WorkQueue {
  const limit = pLimit(concurrency);
  return {
    run: (work) =>
      limit(async () => {
        await afterPendingIo();
        return work();
      }),
  };
}
