import { describe, expect, it } from 'vitest';
import type { Draft } from '../../src/domain.js';
import { DraftCache, draftCacheKey, normaliseQuestion } from '../../src/draft/cache.js';
import { openTestDatabase } from '../support/db.js';

const draft: Draft = {
  question: 'MFA?',
  product: 'krew',
  lang: 'en',
  draft: 'We provide MFA.',
  status: 'yes',
  confidence: 0.8,
  abstained: false,
  needsHuman: false,
  reason: 'r',
  citations: [{ id: 'krew/a#L1', kind: 'control', source: 'a', locator: 'L1', ref: '1', text: '多要素認証', score: 0.9 }],
  drafter: 'openai',
  fallback: null,
  corpusVersion: 3,
};
const base = { question: 'ＭＦＡ  に対応？ ', product: 'krew', corpusVersion: 3, model: 'gpt-4o-mini', promptVersion: 'p1' };

describe('draft cache', () => {
  it('keys on the normalised question, product, corpus version, model and prompt version', () => {
    expect(normaliseQuestion(' ＭＦＡ  に\n対応？ ')).toBe('mfa に 対応?');
    const k = draftCacheKey(base);
    expect(k).toMatch(/^[0-9a-f]{64}$/);
    expect(draftCacheKey({ ...base, question: 'mfa に対応?' })).toBe(k);
    for (const change of [{ product: 'cybozu' }, { corpusVersion: 4 }, { model: 'gpt-4o' }, { promptVersion: 'p2' }, { evidence: ['x'] }, { endpoint: 'http://localhost:11434/v1' }]) {
      expect(draftCacheKey({ ...base, ...change })).not.toBe(k);
    }
  });

  it('round-trips a draft and validates it on read', async () => {
    const db = await openTestDatabase();
    const cache = new DraftCache(db);
    const key = draftCacheKey(base);
    expect(await cache.get(key)).toBeUndefined();
    await cache.set(key, draft, { model: base.model, promptVersion: base.promptVersion });
    expect(await cache.get(key)).toEqual(draft);

    await db.run('UPDATE draft_cache SET draft_json = ? WHERE key = ?', [JSON.stringify({ ...draft, status: 'maybe' }), key]);
    expect(await cache.get(key)).toBeUndefined(); // invalid row is a miss…
    expect(await db.get('SELECT COUNT(*) AS n FROM draft_cache')).toEqual({ n: 0 }); // …and is removed

    await cache.set(key, draft, { model: base.model, promptVersion: base.promptVersion });
    expect(await cache.prune('krew', 4)).toBe(1);
  });
});
