/**
 * How far ahead the customer is told (a notice period) is written by the sheets as a figure
 * before a notification ("60日以上前に通知いたします", 「事前に通知を行う」), rarely as the word
 * 予告期間 a customer or a checklist uses. A question about the notice before a service ends must
 * find the row stating it, not the rows sharing only the checklist's 「明示すること」.
 * Made-up sheet and wordings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retrieve } from '../../src/judge/retrieval.js';
import { sectionStore } from '../support/corpus.js';

const texts: Array<[string, string]> = [
  ['提供する機能の一覧を明示すること。', '機能一覧はヘルプページに掲載しております。'],
  ['障害の発生状況を利用者に明示すること。', '障害情報はステータスページで公開しております。'],
  ['サービスを終了する場合の扱いを定めること。', 'サービスを終了する場合は、終了日の60日以上前に通知いたします。'],
  ['利用者の問い合わせ窓口を明示すること。', 'メールとチャットで受け付けております。'],
];

let sheet: Awaited<ReturnType<typeof sectionStore>>;
beforeAll(async () => {
  sheet = await sectionStore('orion', 'Orion checksheet', texts);
}, 60_000);
afterAll(() => sheet.close());

const deps = () => sheet.deps();

describe('a notice period', () => {
  it('is found in the row stating how long before the notification is sent', async () => {
    for (const q of ['サービス終了時の予告期間を明示すること。', 'サービスをやめるとき、どれくらい前に知らせてもらえますか?', 'What notice period do you give before discontinuing the service?']) {
      const r = await retrieve(deps(), q, 'orion');
      expect(r.ranked[0]?.passage.answer, q).toContain('60日以上前');
    }
  });
});
