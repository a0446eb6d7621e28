/**
 * A document's preface (「本チェックシートは、…が提供する「ほしぞらノート」について、そのセキュリティ
 * 対策を記載したものです」) names the product, the vendor and security: a question naming the product
 * must still be answered from the row about what it asks, never from the preface (blind trials
 * found the preface cited, with no status). A question about the document itself may cite it.
 * Real ingest of this test's own made-up sheet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { isPreface } from '../../src/retrieve/preface.js';
import { appOver, tempCorpus } from '../support/corpus.js';

const CHECKSHEET = [
  '◆本チェックシートは、ほしぞら株式会社が提供するクラウドサービス「ほしぞらノート」について、そのセキュリティ対策を記載したものです。',
  '◆本チェックシートの項目は、業界団体のガイドラインを基に作成しております。',
  '',
  '項番\t確認事項\t実施有無\t備考',
  '<b>1 診断</b>\t\t\t',
  '1-1\t第三者による脆弱性診断を定期的に実施すること。\t○\t外部の専門業者による脆弱性診断を年1回実施しております。',
  '1-2\t利用者による脆弱性診断の可否を示すこと。\t×\tお客様ご自身による脆弱性診断は受け付けておりません。',
  '<b>2 通信</b>\t\t\t',
  '2-1\t通信経路を暗号化すること。\t○\t画面とサーバー間の通信はTLS1.2以上で暗号化しております。',
  '',
].join('\n');

let app: App;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ app, close } = await appOver(tempCorpus('kotae-preface-', { file: 'hoshizora.txt', product: 'hoshizora', vendor: 'ほしぞら株式会社', title: 'ほしぞらノート セキュリティチェックシート', format: 'checksheet-text', language: 'ja' }, CHECKSHEET)));
}, 120_000);

afterAll(() => close());

const refs = async (question: string): Promise<string[]> => (await app.ask(question, 'hoshizora')).draft.citations.map((c) => c.ref);

describe('a document’s preface', () => {
  it('is never cited for a question naming the product', async () => {
    for (const question of ['ほしぞらノートのセキュリティ対策として、脆弱性診断は定期的に行っていますか。', 'Does ほしぞらノート encrypt traffic between the browser and the servers?']) {
      const cited = await refs(question);
      expect(cited.length).toBeGreaterThan(0);
      expect(cited).not.toContain('');
    }
  });

  it('may answer a question about the document itself', async () => {
    expect(await refs('このチェックシートは何を基に作成されていますか。')).toContain('');
  });

  it('is told from a numbered row and from an unnumbered passage that describes a control', () => {
    expect(isPreface({ ref: '', requirement: '', answer: '- ◆本チェックシートは、当社のサービスについて記載したものです。' })).toBe(true);
    expect(isPreface({ ref: '', requirement: '', answer: 'This document describes the security controls of the Orbit service.' })).toBe(true);
    expect(isPreface({ ref: '1-1', requirement: '本チェックシートの対象範囲を示すこと。', answer: '' })).toBe(false);
    expect(isPreface({ ref: '', requirement: '', answer: 'All laptops use full-disk encryption.' })).toBe(false);
  });
});
