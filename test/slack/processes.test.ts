/**
 * Two bot replicas as real OS processes (issue 13): `scripts/bot.ts` started twice, as a user
 * runs `npm run bot`, in Slack HTTP mode on their own ports, sharing one PostgreSQL database
 * and one index directory (ingested once from this file's own corpus). Slack is the local
 * fake (test/support/fake-slack.ts) and the model a local OpenAI-compatible server reached by
 * the real SDK (test/support/fake-model.ts), one lane per replica, so the test can tell which
 * process drafted what.
 *
 * What a person would notice: a question Slack delivers to both replicas at once is answered
 * once; Slack's retry of an answered question, routed to the other replica, is not answered
 * again; a bulk questionnaire whose replica is `kill -9`ed mid-job is finished by the other
 * replica (after the lease TTL, KOTAE_JOB_TTL_MS), posted into the original thread once, and
 * no row the dead replica had finished is drafted again. replicas.test.ts and
 * questionnaire/jobs.test.ts show the same inside one test process; this is the deployment.
 * PostgreSQL only: separate processes on one SQLite file are not the supported scale-out.
 */
import { rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIngest } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { cellText } from '../../src/spreadsheet/grid.js';
import { loadSpreadsheet } from '../../src/spreadsheet/registry.js';
import { limitsFromConfig } from '../../src/spreadsheet/safety.js';
import type { Database } from '../../src/store/database.js';
import { openDatabase } from '../../src/store/open.js';
import { startBotProcess, type BotProcess } from '../support/bot-process.js';
import { tempCorpus, type TempCorpus } from '../support/corpus.js';
import { FakeModel, laneAnswer } from '../support/fake-model.js';
import { FakeSlack, type RecordedCall } from '../support/fake-slack.js';
import { freshPostgresUrl } from '../support/postgres.js';
import { killChildren } from '../support/spawn-ts.js';

const BOT_TOKEN = 'xoxb-3333333333-4444444444-processtestbottoken';
const SIGNING_SECRET = 'signing-secret-for-process-tests-51c0';
const ASKER = 'UASKER1';
const CHANNEL = 'CPROC1';
const PRODUCT = 'yukishiro';
const TTL_MS = 5000;

/** This file's own checksheet, in the PDF-to-text form the corpus parser reads. */
const CHECKSHEET = [
  '# yukishiroセキュリティチェックシート',
  '',
  '項番\t確認事項\t実施有無\t備考',
  '1-1\t情報セキュリティ基本方針を定めること。\t○\t取締役会が承認した情報セキュリティ基本方針を定め、毎年見直しております。',
  '1-2\t保存データを暗号化すること。\t○\t顧客データはAES-256で暗号化して保存しております。',
  '1-3\t通信を暗号化すること。\t○\tすべての通信はTLS1.2以上で暗号化しております。',
  '1-4\tバックアップを取得すること。\t○\tデータは毎日バックアップを取得し、30日間保管しております。',
  '1-5\t管理者アカウントを定期的に棚卸しすること。\t○\t管理者アカウントは四半期ごとに棚卸ししております。',
  '1-6\t退職者のアカウントを削除すること。\t○\t退職者のアカウントは退職日に削除しております。',
  '1-7\tウイルス対策ソフトを導入すること。\t○\t全端末にウイルス対策ソフトを導入し、定義ファイルを毎日更新しております。',
  '1-8\tアクセスログを保管すること。\t○\tアクセスログは1年間保管しております。',
  '1-9\t脆弱性診断を実施すること。\t○\t年1回、第三者による脆弱性診断を実施しております。',
  '1-10\tインシデント対応手順を定めること。\t○\tインシデント対応手順を定め、年1回訓練しております。',
  '',
].join('\n');

