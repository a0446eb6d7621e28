/**
 * Leases: "this process owns that piece of work until a moment", so several bot replicas
 * sharing one database (issue 13) never run the same bulk job twice, and a job whose process
 * died (no more renewals) is taken over by another once its lease expires. A lease is one row
 * per (kind, key); whoever holds an unexpired row owns the work, and must renew before the
 * TTL runs out.
 *
 * Claiming reads the row and writes it in one transaction. On PostgreSQL the read is
 * `FOR UPDATE SKIP LOCKED`: a claimer never queues behind another claimer of the same row, it
 * sees the row as taken and moves on (the insert that follows then finds the row and does
 * nothing), which is also what lets `claimExpired` hand different expired jobs to replicas
 * asking at the same moment. On SQLite the port's transaction is BEGIN IMMEDIATE, which
 * already serialises every claimer, and SQLite has no row locks to ask for.
 *
 * Time is the claiming process's clock (ISO-8601 text, as everywhere in the schema), so the
 * TTL must comfortably exceed the clock skew between replicas (seconds at most under NTP).
 */
import type { Database, Migration, Sql } from './database.js';

export interface LeaseTarget {
  /** What sort of work (e.g. `bulk-job`); leases of different kinds never collide. */
  kind: string;
  key: string;
}

export interface LeaseRequest extends LeaseTarget {
  /** Who claims: unique per process (e.g. hostname, pid and a random suffix). */
  owner: string;
  ttlMs: number;
}

export interface Lease extends LeaseTarget {
  owner: string;
  /** ISO-8601; after it, another owner may take the lease over. */
  expiresAt: string;
}

/** The leases table; the lead places it in the migration list (its id only has to stay unique and unchanged once released). */
export const leasesMigration: Migration = {
  id: '0100-leases',
  sqlite:
    'CREATE TABLE leases (kind TEXT NOT NULL, lease_key TEXT NOT NULL, owner TEXT NOT NULL, expires_at TEXT NOT NULL, PRIMARY KEY (kind, lease_key)); ' +
    'CREATE INDEX leases_by_expiry ON leases (kind, expires_at)',
  postgres:
    'CREATE TABLE leases (kind TEXT NOT NULL, lease_key TEXT NOT NULL, owner TEXT NOT NULL, expires_at TEXT NOT NULL, PRIMARY KEY (kind, lease_key)); ' +
    'CREATE INDEX leases_by_expiry ON leases (kind, expires_at)',
};

/** Row locks where the engine has them (see the header). */
const lockClause = (db: Database): string => (db.dialect === 'postgres' ? ' FOR UPDATE SKIP LOCKED' : '');

const until = (ttlMs: number): string => new Date(Date.now() + ttlMs).toISOString();

async function take(tx: Sql, request: LeaseRequest): Promise<Lease> {
  const expiresAt = until(request.ttlMs);
  await tx.run('UPDATE leases SET owner = ?, expires_at = ? WHERE kind = ? AND lease_key = ?', [request.owner, expiresAt, request.kind, request.key]);
  return { kind: request.kind, key: request.key, owner: request.owner, expiresAt };
}

/**
 * Claims the lease for `owner`: succeeds when nobody holds it, when its holder's lease has
 * expired, or when `owner` already holds it (then it is renewed). Undefined when another
 * owner holds an unexpired lease or is claiming it at this very moment.
 */
export function claim(db: Database, request: LeaseRequest): Promise<Lease | undefined> {
  return db.transaction(async (tx) => {
    const now = new Date().toISOString();
    const held = await tx.get(`SELECT owner, expires_at FROM leases WHERE kind = ? AND lease_key = ?${lockClause(db)}`, [request.kind, request.key]);
    if (held) return held['owner'] === request.owner || String(held['expires_at']) <= now ? take(tx, request) : undefined;
    const expiresAt = until(request.ttlMs);
    // No row seen: none exists, or (PostgreSQL) another claimer has it locked; the insert tells which.
    const inserted = await tx.run('INSERT INTO leases (kind, lease_key, owner, expires_at) VALUES (?, ?, ?, ?) ON CONFLICT (kind, lease_key) DO NOTHING', [
      request.kind,
      request.key,
      request.owner,
      expiresAt,
    ]);
    return inserted === 1 ? { kind: request.kind, key: request.key, owner: request.owner, expiresAt } : undefined;
  });
}

/**
 * Takes over one expired lease of `kind` (the oldest first), for resuming work whose owner
 * stopped renewing; undefined when none is expired. Replicas asking at once get different ones.
 */
export function claimExpired(db: Database, request: Omit<LeaseRequest, 'key'>): Promise<Lease | undefined> {
  return db.transaction(async (tx) => {
    const row = await tx.get(`SELECT lease_key FROM leases WHERE kind = ? AND expires_at <= ? ORDER BY expires_at LIMIT 1${lockClause(db)}`, [
      request.kind,
      new Date().toISOString(),
    ]);
    return row ? take(tx, { ...request, key: String(row['lease_key']) }) : undefined;
  });
}

/** Extends `owner`'s lease; false when it is no longer theirs (taken over after expiring, or released). */
export async function renew(db: Database, request: LeaseRequest): Promise<boolean> {
  const changed = await db.run('UPDATE leases SET expires_at = ? WHERE kind = ? AND lease_key = ? AND owner = ?', [
    until(request.ttlMs),
    request.kind,
    request.key,
    request.owner,
  ]);
  return changed === 1;
}

/** Gives the lease up (the work is done); false when `owner` did not hold it, and then nothing is touched. */
export async function release(db: Database, target: LeaseTarget & { owner: string }): Promise<boolean> {
  return (await db.run('DELETE FROM leases WHERE kind = ? AND lease_key = ? AND owner = ?', [target.kind, target.key, target.owner])) === 1;
}
