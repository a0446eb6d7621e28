/**
 * Two readings of a row's remark that denies what is asked, as a customer meets them:
 * - the remark's other sentence names only the product ("hoshi runs in the browser"): that is
 *   the product the question is about, not another part of what it asks done, so "can hoshi be
 *   used on a tablet?" and 「※タブレット端末では動作しません」 answer no, not partial;
 * - a two-part question whose second part a △ row answers, its remark denying what that part
 *   asks while the vendor does the rest: the answer is partial, though the row's mark was partial
 *   already and its status did not change.
 * Real ingest of this test's own made-up checksheet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { appOver, tempCorpus } from '../support/corpus.js';

const CHECKSHEET = [
  '# hoshiセキュリティチェックシート',
  '',
  '項番\t確認事項\t実施有無\t備考',
  '<b>1 端末</b>\t\t\t',
  '1-1\t利用できる端末とブラウザを明示すること。\t○\thoshiはブラウザ上で提供しているサービスです。※タブレット端末では動作しません。',
  '<b>2 リリース</b>\t\t\t',
  '2-1\t新しいバージョンをリリースする前に脆弱性診断を行うこと。\t○\tリリースの前に、自社にて脆弱性診断を行っております。',
  '<b>3 独立したレビュー</b>\t\t\t',
  '3-1\t独立したレビュー及び評価(監査、ペネトレーションテストなど)を定期的に実施すること。\t△\t第三者機関によるペネトレーションテストを年1回実施しております。利用者によるペネトレーションテストは受け付けておりません。',
  '',
].join('\n');

let app: App;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ app, close } = await appOver(tempCorpus('kotae-remark-product-', { file: 'hoshi.txt', product: 'hoshi', vendor: null, title: 'hoshiセキュリティチェックシート', format: 'checksheet-text', language: 'ja' }, CHECKSHEET)));
}, 120_000);

afterAll(() => close());

const ask = async (question: string) => (await app.ask(question, 'hoshi')).draft;

describe('a remark denying what is asked beside a sentence that only names the product', () => {
  it('answers no, flagged, in either language', async () => {
    for (const question of ['hoshiはタブレットでも利用できますか。', 'Can hoshi be used on a tablet?']) {
      const d = await ask(question);
      expect([question, d.citations[0]?.ref, d.status]).toEqual([question, '1-1', 'no']);
      expect(d.needsHuman).toBe(true);
    }
  });
});

describe('a two-part question whose second part a △ row denies, the vendor doing the rest', () => {
  it('answers partial, not yes from the first part’s row', async () => {
    const d = await ask('リリース前に脆弱性診断を行っていますか?また、弊社側でペネトレーションテストを実施してもよろしいでしょうか?');
    expect(d.citations.map((c) => c.ref)).toEqual(expect.arrayContaining(['2-1', '3-1']));
    expect(d.status).toBe('partial');
    expect(d.needsHuman).toBe(true);
  });
});
