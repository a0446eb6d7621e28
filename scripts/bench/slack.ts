/**
 * Slack ack latency for `npm run bench` (scripts/bench/sections.ts): runs the real bot
 * (Bolt, HTTP receiver on 127.0.0.1) against the local fake Slack of the tests
 * (test/support/fake-slack.ts), fires `n` signed `/kotae` commands and measures how long
 * Slack would wait for each ack (the HTTP response), the event loop's delay meanwhile, and
 * the process RSS when idle and at peak under that load. The app runs as given: with a
 * model that hangs (see `hangingDraftModel`), every command still retrieves and judges
 * after its ack, which is the CPU the acks compete with.
 *
 *   const app = await createApp(config);
 *   const r = await measureAckLatency({ app, n: 500, concurrency: 20 });
 *   // r.p50Ms, r.p99Ms, r.over3s, r.loopDelayP99Ms, r.rssIdleBytes, r.rssPeakBytes
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { App } from '../../src/app.js';
import { createLogger, type Logger } from '../../src/log.js';
import { createSlackApp } from '../../src/slack/app.js';
import { FakeSlack, sendSigned, slackSignature } from '../../test/support/fake-slack.js';

export interface AckBenchOptions {
  /** A core App (createApp), run as it is: each command retrieves, judges and drafts after its ack. */
  app: App;
  /** Commands to send. */
  n: number;
  /** Commands in flight at once (default 10). */
  concurrency?: number;
  /** Product named in the commands (default: the first product of the store, else "krew"). */
  product?: string;
  logger?: Logger;
  /**
   * Where the commands are sent from: a worker thread (default; like Slack, it does not share
   * the bot's event loop) or the bot's own thread (its response handling then waits in the
   * same loop turns as the bot's work, and is counted in every ack).
   */
  client?: 'thread' | 'in-process';
}

export interface AckBenchResult {
  n: number;
  concurrency: number;
  client: 'thread' | 'in-process';
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Acks slower than Slack's 3-second limit, or not 200. */
  over3s: number;
  failed: number;
  /** The event loop's delay while the commands ran (what every ack waited for at worst). */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  /**
   * CPU time the process (bot and sending thread) got per second of wall time while the commands ran, and the
   * machine's 1-minute load average at the end: on a shared machine, a process that needs
   * the CPU and gets a fraction of it waits in the OS scheduler, and every ack with it.
   */
  cpuShare: number;
  loadAverage: number;
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
  const client = options.client ?? 'thread';
  const botToken = `xoxb-bench-${randomBytes(8).toString('hex')}`;
  const signingSecret = randomBytes(16).toString('hex');
  const logger = options.logger ?? createLogger('silent');
  const fake = await new FakeSlack({ botToken }).start();
  const slack = createSlackApp(options.app, { mode: 'http', botToken, signingSecret, apiUrl: fake.apiUrl, port: 0, host: '127.0.0.1', logger });
  const product = options.product ?? (await options.app.products())[0] ?? 'krew';
  try {
    const { port } = await slack.start();
    const url = `http://127.0.0.1:${port}/slack/events`;
    await new Promise((r) => setTimeout(r, 200));
    const rssIdleBytes = process.memoryUsage.rss();
    let rssPeakBytes = rssIdleBytes;
    const sampler = setInterval(() => {
      rssPeakBytes = Math.max(rssPeakBytes, process.memoryUsage.rss());
    }, 25);
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    const cpuBefore = process.cpuUsage();
    const wallBefore = performance.now();

    const forms = Array.from({ length: options.n }, (_, i) => ({
      command: '/kotae',
      text: `Is data encrypted at rest? (${i}) --product ${product}`,
      user_id: 'UBENCH',
      channel_id: 'CBENCH',
      team_id: 'T1',
      trigger_id: `bench-${i}`,
      response_url: fake.responseUrl(`bench-${i}`),
    }));
    const replies = client === 'thread' ? await sendFromThread(url, signingSecret, forms, concurrency) : await sendInProcess(url, signingSecret, forms, concurrency);
    const failed = replies.filter((r) => r.status !== 200).length;
    const latencies = replies.map((r) => (r.status === 200 ? r.ms : Number.POSITIVE_INFINITY));
    loop.disable();
    const cpu = process.cpuUsage(cpuBefore);
    const wallMs = performance.now() - wallBefore;
    clearInterval(sampler);
    rssPeakBytes = Math.max(rssPeakBytes, process.memoryUsage.rss());

    const sorted = latencies.filter(Number.isFinite).sort((a, b) => a - b);
    return {
      n: options.n,
      concurrency,
      client,
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      maxMs: sorted[sorted.length - 1] ?? 0,
      over3s: latencies.filter((ms) => !(ms < 3000)).length,
      failed,
      loopDelayP99Ms: loop.percentile(99) / 1e6,
      loopDelayMaxMs: loop.max / 1e6,
      cpuShare: (cpu.user + cpu.system) / 1000 / wallMs,
      loadAverage: loadavg()[0] ?? 0,
      rssIdleBytes,
      rssPeakBytes,
    };
  } finally {
    // With a hanging model the drafts never finish: don't wait for them.
    await slack.stop(0);
    await fake.stop();
  }
}

