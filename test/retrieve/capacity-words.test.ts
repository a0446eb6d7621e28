/**
 * Growing a service's capacity is written 増強, 増設 or 拡張 (servers, resources) in a question and
 * in a sheet alike: a question asking how the service is expanded as demand grows reaches the row
 * planning or making the additions, though it shares none of the row's other words. Made-up sheet
 * and wordings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retrieve } from '../../src/judge/retrieval.js';
import { sectionStore } from '../support/corpus.js';

const texts: Array<[string, string]> = [
  ['サービスの稼働を監視すること。', '稼働監視ツールで24時間監視しております。'],
  ['将来の需要に備えること。', '利用状況の推移をもとに、サーバーの増設を計画しております。'],
  ['利用者のデータを定期的にバックアップすること。', 'データは毎日バックアップを取得しております。'],
];

let sheet: Awaited<ReturnType<typeof sectionStore>>;
beforeAll(async () => {
  sheet = await sectionStore('cygnus', 'Cygnus checksheet', texts);
}, 60_000);
afterAll(() => sheet.close());

describe('expanding capacity as demand grows', () => {
  it('is answered from the row planning the additions', async () => {
    for (const q of ['負荷が増えたとき、システムの拡張はどのように行っていますか?', 'アクセスが増えたらサーバーを増強できますか?']) {
      const r = await retrieve(sheet.deps(), q, 'cygnus');
      expect(r.abstained, q).toBe(false);
      expect(r.hits[0]?.passage.answer, q).toContain('増設');
    }
  });
});
