/**
 * An approval of the same question written in the other language (trial s11, finding 9): after
 * an English approval, a Japanese sheet's row got the English text, flagged 英語のまま, where the
 * documents held a good Japanese answer. The question's language outranks the approval's
 * wording: the answer is drafted in the question's language from the rows the approval quotes,
 * with the approver's status, cites the approval, and waits for review (nobody approved that text).
 */
import { describe, expect, it } from 'vitest';
import type { Hit, Passage, Retrieval } from '../../src/domain.js';
import { extractiveDraft } from '../../src/draft/extractive.js';

const BACKUP_ROW = 'お客様の設定情報は、日次でバックアップを取得しています。バックアップは7世代分保管されます。';
const DELETION_ROW = '契約終了から30日後に設定情報を消去します。';

function row(ref: string, answer: string, requirement: string): Hit {
  return {
    score: 0,
    passage: { id: `acme/acme.txt#${ref}`, product: 'acme', kind: 'control', source: 'acme.txt', title: 'Acme チェックシート', locator: `L${ref}`, line: 1, page: null, sectionPath: [], ref, requirement, answer, status: 'yes' },
  };
}

/** Approval #12: kotae's English draft from the backup row, approved as it stood, with `status`. */
function approval(status: Passage['status']): Hit {
  return {
    score: 0.95,
    status,
    passage: {
      id: 'review#12',
      product: 'acme',
      kind: 'approved',
      source: 'review',
      title: 'approved answer to «Is customer data backed up daily?» (approved by UREV, on 2026-12-01)',
      locator: 'review #12',
      line: 0,
      page: null,
      sectionPath: [],
      ref: '12',
      requirement: 'Is customer data backed up daily?',
      answer: `Yes. Covered by item 6-8 of our published acme security checksheet.\n\nJapanese original (Acme チェックシート 6-8):\n> ${BACKUP_ROW}`,
      status,
      approval: { question: 'Is customer data backed up daily?', approvedBy: 'UREV', approvedAt: '2026-12-01T00:00:00.000Z', restsOn: ['acme/acme.txt#6-8', 'acme/acme.txt#6-30'] },
    },
  };
}

function reusing(question: string, lang: 'ja' | 'en', approved: Hit, rows: Hit[]): Retrieval {
  return { question, product: 'acme', lang, hits: [approved, ...rows], confidence: 0.95, abstained: false, needsReview: false, reason: 'reuses approval #12 of the same question', corpusVersion: 3 };
}

describe('an approval of the same question in the other language', () => {
  const rows = [row('6-8', BACKUP_ROW, 'バックアップを取得すること。'), row('6-30', DELETION_ROW, '契約終了時のデータ消去。')];

  it('gives the Japanese sheet a Japanese answer from the row the approval quotes, with the approved status, flagged for review', () => {
    const d = extractiveDraft(reusing('利用者のデータは毎日バックアップされていますか。', 'ja', approval('yes'), rows));
    expect(d.draft).toBe(`【要確認】はい。${BACKUP_ROW}`);
    expect(d.draft).not.toMatch(/Covered by|承認済みの回答\(英語\)/);
    expect(d.status).toBe('yes');
    expect(d.needsHuman).toBe(true);
    expect(d.reason).toBe('同じ質問への承認済み回答 #12 は英語のため、それが根拠とした記載から日本語で下書きしました(状況は承認どおり)。担当者の確認が必要です');
    // It rests on the row drafted from and names the approval; the row only cited beside it is not a source.
    expect(d.citations.map((c) => c.ref)).toEqual(['6-8', '12']);
  });

  it('keeps the status the approver gave, not the row mark', () => {
    const d = extractiveDraft(reusing('利用者のデータは毎日バックアップされていますか。', 'ja', approval('partial'), rows));
    expect(d.status).toBe('partial');
    expect(d.draft.startsWith('【要確認】一部')).toBe(true);
  });

  it('offers an approval resting on no row as it stands, flagged: there is nothing to draft from', () => {
    const d = extractiveDraft(reusing('利用者のデータは毎日バックアップされていますか。', 'ja', approval('yes'), []));
    expect(d.draft.startsWith('【要確認】承認済みの回答(英語):')).toBe(true);
    expect(d.needsHuman).toBe(true);
  });
});
