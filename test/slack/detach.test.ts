/**
 * Work the bot does after acking (drafting, posting, review decisions) runs detached from
 * Bolt's request (src/slack/app.ts detach): it must still be awaited by stop() and tests, and a
 * failure in it is logged as a listener's, never an unhandled rejection that would stop the bot.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('work detached after an ack', () => {
  it('is waited for by idle(), and its failure is logged as a listener error', async () => {
    h = await startHarness();
    const done: string[] = [];
    h.slack.deps.detach(async () => {
      await new Promise((r) => setTimeout(r, 20));
      done.push('finished');
    });
    h.slack.deps.detach(async () => {
      throw new Error('posting failed: boom');
    });
    await h.slack.idle();
    expect(done).toEqual(['finished']);
    const failures = h.logs.filter((line) => line.includes('slack: unhandled error in a listener'));
    expect(failures).toHaveLength(1);
    expect(failures[0]).toContain('posting failed: boom');
  });
});
