/**
 * Slack ack latency for `npm run bench` (scripts/bench/sections.ts): runs the real bot
 * (Bolt, HTTP receiver on 127.0.0.1) against the local fake Slack of the tests
 * (test/support/fake-slack.ts), with a model that never answers, fires `n` signed `/kotae`
 * commands and measures how long Slack would wait for each ack (the HTTP
 * response), plus the process RSS when idle and at peak under that load.
 *
 *   const app = await createApp(config);
 *   const r = await measureAckLatency({ app, n: 500, concurrency: 20 });
 *   // r.p50Ms, r.p99Ms, r.over3s, r.rssIdleBytes, r.rssPeakBytes
 */
import { randomBytes } from 'node:crypto';
import type { App } from '../../src/app.js';
import { createLogger, type Logger } from '../../src/log.js';
import { createSlackApp } from '../../src/slack/app.js';
import { FakeSlack, sendSigned } from '../../test/support/fake-slack.js';

export interface AckBenchOptions {
  /** A core App (createApp); its `ask` is replaced by one that never resolves. */
  app: App;
  /** Commands to send. */
  n: number;
  /** Commands in flight at once (default 10). */
  concurrency?: number;
  /** Product named in the commands (default: the first product of the store, else "krew"). */
  product?: string;
  logger?: Logger;
}

export interface AckBenchResult {
  n: number;
  concurrency: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Acks slower than Slack's 3-second limit, or not 200. */
  over3s: number;
  failed: number;
  rssIdleBytes: number;
  rssPeakBytes: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? 0;
}

export async function measureAckLatency(options: AckBenchOptions): Promise<AckBenchResult> {
  const concurrency = Math.max(1, options.concurrency ?? 10);
  const botToken = `xoxb-bench-${randomBytes(8).toString('hex')}`;
  const signingSecret = randomBytes(16).toString('hex');
  const logger = options.logger ?? createLogger('silent');
  const fake = await new FakeSlack({ botToken }).start();
  // The model hangs: every drafting call stays pending for the whole run.
  const hanging: App = { ...options.app, ask: () => new Promise(() => undefined) };
  const slack = createSlackApp(hanging, { mode: 'http', botToken, signingSecret, apiUrl: fake.apiUrl, port: 0, host: '127.0.0.1', logger });
  const product = options.product ?? (await options.app.products())[0] ?? 'krew';
  try {
    const { port } = await slack.start();
    const url = `http://127.0.0.1:${port}/slack/events`;
    await new Promise((r) => setTimeout(r, 200));
    const rssIdleBytes = process.memoryUsage().rss;
    let rssPeakBytes = rssIdleBytes;
    const sampler = setInterval(() => {
      rssPeakBytes = Math.max(rssPeakBytes, process.memoryUsage().rss);
    }, 25);

    const latencies: number[] = [];
    let failed = 0;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < options.n) {
        const i = next++;
        const res = await sendSigned(url, signingSecret, {
          form: {
            command: '/kotae',
            text: `Is data encrypted at rest? (${i}) --product ${product}`,
            user_id: 'UBENCH',
            channel_id: 'CBENCH',
            team_id: 'T1',
            trigger_id: `bench-${i}`,
            response_url: fake.responseUrl(`bench-${i}`),
          },
        });
        if (res.status !== 200) failed++;
        latencies.push(res.status === 200 ? res.ms : Number.POSITIVE_INFINITY);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    clearInterval(sampler);
    rssPeakBytes = Math.max(rssPeakBytes, process.memoryUsage().rss);

    const sorted = latencies.filter(Number.isFinite).sort((a, b) => a - b);
    return {
      n: options.n,
      concurrency,
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      maxMs: sorted[sorted.length - 1] ?? 0,
      over3s: latencies.filter((ms) => !(ms < 3000)).length,
      failed,
      rssIdleBytes,
      rssPeakBytes,
    };
  } finally {
    // The hung drafts never finish: don't wait for them.
    await slack.stop(0);
    await fake.stop();
  }
}
