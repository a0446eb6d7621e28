/**
 * The retrieval queue (src/work-queue.ts) exists so that a Slack request arriving while many
 * questions are being retrieved is answered between two retrievals, not after all of them;
 * `inSlices` so that one arriving during a loop over a whole product is answered between two
 * slices of the loop, not after it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createWorkQueue, inSlices } from '../src/work-queue.js';

/** CPU-bound work of `ms`, as one synchronous slice (what a retrieval's ranking is). */
function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spinning on purpose
  }
}

let server: Server | null = null;
async function listen(): Promise<number> {
  server = createServer((_req, res) => res.end('ack'));
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}
afterEach(async () => {
  const s = server;
  server = null;
  if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
});

describe('createWorkQueue', () => {
  it('runs at most `concurrency` jobs at once, in the order they were queued', async () => {
    const queue = createWorkQueue(2);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const jobs = Array.from({ length: 6 }, (_, i) =>
      queue.run(async () => {
        started.push(i);
        running++;
        most = Math.max(most, running);
        await new Promise((r) => setTimeout(r, 5));
        running--;
        return i * 10;
      }),
    );
    expect(await Promise.all(jobs)).toEqual([0, 10, 20, 30, 40, 50]);
    expect(most).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('serves a request that arrives during a burst of CPU-bound jobs before the burst is done', async () => {
    const port = await listen();

    const queue = createWorkQueue(2);
    let done = 0;
    // 40 jobs of 10 ms: some 400 ms of CPU queued at once, as 20 questions arriving together would.
    const burst = Array.from({ length: 40 }, () =>
      queue.run(async () => {
        busy(10);
        done++;
      }),
    );
    const answered = fetch(`http://127.0.0.1:${port}/`).then(async (res) => ({ text: await res.text(), doneWhenAnswered: done }));
    const [reply] = await Promise.all([answered, ...burst]);
    expect(reply?.text).toBe('ack');
    // Answered between jobs: far more than a few were still to run.
    expect(reply?.doneWhenAnswered).toBeLessThan(20);
    expect(done).toBe(40);
  });

  it('passes a failure to the caller and keeps running the rest', async () => {
    const queue = createWorkQueue(1);
    const failed = queue.run(() => Promise.reject(new Error('index unreadable')));
    const next = queue.run(() => Promise.resolve('answered'));
    await expect(failed).rejects.toThrow('index unreadable');
    await expect(next).resolves.toBe('answered');
  });
});

describe('inSlices', () => {
  it('gives what map gives, in order, with each item\'s index', async () => {
    const items = Array.from({ length: 50 }, (_, i) => `row ${i}`);
    const out = await inSlices(items, (item, i) => {
      busy(1);
      return `${item}/${i}`;
    }, 3);
    expect(out).toEqual(items.map((item, i) => `${item}/${i}`));
  });

  it('serves a request that arrives during a long loop before the loop is done', async () => {
    const port = await listen();
    let done = 0;
    // 60 items of 5 ms: some 300 ms of CPU that a plain map would run as one slice.
    const loop = inSlices(Array.from({ length: 60 }, (_, i) => i), () => {
      busy(5);
      done++;
    }, 10);
    const answered = fetch(`http://127.0.0.1:${port}/`).then(async (res) => ({ text: await res.text(), doneWhenAnswered: done }));
    const [reply] = await Promise.all([answered, loop]);
    expect(reply.text).toBe('ack');
    expect(reply.doneWhenAnswered).toBeLessThan(40);
    expect(done).toBe(60);
  });
});
