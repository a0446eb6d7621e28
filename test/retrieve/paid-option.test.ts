/**
 * A control the vendor offers for a fee is offered: yes to a question whether it is offered, and
 * to one asking who does it (the vendor does, on request). Asked whether it comes included, as
 * standard or free of charge, a row offering it only for a fee answers no, its words quoted.
 * Asked whether the customer may do it themselves, the vendor doing it for a fee is partial.
 * A row listing items free and paid (「…の制限(無償)、専用線による接続(有償)」) answers by the item asked.
 * Asked whether it is offered and then whether "it" is included, a paid offer is partial.
 * Real ingest of this test's own made-up sheet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { appOver, tempCorpus } from '../support/corpus.js';

const CHECKSHEET = [
  '# hikariセキュリティチェックシート',
  '',
  '項番\t確認事項\t実施有無\t備考',
  '<b>1 教育</b>\t\t\t',
  '1-1\t利用者向けの教育を実施すること。\t○\t管理者向けのオンライン研修を有償オプションとして提供しております。',
  '<b>2 復旧</b>\t\t\t',
  '2-1\tデータの復旧に対応すること。\t○\t誤って削除したデータの復元は、有償にて承ります。',
  '<b>3 監査</b>\t\t\t',
  '3-1\t監査ログを記録すること。\t○\t監査ログを記録し、標準機能として管理画面から閲覧いただけます。',
  '<b>4 接続</b>\t\t\t',
  '4-1\t接続元を制限する機能を提供すること。\t○\t接続元IPアドレスの制限(無償)、専用線による接続(有償)を提供しております。',
  '',
].join('\n');

let app: App;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ app, close } = await appOver(tempCorpus('kotae-paid-option-', { file: 'hikari.txt', product: 'hikari', vendor: null, title: 'hikariセキュリティチェックシート', format: 'checksheet-text', language: 'ja' }, CHECKSHEET)));
}, 120_000);

afterAll(() => close());

const answer = async (question: string): Promise<[string, string | undefined, string]> => {
  const d = (await app.ask(question, 'hikari')).draft;
  return [question, d.citations[0]?.ref, d.status];
};

describe('a paid option', () => {
  it('is offered: yes, also to who does it', async () => {
    expect(await answer('Do you offer training for administrators?')).toEqual(['Do you offer training for administrators?', '1-1', 'yes']);
    for (const question of ['Who restores data that we deleted by mistake?', '誤って削除したデータの復元は誰が行いますか。']) {
      expect(await answer(question)).toEqual([question, '2-1', 'yes']);
    }
  });

  it('is no when the question asks for it included or free of charge', async () => {
    for (const question of ['Is admin training included in the standard plan?', '管理者向け研修は標準で含まれていますか。', 'Can you restore data we deleted by mistake free of charge?']) {
      const [, ref, status] = await answer(question);
      expect([question, status]).toEqual([question, 'no']);
      expect(ref === '1-1' || ref === '2-1').toBe(true);
    }
  });

  it('is partial when the customer asks to do it themselves', async () => {
    expect(await answer('Can we restore deleted data ourselves?')).toEqual(['Can we restore deleted data ourselves?', '2-1', 'partial']);
  });

  it('is read item by item in a row listing some things free and some for a fee', async () => {
    // The row names 無償 too, for another item: what the question asks about is the item that says.
    for (const question of ['Is a dedicated line connection included in the standard plan?', '専用線での接続は無料で使えますか。']) {
      expect(await answer(question)).toEqual([question, '4-1', 'no']);
    }
    for (const question of ['Is restricting source IP addresses free of charge?', 'Do you offer connection over a dedicated line?']) {
      expect(await answer(question)).toEqual([question, '4-1', 'yes']);
    }
  });

  it('is partial to "is it offered? is it included?": offered, not included', async () => {
    for (const question of ['Do you offer connection over a dedicated line? Is it included in the standard plan?', '専用線での接続はできますか。それは無料ですか。']) {
      expect(await answer(question)).toEqual([question, '4-1', 'partial']);
    }
  });

  it('leaves a row stating it as standard a yes', async () => {
    expect(await answer('Are audit logs viewable as a standard feature?')).toEqual(['Are audit logs viewable as a standard feature?', '3-1', 'yes']);
  });
});
