/**
 * A question asking two things of one row, one of them the hours or days it covers ("is support
 * by phone? on weekends too?"), gets each ask's own reading: the row's phone line answers the
 * first, its weekday-only hours say no to the second, and the whole is partial, not the no of
 * the hours alone (blind trial s23 drafted no). Asked only the hours, the answer stays no.
 * Made-up sheets and wordings, this test's own.
 */
import { describe, expect, it } from 'vitest';
import { sectionSheets } from '../support/sheets.js';

const sheets = {
  // A help desk reachable by e-mail and phone on weekdays only, beside rows about other things.
  lantern: [
    ['問い合わせ窓口を設け、利用者に公開すること。', 'ヘルプデスクはメールおよび電話で受け付けております。受付時間は平日10:00~18:00(土日祝日を除く)です。'],
    ['利用者の情報を定期的にバックアップすること。', 'データは毎日バックアップを取得しております。'],
    ['アクセスログを取得すること。', 'アクセスログを取得し、1年間保管しております。'],
  ],
  quarry: [
    ['A help desk is available to customers.', 'The help desk takes requests by e-mail and by telephone, Monday to Friday 9:00-17:00, except public holidays.'],
    ['Customer data is backed up.', 'Customer data is backed up every night.'],
    ['Access logs are kept.', 'Access logs are kept for one year.'],
  ],
} as const;

const { answer } = sectionSheets(sheets);

describe('hours asked by one ask of several', () => {
  it('answers partial when the row states one ask and leaves out the hours another asks', async () => {
    const ja = await answer('lantern', 'ヘルプデスクって電話でも受け付けてもらえますか？土日も対応してます？');
    expect(ja.abstained).toBe(false);
    expect(ja.status).toBe('partial');
    expect(ja.citations[0]?.text).toContain('電話');
    const en = await answer('quarry', 'Can we reach the help desk by telephone, and do you also cover weekends?');
    expect(en.status).toBe('partial');
  });

  it('still answers no when the hours are all that is asked', async () => {
    expect((await answer('lantern', 'ヘルプデスクは土日も対応していますか？')).status).toBe('no');
    expect((await answer('quarry', 'Is the help desk open on weekends?')).status).toBe('no');
  });
});
