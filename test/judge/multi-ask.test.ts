/**
 * A question that asks several things at once, as a customer's reviewer meets it (issue #9:
 * each ask gets its own best row; partial when the evidence covers less than the question asks).
 * One ask the documents leave open must neither decline the whole question nor hide behind the
 * asks they answer: the answer is partial, the rows for the answered asks are cited, and the
 * reason names the ask left open. In Japanese and in English. Real ingest of this test's own
 * made-up checksheet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { statesRegion } from '../../src/retrieve/facts.js';
import { askedThing, splitQuestion } from '../../src/retrieve/subquestions.js';
import { appOver, tempCorpus } from '../support/corpus.js';
import { committedModelsWith } from '../support/judges.js';

describe('splitting a list of things asked about into one ask per item', () => {
  it('gives each item of a Japanese request its own ask, with the list’s topic and the request', () => {
    expect(splitQuestion('監視について、ログの保存期間、確認の頻度、そして異常時の連絡先を教えてください。')).toEqual([
      '監視について、ログの保存期間を教えてください',
      '監視について、確認の頻度を教えてください',
      '監視について、異常時の連絡先を教えてください',
    ]);
    expect(splitQuestion('パッチの適用基準および適用までの期間をご教示ください。')).toEqual(['パッチの適用基準をご教示ください', '適用までの期間をご教示ください']);
    expect(splitQuestion('鍵の保管方法と交換の頻度を教えてください。')).toEqual(['鍵の保管方法を教えてください', '交換の頻度を教えてください']);
  });

  it('keeps a Japanese list that one yes/no predicate applies to, a condition and a clause as they were', () => {
    expect(splitQuestion('氏名、住所、電話番号を暗号化していますか。')).toEqual([]);
    expect(splitQuestion('退職後、アカウントはいつ削除されますか。')).toEqual([]);
    expect(splitQuestion('担当者と決めた手順を教えてください。')).toEqual([]);
  });

  it('starts an English ask at a comma before a question word, unless what comes before is a condition', () => {
    expect(splitQuestion('How often are logs reviewed, who reviews them, and where are the findings recorded?')).toEqual([
      'How often are logs reviewed',
      'who reviews them',
      'where are the findings recorded',
    ]);
    expect(splitQuestion('If an admin leaves the company, how quickly is their access removed?')).toEqual([]);
  });

  it('gives each item of an English request its own ask, but not a control qualified in several ways', () => {
    expect(splitQuestion('Please describe your patch cadence, the tooling you scan with, and the owner of remediation.')).toEqual([
      'Please describe your patch cadence',
      'Please describe the tooling you scan with',
      'Please describe the owner of remediation',
    ]);
    expect(splitQuestion('Describe how data is protected in transit, at rest, and in backups.')).toEqual([]);
    expect(splitQuestion('Are vendors (e.g. couriers) bound by confidentiality terms?')).toEqual([]);
  });

  it('names what an ask asks about without the topic and the request', () => {
    expect(askedThing('監視について、異常時の連絡先を教えてください')).toBe('異常時の連絡先');
    expect(askedThing('where are the findings recorded?')).toBe('where are the findings recorded');
  });
});

describe('a row naming an organisation', () => {
  it('does not state where data is because the organisation’s name holds a country', () => {
    expect(statesRegion('認証機関：一般財団法人 日本情報認定協会')).toBe(false);
    expect(statesRegion('バックアップは日本国内のデータセンターに保管しています。')).toBe(true);
  });
});

const CHECKSHEET = [
  '# hibariセキュリティチェックシート',
  '',
  '項番\t確認事項\t実施有無\t備考',
  '<b>1 運用</b>\t\t\t',
  '1-1\t利用者のデータを定期的にバックアップすること。\t○\t利用者データは日次でバックアップを取得し、14世代分を保管しています。',
  '1-2\t契約終了時に利用者のデータを消去すること。\t○\t契約終了日から60日後に、登録データと操作ログを消去します。',
  '1-3\t通信を暗号化すること。\t○\tすべての通信をTLS1.2以上で暗号化しています。',
  '<b>2 認証</b>\t\t\t',
  '2-1\t第三者認証を取得すること。\t○\tISO/IEC27001を取得しています。認証機関：一般財団法人 日本情報認定協会',
  '',
].join('\n');

let app: App;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ app, close } = await appOver(tempCorpus('kotae-multi-ask-', { file: 'hibari.txt', product: 'hibari', vendor: null, title: 'hibariセキュリティチェックシート', format: 'checksheet-text', language: 'ja' }, CHECKSHEET)));
}, 120_000);

afterAll(() => close());

const ask = async (question: string) => (await app.ask(question, 'hibari')).draft;
const refs = (d: Awaited<ReturnType<typeof ask>>): string[] => d.citations.map((c) => c.ref);

describe('one ask of several wants a place no row states', () => {
  it('answers the other asks in Japanese: partial, the backup row cited, the place named as not stated', async () => {
    const d = await ask('バックアップについて、取得の頻度、保持する世代数、そして保管先(国内か国外か)をお知らせください。');
    expect(d.abstained).toBe(false);
    expect(d.status).toBe('partial');
    expect(refs(d)[0]).toBe('1-1');
    expect(d.needsHuman).toBe(true);
    expect(d.reason).toContain('保管先(国内か国外か)');
    expect(d.reason).toContain('国や地域の記載がありません');
  });

  it('does the same in English, where it used to be a full yes', async () => {
    const d = await ask('How frequently do you back up customer data, how many generations do you retain, and in which country are the backups kept?');
    expect(d.abstained).toBe(false);
    expect(d.status).toBe('partial');
    expect(refs(d)[0]).toBe('1-1');
    expect(d.reason).toContain('in which country are the backups kept');
  });

  it('still declines when the place is all the question asks', async () => {
    const d = await ask('バックアップはどの国に保管されていますか。');
    expect(d.abstained).toBe(true);
  });

  it('is a plain answer when the list asks only what the row states', async () => {
    const d = await ask('バックアップの取得頻度と保持する世代数を教えてください。');
    expect(d.abstained).toBe(false);
    expect(d.status).toBe('yes');
    expect(refs(d)[0]).toBe('1-1');
  });
});

describe('one ask of several that no cited row touches', () => {
  // Whether a question two of whose three asks are answered is declined is the fitted decline
  // threshold's call, which moves with every `npm run train`; answered, this is how it reads.
  let answering: App;
  let closeAnswering: () => Promise<void>;
  beforeAll(async () => {
    ({ app: answering, close: closeAnswering } = await appOver(tempCorpus('kotae-multi-ask-answering-', { file: 'hibari.txt', product: 'hibari', vendor: null, title: 'hibariセキュリティチェックシート', format: 'checksheet-text', language: 'ja' }, CHECKSHEET), { judge: committedModelsWith({ decline: 0, declineEn: 0 }) }));
  }, 120_000);
  afterAll(() => closeAnswering());

  it('is partial, the erasure row cited, and the reason names the certificate asked about', async () => {
    const d = (await answering.ask('契約終了時のデータ消去について、消去のタイミング、消去されるデータ、および消去証明書の発行可否を教えてください。', 'hibari')).draft;
    expect(d.abstained).toBe(false);
    expect(d.status).toBe('partial');
    expect(refs(d)[0]).toBe('1-2');
    expect(d.reason).toContain('消去証明書');
    expect(d.reason).toContain('一部');
  });
});
