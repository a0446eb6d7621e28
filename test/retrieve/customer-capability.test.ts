/**
 * "May we do X ourselves?" / "Can customers do X?" is answered by the row whose remark refuses the
 * customer doing X (「利用者による負荷試験はお受けしておりません」), not by the row about the
 * vendor doing X itself, which shares more of the question's words and ranks first: blind trials
 * found such questions declined (the best row names another actor, 「当社にて」) or answered
 * partial (the vendor's yes mixed with the customer's no). A question about the vendor doing X
 * is still answered from the vendor's row. Made-up sheet and wordings, this test's own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractiveDraft } from '../../src/draft/extractive.js';
import { retrieve } from '../../src/judge/retrieval.js';
import { sectionStore } from '../support/corpus.js';

const texts: Array<[string, string]> = [
  ['サービスの性能について負荷試験を実施すること。', '新機能のリリース前に、当社にて負荷試験を実施しております。また年1回、外部の専門業者による負荷試験を行っております。'],
  [
    '事業者は、独立した評価を定期的に実施し、その結果を利用者に提供することが望ましい。',
    '外部の専門業者による評価を年1回受けております。なお、利用者による負荷試験はお受けしておりません。',
  ],
  ['署名鍵を生成・保管・廃棄すること。', '署名鍵は当社の規程に従い管理しております。'],
  ['利用者に署名に関する情報を提供すること。', '署名方式は利用規約にて公開しております。利用者が独自の署名鍵を登録する機能は提供しておりません。'],
  ['入退室を記録していること。', '入退室はICカードで記録しております。'],
];

let sheet: Awaited<ReturnType<typeof sectionStore>>;
beforeAll(async () => {
  sheet = await sectionStore('vega', 'Vega checksheet', texts);
}, 60_000);
afterAll(() => sheet.close());

const answer = async (question: string) => {
  const r = await retrieve(sheet.deps(), question, 'vega');
  const draft = extractiveDraft(r);
  return { status: draft.status, first: draft.citations[0]?.text ?? '', cited: draft.citations.map((c) => c.text) };
};

describe('the customer asking whether it may do something itself', () => {
  it('is answered no from the row refusing the customer, in English', async () => {
    for (const q of ['Would it be OK for our QA team to run a load test against your service before go-live?', 'Can tenants run their own load tests on the platform?']) {
      const a = await answer(q);
      expect(a.status, q).toBe('no');
      expect(a.first, q).toContain('利用者による負荷試験はお受けしておりません');
    }
  });

  it('is answered no from the row refusing the customer, in formal and casual Japanese', async () => {
    for (const q of ['当社側で貴社サービスの負荷試験を実施してもよろしいでしょうか。', 'うちの開発チームで負荷試験やってもいい？']) {
      const a = await answer(q);
      expect(a.status, q).toBe('no');
      expect(a.first, q).toContain('利用者による負荷試験はお受けしておりません');
      expect(a.cited.some((t) => t.includes('リリース前に、当社にて')), q).toBe(false);
    }
  });

  it('is answered no for a capability of the customer’s own, not from the vendor’s own key management', async () => {
    for (const q of ['Can customers register their own signing keys?', 'お客様自身の署名鍵を登録できますか？']) {
      const a = await answer(q);
      expect(a.status, q).toBe('no');
      expect(a.first, q).toContain('利用者が独自の署名鍵を登録する機能は提供しておりません');
    }
  });
});

describe('the vendor asked whether it does the thing itself', () => {
  it('is answered from the vendor’s own row, with its own status', async () => {
    const a = await answer('Do you perform load tests before each release?');
    expect(a.status).toBe('yes');
    expect(a.first).toContain('当社にて負荷試験を実施しております');
    const ja = await answer('リリース前に負荷試験を実施していますか。');
    expect(ja.status).toBe('yes');
    expect(ja.first).toContain('当社にて負荷試験を実施しております');
  });
});
