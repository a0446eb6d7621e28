/**
 * The public questionnaire layouts customers send (fixtures built by
 * scripts/make-layout-fixtures.ts: CAIQ v4-style, HECVAT-style, METI and IPA checklists):
 * every question row of every vendor sheet is found in one run, written in the right
 * cells, nothing else in the workbook changes (compared cell by cell), and the summary
 * counts what was written.
 */
import type ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { Draft, Status } from '../../src/domain.js';
import { answerQuestionnaireFile, type AnswerFileResult } from '../../src/questionnaire/answer-file.js';
import { columnLetter } from '../../src/spreadsheet/grid.js';
import { detectLayout } from '../../src/spreadsheet/layout.js';
import { DEFAULT_LIMITS } from '../../src/spreadsheet/safety.js';
import { loadSpreadsheet } from '../../src/spreadsheet/registry.js';
import { fakeDraft } from '../support/fake-answerer.js';
import { fixture, loadWorkbook, validationsOf, zipParts } from './helpers.js';

/** What the scripted answerer says for the i-th question (in sheet and row order). */
interface Plan {
  status: Status;
  needsHuman?: boolean;
  abstained?: boolean;
}
// Every branch of the writing rules, in turn.
const PLANS: Plan[] = [
  { status: 'yes' },
  { status: 'no' },
  { status: 'not_applicable' },
  { status: 'partial' },
  { status: 'yes', needsHuman: true },
  { status: 'unknown', abstained: true },
];

async function answer(file: string, shift = 0): Promise<{ result: AnswerFileResult; plan: Map<string, Plan>; drafts: Map<string, Draft> }> {
  const bytes = fixture(file);
  const { grid } = await loadSpreadsheet(bytes, file, DEFAULT_LIMITS);
  const questions = detectLayout(grid).sheets.flatMap((g) => g.rows.map((r) => r.question));
  const plan = new Map(questions.map((q, i): [string, Plan] => [q, PLANS[(i + shift) % PLANS.length] ?? { status: 'yes' }]));
  const drafts = new Map<string, Draft>();
  const result = await answerQuestionnaireFile(
    { bytes, fileName: file },
    {
      product: 'krew',
      concurrency: 2,
      limits: DEFAULT_LIMITS,
      answer: async (question, product) => {
        const p: Plan = plan.get(question) ?? { status: 'yes' };
        const base = fakeDraft(question, product, { abstainEvery: 0 });
        const d: Draft = p.abstained
          ? { ...base, draft: '', status: 'unknown', abstained: true, needsHuman: true, citations: [], reason: 'not covered by the documents' }
          : { ...base, status: p.status, needsHuman: p.needsHuman ?? false, reason: p.needsHuman ? 'weak evidence' : '' };
        drafts.set(question, d);
        return d;
      },
    },
  );
  return { result, plan, drafts };
}

/** Every cell of every sheet, `sheet!A1` → its value as JSON (formulas with their text). */
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

/** The cells whose value differs, `sheet!A1` → the new text. */
async function changed(before: Uint8Array, after: Uint8Array): Promise<Map<string, string>> {
  const a = await loadWorkbook(before);
  const b = await loadWorkbook(after);
  expect(b.worksheets.map((w) => [w.name, w.state])).toEqual(a.worksheets.map((w) => [w.name, w.state]));
  for (const ws of a.worksheets) {
    const other = b.getWorksheet(ws.name);
    expect(other?.model.merges.sort()).toEqual(ws.model.merges.sort());
    expect(other && validationsOf(other)).toEqual(validationsOf(ws));
  }
  const x = cells(a);
  const y = cells(b);
  const diff = new Map<string, string>();
  for (const key of new Set([...x.keys(), ...y.keys()])) {
    if (x.get(key) !== y.get(key)) diff.set(key, JSON.parse(y.get(key) ?? '""') as string);
  }
  return diff;
}

/** The question at `sheet!row` in the result. */
function rowAt(result: AnswerFileResult, sheet: string, row: number): AnswerFileResult['rows'][number] {
  const r = result.rows.find((o) => o.sheet === sheet && o.row === row);
  if (!r) throw new Error(`no question at ${sheet}!${row}`);
  return r;
}

