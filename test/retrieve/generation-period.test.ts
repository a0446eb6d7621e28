/**
 * A row taking copies at an interval (日次, 毎週, "every 12 hours") and keeping a number of
 * generations of them states the period it keeps: 「日次で取得…7世代分保管」 is 7 days, 「毎週取得し
 * 4世代保持」 4 weeks. Asked how many days are kept, it answers with that period; asked "at least 30
 * days?", that period fails it (no), as any other failing figure does (blind trial s21 declined
 * "how many days of backups are left?" from such a row). A row keeping generations with no interval,
 * or with an interval about something else, stays a count; a question asking generations reads them
 * as they are. Made-up sheets and wordings, this test's own.
 */
import { describe, expect, it } from 'vitest';
import { askedQuantity, failingFigure, statesQuantity } from '../../src/retrieve/quantities.js';
import { sectionSheets } from '../support/sheets.js';

const sheets = {
  // Japanese: settings backed up daily, 7 generations kept; snapshots weekly, 4 kept; access logs with no period.
  tessera: [
    ['設定情報のバックアップを取得すること。', '日次で設定情報のバックアップを取得しています。バックアップは、7世代分保管されます。'],
    ['仮想サーバのスナップショットを取得すること。', '仮想サーバのスナップショットは毎週取得し4世代保持しています。'],
    ['アクセスログを保管すること。', 'アクセスログを取得し、改ざんできない領域に保管しています。'],
  ],
  // English: the same, in another vendor's words; the archive's generations have no interval.
  quill: [
    ['Configuration backups are taken.', 'Configuration backups are taken daily. Fourteen generations of configuration backups are retained.'],
    ['Archives are kept.', 'Mailbox archives are retained for 5 generations.'],
    ['Access logs are kept.', 'Access logs are collected and stored in write-once storage.'],
  ],
} as const;

const { answer } = sectionSheets(sheets);

const asked = (question: string) => {
  const a = askedQuantity(question);
  if (!a) throw new Error(`no figure asked: ${question}`);
  return a;
};

describe('generations of a periodic copy as the period kept', () => {
  it('reads interval × generations for a period asked of kept copies, and generations as they are when asked', () => {
    const daily = '日次で設定情報のバックアップを取得しています。バックアップは、7世代分保管されます。';
    const weekly = 'スナップショットは毎週取得し4世代保持しています。';
    expect(statesQuantity(asked('設定のバックアップは何日分保持されていますか？'), daily)).toBe(true);
    expect(statesQuantity(asked('スナップショットは何週間分残りますか'), weekly)).toBe(true);
    // 4 weeks meets three weeks, fails five; 7 days fails 30.
    expect(statesQuantity(asked('スナップショットは3週間以上保持されますか'), weekly)).toBe(true);
    expect(failingFigure(asked('スナップショットは5週間以上保持されますか'), weekly)).toBe('4世代');
    expect(failingFigure(asked('Are configuration backups retained for at least 30 days?'), daily)).toBe('7世代分');
    expect(statesQuantity(asked('Are configuration backups kept for at least 6 hours?'), 'Backups are taken every 12 hours and 3 generations are kept.')).toBe(true);
    // Generations asked: the count as written, not a period.
    expect(statesQuantity(asked('バックアップは何世代保持していますか'), daily)).toBe(true);
    expect(failingFigure(asked('バックアップは10世代以上保持していますか'), daily)).toBe('7世代分');
  });

  it('leaves generations with no interval, or an interval about something else, a count', () => {
    const q = asked('バックアップは何日分保持されていますか？');
    expect(statesQuantity(q, 'バックアップは、7世代分保管されます。')).toBe(false);
    expect(statesQuantity(q, '年次で外部監査を受けています。バックアップは、7世代分保管されます。')).toBe(false);
    // Two intervals side by side: which generations are which is not stated.
    expect(statesQuantity(q, 'バックアップは日次と月次で取得し、7世代分保管されます。')).toBe(false);
    // A deadline is not how long copies are kept.
    expect(statesQuantity(asked('How long does a restore from backup take?'), 'Backups are taken daily. Seven generations of backups are kept.')).toBe(false);
  });

  it('answers how long from such a row, and no to a longer floor, in both languages', async () => {
    for (const [product, question, status, ref] of [
      ['tessera', '設定情報のバックアップって何日分くらい残ってるの？', 'yes', '1-1'],
      ['tessera', 'How many days of configuration backups do you keep?', 'yes', '1-1'],
      ['tessera', '設定情報のバックアップは30日以上保管されていますか？', 'no', '1-1'],
      ['tessera', 'Are configuration backups retained for at least 30 days?', 'no', '1-1'],
      ['tessera', '仮想サーバのスナップショットは何週間分保持されていますか？', 'yes', '1-2'],
      ['quill', 'How many days of configuration backups are retained?', 'yes', '1-1'],
      ['quill', 'Are configuration backups retained for at least 30 days?', 'no', '1-1'],
    ] as const) {
      const d = await answer(product, question);
      expect([question, d.status], question).toEqual([question, status]);
      expect(d.citations.map((c) => c.ref), question).toContain(ref);
    }
  });

  it('still does not answer a period from generations with no interval', async () => {
    const d = await answer('quill', 'How many days of mailbox archives do you keep?');
    expect(d.status).not.toBe('yes');
    expect(d.status).not.toBe('no');
  });
});