/** Questions mentioned in the channel, one per round (distinct, so no round reuses another's draft). */
const MENTIONS = ['ウイルス対策ソフトは導入していますか', 'アクセスログは保管していますか', '脆弱性診断は実施していますか', 'インシデント対応手順はありますか'];
const RETRIED = '情報セキュリティ基本方針はありますか';
/** The bulk questionnaire's questions. */
const BULK = [
  '保存データは暗号化していますか',
  '通信は暗号化していますか',
  'バックアップは毎日取得していますか',
  '管理者アカウントの棚卸しをしていますか',
  '退職者のアカウントはいつ削除しますか',
  'ウイルス定義ファイルは更新していますか',
];
const CSV = Buffer.from(['No,質問,回答', ...BULK.map((q, i) => `${i + 1},${q},`)].join('\r\n') + '\r\n', 'utf8');

let corpus: TempCorpus;
let config: Config;
let db: Database;
let slack: FakeSlack;
let model: FakeModel;
let a: BotProcess;
let b: BotProcess;
/** The ts the fake Slack gave each posted message → the thread it was posted in. */
const posted = new Map<string, string>();

beforeAll(async () => {
  if (process.env['KOTAE_TEST_DATABASE'] !== 'postgres') throw new Error('processes.test.ts runs on PostgreSQL only (vitest project "postgres")');
  corpus = tempCorpus('kotae-procs-', { file: 'yukishiro.txt', product: PRODUCT, vendor: null, title: 'yukishiroセキュリティチェックシート', format: 'checksheet-text', language: 'ja' }, CHECKSHEET);
  const shared = { KOTAE_DATA_DIR: corpus.dataDir, KOTAE_CORPUS_DIR: corpus.corpusDir, KOTAE_DATABASE_URL: await freshPostgresUrl() };
  // Ingested once, from one place, as the README asks of replicas sharing an index directory.
  config = loadConfig({ ...shared, KOTAE_DRAFTER: 'extractive', KOTAE_LOG_LEVEL: 'silent' });
  await runIngest(config, { logger: createLogger('silent') });
  db = await openDatabase(config);

  slack = await new FakeSlack({ botToken: BOT_TOKEN }).start();
  // Remember which thread each posted message went to, so an edit (chat.update, by ts) is traced to its thread.
  slack.on('chat.postMessage', (call) => {
    const ts = `${1_950_000_000 + posted.size}.000100`;
    posted.set(ts, String(call.args.thread_ts ?? ''));
    return { body: { ok: true, channel: call.args.channel, ts, message: { text: call.args.text } } };
  });
  model = await new FakeModel().start();
  const env = (lane: string): Record<string, string> => ({
    ...shared,
    KOTAE_LOG_LEVEL: 'info',
    KOTAE_DRAFTER: 'openai',
    OPENAI_BASE_URL: model.url(lane),
    OPENAI_MODEL: 'fake-model',
    OPENAI_MAX_RETRIES: '0',
    OPENAI_TIMEOUT_MS: '60000',
    KOTAE_CONCURRENCY: '1',
    KOTAE_JOB_TTL_MS: String(TTL_MS),
    KOTAE_APPROVERS: 'UAPPROVER1',
    KOTAE_CHANNEL_PRODUCTS: `${CHANNEL}:${PRODUCT}`,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: slack.apiUrl,
  });
  [a, b] = await Promise.all([startBotProcess('a', env('a'), SIGNING_SECRET), startBotProcess('b', env('b'), SIGNING_SECRET)]);
}, 240_000);

afterAll(async () => {
  killChildren();
  await db?.close();
  await slack?.stop();
  await model?.stop();
  if (corpus) rmSync(corpus.root, { recursive: true, force: true });
});

let seq = 0;
function nextTs(): string {
  seq += 1;
  return `${1_900_000_000 + seq}.000${String(seq).padStart(3, '0')}`;
}

function mention(question: string): { ts: string; event: Record<string, unknown> } {
  const ts = nextTs();
  return { ts, event: { type: 'app_mention', user: ASKER, channel: CHANNEL, text: `<@UBOT> ${question}`, ts, event_ts: ts } };
}

