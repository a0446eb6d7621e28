/**
 * A side of an opposite pair the asker names as its own ("our internal systems", 「弊社の社内
 * システム」) is, to the vendor's row, outside: a row offering an API for connecting external
 * systems answers "can we connect our internal systems?" (blind trial s23 read it as asking
 * "internal" against the row's 外部 and gave no answer). Named without the asker's own word, the
 * side is still read against the row. Made-up sheet and wordings, this test's own.
 */
import { describe, expect, it } from 'vitest';
import { sectionSheets } from '../support/sheets.js';

const sheets = {
  maple: [
    ['外部システムとの接続仕様(API等)があること。', '外部システムと連携するためのAPIを公開しており、仕様書をWebサイトに掲載しています。'],
    ['利用者の情報を定期的にバックアップすること。', 'データは毎日バックアップを取得しております。'],
    ['アクセスログを取得すること。', 'アクセスログを取得し、1年間保管しております。'],
  ],
} as const;

const { answer } = sectionSheets(sheets);

describe('the asker’s own side of an opposite pair', () => {
  it('answers from a row about external systems when the asker names its own internal systems', async () => {
    for (const question of ['Do you publish an API we can use to link the service with our internal systems?', '弊社の社内システムと連携できるAPIは公開されていますか？']) {
      const draft = await answer('maple', question);
      expect(draft.abstained).toBe(false);
      expect(draft.status).toBe('yes');
      expect(draft.citations[0]?.text).toContain('API');
    }
  });

  it('still reads a side named without the asker’s own word against the row', async () => {
    const draft = await answer('maple', 'Is the API only reachable from internal networks?');
    expect(draft.status).not.toBe('yes');
  });
});
