/**
 * A row's denial that excepts one item (「Y以外のXは行っておりません」, "we do not offer X other than Y")
 * says Y is done: for a question about Y it is beside the question (yes), for one about X in
 * general it narrows the answer (partial). And a denial about another item than the one asked
 * (network devices not monitored, asked about servers) is beside the question though the item's
 * name ends in a generic head (機器, 端末): the row's statement about the asked item answers yes.
 * Real ingest of this test's own made-up sheet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { appOver, tempCorpus } from '../support/corpus.js';

const CHECKSHEET = [
  '# nagiセキュリティチェックシート',
  '',
  '項番\t確認事項\t実施有無\t備考',
  '<b>1 暗号化</b>\t\t\t',
  '1-1\t保存データを暗号化すること。\t△\tアップロードされた添付ファイルはAES-256で暗号化して保存しております。添付ファイル以外のデータベースの暗号化は行っておりません。',
  '<b>2 ログ</b>\t\t\t',
  '2-1\t利用者にログを提供すること。\t○\t監査ログはCSVでダウンロードいただけます。監査ログ以外のログの提供は行っておりません。',
  '<b>3 監視</b>\t\t\t',
  '3-1\tサーバーを監視すること。\t○\tサーバーの死活監視を24時間実施しております。ネットワーク機器の監視は行っておりません。',
  '',
].join('\n');

let app: App;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ app, close } = await appOver(tempCorpus('kotae-exception-asked-', { file: 'nagi.txt', product: 'nagi', vendor: null, title: 'nagiセキュリティチェックシート', format: 'checksheet-text', language: 'ja' }, CHECKSHEET)));
}, 120_000);

afterAll(() => close());

const ask = async (question: string) => (await app.ask(question, 'nagi')).draft;
const answer = async (question: string): Promise<[string | undefined, string]> => {
  const d = await ask(question);
  return [d.citations[0]?.ref, d.status];
};

describe('a denial excepting one item', () => {
  it('is yes for a question about the excepted item', async () => {
    for (const question of ['アップロードした添付ファイルは暗号化されていますか。', 'Are uploaded attachments encrypted at rest?']) {
      expect([question, ...(await answer(question))]).toEqual([question, '1-1', 'yes']);
    }
    for (const question of ['監査ログをダウンロードできますか。', 'Can we download audit logs?']) {
      expect([question, ...(await answer(question))]).toEqual([question, '2-1', 'yes']);
    }
  });

  it('is partial for a question about the whole', async () => {
    for (const question of ['保存データはすべて暗号化されていますか。', 'Is all stored data encrypted?']) {
      expect([question, ...(await answer(question))]).toEqual([question, '1-1', 'partial']);
    }
    for (const question of ['ログを提供してもらえますか。', 'Can we obtain logs from you?']) {
      expect([question, ...(await answer(question))]).toEqual([question, '2-1', 'partial']);
    }
  });
});

describe('a denial about another item named with a generic head', () => {
  it('leaves the statement about the asked item a yes', async () => {
    for (const question of ['サーバーの監視は行っていますか。', 'Do you monitor your servers?']) {
      expect([question, ...(await answer(question))]).toEqual([question, '3-1', 'yes']);
    }
  });

  it('still says no to the item it denies', async () => {
    expect(await answer('Do you monitor your network devices?')).toEqual(['3-1', 'no']);
  });
});
