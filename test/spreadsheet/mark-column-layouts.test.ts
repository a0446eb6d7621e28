/**
 * Questionnaire layouts the new-user trial s11 found mis-read (fixtures built by
 * scripts/make-layout-fixtures.ts): a CAIQ v3.1-style sheet whose answers are Yes | No | Not
 * Applicable columns under a merged "Consensus Assessment Answers" header and whose questions
 * sit beside a Control Specification; Japanese sheets with ○ | × | － and 該当 | 非該当 columns
 * under 回答欄 / 貴社記入欄; and two-row headers whose comment column (備考, 補足) is named only in
 * the second row. Each is answered through the real layout detection and writer, and the
 * cells written, the cells left alone and the workbook's format are checked.
 */
import type ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { parseQaSheet } from '../../src/corpus/qa-sheet.js';
import { ManifestEntry, type Draft, type Status } from '../../src/domain.js';
import { answerQuestionnaireFile, type AnswerFileResult } from '../../src/questionnaire/answer-file.js';
import { columnLetter } from '../../src/spreadsheet/grid.js';
import { detectLayout, describeLayout, type LayoutOverrides } from '../../src/spreadsheet/layout.js';
import { loadSpreadsheet } from '../../src/spreadsheet/registry.js';
import { DEFAULT_LIMITS } from '../../src/spreadsheet/safety.js';
import { fakeDraft } from '../support/fake-answerer.js';
import { fixture, loadWorkbook, validationsOf } from '../questionnaire/helpers.js';

/** What the scripted drafter says for a question. */
interface Plan {
  status: Status;
  needsHuman?: boolean;
  abstained?: boolean;
}

interface Run {
  result: AnswerFileResult;
  /** The question texts the drafter was asked, in no particular order. */
  asked: string[];
  /** Cells that changed, `sheet!A1` → new text. */
  diff: Map<string, string>;
}

async function answer(file: string, plans: Record<string, Plan>, overrides: LayoutOverrides = {}): Promise<Run> {
  const bytes = fixture(file);
  const asked: string[] = [];
  const result = await answerQuestionnaireFile(
    { bytes, fileName: file },
    {
      product: 'krew',
      concurrency: 1,
      limits: DEFAULT_LIMITS,
      overrides,
      answer: async (question, product): Promise<Draft> => {
        asked.push(question);
        const p = plans[question] ?? { status: 'yes' };
        const base = fakeDraft(question, product, { abstainEvery: 0 });
        return p.abstained
          ? { ...base, draft: '', status: 'unknown', abstained: true, needsHuman: true, citations: [], reason: 'not covered by the documents' }
          : { ...base, status: p.status, needsHuman: p.needsHuman ?? false, reason: p.needsHuman ? 'weak evidence' : '' };
      },
    },
  );
  return { result, asked, diff: await changed(bytes, result.bytes) };
}

/** Every cell of every sheet, `sheet!A1` → its value as JSON. */
function cells(wb: ExcelJS.Workbook): Map<string, string> {
  const out = new Map<string, string>();
  for (const ws of wb.worksheets) {
    ws.eachRow({ includeEmpty: false }, (row, r) =>
      row.eachCell({ includeEmpty: false }, (cell, c) => {
        if (cell.isMerged && cell.master.address !== cell.address) return;
        out.set(`${ws.name}!${columnLetter(c)}${r}`, JSON.stringify(cell.value));
      }),
    );
  }
  return out;
}

/**
 * The cells whose value changed; the format is checked on the way: same sheets, merges, data
 * validations and column widths, and every written cell keeps its style (fill, font, alignment).
 */
async function changed(before: Uint8Array, after: Uint8Array): Promise<Map<string, string>> {
  const a = await loadWorkbook(before);
  const b = await loadWorkbook(after);
  expect(b.worksheets.map((w) => w.name)).toEqual([...a.worksheets.map((w) => w.name), ...(b.worksheets.length > a.worksheets.length ? ['kotae'] : [])]);
  for (const ws of a.worksheets) {
    const other = b.getWorksheet(ws.name);
    if (!other) throw new Error(`sheet ${ws.name} lost`);
    expect(other.model.merges.sort()).toEqual(ws.model.merges.sort());
    expect(validationsOf(other)).toEqual(validationsOf(ws));
    expect(other.columns.map((c) => c.width)).toEqual(ws.columns.map((c) => c.width));
  }
  const x = cells(a);
  const y = cells(b);
  const diff = new Map<string, string>();
  for (const key of new Set([...x.keys(), ...y.keys()])) {
    if (key.startsWith('kotae!') || x.get(key) === y.get(key)) continue;
    diff.set(key, JSON.parse(y.get(key) ?? '""') as string);
    const [sheet = '', address = ''] = key.split('!');
    expect(b.getWorksheet(sheet)?.getCell(address).style, `style of ${key}`).toEqual(a.getWorksheet(sheet)?.getCell(address).style);
  }
  return diff;
}

