/**
 * Phishing the threat and a phishing simulation (a training practice: 標的型メール訓練) are two
 * ideas. A sheet whose only mention of phishing is a server certificate 「…(フィッシング等)を防止
 * するため」 does not say whether staff are sent simulated phishing mails: such a question is
 * declined, not answered yes from the certificate row. A sheet stating the drill answers it.
 * Made-up sheets.
 */
import { describe, expect, it } from 'vitest';
import { sectionSheets } from '../support/sheets.js';

const sheets = {
  cedar: [
    ['サーバ証明書を取得すること。', 'なりすまし(フィッシング等)を防止するため、第三者機関のサーバ証明書を取得しております。'],
    ['従業員に情報セキュリティ教育を行うこと。', '全従業員に年1回、情報セキュリティ研修を実施しております。'],
  ],
  larch: [
    ['サーバ証明書を取得すること。', 'なりすまし(フィッシング等)を防止するため、第三者機関のサーバ証明書を取得しております。'],
    ['従業員に情報セキュリティ教育を行うこと。', '全従業員に年1回、情報セキュリティ研修と標的型メール訓練を実施しております。'],
  ],
} as const;

const { answer } = sectionSheets(sheets);
const questions = ['Do you run phishing simulation exercises for your staff?', '従業員向けに標的型メール訓練を実施していますか?'];

describe('a phishing simulation', () => {
  it('is declined by a sheet that mentions phishing only as what a certificate prevents', async () => {
    for (const q of questions) {
      const draft = await answer('cedar', q);
      expect([q, draft.abstained]).toEqual([q, true]);
    }
  });

  it('is answered from the row stating the drill', async () => {
    for (const q of questions) {
      const draft = await answer('larch', q);
      expect([q, draft.abstained]).toEqual([q, false]);
      expect(draft.citations[0]?.text, q).toContain('標的型メール訓練');
    }
  });
});
