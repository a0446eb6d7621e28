/**
 * A row that states a practice and then the case it does not hold for (「※緊急の場合はこの限りでは
 * ありません」) answers a question about that very case partly, however the customer names the
 * case: "emergency maintenance", 「急ぎのメンテ」 (blind trial s29: a week's notice asked for
 * urgent maintenance was answered yes). A question that does not name the case is answered
 * by the practice. Real ingest of this test's own made-up sheet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { appOver, tempCorpus } from '../support/corpus.js';

const CHECKSHEET = [
  '# hoshiセキュリティチェックシート',
  '',
  '項番\t確認事項\t実施有無\t備考',
  '<b>1 変更管理</b>\t\t\t',
  '1-1\tサービスの変更について管理し、利用者に影響を及ぼすものは事前に通知すること。\t○\tメンテナンスは実施日の5日前までに管理画面でお知らせします。※緊急でメンテナンスを行う場合はこの限りではありません。',
  '<b>2 バックアップ</b>\t\t\t',
  '2-1\t利用者のデータを定期的にバックアップすること。\t○\tデータベースは毎日バックアップを取得しております。',
  '',
].join('\n');

let app: App;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ app, close } = await appOver(tempCorpus('kotae-exception-named-', { file: 'hoshi.txt', product: 'hoshi', vendor: null, title: 'hoshiセキュリティチェックシート', format: 'checksheet-text', language: 'ja' }, CHECKSHEET)));
}, 120_000);

afterAll(() => close());

const answer = async (question: string): Promise<[string | undefined, string]> => {
  const d = (await app.ask(question, 'hoshi')).draft;
  return [d.citations[0]?.ref, d.status];
};

describe('a row excepting a case, for a question naming that case', () => {
  it('is no yes when the case is named in English ("emergency maintenance")', async () => {
    for (const question of ['Is advance notice given even for emergency maintenance?', 'Do customers get notified ahead of urgent maintenance too?']) {
      const [ref, status] = await answer(question);
      expect([question, ref, status === 'yes']).toEqual([question, '1-1', false]);
    }
  });

  it('is partial when the case is named in Japanese, in the sheet’s word or a chat word (急ぎのメンテ)', async () => {
    for (const question of ['緊急のメンテナンスでも事前に通知されますか？', '急ぎのメンテのときも、事前に知らせてもらえますか？']) {
      expect([question, ...(await answer(question))]).toEqual([question, '1-1', 'partial']);
    }
  });

  it('is yes for a question that does not name the case', async () => {
    for (const question of ['Do you notify customers before planned maintenance?', 'メンテナンスの前にお知らせはありますか？']) {
      expect([question, ...(await answer(question))]).toEqual([question, '1-1', 'yes']);
    }
  });
});
