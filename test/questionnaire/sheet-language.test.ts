/**
 * The words kotae writes into a customer's sheet are in one language per row: a Japanese row
 * reads 要確認 / 根拠 / 下書き throughout, a reused approval included, and an English question
 * pasted into a Japanese sheet reads Needs review / Sources, as its draft and reasons do. A
 * merged comment cell is said to be merged, not to "already have text". Sheets built here.
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { citationFromHit } from '../../src/draft/citations.js';
import type { Draft } from '../../src/domain.js';
import { answerQuestionnaireFile } from '../../src/questionnaire/answer-file.js';
import { DEFAULT_LIMITS } from '../../src/spreadsheet/safety.js';
import { approvedPassage } from '../../src/store/library.js';
import { fakeDraft } from '../support/fake-answerer.js';
import { loadWorkbook, valueText } from './helpers.js';

// An approval in the answer library, cited when a later question reuses it.
const reused = citationFromHit({
  passage: approvedPassage({
    reviewId: '41',
    product: 'krew',
    question: '監査ログを保管していますか',
    answer: 'はい、1年間保管しています。',
    status: 'yes',
    state: 'approved',
    approver: 'U_SEC',
    approvedAt: '2026-11-30T09:00:00.000Z',
    citations: [],
  }),
  score: 0.9,
});

async function fill(build: (ws: ExcelJS.Worksheet) => void, reason: (q: string) => string) {
  const wb = new ExcelJS.Workbook();
  build(wb.addWorksheet('確認'));
  const bytes = Buffer.from(await wb.xlsx.writeBuffer());
  const answer = async (question: string, product: string): Promise<Draft> => ({
    ...fakeDraft(question, product, { abstainEvery: 0 }),
    status: 'yes',
    needsHuman: true,
    reason: reason(question),
    citations: [reused],
  });
  const result = await answerQuestionnaireFile({ bytes, fileName: 'customer.xlsx' }, { product: 'krew', answer, concurrency: 1, limits: DEFAULT_LIMITS });
  const out = await loadWorkbook(result.bytes);
  return (ref: string): string => valueText(out.getWorksheet('確認')?.getCell(ref).value ?? null);
}

describe('the labels of a row', () => {
  it('a Japanese row: 下書き, 根拠 and 要確認 in Japanese, the reused approval named in Japanese too; an English row: in English', async () => {
    const cell = await fill(
      (ws) => {
        ws.getRow(1).values = ['No.', '確認事項', '回答', '備考'];
        ws.getRow(2).values = [1, '監査ログを1年以上保管していますか'];
        ws.getRow(3).values = [2, '操作ログを保管していますか'];
        ws.getRow(4).values = [3, 'Do you keep audit logs for a year?'];
      },
      (q) => (/[ぁ-ん]/u.test(q) ? '引用した記載が質問に答えているか確かではありません' : 'the cited passages may not answer the question'),
    );
    const ja = cell('D2');
    expect(ja).toMatch(/^下書き\(未承認\)\n根拠: 承認済みの回答「監査ログを保管していますか」\(U_SECが2026-11-30に承認、レビュー#41\)\n要確認: 引用した記載/);
    expect(ja).not.toMatch(/approved answer to|approved by|Needs review|Sources/);
    const en = cell('D4');
    expect(en).toMatch(/^Draft, pending review\nSources: approved answer to «監査ログを保管していますか» \(approved by U_SEC on 2026-11-30, review #41\)\n/);
    expect(en).toMatch(/\nNeeds review: the cited passages may not answer the question$/);
    expect(en).not.toMatch(/要確認|根拠|下書き/);
  });
});

describe('a merged comment cell', () => {
  it('is said to be merged; the notes go under the answer without claiming the cell has text', async () => {
    const cell = await fill(
      (ws) => {
        ws.getRow(1).values = ['No', 'Question', 'Answer', 'Comments', 'Extra'];
        ws.getRow(2).values = [1, 'Do you keep audit logs for a year?'];
        ws.mergeCells('C2:D2');
      },
      () => 'the cited passages may not answer the question',
    );
    // The merge starts at the answer cell: only C2 can be written, so the notes go there.
    expect(cell('C2')).toMatch(/^\(test answer\)/);
    expect(cell('C2')).toMatch(/part of a merged cell that starts elsewhere/);
    expect(cell('C2')).not.toMatch(/already has text/);
  });
});
