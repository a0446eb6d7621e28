/**
 * Reliability properties, each against the real Bolt app: ack within Slack's 3 s whatever
 * the core does, retries of events that never finished are processed, 429s are waited
 * out by the Web API client itself (one retry, no second layer), a failed post is logged
 * with the review it concerns and the draft stays in the queue. The write lock another
 * process holds is the backend's own (test/support/write-lock.ts): BEGIN IMMEDIATE on SQLite,
 * table locks on PostgreSQL.
 */
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { ACTIONS, CALLBACKS, INPUT_ACTION, REJECT_BLOCK } from '../../src/slack/blocks.js';
import { interactionForm, slackSignature } from '../support/fake-slack.js';
import { unflaggingJudge } from '../support/judges.js';
import { killChildren } from '../support/spawn-ts.js';
import { holdWriteLock } from '../support/write-lock.js';
import { APPROVER, SALES, SALES_CHANNEL, SIGNING_SECRET, blockAction, blockText, hanging, nextTs, startHarness, type Harness } from './harness.js';

let h: Harness | null = null;
afterEach(async () => {
  killChildren();
  await h?.close();
  h = null;
});


describe('ack latency', () => {
  it('acks slash commands, mentions and button clicks well within 3 s while the ask hangs', async () => {
    h = await startHarness({ wrap: hanging });
    const command = await h.command('データは暗号化されていますか --product krew');
    expect(command.status).toBe(200);
    expect(command.ms).toBeLessThan(1000);

    const ts = nextTs();
    const mention = await h.event({ type: 'app_mention', user: SALES, channel: SALES_CHANNEL, text: '<@UBOT> 通信は暗号化されていますか', ts, event_ts: ts }, 'Ev-hang-1');
    expect(mention.status).toBe(200);
    expect(mention.ms).toBeLessThan(1000);

    // The asker sees that something is happening even though no answer comes.
    await h.fake.waitFor('chat.postMessage', (c) => c.args.thread_ts === ts && String(c.args.text).includes('Looking that up'));
    expect(JSON.parse(command.text)).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('Drafting') });

    const click = await h.action(blockAction({ user: SALES, actionId: ACTIONS.requestReview, value: '999:1', responseUrl: h.fake.responseUrl('x'), channel: SALES_CHANNEL, messageTs: nextTs() }));
    expect(click.status).toBe(200);
    expect(click.ms).toBeLessThan(1000);
  });
});

/**
 * Sends a signed form from a child process, which notes when the response arrived: the bot
 * shares this process, so a synchronous database wait in it would hold up an in-process
 * client too and hide whether the response had already been sent.
 */
function sendFromChild(url: string, form: Record<string, string>): Promise<{ at: number; status: number; text: string }> {
  const raw = new URLSearchParams(form).toString();
  const timestamp = Math.floor(Date.now() / 1000);
  const headers = {
    'content-type': 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': slackSignature(SIGNING_SECRET, timestamp, raw),
  };
  const script = `(async () => {
    const [url, headers, body] = JSON.parse(process.argv[1]);
    const res = await fetch(url, { method: 'POST', headers, body });
    const text = await res.text();
    process.stdout.write(JSON.stringify({ at: Date.now(), status: res.status, text }));
  })().catch((error) => { console.error(error); process.exit(1); });`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script, JSON.stringify([url, headers, raw])], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as { at: number; status: number; text: string }) : reject(new Error(`child exited ${code}`))));
  });
}

describe('modal submissions', () => {
  it('are acked while another connection holds the database write lock; the outcome is reported afterwards', async () => {
    // The draft waits unflagged ('drafted') until a decision is saved: the judge says so.
    h = await startHarness({ judge: unflaggingJudge });
    const asked = await h.app.ask('データは暗号化して保存されていますか', 'krew', { enqueue: { askedBy: SALES, channel: SALES_CHANNEL } });
    const review = asked.review;
    if (!review) throw new Error('not enqueued');
    const meta = JSON.stringify({ reviewId: review.id, version: review.version, origin: { surface: 'message', responseUrl: h.fake.responseUrl('locked-card') } });
    const form = interactionForm({
      team: { id: 'T1' },
      api_app_id: 'A1',
      token: 'legacy',
      type: 'view_submission',
      user: { id: APPROVER },
      view: { id: 'VLOCK', type: 'modal', callback_id: CALLBACKS.reject, private_metadata: meta, state: { values: { [REJECT_BLOCK.reason]: { [INPUT_ACTION]: { type: 'plain_text_input', value: '根拠が古い' } } } } },
    }).form;

    // Another process (the CLI, an ingest) holds the write lock, not released until the end.
    const harness = h;
    const locker = await holdWriteLock(h.app.config, 60_000);
    const { ack, failed } = await (async () => {
      try {
        const response = await sendFromChild(harness.url, form);
        // The decision could not be saved while the lock was held: the approver is told by DM.
        const notice = await harness.fake.waitFor('chat.postMessage', (c) => c.args.channel === APPROVER && String(c.args.text).includes(`Review #${review.id}`), 20_000);
        expect(locker.holding()).toBe(true);
        return { ack: response, failed: notice };
      } finally {
        await locker.release();
      }
    })();
    // A plain ack (the form closes), sent before the decision gave up waiting for the lock.
    expect(ack.status).toBe(200);
    expect(ack.text).toBe('');
    expect(ack.at).toBeLessThan(failed.at);
    expect(String(failed.args.text)).toContain('busy');
    await h.slack.idle();
    expect((await h.app.reviews.get(review.id)).state).toBe('drafted');
  });
});

