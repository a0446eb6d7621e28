/**
 * What the customer reads in an offline draft, beyond its first row: every ask of a multi-part
 * question answered in the question's order from its own row, no はい before an answer to a
 * what/when/how-many question, an English status said as plainly as the judgement is sure, and
 * a row the judgement left without a mark named as the closest, not quoted as the answer.
 */
import { describe, expect, it } from 'vitest';
import type { Hit, Passage, Retrieval, Status } from '../../src/domain.js';
import { extractiveDraft } from '../../src/draft/extractive.js';
import { hedgeIn } from '../../src/draft/markers.js';
import { firstSentenceIsEnglish } from '../../src/draft/phrasing.js';

function row(id: string, ref: string, answer: string, status: Status = 'yes', extra: Partial<Passage> = {}): Hit {
  return {
    score: 0.5,
    passage: { id, product: 'acme', kind: 'control', source: 'acme.txt', title: 'アクメ セキュリティチェックシート', locator: id, line: 1, page: null, sectionPath: [], ref, requirement: '', answer, status, ...extra },
  };
}

function retrieval(question: string, hits: Hit[], confidence: number, asks?: Retrieval['asks']): Retrieval {
  const lang = /[\u3040-\u30ff\u3400-\u9fff]/u.test(question) ? 'ja' : 'en';
  return { question, product: 'acme', lang, hits, confidence, abstained: false, needsReview: true, reason: '', corpusVersion: 1, ...(asks ? { asks } : {}) };
}

describe('a question of several asks', () => {
  const notice = row('a#1', '7-1', 'サービスを終了する場合は、6か月以上前に利用者へ通知します。');
  const erase = row('a#2', '7-2', '解約後、利用者のデータは60日後に削除します。削除後のデータは復元できません。');
  const question = 'サービス終了は何か月前に通知されますか。また、解約後データは何日で削除されますか。';
  const asks = [
    { text: 'サービス終了は何か月前に通知されますか', rows: ['a#1'] },
    { text: '解約後データは何日で削除されますか', rows: ['a#2'] },
  ];

  it('answers each ask in the question’s order from its own row, each figure after the ask it answers', () => {
    const d = extractiveDraft(retrieval(question, [erase, notice], 0.9, asks));
    const [first, second] = d.draft.replace('【要確認】', '').split('\n');
    expect(first).toBe('「サービス終了は何か月前に通知されますか」について: 6か月以上前です。サービスを終了する場合は、6か月以上前に利用者へ通知します。');
    expect(second).toMatch(/^「解約後データは何日で削除されますか」について: 60日後です。解約後、利用者のデータは60日後に削除します。/);
    // The judgement's best row leads the citations, the others follow in rank order.
    expect(d.citations.map((c) => c.ref)).toEqual(['7-2', '7-1']);
  });

  it('keeps the denial a row states about its ask, and says an ask no row answers is not found', () => {
    const team = row('b#1', '3-1', '障害対応の専任チームを設置しております。');
    const reports = row('b#2', '3-2', '障害情報はお知らせページで都度公開しています。但し、月次の報告書は作成していません。問い合わせ窓口はサポートサイトに記載しています。');
    const d = extractiveDraft(
      retrieval('障害対応チームはありますか。また、障害の報告書を毎月公開していますか。また、保険に加入していますか。', [team, reports], 0.9, [
        { text: '障害対応チームはありますか', rows: ['b#1'] },
        { text: '障害の報告書を毎月公開していますか', rows: ['b#2'] },
        { text: '保険に加入していますか', rows: [] },
      ]),
    );
    const lines = d.draft.replace('【要確認】', '').split('\n');
    expect(lines[0]).toBe('「障害対応チームはありますか」について: はい。障害対応の専任チームを設置しております。');
    expect(lines[1]).toContain('但し、月次の報告書は作成していません。');
    expect(lines[2]).toBe('「保険に加入していますか」について: 公開している資料には記載が見つかりませんでした。');
  });

  it('answers in English ask by ask, quoting each row once in the original', () => {
    const d = extractiveDraft(
      retrieval('How many days before shutdown do you notify customers, and how long after cancellation is data deleted?', [notice, erase], 0.9, [
        { text: 'How many days before shutdown do you notify customers', rows: ['a#1'] },
        { text: 'how long after cancellation is data deleted', rows: ['a#2'] },
      ]),
    );
    expect(d.draft).toMatch(/^\[Needs review\] On “How many days before shutdown do you notify customers”: [^\n]*item 7-1\b/);
    expect(d.draft).toMatch(/\nOn “how long after cancellation is data deleted”: 60 days later, according to item 7-2\b/);
    expect(d.draft.match(/Japanese original/g)).toHaveLength(2);
    expect(firstSentenceIsEnglish(d.draft)).toBe(true);
  });

  it('is one answer when one row answers every ask', () => {
    const d = extractiveDraft(retrieval(question, [erase], 0.9, [{ ...asks[0]!, rows: ['a#2'] }, { ...asks[1]!, rows: ['a#2'] }]));
    expect(d.draft).not.toContain('について:');
  });
});

