/**
 * A question that says who acts (the customer: "ourselves", 弊社側で) or through which channel or
 * for which kind of inquiry (phone, failures, general questions) is not answered yes by a row
 * about another actor, channel or kind, however many words they share; where the sheet has a
 * row about the side asked, that row is cited first. A question of several asks about different
 * actors keeps each ask's own. Real ingest of this test's own made-up checksheet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { askedFacets, facetConflict } from '../../src/retrieve/facets.js';
import { appOver, tempCorpus } from '../support/corpus.js';

const CHECKSHEET = [
  '# kazeセキュリティチェックシート',
  '',
  '項番\t確認事項\t実施有無\t備考',
  '<b>1 診断</b>\t\t\t',
  '1-1\tサービスの脆弱性診断を実施すること。\t○\t自社にてリリースの都度、脆弱性診断を行っています。',
  '1-2\t利用者による脆弱性診断の可否を明示すること。\t○\t利用者による脆弱性診断は事前申請により可能です。',
  '<b>2 サポート</b>\t\t\t',
  '2-1\t障害に関する問合せの受付時間帯を明示すること。\t○\t障害の問合せは24時間365日メールで受け付けます。',
  '2-2\t一般的な問合せの受付時間帯を明示すること。\t○\t一般の問合せは平日9:00-18:00にメールで受け付けます。',
  '',
].join('\n');

let app: App;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ app, close } = await appOver(tempCorpus('kotae-actor-channel-', { file: 'kaze.txt', product: 'kaze', vendor: null, title: 'kazeセキュリティチェックシート', format: 'checksheet-text', language: 'ja' }, CHECKSHEET)));
}, 120_000);

afterAll(() => close());

const ask = async (question: string) => (await app.ask(question, 'kaze')).draft;

describe('who acts', () => {
  it('cites the row about the customer acting for a customer-run scan, not the vendor’s own review', async () => {
    const d = await ask('May we scan your service for vulnerabilities ourselves?');
    expect(d.citations[0]?.ref).toBe('1-2');
  });

  it('never answers a customer-run scan yes from the vendor’s own review, in either language', async () => {
    for (const question of ['May we scan your service for vulnerabilities ourselves?', '弊社側で貴社サービスの脆弱性診断を行ってもよいですか。']) {
      const d = await ask(question);
      expect(d.citations.map((c) => c.ref), question).toContain('1-2');
      if (d.citations[0]?.ref === '1-1') {
        expect(d.status, question).not.toBe('yes');
        expect(d.reason, question).toContain('自社にて');
      }
    }
  });

  it('answers the vendor’s own scans from the vendor’s row', async () => {
    const d = await ask('Do you scan the service for vulnerabilities before each release?');
    expect([d.citations[0]?.ref, d.status]).toEqual(['1-1', 'yes']);
  });

  it('reads each ask of a two-ask question for its own actor', () => {
    const question = 'リリース前に脆弱性診断を行っていますか。また、当社で診断を行ってもよいですか。';
    expect(askedFacets(question, ['リリース前に脆弱性診断を行っていますか。', 'また、当社で診断を行ってもよいですか。'])).toEqual([]);
    expect(askedFacets('当社で診断を行ってもよいですか。').map((f) => f.side)).toEqual(['customer']);
  });
});

describe('which channel and which kind of inquiry', () => {
  it('cites the failure-inquiry row for failures at night and answers yes', async () => {
    const d = await ask('障害の問い合わせは夜間や休日も受け付けていますか。');
    expect([d.citations[0]?.ref, d.status]).toEqual(['2-1', 'yes']);
  });

  it('does not answer phone support yes from rows that take email only', async () => {
    const d = await ask('Can we reach your support by phone around the clock when there is an outage?');
    expect(d.status).not.toBe('yes');
    expect(d.reason).toMatch(/phone/);
  });

  it('does not answer round-the-clock general inquiries yes from the failure-inquiry row', async () => {
    const d = await ask('一般的な問い合わせも24時間受け付けていますか。');
    expect(d.status).not.toBe('yes');
  });

  it('takes a mobile phone in a row for a device, not the phone channel', () => {
    const [phone] = askedFacets('Is phone support available?');
    expect(phone?.side).toBe('phone');
    expect(facetConflict(phone ? [phone] : [], '携帯電話の紛失時は管理者に電子メールで報告します')).toMatchObject({ asked: 'phone', stated: expect.stringContaining('メール') });
    expect(facetConflict(phone ? [phone] : [], 'サポートは電話とメールで受け付けます')).toBeNull();
  });
});
