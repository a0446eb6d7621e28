/**
 * Slack ack latency and the bot's memory for `npm run bench` (scripts/bench/sections.ts).
 * The bot runs as its own process, started the way `npm run bot` starts it (scripts/bot.ts
 * under tsx, SLACK_MODE=http on 127.0.0.1), with SLACK_API_URL pointing at the local fake
 * Slack of the tests (test/support/fake-slack.ts) and OPENAI_BASE_URL at a model that
 * never answers a drafting call (`hangingDraftModel`): every command still retrieves and
 * judges after its ack, which is the CPU the acks compete with. Measured from outside, so
 * that nothing the benchmark itself holds (ingests, synthetic corpora) counts as the bot's:
 * how long Slack would wait for each ack (the HTTP response), the bot's RSS (VmRSS of
 * /proc/<pid>/status, `ps` elsewhere) when idle and at peak, and, through a probe preloaded
 * into it (loop-probe.mjs), its event loop's delay and CPU time.
 *
 *   const model = await hangingDraftModel();
 *   const bot = await startBot({ dataDir, corpusDir, modelUrl: model.url });
 *   const r = await measureAckLatency(bot, { n: 400, concurrency: 20, product: 'cybozu' });
 *   // r.p50Ms, r.p99Ms, r.over3s, r.loopDelayP99Ms, r.rssIdleBytes, r.rssPeakBytes
 *   await bot.stop();
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { z } from 'zod';
import { FakeSlack, slackSignature } from '../../test/support/fake-slack.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** What loop-probe.mjs answers. */
const ProbeReading = z.object({ probe: z.enum(['reset', 'read']), loopDelayP99Ms: z.number(), loopDelayMaxMs: z.number(), cpuMicros: z.number() });
type ProbeReading = z.infer<typeof ProbeReading>;

export interface BotOptions {
  /** KOTAE_DATA_DIR holding an ingested corpus. */
  dataDir: string;
  corpusDir: string;
  /** KOTAE_DATABASE_URL (PostgreSQL), or undefined for SQLite in the data dir. */
  databaseUrl?: string | undefined;
  /** OPENAI_BASE_URL of the (hanging) model. */
  modelUrl: string;
  /** Where the bot's stdout and stderr go (a file: the bot writes its log as it would to a terminal). */
  logFile: string;
}

export interface BotProcess {
  pid: number;
  /** The bot's /slack/events. */
  url: string;
  signingSecret: string;
  fake: FakeSlack;
  /** VmRSS now. */
  rssBytes(): number;
  /** Starts a new peak (VmHWM) where the kernel allows it; false elsewhere (sampling alone then). */
  resetPeak(): boolean;
  /** VmHWM: the highest RSS since the start or the last resetPeak, or 0 where unknown. */
  peakBytes(): number;
  probe(what: 'reset' | 'read'): Promise<ProbeReading>;
  /** SIGTERM (the bot's graceful stop), SIGKILL if it is still there after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

function procStatus(pid: number, field: 'VmRSS' | 'VmHWM'): number | null {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

function rssOf(pid: number): number {
  const fromProc = procStatus(pid, 'VmRSS');
  if (fromProc !== null) return fromProc;
  return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) * 1024;
}

async function freePort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Starts `scripts/bot.ts` as `npm run bot` does (tsx as the loader; `node --import tsx` rather
 * than the tsx CLI so that the measured pid is the bot itself, not a launcher), in HTTP mode
 * on a free loopback port, and resolves once it answers on /slack/events.
 */
export async function startBot(options: BotOptions): Promise<BotProcess> {
  const botToken = `xoxb-bench-${randomBytes(8).toString('hex')}`;
  const signingSecret = randomBytes(16).toString('hex');
  const fake = await new FakeSlack({ botToken }).start();
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KOTAE_DATA_DIR: options.dataDir,
    KOTAE_CORPUS_DIR: options.corpusDir,
    KOTAE_DATABASE_URL: options.databaseUrl ?? '',
    KOTAE_EMBEDDINGS: 'none',
    KOTAE_DRAFTER: 'openai',
    OPENAI_API_KEY: 'bench',
    OPENAI_BASE_URL: options.modelUrl,
    OPENAI_MODEL: 'bench-model',
    OPENAI_MAX_RETRIES: '0',
    OPENAI_TIMEOUT_MS: '600000',
    SLACK_MODE: 'http',
    SLACK_BOT_TOKEN: botToken,
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_API_URL: fake.apiUrl,
    PORT: String(port),
    KOTAE_HOST: '127.0.0.1',
  };
  const log = openSync(options.logFile, 'a');
  const probe = pathToFileURL(join(ROOT, 'scripts', 'bench', 'loop-probe.mjs')).href;
  // The node flag of package.json's `bot` script (the young generation of the thread that acks; see scripts/bot.ts).
  const child = spawn(process.execPath, ['--max-semi-space-size=4', '--import', 'tsx', '--import', probe, join(ROOT, 'scripts', 'bot.ts')], {
    cwd: ROOT,
    env,
    stdio: ['ignore', log, log, 'ipc'],
  });
  closeSync(log);
  const pid = child.pid;
  if (pid === undefined) throw new Error('the bot process did not start');
  const url = `http://127.0.0.1:${port}/slack/events`;
  const tail = (): string => readFileSync(options.logFile, 'utf8').split('\n').slice(-15).join('\n');

