/**
 * Benchmark sections for features built on the core: bulk questionnaires, the Slack
 * bot and the command line. Each writes its own Markdown table through `emit`.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import type { Config } from '../../src/config.js';
import type { Logger } from '../../src/log.js';
import { createApp } from '../../src/app.js';
import { limitsFromConfig } from '../../src/spreadsheet/safety.js';
import { loadSpreadsheet } from '../../src/spreadsheet/registry.js';
import { makeSyntheticQuestionnaire } from '../../src/questionnaire/synthetic.js';
import { cliSection } from './cli.js';
import { hangingDraftModel, measureAckLatency, settle, startBot, type AckBenchResult } from './slack.js';

export interface BenchContext {
  /** Offline config whose data dir already holds the ingested sample corpus. */
  config: Config;
  logger: Logger;
  emit: (line: string) => void;
}

export type BenchSection = (context: BenchContext) => Promise<void>;

const ROWS = 300;

async function fill(config: Config, logger: Logger, bytes: Buffer): Promise<{ ms: number; answered: number; abstained: number; rows: number }> {
  const app = await createApp(config, { logger });
  try {
    const started = performance.now();
    const result = await app.answerQuestionnaire({ name: 'bench.xlsx', bytes }, { product: 'krew', askedBy: 'bench', fresh: true });
    return { ms: performance.now() - started, answered: result.summary.answered, abstained: result.summary.abstained, rows: result.summary.questions };
  } finally {
    app.close();
  }
}

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * An OpenAI-compatible chat endpoint on loopback that takes `delayMs` per call: a query
 * rewrite (no new terms, so retrieval is unchanged) or a drafted answer, by the response format asked for.
 */
