/**
 * How a question names its control decides which row it finds. An English question spells out
 * what a Japanese row writes as an acronym (WAF, VPN, IDS); a verb that only says the control is
 * in place ("deployed") or a preposition ("in front of") must not weigh like the control; everyday
 * Japanese writes a known word with 情報/方法/状況/内容 after it, and スマホ for モバイル; "staff
 * turnover" is people leaving, not sales. Fixture text is this test's own.
 */
import { describe, expect, it } from 'vitest';
import { expandQuery } from '../../src/retrieve/expand.js';
import { loadLexicon } from '../../src/retrieve/lexicon.js';
import { absentTopics, compile, coverage, mentions, textKey } from '../../src/retrieve/match.js';

const lexicon = loadLexicon();
const concepts = (question: string) => compile(expandQuery(question, lexicon).concepts);
const cover = (question: string, row: string): number => coverage(concepts(question), textKey(row));
/** Whether the row mentions every idea of the question that weighs as a main idea. */
const mainIdeasMentioned = (question: string, row: string): boolean =>
  concepts(question)
    .filter((c) => c.weight >= 1)
    .every((c) => mentions(c, textKey(row)));
const sources = (question: string): string[] => expandQuery(question, lexicon).concepts.map((c) => c.source);

describe('English control names', () => {
  it('finds a row writing only the acronym when the question spells the name out', () => {
    const row = '管理作業はVPN経由でのみ接続を許可しています。';
    expect(mainIdeasMentioned('Is a virtual private network required for administrative connections?', row)).toBe(true);
    expect(mainIdeasMentioned('Are intrusion detection systems in use?', 'IDSによる監視を24時間行っています。')).toBe(true);
  });

  it('treats a spelled-out acronym as the named thing it is: absent when no row names it', () => {
    const rows = ['通信はTLSで暗号化しています。', 'アクセス権は四半期ごとに見直しています。'];
    expect(absentTopics(concepts('Do you run a web application firewall?'), rows.map(textKey))).toHaveLength(1);
    expect(absentTopics(concepts('Do you run a web application firewall?'), [...rows, 'WAFを導入しています。'].map(textKey))).toEqual([]);
  });

  it('does not read a phrase as an acronym it is not the expansion of', () => {
    // "integration" sits on the API line, but it does not spell API.
    expect(sources('Is an integration with our HR system possible?').some((s) => s.includes('API'))).toBe(false);
  });

  it('reads "deployed" as in place, not as a software release', () => {
    const question = 'Is a web application firewall deployed for the service?';
    const releaseRow = '本番環境へのデプロイはCI/CDパイプラインで自動化しています。';
    const controlRow = 'WAFを設置し、不正な通信を遮断しています。';
    expect(cover(question, releaseRow)).toBeLessThan(0.25);
    expect(cover(question, controlRow)).toBeGreaterThan(0.8);
    // A release is still what "deployment" names.
    expect(mainIdeasMentioned('Describe your software deployment process.', releaseRow)).toBe(true);
  });

  it('weighs the control more than a verb that only says it is in place', () => {
    const question = 'Are the database servers deployed redundantly?';
    const redundancy = 'データベースサーバーは冗長構成としています。';
    const inventory = 'データベースサーバーの導入時には台帳に登録しています。';
    expect(cover(question, redundancy)).toBeGreaterThan(cover(question, inventory));
  });

  it('drops prepositions whose nouns a dictionary reads in their own sense', () => {
    expect(sources('Is a load balancer placed in front of the web servers?').some((s) => /front/i.test(s))).toBe(false);
    expect(sources('Is the service unavailable due to maintenance on weekends?').some((s) => /due/i.test(s))).toBe(false);
  });

  it('reads staff turnover as people leaving, not as sales', () => {
    const question = 'What was your staff turnover last year?';
    expect(mainIdeasMentioned(question, '前年度の売上高は前年比で増加しました。')).toBe(false);
    expect(mainIdeasMentioned(question, '前年度の離職率は5%でした。')).toBe(true);
  });
});

describe('everyday Japanese', () => {
  const failureRow = 'サーバーの障害を検知した場合は、利用者にメールで連絡しています。';

  it('reads a known word with 情報 after it as the word', () => {
    expect(mainIdeasMentioned('障害情報は利用者へどのように連絡していますか', failureRow)).toBe(true);
  });

  it('drops 方法/状況 after a word the dictionaries know even outside the glossary', () => {
    expect(sources('採番方法を教えてください')).toEqual(['採番']);
  });

  it('keeps a compound whole where 情報 is what is named, not an afterthought', () => {
    // Credentials and customer data are not authentication and customers.
    expect(sources('認証情報は暗号化して保存していますか')).toContain('認証情報');
    expect(mainIdeasMentioned('顧客情報へのアクセスは制限されていますか', '顧客へのサポート窓口を設けています。')).toBe(false);
  });

  it('finds a row on the mobile version from everyday words for a smartphone', () => {
    const row = '本サービスはモバイル版のブラウザには対応していません。';
    expect(mainIdeasMentioned('スマホからも利用できますか', row)).toBe(true);
    expect(mainIdeasMentioned('携帯電話から使えますか', row)).toBe(true);
    expect(mainIdeasMentioned('Is the service usable from a mobile browser?', row)).toBe(true);
  });
});
