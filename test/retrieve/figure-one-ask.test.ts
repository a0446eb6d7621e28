/**
 * A figure asked by one ask of several. "Is traffic filtered at the network edge, and are idle
 * sessions logged out after 30 minutes?" asks the figure of its second ask only: the filtering
 * row is the first ask's answer and is not held back for stating no minutes, while the session
 * row's longer timeout answers its own ask no, so the whole answer is partial and each ask is
 * answered with its own status (blind trial s18: the whole answer was declined for the figure
 * the filtering row does not state). Only a row about that ask's subject answers its figure: a
 * session row's hours say nothing of how soon certificates are renewed. A bound written after the figure ("a year or longer",
 * "30 days or more") is part of that one ask, not a second thing asked: split there, the
 * "ask" without the figure read yes and made a plain no partial.
 * Unit specs, then real ingest of this test's own made-up checksheet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { splitQuestion } from '../../src/retrieve/subquestions.js';
import { appOver, tempCorpus } from '../support/corpus.js';

describe('a bound after the figure', () => {
  it('is no second ask', () => {
    expect(splitQuestion('Are audit trails archived for two years or longer?')).toEqual([]);
    expect(splitQuestion('Do you hold 7 generations or more of each backup?')).toEqual([]);
    expect(splitQuestion('Are stale accounts disabled after 90 days or less?')).toEqual([]);
  });

  it('still leaves the asks of a question that asks two things', () => {
    expect(splitQuestion('Are audit trails archived for two years or longer, and who can read them?')).toHaveLength(2);
    expect(splitQuestion('Are laptops or desktops encrypted?')).toHaveLength(2);
  });
});

const CHECKSHEET = [
  '# tsubakiセキュリティチェックシート',
  '',
  '項番\t確認事項\t実施有無\t備考',
  '<b>1 ネットワーク</b>\t\t\t',
  '1-1\t外部からの不正な通信を防ぐこと。\t○\tネットワークの境界にファイアウォールを設置し、許可した通信以外を遮断しています。',
  '1-2\t通信を暗号化すること。\t○\t通信はすべてTLS1.2以上で暗号化しています。',
  '<b>2 アクセス管理</b>\t\t\t',
  '2-1\t一定時間操作がないセッションを終了すること。\t○\t最終操作から12時間操作がない場合、自動的にログアウトします。',
  '2-2\t管理者の操作を記録すること。\t○\t管理者の操作ログは90日間保存しています。',
  '',
].join('\n');

let app: App;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ app, close } = await appOver(tempCorpus('kotae-figure-one-ask-', { file: 'tsubaki.txt', product: 'tsubaki', vendor: null, title: 'tsubakiセキュリティチェックシート', format: 'checksheet-text', language: 'ja' }, CHECKSHEET)));
}, 120_000);

afterAll(() => close());

const ask = async (question: string) => (await app.ask(question, 'tsubaki')).draft;

describe('a figure asked by one ask of several', () => {
  const refs = (d: { citations: Array<{ ref: string }> }): string[] => d.citations.map((c) => c.ref);

  it('answers the other ask yes from its own row and the figure ask no, so the whole is partial', async () => {
    const d = await ask('Is traffic filtered by a firewall at the network edge, and are idle sessions logged out after 30 minutes?');
    expect(d.abstained).toBe(false);
    expect(d.status).toBe('partial');
    expect(refs(d)).toEqual(expect.arrayContaining(['1-1', '2-1']));
    expect(d.draft).toMatch(/network edge”: yes/);
    expect(d.draft).toMatch(/after 30 minutes”: no/);
    expect(d.reason).not.toContain('the answer is no');
  });

  it('does not hold back the answer for the figure the other ask’s row does not state', async () => {
    const d = await ask('Is all communication encrypted with TLS, and do idle sessions time out after 10 minutes?');
    expect(d.abstained).toBe(false);
    // Each ask's row is cited (the figure ask's row ranks for its figure: either may come first).
    expect([...refs(d).slice(0, 2)].sort()).toEqual(['1-2', '2-1']);
    expect(d.status).toBe('partial');
    expect(d.draft).toMatch(/with TLS”: yes/);
    expect(d.draft).toMatch(/after 10 minutes”: no/);
    expect(d.reason).not.toContain('does not state');
  });

  it('does both in Japanese', async () => {
    const failed = await ask('ファイアウォールで外部からの通信を制限していますか？また、操作がないまま30分たったら自動でログアウトされますか？');
    expect(failed.abstained).toBe(false);
    expect(failed.status).toBe('partial');
    expect(refs(failed)).toEqual(expect.arrayContaining(['1-1', '2-1']));
    expect(failed.draft).toMatch(/について: はい。/u);
    expect(failed.draft).toMatch(/について: いいえ。/u);
    expect(failed.reason).not.toContain('回答は「いいえ」');
    const other = await ask('外部からの不正な通信をネットワークの境界のファイアウォールで遮断していますか？また、30分でログアウトしますか？');
    expect(other.abstained).toBe(false);
    expect(refs(other).slice(0, 2)).toEqual(['1-1', '2-1']);
    expect(other.status).toBe('partial');
    expect(other.reason).not.toContain('数値を述べていません');
  });

  it('says yes when the row meets the figure its ask names', async () => {
    const d = await ask('Is traffic filtered by a firewall at the network edge, and are idle sessions logged out within 24 hours?');
    expect(d.status).toBe('yes');
    expect(refs(d)).toEqual(expect.arrayContaining(['1-1', '2-1']));
  });

  it('gives no yes when no row about the figure ask’s subject states its figure', async () => {
    // The session row's 12時間 is within 30 days, but says nothing of certificates.
    const d = await ask('Is traffic filtered by a firewall at the network edge, and are TLS certificates renewed within 30 days?');
    expect(d.status).not.toBe('yes');
    expect(d.status).not.toBe('partial');
    expect(d.needsHuman).toBe(true);
  });

  it('still says no to one ask whose bound follows its figure', async () => {
    const d = await ask('Are admin operation logs kept for a year or longer?');
    expect([d.citations[0]?.ref, d.status]).toEqual(['2-2', 'no']);
    expect(d.reason).toContain('90日間');
  });
});
