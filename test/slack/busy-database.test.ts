/**
 * Another process holding the workflow database's write lock (a CLI approval, an ingest
 * marking answers stale, a second bot) must not stall the bot: Slack acks stay fast, and
 * every acknowledged question is answered once the lock is free, or, if it never frees,
 * the asker is told, never silently dropped. The lock is taken by a child process on the
 * bot's own database (test/support/write-lock.ts): BEGIN IMMEDIATE on SQLite's file, every
 * table locked IN EXCLUSIVE MODE on PostgreSQL.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { killChildren } from '../support/spawn-ts.js';
import { holdWriteLock } from '../support/write-lock.js';
import { SALES, SALES_CHANNEL, blockText, nextTs, startHarness, type Harness } from './harness.js';
/** The bot's ack budget under a held lock (Slack allows 3 s; the goal is 100 ms). */
const ACK_BUDGET_MS = 100;

let h: Harness | null = null;
afterEach(async () => {
  killChildren();
  await h?.close();
  h = null;
});

function mention(harness: Harness, text: string, eventId: string): { ts: string; sent: ReturnType<Harness['event']> } {
  const ts = nextTs();
  return { ts, sent: harness.event({ type: 'app_mention', user: SALES, channel: SALES_CHANNEL, text: `<@UBOT> ${text}`, ts, event_ts: ts }, eventId) };
}

/** The bot's placeholder in a mention's thread gets ts `p<thread ts>`, so its later chat.update names the thread. */
function answersByThread(harness: Harness): void {
  harness.fake.on('chat.postMessage', (call) =>
    typeof call.args.thread_ts === 'string' ? { body: { ok: true, channel: call.args.channel, ts: `p${call.args.thread_ts}` } } : undefined,
  );
}

function answerIn(harness: Harness, thread: string, timeoutMs = 15_000): ReturnType<Harness['fake']['waitFor']> {
  return harness.fake.waitFor('chat.update', (c) => c.args.ts === `p${thread}`, timeoutMs);
}

describe('a write lock held by another process', () => {
  it('keeps acks within 100 ms, and answers every acknowledged question after the lock is released', async () => {
    h = await startHarness();
    answersByThread(h);
    // Warm-up with the database free: first LanceDB queries, code paths compiled.
    const warm = mention(h, 'バックアップを取得していますか', 'Ev-warm');
    await warm.sent;
    await answerIn(h, warm.ts);
    await h.command('バックアップを取得していますか --product krew', { response_url: h.fake.responseUrl('warm-cmd') });
    await h.slack.idle();

    const locker = await holdWriteLock(h.app.config, 2500);
    const questions = ['通信は暗号化されていますか', 'データは暗号化して保存されていますか', 'バックアップを取得していますか'];
    const acks: number[] = [];
    const mentions: { ts: string; eventId: string }[] = [];
    for (const [i, question] of questions.entries()) {
      const m = mention(h, question, `Ev-locked-${i}`);
      const res = await m.sent;
      expect(res.status).toBe(200);
      acks.push(res.ms);
      mentions.push({ ts: m.ts, eventId: `Ev-locked-${i}` });
      const command = await h.command(`${question} --product krew`, { response_url: h.fake.responseUrl(`locked-cmd-${i}`) });
      expect(command.status).toBe(200);
      expect(JSON.parse(command.text)).toMatchObject({ text: expect.stringContaining('Drafting') });
      acks.push(command.ms);
    }
    // Still locked: nothing could be recorded or answered yet, but every request was acked fast.
    expect(locker.holding()).toBe(true);
    const threads = new Set(mentions.map((m) => `p${m.ts}`));
    expect(h.fake.callsOf('chat.update').filter((c) => threads.has(String(c.args.ts)))).toEqual([]);
    expect(Math.max(...acks), `acks: ${acks.map((ms) => ms.toFixed(0)).join(', ')} ms`).toBeLessThanOrEqual(ACK_BUDGET_MS);

    await locker.waitFor((l) => l === 'released');
    for (const { ts, eventId } of mentions) {
      const answer = await answerIn(h, ts);
      expect(blockText(answer.args.blocks)).toContain('krew.txt');
      await h.slack.idle();
      expect(await h.slack.deps.events.state(eventId)).toBe('done');
    }
    for (let i = 0; i < questions.length; i++) {
      const hook = `locked-cmd-${i}`;
      await h.fake.waitForResponse(() => h?.fake.responses.some((r) => r.hook === hook) ?? false, 15_000);
      const reply = h.fake.responses.find((r) => r.hook === hook);
      expect(blockText(reply?.body.blocks)).toContain('krew.txt');
    }
    // Each question was drafted and queued exactly once.
    expect((await h.app.reviews.list({ askedBy: SALES })).items.length).toBe(2 + 2 * questions.length);
  });

  it('tells the asker when the lock outlasts the retries, instead of dropping the question', async () => {
    // Held past both waits: the event log's claim gives up after the busy budget (10 s) and
    // the question goes on unclaimed; its own write then waits the budget again and fails.
    h = await startHarness();
    answersByThread(h);
    const locker = await holdWriteLock(h.app.config, 30_000);
    const m = mention(h, '通信は暗号化されていますか', 'Ev-long-lock');
    const res = await m.sent;
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThanOrEqual(ACK_BUDGET_MS * 2);
    const notice = await answerIn(h, m.ts, 28_000);
    expect(locker.holding()).toBe(true);
    expect(blockText(notice.args.blocks)).toMatch(/busy/);
    expect(blockText(notice.args.blocks)).toMatch(/try again/i);
  }, 90_000);
});
