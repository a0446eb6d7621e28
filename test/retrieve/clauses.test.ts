/**
 * A row's remark that says several things about several sides of one control (the vendor
 * tests, the report is not handed over, customers may not test) answers each question from
 * what it says about the side asked: the vendor's own testing yes, the report no, the
 * customer's own test no. A ※ note putting another component out of scope keeps a question
 * about the whole service partial, and leaves a question naming the very link the row states
 * in full its yes. Real ingest of this test's own made-up checksheet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { rowClauses } from '../../src/retrieve/clauses.js';
import { appOver, tempCorpus } from '../support/corpus.js';

const CHECKSHEET = [
  '# soraセキュリティチェックシート',
  '',
  '項番\t確認事項\t実施有無\t備考',
  '<b>1 診断</b>\t\t\t',
  '1-1\t独立した評価(脆弱性診断など)を定期的に実施し、その結果を利用者に提供すること。\t○\t外部の専門業者によるペネトレーションテストを毎年実施しております。診断結果の報告書は非公開とさせていただきます。利用者によるペネトレーションテストは非対応です。',
  '<b>2 通信</b>\t\t\t',
  '2-1\t通信経路を暗号化すること。\t○\t管理画面とアプリケーションサーバー間の通信はすべてTLS1.2で暗号化しております。 ※モバイルアプリは別サービスのため対象外です',
  '',
].join('\n');

let app: App;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ app, close } = await appOver(tempCorpus('kotae-clauses-', { file: 'sora.txt', product: 'sora', vendor: null, title: 'soraセキュリティチェックシート', format: 'checksheet-text', language: 'ja' }, CHECKSHEET)));
}, 120_000);

afterAll(() => close());

const ask = async (question: string) => (await app.ask(question, 'sora')).draft;
const cited = (d: Awaited<ReturnType<typeof ask>>): string | undefined => d.citations[0]?.ref;

describe('the clauses about the side asked decide', () => {
  it('reads each clause for who acts, which aspect and which way', () => {
    const clauses = rowClauses('外部の専門業者によるペネトレーションテストを毎年実施しております。診断結果の報告書は非公開とさせていただきます。利用者によるペネトレーションテストは非対応です。');
    expect(clauses.map((c) => [c.actor, c.aspect, c.negative])).toEqual([
      ['vendor', 'do', false],
      ['vendor', 'disclose', true],
      ['customer', 'do', true],
    ]);
  });

  it('answers yes to the vendor’s own testing, whatever the row says of the report and the customer', async () => {
    for (const question of ['ペネトレーションテストを実施していますか。', 'Do you carry out penetration tests on the service?']) {
      const d = await ask(question);
      expect([question, cited(d), d.status]).toEqual([question, '1-1', 'yes']);
    }
  });

  it('answers no to handing over the report, quoting the clause that says it is not disclosed', async () => {
    for (const question of ['ペネトレーションテストの報告書をもらえますか？', 'Can you share the penetration test report with us?']) {
      const d = await ask(question);
      expect([question, cited(d), d.status]).toEqual([question, '1-1', 'no']);
      expect(d.reason, question).toContain('非公開');
    }
  });

  it('answers no to the customer’s own test, in either language', async () => {
    for (const question of ['Can we run our own penetration test against the service?', '弊社側でペネトレーションテストを実施できますか。']) {
      const d = await ask(question);
      expect([question, cited(d), d.status]).toEqual([question, '1-1', 'no']);
    }
  });
});

describe('a ※ note putting another component out of scope', () => {
  it('keeps a question about the whole service partial', async () => {
    const d = await ask('通信経路は暗号化されていますか。');
    expect([cited(d), d.status]).toEqual(['2-1', 'partial']);
  });

  it('answers yes to a question naming the very link the row states in full', async () => {
    const d = await ask('管理画面とアプリケーションサーバーの間の通信は暗号化されていますか。');
    expect([cited(d), d.status]).toEqual(['2-1', 'yes']);
  });
});
