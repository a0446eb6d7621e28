/**
 * A question of two asks where the row answering the first says, in a remark, that the second is
 * not done: "do you undergo external audits, and will you hand over the audit report?" and a row
 * 「外部監査を年1回受けております。※報告書の提供は行っておりません。」. The customer must read the
 * second ask answered no (or partly) from that row, never yes from another row that only shares its
 * words, nor the first ask answered no for the second's denial. Real ingest of this test's own
 * made-up checksheet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { appOver, tempCorpus } from '../support/corpus.js';

const CHECKSHEET = [
  '# hibariセキュリティチェックシート',
  '',
  '項番\t確認事項\t実施有無\t備考',
  '<b>1 監査</b>\t\t\t',
  '1-1\t外部の監査機関による監査を定期的に受けること。また監査の結果及び報告書の取扱いについて明示すること。\t○\t外部監査を年1回受けております。※報告書の提供は行っておりません。',
  '1-2\t監査で指摘された事項は期限を定めて是正すること。\t○\t指摘事項は担当部署が期限を定めて是正し、是正結果を経営層へ報告しております。',
  '<b>2 報告</b>\t\t\t',
  '2-1\t障害発生時は利用者へ報告すること。\t○\t障害発生時はステータスページで報告し、障害報告書を作成しております。',
  '',
].join('\n');

let app: App;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ app, close } = await appOver(tempCorpus('kotae-ask-remark-', { file: 'hibari.txt', product: 'hibari', vendor: null, title: 'hibariセキュリティチェックシート', format: 'checksheet-text', language: 'ja' }, CHECKSHEET)));
}, 120_000);

afterAll(() => close());

const ask = async (question: string) => (await app.ask(question, 'hibari')).draft;

describe('one ask of a multi-part question denied by a remark in the row cited for another ask', () => {
  it('answers the denied ask no from that row in Japanese, so the whole is no plain yes', async () => {
    const d = await ask('外部監査は受けていますか?あと、お願いすれば報告書を出してもらえますか?');
    expect(d.status).not.toBe('yes');
    expect(d.needsHuman).toBe(true);
    const [, second] = d.draft.split('\n');
    expect(second).toMatch(/^「あと、お願いすれば報告書を出してもらえますか」について: (?:いいえ|一部)/);
    expect(second).toContain('※報告書の提供は行っておりません');
    expect(d.draft.split('\n')[0]).not.toMatch(/について: いいえ/);
  });

  it('does the same for an English question asking to be handed the report', async () => {
    const d = await ask('Do you undergo external audits, and will you hand over the audit report on request?');
    expect(d.status).not.toBe('yes');
    expect(d.draft).toMatch(/On “will you hand over the audit report on request”: (?:no|partially), according to item 1-1\b/);
  });

  it('leaves an ask the remark does not deny as the rows answer it', async () => {
    const d = await ask('外部監査は受けていますか?また、監査での指摘事項は是正していますか?');
    expect(d.status).toBe('yes');
  });
});