/** The summary agrees with the cells that changed; `isStatus` tells a status cell written from a text. */
function expectHonestCounts(result: AnswerFileResult, diff: Map<string, string>, isStatus: (key: string, value: string) => boolean): void {
  expect(result.summary.cellsWritten).toBe(diff.size);
  for (const s of result.summary.perSheet) {
    const mine = [...diff.keys()].filter((k) => k.startsWith(`${s.sheet}!`));
    const rows = new Set(mine.map((k) => k.replace(/^.*![A-Z]+/, '')));
    expect(s.cells).toBe(mine.length);
    expect(s.rowsWritten).toBe(rows.size);
    expect(s.statuses).toBe(mine.filter((k) => isStatus(k, diff.get(k) ?? '')).length);
    expect(s.texts).toBe(new Set(mine.filter((k) => !isStatus(k, diff.get(k) ?? '')).map((k) => k.replace(/^.*![A-Z]+/, ''))).size);
  }
  expect(result.summary.rowsWritten).toBe(result.summary.perSheet.reduce((n, s) => n + s.rowsWritten, 0));
}

describe('CAIQ v4-style sheet', () => {
  it('status into the Yes/No/NA list column, drafted text and sources into the implementation description, nothing else', async () => {
    const file = 'layout-caiq.xlsx';
    const { result, plan, drafts } = await answer(file);
    const g = result.layout.sheets.find((s) => s.sheet === 'CAIQv4.0.3');
    expect(g?.layout).toMatchObject({ headerRow: 2, questionCol: 2, statusCol: 3, answerCol: 5, commentCol: null, refCol: 1 });
    expect(result.layout.sheets.find((s) => s.sheet === 'Introduction')?.skipped).toMatch(/instruction/);
    const rows = [3, 4, 5, 6, 7, 8, 9, 10, 11];
    expect(g?.rows.map((r) => r.row)).toEqual(rows);
    expect(g?.rows[0]).toMatchObject({ ref: 'A&A-01.1', section: 'Audit & Assurance' });
    expect(g?.rows[1]?.section).toBe('Audit & Assurance'); // the domain cell is merged down

    const diff = await changed(fixture(file), result.bytes);
    const expected = new Set<string>();
    const listValue: Partial<Record<Status, string>> = { yes: 'Yes', no: 'No', not_applicable: 'NA' };
    for (const r of rows) {
      const o = rowAt(result, 'CAIQv4.0.3', r);
      if (r === 8) {
        expect(o.outcome).toBe('kept'); // answered in the file already
        continue;
      }
      const p = plan.get(o.question);
      const d = drafts.get(o.question);
      if (!p || !d) throw new Error('unplanned row');
      const text = diff.get(`CAIQv4.0.3!E${r}`) ?? '';
      expected.add(`CAIQv4.0.3!E${r}`);
      const flagged = p.abstained === true || p.needsHuman === true || p.status === 'partial';
      if (p.abstained) expect(text).toBe('Needs review: not covered by the documents');
      else expect(text).toMatch(new RegExp(`^${escape(d.draft)}\\nDraft, pending review\\nSources: fake\\.txt L\\d+`));
      expect(text.includes('Needs review')).toBe(flagged);
      const status = p.abstained ? undefined : listValue[p.status];
      if (status) {
        expected.add(`CAIQv4.0.3!C${r}`);
        expect(diff.get(`CAIQv4.0.3!C${r}`)).toBe(status);
      }
    }
    expect(new Set(diff.keys())).toEqual(expected); // D (ownership), F (CSC), CCM columns, footer: untouched
    expectHonestCounts(result, diff, (k, v) => /!C\d+$/.test(k) && ['Yes', 'No', 'NA'].includes(v));
    expect(result.summary.perSheet).toEqual([expect.objectContaining({ sheet: 'CAIQv4.0.3', questions: 9, rowsWritten: 8, texts: 8 })]);
  });
});

