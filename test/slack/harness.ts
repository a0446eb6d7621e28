/**
 * Runs the real bot for tests: a real core App (createApp after ingesting a tiny corpus
 * into a temp KOTAE_DATA_DIR), the real Bolt App with its HTTP receiver on 127.0.0.1 at a
 * random port, and a local fake Slack (FakeSlack) as the Web API behind SLACK_API_URL.
 * Requests are signed like Slack's (v0 HMAC-SHA256).
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, runIngest, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { Judge } from '../../src/judge/judge.js';
import { createLogger } from '../../src/log.js';
import { createSlackApp, type SlackApp, type SlackAppOptions } from '../../src/slack/app.js';
import { databaseEnv, testDatabaseConfig } from '../support/db.js';
import { FakeSlack, interactionForm, sendSigned, type SignedRequestOptions } from '../support/fake-slack.js';

export const BOT_TOKEN = 'xoxb-1111111111-2222222222-testbottokenvalue';
export const SIGNING_SECRET = 'signing-secret-for-tests-7f3a9c';
export const APPROVER = 'UAPPROVER1';
export const SALES = 'USALES1';
export const SALES_CHANNEL = 'CSALES1';

const MANIFEST = [
  {
    file: 'krew.txt',
    product: 'krew',
    vendor: 'メシウス株式会社',
    title: 'krewセキュリティチェックシート',
    format: 'checksheet-text',
    language: 'ja',
  },
];

/**
 * A checksheet in the PDF-to-text form the corpus parser reads. Row 1-4 carries Slack
 * control sequences that survive ingest (entities decode to `<!channel>`, `<@U0ADMIN>`).
 */
const KREW = [
  '# krewセキュリティチェックシート',
  '',
  '項番\t確認事項\t実施有無\t備考',
  '<b>1 情報セキュリティのための方針群</b>\t\t\t',
  '1-1\t経営陣によって承認された情報セキュリティに関する基本方針を定めた文書があること。\t○\t当社代表取締役によって承認された情報セキュリティ基本方針を定めております。',
  '1-2\tデータは暗号化して保存すること。\t○\t保存データはAES-256で暗号化しております。',
  '1-3\t通信は暗号化すること。\t○\t通信はTLS1.2以上で暗号化しております。',
  '1-4\tインシデント発生時の連絡体制を定めること。\t○\tインシデント発生時は &lt;!channel&gt; &lt;@U0ADMIN&gt; @here に連絡し、24時間以内に利用者へ通知しております。',
  '1-5\tバックアップを取得すること。\t○\tデータは毎日バックアップを取得し、別リージョンに7日間保管しております。',
  '',
].join('\n');

export interface HarnessOptions {
  env?: Record<string, string>;
  /**
   * The judgement the core applies (test/support/judges.ts); default the committed weights.
   * A test that needs a draft to leave flagged or unflagged states it here.
   */
  judge?: (question: string) => Judge;
  /** Replace parts of the core (e.g. a hanging ask). */
  wrap?: (app: App) => App;
  slack?: Partial<SlackAppOptions>;
  /** Slack user groups the fake answers usergroups.users.list for. */
  groupMembers?: Record<string, string[]>;
}

export interface Harness {
  fake: FakeSlack;
  app: App;
  slack: SlackApp;
  url: string;
  logs: string[];
  send(body: { form: Record<string, string> } | { json: unknown }, options?: SignedRequestOptions): ReturnType<typeof sendSigned>;
  command(text: string, extra?: Record<string, string>): ReturnType<typeof sendSigned>;
  event(event: Record<string, unknown>, eventId: string, options?: SignedRequestOptions): ReturnType<typeof sendSigned>;
  action(payload: Record<string, unknown>): ReturnType<typeof sendSigned>;
  close(): Promise<void>;
}

