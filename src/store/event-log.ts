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
 * SQLite, not memory: a restarted bot (deploy, crash) must still recognise the retries
 * of events its previous process handled. Claims and completions are writes made after
 * the ack, so they wait for another process's write lock on timers (`retryWhileBusy`),
 * never inside the call.
 */
import { z } from 'zod';
import { InputError } from '../errors.js';
import { ensureSchema, retryWhileBusy, type WorkflowDb } from './workflow.js';

const DDL = `
CREATE TABLE IF NOT EXISTS slack_events (
  event_id   TEXT PRIMARY KEY,
  state      TEXT NOT NULL CHECK (state IN ('started', 'done')),
  started_at INTEGER NOT NULL,
  done_at    INTEGER,
  attempts   INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX IF NOT EXISTS slack_events_started ON slack_events (started_at);
`;

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
  /** How long a claim or completion retries while another process holds the write lock. */
  busyRetryMs?: number;
}

export class EventLog {
  private readonly ttlMs: number;
  private readonly staleAfterMs: number;
  private readonly now: () => number;
  private readonly busyRetryMs: number | undefined;

  constructor(
    private readonly db: WorkflowDb,
    options: EventLogOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? DEFAULT_EVENT_TTL_MS;
    this.staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
    this.now = options.now ?? Date.now;
    this.busyRetryMs = options.busyRetryMs;
    if (this.ttlMs < MIN_EVENT_TTL_MS) throw new InputError(`event log TTL must be at least ${MIN_EVENT_TTL_MS} ms, got ${this.ttlMs}`);
    if (this.staleAfterMs <= 0 || this.staleAfterMs >= this.ttlMs) {
      throw new InputError(`event log staleAfterMs must be between 0 and the TTL (${this.ttlMs} ms), got ${this.staleAfterMs}`);
    }
    ensureSchema(db, DDL);
  }

  /**
   * Records that processing of `eventId` starts, unless it is done or under way. One
   * IMMEDIATE transaction, so two deliveries racing (two bot processes, or a retry landing
   * mid-claim) cannot both win. Throws DatabaseBusyError if the lock stays taken.
   */
  async claim(eventId: string): Promise<Claim> {
    if (eventId.trim() === '') throw new InputError('event id is empty');
    return retryWhileBusy(() => this.claimNow(eventId), this.retryOptions());
  }

  private retryOptions(): { budgetMs?: number } {
    return this.busyRetryMs === undefined ? {} : { budgetMs: this.busyRetryMs };
  }

  private claimNow(eventId: string): Claim {
    const now = this.now();
    return this.db
      .transaction((): Claim => {
        this.db.prepare('DELETE FROM slack_events WHERE started_at < ?').run(now - this.ttlMs);
        const raw = this.db.prepare('SELECT state, started_at, attempts FROM slack_events WHERE event_id = ?').get(eventId);
        if (raw === undefined) {
          this.db.prepare(`INSERT INTO slack_events (event_id, state, started_at) VALUES (?, 'started', ?)`).run(eventId, now);
          return { claimed: true, attempt: 1 };
        }
        const row = Row.parse(raw);
        if (row.state === 'done') return { claimed: false, reason: 'done' };
        if (now - row.started_at < this.staleAfterMs) return { claimed: false, reason: 'in_progress' };
        this.db
          .prepare('UPDATE slack_events SET started_at = ?, attempts = attempts + 1 WHERE event_id = ?')
          .run(now, eventId);
        return { claimed: true, attempt: row.attempts + 1 };
      })
      .immediate();
  }

  /** Marks `eventId` processed: later deliveries are skipped until the row expires. */
  async complete(eventId: string): Promise<void> {
    await retryWhileBusy(() => {
      this.db.prepare(`UPDATE slack_events SET state = 'done', done_at = ? WHERE event_id = ?`).run(this.now(), eventId);
    }, this.retryOptions());
  }

  /** `started`, `done` or null (unknown or expired): for tests and diagnostics. */
  state(eventId: string): 'started' | 'done' | null {
    const raw = this.db.prepare('SELECT state, started_at, attempts FROM slack_events WHERE event_id = ?').get(eventId);
    if (raw === undefined) return null;
    const row = Row.parse(raw);
    return this.now() - row.started_at > this.ttlMs ? null : row.state;
  }
}
