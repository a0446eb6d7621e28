/**
 * What kotae does with the quirks of customers' own questionnaires that a new-user trial
 * ran into: hidden columns, remarks the customer already wrote, one absurdly long question,
 * "Select..." placeholders, Y/N headers without a list, merged comment cells and approved
 * texts longer than a cell. Each workbook is built here with ExcelJS, in our own wording.
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { Draft, Status } from '../../src/domain.js';
import { InputError } from '../../src/errors.js';
import { answerQuestionnaireFile } from '../../src/questionnaire/answer-file.js';
import type { AnswerFn, RowDecision } from '../../src/questionnaire/job.js';
import { loadSpreadsheet } from '../../src/spreadsheet/registry.js';
import { detectLayout } from '../../src/spreadsheet/layout.js';
import { DEFAULT_LIMITS } from '../../src/spreadsheet/safety.js';
import { isAnswered } from '../../src/spreadsheet/status.js';
import { fakeDraft } from '../support/fake-answerer.js';
import { loadWorkbook, sheetOf, tempDir, testConfig, valueText, withFakeCore } from './helpers.js';

async function xlsx(build: (wb: ExcelJS.Workbook) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  build(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Every question drafted with this status and text; the questions asked are recorded. */
function answering(status: Status, extra: Partial<Draft> = {}): AnswerFn & { asked: string[] } {
  const asked: string[] = [];
  const fn = async (question: string, product: string): Promise<Draft> => {
    asked.push(question);
    return { ...fakeDraft(question, product, { abstainEvery: 0 }), status, needsHuman: false, reason: '', ...extra };
  };
  return Object.assign(fn, { asked });
}

async function fill(bytes: Buffer, answer: AnswerFn, opts: { answerCol?: string; decision?: RowDecision } = {}) {
  const result = await answerQuestionnaireFile(
    { bytes, fileName: 'customer.xlsx' },
    {
      product: 'krew',
      answer,
      concurrency: 2,
      limits: DEFAULT_LIMITS,
      ...(opts.answerCol ? { overrides: { answerCol: opts.answerCol } } : {}),
      ...(opts.decision ? { lookupDecision: () => opts.decision ?? null } : {}),
    },
  );
  const wb = await loadWorkbook(result.bytes);
  const cell = (sheet: string, ref: string): string => valueText(wb.getWorksheet(sheet)?.getCell(ref).value ?? null);
  return { result, cell };
}

// A supplier review whose old response column is hidden, left of the live Yes/No/N/A dropdown.
const withHiddenColumn = (width0 = false) =>
  xlsx((wb) => {
    const ws = wb.addWorksheet('Review');
    ws.getRow(1).values = ['Ref', 'Question', 'Previous Answer (retired)', 'Response', 'Explanation'];
    // ExcelJS drops a numeric width of 0; given as text it writes width="0", as Excel does for a column dragged shut.
    if (width0) ws.getColumn(3).width = '0' as unknown as number;
    else ws.getColumn(3).hidden = true;
    const qs = ['Are laptops encrypted with full-disk encryption?', 'Is there a documented change management process?', 'Are vendor accounts reviewed each quarter?'];
    qs.forEach((q, i) => {
      ws.getRow(i + 2).values = [`R-${i + 1}`, q];
      ws.getCell(`D${i + 2}`).dataValidation = { type: 'list', allowBlank: true, formulae: ['"Yes,No,N/A"'] };
    });
  });

describe('hidden columns', () => {
  it('are never chosen for the answer, status or comment: the draft goes where the customer can see it', async () => {
    for (const width0 of [false, true]) {
      const bytes = await withHiddenColumn(width0);
      const { grid } = await loadSpreadsheet(bytes, 'customer.xlsx', DEFAULT_LIMITS);
      const guess = detectLayout(grid).sheets[0];
      expect(guess?.layout).toMatchObject({ answerCol: null, statusCol: 4, commentCol: 5 });
      expect(guess?.notes.join('\n')).toMatch(/column C "Previous Answer \(retired\)" is hidden/);

      const { cell } = await fill(bytes, answering('yes'));
      expect(cell('Review', 'C2')).toBe('');
      expect(cell('Review', 'D2')).toBe('Yes');
      expect(cell('Review', 'E2')).toMatch(/^\(test answer\) Covered: Are laptops/);
    }
  });

  it('a hidden column the user names with --answer-col is used, with a warning', async () => {
    const { result, cell } = await fill(await withHiddenColumn(), answering('yes'), { answerCol: 'C' });
    expect(cell('Review', 'C2')).toMatch(/^\(test answer\)/);
    expect(result.layout.sheets[0]?.notes.join('\n')).toMatch(/--answer-col C .*is hidden.*the customer will not see/);
  });
});