/** The changed cells of one sheet's row, column letter → text. */
function rowDiff(diff: Map<string, string>, sheet: string, row: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of diff) {
    const m = /^(.*)!([A-Z]+)(\d+)$/.exec(key);
    if (m?.[1] === sheet && Number(m[3]) === row && m[2]) out[m[2]] = value;
  }
  return out;
}

async function layoutOf(file: string, overrides: LayoutOverrides = {}): Promise<ReturnType<typeof detectLayout>> {
  const { grid } = await loadSpreadsheet(fixture(file), file, DEFAULT_LIMITS);
  return detectLayout(grid, overrides);
}

const CAIQ = 'layout-caiq31.xlsx';
const CAIQ_PLANS: Record<string, Plan> = {
  'Is every production change approved by someone other than its author?': { status: 'yes' },
  'Are rollback steps written down before a release?': { status: 'no' },
  'Is mobile code blocked unless it has been authorised?': { status: 'not_applicable' },
  'Do you keep a list of the mobile code allowed to run?': { status: 'partial' },
  'Are browser plug-ins restricted on staff machines?': { status: 'yes', needsHuman: true },
  'Do you test restoring from backup at least twice a year?': { status: 'yes' },
  'Do new staff complete security training in their first month?': { status: 'no' },
  'Are encryption keys rotated at least once a year?': { status: 'not_applicable' },
  'Are access rights reviewed every quarter?': { status: 'unknown', abstained: true },
};