const postsIn = (thread: string): RecordedCall[] => slack.callsOf('chat.postMessage').filter((c) => c.args.thread_ts === thread);
/** Edits of messages posted in `thread`. */
const editsIn = (thread: string): RecordedCall[] => slack.callsOf('chat.update').filter((c) => posted.get(String(c.args.ts)) === thread);
const draftsOf = (question: string): number => model.drafts().filter((c) => c.question === question).length;
const skipped = (eventId: string) => (r: { msg: string; [k: string]: unknown }) => r.msg === 'slack: duplicate event delivery skipped' && r['eventId'] === eventId;

/** The answer in the thread: the placeholder posted under the mention, edited into the drafted answer. */
async function answerIn(thread: string): Promise<RecordedCall> {
  return slack.waitFor('chat.update', (c) => posted.get(String(c.args.ts)) === thread, 60_000);
}

/**
 * Waits until the delivery of `eventId` to both replicas is decided: one logged that it skipped
 * it (resolves with that one), or both answered in `thread` (null: the count assertions say so).
 */
async function loserOf(eventId: string, thread: string): Promise<BotProcess | null> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    for (const bot of [a, b]) if (bot.logs.some(skipped(eventId))) return bot;
    if (editsIn(thread).length >= 2) return null;
    if (Date.now() > deadline) throw new Error(`neither replica logged skipping ${eventId}:\n${a.stderr()}\n${b.stderr()}`);
    await sleep(50);
  }
}

