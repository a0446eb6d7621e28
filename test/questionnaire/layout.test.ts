import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { classifyHeader, detectLayout, isNumbering } from '../../src/spreadsheet/layout.js';
import { DEFAULT_LIMITS } from '../../src/spreadsheet/safety.js';
import { loadSpreadsheet } from '../../src/spreadsheet/registry.js';
import { fixture, sheetOf } from './helpers.js';

describe('header vocabulary', () => {
  it.each([
    ['確認事項', 'question'],
    ['規定内容', 'question'],
    ['Control', 'question'],
    ['Consensus Assessment Question', 'question'],
    ['回答', 'answer'],
    ['Vendor Response', 'answer'],
    ['実施状況', 'status'],
    ['備考', 'comment'],
    ['Additional Information', 'comment'],
    ['回答補足', 'comment'],
    ['No.', 'ref'],
    ['項番', 'ref'],
    ['Question ID', 'ref'],
    ['大項目', 'category'],
  ])('%s is a %s header', (text, role) => {
    expect(classifyHeader(text)?.role).toBe(role);
  });

  it('reads status marks named in brackets as a hint', () => {
    expect(classifyHeader('回答（○/×）')).toMatchObject({ role: 'answer', statusHint: true });
    expect(classifyHeader('Notes')?.role).toBe('comment'); // "no" inside "notes" is not a number column
  });

  it('tells numbering from text', () => {
    for (const n of ['12', '3-2-1', 'A.1', 'IAM-01', '(4)', '１２']) expect(isNumbering(n)).toBe(true);
    for (const t of ['Access Control', '1. 組織', 'MFAを使っていますか']) expect(isNumbering(t)).toBe(false);
  });
});

