/**
 * "At rest" says which state of the data a control is asked of; the control is the thing asked.
 * Asked "is data encrypted at rest?", a row stating encryption answers, not one that only
 * mentions stored data in passing (a deletion or backup row's 「保存されるデータ」, "data that is
 * stored"): that everyday phrase is no wording of "at rest", whose wordings are the sheets'
 * technical ones (保存データ, 保存時, ストレージ暗号化). A made-up sheet in its own words; kotae once
 * cited such a deletion row at 0.92.
 */
import { describe, expect, it } from 'vitest';
import { sectionSheets } from '../support/sheets.js';

const sheets = {
  // Deletion and backup rows speaking of stored data at length; the encryption row's answer names neither storage nor encryption.
  birch: [
    ['契約終了時にデータが削除されること。', '契約終了後30日で、お客様がサービスに保存したデータおよび保存されるデータのバックアップを消去いたします。'],
    ['定期的にバックアップを取得すること。', 'データベースに保管されるデータは、日次でバックアップを取得し7日間保管しています。'],
    ['通信経路と、システム上で扱う情報が暗号化されていること。', '当社サーバーとの通信はすべてHTTPS(TLS 1.2)で行われます。'],
  ],
} as const;

const { answer } = sectionSheets(sheets);

describe('a state qualifier beside the control asked', () => {
  it('cites the row stating the control, not the rows mentioning the state only', async () => {
    const draft = await answer('birch', 'Is stored data encrypted?');
    expect(draft.abstained).toBe(false);
    expect(draft.citations[0]?.text).toContain('暗号化されていること');
  });

  it('declines rather than answer "at rest" from a deletion or backup row', async () => {
    // The encryption row's answer speaks of HTTPS only: declining is honest; citing the deletion
    // row's 「保存されるデータ」 is the error this guards against.
    const draft = await answer('birch', 'Is customer data encrypted at rest?');
    if (!draft.abstained) expect(draft.citations[0]?.text).toContain('暗号化されていること');
    expect(draft.citations.map((c) => c.text).join('\n')).not.toMatch(/消去|バックアップ/);
  });
});
