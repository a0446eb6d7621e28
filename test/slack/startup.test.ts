/**
 * Starting the bot (`npm run bot`, scripts/bot.ts) when it cannot work: the process is run as
 * a user runs it, against the local fake Slack or a closed local port, and must stop with one
 * line naming what to fix and the exit code of the README's table, never hang retrying.
 * Also: an API address that is not Slack's, and the warning when nobody can approve (the bot's log).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runIngest } from '../../src/app.js';
import { exitCodeFor } from '../../src/cli/exit.js';
import { loadConfig } from '../../src/config.js';
import { KotaeError } from '../../src/errors.js';
import { createLogger } from '../../src/log.js';
import { boltLogger } from '../../src/slack/logging.js';
import { verifyBotToken } from '../../src/slack/startup.js';
import { FakeSlack } from '../support/fake-slack.js';
import { killChildren, ROOT, spawnTs } from '../support/spawn-ts.js';
import { startHarness, type Harness } from './harness.js';

const BOT_TOKEN = 'xoxb-2222222222-3333333333-startuptestbottoken';
const APP_TOKEN = 'xapp-1-A0START-4444444444-startuptestapptoken';
const BOT = join(ROOT, 'scripts/bot.ts');

let root: string;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'kotae-bot-start-'));
  // The bot refuses to start without a store, so each start below gets past that to Slack.
  const corpus = join(root, 'corpus');
  mkdirSync(corpus);
  writeFileSync(
    join(corpus, 'manifest.json'),
    JSON.stringify([{ file: 'sheet.txt', product: 'sample', title: 'Sample checksheet', format: 'checksheet-text', language: 'en' }]),
  );
  writeFileSync(join(corpus, 'sheet.txt'), 'No.\tRequirement\tStatus\tNotes\n1-1\tBackups are taken.\tYes\tNightly, kept for two weeks.\n');
  await runIngest(loadConfig(botEnv({})), { logger: createLogger('silent') });
}, 60_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => killChildren());

/**
 * The bot's environment: the parent's minus any kotae, Slack or OpenAI setting, so only what a
 * test gives counts. Slack variables not given are set empty, which also keeps a developer's
 * .env from filling them in (variables already set win over .env).
 */
function botEnv(vars: Record<string, string>): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(KOTAE_|SLACK_|OPENAI_)/.test(key)));
  return {
    ...inherited,
    KOTAE_DATA_DIR: join(root, 'data'),
    KOTAE_CORPUS_DIR: join(root, 'corpus'),
    KOTAE_LOG_LEVEL: 'warn',
    KOTAE_DRAFTER: 'extractive',
    KOTAE_APPROVERS: 'UAPPROVER1',
    SLACK_BOT_TOKEN: '',
    SLACK_APP_TOKEN: '',
    SLACK_SIGNING_SECRET: '',
    SLACK_MODE: 'socket',
    ...vars,
  };
}

async function runBot(vars: Record<string, string>): Promise<{ code: number | null; stderr: string; ms: number }> {
  const started = performance.now();
  const { code, stderr } = await spawnTs(BOT, [], botEnv(vars)).exit;
  return { code, stderr, ms: performance.now() - started };
}

/** The lines the user reads: everything but the JSON log records. */
const said = (stderr: string): string[] => stderr.split('\n').filter((line) => line !== '' && !line.startsWith('{'));