describe('detectLayout on the grid model', () => {
  it('finds header, columns, headings, statements; skips blank and numbering-only rows', () => {
    const sheet = sheetOf('Controls', [
      ['Vendor assessment'],
      [],
      ['Ref', 'Control', 'Response', 'Comments'],
      ['Identity'],
      ['1', 'The vendor enforces MFA for administrators.', '', ''],
      ['2', 'Are passwords hashed with a slow hash?', '', ''],
      ['3'],
      [],
      ['', 'Logging', '', ''],
      ['4', 'Audit logs are kept for one year.', '', ''],
    ]);
    sheet.merges = [{ top: 1, left: 1, bottom: 1, right: 4 }];
    const { sheets, unsure } = detectLayout({ sheets: [sheet] });
    const g = sheets[0];
    expect(g?.skipped).toBeNull();
    expect(g?.layout).toMatchObject({ headerRow: 3, questionCol: 2, answerCol: 3, commentCol: 4, refCol: 1, statusCol: null, language: 'en' });
    expect(g?.rows.map((r) => [r.row, r.ref, r.section])).toEqual([
      [5, '1', 'Identity'],
      [6, '2', 'Identity'],
      [10, '4', 'Logging'], // unnumbered short text in the question column = heading
    ]);
    expect(unsure).toBe(false);
  });

  it('treats a list-validated answer column as the status column', () => {
    const sheet = sheetOf('質問票', [
      ['No.', '区分', '質問', '回答', '備考'],
      ['1. 組織'],
      ['1', '組織', '責任者を任命していますか。', '', ''],
      ['2', '組織', '規程を整備していること。', '', ''],
    ]);
    sheet.merges = [{ top: 2, left: 1, bottom: 2, right: 5 }];
    sheet.validations = [{ ranges: [{ top: 3, left: 4, bottom: 4, right: 4 }], values: ['はい', 'いいえ', '一部対応', '該当なし'], source: '"..."' }];
    const g = detectLayout({ sheets: [sheet] }).sheets[0];
    expect(g?.layout).toMatchObject({ questionCol: 3, statusCol: 4, answerCol: null, commentCol: 5, categoryCol: 2, language: 'ja' });
    expect(g?.rows.map((r) => r.section)).toEqual(['1. 組織', '1. 組織']);
    expect(g?.notes.join(' ')).toContain('はい / いいえ / 一部対応 / 該当なし');
  });

  it('skips instruction and hidden sheets, processes several question sheets', () => {
    const instructions = sheetOf('記入要領', [['質問', '回答'], ['記入方法', 'リストから選択']]);
    const a = sheetOf('A', [['質問', '回答'], ['Q1ですか', '']]);
    const b = sheetOf('B', [['Question', 'Answer'], ['Is it?', '']]);
    const hidden = sheetOf('Choices', [['Question', 'Answer'], ['x', '']], { hidden: true });
    const { sheets } = detectLayout({ sheets: [instructions, a, hidden, b] });
    expect(sheets.map((s) => [s.sheet, s.skipped === null])).toEqual([
      ['記入要領', false],
      ['A', true],
      ['Choices', false],
      ['B', true],
    ]);
  });

  it('a sheet name is a hint: a question/answer table is read whatever its sheet is called', () => {
    const table = (name: string): ReturnType<typeof sheetOf> =>
      sheetOf(name, [['No.', 'Question', 'Answer'], ['1', 'Is stored data encrypted?', ''], ['2', 'Are backups tested?', '']]);
    const named = ['General', 'Disaster Recovery', 'Data Discovery', 'Incident History', 'List', 'Cover Letter Review', '運用手順', '説明責任'];
    const { sheets } = detectLayout({ sheets: named.map(table) });
    expect(sheets.map((s) => [s.sheet, s.skipped, s.rows.length])).toEqual(named.map((n) => [n, null, 2]));
  });

  it('skips explanation, revision and example sheets by their name, and says so', () => {
    const { sheets } = detectLayout({
      sheets: [
        sheetOf('Cover', [['Security questionnaire for vendors'], ['Please answer every question.']]),
        sheetOf('Revision History', [['No.', 'Date', 'Description'], ['1', '2024-01-01', 'First version'], ['2', '2024-06-01', 'Added section 3']]),
        sheetOf('1.記入方法', [['項目', '説明'], ['回答', 'リストから選択してください'], ['備考', '補足があれば記入してください']]),
        sheetOf('表紙', [['セキュリティチェックシート'], ['御社名']]),
        sheetOf('記入例', [['質問', '回答'], ['データを暗号化していますか', 'はい'], ['ログを保管していますか', '']]),
        sheetOf('Questions', [['Question', 'Answer'], ['Is stored data encrypted?', ''], ['Are backups tested?', '']]),
      ],
    });
    const why = new Map(sheets.map((s) => [s.sheet, s.skipped]));
    for (const name of ['Cover', 'Revision History', '1.記入方法', '表紙']) expect(why.get(name)).toMatch(/^instruction or reference sheet/);
    expect(why.get('記入例')).toMatch(/example/);
    expect(why.get('Questions')).toBeNull();
  });

  it('reports an unsure guess and accepts overrides', () => {
    // No answer header: the empty column right of the questions is a guess.
    const sheet = sheetOf('S', [
      ['#', 'Requirement', '', 'Notes'],
      ['1', 'Data is backed up daily.', '', ''],
      ['2', 'Backups are tested.', '', ''],
    ]);
    const guessed = detectLayout({ sheets: [sheet] });
    expect(guessed.unsure).toBe(true);
    expect(guessed.sheets[0]?.layout?.answerCol).toBe(3);
    expect(guessed.sheets[0]?.notes.join(' ')).toMatch(/no answer column header/);

    const told = detectLayout({ sheets: [sheet] }, { questionCol: 'B', answerCol: 'C' });
    expect(told.unsure).toBe(false);
    expect(told.sheets[0]?.layout).toMatchObject({ questionCol: 2, answerCol: 3 });
    expect(detectLayout({ sheets: [sheet] }, { answerCol: 'Notes' }).sheets[0]?.layout?.answerCol).toBe(4);
  });

  it('never targets a column holding the questions', () => {
    const sheet = sheetOf('S', [['質問', '回答'], ['Q?', '']]);
    expect(() => detectLayout({ sheets: [sheet] }, { answerCol: 'A' })).toThrow(InputError);
    expect(() => detectLayout({ sheets: [sheet] }, { sheets: ['nope'] })).toThrow(/no sheet "nope"/);
  });

  it('a sheet without any recognisable header is skipped, with the vocabulary in the notes', () => {
    const sheet = sheetOf('S', [['foo', 'bar'], ['1', '2']]);
    const g = detectLayout({ sheets: [sheet] }).sheets[0];
    expect(g?.skipped).toMatch(/no header row/);
    expect(g?.notes.join(' ')).toContain('確認事項');
  });
});

