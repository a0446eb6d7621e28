import { describe, expect, it } from 'vitest';
import { EventLog } from '../../src/store/event-log.js';
import { openDatabase } from '../../src/store/open.js';
import { openTestDatabase } from '../support/db.js';

async function setup(options: { ttlMs?: number; staleAfterMs?: number } = {}) {
  let now = 1_000_000_000_000;
  const db = await openTestDatabase();
  const log = new EventLog(db, { ...options, now: () => now });
  return { db, log, advance: (ms: number) => (now += ms) };
}

describe('EventLog (Slack event dedupe)', () => {
  it('claims an event once; a retry while it runs or after it is done is skipped', async () => {
    const { log, advance } = await setup();
    expect(await log.claim('Ev1')).toEqual({ claimed: true, attempt: 1 });
    expect(await log.state('Ev1')).toBe('started');
    advance(60_000); // Slack's 1-minute retry, first attempt still drafting
    expect(await log.claim('Ev1')).toEqual({ claimed: false, reason: 'in_progress' });
    await log.complete('Ev1');
    expect(await log.state('Ev1')).toBe('done');
    advance(4 * 60_000); // the 5-minute retry
    expect(await log.claim('Ev1')).toEqual({ claimed: false, reason: 'done' });
  });

  it('re-processes a retry whose earlier attempt started long ago and never finished', async () => {
    const { log, advance } = await setup({ staleAfterMs: 3 * 60_000 });
    await log.claim('Ev2');
    advance(5 * 60_000);
    expect(await log.claim('Ev2')).toEqual({ claimed: true, attempt: 2 });
    // The takeover restarts the clock: a further retry right after is skipped.
    expect(await log.claim('Ev2')).toEqual({ claimed: false, reason: 'in_progress' });
  });

  it('keeps rows for the TTL (at least 10 minutes), then forgets them', async () => {
    const { log, advance } = await setup({ ttlMs: 10 * 60_000 });
    await log.claim('Ev3');
    await log.complete('Ev3');
    advance(9 * 60_000);
    expect((await log.claim('Ev3')).claimed).toBe(false);
    advance(2 * 60_000);
    expect(await log.state('Ev3')).toBeNull();
    expect(await log.claim('Ev3')).toEqual({ claimed: true, attempt: 1 });
  });

  it('refuses a TTL shorter than Slack’s retry window', async () => {
    const db = await openTestDatabase();
    expect(() => new EventLog(db, { ttlMs: 60_000 })).toThrow(/at least 600000/);
  });

  it('survives a restart: the dedupe lives in the database', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'kotae-evlog-'));
    try {
      const a = await openDatabase({ dataDir: dir });
      await new EventLog(a).claim('Ev4');
      await new EventLog(a).complete('Ev4');
      await a.close();
      const b = await openDatabase({ dataDir: dir });
      expect(await new EventLog(b).claim('Ev4')).toEqual({ claimed: false, reason: 'done' });
      await b.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
