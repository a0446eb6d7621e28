import { describe, expect, it } from 'vitest';
import type { Status } from '../../src/domain.js';
import { inferStatus, markStatus, scopeNotes } from '../../src/corpus/status.js';

describe('inferStatus', () => {
  const cases: ReadonlyArray<readonly [string, string, string, Status]> = [
    // [why, mark, answer, expected]
    ['○ alone', '○', '', 'yes'],
    ['an English policy sentence stating a control', '', 'All staff must use multi-factor authentication.', 'yes'],
    ['an English sentence saying a feature is not yet supported', '', 'Single sign-on through SAML is not yet supported.', 'no'],
    ['an English control with a gap', '', 'Backups are encrypted. Customer-managed keys are not currently offered.', 'partial'],
    ['an English control limited to some plans', '', 'Audit logs are exported only on the Enterprise plan.', 'partial'],
    ['an English promise ("never") is no gap', '', 'Customer data is never sold to third parties.', 'yes'],
    ['an English certification not held, whatever the verb', '', 'Nimbus Ledger is not FedRAMP authorized.', 'no'],
    ['an English "has never" is something not done', '', 'The company has never signed a business associate agreement.', 'no'],
    ['an English "cannot", as 「できません」', '', 'Customers cannot export their audit logs.', 'no'],
    ['an English prohibition is a control stated', '', 'Staff must not share their passwords with anyone.', 'yes'],
    ['an English protection from someone is a control stated', '', 'Change records are kept for two years and cannot be edited by developers.', 'yes'],
    ['English statements in the present tense beside one gap are a partial, not a no', '', 'Staff can request a hardware key from IT. Hardware keys are not issued to contractors. Sign-in requires a key for every administrator.', 'partial'],
    ['a held certification beside one not held', '', 'We are ISO 27001 certified. We have not undergone a SOC 2 audit.', 'partial'],
    ['a Japanese row quoting an English product name stays as its Japanese text reads', '', 'Microsoft Defenderを導入しております。', 'yes'],
    ['〇 (ideographic zero) alone', '〇', '', 'yes'],
    ['OCR reads ○ as the digit 0', '0', '窓口を公開しております。', 'yes'],
    ['× alone', '×', '', 'no'],
    ['✕ alone', '✕', '', 'no'],
    ['△ alone', '△', '', 'partial'],
    ['Greek Δ from OCR', 'Δ', '', 'partial'],
    ['※ (see note)', '※', '', 'partial'],
    ['a lone dash', '-', 'kintoneに準じます。', 'partial'],
    ['full-width dash', '－', '', 'partial'],
    ['対象外 as the mark', '対象外', '', 'not_applicable'],
    ['該当なし as the mark', '該当なし', '', 'not_applicable'],
    ['N/A as the mark', 'N/A', '', 'not_applicable'],
    ['○ but only partly', '○', '一部のみ対応しております。', 'partial'],
    ['○ but a certificate is not issued', '○', '消去します。尚、証明書は発行しておりません。', 'partial'],
    ['○ but something is not done', '○', 'CSIRTを設けております。但し、定期的な明示はしていません。', 'partial'],
    ['○ wins over "provider\'s responsibility"', '○', '本事項についてはAWSの管理範囲となっております。', 'yes'],
    ['× wins over affirmative text', '×', '提供しております。', 'no'],
    ['"only admins can" is a working restriction', '○', 'JavaScriptは管理者しか設置することはできません。', 'yes'],
    ['holidays excluded is not a scope limit', '○', '平日9:00～17:30(祝日・年末年始は除く)となります。', 'yes'],
    ['no mark, provider\'s responsibility', '', '本事項はAWSの管理範囲となっております。', 'not_applicable'],
    ['○ with a note excluding some products', '○', '暗号化しております。※製品Bは対象外です', 'partial'],
    ['対応可否 word 非対応', '非対応', '今後検討します。', 'no'],
    ['対応可否 word 部分対応', '部分対応', 'ログは一部提供します。', 'partial'],
    ['spreadsheet boolean FALSE', 'FALSE', '', 'no'],
    ['no mark, out of scope', '', 'kintone上で動作するため、対象外です', 'not_applicable'],
    ['soft mark, out of scope', '-', '本サービスは該当しません。', 'not_applicable'],
    ['no mark, not done', '', '機能は提供しておりません。', 'no'],
    ['no mark, planned only', '', '現状文書化したものはありません。 今後作成予定です。', 'no'],
    ['no mark, "実施" inside a negation', '', 'ログのレビューは実施していません。', 'no'],
    ['OCR spaces inside the negation', '', '提供は行って お りません。', 'no'],
    ['no mark, done but partly not', '', 'イベントログを取得しております。ただし利用者へのログ提供は実施していません。', 'partial'],
    ['no mark, exception for a plan', '', 'データ移行を実施頂けます。ただし、フリープランの場合はこの限りではありません。', 'partial'],
    ['no mark, affirmative (しております)', '', '定期的に監査を実施しております。', 'yes'],
    ['no mark, affirmative (ている)', '', '保守ツールの承認と管理を行っている。', 'yes'],
    ['no mark, affirmative (可能)', '', '設定画面から権限確認可能', 'yes'],
    ['no mark, affirmative (設けて)', '', '規定を設けて運用', 'yes'],
    ['a promise not to act is not a gap', '', '公開されている以上の開示は一切行いません。', 'unknown'],
    ['no mark, no evidence', '', '利用規約を参照', 'unknown'],
    ['nothing at all', '', '', 'unknown'],
    ['a value in the 対応可否 column', '24時間366日(計画停止/定期保守を除く)', '', 'yes'],
    ['a value with a note that something is not done', '年2回', '事前通知は行っておりません。', 'partial'],
  ];

  it.each(cases)('%s', (_why, mark, answer, expected) => {
    expect(inferStatus(mark, answer)).toBe(expected);
  });
});