describe('detectLayout on generated workbooks', () => {
  it('English, several sheets: instruction and hidden list sheets skipped, lists resolved from another sheet', async () => {
    const { grid } = await loadSpreadsheet(fixture('questionnaire-odd-en.xlsx'), 'odd.xlsx', DEFAULT_LIMITS);
    const { sheets } = detectLayout(grid);
    const by = new Map(sheets.map((s) => [s.sheet, s]));
    expect(by.get('Instructions')?.skipped).toMatch(/instruction/);
    expect(by.get('Lists')?.skipped).toMatch(/hidden/);
    const controls = by.get('Security Controls');
    expect(controls?.layout).toMatchObject({ headerRow: 3, questionCol: 3, statusCol: 4, answerCol: null, commentCol: 5 });
    expect(controls?.notes.join(' ')).toContain('Yes / No / Partial / N/A');
    expect(controls?.rows.map((r) => [r.ref, r.section])).toEqual([
      ['AC-1', 'Access Control'],
      ['AC-2', 'Access Control'],
      ['AC-3', 'Access Control'],
      ['DP-1', 'Data Protection'], // unmerged one-cell section row
      ['DP-2', 'Data Protection'],
    ]);
    const privacy = by.get('Privacy');
    expect(privacy?.layout).toMatchObject({ questionCol: 2, answerCol: 3, commentCol: 4, statusCol: null });
    expect(privacy?.rows.map((r) => r.ref)).toEqual(['1', '2', '3', '4']);
    expect(privacy?.rows[2]?.section).toBe('Retention');
  });

  it('Japanese: 実施状況 list next to a free-text 回答内容 column; bracketed marks without a list', async () => {
    const { grid } = await loadSpreadsheet(fixture('questionnaire-ja-status.xlsx'), 'ja.xlsx', DEFAULT_LIMITS);
    const { sheets } = detectLayout(grid);
    expect(sheets[0]?.layout).toMatchObject({ questionCol: 3, statusCol: 4, answerCol: 5, commentCol: 6, categoryCol: 2 });
    expect(sheets[0]?.rows.map((r) => r.ref)).toEqual(['1-1', '1-2', '2-1', '2-2']); // "1-3" alone is numbering
    expect(sheets[1]?.layout).toMatchObject({ questionCol: 2, statusCol: 3, answerCol: null, commentCol: 4 });
  });
});