describe('a status mark where the text has no place', () => {
  // 対応状況 (list) and 備考 only, and the customer already wrote a remark in 備考 of row 3.
  const checklist = () =>
    xlsx((wb) => {
      const ws = wb.addWorksheet('点検表');
      ws.getRow(1).values = ['No.', '確認事項', '対応状況', '備考'];
      ['委託先の監査を年1回実施していますか。', '退職者のアカウントを当日中に削除していますか。', '検証環境に本番データを複製していませんか。'].forEach((q, i) => {
        ws.getRow(i + 2).values = [String(i + 1), q];
        ws.getCell(`C${i + 2}`).dataValidation = { type: 'list', allowBlank: true, formulae: ['"○,×,－"'] };
      });
      ws.getCell('D3').value = '当社メモ:前回監査で確認済み';
    });

  it('a row that needs review gets no bare mark when its text cannot be written; the summary lists it', async () => {
    const { result, cell } = await fill(await checklist(), answering('yes', { needsHuman: true, reason: '根拠が弱い' }));
    expect(cell('点検表', 'D3')).toBe('当社メモ:前回監査で確認済み');
    expect(cell('点検表', 'C3')).toBe('');
    const row = result.rows.find((r) => r.row === 3);
    expect(row).toMatchObject({ needsReview: true, writes: [], status: null });
    expect(row?.reason).toMatch(/備考欄に既存の記載があるため/);
    expect(result.notes.join("\n")).toMatch(/点検表!B3/); // the question cell, as the review queue names the row
    // Rows with room for their text are marked and explained as before.
    expect(cell('点検表', 'C2')).toBe('○');
    expect(cell('点検表', 'D2')).toMatch(/要確認: 根拠が弱い/);
  });

  it('a row that needs no review keeps its mark, and its draft is listed in the kotae sheet of the internal file', async () => {
    const result = await answerQuestionnaireFile(
      { bytes: await checklist(), fileName: 'customer.xlsx' },
      { product: 'krew', answer: answering('yes'), concurrency: 1, limits: DEFAULT_LIMITS, draftSheet: true },
    );
    const wb = await loadWorkbook(result.bytes);
    expect(valueText(wb.getWorksheet('点検表')?.getCell('C3').value ?? null)).toBe('○');
    const listed = wb.getWorksheet('kotae');
    expect(valueText(listed?.getCell('B2').value ?? null)).toBe('3');
    expect(valueText(listed?.getCell('F2').value ?? null)).toMatch(/^（テスト回答）/);
  });
});

describe('a question too long to answer', () => {
  it('is declined with a reason; the other rows are filled and the run does not fail', async () => {
    const long = `Describe your incident handling. ${'Include escalation contacts, timelines, tooling and the lessons-learned process. '.repeat(80)}`;
    expect(long.length).toBeGreaterThan(4000);
    const bytes = await xlsx((wb) => {
      const ws = wb.addWorksheet('Q');
      ws.getRow(1).values = ['Question', 'Answer', 'Comments'];
      ws.getRow(2).values = ['Do you rotate API keys?'];
      ws.getRow(3).values = [long];
      ws.getRow(4).values = ['Do you run a bug bounty?'];
    });
    // Like the real ask: a question over its limit is an input error.
    const asked: string[] = [];
    const answer: AnswerFn = async (q, p) => {
      asked.push(q);
      if (q.length > 4000) throw new InputError(`the question is ${q.length} characters long (limit 4000)`);
      return { ...fakeDraft(q, p, { abstainEvery: 0 }), status: 'yes', needsHuman: false, reason: '' };
    };
    const dir = tempDir();
    const run = await withFakeCore(testConfig(dir), answer, (core) => core.answerQuestionnaire({ name: 'long.xlsx', bytes }, { askedBy: null, product: 'krew' }));
    expect(asked).toHaveLength(2);
    expect(run.summary).toMatchObject({ questions: 3, answered: 2, failed: 0, abstained: 1, tooLong: 1 });
    const row = run.rows.find((r) => r.row === 3);
    expect(row).toMatchObject({ outcome: 'abstained', needsReview: true });
    expect(row?.reason).toMatch(/question too long to answer automatically/);
    expect(run.notes.join('\n')).toMatch(/1 question\(s\) too long to answer automatically/);
    // What to do, since running again would decline it again.
    expect(run.notes.join('\n')).toMatch(/no run will draft them: write their answers into the file by hand \(a filled cell is kept\)/);
    const wb = await loadWorkbook(run.bytes);
    expect(valueText(wb.getWorksheet('Q')?.getCell('C3').value ?? null)).toMatch(/Needs review: question too long to answer automatically/);
    expect(valueText(wb.getWorksheet('Q')?.getCell('B4').value ?? null)).toMatch(/^\(test answer\)/);
  });
});

