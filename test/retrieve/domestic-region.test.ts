/**
 * 「国内に保存されていますか」 asks whether the data stays in Japan, which a sheet answers by
 * naming the region it runs in (「東京リージョンおよび大阪リージョンで運用」). 国内 stands for Japan
 * as much as for the domestic/overseas pair, so it reaches the Japanese regions too; asked of a
 * sheet naming no place, it is still declined. Made-up sheets and wordings, this test's own.
 */
import { describe, expect, it } from 'vitest';
import { sectionSheets } from '../support/sheets.js';

const sheets = {
  spruce: [
    ['データセンターの所在地を明示すること。', '本サービスはクラウド事業者の東京リージョンで運用し、バックアップは大阪リージョンに保管しています。'],
    ['利用者の情報を定期的にバックアップすること。', 'データは毎日バックアップを取得しております。'],
    ['アクセスログを取得すること。', 'アクセスログを取得し、1年間保管しております。'],
  ],
  alder: [
    ['利用者の情報を定期的にバックアップすること。', 'データは毎日バックアップを取得しております。'],
    ['アクセスログを取得すること。', 'アクセスログを取得し、1年間保管しております。'],
  ],
} as const;

const { answer } = sectionSheets(sheets);

describe('国内 asked of a sheet naming its regions', () => {
  it('answers from the row naming the Japanese regions', async () => {
    const draft = await answer('spruce', 'データは国内に保存されていますか？');
    expect(draft.abstained).toBe(false);
    expect(draft.status).toBe('yes');
    expect(draft.citations[0]?.text).toContain('東京リージョン');
  });

  it('declines where no row names a place', async () => {
    expect((await answer('alder', 'データは国内に保存されていますか？')).abstained).toBe(true);
  });
});
