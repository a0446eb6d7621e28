/**
 * Several bot replicas behind a load balancer share one PostgreSQL database (issue 13). Slack
 * may deliver the same event to two replicas (a retry routed elsewhere, or a duplicate), and
 * the asker must get one answer, not two: the event log's claim is the one place that decides,
 * across processes' connection pools. Runs only in the `postgres` project: the replicas'
 * separate pools on one server are the point.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { freshPostgresUrl } from '../support/postgres.js';
import { startHarness, SALES, SALES_CHANNEL, type Harness } from './harness.js';

const started: Harness[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((h) => h.close()));
});

async function replicas(): Promise<[Harness, Harness]> {
  const url = await freshPostgresUrl();
  const pair = await Promise.all([startHarness({ env: { KOTAE_DATABASE_URL: url } }), startHarness({ env: { KOTAE_DATABASE_URL: url } })]);
  started.push(...pair);
  return pair;
}

let n = 0;
function mentionEvent(text: string): { ts: string; event: Record<string, unknown> } {
  const ts = `1700000${String(++n).padStart(3, '0')}.000100`;
  return { ts, event: { type: 'app_mention', user: SALES, channel: SALES_CHANNEL, text: `<@UBOT> ${text}`, ts, event_ts: ts } };
}

/** Replies a replica posted into the asker's thread. */
const repliesIn = (h: Harness, ts: string): number => h.fake.callsOf('chat.postMessage').filter((c) => c.args.thread_ts === ts).length;

describe('two replicas on one PostgreSQL database', () => {
  it('the same event delivered to both at once is answered once', async () => {
    const [a, b] = await replicas();
    for (let round = 0; round < 5; round += 1) {
      const { ts, event } = mentionEvent('バックアップを取得していますか');
      const eventId = `Ev-dup-${round}`;
      const [ackA, ackB] = await Promise.all([a.event(event, eventId), b.event(event, eventId)]);
      expect([ackA.status, ackB.status]).toEqual([200, 200]);
      await Promise.all([a.slack.idle(), b.slack.idle()]);
      expect(repliesIn(a, ts) + repliesIn(b, ts), `round ${round}: one answer in the thread`).toBe(1);
    }
  });

  it("Slack's retry routed to the other replica after the first answered is not answered again", async () => {
    const [a, b] = await replicas();
    const { ts, event } = mentionEvent('通信は暗号化されていますか');
    await a.event(event, 'Ev-retry');
    await a.slack.idle();
    expect(repliesIn(a, ts)).toBe(1);

    const retry = await b.event(event, 'Ev-retry', { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } });
    expect(retry.status).toBe(200);
    await b.slack.idle();
    expect(repliesIn(b, ts)).toBe(0);
  });
});
