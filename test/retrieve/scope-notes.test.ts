/**
 * A row's qualification about something other than what the customer asked leaves the row's
 * answer to the question alone (issue #9: status follows scope; a confident wrong partial reads,
 * in a customer's sheet, as a gap the vendor admits). A row marked △ because its remark denies
 * one item (「…ストレージは暗号化しておりません」) answers yes to a question about another item
 * the remark states as done (data in transit, uploaded files), and stays partial for a
 * question about the whole or no for one about the denied item. Real ingest of this test's own
 * made-up checksheet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { appOver, tempCorpus } from '../support/corpus.js';

const CHECKSHEET = [
  '# tsubameセキュリティチェックシート',
  '',
  '項番\t確認事項\t実施有無\t備考',
  '<b>1 暗号化</b>\t\t\t',
  '1-1\t通信経路及び保管する情報を暗号化すること。\t△\t端末とサーバー間の通信はTLSで暗号化しております。添付ファイルは暗号化して保管しております。バックアップ媒体は暗号化しておりません。',
  '<b>2 ログ</b>\t\t\t',
  '2-1\t監査ログを取得し、保管すること。\t△\t監査ログは2年間保管しております。ログのレビューや利用者へのログ提供は行っておりません。',
  '',
].join('\n');

let app: App;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ app, close } = await appOver(tempCorpus('kotae-scope-notes-', { file: 'tsubame.txt', product: 'tsubame', vendor: null, title: 'tsubameセキュリティチェックシート', format: 'checksheet-text', language: 'ja' }, CHECKSHEET)));
}, 120_000);

afterAll(() => close());

const ask = async (question: string) => (await app.ask(question, 'tsubame')).draft;

describe('a row partial because its remark denies one item', () => {
  it('answers yes to a question about an item the remark states as done, in either language', async () => {
    for (const question of ['Is data encrypted in transit?', '通信は暗号化されていますか。', 'Are attachments stored encrypted?']) {
      const d = await ask(question);
      expect([question, d.citations[0]?.ref, d.status]).toEqual([question, '1-1', 'yes']);
      // The denial stays in the draft: a reviewer sees what is not done beside it.
      expect(d.draft, question).toContain('バックアップ媒体は暗号化しておりません');
    }
  });

  it('stays partial for a question about the whole, and says no for the denied item', async () => {
    expect((await ask('Is stored data encrypted?')).status).not.toBe('yes');
    expect((await ask('保管データは暗号化されていますか。')).status).not.toBe('yes');
    expect((await ask('Are backup media encrypted?')).status).toBe('no');
  });

  it('keeps the row partial where a conjunct of the denial is what is asked', async () => {
    const d = await ask('Can customers obtain a copy of the audit logs?');
    expect([d.citations[0]?.ref, d.status]).toEqual(['2-1', expect.stringMatching(/^(partial|no)$/)]);
  });
});
