/**
 * A Slack bot as a user runs it (`npm run bot` is `tsx scripts/bot.ts`), in a child process in
 * HTTP mode on loopback, for tests about several replicas: they need real processes (their
 * own connection pools, timers and event loops) that can be `kill -9`ed. The bot logs JSON
 * lines to stderr; a test can wait for a record. Ready means it echoes a signed
 * url_verification challenge, as Slack checks a request URL. Children are ended by
 * spawn-ts.ts's `killChildren`.
 */
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { sendSigned, type SignedRequestOptions } from './fake-slack.js';
import { spawnTs, type Spawned } from './spawn-ts.js';

export interface LogRecord {
  level: string;
  msg: string;
  [field: string]: unknown;
}

export interface BotProcess {
  name: string;
  child: Spawned;
  url: string;
  logs: LogRecord[];
  /** Stderr as written, for failure messages. */
  stderr(): string;
  /** An Events API delivery of `event` under `eventId`, signed as Slack signs it. */
  event(event: Record<string, unknown>, eventId: string, options?: SignedRequestOptions): ReturnType<typeof sendSigned>;
  /** Resolves with the first log record matching `test` (past or future); fails after `timeoutMs` or if the bot exits. */
  waitForLog(test: (record: LogRecord) => boolean, timeoutMs?: number): Promise<LogRecord>;
}

/** A loopback port free a moment ago (bound by the OS, then released) for the bot to listen on. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/**
 * Starts `scripts/bot.ts` with `env` (nothing inherited but PATH and HOME, so a developer's
 * own variables cannot change what is tested) plus HTTP mode on 127.0.0.1 and a free port,
 * and waits until it answers Slack.
 */
export async function startBotProcess(name: string, env: Record<string, string>, signingSecret: string, readyTimeoutMs = 120_000): Promise<BotProcess> {
  const port = await freePort();
  const child = spawnTs('scripts/bot.ts', [], {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    ...env,
    SLACK_MODE: 'http',
    KOTAE_HOST: '127.0.0.1',
    PORT: String(port),
    SLACK_SIGNING_SECRET: signingSecret,
  });
  const url = `http://127.0.0.1:${port}/slack/events`;
  const logs: LogRecord[] = [];
  let stderr = '';
  let partial = '';
  child.proc.stderr?.on('data', (chunk: string) => {
    stderr += chunk;
    partial += chunk;
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line) as LogRecord);
      } catch {
        // not a log record (a stack trace, a Node warning): kept in stderr only
      }
    }
  });
  const exited = (): boolean => child.proc.exitCode !== null || child.proc.signalCode !== null;

  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (exited()) throw new Error(`bot ${name} exited before it was ready:\n${stderr}`);
    const res = await sendSigned(url, signingSecret, { json: { type: 'url_verification', challenge: `ready-${name}` } }).catch(() => null);
    if (res?.status === 200 && res.text.includes(`ready-${name}`)) break;
    if (Date.now() > deadline) throw new Error(`bot ${name} not ready after ${readyTimeoutMs} ms:\n${stderr}`);
    await sleep(200);
  }

  return {
    name,
    child,
    url,
    logs,
    stderr: () => stderr,
    event: (event, eventId, options) =>
      sendSigned(url, signingSecret, { json: { type: 'event_callback', team_id: 'T1', api_app_id: 'A1', event_id: eventId, event_time: Math.floor(Date.now() / 1000), event } }, options),
    async waitForLog(test, timeoutMs = 60_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const hit = logs.find(test);
        if (hit) return hit;
        if (exited()) throw new Error(`bot ${name} exited while a log record was awaited:\n${stderr}`);
        if (Date.now() > until) throw new Error(`bot ${name}: no such log record within ${timeoutMs} ms; its log:\n${stderr}`);
        await sleep(50);
      }
    },
  };
}
