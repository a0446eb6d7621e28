/**
 * The async context behind a transaction's "inside" flag and the index lock's holders
 * (src/store/scoped-storage.ts): it must mean the same as AsyncLocalStorage while a run is in
 * progress, and cost the process nothing once none is, because on Node 20 an
 * AsyncLocalStorage that has run keeps a promise hook on every promise of the bot's Slack
 * thread for good.
 */
import { executionAsyncId } from 'node:async_hooks';
import { describe, expect, it } from 'vitest';
import { ScopedStorage } from '../../src/store/scoped-storage.js';

/**
 * The async id a promise continuation runs under: 0 unless promise hooks are installed
 * (Node tracks promises as async resources only while some hook asks for them).
 */
const continuationAsyncId = (): Promise<number> => Promise.resolve().then(() => executionAsyncId());

describe('ScopedStorage', () => {
  it('gives the store to the work and what it awaits, and nothing outside it', async () => {
    const storage = new ScopedStorage<string>();
    expect(storage.getStore()).toBeUndefined();
    const seen = await storage.run('inside', async () => {
      await new Promise((r) => setTimeout(r, 1));
      return storage.getStore();
    });
    expect(seen).toBe('inside');
    expect(storage.getStore()).toBeUndefined();
  });

  it('keeps each call chain its own store while runs overlap', async () => {
    const storage = new ScopedStorage<number>();
    const chain = (n: number, ms: number): Promise<number | undefined> =>
      storage.run(n, async () => {
        await new Promise((r) => setTimeout(r, ms));
        return storage.getStore();
      });
    // The short run settles while the long one is still in progress: the long one still sees its own.
    expect(await Promise.all([chain(1, 20), chain(2, 1)])).toEqual([1, 2]);
  });

  it('leaves no promise hook installed once its last run has settled', async () => {
    const before = await continuationAsyncId();
    expect(before).toBe(0);
    const storage = new ScopedStorage<true>();
    const during = await storage.run(true, () => continuationAsyncId());
    // While a run is in progress promises are tracked (that is how the store follows them)...
    expect(during).toBeGreaterThan(0);
    // ...and after it, they are not: the rest of the process pays nothing.
    expect(await continuationAsyncId()).toBe(0);
  });

  it('still settles its work when the work throws, and disables afterwards', async () => {
    const storage = new ScopedStorage<true>();
    await expect(storage.run(true, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(storage.getStore()).toBeUndefined();
    expect(await continuationAsyncId()).toBe(0);
  });
});
