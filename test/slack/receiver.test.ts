/**
 * The HTTP receiver (src/slack/receiver.ts) as Slack sees it: commands, events and button
 * presses are answered as soon as they are read and verified, before Bolt dispatches them,
 * so a burst of commands is never acked behind each other's dispatch; forms still get their
 * listener's answer (field errors); verification, url_verification and retries are Bolt's.
 * Real bot (harness.ts), signed requests, fake Slack.
 */
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { CALLBACKS, INPUT_ACTION, REJECT_BLOCK } from '../../src/slack/blocks.js';
import { sendSigned, slackSignature } from '../support/fake-slack.js';
import { APPROVER, SALES, SALES_CHANNEL, SIGNING_SECRET, blockText, nextTs, startHarness, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/**
 * From a worker thread, as Slack would from elsewhere: `n` commands at once, then, once all
 * are acked, one more. Each reply's status and how long its ack took.
 */
async function sendFromThread(harness: Harness, n: number): Promise<{ burst: Array<{ status: number; ms: number }>; newcomer: { status: number; ms: number } }> {
  const timestamp = Math.floor(Date.now() / 1000);
  const request = (i: number) => {
    const body = new URLSearchParams({ command: '/kotae', text: 'q --product krew', user_id: SALES, channel_id: SALES_CHANNEL, response_url: harness.fake.responseUrl(`thread-${i}`) }).toString();
    const headers = { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': slackSignature(SIGNING_SECRET, timestamp, body) };
    return { headers, body };
  };
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { url, burst, late } = workerData;
    const send = async (r) => {
      const started = performance.now();
      const res = await fetch(url, { method: 'POST', headers: r.headers, body: r.body });
      await res.text();
      return { status: res.status, ms: performance.now() - started };
    };
    (async () => {
      // Connections opened (and fetch started) beforehand: unsigned requests, refused before Bolt.
      await Promise.all(burst.map(() => fetch(url, { method: 'POST', body: '' }).then((res) => res.text())));
      const acks = await Promise.all(burst.map(send));
      parentPort.postMessage({ burst: acks, newcomer: await send(late) });
    })();`;
  const worker = new Worker(code, { eval: true, workerData: { url: harness.url, burst: Array.from({ length: n }, (_, i) => request(i)), late: request(n) } });
  try {
    return await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  } finally {
    await worker.terminate();
  }
}

/** Counts the requests Bolt dispatches (its global middleware sees each one first). */
function countDispatches(harness: Harness): { count: () => number } {
  let n = 0;
  harness.slack.bolt.use(async ({ next }) => {
    n += 1;
    await next();
  });
  return { count: () => n };
}

describe('the HTTP receiver', () => {
  it('acks every command of a burst of 20 before Bolt dispatches any of them, then answers each', async () => {
    h = await startHarness();
    const harness = h;
    // Bolt's dispatch is held until Slack has all twenty acks: an ack that waited for its own
    // dispatch (Bolt's HTTPReceiver: the response goes when the listener calls ack()) never comes.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let dispatched = 0;
    harness.slack.bolt.use(async ({ next }) => {
      dispatched += 1;
      await held;
      await next();
    });
    const hooks = Array.from({ length: 20 }, (_, i) => harness.fake.responseUrl(`burst-${i}`));
    const acks = await Promise.all(hooks.map((hook) => harness.command('データは暗号化して保存されていますか --product krew', { response_url: hook })));

    expect(acks.map((a) => a.status)).toEqual(hooks.map(() => 200));
    for (const ack of acks) expect(JSON.parse(ack.text)).toEqual({ response_type: 'ephemeral', text: ':hourglass_flowing_sand: Drafting an answer…' });
    // Nothing answered yet: no listener has run.
    expect(harness.fake.responses.filter((r) => r.hook.startsWith('burst-'))).toHaveLength(0);

    release();
    await harness.slack.idle();
    expect(dispatched).toBe(20);
    const answered = harness.fake.responses.filter((r) => r.hook.startsWith('burst-') && blockText(r.body.blocks).includes('Draft answer'));
    expect(answered).toHaveLength(20);
  });

  it('acks a command arriving while a burst waits for dispatch after a dispatch or two, not after the whole burst', async () => {
    h = await startHarness();
    const harness = h;
    // Each dispatch takes the thread for 100 ms (a slow Bolt chain, exaggerated).
    const DISPATCH_MS = 100;
    harness.slack.bolt.use(async ({ next }) => {
      const until = performance.now() + DISPATCH_MS;
      while (performance.now() < until);
      await next();
    });
    // Slack is another process: the sender must not share the thread the dispatches take.
    const { burst, newcomer } = await sendFromThread(harness, 10);
    expect(burst.map((a) => a.status)).toEqual(burst.map(() => 200));
    // Up to nine dispatches (900 ms) are still queued when it arrives; it waits for about one.
    expect(newcomer.status).toBe(200);
    expect(newcomer.ms).toBeLessThan(5 * DISPATCH_MS);
    await harness.slack.idle();
  });

  it('refuses a request signed with the wrong secret, a stale one and an unsigned one with 401, and runs no listener', async () => {
    h = await startHarness();
    const dispatches = countDispatches(h);
    const form = { form: { command: '/kotae', text: 'q --product krew', user_id: SALES, channel_id: SALES_CHANNEL, response_url: h.fake.responseUrl('forged') } };
    const forged = await h.send(form, { secret: 'not-the-signing-secret' });
    const stale = await h.send(form, { timestamp: Math.floor(Date.now() / 1000) - 10 * 60 });
    const unsigned = await fetch(h.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form.form).toString() });

    expect([forged.status, stale.status, unsigned.status]).toEqual([401, 401, 401]);
    await h.slack.idle();
    expect(dispatches.count()).toBe(0);
    expect(h.fake.responses.filter((r) => r.hook === 'forged')).toHaveLength(0);
  });

  it("still answers a form with its listener's field errors, in the response Slack shows the form", async () => {
    h = await startHarness();
    const asked = await h.app.ask('経営陣が承認した基本方針はありますか', 'krew', { enqueue: { askedBy: SALES, channel: SALES_CHANNEL } });
    const review = asked.review;
    if (!review) throw new Error('not enqueued');
    const meta = JSON.stringify({ reviewId: review.id, version: review.version, origin: { surface: 'message', responseUrl: h.fake.responseUrl('card'), channel: 'DAPP' } });
    const res = await h.action({
      type: 'view_submission',
      user: { id: APPROVER },
      view: { id: 'VREJ', type: 'modal', callback_id: CALLBACKS.reject, private_metadata: meta, state: { values: { [REJECT_BLOCK.reason]: { [INPUT_ACTION]: { type: 'plain_text_input', value: '' } } } } },
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toMatchObject({ response_action: 'errors', errors: { [REJECT_BLOCK.reason]: expect.stringMatching(/Say why/) } });
    await h.slack.idle();
    expect((await h.app.reviews.get(review.id)).state).not.toBe('rejected');
  });

  it('echoes the url_verification challenge and answers ssl_check without dispatching either', async () => {
    h = await startHarness();
    const dispatches = countDispatches(h);
    const challenge = await h.send({ json: { type: 'url_verification', challenge: 'challenge-7' } });
    expect(challenge.status).toBe(200);
    expect(JSON.parse(challenge.text)).toEqual({ challenge: 'challenge-7' });
    // ssl_check is unsigned; whatever else its body carries is not dispatched.
    const ssl = await fetch(h.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ssl_check: '1', command: '/kotae', text: 'q', user_id: SALES, channel_id: SALES_CHANNEL, response_url: h.fake.responseUrl('smuggled') }).toString(),
    });
    expect(ssl.status).toBe(200);
    await h.slack.idle();
    expect(dispatches.count()).toBe(0);
  });

  it('answers 404 outside /slack/events', async () => {
    h = await startHarness();
    const res = await sendSigned(h.url.replace('/slack/events', '/elsewhere'), SIGNING_SECRET, { json: { type: 'event_callback' } });
    expect(res.status).toBe(404);
  });

  it("hands Slack's retry number and reason to the listener of an event acked first", async () => {
    h = await startHarness();
    const seen: Array<[unknown, unknown]> = [];
    h.slack.bolt.event('reaction_added', async ({ context }) => {
      seen.push([context.retryNum, context.retryReason]);
    });
    const res = await h.event({ type: 'reaction_added', user: SALES, reaction: 'eyes', item: { type: 'message', channel: SALES_CHANNEL, ts: nextTs() }, event_ts: nextTs() }, 'Ev-retried-1', {
      headers: { 'x-slack-retry-num': '2', 'x-slack-retry-reason': 'http_timeout' },
    });
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    await h.slack.idle();
    expect(seen).toEqual([[2, 'http_timeout']]);
  });

  it('logs a listener that throws after its event was acked, as a listener error, never an unhandled rejection', async () => {
    h = await startHarness();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      h.slack.bolt.event('reaction_added', async () => {
        throw new Error('the listener broke after the ack');
      });
      const event = (reaction: string) => ({ type: 'reaction_added', user: SALES, reaction, item: { type: 'message', channel: SALES_CHANNEL, ts: nextTs() }, event_ts: nextTs() });
      const ack = await h.event(event('eyes'), 'Ev-throws-1');
      expect(ack.status).toBe(200);
      await h.slack.idle();
      await new Promise((r) => setTimeout(r, 20));
      const failures = h.logs.filter((line) => line.includes('slack: unhandled error in a listener'));
      expect(failures).toHaveLength(1);
      expect(failures[0]).toContain('the listener broke after the ack');
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('acks a command it cannot read with "could not read", as the listener says', async () => {
    h = await startHarness();
    const res = await h.send({ form: { command: '/kotae', text: 'q', user_id: SALES, channel_id: SALES_CHANNEL } });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ response_type: 'ephemeral', text: 'kotae could not read that command.' });
    await h.slack.idle();
    expect(h.logs.some((line) => line.includes('slack: malformed slash command'))).toBe(true);
  });
});