describe('event retries', () => {
  it('processes a retry whose earlier attempt started long ago and never finished', async () => {
    let now = Date.now();
    h = await startHarness({ slack: { eventLog: { now: () => now, staleAfterMs: 3 * 60_000 } } });
    // A first attempt that died with its process 5 minutes ago: started, never done.
    now -= 5 * 60_000;
    expect(await h.slack.deps.events.claim('Ev-crashed-1')).toEqual({ claimed: true, attempt: 1 });
    now += 5 * 60_000;

    const ts = nextTs();
    await h.event({ type: 'app_mention', user: SALES, channel: SALES_CHANNEL, text: '<@UBOT> バックアップを取得していますか', ts, event_ts: ts }, 'Ev-crashed-1', {
      headers: { 'x-slack-retry-num': '3', 'x-slack-retry-reason': 'http_timeout' },
    });
    const answer = await h.fake.waitFor('chat.update', (c) => blockText(c.args.blocks).includes('バックアップ'));
    expect(blockText(answer.args.blocks)).toContain('krew.txt');
    await h.slack.idle();
    expect(await h.slack.deps.events.state('Ev-crashed-1')).toBe('done');

    // One that is still being worked on (started 30 s ago) is not processed twice.
    now -= 30_000;
    await h.slack.deps.events.claim('Ev-busy-1');
    now += 30_000;
    const ts2 = nextTs();
    await h.event({ type: 'app_mention', user: SALES, channel: SALES_CHANNEL, text: '<@UBOT> 通信は暗号化されていますか', ts: ts2, event_ts: ts2 }, 'Ev-busy-1', {
      headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
    });
    await h.slack.idle();
    expect(h.fake.calls.filter((c) => c.args.thread_ts === ts2)).toHaveLength(0);
  });
});

describe('Web API failures', () => {
  it('waits out a 429 with the client’s own retry: exactly one retry, after Retry-After', async () => {
    h = await startHarness();
    h.fake.on('chat.postMessage', (_call, nth) => (nth === 1 ? { status: 429, headers: { 'retry-after': '1' }, body: { ok: false, error: 'ratelimited' } } : undefined));
    const ts = nextTs();
    await h.event({ type: 'app_mention', user: SALES, channel: SALES_CHANNEL, text: '<@UBOT> 通信は暗号化されていますか', ts, event_ts: ts }, 'Ev-429-1');
    await h.fake.waitFor('chat.update', (c) => blockText(c.args.blocks).includes('TLS1.2'));
    await h.slack.idle();
    const posts = h.fake.callsOf('chat.postMessage');
    expect(posts).toHaveLength(2);
    expect((posts[1]?.at ?? 0) - (posts[0]?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it('logs a post that still fails after the client’s retries, with the review holding the draft', async () => {
    h = await startHarness();
    h.fake.on('chat.postMessage', () => ({ status: 500, body: { ok: false, error: 'internal_error' } }));
    h.fake.on('chat.update', () => ({ status: 500, body: { ok: false, error: 'internal_error' } }));
    const ts = nextTs();
    await h.event({ type: 'app_mention', user: SALES, channel: SALES_CHANNEL, text: '<@UBOT> データは暗号化して保存されていますか', ts, event_ts: ts }, 'Ev-500-1');
    await h.slack.idle();
    // The SDK retried (retries: 2 in the harness): 3 attempts per post.
    expect(h.fake.callsOf('chat.postMessage').length).toBeGreaterThanOrEqual(3);
    const failure = h.logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'slack: posting a message failed' && l.reviewId !== undefined);
    expect(failure).toMatchObject({ level: 'error', channel: SALES_CHANNEL, threadTs: ts });
    const review = await h.app.reviews.get(String(failure?.reviewId));
    expect(review.question).toContain('暗号化して保存');
    expect(review.askedBy).toBe(SALES);
    expect(h.logs.join('')).not.toContain('xoxb-');
  });
});
