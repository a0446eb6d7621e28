/**
 * A question whether the product can be used on a platform, device or client (a phone, a tablet,
 * the host platform's mobile app) is answered by the row whose remark says it does not work there
 * (「※…モバイル版では動作しません」), and the answer is no citing that row: not partial or yes from
 * rows that only name the product, one of its family (plumeForm of plume) or the host platform,
 * and not a decline because the same row also defers the client requirements to the platform
 * (「…に準じます」). The platform need not be named when the row says the product runs on it. A
 * question about which browsers it supports, or about the platform itself, is not answered no. Made-up sheets
 * and wordings, this test's own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractiveDraft } from '../../src/draft/extractive.js';
import { retrieve } from '../../src/judge/retrieval.js';
import { formalJa } from '../../src/retrieve/casual.js';
import type { Concept } from '../../src/retrieve/expand.js';
import { withoutProductIdeas } from '../../src/retrieve/product-name.js';
import { sectionStore } from '../support/corpus.js';

// A product family (plumeForm, plumeView, plumeData) running on a host platform (nimbus).
const plume = [
  ['アプリケーションの運用管理手順を文書化すること。', 'アプリケーションの運用管理手順は文書化し、変更の都度更新しています。※plumeForm/plumeViewはnimbus上で動作するため、対象外です'],
  ['サービスを利用できるOSとブラウザの種類を明示すること。', 'plumeシリーズ各製品はnimbus上で提供しているサービスであり、クライアント環境要件はnimbusに準じます。※nimbusモバイル版では動作しません。'],
  ['アプリケーションの稼働監視をすること。', 'アプリケーションの稼働を監視しています。plumeDataはAWS上で構築されています。※plumeForm/plumeViewはnimbus上で動作するため、対象外です'],
  ['サーバーの時刻を同期すること。', 'plumeDataはNTPで時刻同期を行っています。※plumeForm/plumeViewはnimbus上で動作するため、対象外です'],
  ['バックアップを取得すること。', 'plumeDataのデータは日次でバックアップを取得しています。'],
] as const;

type Sheet = Awaited<ReturnType<typeof sectionStore>>;
let sheet: Sheet | undefined;

beforeAll(async () => {
  sheet = await sectionStore('plume', 'plumeセキュリティチェックシート', plume);
}, 120_000);
afterAll(() => sheet?.close());

const answer = async (question: string) => {
  if (!sheet) throw new Error('no sheet');
  return extractiveDraft(await retrieve(sheet.deps(), question, 'plume'));
};

describe('a product said not to work on a platform', () => {
  it('reads a bare アプリ beside a phone or tablet as the mobile app, not a compound naming another app', () => {
    expect(formalJa('タブレットのnimbusアプリで見られますか')).toBe('タブレットのnimbusモバイルアプリで見られますか');
    expect(formalJa('iPadのアプリはありますか')).toBe('iPadのモバイルアプリはありますか');
    expect(formalJa('スマホの認証アプリで二要素認証できますか')).toBe('スマホの認証アプリで二要素認証できますか');
    expect(formalJa('アプリの運用手順はありますか')).toBe('アプリの運用手順はありますか');
  });

  it('lightens a member of the product family, not a word that only begins like the name', () => {
    const idea = (source: string): Concept => ({ source, variants: [source.toLowerCase()], weight: 1, origin: 'literal' });
    const kept = withoutProductIdeas([idea('plume'), idea('plumeForm'), idea('plumes'), idea('Slack')], new Set(['plume', 'sla']));
    expect(kept.map((c) => [c.source, c.weight])).toEqual([['plumeForm', 0.2], ['plumes', 1], ['Slack', 1]]);
  });

  it('answers a question about using it there no, citing the row that says so', async () => {
    for (const question of [
      'iPhoneのnimbusアプリでplumeFormを利用することはできますか？',
      'タブレットのnimbusアプリからplumeViewって動くの？',
      'plumeってモバイル版のnimbusでも普通に使える？',
      'Can our field staff use plumeForm from the nimbus mobile app?',
      // The platform need not be named: the row says the product runs on it, so its mobile version is the product's.
      'plumeはスマートフォンでも動きますか',
      'Does plume run on smartphones?',
    ]) {
      const d = await answer(question);
      expect([question, d.citations.slice(0, 3).map((c) => c.ref)], question).toEqual([question, expect.arrayContaining(['1-2'])]);
      expect([question, d.status], question).toEqual([question, 'no']);
    }
  });

  it('does not answer no to which browsers it supports, nor to using it on the platform itself', async () => {
    for (const question of ['plumeはどのブラウザで利用できますか？', 'plumeはnimbusで使えますか']) {
      const d = await answer(question);
      expect([question, d.citations[0]?.ref], question).toEqual([question, '1-2']);
      expect(d.status, question).not.toBe('no');
    }
  });
});
