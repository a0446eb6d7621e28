/**
 * Whether a figure question's figure is stated is decided once per ask, and every sentence of the
 * draft, its status and its reason follow that one decision: no 「根拠には…の記載がありません」
 * followed by the row's figure, no figure under a reason saying none is stated, no yes to a figure
 * question whose rows state no figure asked. A caveat one ask's row states about another ask stays
 * off this ask's line.
 */
import { describe, expect, it } from 'vitest';
import type { Hit, Passage, Retrieval, Status } from '../../src/domain.js';
import { extractiveDraft } from '../../src/draft/extractive.js';
import { askedSentences, firstSentenceIsEnglish } from '../../src/draft/phrasing.js';

function row(id: string, ref: string, answer: string, status: Status = 'yes', extra: Partial<Hit> = {}, requirement = ''): Hit {
  const passage: Passage = { id, product: 'acme', kind: 'control', source: 'acme.txt', title: 'アクメ セキュリティチェックシート', locator: id, line: 1, page: null, sectionPath: [], ref, requirement, answer, status };
  return { score: 0.5, passage, ...extra };
}

function retrieval(question: string, hits: Hit[], reason = 'the cited passages likely answer the question; a human should check', asks?: Retrieval['asks']): Retrieval {
  const lang = /[\u3040-\u30ff\u3400-\u9fff]/u.test(question) ? 'ja' : 'en';
  return { question, product: 'acme', lang, hits, confidence: 0.93, abstained: false, needsReview: true, reason, corpusVersion: 1, ...(asks ? { asks } : {}) };
}

describe('one decision whether the figure asked is stated', () => {
  it('answers 「何件」 with the row’s count of occurrences, never saying it states none', () => {
    const d = extractiveDraft(retrieval('昨年度の情報漏えい事故は何件ありましたか', [row('c#1', '12', '0回', 'yes', {}, '過去1年間の情報漏えい事故の件数')]));
    expect(d.draft).toContain('0回です');
    expect(d.draft).not.toContain('記載がありません');
  });

  it('makes a yes to a figure question whose rows state no figure asked unknown, flagged, the reason naming the figure', () => {
    const d = extractiveDraft(retrieval('How many times a year are fire drills held?', [row('c#2', '4-1', '防災訓練を定期的に実施しております。')]));
    expect(d.status).toBe('unknown');
    expect(d.needsHuman).toBe(true);
    expect(d.draft).toMatch(/^\[Needs review\] The cited evidence states no frequency/);
    expect(d.reason).toContain('frequency');
    expect(d.reason).not.toContain('likely answer');
    expect(d.confidence).toBeLessThanOrEqual(0.5);
  });

  it('says so in Japanese too, with the status and the sentence agreeing', () => {
    const d = extractiveDraft(retrieval('ログは年に何回点検していますか', [row('c#3', '5-2', 'ログは定期的に点検しております。')], '引用した記載は質問に答えている可能性が高いものの、確認なしで送れるほど確かではありません。担当者の確認が必要です'));
    expect(d.status).toBe('unknown');
    expect(d.draft).toContain('根拠には頻度の記載がありません');
    expect(d.reason).toContain('頻度');
  });

  it('gives no figure from a row whose mark the judgement blanked (its figure is about something else)', () => {
    const audit = row('c#4', '8-1', '外部監査を年1回受けております。', 'yes', { status: 'unknown' });
    const en = extractiveDraft(retrieval('How many times a year are fire drills held?', [audit], 'the question asks for a specific figure (“how many times a year”) that the cited passage does not state (confidence 50%); a human should check'));
    expect(en.status).toBe('unknown');
    expect(en.draft).not.toMatch(/once a year/i);
    expect(en.draft).toMatch(/^\[Needs review\] The cited evidence states no frequency; the closest evidence is item 8-1/);
    const ja = extractiveDraft(retrieval('防災訓練は年に何回実施していますか', [audit], '質問は具体的な数値(「年に何回」)を尋ねていますが、引用した記載はその数値を述べていません(確度50%)。担当者の確認が必要です'));
    expect(ja.draft).not.toMatch(/年1回です/);
    expect(ja.status).toBe('unknown');
  });

  it('reads the figure asked among several kinds a row states, in English as it is said', () => {
    const d = extractiveDraft(retrieval('How many times a year is the penetration test run?', [row('c#5', '6-6', '外部の専門業者によるペネトレーションテストを年間少なくとも2回、3日間かけて実施しております。')]));
    expect(d.draft).toMatch(/^\[Needs review\] At least twice a year, according to item 6-6\b/);
    expect(d.status).toBe('yes');
    expect(firstSentenceIsEnglish(d.draft)).toBe(true);
    const every = extractiveDraft(retrieval('How often are incremental backups taken?', [row('c#6', '6-9', '・日毎 フルバックアップ ・6時間ごと 増分バックアップ')]));
    expect(every.draft).toMatch(/^\[Needs review\] Every 6 hours, according to item 6-9\b/);
  });

  it('says which side of an event a figure lies in English words, naming the event as the row does', () => {
    const d = extractiveDraft(retrieval('How many days after cancellation are files purged?', [row('c#7', '7-3', '解約日から45日後にファイルを完全に消去します。')]));
    expect(d.draft).toMatch(/^\[Needs review\] 45 days after 「解約日」, according to item 7-3\b/);
    expect(firstSentenceIsEnglish(d.draft)).toBe(true);
  });
});

describe('a caveat about another ask', () => {
  const row = 'アクセス記録は5年間保管しております。記録の写しの提出には応じておりません。';
  it('is left off the line of the ask it is not about', () => {
    const text = askedSentences('アクセス記録の保管期間は', row, '5年間', undefined, ['記録の写しを提出してもらえますか']);
    expect(text).toBe('アクセス記録は5年間保管しております。');
  });

  it('stays on the line of its own ask', () => {
    const text = askedSentences('記録の写しを提出してもらえますか', row, null, undefined, ['アクセス記録の保管期間は']);
    expect(text).toContain('記録の写しの提出には応じておりません');
  });
});
