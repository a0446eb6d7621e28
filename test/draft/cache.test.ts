import { describe, expect, it } from 'vitest';
import type { Draft } from '../../src/domain.js';
import { DraftCache, draftCacheKey, normaliseQuestion } from '../../src/draft/cache.js';
import { openWorkflowDb } from '../../src/store/workflow.js';

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

  it('round-trips a draft and validates it on read', () => {
    const db = openWorkflowDb(':memory:');
    const cache = new DraftCache(db);
    new DraftCache(db); // ensureSchema is idempotent
    const key = draftCacheKey(base);
    expect(cache.get(key)).toBeUndefined();
    cache.set(key, draft, { model: base.model, promptVersion: base.promptVersion });
    expect(cache.get(key)).toEqual(draft);

    db.prepare('UPDATE draft_cache SET draft_json = ? WHERE key = ?').run(JSON.stringify({ ...draft, status: 'maybe' }), key);
    expect(cache.get(key)).toBeUndefined(); // invalid row is a miss…
    expect(db.prepare('SELECT COUNT(*) AS n FROM draft_cache').get()).toEqual({ n: 0 }); // …and is removed

    cache.set(key, draft, { model: base.model, promptVersion: base.promptVersion });
    expect(cache.prune('krew', 4)).toBe(1);
    db.close();
  });
});
