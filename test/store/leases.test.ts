/**
 * Leases across replicas (src/store/leases.ts) on a real PostgreSQL server, each replica its
 * own connection pool as a separate bot process would have: one owner wins a race, a lease
 * that stopped being renewed is taken over, and the old owner can then neither renew nor
 * release what is no longer theirs.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/store/database.js';
import { claim, claimExpired, leasesMigration, release, renew } from '../../src/store/leases.js';
import { openPostgresDatabase } from '../../src/store/postgres.js';
import { freshPostgresUrl } from '../support/postgres.js';

const open: Database[] = [];
/** Two replicas on one new database. */
async function replicas(): Promise<[Database, Database]> {
  const url = await freshPostgresUrl();
  const pair: [Database, Database] = [openPostgresDatabase(url), openPostgresDatabase(url)];
  open.push(...pair);
  await Promise.all(pair.map((db) => db.migrate([leasesMigration])));
  return pair;
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((db) => db.close()));
});

describe('leases on PostgreSQL', () => {
  it('two replicas racing for the same job: exactly one wins, every time, and the row names the winner', async () => {
    const [a, b] = await replicas();
    for (let round = 0; round < 20; round += 1) {
      const key = `job-${round}`;
      const [won, lost] = await Promise.all([
        claim(a, { kind: 'bulk-job', key, owner: 'replica-a', ttlMs: 60_000 }),
        claim(b, { kind: 'bulk-job', key, owner: 'replica-b', ttlMs: 60_000 }),
      ]);
      const winners = [won, lost].filter((lease) => lease !== undefined);
      expect(winners).toHaveLength(1);
      expect(await a.get('SELECT owner FROM leases WHERE kind = ? AND lease_key = ?', ['bulk-job', key])).toEqual({ owner: winners[0]?.owner });
    }
  });

  it('two replicas racing to take over the same expired lease: exactly one gets it', async () => {
    const [a, b] = await replicas();
    for (let round = 0; round < 10; round += 1) {
      const key = `stale-${round}`;
      await claim(a, { kind: 'bulk-job', key, owner: 'crashed', ttlMs: 1 });
      await sleep(5);
      const results = await Promise.all([
        claim(a, { kind: 'bulk-job', key, owner: 'replica-a', ttlMs: 60_000 }),
        claim(b, { kind: 'bulk-job', key, owner: 'replica-b', ttlMs: 60_000 }),
      ]);
      const winners = results.filter((lease) => lease !== undefined);
      expect(winners).toHaveLength(1);
      expect(await b.get('SELECT owner FROM leases WHERE lease_key = ?', [key])).toEqual({ owner: winners[0]?.owner });
    }
  });

  it('an unexpired lease stays with its owner, who can claim it again to renew it', async () => {
    const [a, b] = await replicas();
    const first = await claim(a, { kind: 'bulk-job', key: 'q1', owner: 'replica-a', ttlMs: 60_000 });
    expect(first?.owner).toBe('replica-a');
    expect(await claim(b, { kind: 'bulk-job', key: 'q1', owner: 'replica-b', ttlMs: 60_000 })).toBeUndefined();
    expect(await claim(b, { kind: 'other-kind', key: 'q1', owner: 'replica-b', ttlMs: 60_000 })).toMatchObject({ owner: 'replica-b' });
    const again = await claim(a, { kind: 'bulk-job', key: 'q1', owner: 'replica-a', ttlMs: 120_000 });
    expect((again?.expiresAt ?? '') > (first?.expiresAt ?? '')).toBe(true);
  });

  it('a lease whose owner stopped renewing is taken over by another owner; the old owner then cannot renew or release it', async () => {
    const [a, b] = await replicas();
    await claim(a, { kind: 'bulk-job', key: 'q2', owner: 'replica-a', ttlMs: 80 });
    expect(await claim(b, { kind: 'bulk-job', key: 'q2', owner: 'replica-b', ttlMs: 60_000 })).toBeUndefined();
    await sleep(120);
    expect(await claim(b, { kind: 'bulk-job', key: 'q2', owner: 'replica-b', ttlMs: 60_000 })).toMatchObject({ owner: 'replica-b' });
    expect(await renew(a, { kind: 'bulk-job', key: 'q2', owner: 'replica-a', ttlMs: 60_000 })).toBe(false);
    expect(await release(a, { kind: 'bulk-job', key: 'q2', owner: 'replica-a' })).toBe(false);
    expect(await b.get('SELECT owner FROM leases WHERE lease_key = ?', ['q2'])).toEqual({ owner: 'replica-b' });
  });

  it('renewing in time keeps the lease past its first TTL; releasing frees it at once', async () => {
    const [a, b] = await replicas();
    await claim(a, { kind: 'bulk-job', key: 'q3', owner: 'replica-a', ttlMs: 150 });
    await sleep(80);
    expect(await renew(a, { kind: 'bulk-job', key: 'q3', owner: 'replica-a', ttlMs: 150 })).toBe(true);
    await sleep(100);
    expect(await claim(b, { kind: 'bulk-job', key: 'q3', owner: 'replica-b', ttlMs: 60_000 })).toBeUndefined();
    expect(await release(a, { kind: 'bulk-job', key: 'q3', owner: 'replica-a' })).toBe(true);
    expect(await claim(b, { kind: 'bulk-job', key: 'q3', owner: 'replica-b', ttlMs: 60_000 })).toMatchObject({ owner: 'replica-b' });
  });

  it('replicas looking for abandoned jobs at the same moment take different ones, and leave live ones alone', async () => {
    const [a, b] = await replicas();
    await claim(a, { kind: 'bulk-job', key: 'dead-1', owner: 'crashed', ttlMs: 10 });
    await claim(a, { kind: 'bulk-job', key: 'dead-2', owner: 'crashed', ttlMs: 10 });
    await claim(a, { kind: 'bulk-job', key: 'alive', owner: 'busy', ttlMs: 60_000 });
    await sleep(40);
    const taken = await Promise.all([
      claimExpired(a, { kind: 'bulk-job', owner: 'replica-a', ttlMs: 60_000 }),
      claimExpired(b, { kind: 'bulk-job', owner: 'replica-b', ttlMs: 60_000 }),
    ]);
    expect(taken.map((lease) => lease?.key).sort()).toEqual(['dead-1', 'dead-2']);
    expect(await claimExpired(a, { kind: 'bulk-job', owner: 'replica-a', ttlMs: 60_000 })).toBeUndefined();
    expect(await a.all('SELECT lease_key, owner FROM leases ORDER BY lease_key')).toEqual([
      { lease_key: 'alive', owner: 'busy' },
      { lease_key: 'dead-1', owner: taken.find((l) => l?.key === 'dead-1')?.owner },
      { lease_key: 'dead-2', owner: taken.find((l) => l?.key === 'dead-2')?.owner },
    ]);
    expect(new Set(taken.map((lease) => lease?.owner))).toEqual(new Set(['replica-a', 'replica-b']));
  });
});