describe('public questionnaire vocabularies and sheets', () => {
  it.each([
    ['設定', 'answer'],
    ['回答欄', 'answer'],
    ['記入欄', 'answer'],
    ['Vendor Answers', 'answer'],
    ['CSP Implementation Description (Optional/Recommended)', 'answer'],
    ['CSP CAIQ Answer', 'answer'],
    ['チェック', 'status'],
    ['対応状況', 'status'],
    ['実施項目', 'question'],
    ['種別', 'category'],
    ['脆弱性の種類', 'category'],
    ['Analyst Notes', 'reserved'],
    ['Compliant Override', 'reserved'],
    ['Guidance', 'reserved'],
    ['CSC Responsibilities (Optional/Recommended)', 'reserved'],
    ['Score', 'reserved'],
    ['解説', 'reserved'],
  ])('%s is a %s header', (text, role) => {
    expect(classifyHeader(text)?.role).toBe(role);
  });

  it('a sheet named チェックリスト is a questionnaire; リスト alone, analyst and scoring sheets are not', () => {
    const q = (name: string) => sheetOf(name, [['No.', '確認事項', '回答'], ['1', 'ログを保管していますか。', '']]);
    const { sheets } = detectLayout({ sheets: [q('チェックリスト'), q('セキュリティチェックリスト'), q('リスト'), q('Analyst Report'), q('Scoring')] });
    expect(sheets.map((s) => [s.sheet, s.skipped === null])).toEqual([
      ['チェックリスト', true],
      ['セキュリティチェックリスト', true],
      ['リスト', false],
      ['Analyst Report', false],
      ['Scoring', false],
    ]);
  });

  it('never picks or accepts a customer-only column (analyst notes, override, guidance) as a place to write', () => {
    const sheet = sheetOf('Vendor', [
      ['ID', 'Question', 'Compliant Override', 'Analyst Notes', 'Guidance', 'Answer'],
      ['Q-1', 'Do you scan for vulnerabilities?', '', '', 'Describe the tool', ''],
    ]);
    const g = detectLayout({ sheets: [sheet] }).sheets[0];
    expect(g?.layout).toMatchObject({ questionCol: 2, answerCol: 6, statusCol: null, commentCol: null });
    expect(() => detectLayout({ sheets: [sheet] }, { commentCol: 'Analyst Notes' })).toThrow(/D "Analyst Notes" is the customer's own column/);
    expect(() => detectLayout({ sheets: [sheet] }, { statusCol: 'C' })).toThrow(/never writes over the customer's text/);
  });

  it('header-text overrides work where no header row is detected; that row is then the header', () => {
    const sheet = sheetOf('S', [
      ['Survey 2026'],
      ['Topic', 'Vendor text'],
      ['Backups are encrypted.', ''],
      ['Restores are tested yearly.', ''],
    ]);
    expect(detectLayout({ sheets: [sheet] }).sheets[0]?.skipped).toMatch(/no header row/);
    const g = detectLayout({ sheets: [sheet] }, { questionCol: 'Topic', answerCol: 'Vendor text' }).sheets[0];
    expect(g?.layout).toMatchObject({ headerRow: 2, headerRows: [2], questionCol: 1, answerCol: 2 });
    expect(g?.rows.map((r) => r.row)).toEqual([3, 4]);
    // Header text of a detected header works too, next to letters.
    const ja = sheetOf('チェックリスト', [['№', '種別', '項目', '規定内容', '単位', '設定'], ['1', '運用', '提供時間', '利用できる時間帯', '時間', '']]);
    expect(detectLayout({ sheets: [ja] }, { questionCol: '規定内容', answerCol: '設定' }).sheets[0]?.layout).toMatchObject({ questionCol: 4, answerCol: 6 });
  });

  it('--sheet takes several sheets; a missing one is named; a hidden one is never answered', () => {
    const q = (name: string, hidden = false) => sheetOf(name, [['Question', 'Answer'], ['Is data encrypted?', '']], { hidden });
    const grid = { sheets: [q('A'), q('B'), q('C'), q('Old', true)] };
    const { sheets } = detectLayout(grid, { sheets: ['A', 'C'] });
    expect(sheets.map((s) => [s.sheet, s.skipped === null])).toEqual([
      ['A', true],
      ['B', false],
      ['C', true],
      ['Old', false],
    ]);
    expect(sheets[1]?.skipped).toMatch(/not a sheet asked for \(--sheet "A" --sheet "C"\)/);
    expect(() => detectLayout(grid, { sheets: ['A', 'X', 'Y'] })).toThrow(/there is no sheet "X", "Y"/);
    expect(detectLayout(grid, { sheets: ['Old'] }).sheets[3]?.skipped).toMatch(/never writes into a hidden sheet/);
  });

  it('a choice list written in the answer cell is not an answer; a copyright line is not a question', () => {
    const sheet = sheetOf('S', [
      ['No.', '質問', '回答'],
      ['1', '暗号化していますか。', 'はい / いいえ'],
      ['2', 'ログを保管していますか。', 'はい'],
      ['', '© 2026 Example Association. All rights reserved.', ''],
    ]);
    const g = detectLayout({ sheets: [sheet] }).sheets[0];
    expect(g?.rows.map((r) => r.row)).toEqual([2, 3]);
    expect(g?.notes.join(' ')).toContain('1 of 2 question rows already have an answer');
  });
});

describe('section header rows that name only the answer side', () => {
  it('finds the questions left of "Vendor Answers" under each repeated header, ids beside them', () => {
    const sheet = sheetOf('Vendor Sheet', [
      ['Vendor questionnaire (sample)'],
      ['', 'Data Handling', 'Vendor Answers', 'Additional Information', 'Guidance'],
      ['DATA-01', 'Is customer data stored only in the contracted region?', '', '', 'Name the regions.'],
      ['DATA-02', 'Is customer data deleted within 30 days of contract end?', '', '', ''],
      ['', 'Incident Response', 'Vendor Answers', 'Additional Information', 'Guidance'],
      ['INCI-01', 'Do you notify customers of breaches within 72 hours?', '', '', ''],
    ]);
    sheet.validations = [{ ranges: [{ top: 3, left: 3, bottom: 6, right: 3 }], values: ['Yes', 'No', 'N/A'], source: '"Yes,No,N/A"' }];
    const g = detectLayout({ sheets: [sheet] }).sheets[0];
    expect(g?.layout).toMatchObject({ headerRow: 2, headerRows: [2, 5], questionCol: 2, refCol: 1, statusCol: 3, commentCol: 4, answerCol: null });
    expect(g?.rows.map((r) => [r.ref, r.section])).toEqual([
      ['DATA-01', 'Data Handling'],
      ['DATA-02', 'Data Handling'],
      ['INCI-01', 'Incident Response'],
    ]);
    // A section name that reads like a header ("Incident Response") heading the first section.
    const first = sheetOf('Vendor Sheet', [
      ['', 'Incident Response', 'Vendor Answers', 'Additional Information', 'Guidance'],
      ['INCI-01', 'Do you notify customers of breaches within 72 hours?', '', '', ''],
      ['INCI-02', 'Do you rehearse incident response at least yearly?', '', '', ''],
    ]);
    const f = detectLayout({ sheets: [first] }).sheets[0];
    expect(f?.layout).toMatchObject({ headerRow: 1, questionCol: 2, answerCol: 3, commentCol: 4 });
    expect(f?.rows.map((r) => r.section)).toEqual(['Incident Response', 'Incident Response']);
  });
});

describe('what a row already says', () => {
  it('a placeholder says nothing; a ticked checkbox says its choice', () => {
    const sheet = sheetOf('S', [
      ['No.', '実施項目', 'チェック'],
      ['1', '入力値を検証する。', '□対応済\n□未対策'],
      ['2', 'エラー内容を表示しない。', '□対応済\n■未対策'],
      ['3', '権限を最小にする。', 'はい / いいえ'],
    ]);
    const g = detectLayout({ sheets: [sheet] }, {}, 'qa').sheets[0];
    expect(g?.rows.map((r) => r.existing.status)).toEqual(['', '未対策', '']);
  });
});