  // Listening: an unsigned request gets Bolt's 401.
  const deadline = performance.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the bot exited (${child.exitCode}) before listening:\n${tail()}`);
    const status = await fetch(url, { method: 'POST', body: '' }).then(
      (res) => res.status,
      () => 0,
    );
    if (status !== 0) break;
    if (performance.now() > deadline) throw new Error(`the bot was not listening after 180 s:\n${tail()}`);
    await new Promise((r) => setTimeout(r, 250));
  }

  const probeOnce = (what: 'reset' | 'read'): Promise<ProbeReading> =>
    new Promise((resolve, reject) => {
      const onMessage = (message: unknown): void => {
        const reading = ProbeReading.safeParse(message);
        if (!reading.success || reading.data.probe !== what) return;
        child.off('message', onMessage);
        resolve(reading.data);
      };
      child.on('message', onMessage);
      child.send({ probe: what }, (error) => {
        if (error) {
          child.off('message', onMessage);
          reject(error);
        }
      });
    });

  return {
    pid,
    url,
    signingSecret,
    fake,
    rssBytes: () => rssOf(pid),
    resetPeak: () => {
      try {
        writeFileSync(`/proc/${pid}/clear_refs`, '5');
        return true;
      } catch {
        return false;
      }
    },
    peakBytes: () => procStatus(pid, 'VmHWM') ?? 0,
    probe: probeOnce,
    async stop(graceMs = 40_000) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited(child);
        clearTimeout(timer);
      }
      await fake.stop();
    },
  };
}

export interface AckBenchOptions {
  /** Commands to send. */
  n: number;
  /** Commands in flight at once. */
  concurrency: number;
  /** Product named in the commands. */
  product: string;
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
  /** The bot's event-loop delay while the commands ran (what every ack waited for at worst). */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  /**
   * CPU time the bot got per second of wall time while the commands ran, and the machine's
   * 1-minute load average at the end: on a shared machine, a process that needs the CPU and
   * gets a fraction of it waits in the OS scheduler, and every ack with it.
   */
  cpuShare: number;
  loadAverage: number;
  /** The bot's RSS just before the commands, and its highest while they ran. */
  rssIdleBytes: number;
  rssPeakBytes: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? 0;
}

/** Sends `n` signed `/kotae` commands to the bot from a worker thread, `concurrency` at a time. */
export async function measureAckLatency(bot: BotProcess, options: AckBenchOptions): Promise<AckBenchResult> {
  const concurrency = Math.max(1, options.concurrency);
  const rssIdleBytes = bot.rssBytes();
  const hwm = bot.resetPeak();
  let rssPeakBytes = rssIdleBytes;
  const sampler = setInterval(() => {
    rssPeakBytes = Math.max(rssPeakBytes, bot.rssBytes());
  }, 25);
  const before = await bot.probe('reset');
  const wallBefore = performance.now();

  const tag = randomBytes(4).toString('hex');
  const forms = Array.from({ length: options.n }, (_, i) => ({
    command: '/kotae',
    text: `Is data encrypted at rest? (${tag}-${i}) --product ${options.product}`,
    user_id: 'UBENCH',
    channel_id: 'CBENCH',
    team_id: 'T1',
    trigger_id: `bench-${tag}-${i}`,
    response_url: bot.fake.responseUrl(`bench-${tag}-${i}`),
  }));
  const replies = await sendFromThread(bot.url, bot.signingSecret, forms, concurrency);
  const after = await bot.probe('read');
  const wallMs = performance.now() - wallBefore;
  clearInterval(sampler);
  rssPeakBytes = Math.max(rssPeakBytes, bot.rssBytes(), hwm ? bot.peakBytes() : 0);

  const failed = replies.filter((r) => r.status !== 200).length;
  const latencies = replies.map((r) => (r.status === 200 ? r.ms : Number.POSITIVE_INFINITY));
  const sorted = latencies.filter(Number.isFinite).sort((a, b) => a - b);
  return {
    n: options.n,
    concurrency,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted[sorted.length - 1] ?? 0,
    over3s: latencies.filter((ms) => !(ms < 3000)).length,
    failed,
    loopDelayP99Ms: after.loopDelayP99Ms,
    loopDelayMaxMs: after.loopDelayMaxMs,
    cpuShare: (after.cpuMicros - before.cpuMicros) / 1000 / wallMs,
    loadAverage: loadavg()[0] ?? 0,
    rssIdleBytes,
    rssPeakBytes,
  };
}

/**
 * Waits (up to `maxMs`) until the bot is idle: five 200 ms intervals in a row in which it
 * used under a tenth of a core. Commands acked under a hanging model leave their retrievals
 * queued; the next measurement must not count them. (Event-loop lateness alone is not enough:
 * retrieval yields every few milliseconds, so the loop looks free while the CPU is busy.)
 */
export async function settle(bot: BotProcess, maxMs = 180_000): Promise<void> {
  const until = performance.now() + maxMs;
  let quiet = 0;
  let last = (await bot.probe('read')).cpuMicros;
  while (quiet < 5 && performance.now() < until) {
    await new Promise((r) => setTimeout(r, 200));
    const now = (await bot.probe('read')).cpuMicros;
    quiet = (now - last) / 1000 < 20 ? quiet + 1 : 0;
    last = now;
  }
}

interface Reply {
  status: number;
  ms: number;
}

/**
 * The worker's sender: plain JavaScript (run with `eval`), sending requests signed beforehand.
 * A thread of its own, so that its timing is not delayed by the fake Slack and model this
 * process serves to the bot.
 */
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
