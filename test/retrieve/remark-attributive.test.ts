/**
 * A △ row whose remark says every one of some items is done and that some of another item are
 * not, in the attributive form (「すべてのストレージ、ネットワークについて冗長化を実施しております。
 * …一部冗長化されていないサーバーがございます」): asked about the items fully done (the network),
 * the answer is yes; asked about the other item (the servers) or the system as a whole, it stays
 * partial. Real ingest of this test's own made-up checksheet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { appOver, tempCorpus } from '../support/corpus.js';

const CHECKSHEET = [
  '# hoshiセキュリティチェックシート',
  '',
  '項番\t確認事項\t実施有無\t備考',
  '<b>1 冗長化</b>\t\t\t',
  '1-1\tサービスを提供するシステムの冗長化を図ること。\t△\tすべてのデータストレージ、ネットワークについて冗長化を実施しております。ほとんどのサーバーに冗長化を行っておりますが、一部冗長化されていないサーバーがございます。',
  '<b>2 ログ</b>\t\t\t',
  '2-1\t操作ログを取得し、保管すること。\t○\t操作ログは1年間保管しています。',
  '',
].join('\n');

let app: App;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ app, close } = await appOver(tempCorpus('kotae-remark-attributive-', { file: 'hoshi.txt', product: 'hoshi', vendor: null, title: 'hoshiセキュリティチェックシート', format: 'checksheet-text', language: 'ja' }, CHECKSHEET)));
}, 120_000);

afterAll(() => close());

const ask = async (question: string) => (await app.ask(question, 'hoshi')).draft;

describe('a △ row: some servers not redundant, the network all redundant', () => {
  it('answers yes for the network', async () => {
    for (const question of ['Is all network equipment deployed redundantly?', 'ネットワークは冗長化されていますか。']) {
      const d = await ask(question);
      expect([question, d.citations[0]?.ref, d.status]).toEqual([question, '1-1', 'yes']);
    }
  });

  it('stays partial for the servers and for the system as a whole', async () => {
    for (const question of ['Are your servers redundant?', 'サーバーは冗長化されていますか。', 'システムは冗長化されていますか。']) {
      const d = await ask(question);
      expect([question, d.citations[0]?.ref, d.status]).toEqual([question, '1-1', 'partial']);
    }
  });
});
