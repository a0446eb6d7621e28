/**
 * The sources a filled row names are in rank order, at most five, whatever order the answer's
 * text takes: a multi-part English answer answers ask by ask (its first ask's row may rank
 * third) but its citation list, and the quotations under the text, start from the best row.
 * A reader of the Comments cell (and the questionnaire scorer, src/eval/questionnaire.ts,
 * which takes the sources in the order the cell names them) reads the first as the best.
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { Hit, Retrieval } from '../../src/domain.js';
import { extractiveDraft } from '../../src/draft/extractive.js';
import { citedRows } from '../../src/eval/questionnaire.js';
import { answerQuestionnaireFile } from '../../src/questionnaire/answer-file.js';
import type { AnswerFn } from '../../src/questionnaire/job.js';
import { sourceLabel } from '../../src/source-label.js';
import { DEFAULT_LIMITS } from '../../src/spreadsheet/safety.js';
import { loadWorkbook, valueText } from './helpers.js';

const TITLE = 'オルカ セキュリティチェックシート';

function row(ref: string, answer: string, score: number): Hit {
  const id = `orca#${ref}`;
  return { score, passage: { id, product: 'orca', kind: 'control', source: 'orca.txt', title: TITLE, locator: id, line: 1, page: null, sectionPath: [], ref, requirement: '', answer, status: 'yes' } };
}

// Ranked by the judgement: the best row answers the second ask; the first ask's row ranks third.
const hits = [
  row('4-2', '障害発生時は、ステータスページで利用者に通知します。', 0.41),
  row('4-7', '障害の原因と再発防止策は報告書にまとめます。', 0.22),
  row('4-1', '計画メンテナンスは、実施の10日前までにメールで告知します。', 0.14),
  row('4-9', 'サポート窓口は平日9時から18時まで受け付けます。', 0.09),
  row('6-3', '稼働状況は監視システムで常時確認しています。', 0.07),
  row('6-8', '重大な障害は経営層に報告します。', 0.05),
];
const QUESTION = 'How do you tell customers about planned maintenance, and how are they told about outages?';
const retrieval: Retrieval = {
  question: QUESTION,
  product: 'orca',
  lang: 'en',
  hits,
  confidence: 0.8,
  abstained: false,
  needsReview: true,
  reason: '',
  corpusVersion: 1,
  asks: [
    { text: 'How do you tell customers about planned maintenance', rows: ['orca#4-1'] },
    { text: 'how are they told about outages', rows: ['orca#4-2'] },
  ],
};

async function filledComment(): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Vendor Review');
  ws.addRow(['#', 'Question', 'Response', 'Comments']);
  ws.addRow([1, QUESTION, '', '']);
  // Response takes a status from a list: the answer's text, its quotations and sources all go to Comments.
  ws.getCell('C2').dataValidation = { type: 'list', allowBlank: true, formulae: ['"Yes,No,N/A"'] };
  const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
  const answer: AnswerFn = async () => extractiveDraft(retrieval);
  const result = await answerQuestionnaireFile({ bytes, fileName: 'vendor-review.xlsx' }, { product: 'orca', answer, concurrency: 1, limits: DEFAULT_LIMITS });
  const filled = await loadWorkbook(result.bytes);
  return valueText(filled.getWorksheet('Vendor Review')?.getCell('D2').value ?? null);
}

describe('the sources of a multi-part answer in the filled file', () => {
  it('are listed in rank order, at most five, while the text answers ask by ask', async () => {
    const comment = await filledComment();
    // The text keeps the question's order: the maintenance ask first, from item 4-1.
    expect(comment).toMatch(/^\[Needs review\] On “How do you tell customers about planned maintenance”: [^\n]*item 4-1\b/);
    expect(comment).toMatch(/\nOn “how are they told about outages”: [^\n]*item 4-2\b/);
    const sources = /^Sources: (.*)$/m.exec(comment)?.[1]?.split('; ');
    expect(sources).toEqual(['4-2', '4-7', '4-1', '4-9', '6-3'].map((ref) => `${TITLE} ${ref}`));
  });

  it('name the best row first wherever the cell names a source, the quotations under the text included', async () => {
    const comment = await filledComment();
    expect(comment.indexOf(`Japanese original (${TITLE} 4-2)`)).toBeLessThan(comment.indexOf(`Japanese original (${TITLE} 4-1)`));
    // Read as the scorer reads the cell: each source once, in the order first named.
    const labelled = hits.map((h) => ({ label: sourceLabel(h.passage), row: { file: 'orca.txt', text: h.passage.ref } }));
    expect(citedRows(comment, labelled).map((r) => r.text)).toEqual(['4-2', '4-1', '4-7', '4-9', '6-3']);
  });
});
