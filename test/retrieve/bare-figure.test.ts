/**
 * A figure asked with no bound word (「10世代保管していますか」, "Is the RTO 2 hours?") is still a
 * bound where the kind of figure says which way is better: kept longer or more generations meets
 * a retention or generation count, a shorter recovery objective or deadline meets one asked as
 * at most. A row stating a figure that falls short answers no, one that goes beyond it yes; for
 * any other figure (a session timeout) the figure is asked exactly, as before. Real ingest of
 * this test's own made-up checksheet for the end-to-end answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { askedQuantity, failingFigure, statesQuantity } from '../../src/retrieve/quantities.js';
import { appOver, tempCorpus } from '../support/corpus.js';

const meets = (question: string, row: string): boolean => statesQuantity(askedQuantity(question)!, row);

describe('a figure asked without a bound word', () => {
  it('reads a retention period or a number of generations as a minimum', () => {
    expect(askedQuantity('アクセスログは10世代保管していますか')).toMatchObject({ dimension: 'count', bound: 'at least' });
    expect(meets('アクセスログは3世代保管していますか', '日次のスナップショットを5世代保持しています。')).toBe(true);
    expect(failingFigure(askedQuantity('アクセスログは10世代保管していますか')!, '日次のスナップショットを5世代保持しています。')).toBe('5世代');
    expect(meets('Do you retain 14 nightly snapshot generations?', 'Nightly snapshots are kept for 30 generations.')).toBe(true);
    expect(failingFigure(askedQuantity('Do you retain 60 nightly snapshot generations?')!, 'Nightly snapshots are kept for 30 generations.')).toBe('30 generations');
    expect(failingFigure(askedQuantity('監査ログは2年間保存していますか')!, '監査ログは1年間保存します。')).toBe('1年間');
  });

  it('reads a recovery objective or a notification deadline as a maximum', () => {
    expect(askedQuantity('Is the RTO 8 hours?')).toMatchObject({ bound: 'within' });
    expect(meets('Is the RTO 8 hours?', 'The recovery time objective is 4 hours.')).toBe(true);
    expect(failingFigure(askedQuantity('Is the RTO 2 hours?')!, 'The recovery time objective is 4 hours.')).toBe('4 hours');
    expect(meets('障害は2時間で通知されますか', '障害発生時は1時間以内にメールで通知します。')).toBe(true);
  });

  it('asks any other figure exactly, and one whose words point both ways too', () => {
    expect(askedQuantity('Is the session timeout 30 minutes?')).toMatchObject({ bound: 'exactly' });
    expect(askedQuantity('ログを1年間保存し、障害は24時間で報告していますか')).toMatchObject({ bound: 'exactly' });
  });
});

const CHECKSHEET = [
  '# hoshiセキュリティチェックシート',
  '',
  '項番\t確認事項\t実施有無\t備考',
  '<b>1 バックアップ</b>\t\t\t',
  '1-1\tバックアップを取得し、世代管理すること。\t○\tデータベースのバックアップを毎日取得し、5世代保持しています。',
  '1-2\t障害時の復旧目標を定めること。\t○\t目標復旧時間(RTO)は4時間です。',
  '',
].join('\n');

let app: App;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ app, close } = await appOver(tempCorpus('kotae-bare-figure-', { file: 'hoshi.txt', product: 'hoshi', vendor: null, title: 'hoshiセキュリティチェックシート', format: 'checksheet-text', language: 'ja' }, CHECKSHEET)));
}, 120_000);

afterAll(() => close());

const ask = async (question: string) => (await app.ask(question, 'hoshi')).draft;

describe('answers to a bare figure, from the row stating one', () => {
  it('says no when the row keeps fewer generations than asked, in either language, naming its figure', async () => {
    for (const question of ['データベースのバックアップは10世代保持していますか', 'Do you keep 10 database backup generations?']) {
      const d = await ask(question);
      expect([question, d.citations[0]?.ref, d.status]).toEqual([question, '1-1', 'no']);
      expect(d.reason, question).toContain('5世代');
    }
  });

  it('says yes when the row keeps more than asked', async () => {
    const d = await ask('データベースのバックアップは3世代保持していますか');
    expect([d.citations[0]?.ref, d.status]).toEqual(['1-1', 'yes']);
  });

  it('says no when the recovery objective is longer than the one asked', async () => {
    const d = await ask('Is the RTO 2 hours?');
    expect([d.citations[0]?.ref, d.status]).toEqual(['1-2', 'no']);
  });
});
