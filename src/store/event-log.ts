/**
 * Processed Slack events, so that a retried delivery is handled once.
 *
 * Slack re-sends an event (after ~0 s, 1 min and 5 min) when it did not see our ack in
 * time, so the same `event_id` can arrive while the first delivery is still being
 * processed, after it finished, or after the process died half-way. The log records
 * `started` before the work and `done` after it:
 * - done                      → a retry is skipped;
 * - started recently          → a retry is skipped (the first delivery is still working);
 * - started long ago, no done → the first attempt died with the process: the retry is
 *                               processed (the claim is taken over, attempts + 1).
 * Rows are kept for `ttlMs` (at least 10 minutes, longer than Slack's last retry) and
 * pruned on the way.
 *
 * The workflow database, not memory: a restarted bot (deploy, crash) must still recognise
 * the retries of events its previous process handled, and replicas sharing PostgreSQL
 * recognise each other's. Claims and completions are writes made after the ack; the port
 * waits for another process's lock on timers, never inside the call (see sqlite.ts). The
 * table is created by store/migrations.ts.
 */
import { z } from 'zod';
import { InputError } from '../errors.js';
import type { Database } from './database.js';

/** Slack's last retry comes ~5 minutes after the original: keep rows well beyond that. */
export const MIN_EVENT_TTL_MS = 10 * 60_000;
export const DEFAULT_EVENT_TTL_MS = 60 * 60_000;
/**
 * A `started` row older than this is taken to be an attempt that died. Longer than one
 * ask can take (model timeout × retries), shorter than the 5-minute retry, so the last
 * retry of an event whose process crashed is still processed.
 */
export const DEFAULT_STALE_AFTER_MS = 3 * 60_000;

const Row = z.object({
  state: z.enum(['started', 'done']),
  started_at: z.number().int(),
  attempts: z.number().int(),
});

export type Claim =
  | { claimed: true; attempt: number }
  | { claimed: false; reason: 'done' | 'in_progress' };

export interface EventLogOptions {
  ttlMs?: number;
  staleAfterMs?: number;
  /** Milliseconds since the epoch; injectable so tests can age rows. */
  now?: () => number;
}

export class EventLog {
  private readonly ttlMs: number;
  private readonly staleAfterMs: number;
  private readonly now: () => number;

  constructor(
    private readonly db: Database,
    options: EventLogOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? DEFAULT_EVENT_TTL_MS;
    this.staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
    this.now = options.now ?? Date.now;
    if (this.ttlMs < MIN_EVENT_TTL_MS) throw new InputError(`event log TTL must be at least ${MIN_EVENT_TTL_MS} ms, got ${this.ttlMs}`);
    if (this.staleAfterMs <= 0 || this.staleAfterMs >= this.ttlMs) {
      throw new InputError(`event log staleAfterMs must be between 0 and the TTL (${this.ttlMs} ms), got ${this.staleAfterMs}`);
    }
  }

  /**
   * Records that processing of `eventId` starts, unless it is done or under way. One
   * transaction, so two deliveries racing (two bot processes, or a retry landing
   * mid-claim) cannot both win. Throws DatabaseBusyError if the lock stays taken.
   */
  async claim(eventId: string): Promise<Claim> {
    if (eventId.trim() === '') throw new InputError('event id is empty');
    return this.db.transaction(async (tx): Promise<Claim> => {
      const now = this.now();
      await tx.run('DELETE FROM slack_events WHERE started_at < ?', [now - this.ttlMs]);
      // Inserted first, so that two deliveries racing on PostgreSQL conflict on the key
      // instead of both reading "no row"; the loser sees the winner's row.
      const inserted = await tx.run(`INSERT INTO slack_events (event_id, state, started_at) VALUES (?, 'started', ?) ON CONFLICT (event_id) DO NOTHING`, [eventId, now]);
      if (inserted === 1) return { claimed: true, attempt: 1 };
      const row = Row.parse(await tx.get('SELECT state, started_at, attempts FROM slack_events WHERE event_id = ?', [eventId]));
      if (row.state === 'done') return { claimed: false, reason: 'done' };
      if (now - row.started_at < this.staleAfterMs) return { claimed: false, reason: 'in_progress' };
      // Taken over only if nobody else took it over meanwhile (compare-and-set on attempts).
      const taken = await tx.run('UPDATE slack_events SET started_at = ?, attempts = attempts + 1 WHERE event_id = ? AND attempts = ?', [now, eventId, row.attempts]);
      return taken === 1 ? { claimed: true, attempt: row.attempts + 1 } : { claimed: false, reason: 'in_progress' };
    });
  }

  /** Marks `eventId` processed: later deliveries are skipped until the row expires. */
  async complete(eventId: string): Promise<void> {
    await this.db.run(`UPDATE slack_events SET state = 'done', done_at = ? WHERE event_id = ?`, [this.now(), eventId]);
  }

  /** `started`, `done` or null (unknown or expired): for tests and diagnostics. */
  async state(eventId: string): Promise<'started' | 'done' | null> {
    const raw = await this.db.get('SELECT state, started_at, attempts FROM slack_events WHERE event_id = ?', [eventId]);
    if (raw === undefined) return null;
    const row = Row.parse(raw);
    return this.now() - row.started_at > this.ttlMs ? null : row.state;
  }
}
