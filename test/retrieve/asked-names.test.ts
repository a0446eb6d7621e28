/**
 * A question about a named thing (a certification, a standard, a named practice) that the
 * product's documents never mention is declined, whatever row shares its other words: the
 * learned judgement alone answered such a question at 67% from a row sharing "authorized" and
 * "baseline" after one refit. A name given as an example or gloss (in brackets) or as a
 * qualifier ("X-style") does not make the question about it, nor is a questionnaire's domain
 * code before the question a name asked, and a question that also names
 * something the documents do mention is answered about that. Made-up sheet and wordings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { askedAbsentNames } from '../../src/retrieve/asked-names.js';
import { gather } from '../../src/retrieve/retrieve.js';
import { retrieve } from '../../src/judge/retrieval.js';
import { sectionStore } from '../support/corpus.js';

const texts: Array<[string, string]> = [
  ['利用者ごとにアクセス権限を設定し、許可されていない利用者がアクセスできないようにすること。', '利用者ごとに権限を設定し、許可のない利用者はアクセスできません。'],
  ['第三者認証を取得していること。', '弊社はISO/IEC 27001の認証を取得しております。'],
  ['サーバの構成情報を管理していること。', 'サーバの構成情報は構成管理台帳で管理しております。'],
];

let sheet: Awaited<ReturnType<typeof sectionStore>>;
beforeAll(async () => {
  sheet = await sectionStore('vega', 'Vega checksheet', texts);
}, 60_000);
afterAll(() => sheet.close());

const deps = () => sheet.deps();

describe('a named thing the documents never mention', () => {
  it('is asked about when written plainly, not when in brackets or qualifying another word', () => {
    expect(askedAbsentNames('Is the platform StateRAMP certified at the high impact level?', ['StateRAMP'])).toEqual(['StateRAMP']);
    expect(askedAbsentNames('StateRAMPの認証は取得していますか?', ['StateRAMP'])).toEqual(['StateRAMP']);
    expect(askedAbsentNames('Is data at rest encrypted (e.g. with AES-256)?', ['AES-256'])).toEqual([]);
    expect(askedAbsentNames('保存データは暗号化していますか(AES-256など)?', ['AES-256'])).toEqual([]);
    expect(askedAbsentNames('Do you run XDR-style monitoring of servers?', ['XDR'])).toEqual([]);
    expect(askedAbsentNames('Do you run background screening of new hires?', ['background screening'])).toEqual(['background screening']);
    // A figure asked is no named thing, whatever match.ts makes of its digits.
    expect(askedAbsentNames('Are customers told of a breach within 24 hours?', ['within 24 hours'])).toEqual([]);
    expect(askedAbsentNames('サポートは365日対応していますか?', ['365日'])).toEqual([]);
    // A name not written in the question as such (a glossary head) is no ground for a veto.
    expect(askedAbsentNames('Do you screen staff before hiring?', ['background check'])).toEqual([]);
  });

  it('declines a question about it, naming it in the reason, however many other words a row shares', async () => {
    const r = await retrieve(deps(), 'Is the platform StateRAMP authorized at the high impact baseline?', 'vega');
    expect(r.abstained).toBe(true);
    expect(r.hits).toEqual([]);
    expect(r.reason).toContain('StateRAMP');
    const ja = await retrieve(deps(), 'StateRAMPの認可は取得していますか?', 'vega');
    expect(ja.abstained).toBe(true);
    expect(ja.reason).toContain('StateRAMP');
  });

  it('counts a product’s or company’s name among named things: a capitalised word no lexicon knows', async () => {
    const g = await gather(deps(), 'Are access rights managed in Permivox for each user?', 'vega');
    expect(g.view.absent).toEqual(['Permivox']);
    const r = await retrieve(deps(), 'Are access rights managed in Permivox for each user?', 'vega');
    expect(r.abstained).toBe(true);
    expect(r.reason).toContain('Permivox');
    // The same words without the name are answered from the row about them.
    expect((await retrieve(deps(), 'Are access rights managed for each user?', 'vega')).abstained).toBe(false);
  });

  it('never takes a questionnaire’s domain code before the question for what is asked', async () => {
    const g = await gather(deps(), 'TVM: Do you hold a StateRAMP authorization?', 'vega');
    expect(g.view.absentAsked).toEqual(['StateRAMP']);
  });

  it('leaves a question that also names what the documents do mention to the judgement', async () => {
    const g = await gather(deps(), 'Do you hold ISO/IEC 27001 or StateRAMP?', 'vega');
    expect(g.view.absent).toEqual(['StateRAMP']);
    expect(g.view.absentAsked).toBeUndefined();
    const r = await retrieve(deps(), 'Do you hold ISO/IEC 27001 or StateRAMP?', 'vega');
    expect(r.abstained).toBe(false);
    expect(r.hits[0]?.passage.answer).toContain('27001');
  });
});