async function slowModel(delayMs: number): Promise<{ server: Server; url: string; calls: () => number }> {
  let calls = 0;
  const server = createServer((req, res) => {
    void body(req).then((raw) => {
      calls++;
      const rewrite = raw.includes('"query_rewrite"');
      setTimeout(() => {
        const content = rewrite
          ? JSON.stringify({ terms: [], sub_questions: [] })
          : JSON.stringify({ answer: 'We do, as the cited row states.', status: 'yes', citations: ['E1'], confidence: 0.8, needs_human: false, reason: null });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            id: `chatcmpl-${calls}`,
            object: 'chat.completion',
            created: Math.floor(Date.now() / 1000),
            model: 'bench-model',
            choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: 'stop', logprobs: null }],
            usage: { prompt_tokens: 500, completion_tokens: 50, total_tokens: 550 },
          }),
        );
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/v1`, calls: () => calls };
}

const bulk: BenchSection = async ({ config, logger, emit }) => {
  emit(`## Bulk questionnaire (${ROWS} rows, xlsx, product krew)\n`);
  const bytes = await makeSyntheticQuestionnaire({ rows: ROWS, lang: 'en' });
  emit('| drafter | concurrency | rows | answered | abstained | model calls | wall time |\n|---|---|---|---|---|---|---|');
  const offline = await fill(config, logger, bytes);
  emit(`| extractive (offline), end to end | ${config.bulk.concurrency} | ${offline.rows} | ${offline.answered} | ${offline.abstained} | 0 | ${(offline.ms / 1000).toFixed(1)} s |`);

  const model = await slowModel(1000);
  try {
    const withModel: Config = {
      ...config,
      drafter: 'openai',
      openai: { ...config.openai, apiKey: 'bench', baseURL: model.url, model: 'bench-model', maxRetries: 0, timeoutMs: 10_000 },
    };
    const r = await fill(withModel, logger, bytes);
    emit(`| OpenAI-compatible model taking 1 s per call (local mock; a query rewrite, then the answer) | ${config.bulk.concurrency} | ${r.rows} | ${r.answered} | ${r.abstained} | ${model.calls()} | ${(r.ms / 1000).toFixed(1)} s |`);
  } finally {
    model.server.close();
  }
  emit('\nWith a model, every new question costs two calls: one rewrites it into checksheet vocabulary (cached per question), one drafts from the top candidates, even where the offline judgement would decline (the model decides).\n');
};

/** Commands per measured run, runs per in-flight level, and the warm-up before them. */
const ACK_COMMANDS = 400;
const ACK_RUNS = 3;
const ACK_WARM_UP = 40;
/** The product the commands name (the first one of the sample corpus, as before the bot had its own process). */
const ACK_PRODUCT = 'cybozu';

const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

const slack: BenchSection = async ({ config, emit }) => {
  emit('## Slack: ack latency while the model hangs\n');
  const model = await hangingDraftModel();
  const bot = await startBot({ dataDir: config.dataDir, corpusDir: config.corpusDir, databaseUrl: config.databaseUrl, modelUrl: model.url, logFile: join(dirname(config.dataDir), 'bot.log') });
  try {
    const rssStarted = bot.rssBytes();
    // Whatever the bot loads on its first question (lexicon, analysers, the product's rows) is loaded before measuring.
    await measureAckLatency(bot, { n: ACK_WARM_UP, concurrency: 20, product: ACK_PRODUCT });
    await settle(bot);
    const rssWarm = bot.rssBytes();
    emit(
      `| commands | in flight | ack p50 | ack p99, each run | ack p99, worst run | max | over 3 s | event-loop delay p99 / max | CPU share / load | RSS idle | RSS peak |\n` +
        '|---|---|---|---|---|---|---|---|---|---|---|',
    );
    // One at a time (a person typing), then bursts of 20 at once (a busy workspace).
    for (const concurrency of [1, 20]) {
      const runs: AckBenchResult[] = [];
      for (let i = 0; i < ACK_RUNS; i++) {
        await settle(bot);
        runs.push(await measureAckLatency(bot, { n: ACK_COMMANDS, concurrency, product: ACK_PRODUCT }));
      }
      const worst = (pick: (r: AckBenchResult) => number): number => Math.max(...runs.map(pick));
      const p50s = runs.map((r) => r.p50Ms).sort((x, y) => x - y);
      emit(
        `| ${ACK_RUNS} × ${ACK_COMMANDS} signed /kotae over HTTP | ${concurrency} | ${(p50s[Math.floor(p50s.length / 2)] ?? 0).toFixed(1)} ms | ` +
          `${runs.map((r) => r.p99Ms.toFixed(1)).join(' / ')} ms | **${worst((r) => r.p99Ms).toFixed(1)} ms** | ${worst((r) => r.maxMs).toFixed(1)} ms | ` +
          `${runs.reduce((n, r) => n + r.over3s, 0)} | ${worst((r) => r.loopDelayP99Ms).toFixed(0)} / ${worst((r) => r.loopDelayMaxMs).toFixed(0)} ms | ` +
          `${runs.map((r) => r.cpuShare.toFixed(2)).join(' / ')} / ${worst((r) => r.loadAverage).toFixed(1)} | ${mib(runs[0]?.rssIdleBytes ?? 0)} | ${mib(worst((r) => r.rssPeakBytes))} |`,
      );
    }
    emit(
      `\nThe bot runs as its own process, started as \`npm run bot\` starts it (scripts/bot.ts under tsx; HTTP mode on 127.0.0.1, ` +
        'SLACK_API_URL at a local fake Slack API, OPENAI_BASE_URL at a local OpenAI-compatible model that answers query rewrites at once and never answers a drafting call, ' +
        `so every command is retrieved and judged after its ack, then waits). The commands name product ${ACK_PRODUCT} and are sent from another process (the benchmark's, from a worker thread). ` +
        `After a warm-up of ${ACK_WARM_UP} commands, each in-flight level runs ${ACK_RUNS} times; the bot is let go idle (by its CPU time) before each run. ` +
        "Ack p50 is the median run's; max, event-loop delay and RSS peak the worst run's. RSS is the bot process's (VmRSS, peak VmHWM); " +
        'event-loop delay and CPU time are read inside it by a probe the benchmark preloads (scripts/bench/loop-probe.mjs; the bot reports neither). ' +
        `CPU share: the bot's CPU time per second of each run; load: the machine's 1-minute load average. ` +
        'Every acked command stays pending on the hanging model (timeout 600 s), holding its candidates: the 20-in-flight RSS includes the 1-in-flight runs\' pending commands, some 1,200 more.\n',
    );
    emit(`Bot RSS: ${mib(rssStarted)} when listening, ${mib(rssWarm)} idle after the warm-up (goal ≤ 400 MB with the analyser loaded).\n`);
  } finally {
    // The hanging drafting calls fail once the model goes; the bot then stops at once.
    await model.close();
    await bot.stop();
  }
};

/**
 * Hostile CSV uploads: how fast a CSV of a million columns is refused, how long the event
 * loop of the refusing process stalls at most meanwhile (a timer ticking every 5 ms), and
 * how much its RSS grows. The parse runs in a worker behind column, line and cell limits.
 */
export async function measureCsvRefusal(config: Config, bytes: Buffer): Promise<{ ms: number; maxGapMs: number; rssGrowthBytes: number; message: string }> {
  const rssBefore = process.memoryUsage.rss();
  let rssPeak = rssBefore;
  let maxGap = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last);
    last = now;
    rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
  }, 5);
  const started = performance.now();
  const message = await loadSpreadsheet(bytes, 'wide.csv', limitsFromConfig(config)).then(
    () => 'accepted',
    (e: unknown) => (e instanceof Error ? e.message : String(e)),
  );
  const ms = performance.now() - started;
  clearInterval(timer);
  return { ms, maxGapMs: maxGap, rssGrowthBytes: rssPeak - rssBefore, message };
}

const hostileCsv: BenchSection = async ({ config, emit }) => {
  emit('## Hostile CSV uploads (refused in a worker)\n');
  emit('| file | size | refused after | longest event-loop stall | RSS growth | message |\n|---|---|---|---|---|---|');
  for (const columns of [1_000_000, 9_400_000]) {
    // Filled in place: a 19 MB string built first would be garbage on this heap, and its
    // collection would be counted as a stall of the refusal.
    const bytes = Buffer.alloc(columns * 2 + 2, 'a,');
    bytes.write('a\n', columns * 2);
    const r = await measureCsvRefusal(config, bytes);
    emit(
      `| one line of ${columns.toLocaleString('en')} columns | ${(bytes.length / 2 ** 20).toFixed(1)} MiB | ${r.ms.toFixed(0)} ms | ` +
        `${r.maxGapMs.toFixed(0)} ms | ${(r.rssGrowthBytes / 2 ** 20).toFixed(0)} MiB | ${r.message.replace(/\|/g, '\\|')} |`,
    );
  }
  emit('\nBefore the worker and its limits, the 2 MB file took 17 s and 600 MB on the main thread, the 18.8 MB one 209 s and 2.9 GB.\n');
};

/** In the order they run; `npm run bench -- --only ack` runs one of them (after the ingest it needs). */
export const benchSections: Record<string, BenchSection> = { bulk, ack: slack, 'hostile-csv': hostileCsv, cli: cliSection };