describe('HECVAT-style workbook', () => {
  it('answers every vendor sheet in one run, under repeated section headers; analyst, crosswalk, summary and hidden sheets untouched', async () => {
    const file = 'layout-hecvat.xlsx';
    const { result, plan, drafts } = await answer(file);
    const by = new Map(result.layout.sheets.map((s) => [s.sheet, s]));
    expect(by.get('START HERE')?.skipped).toMatch(/instruction/);
    expect(by.get('Analyst Report')?.skipped).toMatch(/evaluation/);
    expect(by.get('Standards Crosswalk')?.skipped).toMatch(/evaluation/);
    expect(by.get('Answer Summary')?.skipped).toMatch(/hold formulas/);
    expect(by.get('Questions')?.skipped).toMatch(/hidden/);
    expect(result.summary.sheets).toEqual(['Organization', 'Product']);

    const org = by.get('Organization');
    expect(org?.layout).toMatchObject({ headerRow: 2, headerRows: [2, 7, 13], questionCol: 2, statusCol: 3, commentCol: 4, refCol: 1, answerCol: null, statusKind: 'list' });
    expect(org?.rows.map((r) => [r.row, r.ref, r.section])).toEqual([
      [3, 'GNRL-01', 'General Information'],
      [4, 'GNRL-02', 'General Information'],
      [5, 'GNRL-03', 'General Information'],
      [8, 'COMP-01', 'Company Overview'],
      [9, 'COMP-02', 'Company Overview'],
      [10, 'COMP-03', 'Company Overview'],
      [11, 'COMP-04', 'Company Overview'],
      [14, 'DOCU-01', 'Documentation'],
      [15, 'DOCU-02', 'Documentation'],
    ]);
    // Question cells are VLOOKUP formulas: their cached text is the question.
    expect(org?.rows[3]?.question).toBe('Has your company operated this product for more than three years?');
    expect(by.get('Product')?.rows.map((r) => r.ref)).toEqual(['HLAP-01', 'HLAP-02', 'HLAP-03', 'AAAI-01', 'AAAI-02']);

    const diff = await changed(fixture(file), result.bytes);
    const expected = new Set<string>();
    const vendorRows: Array<[string, number]> = [
      ...[3, 4, 5, 8, 9, 10, 11, 14, 15].map((r): [string, number] => ['Organization', r]),
      ...[3, 4, 5, 8, 9].map((r): [string, number] => ['Product', r]),
    ];
    for (const [sheet, r] of vendorRows) {
      const o = rowAt(result, sheet, r);
      if (sheet === 'Organization' && (r === 3 || r === 9)) {
        expect(o.outcome).toBe('kept');
        continue;
      }
      const p = plan.get(o.question);
      const d = drafts.get(o.question);
      if (!p || !d) throw new Error('unplanned row');
      const contact = sheet === 'Organization' && r <= 5; // no Yes/No list: the answer text goes into Answer
      const answerCell = diff.get(`${sheet}!C${r}`);
      const info = diff.get(`${sheet}!D${r}`) ?? '';
      expected.add(`${sheet}!D${r}`);
      if (contact) {
        if (!p.abstained) {
          expected.add(`${sheet}!C${r}`);
          expect(answerCell).toBe(d.draft);
          expect(info).toMatch(/^Draft, pending review\nSources: fake\.txt/);
        }
      } else {
        const status = p.abstained ? undefined : { yes: 'Yes', no: 'No' }[p.status as 'yes' | 'no'];
        if (status) {
          expected.add(`${sheet}!C${r}`);
          expect(answerCell).toBe(status);
        }
        if (!p.abstained) expect(info.startsWith(`${d.draft}\nDraft, pending review\nSources: fake.txt`)).toBe(true);
      }
      const flagged = p.abstained === true || p.needsHuman === true || (!contact && (p.status === 'partial' || p.status === 'not_applicable'));
      expect(info.includes('Needs review')).toBe(flagged);
    }
    // Guidance (E), Analyst Notes (F), the section headers, the copyright band, the
    // analyst, crosswalk, summary and question-bank sheets: nothing else changed.
    expect(new Set(diff.keys())).toEqual(expected);
    expectHonestCounts(result, diff, (k, v) => /!C\d+$/.test(k) && ['Yes', 'No'].includes(v));
  });
});

