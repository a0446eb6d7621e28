/**
 * A question with a bound (at least 60 days, no more than twice a year) is answered by the row
 * that states a figure of that kind about the same subject, even where another row on the
 * subject shares more of the question's words and states no figure: that row is cited first,
 * its figure compared (no when it falls short, yes when it meets the bound), not "unknown"
 * because the best-worded row is silent. A figure about another subject (restore tests run
 * quarterly) does not answer how often penetration tests are run. Real ingest of this test's
 * own made-up checksheet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { appOver, tempCorpus } from '../support/corpus.js';

const CHECKSHEET = [
  '# tsukiセキュリティチェックシート',
  '',
  '項番\t確認事項\t実施有無\t備考',
  '<b>1 バックアップ</b>\t\t\t',
  '1-1\tバックアップの取得方法と保管場所を定め、保管されたバックアップへのアクセスを管理すること。\t○\tデータベースは自動でバックアップを取得し、保管先へのアクセスは運用担当者に限定しています。',
  '1-2\tバックアップから復旧できること。\t○\tスナップショットを最長14日間保持しています。',
  '1-3\tバックアップからのリストア試験を実施すること。\t○\tリストア試験を四半期ごとに実施しています。',
  '<b>2 可用性</b>\t\t\t',
  '2-1\tサービス提供時間と計画停止の扱いを明示すること。\t○\t24時間365日(計画停止の時間を除く)',
  '2-2\t計画停止の頻度を明示すること。\t○\t年4回',
  '<b>3 診断</b>\t\t\t',
  '3-1\tペネトレーションテストを実施すること。\t○\t外部の専門業者によるペネトレーションテストを定期的に実施しています。',
  '',
].join('\n');

let app: App;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ app, close } = await appOver(tempCorpus('kotae-figure-row-', { file: 'tsuki.txt', product: 'tsuki', vendor: null, title: 'tsukiセキュリティチェックシート', format: 'checksheet-text', language: 'ja' }, CHECKSHEET)));
}, 120_000);

afterAll(() => close());

const ask = async (question: string) => (await app.ask(question, 'tsuki')).draft;

describe('a bounded figure asked, and the row stating it below a better-worded row without one', () => {
  it('cites the figure row first and says no when its figure falls short, in either language', async () => {
    for (const [question, ref, figure] of [
      ['バックアップは60日以上保管されていますか。', '1-2', '14日間'],
      ['Are backups kept for at least 60 days?', '1-2', '14'],
      ['計画停止は年2回以下に抑えられていますか。', '2-2', '年4回'],
    ] as const) {
      const d = await ask(question);
      expect([question, d.citations[0]?.ref, d.status]).toEqual([question, ref, 'no']);
      expect(d.reason, question).toContain(figure);
      expect(d.needsHuman).toBe(true);
    }
  });

  it('cites the figure row first and answers yes when its figure meets the bound', async () => {
    const d = await ask('バックアップは7日以上保管されていますか。');
    expect([d.citations[0]?.ref, d.status]).toEqual(['1-2', 'yes']);
  });

  it('does not answer how often penetration tests run from the restore tests’ quarterly figure', async () => {
    const d = await ask('Are penetration tests performed at least quarterly?');
    expect(d.citations[0]?.ref).not.toBe('1-3');
    expect(d.status).not.toBe('yes');
  });
});