let seq = 0;

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const root = mkdtempSync(join(tmpdir(), 'kotae-slack-'));
  const corpus = join(root, 'corpus');
  mkdirSync(corpus);
  writeFileSync(join(corpus, 'manifest.json'), JSON.stringify(MANIFEST));
  writeFileSync(join(corpus, 'krew.txt'), KREW);

  const fake = await new FakeSlack({ botToken: BOT_TOKEN, ...(options.groupMembers ? { groupMembers: options.groupMembers } : {}) }).start();
  const env = {
    KOTAE_DATA_DIR: join(root, 'data'),
    KOTAE_CORPUS_DIR: corpus,
    KOTAE_LOG_LEVEL: 'debug',
    KOTAE_DRAFTER: 'extractive',
    KOTAE_APPROVERS: APPROVER,
    KOTAE_CHANNEL_PRODUCTS: `${SALES_CHANNEL}:krew`,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_MODE: 'http',
    SLACK_API_URL: fake.apiUrl,
    // On the postgres test run the bot keeps its workflow state in a fresh PostgreSQL database.
    ...databaseEnv(await testDatabaseConfig(join(root, 'data'))),
    ...options.env,
  };
  const config = loadConfig(env);
  const logs: string[] = [];
  const logger = createLogger('debug', (line) => logs.push(line));
  await runIngest(config, { logger });
  const core = await createApp(config, { logger, judge: options.judge });
  const app = options.wrap ? options.wrap(core) : core;
  const slack = createSlackApp(app, {
    port: 0,
    host: '127.0.0.1',
    logger,
    // Fast retries so failure tests finish quickly; the policy itself is the SDK's.
    retryConfig: { retries: 2, factor: 1, minTimeout: 20, maxTimeout: 50 },
    ...options.slack,
  });
  const { port } = await slack.start();
  const url = `http://127.0.0.1:${port}/slack/events`;

  const send: Harness['send'] = (body, o) => sendSigned(url, SIGNING_SECRET, body, o);
  return {
    fake,
    app,
    slack,
    url,
    logs,
    send,
    command: (text, extra = {}) =>
      send({
        form: {
          command: '/kotae',
          text,
          user_id: SALES,
          user_name: 'sales',
          channel_id: SALES_CHANNEL,
          team_id: 'T1',
          trigger_id: `trig-${++seq}`,
          response_url: fake.responseUrl(`cmd-${seq}`),
          api_app_id: 'A1',
          token: 'legacy-verification-token',
          ...extra,
        },
      }),
    event: (event, eventId, o) =>
      send({ json: { type: 'event_callback', team_id: 'T1', api_app_id: 'A1', event_id: eventId, event_time: Math.floor(Date.now() / 1000), event } }, o),
    action: (payload) => send(interactionForm({ team: { id: 'T1' }, api_app_id: 'A1', token: 'legacy', ...payload })),
    async close() {
      await slack.stop(500);
      await fake.stop();
      await core.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

export function blockText(blocks: unknown): string {
  return JSON.stringify(blocks ?? []);
}

/** A core whose drafting never returns (a hung model call): the acks measured are the bot's own. */
export function hanging(app: App): App {
  return { ...app, ask: () => new Promise(() => undefined) };
}

export function nextTs(): string {
  seq += 1;
  return `${1_800_000_000 + seq}.000${String(seq).padStart(3, '0')}`;
}

export function blockAction(input: {
  user: string;
  actionId: string;
  value: string;
  responseUrl?: string;
  channel?: string;
  messageTs?: string;
  threadTs?: string;
  view?: Record<string, unknown>;
}): Record<string, unknown> {
  seq += 1;
  return {
    type: 'block_actions',
    user: { id: input.user, name: input.user.toLowerCase() },
    trigger_id: `trig-action-${seq}`,
    ...(input.responseUrl ? { response_url: input.responseUrl } : {}),
    container: { type: input.view ? 'view' : 'message' },
    ...(input.channel ? { channel: { id: input.channel } } : {}),
    ...(input.messageTs ? { message: { ts: input.messageTs, ...(input.threadTs ? { thread_ts: input.threadTs } : {}) } } : {}),
    ...(input.view ? { view: input.view } : {}),
    actions: [{ type: 'button', action_id: input.actionId, block_id: 'b1', value: input.value, action_ts: '1.1' }],
  };
}