describe('METI cloud service-level checklist', () => {
  it('a sheet named チェックリスト is answered: the vendor setting goes into 設定', async () => {
    const file = 'layout-meti.xlsx';
    const { result, plan, drafts } = await answer(file);
    const g = result.layout.sheets.find((s) => s.sheet === 'チェックリスト');
    expect(g?.skipped).toBeNull();
    expect(g?.layout).toMatchObject({ headerRow: 3, questionCol: 4, answerCol: 6, refCol: 1, categoryCol: 2, itemCol: 3, language: 'ja' });
    // The item name (サービスレベル項目例) says what the 規定内容 is about.
    expect(g?.rows[0]?.question).toBe('提供時間帯: サービスを利用できる時間帯(定期保守による停止時間を除く)');
    expect(g?.rows.map((r) => [r.ref, r.section])).toEqual([
      ['1', 'アプリケーション運用'],
      ['2', 'アプリケーション運用'],
      ['3', 'アプリケーション運用'],
      ['4', 'アプリケーション運用'],
      ['5', 'サポート'],
      ['6', 'サポート'],
      ['7', 'データ管理'],
      ['8', 'データ管理'],
    ]);
    const diff = await changed(fixture(file), result.bytes);
    const expected = new Set<string>();
    for (const r of [4, 5, 6, 8, 9, 10, 11]) {
      const o = rowAt(result, 'チェックリスト', r);
      const p = plan.get(o.question);
      const d = drafts.get(o.question);
      if (!p || !d) throw new Error('unplanned row');
      expected.add(`チェックリスト!F${r}`);
      const text = diff.get(`チェックリスト!F${r}`) ?? '';
      if (p.abstained) expect(text).toBe('要確認: not covered by the documents');
      else expect(text.startsWith(`${d.draft}\n下書き(未承認)\n根拠: fake.txt`)).toBe(true);
      expect(text.includes('要確認')).toBe(p.abstained === true || p.needsHuman === true);
    }
    expect(rowAt(result, 'チェックリスト', 7).outcome).toBe('kept');
    expect(new Set(diff.keys())).toEqual(expected); // 測定単位, 規定内容, 種別, № and the header untouched
    expectHonestCounts(result, diff, () => false);
  });
});

