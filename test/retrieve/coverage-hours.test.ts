/**
 * A row marked as done that limits a service to some hours or days is no "yes" to a question
 * about exactly the hours or days it leaves out: weekends against 「平日のみ」, holidays against
 * "excluding public holidays", a closing time against the row's last clock time. The answer is
 * no, or partial where the question asks about a covered part too or the row covers the rest on
 * a best-effort basis only.
 */
import { describe, expect, it } from 'vitest';
import { hoursAsked, hoursExcluded } from '../../src/retrieve/coverage-hours.js';

const verdict = (question: string, row: string): ReturnType<typeof hoursExcluded> => {
  const asked = hoursAsked(question);
  return asked ? hoursExcluded(asked, row) : null;
};

describe('hours or days asked that the row leaves out', () => {
  it('answers no when the row excludes the days asked, and names the exclusion', () => {
    expect(verdict('ヘルプデスクは日曜日も電話を受けますか', '電話窓口の受付は9:30-17:00(土日・祝日を除く)です。')).toMatchObject({ effect: 'no', asked: '日曜', limit: expect.stringContaining('土日・祝日を除く') });
    expect(verdict('Is the service desk open on public holidays?', 'The service desk is open 8:00-20:00, except public holidays.')).toMatchObject({ effect: 'no', limit: 'except public holidays' });
  });

  it('reads a weekday-only row as leaving out weekends and holidays', () => {
    expect(verdict('週末の障害連絡にも対応していますか', '障害連絡は月〜金の受付となります。')).toMatchObject({ effect: 'no', limit: '月~金' });
    expect(verdict('Do you take calls on Saturdays?', 'Phone lines are staffed on weekdays only.')).toMatchObject({ effect: 'no', limit: 'weekdays' });
  });

  it('compares a closing time asked with the last clock time of the row', () => {
    expect(verdict('問い合わせ窓口は19時まで開いていますか', '受付時間は8:30〜12:00、13:00〜18:45です。')).toMatchObject({ effect: 'no', asked: '19時まで', limit: '13:00~18:45' });
    expect(verdict('問い合わせ窓口は18時まで開いていますか', '受付時間は8:30〜12:00、13:00〜18:45です。')).toBeNull();
    expect(verdict('Is the hotline staffed until 7 pm?', 'The hotline is staffed 8am-6pm.')).toMatchObject({ effect: 'no' });
  });

  it('answers partial when the question asks a covered part too, or the row covers the rest on a best-effort basis', () => {
    expect(verdict('平日と週末の両方で問い合わせできますか', '問い合わせは平日のみ受け付けます。')).toMatchObject({ effect: 'partial' });
    expect(verdict('夜間の障害にも対応してもらえますか', '対応は9:00-18:00です。それ以外の時間帯はベストエフォートで対応します。')).toMatchObject({ effect: 'partial' });
  });

  it('answers no to a guarantee asked where the row offers only best effort outside its hours', () => {
    expect(verdict('夜間の障害対応を保証していますか', '対応は9:00-18:00です。それ以外の時間帯はベストエフォートで対応します。')).toMatchObject({ effect: 'no' });
  });

  it('answers no to round-the-clock coverage asked of a row with office hours', () => {
    expect(verdict('Is the helpdesk reachable 24 hours a day?', 'ヘルプデスクは平日10:00-17:00に対応します。')).toMatchObject({ effect: 'no', limit: '平日' });
    expect(verdict('障害窓口は24時間365日対応していますか', '窓口は営業時間内のみ受け付けます。')).toMatchObject({ effect: 'no', limit: '営業時間' });
    expect(verdict('Is support reachable around the clock?', 'Support answers between 8:00 - 20:00 JST.')).toMatchObject({ effect: 'no', limit: '8:00 - 20:00' });
  });

  it('finds no limit when a row with office hours states round-the-clock coverage too', () => {
    expect(verdict('Is the security operations centre staffed 24/7?', '監視は24時間365日行い、平日は担当者が常駐します。')).toBeNull();
    expect(verdict('Is there a security operations centre?', '監視センターの対応時間は平日9:00-17:30です。')).toBeNull();
  });

  it('finds nothing left out when the row covers what is asked, or the question asks no hours', () => {
    expect(verdict('Is support available on weekends?', 'Support is available every day, weekends included.')).toBeNull();
    expect(verdict('土日も受け付けていますか', 'メールでのお問い合わせは24時間365日受け付けています。')).toBeNull();
    // A deadline in business days is no limit on the days the service runs.
    expect(verdict('土日も受け付けていますか', 'お問い合わせには3営業日以内に回答します。')).toBeNull();
    // The question's own exclusion is not asked.
    expect(hoursAsked('土日祝日を除く営業時間を教えてください')).toBeNull();
    expect(hoursAsked('バックアップは暗号化していますか')).toBeNull();
  });
});
