import { describe, expect, it } from 'vitest';
import type { Hit, Passage, Retrieval } from '../../src/domain.js';
import { extractiveDraft } from '../../src/draft/extractive.js';
import { agreeWithJudgement } from '../../src/draft/openai.js';
import { hedgeIn, stripDraftMarkers } from '../../src/draft/markers.js';
import { firstSentenceIsEnglish } from '../../src/draft/phrasing.js';

function hit(answer: string, extra: Partial<Passage> = {}, score = 0.9): Hit {
  return {
    score,
    passage: {
      id: `acme/acme.txt#L${answer.length}`,
      product: 'acme',
      kind: 'control',
      source: 'acme.txt',
      title: 'Acme checksheet',
      locator: `L${answer.length}`,
      line: answer.length,
      page: null,
      sectionPath: [],
      ref: '6-1',
      requirement: '通信を暗号化すること。',
      answer,
      status: 'yes',
      ...extra,
    },
  };
}

/** A retrieval the judgement was sure of (confidence ≥ 0.6) or flagged for review (below). */
function retrieval(question: string, hits: Hit[], confidence = 0.9, lang: 'ja' | 'en' = 'en'): Retrieval {
  return { question, product: 'acme', lang, hits, confidence, abstained: false, needsReview: confidence < 0.6, reason: 'best passage covers 90%', corpusVersion: 3 };
}

