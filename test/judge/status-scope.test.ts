/**
 * The status follows what the cited row says about what was asked (issue #9, blind trial s16):
 * a routine proviso on a done row (disasters, a legal request) is no scope limit, a real one (a
 * trial environment left out) still is; asked whether a practice is allowed, a row prohibiting it
 * answers no, asked whether it is prohibited, yes; asked about the whole (every employee), a row
 * limiting the control to a part (privileged IDs only) answers in part, while a row limiting who
 * may act (「許可された者のみが」) states the control; a side clause denying another thing (no certificate)
 * leaves a figure question's status the same in either language; and 「…の心配はありませんか」 is no negated
 * question whose はい reads both ways. Each from `ask`, on this test's own checksheet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { appOver, tempCorpus } from '../support/corpus.js';

const CHECKSHEET = [
  '# kumoitoセキュリティチェックシート',
  '',
  '項番\t確認事項\t実施有無\t備考',
  '<b>1 運用</b>\t\t\t',
  '1-1\t定期メンテナンスを事前に告知すること。\t○\t定期メンテナンスの実施は5営業日前までに管理画面でお知らせします。※災害等やむを得ない場合はこの限りではありません。',
  '1-2\tお客様データを暗号化すること。\t○\tお客様データの暗号化は全プランで実施しております。ただし、トライアル環境の場合はこの限りではありません。',
  '1-3\t外部記憶媒体の利用を管理すること。\t○\tUSBメモリ等の外部記憶媒体の業務利用は許可しておりません。',
  '1-4\t二要素認証を導入すること。\t○\t特権IDのみ二要素認証を必須としています。',
  '1-5\tサーバールームの入室を制限すること。\t○\tサーバールームには許可された者のみが入室できます。',
  '1-6\t外部からの不正アクセスを防止すること。\t○\tファイアウォールで外部からの不正アクセスを遮断しています。',
  '1-7\t契約終了時に利用者データを消去すること。\t○\t契約が終了した場合、お客様がkumoitoDriveに保存したファイルは契約終了から20日後に消去されます。尚、データ削除の証明書に類する書類は発行しておりません。',
  '',
].join('\n');

describe('the status follows what the cited row says about what was asked', () => {
  let app: App;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ app, close } = await appOver(tempCorpus('kotae-scope-', { file: 'kumoito.txt', product: 'kumoito', vendor: null, title: 'kumoitoセキュリティチェックシート', format: 'checksheet-text', language: 'ja' }, CHECKSHEET)));
  }, 120_000);
  afterAll(() => close());

  const status = async (question: string, ref: string): Promise<string> => {
    const { draft } = await app.ask(question, 'kumoito');
    expect(draft.citations[0]?.ref, question).toBe(ref);
    return draft.status;
  };

  it('reads a proviso for disasters as no limit of a done row, in either language, and a left-out environment as one', async () => {
    expect(await status('定期メンテナンスは前もって知らせてもらえますか', '1-1')).toBe('yes');
    expect(await status('Will you tell us ahead of scheduled maintenance?', '1-1')).toBe('yes');
    expect(await status('Is customer data encrypted?', '1-2')).toBe('partial');
  });

  it('answers no when asked whether a prohibited practice is allowed, yes when asked whether it is prohibited', async () => {
    expect(await status('Are employees allowed to use USB sticks at work?', '1-3')).toBe('no');
    expect(await status('社員はUSBメモリを業務で使用できますか', '1-3')).toBe('no');
    expect(await status('USBメモリなど外部記憶媒体の業務利用を禁止していますか', '1-3')).toBe('yes');
  });

  it('answers a question about everyone in part from a row limiting the control to some accounts', async () => {
    const { draft } = await app.ask('すべての社員のログインに二要素認証を求めていますか', 'kumoito');
    expect(draft.citations[0]?.ref).toBe('1-4');
    expect(draft.status).toBe('partial');
    expect(draft.reason).toContain('特権IDのみ');
    expect(await status('Is two-factor authentication required for privileged IDs?', '1-4')).toBe('yes');
  });

  it('keeps yes when the limit is who may act: that is the control itself', async () => {
    expect(await status('全てのサーバールームで入室を制限していますか', '1-5')).toBe('yes');
  });

  it('gives the same status in either language when a figure is asked and a side clause denies another thing', async () => {
    expect(await status('kumoitoDriveを解約すると、登録データの消去は何日後になりますか', '1-7')).toBe('yes');
    expect(await status('How many days after cancellation is the data in kumoitoDrive erased?', '1-7')).toBe('yes');
    // The certificate itself asked: the side clause is the answer.
    expect(await status('データ消去の証明書は発行してもらえますか', '1-7')).not.toBe('yes');
  });

  it('answers a question whether a risk is absent plainly, not as a negated question', async () => {
    expect(await status('外部から不正に侵入される心配はありませんか', '1-6')).toBe('yes');
  });
});
