/**
 * A standard asked in an edition the sheet does not hold (the question names :2022, the row
 * :2013) gets no yes, and its reason says which edition the sheet names, in the question's
 * language, so that a person can judge whether the held edition will do. A question naming the
 * edition the sheet holds, or none, is answered as before. Real ingest of this test's own
 * made-up checksheet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { appOver, tempCorpus } from '../support/corpus.js';

const CHECKSHEET = [
  '# sorakoセキュリティチェックシート',
  '',
  '項番\t確認事項\t実施有無\t備考',
  '<b>1 第三者認証</b>\t\t\t',
  '1-1\t情報セキュリティマネジメントシステムの第三者認証を取得していること。\t○\tISMS認証を取得しています。認証規格:ISO/IEC 27001:2013、登録番号 QZ-0042',
  '1-2\tクラウドサービスの管理策を定めていること。\t○\tNIST SP 800-53 Rev. 4 に沿って管理策を定めています。',
  '',
].join('\n');

let app: App;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ app, close } = await appOver(tempCorpus('kotae-edition-reason-', { file: 'sorako.txt', product: 'sorako', vendor: null, title: 'sorakoセキュリティチェックシート', format: 'checksheet-text', language: 'ja' }, CHECKSHEET)));
}, 120_000);

afterAll(() => close());

const ask = async (question: string) => (await app.ask(question, 'sorako')).draft;

describe('a standard asked in an edition the sheet does not hold', () => {
  it('is no yes, and the reason names the edition the sheet holds and the one asked', async () => {
    const en = await ask('Is your ISMS certified against ISO/IEC 27001:2022?');
    expect([en.citations[0]?.ref, en.status]).toEqual(['1-1', 'unknown']);
    expect(en.reason).toContain('ISO/IEC 27001:2013');
    expect(en.reason).toContain('27001:2022');
    expect(en.needsHuman).toBe(true);
    const ja = await ask('ISO/IEC 27001:2022 の認証を取得していますか');
    expect([ja.citations[0]?.ref, ja.status]).toEqual(['1-1', 'unknown']);
    expect(ja.reason).toContain('ISO/IEC 27001:2013');
    expect(ja.reason).toContain('別の版');
  });

  it('names a revision the same way', async () => {
    const d = await ask('Are your controls based on NIST SP 800-53 Rev. 5?');
    expect(d.status).toBe('unknown');
    expect(d.reason).toContain('800-53 Rev. 4');
  });

  it('answers a question naming the edition held, or none, without it', async () => {
    for (const question of ['Is your ISMS certified against ISO/IEC 27001:2013?', 'Is your ISMS certified against ISO/IEC 27001?']) {
      const d = await ask(question);
      expect([question, d.citations[0]?.ref, d.status]).toEqual([question, '1-1', 'yes']);
      expect(d.reason, question).not.toContain('another edition');
    }
  });
});