describe('extractive drafter', () => {
  it('answers an English yes/no question in English: status, item, document and the concepts the row covers, then the Japanese original', () => {
    const d = extractiveDraft(retrieval('Is traffic encrypted?', [hit('通信はTLS1.2で暗号化しております。')]));
    const [first, original] = d.draft.split('\n\n');
    expect(first).toMatch(/^Yes\. Covered by item 6-1 of our published Acme checksheet \([^)]*\bencryption\b[^)]*\)\.$/);
    expect(original).toBe('Japanese original (Acme checksheet 6-1):\n> 通信はTLS1.2で暗号化しております。');
    expect(firstSentenceIsEnglish(d.draft)).toBe(true);
    expect(d.draft).not.toContain('acme.txt');
    expect(d).toMatchObject({ status: 'yes', needsHuman: false });
    expect(d.citations[0]).toMatchObject({ title: 'Acme checksheet', text: expect.stringContaining('通信はTLS1.2で暗号化しております。') });
  });

  it('names a Japanese-titled document by product and kind, never by file, and no Japanese enters the first sentence', () => {
    const d = extractiveDraft(retrieval('Do staff accounts have unique IDs?', [hit('各個人に一意の識別子を付与しております。', { title: 'アクメ セキュリティチェックシート', ref: '4-2' })]));
    expect(d.draft.split('\n')[0]).toMatch(/^Yes\. Covered by item 4-2 of our published acme security checksheet \(covers: unique[^)]*\)\.$/);
    expect(d.draft).toContain('Japanese original (アクメ セキュリティチェックシート 4-2):');
    expect(firstSentenceIsEnglish(d.draft)).toBe(true);
  });

  it('leads a value question with the figure the row states, not with Yes', () => {
    const d = extractiveDraft(retrieval('How long are access logs retained?', [hit('アクセスログは最低12か月間保存しております。')]));
    expect(d.draft).toMatch(/^At least 12 months, according to item 6-1 of our published Acme checksheet/);
    const uptime = extractiveDraft(retrieval('What uptime do you commit to?', [hit('稼働率99.95%を目標としております。', { ref: '9-1' })]));
    expect(uptime.draft).toMatch(/^99\.95%, according to item 9-1/);
    // A value question whose row states no figure is not answered "Yes": it says the figure is not stated, then where
    // the closest evidence is, and is reviewed (its status unknown: the row answers nothing asked).
    const none = extractiveDraft(retrieval('How long are access logs retained?', [hit('アクセスログは規程に従って保存しております。')]));
    expect(none.draft).toMatch(/^\[Needs review\] The cited evidence states no period of time; the closest evidence is item 6-1 of our published Acme checksheet/);
    expect(none.status).toBe('unknown');
    // It asserts nothing to approve, so it is declined, with the closest row still cited for the reviewer.
    expect(none).toMatchObject({ abstained: true, needsHuman: true, citations: [expect.objectContaining({ ref: '6-1' })] });
    const ja = extractiveDraft(retrieval('ログの保存期間は何日ですか?', [hit('ログは90日間保存します。')], 0.9, 'ja'));
    expect(ja.draft).toBe('90日間です。ログは90日間保存します。');
  });

  it('never says the same figure twice in a row when the row itself opens with it', () => {
    const ja = (row: string): string => extractiveDraft(retrieval('バックアップは何世代保持していますか?', [hit(row, { requirement: 'バックアップを取得すること。' })], 0.9, 'ja')).draft;
    // The row opens with the figure: it leads, stated once.
    expect(ja('20世代保持しています。')).toBe('20世代保持しています。');
    // The row is nothing but the figure (with its qualifier): one sentence states it.
    expect(ja('20世代')).toBe('20世代です。');
    const uptime = extractiveDraft(retrieval('稼働率は何%ですか?', [hit('99.9%(直近1年の実績)です。計画停止を除きます。')], 0.9, 'ja'));
    expect(uptime.draft).toBe('99.9%(直近1年の実績)です。計画停止を除きます。');
    expect(extractiveDraft(retrieval('稼働率は何%ですか?', [hit('９９．９％ (直近1年の実績)')], 0.9, 'ja')).draft).toBe('99.9%(直近1年の実績)です。');
    // English: a quotation that says nothing but the figure the sentence states is not repeated under it;
    // one that says more is quoted whole, and Japanese evidence is always quoted in the original.
    const en = extractiveDraft(retrieval('What is your uptime?', [hit('99.9% (last 12 months).', { ref: '9-1' })]));
    expect(en.draft).not.toContain('\n');
    expect(en.draft).toMatch(/^99\.9% \(last 12 months\), according to item 9-1 of our published Acme checksheet\b[^\n]*\.$/);
    const more = extractiveDraft(retrieval('What is your uptime?', [hit('99.9% (last 12 months), planned maintenance excluded.', { ref: '9-1' })]));
    expect(more.draft).toContain('> 99.9% (last 12 months), planned maintenance excluded.');
    const original = extractiveDraft(retrieval('How many backup generations are kept?', [hit('20世代')]));
    expect(original.draft).toMatch(/^20 generations, according to item 6-1[^\n]*\n\nJapanese original \(Acme checksheet 6-1\):\n> 20世代$/);
  });

  it('leads a how/what question with the substance and says a status other than yes after it', () => {
    const d = extractiveDraft(retrieval('How do you handle privileged access?', [hit('特権IDの付与は申請制とし、定期的に棚卸しております。', { status: 'partial', ref: '5-3' })]));
    expect(d.draft.split('\n')[0]).toMatch(/^\[Needs review\] [A-Z][^.]*: described in item 5-3 of our published Acme checksheet; marked as partially in place\.$/);
    expect(d.draft).not.toMatch(/^(Yes|Partially)\b/);
    const ja = extractiveDraft(retrieval('特権IDはどのように管理していますか?', [hit('特権IDの付与は申請制としております。')], 0.9, 'ja'));
    expect(ja.draft).toBe('特権IDの付与は申請制としております。');
  });

  it('puts はい / No first only for yes/no questions, in the question language', () => {
    const ja = extractiveDraft(retrieval('通信は暗号化していますか?', [hit('通信はTLS1.2で暗号化しております。')], 0.9, 'ja'));
    expect(ja.draft).toBe('はい。通信はTLS1.2で暗号化しております。');
    const no = extractiveDraft(retrieval('Do you hold ISO 27017?', [hit('取得しておりません。', { status: 'no', requirement: 'ISO/IEC 27017の認証を取得すること。' })]));
    expect(no.draft.split('\n')[0]).toMatch(/^\[Needs review\] No, according to item 6-1 of our published Acme checksheet/);
  });

  it('does not call English evidence Japanese, and never names another customer’s questionnaire', () => {
    const d = extractiveDraft(retrieval('Is traffic encrypted?', [hit('All traffic uses TLS 1.2 or later.', { kind: 'qa', source: 'acme-2025.xlsx', title: 'Globex questionnaire (answered)', ref: '12' })]));
    expect(d.draft).toMatch(/^Yes\. Covered by item 12 of a questionnaire we answered before/);
    expect(d.draft).not.toContain('Globex');
    expect(d.draft).toContain('Quoted from (a questionnaire we answered before, item 12):');
    expect(d.draft).not.toContain('Japanese original');
    expect(d.draft).toContain('> All traffic uses TLS 1.2 or later.');
  });

  it('marks a weak match as needing review, and the reason says why', () => {
    const en = extractiveDraft(retrieval('Is data encrypted at rest?', [hit('バックアップは7世代保管しております。')], 0.5));
    expect(en.needsHuman).toBe(true);
    expect(en.draft).toMatch(/^\[Needs review\] Possibly yes: the closest evidence is item 6-1 of our published Acme checksheet/);
    expect(firstSentenceIsEnglish(en.draft)).toBe(true);
    expect(en.reason).toMatch(/not sure enough to go out unreviewed \(on our test questions, drafts this sure were right about 50% of the time\); a human should check$/);
    const ja = extractiveDraft(retrieval('保存データは暗号化していますか?', [hit('バックアップは7世代保管しております。')], 0.5, 'ja'));
    expect(ja.draft.startsWith('【要確認】')).toBe(true);
    expect(ja.reason).toContain('担当者の確認が必要です');
  });

  it('says what the confidence of a flagged draft means, so a high one does not read as "low" (EN and JA)', () => {
    // A judgement flagged for review without saying why itself (a caution reason, or another judge).
    const flagged = (question: string, lang: 'ja' | 'en'): Retrieval => ({ ...retrieval(question, [hit('通信はTLS1.2で暗号化しております。')], 0.97, lang), needsReview: true, reason: '' });
    const en = extractiveDraft(flagged('Is traffic encrypted?', 'en'));
    expect(en.reason).toBe('not sure enough to go out unreviewed (on our test questions, drafts this sure were right about 97% of the time); a human should check');
    const ja = extractiveDraft(flagged('通信は暗号化していますか?', 'ja'));
    expect(ja.reason).toBe('確認なしで送れるほど確かではありません(評価用の質問では、この確度の下書きが正しかった割合は約97%)。担当者の確認が必要です');
    for (const reason of [en.reason, ja.reason]) expect(reason).not.toMatch(/low|低/);
  });

  it('never leaves a reason that asks for a human on a draft that is not flagged', () => {
    const pair = { ...retrieval('Are outages and maintenance announced?', [hit('障害はメールで通知します。')], 0.9), reason: 'no single passage answers this; two together cover 80% of the question’s key terms; a human should check' };
    expect(extractiveDraft(pair).needsHuman).toBe(true);
    const noStatus = extractiveDraft(retrieval('Is traffic encrypted?', [hit('通信について記載します。', { status: 'unknown' })]));
    expect(noStatus).toMatchObject({ needsHuman: true, reason: expect.stringMatching(/no clear status; a human should check$/) });
    const fine = extractiveDraft(retrieval('Is traffic encrypted?', [hit('通信はTLS1.2で暗号化しております。')]));
    expect(fine.needsHuman).toBe(false);
    expect(fine.reason).not.toMatch(/human/);
  });

  it('reuses an approved answer word for word in its own language, and flags one in the other language', () => {
    const d = extractiveDraft(retrieval('Is traffic encrypted?', [hit('Yes, TLS 1.2+ everywhere.', { kind: 'approved', source: 'review', locator: 'review #4' })]));
    expect(d.draft).toBe('Yes, TLS 1.2+ everywhere.');
    expect(d.needsHuman).toBe(false);
    const other = extractiveDraft(retrieval('Is traffic encrypted?', [hit('はい、全通信をTLSで暗号化しています。', { kind: 'approved', source: 'review', locator: 'review #5' })]));
    expect(other.needsHuman).toBe(true);
    expect(other.draft).toBe('[Needs review] Approved answer (Japanese), not yet translated:\nはい、全通信をTLSで暗号化しています。');
    expect(other.reason).toMatch(/the approved answer is in Japanese; a human should check/);
  });

  it('quotes a second passage only when it is nearly as relevant, and combines their status', () => {
    const d = extractiveDraft(
      retrieval('Are outages and maintenance announced?', [hit('障害はメールで通知します。'), hit('メンテナンスは一部のみ事前告知します。', { status: 'partial', ref: '6-2' }, 0.85)]),
    );
    expect(d.draft.split('\n> ')).toHaveLength(3);
    expect(d.draft).toMatch(/^\[Needs review\] Partially, according to items 6-1 and 6-2 of our published Acme checksheet/);
    expect(d.status).toBe('partial');
  });

  it('strips only its own review marker from an approved text', () => {
    expect(stripDraftMarkers('【要確認】はい。暗号化しています。')).toBe('はい。暗号化しています。');
    expect(stripDraftMarkers('[Needs review] Possibly yes: x')).toBe('Possibly yes: x');
    // kotae's marker only: the words alone, or the Japanese without its brackets, are the reviewer's.
    expect(stripDraftMarkers('Needs review: yes. 要確認の項目はありません。')).toBe('Needs review: yes. 要確認の項目はありません。');
  });

  it('strips every occurrence of the marker, not just the first (a reviewer pasting two drafts together)', () => {
    expect(stripDraftMarkers('【要確認】【要確認】はい。')).toBe('はい。');
    expect(stripDraftMarkers('【要確認】はい。\n【要確認】暗号化しています。')).toBe('はい。\n暗号化しています。');
    expect(stripDraftMarkers('[Needs review] 【要確認】[Needs review] Yes.')).toBe('Yes.');
    expect(stripDraftMarkers('[Needs review] Yes, nightly. [Needs review] Backups are encrypted.')).toBe('Yes, nightly. Backups are encrypted.');
  });
});