describe('the language of the labels written into a sheet', () => {
  it('an English sheet gets English labels on every row, even when one pasted question carries Japanese characters', async () => {
    // Pasted from a vendor portal: bullets as ・ and the vendor's name in Japanese, in an English question.
    const pasted = `Describe your incident handling for 株式会社クモリ. ${'・ Include escalation contacts, timelines, tooling and the lessons-learned process. '.repeat(60)}`;
    expect(pasted.length).toBeGreaterThan(4000);
    const bytes = await xlsx((wb) => {
      const ws = wb.addWorksheet('Q');
      ws.getRow(1).values = ['Question', 'Answer', 'Comments'];
      ws.getRow(2).values = ['Do you rotate API keys?'];
      ws.getRow(3).values = [pasted];
    });
    const answer: AnswerFn = async (q, p) => {
      if (q.length > 4000) throw new InputError(`the question is ${q.length} characters long (limit 4000)`);
      return { ...fakeDraft(q, p, { abstainEvery: 0 }), status: 'yes', needsHuman: true, reason: 'check the cited passages' };
    };
    const run = await withFakeCore(testConfig(tempDir()), answer, (core) => core.answerQuestionnaire({ name: 'pasted.xlsx', bytes }, { askedBy: null, product: 'krew' }));
    const ws = (await loadWorkbook(run.bytes)).getWorksheet('Q');
    const comments = [2, 3].map((r) => valueText(ws?.getCell(`C${r}`).value ?? null)).join('\n');
    expect(comments).toMatch(/Needs review: question too long to answer automatically/);
    expect(comments).toMatch(/Draft, pending review/);
    expect(comments).not.toMatch(/要確認|下書き|根拠/);
  });

  it('a Japanese sheet with English headers and a few English terms in its questions keeps Japanese labels', () => {
    const sheet = sheetOf('Q', [['No.', 'Question', 'Answer'], ['1', 'AWS S3のバケットポリシーでアクセス制御していますか'], ['2', 'SSO(SAML 2.0)に対応していますか']]);
    expect(detectLayout({ sheets: [sheet] }).sheets[0]?.layout?.language).toBe('ja');
  });
});

describe('dropdown placeholders', () => {
  it('"Select...", "Please select", "-- Select --" and their Japanese kin count as empty', () => {
    for (const t of ['Select...', 'Please select', '-- Select --', 'Please select…', '<Select>', 'Choose an option', 'Select one', '選択してください', '選択して下さい', '-- 選択 --', 'プルダウンから選択してください']) {
      expect(isAnswered(t), t).toBe(false);
    }
    for (const t of ['Selected vendors only', 'Yes', 'No, we do not select suppliers by price']) expect(isAnswered(t), t).toBe(true);
  });

  it('a row whose dropdown shows "Select..." is answered', async () => {
    const bytes = await xlsx((wb) => {
      const ws = wb.addWorksheet('S');
      ws.getRow(1).values = ['Question', 'Response', 'Explanation'];
      ws.getRow(2).values = ['Do you keep an asset inventory?', 'Select...'];
      ws.getRow(3).values = ['Do you segregate networks?', '-- Select --'];
      for (const r of [2, 3]) ws.getCell(`B${r}`).dataValidation = { type: 'list', allowBlank: true, formulae: ['"Select...,-- Select --,Yes,No"'] };
    });
    const { result, cell } = await fill(bytes, answering('no'));
    expect(result.summary.kept).toBe(0);
    expect(cell('S', 'B2')).toBe('No');
    expect(cell('S', 'B3')).toBe('No');
  });
});

