/**
 * A figure asked in everyday words. "How far back do your backups go, how many generations?"
 * asks the depth kept: the row stating its generations answers it, however the question words
 * the keeping (残す, どのくらい前), which say what kind of figure is asked, not what it is of.
 * Real ingest of this test's own made-up checksheet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { appOver, tempCorpus } from '../support/corpus.js';

const CHECKSHEET = [
  '# hanamizuセキュリティチェックシート',
  '',
  '項番\t確認事項\t実施有無\t備考',
  '<b>1 データ保護</b>\t\t\t',
  '1-1\tバックアップを定期的に取得し、復旧できるようにすること。\t○\tデータベースは毎日バックアップを取得し、14世代分を保持しています。',
  '1-2\t契約終了時にデータを消去すること。\t○\t契約終了から60日後にデータを消去します。',
  '<b>2 ネットワークとアクセス</b>\t\t\t',
  '2-1\t外部からの不正な通信を防ぐこと。\t○\tネットワークの境界にファイアウォールを設置し、許可した通信以外を遮断しています。',
  '2-2\t一定時間操作がないセッションを終了すること。\t○\t最終操作から12時間操作がない場合、自動的にログアウトします。',
  '2-3\t操作ログを記録すること。\t○\t操作ログは1年間保存しています。',
  '',
].join('\n');

let app: App;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ app, close } = await appOver(tempCorpus('kotae-figure-how-far-back-', { file: 'hanamizu.txt', product: 'hanamizu', vendor: null, title: 'hanamizuセキュリティチェックシート', format: 'checksheet-text', language: 'ja' }, CHECKSHEET)));
}, 120_000);

afterAll(() => close());

const ask = async (question: string) => (await app.ask(question, 'hanamizu')).draft;

describe('how far back a copy reaches, asked in everyday words', () => {
  it('answers from the row stating the generations kept, in Japanese', async () => {
    const d = await ask('データベースって、どのくらい前の分まで残してもらえるんですか？何世代くらい？');
    expect(d.abstained).toBe(false);
    expect(d.citations[0]?.ref).toBe('1-1');
    expect(d.draft).toContain('14世代');
    expect(d.status).toBe('yes');
  });

  it('answers from the same row in English', async () => {
    const d = await ask('How far back do your database backups go, how many generations are kept?');
    expect(d.abstained).toBe(false);
    expect(d.citations[0]?.ref).toBe('1-1');
    expect(d.draft).toContain('14');
  });
});