describe('status of a draft quoting two rows', () => {
  it('is unknown when the judge blanked the best row’s mark, whatever the other quoted row says', () => {
    const blanked: Hit = { ...hit('脆弱性診断は自社のセキュリティチームが実施しております。', { id: 'acme/a#1', ref: '8-1' }, 0.8), status: 'unknown' };
    const other = hit('脆弱性診断は年1回実施しております。', { id: 'acme/a#2', ref: '8-2' }, 0.78);
    const d = extractiveDraft(retrieval('Are vulnerability assessments performed by an external party?', [blanked, other], 0.5));
    expect(d.status).toBe('unknown');
    // Without a caution on it, the two rows' yes stands.
    expect(extractiveDraft(retrieval('Are vulnerability assessments performed?', [{ ...blanked, status: undefined }, other])).status).toBe('yes');
  });
});

describe('extractive citation order', () => {
  it('lists citations by score, highest first, after the row the text names, whatever order retrieval grouped them in', () => {
    // Retrieval groups hits per ask of a multi-part question: the second ask's best row can score low overall.
    const hits = [
      hit('バックアップデータは暗号化して保管しております。', { id: 'acme/a#1', ref: '6-8' }, 0.74),
      hit('リストア手順は年1回検証しております。', { id: 'acme/a#2', ref: '10-6' }, 0.01),
      hit('バックアップは日次で取得しております。', { id: 'acme/a#3', ref: '6-30' }, 0.13),
      hit('保管先は国内リージョンです。', { id: 'acme/a#4', ref: '6-31' }, 0.05),
    ];
    const d = extractiveDraft(retrieval('Do you encrypt backups, and do you test restoring them?', hits));
    expect(d.citations.map((c) => c.score)).toEqual([0.74, 0.13, 0.05, 0.01]);
    expect(d.draft).toContain('6-8');
  });
});

