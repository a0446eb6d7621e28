/**
 * A sheet's unnumbered lines (its preamble, one line per certificate held) share the sheet's title:
 * a filled row names each by its opening words, and the questionnaire scorer
 * (src/eval/questionnaire.ts) must read the one the row names, not the first that bears the title.
 * Labelled from the stored passage, every such line was the bare title and a row citing the
 * second certificate was scored as citing the first.
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { Hit, Passage, Retrieval } from '../../src/domain.js';
import { extractiveDraft } from '../../src/draft/extractive.js';
import { citedRows, passageLabel } from '../../src/eval/questionnaire.js';
import { answerQuestionnaireFile } from '../../src/questionnaire/answer-file.js';
import type { AnswerFn } from '../../src/questionnaire/job.js';
import { DEFAULT_LIMITS } from '../../src/spreadsheet/safety.js';
import { loadWorkbook, valueText } from './helpers.js';

const TITLE = 'ペンギン便 セキュリティシート';

function unnumbered(line: number, answer: string): Passage {
  return { id: `penguin#L${line}`, product: 'penguin', kind: 'control', source: 'penguin.txt', title: TITLE, locator: `L${line}`, line, page: null, sectionPath: [], ref: '', requirement: '', answer, status: 'yes' };
}

const preamble = unnumbered(2, '本シートは2026年4月時点の情報です。');
const privacyMark = unnumbered(5, 'プライバシーマーク登録番号 12345678(05)');
const isms = unnumbered(6, 'ISMS認証登録番号 ABC-00042、適用規格 ISO/IEC 27001:2022');
const QUESTION = 'Do you hold an ISO/IEC 27001 certification? Please give the certificate number.';

async function filledComment(cited: Passage): Promise<string> {
  const hits: Hit[] = [{ passage: cited, score: 0.9 }];
  const retrieval: Retrieval = { question: QUESTION, product: 'penguin', lang: 'en', hits, confidence: 0.9, abstained: false, needsReview: true, reason: '', corpusVersion: 1 };
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Vendor Review');
  ws.addRow(['#', 'Question', 'Response', 'Comments']);
  ws.addRow([1, QUESTION, '', '']);
  const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
  const answer: AnswerFn = async () => extractiveDraft(retrieval);
  const result = await answerQuestionnaireFile({ bytes, fileName: 'vendor-review.xlsx' }, { product: 'penguin', answer, concurrency: 1, limits: DEFAULT_LIMITS });
  const filled = await loadWorkbook(result.bytes);
  return valueText(filled.getWorksheet('Vendor Review')?.getCell('D2').value ?? null);
}

describe('a filled row citing one of a sheet’s unnumbered lines', () => {
  const labelled = [preamble, privacyMark, isms].map((p) => ({ label: passageLabel(p), row: { file: p.source, text: p.answer } }));

  it('is scored as citing that line, whichever of the title’s lines comes first', async () => {
    expect(citedRows(await filledComment(isms), labelled).map((r) => r.text)).toEqual([isms.answer]);
    expect(citedRows(await filledComment(privacyMark), labelled).map((r) => r.text)).toEqual([privacyMark.answer]);
  });

  it('gives each unnumbered line a label of its own', () => {
    expect(new Set(labelled.map((l) => l.label)).size).toBe(3);
  });
});
