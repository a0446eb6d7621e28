/**
 * A figure asked is compared with the row's figure about the same thing: not with a figure in
 * another clause of the row that happens to meet the bound, and, where the question states two
 * figures, each with the row's clause about its own subject. A deadline the row counts on from
 * another clause's event adds up; a period without end meets any retention period asked; a
 * count over a period is a frequency; an idle-session timeout asked is a ceiling.
 */
import { describe, expect, it } from 'vitest';
import { askedQuantity, failingFigure, figureEvidence, figuresFailing, statesQuantity } from '../../src/retrieve/quantities.js';

const asked = (question: string): NonNullable<ReturnType<typeof askedQuantity>> => {
  const q = askedQuantity(question);
  if (!q) throw new Error(`no figure asked in ${question}`);
  return q;
};

describe('a deadline the row counts on from another clause', () => {
  it('adds the later clause to the earlier one when the question counts from the first event', () => {
    const q = asked('解約後、顧客の全データを10日以内に削除していますか');
    const row = '解約日から60日経過後に顧客データを削除します。その5日後にバックアップからも削除されます。';
    expect(statesQuantity(q, row)).toBe(false);
    expect(failingFigure(q, row)).toContain('60日');
    const en = asked('Is all customer data, backups included, erased within 10 days after termination?');
    expect(failingFigure(en, 'Customer data is erased 45 days after termination. Backups are purged 7 days after that.')).toContain('45 days');
  });

  it('reads the later clause alone when the question counts from the same event', () => {
    const q = asked('アーカイブは削除から3週間以内に消去されますか');
    expect(statesQuantity(q, '原本は申請から1か月以内に削除します。アーカイブは各原本の削除から14日以内に消去します。')).toBe(true);
  });
});

describe('two figures stated in one question', () => {
  it('checks each against the clause about its own subject: one failing beside one met is partial, naming both', () => {
    const q = asked('RTOを8時間以内、RPOを30分以内としていますか');
    expect(figuresFailing(q, 'RTOは4時間、RPOは2時間としています。')).toEqual({ figure: '30分以内', stated: '2時間', met: '8時間以内' });
    expect(figuresFailing(asked('Is the RTO under 2 hours and the RPO under 1 hour?'), 'Our RTO is 6 hours and our RPO is 3 hours.')).toMatchObject({ stated: '6 hours', met: null });
  });

  it('finds nothing failing when the row meets both', () => {
    expect(figuresFailing(asked('RTOを8時間以内、RPOを30分以内としていますか'), 'RTOは4時間、RPOは15分としています。')).toBeNull();
  });
});

describe('comparisons that are clear although no figure is written the way asked', () => {
  it('meets a retention period asked with a period without end', () => {
    expect(statesQuantity(asked('操作ログを3年間保管していますか'), '操作ログは無期限に保管しています。')).toBe(true);
    expect(statesQuantity(asked('Are audit logs kept for at least 2 years?'), 'Audit logs are retained indefinitely.')).toBe(true);
  });

  it('reads a count beside the period it is counted over as a frequency', () => {
    const row = figureEvidence('3回', '重大障害の件数: 直近1年間に発生した重大障害の件数');
    expect(failingFigure(asked('重大障害は年2回以下ですか'), row)).toContain('3回');
    expect(statesQuantity(asked('重大障害は年4回以下ですか'), row)).toBe(true);
  });

  it('reads an idle-session timeout asked as a ceiling', () => {
    expect(failingFigure(asked('操作がない状態が2時間続いたらセッションを切断しますか'), '無操作のまま7日間経過するとセッションが切断されます。')).toBe('7日間');
    expect(statesQuantity(asked('Are idle sessions logged out after 30 minutes?'), 'Sessions time out after 15 minutes of inactivity.')).toBe(true);
  });
});
