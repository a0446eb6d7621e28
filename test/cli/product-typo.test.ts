/**
 * A mistyped --product: the refusal lists the known products as before and, when exactly
 * one of them is a small typo away (a letter doubled, dropped, swapped or wrong), asks
 * "did you mean" it first. A name far from every product, or equally close to two, gets no
 * guess. This is the core's one rule (requireKnownProduct), so `kotae answer`, `ask --file`
 * and a Slack upload all say it.
 */
import { describe, expect, it } from 'vitest';
import { requireKnownProduct } from '../../src/bulk.js';

const known = ['tallyhub', 'krew', 'cybozu', 'kree'];
const app = { products: async () => known };

async function hint(product: string): Promise<string | undefined> {
  const error = await requireKnownProduct(app, product).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toMatchObject({ message: `unknown product "${product}"` });
  return (error as { hint?: string }).hint;
}

describe('an unknown --product', () => {
  it('one typo away from a known product: "did you mean" it, then the known products', async () => {
    expect(await hint('tallyhubb')).toBe('did you mean "tallyhub"? known products: tallyhub, krew, cybozu, kree');
    expect(await hint('TallyHbu')).toMatch(/^did you mean "tallyhub"\?/);
    expect(await hint('cybzu')).toMatch(/^did you mean "cybozu"\?/);
  });

  it('far from every product, or as close to two: no guess, only the list', async () => {
    expect(await hint('monocone')).toBe('known products: tallyhub, krew, cybozu, kree');
    // "kreo" is one letter from both krew and kree.
    expect(await hint('kreo')).toBe('known products: tallyhub, krew, cybozu, kree');
    // A short name allows one edit only: "kx" is not "krew".
    expect(await hint('kx')).toBe('known products: tallyhub, krew, cybozu, kree');
  });
});