describe('a status column named by its vocabulary, without a list', () => {
  const yn = (header: string) =>
    xlsx((wb) => {
      const ws = wb.addWorksheet('S');
      ws.getRow(1).values = ['Question', header, 'Comments'];
      ws.getRow(2).values = ['Do you scan containers for vulnerabilities?'];
    });

  it('writes the header\u2019s own words: Y/N gets Y or N, はい/いいえ gets はい', async () => {
    expect((await fill(await yn('Y/N'), answering('yes'))).cell('S', 'B2')).toBe('Y');
    expect((await fill(await yn('Y/N'), answering('no'))).cell('S', 'B2')).toBe('N');
    expect((await fill(await yn('Compliant (Yes/No)'), answering('no'))).cell('S', 'B2')).toBe('No');
    expect((await fill(await yn('はい/いいえ'), answering('yes'))).cell('S', 'B2')).toBe('はい');
    expect((await fill(await yn('対応状況（○/×）'), answering('no'))).cell('S', 'B2')).toBe('×');
  });

  it('writes the header’s own characters, full-width ones too: 「回答（○／×／－）」 gets －, not "-"', async () => {
    expect((await fill(await yn('回答（○／×／－）'), answering('not_applicable'))).cell('S', 'B2')).toBe('－');
    expect((await fill(await yn('対応状況（はい／いいえ）'), answering('yes'))).cell('S', 'B2')).toBe('はい');
  });

  it('is found by its bracketed choices where its name is no column word (「実施（はい/いいえ）」, "In place? (Yes/No)")', async () => {
    expect((await fill(await yn('実施（はい/いいえ）'), answering('yes'))).cell('S', 'B2')).toBe('はい');
    const { cell } = await fill(await yn('In place? (Yes/No)'), answering('no'));
    expect(cell('S', 'B2')).toBe('No');
    expect(cell('S', 'C2')).toMatch(/^\(test answer\)/);
  });

  it('"partial" is not one of Y/N: no value is written and the row is left for review with a note', async () => {
    const { result, cell } = await fill(await yn('Y/N'), answering('partial'));
    expect(cell('S', 'B2')).toBe('');
    expect(cell('S', 'C2')).toMatch(/Needs review: no choice for "partial" in this column's header \(Y\/N\)/);
    expect(result.rows[0]).toMatchObject({ needsReview: true, status: null });
  });
});

describe('merged cells', () => {
  it('the note names the comment cell when that is the merged one', async () => {
    const bytes = await xlsx((wb) => {
      const ws = wb.addWorksheet('S');
      ws.getRow(1).values = ['Question', 'Response', 'Answer', 'Comments'];
      ws.getRow(2).values = ['Do you hold ISO 27001?'];
      ws.getCell('B2').dataValidation = { type: 'list', allowBlank: true, formulae: ['"Yes,No"'] };
      ws.mergeCells('C2:D2');
    });
    const { result } = await fill(bytes, answering('yes'));
    expect(result.rows[0]?.reason).toMatch(/this row's comment cell is part of a merged cell/);
    expect(result.rows[0]?.reason).not.toMatch(/answer cell/);
  });
});

describe('an approved text longer than a cell', () => {
  it('is cut at Excel\u2019s 32,767-character limit, and the run says so', async () => {
    const bytes = await xlsx((wb) => {
      const ws = wb.addWorksheet('S');
      ws.getRow(1).values = ['Question', 'Answer', 'Comments'];
      ws.getRow(2).values = ['Describe your data retention schedule.'];
    });
    const text = 'Retention detail. '.repeat(2000);
    const decision: RowDecision = { kind: 'approved', approved: { text, status: 'yes', state: 'approved', reviewId: 7, citations: [] } };
    const { result, cell } = await fill(bytes, answering('yes'), { decision });
    expect(cell('S', 'B2')).toHaveLength(32_767);
    expect(result.notes.join('\n')).toMatch(/S!B2: .*36,000 characters.*cut to Excel's limit of 32,767/);
  });
});