describe('CAIQ v3.1-style sheet: Consensus Assessment Questions beside a Control Specification, Yes | No | Not Applicable columns', () => {
  it('answers the question column, not the specification, and says which column it used and which it did not', async () => {
    const layout = await layoutOf(CAIQ);
    const g = layout.sheets.find((s) => s.sheet === 'CAIQ v3.1');
    expect(g?.layout).toMatchObject({ headerRow: 1, headerRows: [1, 2], questionCol: 5, refCol: 3, commentCol: 9, answerCol: null, itemCol: null, statusKind: 'columns' });
    expect(g?.rows.map((r) => [r.row, r.ref])).toEqual([
      [3, 'CCC-02.1'],
      [4, 'CCC-02.2'],
      [5, 'STA-04.1'],
      [6, 'TVM-03.1'],
      [7, 'TVM-03.2'],
      [8, 'TVM-03.3'],
    ]);
    expect(g?.warnings).toEqual([
      'questions are read from column E "Consensus Assessment Questions", not from D "Control Specification"; if that is where the questions are, pass --question-col D',
    ]);
    expect(describeLayout(layout).join('\n')).toMatch(/question E "Consensus Assessment Questions", status F–H "Yes \/ No \/ Not Applicable", comment I "Notes"/);

    const { result, asked } = await answer(CAIQ, CAIQ_PLANS);
    expect(asked.sort()).toEqual(Object.keys(CAIQ_PLANS).sort()); // never a Control Specification or Requirement text
    expect(result.notes).toContain(
      'sheet "CAIQ v3.1": questions are read from column E "Consensus Assessment Questions", not from D "Control Specification"; if that is where the questions are, pass --question-col D',
    );
    expect(result.notes).toContain('sheet "Supplement": questions are read from column C "Question", not from B "Requirement"; if that is where the questions are, pass --question-col B');
  });

  it('marks X in the column of the status and puts the draft and its sources in Notes; a status without a column leaves all three empty with a note', async () => {
    const { result, diff } = await answer(CAIQ, CAIQ_PLANS);
    const sheet = 'CAIQ v3.1';
    expect(rowDiff(diff, sheet, 3)).toEqual({ F: 'X', I: expect.stringMatching(/^\(test answer\) Covered: Is every production change.*\nDraft, pending review\nSources: /s) });
    expect(Object.keys(rowDiff(diff, sheet, 4))).toEqual(['G', 'I']);
    expect(rowDiff(diff, sheet, 4).G).toBe('X');
    expect(Object.keys(rowDiff(diff, sheet, 6))).toEqual(['H', 'I']);
    // Partial: none of Yes / No / Not Applicable says it, so no mark; the draft and why are in Notes.
    expect(Object.keys(rowDiff(diff, sheet, 7))).toEqual(['I']);
    expect(rowDiff(diff, sheet, 7).I).toMatch(/Needs review: no choice for "partial" in this column's header \(Yes \/ No \/ Not Applicable\), so the status cell is left empty/);
    // Flagged, with a note to say so: the mark stands beside its review marker, as a dropdown status would.
    expect(rowDiff(diff, sheet, 8)).toEqual({ F: 'X', I: expect.stringMatching(/Needs review: weak evidence$/) });
    // The row the vendor had marked (X under No, with a note) is kept as it is.
    expect(rowDiff(diff, sheet, 5)).toEqual({});
    expect(result.rows.find((o) => o.sheet === sheet && o.row === 5)?.outcome).toBe('kept');

    // Nothing but a mark ever goes into a mark column, and never into a header row.
    const marks = [...diff].filter(([k]) => /^CAIQ v3\.1![FGH]\d+$/.test(k));
    expect(marks.map(([, v]) => v)).toEqual(['X', 'X', 'X', 'X']);
    expect([...diff.keys()].filter((k) => /![A-Z]+[12]$/.test(k) && k.startsWith(sheet))).toEqual([]);
    expect(result.summary.statuses).toEqual({ yes: 3, no: 2, not_applicable: 2 });
  });

  it('reads Yes | No | N/A in one header row the same way; an abstained row gets no mark', async () => {
    const { diff } = await answer(CAIQ, CAIQ_PLANS);
    expect(rowDiff(diff, 'Supplement', 2)).toMatchObject({ D: 'X', G: expect.stringContaining('Do you test restoring') });
    expect(Object.keys(rowDiff(diff, 'Supplement', 3))).toEqual(['E', 'G']);
    expect(Object.keys(rowDiff(diff, 'Supplement', 4))).toEqual(['F', 'G']);
    expect(rowDiff(diff, 'Supplement', 5)).toEqual({ G: 'Needs review: not covered by the documents' });
  });

  it('read back as a questionnaire answered before, the X under No is a "no" with the row\'s note as its answer', async () => {
    const entry = ManifestEntry.parse({ file: 'answered/caiq31.xlsx', product: 'krew', title: 'CAIQ 2025', format: 'qa-xlsx', language: 'en' });
    const passages = await parseQaSheet(fixture(CAIQ), entry);
    expect(passages.map((p) => [p.locator, p.ref, p.status, p.requirement, p.answer])).toEqual([
      ['CAIQ v3.1!R5', 'STA-04.1', 'no', 'Do you review the security of your hosting suppliers every year?', 'Suppliers are reviewed when a contract is renewed.'],
    ]);
  });

  it('a user can still choose the specification column, name the mark columns by any of them, and cannot send text into one', async () => {
    const spec = (await layoutOf(CAIQ, { sheets: ['CAIQ v3.1'], questionCol: 'D' })).sheets[0];
    expect(spec?.layout?.questionCol).toBe(4);
    expect(spec?.warnings).toEqual([]);
    const byNo = (await layoutOf(CAIQ, { sheets: ['CAIQ v3.1'], statusCol: 'No' })).sheets[0];
    expect(byNo?.layout).toMatchObject({ statusCol: 6, statusKind: 'columns' });
    await expect(layoutOf(CAIQ, { sheets: ['CAIQ v3.1'], answerCol: 'G' })).rejects.toThrow(
      /--answer-col G "No" is one of the mark columns F–H \(Yes \| No \| Not Applicable\) of sheet "CAIQ v3.1": kotae marks the status there and never writes text into them/,
    );
  });
});

const MARKS_JA = 'layout-marks-ja.xlsx';
const MARKS_JA_PLANS: Record<string, Plan> = {
  '委託先との契約に秘密保持の条項を含めていますか。': { status: 'yes' },
  '社外へ持ち出すノートPCのディスクは暗号化されていますか。': { status: 'no' },
  '執務室の入退室の記録を保管していますか。': { status: 'not_applicable' },
  '利用しているソフトウェアの脆弱性情報を定期的に確認していますか。': { status: 'partial' },
  '障害発生時の連絡窓口を契約書に明記していますか。': { status: 'yes' },
  '利用者ごとにアクセス権限を設定できますか。': { status: 'no' },
};

describe('Japanese mark columns under 回答欄 / 貴社記入欄: ○ | × | － and 該当 | 非該当', () => {
  it('answers 確認内容 rather than 要求事項, and puts ○ (as the sheet asks) in the column of the status, the draft in 備考', async () => {
    const { result, asked, diff } = await answer(MARKS_JA, MARKS_JA_PLANS);
    expect(asked.sort()).toEqual(Object.keys(MARKS_JA_PLANS).sort());
    expect(result.notes).toContain('sheet "チェックシート": questions are read from column C "確認内容", not from B "要求事項"; if that is where the questions are, pass --question-col B');
    const sheet = 'チェックシート';
    expect(rowDiff(diff, sheet, 5)).toEqual({ D: '○', G: expect.stringMatching(/^（テスト回答）委託先との契約.*\n下書き\(未承認\)\n根拠: /s) });
    expect(Object.keys(rowDiff(diff, sheet, 6))).toEqual(['E', 'G']);
    expect(rowDiff(diff, sheet, 6).E).toBe('○');
    expect(Object.keys(rowDiff(diff, sheet, 7))).toEqual(['F', 'G']);
    expect(rowDiff(diff, sheet, 8)).toEqual({ G: expect.stringMatching(/要確認: 状況「一部」に当たる語がこの列の見出し（○ \/ × \/ －）にないため、状況は空欄のままです$/) });
  });

  it('uses the mark the vendor already used (●), keeps that row, and leaves a "no" unmarked where 非該当 means not applicable', async () => {
    const { result, diff } = await answer(MARKS_JA, MARKS_JA_PLANS);
    const sheet = '追加確認';
    expect(rowDiff(diff, sheet, 3)).toEqual({ C: '●', E: expect.stringContaining('障害発生時の連絡窓口') });
    expect(rowDiff(diff, sheet, 4)).toEqual({});
    expect(result.rows.find((o) => o.sheet === sheet && o.row === 4)?.outcome).toBe('kept');
    expect(rowDiff(diff, sheet, 5)).toEqual({ E: expect.stringMatching(/要確認: 状況「いいえ」に当たる語がこの列の見出し（該当 \/ 非該当）にないため、状況は空欄のままです$/) });
  });
});

const TWOROW_JA = 'layout-tworow-ja.xlsx';

describe('two-row headers: 回答欄 over 回答 | 備考, 貴社記入欄 over 回答 | 補足', () => {
  it('finds 備考 under 回答欄: every row gets its ○/×/△/－ from the list and its draft in 備考, flagged rows too', async () => {
    const plans: Record<string, Plan> = {
      '管理者アカウントの一覧を定期的に見直していますか。': { status: 'yes', needsHuman: true },
      'サーバーの時刻を同期していますか。': { status: 'no', needsHuman: true },
      '退職者のアカウントは速やかに削除していますか。': { status: 'partial', needsHuman: true },
      '開発環境と本番環境は分離されていますか。': { status: 'yes', needsHuman: true },
    };
    const { result, diff } = await answer(TWOROW_JA, plans);
    const g = result.layout.sheets.find((s) => s.sheet === 'チェックシート');
    expect(g?.layout).toMatchObject({ headerRow: 1, headerRows: [1, 2], questionCol: 2, statusCol: 3, commentCol: 4, answerCol: null, statusKind: 'list' });
    expect(g?.notes).toContain('two-row header: the sub-headers of row 2 are read under "回答欄" (row 1)');
    const sheet = 'チェックシート';
    expect(rowDiff(diff, sheet, 3)).toEqual({ C: '○', D: expect.stringMatching(/^（テスト回答）管理者アカウント.*\n下書き\(未承認\)\n根拠: .*\n要確認: weak evidence$/s) });
    expect(rowDiff(diff, sheet, 4).C).toBe('×');
    expect(rowDiff(diff, sheet, 5).C).toBe('△');
    expect(result.summary.perSheet.find((s) => s.sheet === sheet)).toMatchObject({ questions: 4, rowsWritten: 4, statuses: 4, texts: 4 });
    expect(result.notes.join('\n')).not.toMatch(/not marked in the file/);
    expect([...diff.keys()].filter((k) => /^チェックシート![A-Z]+[12]$/.test(k))).toEqual([]);
  });

  it('takes 回答 under 貴社記入欄 as the answer text and 補足 as the place for sources and review notes', async () => {
    const { result, diff } = await answer(TWOROW_JA, {});
    const g = result.layout.sheets.find((s) => s.sheet === 'ヒアリングシート');
    expect(g?.layout).toMatchObject({ headerRows: [1, 2], questionCol: 2, answerCol: 3, commentCol: 4, statusCol: null });
    expect(rowDiff(diff, 'ヒアリングシート', 3)).toEqual({
      C: expect.stringMatching(/^（テスト回答）サービスの稼働状況/),
      D: expect.stringMatching(/^下書き\(未承認\)\n根拠: /),
    });
  });

  it('a sub-header names its column for --comment-col', async () => {
    const g = (await layoutOf(TWOROW_JA, { sheets: ['チェックシート'], commentCol: '備考' })).sheets[0];
    expect(g?.layout?.commentCol).toBe(4);
  });
});
