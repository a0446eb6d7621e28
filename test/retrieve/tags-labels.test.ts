/**
 * A tag or label put on data (タグ, ラベル付け, "sensitivity labels") is a feature of the service;
 * classifying information assets (情報資産の分類) is a practice of the vendor's. The glossary
 * read タグ as 分類 too, so a row on asset classification (○) answered 「データに機密区分のタグを
 * 付けられますか」 yes, over the row saying no labelling feature is offered (blind trial s29).
 * Real ingest of this test's own made-up sheet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { appOver, tempCorpus } from '../support/corpus.js';

const CHECKSHEET = [
  '# kazeセキュリティチェックシート',
  '',
  '項番\t確認事項\t実施有無\t備考',
  '<b>1 資産の管理</b>\t\t\t',
  '1-1\t重要性の観点から情報資産を分類すること。\t○\t情報資産は機密性に応じて社外秘・社内限定・公開の3区分に分類しております。',
  '<b>2 機能</b>\t\t\t',
  '2-1\t情報のラベル付けをする機能が提供されていること。\t×\tkazeでは情報のラベル付けをする機能を提供しておりません。',
  '2-2\tアクセス制御機能を提供すること。\t○\tIPアドレス制限を提供しております。',
  '',
].join('\n');

let app: App;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ app, close } = await appOver(tempCorpus('kotae-tags-labels-', { file: 'kaze.txt', product: 'kaze', vendor: null, title: 'kazeセキュリティチェックシート', format: 'checksheet-text', language: 'ja' }, CHECKSHEET)));
}, 120_000);

afterAll(() => close());

const answer = async (question: string): Promise<[string | undefined, string]> => {
  const d = (await app.ask(question, 'kaze')).draft;
  return [d.citations[0]?.ref, d.status];
};

describe('tags on data', () => {
  it('are the labelling feature: the row saying it is not offered answers no', async () => {
    for (const question of ['データに「社外秘」などのタグを付けられる機能はありますか。', 'Can users tag records with labels such as confidential?']) {
      expect([question, ...(await answer(question))]).toEqual([question, '2-1', 'no']);
    }
  });

  it('are not how the vendor classifies its own assets, which the classification row answers', async () => {
    const question = '情報資産を機密性で分類していますか。';
    expect([question, ...(await answer(question))]).toEqual([question, '1-1', 'yes']);
  });
});