describe('two bot processes on one PostgreSQL database', () => {
  it('the same mention delivered to both processes at once is answered once, round after round', async () => {
    const winners: string[] = [];
    for (const [round, question] of MENTIONS.entries()) {
      const { ts, event } = mention(question);
      const eventId = `Ev-proc-dup-${round}`;
      const [ackA, ackB] = await Promise.all([a.event(event, eventId), b.event(event, eventId)]);
      expect([ackA.status, ackB.status]).toEqual([200, 200]);

      const answer = await answerIn(ts);
      const loser = await loserOf(eventId, ts);
      // The loser decided to skip and the winner has answered: nothing more can come for this event.
      expect(postsIn(ts), `round ${round}: one message in the thread`).toHaveLength(1);
      expect(editsIn(ts), `round ${round}: one answer`).toHaveLength(1);
      expect(draftsOf(question), `round ${round}: drafted once in all`).toBe(1);
      const winner = loser === a ? 'b' : 'a';
      expect(String(answer.args.text), `round ${round}: the answer drafted by the replica that won`).toContain(laneAnswer(winner));
      winners.push(winner);
    }
    // Either replica may win a round; what matters is that each round had exactly one.
    expect(winners).toHaveLength(MENTIONS.length);
  }, 240_000);

  it("Slack's retry of an answered mention, routed to the other process, is not answered again", async () => {
    const { ts, event } = mention(RETRIED);
    const first = await a.event(event, 'Ev-proc-retry');
    expect(first.status).toBe(200);
    const answer = await answerIn(ts);
    expect(String(answer.args.text)).toContain(laneAnswer('a'));

    const retry = await b.event(event, 'Ev-proc-retry', { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } });
    expect(retry.status).toBe(200);
    expect((await loserOf('Ev-proc-retry', ts))?.name, 'the replica that got the retry skipped it').toBe('b');
    expect(postsIn(ts)).toHaveLength(1);
    expect(editsIn(ts)).toHaveLength(1);
    expect(draftsOf(RETRIED)).toBe(1);
  }, 120_000);

  it('a bulk questionnaire whose process is killed mid-job is finished by the other, posted once, no finished row drafted again', async () => {
    // A's model takes its time, so the job is still running, row by row, when A is killed.
    model.draftDelayMs.set('a', 2500);
    const meta = slack.host({ id: 'FPROC1', name: 'vendor-review.csv', bytes: CSV, contentType: 'text/csv' });
    const thread = nextTs();
    const upload = await a.event(
      { type: 'message', subtype: 'file_share', channel_type: 'im', user: ASKER, channel: 'DPROC1', text: `--product ${PRODUCT}`, ts: thread, event_ts: thread, files: [meta] },
      'Ev-proc-bulk',
    );
    expect(upload.status).toBe(200);

    // Killed once three rows are checkpointed: at 2.5 s a row, the job has by then outlived its TTL on A's renewals.
    const saved = async (): Promise<string[]> => (await db.all('SELECT question FROM questionnaire_job_rows')).map((r) => String(r['question']));
    const deadline = Date.now() + 120_000;
    while ((await saved()).length < 3) {
      if (Date.now() > deadline) throw new Error(`A checkpointed ${(await saved()).length} rows in 120 s:\n${a.stderr()}`);
      await sleep(100);
    }
    // A renews its lease while it works: B has not taken the job.
    expect(model.drafts('b').filter((c) => BULK.includes(c.question))).toEqual([]);
    a.child.proc.kill('SIGKILL');
    const killedAt = Date.now();
    expect((await a.child.exit).signal).toBe('SIGKILL');
    const finishedByA = await saved();
    expect(finishedByA.length).toBeGreaterThanOrEqual(3);
    expect(finishedByA.length).toBeLessThan(BULK.length);
    expect(slack.callsOf('files.completeUploadExternal')).toEqual([]);

    // B notices the lease ran out, resumes from the checkpoint and posts into the original thread.
    const complete = await slack.waitFor('files.completeUploadExternal', (c) => c.args.thread_ts === thread, 120_000);
    expect(complete.args.channel_id).toBe('DPROC1');
    // Within seconds, as KOTAE_JOB_TTL_MS asks (the default 60 s lease would keep it waiting a minute or more).
    expect(Date.now() - killedAt).toBeLessThan(45_000);
    await b.waitForLog((r) => r.msg === 'slack: bulk questionnaire finished' && r['adopted'] === true);

    // Every row answered in the posted file; the rows A finished carry A's drafts, the rest B's.
    expect(slack.callsOf('files.getUploadURLExternal').map((c) => c.args.filename)).toEqual(['vendor-review.kotae.csv']);
    const filled = slack.uploads[0];
    if (!filled) throw new Error('no filled file uploaded');
    const sheet = (await loadSpreadsheet(filled.bytes, 'vendor-review.kotae.csv', limitsFromConfig(config))).grid.sheets[0];
    if (!sheet) throw new Error('the posted file has no sheet');
    for (const [i, question] of BULK.entries()) {
      expect(cellText(sheet, i + 2, 2)).toBe(question);
      expect(cellText(sheet, i + 2, 3), question).toContain(laneAnswer(finishedByA.includes(question) ? 'a' : 'b'));
    }

    // Drafts: none of A's finished rows drafted again by B, every other row drafted by B once;
    // A drafted each row at most once (the row in flight when it died is B's to draft again).
    const byB = model.drafts('b').map((c) => c.question).filter((q) => BULK.includes(q));
    expect(byB.filter((q) => finishedByA.includes(q))).toEqual([]);
    expect([...byB].sort()).toEqual(BULK.filter((q) => !finishedByA.includes(q)).sort());
    const byA = model.drafts('a').map((c) => c.question).filter((q) => BULK.includes(q));
    expect(new Set(byA).size).toBe(byA.length);
    expect(byA.filter((q) => !finishedByA.includes(q)).length).toBeLessThanOrEqual(1);

    // Later rounds of B's takeover timer find nothing to do: posted once, the job done on its second attempt.
    await sleep(TTL_MS * 2 + 500);
    expect(slack.callsOf('files.completeUploadExternal').filter((c) => c.args.thread_ts === thread)).toHaveLength(1);
    const summaries = slack.callsOf('chat.postMessage').filter((c) => c.args.thread_ts === thread && String(c.args.text).includes(`${BULK.length} questions`));
    expect(summaries).toHaveLength(1);
    expect(await db.all('SELECT state, attempts FROM questionnaire_runs')).toEqual([{ state: 'done', attempts: 2 }]);
    expect(model.drafts('b').filter((c) => BULK.includes(c.question))).toHaveLength(byB.length);
  }, 300_000);
});
