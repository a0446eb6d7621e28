/**
 * An open question (where, who, how many, which figure…) is never answered with yes: the draft
 * leads with the figure asked for, copied as the row writes it with its qualifiers, or says the
 * cited evidence does not state it. Fixture rows are this test's own.
 */
import { describe, expect, it } from 'vitest';
import type { Hit, Passage, Retrieval } from '../../src/domain.js';
import { extractiveDraft } from '../../src/draft/extractive.js';
import { questionForm } from '../../src/draft/question-form.js';

function hit(answer: string, extra: Partial<Passage> = {}): Hit {
  return {
    score: 0.9,
    passage: {
      id: `acme/acme.txt#L${answer.length}`, product: 'acme', kind: 'control', source: 'acme.txt', title: 'Acme checksheet',
      locator: 'L1', line: 1, page: null, sectionPath: [], ref: '3-2', requirement: '可用性を確保すること。', answer, status: 'yes', ...extra,
    },
  };
}

function retrieval(question: string, answer: string, confidence = 0.9): Retrieval {
  const lang = /[\u3040-\u30ff\u4e00-\u9fff]/u.test(question) ? 'ja' : 'en';
  return { question, product: 'acme', lang, hits: [hit(answer)], confidence, abstained: false, needsReview: confidence < 0.6, reason: 'best passage covers 90%', corpusVersion: 1 };
}
const firstLine = (question: string, answer: string, confidence = 0.9): string => extractiveDraft(retrieval(question, answer, confidence)).draft.split('\n')[0] ?? '';

describe('open questions', () => {
  it('are not read as yes/no questions in Japanese', () => {
    for (const q of ['管理者の人数は何名ですか？', 'ログイン画面のロック解除は誰が行いますか？', 'データセンターはどこにありますか？', 'アクセス権の見直しはいつ行いますか？', 'どの暗号方式を使っていますか？', 'PINコードは何桁ですか？']) {
      expect(questionForm(q, 'ja')).not.toBe('yesno');
    }
    // 何らかの is not a question word.
    expect(questionForm('何らかのマルウェア対策を講じていますか？', 'ja')).toBe('yesno');
  });

  it('never lead with yes, even when the draft needs review (EN and JA)', () => {
    const row = '本番データは国内の当社契約データセンターで保管しております。';
    expect(firstLine('Where are production databases hosted?', row, 0.5)).not.toMatch(/^(\[Needs review\] )?(Yes|Possibly yes)/);
    expect(firstLine('Who approves firewall changes?', row)).not.toMatch(/^(Yes|Possibly)/);
    expect(firstLine('本番データはどこで保管していますか？', row)).not.toMatch(/^(【要確認】)?はい/);
  });

  it('lead with the figure of the kind asked, copied as the row writes it', () => {
    expect(firstLine('PINコードは何桁ですか？', 'PINコードは6桁以上を必須としております。')).toMatch(/^6桁以上です。/);
    expect(firstLine('How many service interruptions were there over the past year?', '過去1年間のサービス停止は3回でした。サービスは24時間365日提供しております。')).toMatch(/^3 times\b/);
  });

  it('keep a figure’s own numbers and qualifiers', () => {
    const row = 'サポート窓口は24時間366日(年末年始を除く)受け付けております。';
    const en = firstLine('What are the support desk hours?', row);
    expect(en).toContain('366 days');
    expect(en).toContain('年末年始を除く');
    expect(firstLine('サポート窓口の受付時間帯は？', row)).toMatch(/^24時間366日\(年末年始を除く\)です。/);
  });

  it('state each figure when several are asked, and say which one the row does not state', () => {
    const both = '災害時の目標復旧時点(RPO)は15分、目標復旧時間(RTO)は4時間としております。';
    const en = firstLine('What are your RPO and RTO targets?', both);
    expect(en).toContain('15 minutes');
    expect(en).toContain('4 hours');
    const ja = firstLine('RPOとRTOを教えてください。', both);
    expect(ja).toContain('15分');
    expect(ja).toContain('4時間');
    const onlyOne = firstLine('What are your RPO and RTO targets?', '目標復旧時点(RPO)は15分です。');
    expect(onlyOne).toContain('15 minutes');
    expect(onlyOne).toMatch(/states no RTO/);
  });

  it('say the cited evidence states no figure of the kind asked instead of a generic hedge (EN and JA)', () => {
    const row = 'バックアップは別リージョンに複製して保管しております。';
    const en = firstLine('How many generations of backups are retained?', row);
    expect(en).toMatch(/The cited evidence states no number of backup generations/);
    expect(en).not.toMatch(/may not fully answer/);
    const review = firstLine('How many generations of backups are retained?', row, 0.5);
    expect(review).toMatch(/^\[Needs review\] The cited evidence states no number of backup generations/);
    // Not stated: reviewed, whatever the judgement's confidence (the figure is what was asked).
    expect(firstLine('バックアップは何世代保持していますか？', row)).toMatch(/^【要確認】根拠にはバックアップの世代数の記載がありません。/);
  });

  it('give how many times a year a row states over its cadence word', () => {
    expect(firstLine('How many times a year are access rights reviewed?', 'アクセス権は毎年2回見直しております。')).toMatch(/^Twice a year\b/);
  });
});