describe('a question that asks for a figure or a description', () => {
  it('gets the figure or the statement, never a yes/no lead, with the status kept as judged', () => {
    const timeout = row('c#1', '4-1', '一定期間(15分間)操作がない場合、自動的にログアウトします。');
    for (const q of ['自動ログアウトまでの時間は?', 'パスワード変更の間隔', 'ログの保管場所は?']) {
      const d = extractiveDraft(retrieval(q, [timeout], 0.9));
      expect(d.draft).not.toMatch(/^(【要確認】)?(はい|いいえ)。/);
      expect(d.status).toBe('yes');
    }
  });

  it('reads a period with no end as the answer to how long', () => {
    const d = extractiveDraft(retrieval('操作ログの保存期間', [row('c#2', '4-2', '操作ログは無期限に保存しております。')], 0.9));
    expect(d.draft).toBe('【要確認】無期限です。操作ログは無期限に保存しております。');
  });
});

describe('an English answer over Japanese evidence', () => {
  const backup = row('d#1', '5-1', 'バックアップは毎日取得し、14世代保管しております。');

  it('says the status plainly when the judgement is sure, with the figures the row states in English', () => {
    const d = extractiveDraft(retrieval('Do you back up customer data?', [backup], 0.93));
    expect(d.draft).toMatch(/^\[Needs review\] Yes\. Covered by item 5-1 of our published acme security checksheet\b[^\n]*; it states daily and 14 generations\.\n/);
    expect(d.draft).toContain('> バックアップは毎日取得し、14世代保管しております。');
    expect(hedgeIn(d.draft)).toBeNull();
  });

  it('keeps the hedge where the judgement is a coin toss or less', () => {
    const d = extractiveDraft(retrieval('Do you back up customer data?', [backup], 0.45));
    expect(d.draft).toMatch(/^\[Needs review\] Possibly yes: the closest evidence is item 5-1\b/);
  });
});

describe('a row the judgement left without a mark', () => {
  it('is named as the closest item, not quoted as the answer (EN and JA)', () => {
    const blank: Hit = { ...row('e#1', '6-1', '入退室はICカードで管理しております。'), status: 'unknown' };
    const ja = extractiveDraft(retrieval('入退室記録を10年間保存していること。', [blank], 0.5));
    expect(ja.draft).toBe('【要確認】資料にはお尋ねの点をそのまま述べた記載は見つかりませんでした。最も近い記載(アクメ セキュリティチェックシート 6-1)は次のとおりです。\n入退室はICカードで管理しております。');
    expect(hedgeIn(ja.draft)).not.toBeNull();
    const en = extractiveDraft(retrieval('Are entry records kept for ten years?', [blank], 0.5));
    expect(en.draft).toMatch(/^\[Needs review\] Our published documentation does not state this directly; the closest is item 6-1\b/);
    expect(hedgeIn(en.draft)).not.toBeNull();
  });
});