describe('IPA secure web site checklist', () => {
  it('marks the chosen box ■ in place; rows needing review get no mark and are listed; merged and ticked cells untouched', async () => {
    const file = 'layout-ipa.xlsx';
    const sheet = 'セキュリティ実装チェックリスト';
    // Shifted so that the row whose check cell is merged into the row above gets a clear "yes".
    const { result, plan } = await answer(file, 1);
    const g = result.layout.sheets.find((s) => s.sheet === sheet);
    expect(g?.layout).toMatchObject({ headerRow: 3, questionCol: 5, statusCol: 4, statusKind: 'checkbox', answerCol: null, commentCol: null, refCol: 1 });
    expect(g?.rows.map((r) => r.row)).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(g?.rows.map((r) => r.section)).toEqual([...Array<string>(4).fill('SQLインジェクション'), ...Array<string>(3).fill('OSコマンド・インジェクション'), ...Array<string>(2).fill('クロスサイト・スクリプティング')]);

    const diff = await changed(fixture(file), result.bytes);
    const expected = new Map<string, string>();
    const label: Partial<Record<Status, string>> = { yes: '対応済', no: '未対策', not_applicable: '対応不要' };
    const unmarked: number[] = [];
    for (const r of [4, 5, 6, 7, 8, 9, 11, 12]) {
      const o = rowAt(result, sheet, r);
      const p = plan.get(o.question);
      if (!p) throw new Error('unplanned row');
      const chosen = label[p.status];
      if (r !== 9 && !p.abstained && !p.needsHuman && chosen) {
        const boxes = r === 12 ? '□ 対応済 / □ 未対策 / □ 対応不要' : '□対応済\n□未対策\n□対応不要';
        expected.set(`${sheet}!D${r}`, boxes.replace(new RegExp(`□( ?${chosen})`), '■$1'));
      } else {
        expect(o.needsReview).toBe(true);
        expect(o.writes).toEqual([]);
        unmarked.push(r);
      }
    }
    expect(rowAt(result, sheet, 10).outcome).toBe('kept'); // ■ already ticked
    expect(plan.get(rowAt(result, sheet, 9).question)).toEqual({ status: 'yes' });
    expect(rowAt(result, sheet, 9).reason).toMatch(/結合/); // its check cell is D8's
    expect(unmarked).toContain(9);
    expect(unmarked.length).toBeGreaterThanOrEqual(3);
    expect(diff).toEqual(expected);
    expectHonestCounts(result, diff, (_k, v) => v.includes('■'));
    expect(result.summary.perSheet[0]).toMatchObject({ questions: 9, statuses: expected.size, texts: 0 });
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('the internal draft file of a status-only checklist', () => {
  it('adds a kotae sheet with draft, sources, confidence and flag per row; the customer sheets and parts are untouched', async () => {
    const file = 'layout-ipa.xlsx';
    const sheet = 'セキュリティ実装チェックリスト';
    const bytes = fixture(file);
    const result = await answerQuestionnaireFile(
      { bytes, fileName: file },
      { product: 'krew', concurrency: 2, limits: DEFAULT_LIMITS, draftSheet: true, answer: async (q, p) => fakeDraft(q, p, { abstainEvery: 3 }) },
    );
    const before = await loadWorkbook(bytes);
    const after = await loadWorkbook(result.bytes);
    expect(after.worksheets.map((w) => w.name)).toEqual([...before.worksheets.map((w) => w.name), 'kotae']);
    // Every sheet of the customer holds what the run without the added sheet writes.
    const plain = await answerQuestionnaireFile(
      { bytes, fileName: file },
      { product: 'krew', concurrency: 2, limits: DEFAULT_LIMITS, answer: async (q, p) => fakeDraft(q, p, { abstainEvery: 3 }) },
    );
    const plainCells = cells(await loadWorkbook(plain.bytes));
    const withSheet = cells(after);
    for (const [k, v] of plainCells) expect(withSheet.get(k)).toBe(v);
    expect([...withSheet.keys()].filter((k) => !plainCells.has(k)).every((k) => k.startsWith('kotae!'))).toBe(true);

    const ws = after.getWorksheet('kotae');
    // Ten columns per line; cells kotae left empty are holes in ExcelJS's arrays.
    const table = Array.from((ws?.getSheetValues() ?? []).slice(1), (r) =>
      Array.from({ length: 10 }, (_, j) => {
        const v: unknown = Array.isArray(r) ? r[j + 1] : undefined;
        return v === undefined || v === null ? '' : String(v);
      }),
    );
    // A Japanese workbook gets the added sheet in Japanese too.
    expect(table[0]).toEqual(['シート', '行', '項番', '質問', '状況欄に記入', '下書き', '下書きの状況', '根拠', '確度', '要確認']);
    const planned = result.rows.filter((o) => o.outcome !== 'kept');
    expect(table.slice(1).map((r) => Number(r[1]))).toEqual(planned.map((o) => o.row));
    for (const [i, o] of planned.entries()) {
      const line = table[i + 1] ?? [];
      const d = fakeDraft(o.question, 'krew', { abstainEvery: 3 });
      expect(line[0]).toBe(sheet);
      expect(line[3]).toBe(o.question);
      expect(line[4]).toBe(o.writes.length > 0 ? 'はい' : 'いいえ');
      expect(line[5]).toBe(d.draft);
      expect(line[7]).toBe(d.abstained ? '' : `fake.txt ${d.citations[0]?.locator ?? ''} (${d.citations[0]?.ref ?? ''})`);
      expect(line[8]).toBe(d.confidence.toFixed(2));
      expect(line[9] !== '').toBe(o.needsReview);
    }
    expect(result.summary.draftSheetRows).toBe(planned.length);
    expect(result.notes.join(' ')).toMatch(/added "kotae" sheet/);

    // Every original part is byte-identical except the patched sheet and the three indexes that name the new one.
    const a = await zipParts(bytes);
    const b = await zipParts(result.bytes);
    const differing = [...a.keys()].filter((k) => a.get(k) !== b.get(k)).sort();
    expect(differing).toEqual(['[Content_Types].xml', 'xl/_rels/workbook.xml.rels', 'xl/workbook.xml', 'xl/worksheets/sheet2.xml'].sort());
    // The answered file read again: the kotae sheet is not taken for a questionnaire.
    const again = await loadSpreadsheet(result.bytes, file, DEFAULT_LIMITS);
    expect(detectLayout(again.grid).sheets.find((s) => s.sheet === 'kotae')?.skipped).toMatch(/kotae's own/);
  });
});
