/**
 * A question with a figure is answered by comparing it with the figure the row states about the
 * question's subject: a shorter period or a lower availability is a no, a deadline met at once
 * (即時) is a yes. A figure asked for by its name ("What is the RTO?", 「…の保存期間は？」) is no
 * plain yes from a row that states none, and a period said of something else (access logs kept
 * 無期限, data erased 30 days after the contract ends) does not answer how long backups are kept.
 * Unit specs, then real ingest of this test's own made-up checksheet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { askedQuantity, failingFigure, figureSubject, statesQuantity } from '../../src/retrieve/quantities.js';
import { appOver, tempCorpus } from '../support/corpus.js';

const asked = (question: string) => {
  const a = askedQuantity(question);
  if (!a) throw new Error(`no figure asked in ${question}`);
  return a;
};

describe('a figure asked by its name', () => {
  it('reads a question asking what a named figure is as asking for a figure of its kind', () => {
    expect(askedQuantity('What is the RTO for the platform?')).toMatchObject({ dimension: 'time', figure: null, text: 'rto' });
    expect(askedQuantity('監査ログの保管期間を教えてください')).toMatchObject({ dimension: 'time', figure: null });
    expect(askedQuantity('端末のロックまでのタイムアウトは？')).toMatchObject({ dimension: 'time', figure: null });
    expect(askedQuantity('What is the account lockout duration, in minutes?')).toMatchObject({ dimension: 'time', figure: null });
  });

  it('reads 「1年に何回」 and 「1年で何回」 as how often, not as a year stated', () => {
    for (const question of ['定期メンテナンスは1年に何回ありますか？', 'サービスが止まるのは1年で何回くらいですか？']) {
      expect([question, askedQuantity(question)]).toMatchObject([question, { dimension: 'frequency', figure: null }]);
    }
    // A year stated as a bound is still one.
    expect(askedQuantity('バックアップは1年以上保管されますか？')).toMatchObject({ dimension: 'time', bound: 'at least' });
  });

  it('does not read a yes/no question about the named figure as asking its value', () => {
    expect(askedQuantity('Is an RTO defined for the platform?')).toBeNull();
    expect(askedQuantity('Indicate whether an RTO is defined for the platform.')).toBeNull();
    expect(askedQuantity('文書の保存期間を定めていますか')).toBeNull();
    expect(askedQuantity('文書の保存期間を明示していますか')).toBeNull();
  });

  it('takes the subject of a period asked without the words saying it is a period', () => {
    const subject = figureSubject('監査ログの保管期間を教えてください');
    expect(subject).toContain('監査ログ');
    expect(subject).not.toContain('保管期間');
    expect(figureSubject('How long are database snapshots retained?')).not.toMatch(/retained|how long/);
    // A figure's name that is what it is of stays.
    expect(figureSubject('What is the RTO for the platform?')).toContain('rto');
  });

  it('takes no subject from the period the figure is reported over ("over the last twelve months", 直近1年)', () => {
    expect(askedQuantity('What was your uptime over the last twelve months?')?.subject ?? []).not.toContain('last');
    for (const question of ['What was your uptime over the last twelve months?', 'What availability did you reach in the past 12 months?', '直近1年の稼働率を教えてください']) {
      expect([question, figureSubject(question)]).not.toEqual([question, expect.stringMatching(/last|past|twelve|12|直近/)]);
    }
  });
});

describe('figures compared', () => {
  it('reads a deadline met at once as meeting any deadline, and as no period kept', () => {
    const row = '緊急度の高いセキュリティ修正は即時適用し、その他は月に1回まとめて適用します。';
    expect(statesQuantity(asked('Are urgent security fixes applied within 14 days?'), row)).toBe(true);
    expect(statesQuantity(asked('Are audit logs retained for at least 1 year?'), 'Alerts are raised immediately.')).toBe(false);
    expect(failingFigure(asked('Are audit logs retained for at least 1 year?'), 'Alerts are raised immediately.')).toBeNull();
  });

  it('reads an availability asked with no bound word as a minimum', () => {
    expect(failingFigure(asked('Is a 99.99% uptime commitment met?'), '稼働率 99.95%(過去12か月の実績)')).toBe('99.95%');
    expect(statesQuantity(asked('稼働率は99.9%ですか'), '稼働率 99.95%(過去12か月の実績)')).toBe(true);
  });

  it('does not read a deadline counted from an event as the period kept, unless the question counts from it', () => {
    const row = '契約終了の翌日から30日後にデータを消去します。バックアップは消去から7日後に完全に消去します。';
    expect(statesQuantity(asked('How long are backups kept?'), row)).toBe(false);
    expect(statesQuantity(asked('契約終了後、データは何日間保持されますか'), row)).toBe(true);
  });
});

const CHECKSHEET = [
  '# sorairoセキュリティチェックシート',
  '',
  '項番\t確認事項\t実施有無\t備考',
  '<b>1 バックアップ</b>\t\t\t',
  '1-1\tバックアップの取得方法と保管場所を定め、保管されたバックアップへのアクセスを管理すること。\t○\tデータベースのバックアップを自動で取得し、暗号化して別リージョンに保管しています。',
  '1-2\tバックアップから前日の状態へ復旧できること。\t○\t最長35日間、日次のスナップショットを作成しています。',
  '1-3\t契約終了時にデータを消去すること。\t○\t契約終了の翌日から30日後にデータを消去します。バックアップは消去から7日後に完全に消去します。',
  '<b>2 ログ</b>\t\t\t',
  '2-1\t利用者の操作を記録した監査ログについて明示すること。\t○\t操作ログは90日間保存しています。',
  '2-2\tアクセスログの扱いを明示すること。\t○\tアクセスログの保存期間や保存形式は管理者が設定できます。当社へのアクセスログに関しては、無期限に保存しております。',
  '2-3\t重要な記録は消失や改ざんから保護すること。\t○\t文書は管理者、承認者、保管期間を定めて適切に管理しています。',
  '2-4\t利用者のデータへのアクセスを管理すること。\t○\tお客様のデータへの当社従業員のアクセスは、障害調査時に限り承認を得て行います。',
  '<b>3 運用</b>\t\t\t',
  '3-1\tパッチ管理の方針を定めること。\t○\t緊急度の高いセキュリティ修正は即時適用し、その他は月に1回まとめて適用します。',
  '3-2\tサービスの稼働率を明示すること。\t○\t稼働率 99.95%(過去12か月の実績)',
  '3-3\t事業継続計画を策定すること。\t○\t事業継続計画を策定し、年1回見直しています。',
  '',
].join('\n');

let app: App;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ app, close } = await appOver(tempCorpus('kotae-figure-compared-', { file: 'sorairo.txt', product: 'sorairo', vendor: null, title: 'sorairoセキュリティチェックシート', format: 'checksheet-text', language: 'ja' }, CHECKSHEET)));
}, 120_000);

afterAll(() => close());

const ask = async (question: string) => (await app.ask(question, 'sorairo')).draft;

describe('answers comparing the figure the row states', () => {
  it('says no when the row keeps backups for less time than asked, though it names no retention verb', async () => {
    const d = await ask('バックアップは60日以上保持されますか');
    expect([d.citations[0]?.ref, d.status]).toEqual(['1-2', 'no']);
    expect(d.reason).toContain('35日間');
  });

  it('says no when the log row keeps logs for fewer days than the years asked', async () => {
    const d = await ask('Do you keep operation logs for a year or longer?');
    expect([d.citations[0]?.ref, d.status]).toEqual(['2-1', 'no']);
    expect(d.reason).toContain('90日間');
  });

  it('says yes to a deadline the row meets at once, and compares an availability asked with no bound word', async () => {
    const patched = await ask('Are urgent security fixes applied within 14 days?');
    expect([patched.citations[0]?.ref, patched.status]).toEqual(['3-1', 'yes']);
    const short = await ask('Is a 99.99% uptime commitment met?');
    expect([short.citations[0]?.ref, short.status]).toEqual(['3-2', 'no']);
    const met = await ask('稼働率は99.9%ですか');
    expect([met.citations[0]?.ref, met.status]).toEqual(['3-2', 'yes']);
  });

  it('answers how far back the customer’s data can be restored from the snapshot row: whose data it is names no subject', async () => {
    const d = await ask('お客様のデータは最大で何日前の状態まで戻せますか。');
    expect([d.citations[0]?.ref, d.status]).toEqual(['1-2', 'yes']);
  });

  it('answers an availability asked over a period from the row stating it, the period no subject of its own', async () => {
    const d = await ask('What was your service uptime over the last twelve months?');
    expect([d.citations[0]?.ref, d.status]).toEqual(['3-2', 'yes']);
  });

  it('answers how long backups are kept from the backup row, not from access logs kept without end', async () => {
    const d = await ask('スナップショットの保存期間を教えてください');
    expect(d.citations[0]?.ref).toBe('1-2');
    expect(d.draft).toContain('35日間');
    expect(d.draft).not.toContain('無期限です');
  });

  it('gives no yes to a named figure the rows do not state, and flags it', async () => {
    const d = await ask('Please state the recovery time objective.');
    expect(d.status).not.toBe('yes');
    expect(d.needsHuman).toBe(true);
  });
});