/**
 * Waits (up to `maxMs`) until this process is idle: five 200 ms intervals in a row in which it
 * used under a tenth of a core. Commands acked under a hanging model leave their retrievals
 * queued; the next measurement must not count them. (Event-loop lateness alone is not enough:
 * retrieval yields every few milliseconds, so the loop looks free while the CPU is busy.)
 */
export async function settle(maxMs = 180_000): Promise<void> {
  const until = performance.now() + maxMs;
  let quiet = 0;
  while (quiet < 5 && performance.now() < until) {
    const before = process.cpuUsage();
    await new Promise((r) => setTimeout(r, 200));
    const used = process.cpuUsage(before);
    quiet = (used.user + used.system) / 1000 < 20 ? quiet + 1 : 0;
  }
}

interface Reply {
  status: number;
  ms: number;
}

async function sendInProcess(url: string, signingSecret: string, forms: Array<Record<string, string>>, concurrency: number): Promise<Reply[]> {
  const replies: Reply[] = [];
  let next = 0;
  const sender = async (): Promise<void> => {
    while (next < forms.length) {
      const form = forms[next++] ?? {};
      const res = await sendSigned(url, signingSecret, { form });
      replies.push({ status: res.status, ms: res.ms });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, sender));
  return replies;
}

/** The worker's sender: plain JavaScript (run with `eval`), sending requests signed beforehand. */
const SENDER = `
const { parentPort, workerData } = require('node:worker_threads');
const { url, requests, concurrency } = workerData;
const replies = [];
let next = 0;
async function sender() {
  while (next < requests.length) {
    const r = requests[next++];
    const started = performance.now();
    const res = await fetch(url, { method: 'POST', headers: r.headers, body: r.body });
    await res.text();
    replies.push({ status: res.status, ms: performance.now() - started });
  }
}
Promise.all(Array.from({ length: concurrency }, sender)).then(() => parentPort.postMessage(replies));
`;

async function sendFromThread(url: string, signingSecret: string, forms: Array<Record<string, string>>, concurrency: number): Promise<Reply[]> {
  const timestamp = Math.floor(Date.now() / 1000);
  const requests = forms.map((form) => {
    const body = new URLSearchParams(form).toString();
    const headers = {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': slackSignature(signingSecret, timestamp, body),
    };
    return { headers, body };
  });
  const worker = new Worker(SENDER, { eval: true, workerData: { url, requests, concurrency } });
  try {
    return await new Promise<Reply[]>((resolve, reject) => {
      worker.once('message', (replies: Reply[]) => resolve(replies));
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the sending thread exited (${code}) before it reported`)));
    });
  } finally {
    await worker.terminate();
  }
}

/**
 * An OpenAI-compatible endpoint on loopback that answers query rewrites at once (no new
 * terms, so retrieval runs as offline) and never answers a drafting call: every command
 * retrieves and judges, then waits on the model for the rest of the run.
 */
export async function hangingDraftModel(): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (!Buffer.concat(chunks).toString('utf8').includes('"query_rewrite"')) return; // hangs
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: 'chatcmpl-rewrite',
          object: 'chat.completion',
          created: Math.floor(Date.now() / 1000),
          model: 'bench-model',
          choices: [{ index: 0, message: { role: 'assistant', content: JSON.stringify({ terms: [], sub_questions: [] }), refusal: null }, finish_reason: 'stop', logprobs: null }],
          usage: { prompt_tokens: 100, completion_tokens: 10, total_tokens: 110 },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
