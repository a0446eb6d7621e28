/**
 * What the customer reads when a ○ row's remark says the asked thing is not done: the offline
 * draft leads with いいえ / No (or 一部 / partially, when the sentence says what is done
 * instead), never はい followed by the vendor's own denial. Real ingest of this test's own
 * made-up checksheet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { appOver, tempCorpus } from '../support/corpus.js';

const CHECKSHEET = [
  '# tsubameセキュリティチェックシート',
  '',
  '項番\t確認事項\t実施有無\t備考',
  '<b>1 環境</b>\t\t\t',
  '1-1\t動作環境を明示すること。\t○\t主要なブラウザの最新版に対応しています。※スマートフォンアプリでは動作しません。',
  '<b>2 報告</b>\t\t\t',
  '2-1\t稼働状況を定期的に利用者へ報告すること。\t○\t稼働実績の定期的なレポートは提供していませんが、障害発生時はステータスページで随時お知らせしています。',
  '<b>3 監査</b>\t\t\t',
  '3-1\t外部監査の結果を開示すること。\t○\t外部監査を年1回受けています。監査報告書の開示は行っておりません。',
  '',
].join('\n');

let app: App;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ app, close } = await appOver(tempCorpus('kotae-remark-draft-', { file: 'tsubame.txt', product: 'tsubame', vendor: null, title: 'tsubameセキュリティチェックシート', format: 'checksheet-text', language: 'ja' }, CHECKSHEET)));
}, 120_000);

afterAll(() => close());

const ask = async (question: string) => (await app.ask(question, 'tsubame')).draft;

describe('the draft for a question the remark denies', () => {
  it('leads with いいえ in Japanese and quotes the row, never はい before the denial', async () => {
    const d = await ask('スマートフォンアプリでも利用できますか。');
    expect(d.status).toBe('no');
    expect(d.draft).toMatch(/^【要確認】いいえ。/);
    expect(d.draft).not.toContain('はい。');
    expect(d.draft).toContain('※スマートフォンアプリでは動作しません');
  });

  it('says No in English as plainly as the judgement is sure, with the reason quoting the denial', async () => {
    const d = await ask('Will you disclose your audit report to us?');
    expect(d.status).toBe('no');
    expect(d.confidence).toBeGreaterThan(0.5);
    expect(d.draft).toMatch(/^\[Needs review\] No, according to item 3-1 of our published tsubame security checksheet\b/);
    expect(d.reason).toContain('監査報告書の開示は行っておりません');
  });

  it('says partly, in the question’s language, when the same sentence says what is done instead', async () => {
    const ja = await ask('稼働実績の定期的なレポートを提供していただけますか。');
    expect(ja.status).toBe('partial');
    expect(ja.draft).toMatch(/^【要確認】一部対応しています。/);
    const en = await ask('Do you send customers periodic availability reports?');
    expect(en.status).toBe('partial');
    expect(en.draft).toMatch(/^\[Needs review\] Partially, according to item 2-1\b/);
  });

  it('answers a question about what the row does do as before', async () => {
    const d = await ask('外部監査を定期的に受けていますか。');
    expect(d.status).not.toBe('no');
    expect(d.reason).not.toContain('備考は');
  });
});
