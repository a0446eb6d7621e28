/**
 * Why this file: 会社 in a question names who it speaks of (the vendor, the customer's own
 * company), as "company" does in English, where it is a stop word. Rows write it mostly inside a
 * name (株式会社), so as a full-weight idea it made a sheet's title row, which names the vendor's
 * company, the best match for questions about something else. It counts as little as サービス.
 * Invented question.
 */
import { describe, expect, it } from 'vitest';
import { expandQuery } from '../../src/retrieve/expand.js';
import { loadLexicon } from '../../src/retrieve/lexicon.js';

describe('会社 in a Japanese question', () => {
  it('is a generic idea, not the topic', () => {
    const { concepts } = expandQuery('会社の端末は暗号化されていますか?', loadLexicon());
    const company = concepts.find((c) => c.source === '会社');
    const topic = concepts.find((c) => c.source === '暗号化');
    expect(company?.weight).toBeLessThan(0.5);
    expect(topic?.weight).toBe(1);
  });
});
