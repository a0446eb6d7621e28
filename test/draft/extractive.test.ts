import { describe, expect, it } from 'vitest';
import type { Hit, Passage, Retrieval } from '../../src/domain.js';
import { extractiveDraft } from '../../src/draft/extractive.js';

function hit(answer: string, extra: Partial<Passage> = {}, score = 0.9): Hit {
  return {
    score,
    passage: {
      id: `acme/acme.txt#L${answer.length}`,
      product: 'acme',
      kind: 'control',
      source: 'acme.txt',
      title: 'Acme checksheet',
      locator: `L${answer.length}`,
      line: answer.length,
      page: null,
      sectionPath: [],
      ref: '6-1',
      requirement: '通信を暗号化すること。',
      answer,
      status: 'yes',
      ...extra,
    },
  };
}

/** A retrieval the judgement was sure of (confidence ≥ 0.6) or flagged for review (below). */
function retrieval(question: string, hits: Hit[], confidence = 0.9, lang: 'ja' | 'en' = 'en'): Retrieval {
  return { question, product: 'acme', lang, hits, confidence, abstained: false, needsReview: confidence < 0.6, reason: 'best passage covers 90%', corpusVersion: 3 };
}

describe('extractive drafter', () => {
  it('answers an English question with a lead-in and the Japanese evidence quoted as it stands', () => {
    const d = extractiveDraft(retrieval('Is traffic encrypted?', [hit('通信はTLS1.2で暗号化しております。')]));
    expect(d.draft).toMatch(/^Yes\. Our security checksheet states \(acme\.txt L\d+ \(6-1\)\), in Japanese:\n> 通信はTLS1\.2で暗号化しております。$/);
    expect(d.status).toBe('yes');
    expect(d.needsHuman).toBe(false);
    expect(d.citations[0]?.text).toContain('通信はTLS1.2で暗号化しております。');
  });

  it('does not claim the evidence is Japanese, or a checksheet, when it is neither', () => {
    const d = extractiveDraft(retrieval('Is traffic encrypted?', [hit('All traffic uses TLS 1.2 or later.', { kind: 'qa', source: 'acme-2025.xlsx' })]));
    expect(d.draft).toMatch(/^Yes\. A questionnaire we answered before states/);
    expect(d.draft).not.toContain('in Japanese');
  });

  it('marks a weak match as needing review instead of stating it as the answer', () => {
    const en = extractiveDraft(retrieval('Is data encrypted at rest?', [hit('バックアップは7世代保管しております。')], 0.5));
    expect(en.needsHuman).toBe(true);
    expect(en.draft).toMatch(/^Needs review \(yes\?\)/);
    const ja = extractiveDraft(retrieval('保存データは暗号化していますか?', [hit('バックアップは7世代保管しております。')], 0.5, 'ja'));
    expect(ja.draft.startsWith('【要確認】')).toBe(true);
  });

  it('reuses an approved answer word for word', () => {
    const d = extractiveDraft(retrieval('Is traffic encrypted?', [hit('Yes, TLS 1.2+ everywhere.', { kind: 'approved', source: 'review', locator: 'review #4' })]));
    expect(d.draft).toBe('Yes, TLS 1.2+ everywhere.');
    expect(d.needsHuman).toBe(false);
  });

  it('quotes a second passage only when it is nearly as relevant, and combines their status', () => {
    const d = extractiveDraft(
      retrieval('How are outages and maintenance announced?', [hit('障害はメールで通知します。'), hit('メンテナンスは一部のみ事前告知します。', { status: 'partial' }, 0.85)]),
    );
    expect(d.draft.split('\n> ')).toHaveLength(3);
    expect(d.status).toBe('partial');
  });
});