describe('npm run bot: a start that cannot work stops and says why', () => {
  let fake: FakeSlack;
  beforeAll(async () => {
    fake = await new FakeSlack({ botToken: BOT_TOKEN }).start();
  });
  afterAll(() => fake.stop());

  it('names every missing Slack variable in one message and exits 2', async () => {
    const { code, stderr } = await runBot({});
    expect(code).toBe(2);
    expect(said(stderr)).toEqual([
      'error: 2 settings to fix',
      '  SLACK_BOT_TOKEN: required to run the Slack bot (xoxb-..., from OAuth & Permissions)',
      '  SLACK_APP_TOKEN: required in Socket Mode (xapp-... with connections:write), or set SLACK_MODE=http',
      '  Fix them in your environment or .env (see .env.example).',
    ]);
  }, 60_000);

  it('names SLACK_BOT_TOKEN when Slack rejects the bot token (invalid_auth) and exits 2', async () => {
    fake.on('auth.test', () => ({ body: { ok: false, error: 'invalid_auth' } }));
    const { code, stderr } = await runBot({ SLACK_BOT_TOKEN: 'xoxb-0000-revoked', SLACK_APP_TOKEN: APP_TOKEN, SLACK_API_URL: fake.apiUrl });
    expect(code).toBe(2);
    const [first, ...rest] = said(stderr);
    expect(first).toMatch(/^error: SLACK_BOT_TOKEN: Slack rejected it \(invalid_auth\): set it to the Bot User OAuth Token/);
    expect(rest).toEqual(['  Fix it in your environment or .env (see .env.example).']);
    expect(stderr).not.toContain('xoxb-0000-revoked');
    expect(fake.callsOf('auth.test').at(-1)?.authorization).toBe('Bearer xoxb-0000-revoked');
    expect(fake.callsOf('apps.connections.open')).toHaveLength(0);
  }, 60_000);

  it('names SLACK_APP_TOKEN when Slack rejects the app token (not_authed) in Socket Mode and exits 2', async () => {
    fake.on('auth.test', () => undefined);
    fake.on('apps.connections.open', () => ({ body: { ok: false, error: 'not_authed' } }));
    const { code, stderr } = await runBot({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: APP_TOKEN, SLACK_API_URL: fake.apiUrl });
    expect(code).toBe(2);
    expect(said(stderr)[0]).toMatch(/^error: SLACK_APP_TOKEN: Slack rejected it \(not_authed\): set it to an App-Level Token \(xapp-\.\.\.\) with connections:write/);
    expect(stderr).not.toContain(APP_TOKEN);
    expect(fake.callsOf('apps.connections.open').at(-1)?.authorization).toBe(`Bearer ${APP_TOKEN}`);
  }, 60_000);

  it('says Slack cannot be reached and exits 1 within seconds when nothing answers at the API address', async () => {
    const closed = await closedPort();
    const apiUrl = `http://127.0.0.1:${closed}/api/`;
    const { code, stderr, ms } = await runBot({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: APP_TOKEN, SLACK_API_URL: apiUrl });
    expect(code).toBe(1);
    const [first, hint] = said(stderr);
    expect(first).toBe(`error: cannot reach Slack's API at ${apiUrl} (connection refused (ECONNREFUSED))`);
    expect(hint).toContain('Check the network connection');
    expect(hint).toContain('stopped instead of retrying');
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
    // The start gives up after a few quick retries, not the SDK's thirty minutes.
    expect(ms).toBeLessThan(30_000);
  }, 60_000);
});

describe('verifyBotToken', () => {
  it('says what answered when SLACK_API_URL is not a Slack API (HTTP 404), as a failure to reach Slack', async () => {
    const fake = await new FakeSlack({ botToken: BOT_TOKEN }).start();
    try {
      const apiUrl = `${fake.base}/not-the-api/`;
      const error = await verifyBotToken(BOT_TOKEN, { apiUrl, logger: boltLogger(createLogger('silent')) }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(KotaeError);
      expect(error).toMatchObject({ code: 'upstream', message: `Slack's API at ${apiUrl} answered HTTP 404`, hint: expect.stringContaining('SLACK_API_URL') });
      expect(exitCodeFor((error as KotaeError).code)).toBe(1);
    } finally {
      await fake.stop();
    }
  }, 30_000);
});

describe('the bot warns at start when nobody can approve', () => {
  let h: Harness | null = null;
  afterEach(async () => {
    await h?.close();
    h = null;
  });
  const warnings = (logs: string[]): string[] =>
    logs.map((line) => JSON.parse(line) as { level: string; msg: string }).filter((r) => r.level === 'warn').map((r) => r.msg);

  it('without KOTAE_APPROVERS and KOTAE_APPROVER_GROUP, naming both', async () => {
    h = await startHarness({ env: { KOTAE_APPROVERS: '' } });
    const warned = warnings(h.logs).filter((msg) => msg.startsWith('nobody can approve'));
    expect(warned).toHaveLength(1);
    expect(warned[0]).toContain('KOTAE_APPROVERS');
    expect(warned[0]).toContain('KOTAE_APPROVER_GROUP');
  }, 60_000);

  it('not when an approver group alone is configured', async () => {
    h = await startHarness({ env: { KOTAE_APPROVERS: '', KOTAE_APPROVER_GROUP: 'SSECURITY' }, groupMembers: { SSECURITY: ['UMEMBER'] } });
    expect(h.logs.length).toBeGreaterThan(0);
    expect(warnings(h.logs).filter((msg) => msg.includes('approve'))).toEqual([]);
  }, 60_000);
});

/** A local port nothing listens on: bound by the OS, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return address.port;
}