describe('hedged wording', () => {
  it('finds the hedge in a draft made unsure, and none in a confident one', async () => {
    const unsure = extractiveDraft(retrieval('Is traffic encrypted?', [hit('通信はTLS1.2で暗号化しております。')], 0.3));
    expect(hedgeIn(unsure.draft)).toMatch(/^Possibly yes$/);
    const sure = extractiveDraft(retrieval('Is traffic encrypted?', [hit('通信はTLS1.2で暗号化しております。')]));
    expect(hedgeIn(sure.draft)).toBeNull();
  });
});

/**
 * Only a plain yes goes out without a reviewer, however sure the judgement is (src/draft/unreviewed.ts):
 * a draft saying no or partial is flagged, with a reason saying why, from the offline drafter and from a
 * model's draft alike. An approved answer reused keeps its status unflagged: a named person stands behind it.
 */
describe('what may go out without a reviewer', () => {
  it('lets a sure yes go unflagged, and flags a sure no or partial with the reason', () => {
    expect(extractiveDraft(retrieval('Is traffic encrypted?', [hit('通信はTLS1.2で暗号化しております。')]))).toMatchObject({ status: 'yes', needsHuman: false });
    const no = extractiveDraft(retrieval('Do you hold ISO 27017?', [hit('取得しておりません。', { status: 'no' })]));
    expect(no).toMatchObject({ status: 'no', needsHuman: true });
    expect(no.reason).toContain('“no” or “partial” answer is always checked by a person');
    const partial = extractiveDraft(retrieval('通信は暗号化していますか?', [hit('管理画面の通信のみ暗号化しております。', { status: 'partial' })], 0.9, 'ja'));
    expect(partial).toMatchObject({ status: 'partial', needsHuman: true });
    expect(partial.draft.startsWith('【要確認】')).toBe(true);
    expect(partial.reason).toContain('必ず担当者が確認します');
  });

  it('keeps an approved answer reused unflagged, whatever its status', () => {
    expect(extractiveDraft(retrieval('Do you hold ISO 27017?', [hit('We do not hold ISO 27017.', { kind: 'approved', status: 'no' }, 1)]))).toMatchObject({ status: 'no', needsHuman: false });
  });

  it('flags a model’s sure no as the offline drafter does', () => {
    const given = retrieval('Do you hold ISO 27017?', [hit('取得しておりません。', { status: 'no' })]);
    const model = { ...extractiveDraft(retrieval('Do you hold ISO 27017?', [hit('取得しておりません。')])), status: 'no' as const, needsHuman: false, drafter: 'openai' as const };
    const checked = agreeWithJudgement(given, model);
    expect(checked.needsHuman).toBe(true);
    expect(checked.reason).toContain('always checked by a person');
  });
});