describe('markStatus', () => {
  it('reads symbols and words, and refuses values', () => {
    expect(markStatus(' ○ ')).toBe('yes');
    expect(markStatus('✕')).toBe('no');
    expect(markStatus('該当なし')).toBe('not_applicable');
    expect(markStatus('24時間366日')).toBeNull();
    expect(markStatus('')).toBeNull();
  });
});

describe('one vocabulary for checksheets and questionnaires', () => {
  it('reads the same words the same way, except the marks a checksheet reads its own way', async () => {
    const { statusFromToken } = await import('../../src/spreadsheet/status.js');
    for (const word of ['○', 'はい', '×', '非対応', '部分対応', '対象外', 'Yes', 'N/A', 'FALSE']) {
      expect(inferStatus(word, ''), word).toBe(statusFromToken(word));
    }
    // '-' is "partly" in a METI-style checksheet, "not applicable" in a customer's sheet.
    expect(inferStatus('-', '')).toBe('partial');
    expect(statusFromToken('-')).toBe('not_applicable');
  });
});

describe('scopeNotes', () => {
  it('finds an out-of-scope ※ note with the statement it follows and the one after it', () => {
    const answer = 'アプリの監視を実施しております。 ※製品Bと製品Cは基盤上で動作するため、対象外です 停止を検知した場合はお知らせページで通知いたします。';
    expect(scopeNotes(answer)).toEqual([{ before: 'アプリの監視を実施しております。', after: '停止を検知した場合はお知らせページで通知いたします。', note: '※製品Bと製品Cは基盤上で動作するため、対象外です' }]);
  });

  it('gives a note at the end of the row nothing after it', () => {
    expect(scopeNotes('通信はTLSで暗号化しております。※製品Bは対象外です。')).toEqual([{ before: '通信はTLSで暗号化しております。', after: '', note: '※製品Bは対象外です。' }]);
  });

  it('ignores ※ notes that put nothing out of scope', () => {
    expect(scopeNotes('平日に対応いたします。※祝日は翌営業日の対応となります。')).toEqual([]);
  });
});
