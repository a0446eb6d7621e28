/**
 * What `kotae answer` hands back and says, run as the user runs it (main, in this process) on
 * a small English policy of the test's own, with real .xlsx files (ExcelJS) and the real review
 * queue (trial s11, findings 7 and 8, and the per-choice mark columns of layout11):
 * - a run that writes nothing into the customer's sheets says so, writes no file and exits 1,
 *   also when its drafts would only fill the added kotae sheet;
 * - per-choice mark columns (Yes | No | N/A) are named as one group in --json, and marking one
 *   choice clears the mark of another;
 * - an approved status the customer's list has no value for says a person must pick one of the
 *   list's values (not that the row waits for review), and --status takes a value of that list.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadWorkbook, valueText, xlsx } from '../questionnaire/helpers.js';
import { tsukimiCorpus, type IngestedCorpus } from './fixtures/kotae-env.js';

let corpus: IngestedCorpus;

beforeAll(async () => {
  corpus = await tsukimiCorpus('kotae-bulk-outcomes-');
}, 120_000);

afterAll(() => rmSync(corpus.made.root, { recursive: true, force: true }));

const ErrorDocument = z.object({ error: z.object({ code: z.string(), exit: z.number(), message: z.string(), hint: z.string().nullable() }) });
const Listed = z.object({ items: z.array(z.object({ id: z.string(), where: z.string().nullable() })) });

async function save(name: string, build: (wb: ExcelJS.Workbook) => void): Promise<string> {
  const path = join(corpus.made.root, name);
  writeFileSync(path, await xlsx(build));
  return path;
}

/** The review id of the job's row whose question cell is `cell` (`Sheet!B3`). */
async function reviewAt(jobId: string, cell: string): Promise<string> {
  const listed = await corpus.kotae(['review', 'list', '--job', jobId, '--json']);
  const item = Listed.parse(JSON.parse(listed.out)).items.find((i) => i.where === cell);
  if (!item) throw new Error(`no review at ${cell}: ${listed.out}`);
  return item.id;
}

const list = (values: string[]): ExcelJS.DataValidation => ({ type: 'list', allowBlank: true, formulae: [`"${values.join(',')}"`] });

describe('a run that writes nothing into the customer sheets', () => {
  it('says so, writes no file and exits 1, also when its drafts would fill only the added kotae sheet; the hint names the review queue', async () => {
    // A checklist with only a status column: rows kotae cannot vouch for get no bare mark.
    const input = await save('checklist.xlsx', (wb) => {
      const ws = wb.addWorksheet('Checklist');
      ws.getRow(1).values = ['No', 'Question', 'Status'];
      ws.getRow(2).values = ['1', 'What is served in the staff canteen on Fridays?'];
      ws.getRow(3).values = ['2', 'What colour is the head office building?'];
      for (const r of [2, 3]) ws.getCell(`C${r}`).dataValidation = list(['Yes', 'No', 'N/A']);
    });
    const res = await corpus.kotae(['answer', input, '--product', 'tsukimi']);
    expect(res.code).toBe(1);
    expect(res.err).toMatch(/^error: nothing was written into checklist\.xlsx \(2 questions, 2 need review\); no output file$/m);
    expect(res.err).toMatch(/^ {2}The drafts are in the review queue: kotae review list --job \S+/m);
    expect(res.err).not.toContain('added "kotae" sheet');
    expect(existsSync(join(corpus.made.root, 'checklist.filled.xlsx'))).toBe(false);

    const json = await corpus.kotae(['answer', input, '--product', 'tsukimi', '--json']);
    expect(json.code).toBe(1);
    expect(ErrorDocument.parse(JSON.parse(json.out)).error).toMatchObject({ code: 'failed', exit: 1, message: expect.stringMatching(/^nothing was written into checklist\.xlsx/) });
  });
});

describe('per-choice mark columns (Yes | No | Not Applicable under one merged header)', () => {
  const caiq = (wb: ExcelJS.Workbook): void => {
    const ws = wb.addWorksheet('CAIQ');
    ws.getRow(1).values = ['Question ID', 'Consensus Assessment Questions', 'Consensus Assessment Answers', '', '', 'Notes'];
    for (const range of ['C1:E1', 'A1:A2', 'B1:B2', 'F1:F2']) ws.mergeCells(range);
    ws.getCell('C2').value = 'Yes';
    ws.getCell('D2').value = 'No';
    ws.getCell('E2').value = 'Not Applicable';
    // Marked "No" by the customer's last year's answer.
    ws.getRow(3).values = ['EKM-03.1', 'Is customer data encrypted at rest?', '', 'X', '', ''];
  };

  it('--json names the whole group as the status column, each column with its choice', async () => {
    const input = await save('caiq-json.xlsx', caiq);
    const res = await corpus.kotae(['answer', input, '--product', 'tsukimi', '--overwrite', '--json']);
    expect(res.code, res.err).toBe(0);
    const sheet = z.object({ layout: z.object({ sheets: z.array(z.object({ columns: z.object({ status: z.string() }), marks: z.array(z.object({ column: z.string(), choice: z.string() })) })) }) }).parse(JSON.parse(res.out)).layout.sheets[0];
    expect(sheet?.columns.status).toBe('C–E');
    expect(sheet?.marks).toEqual([
      { column: 'C', choice: 'Yes' },
      { column: 'D', choice: 'No' },
      { column: 'E', choice: 'Not Applicable' },
    ]);
  });

  it('--overwrite marking "Yes" on a row marked "No" clears the "No": the row holds one choice', async () => {
    const input = await save('caiq.xlsx', caiq);
    const first = await corpus.kotae(['answer', input, '--product', 'tsukimi', '--overwrite', '--json']);
    expect(first.code, first.err).toBe(0);
    const jobId = z.object({ jobId: z.string() }).parse(JSON.parse(first.out)).jobId;
    const id = await reviewAt(jobId, 'CAIQ!B3');
    expect((await corpus.kotae(['review', 'approve', id, '--as', 'U_SEC', '--text', 'Yes. Customer data is encrypted at rest with AES-256.', '--status', 'yes'])).code).toBe(0);

    const out = join(corpus.made.root, 'caiq.approved.xlsx');
    const res = await corpus.kotae(['answer', input, '--product', 'tsukimi', '--approved-only', '--overwrite', '--out', out]);
    expect(res.code, res.err).toBe(0);
    const ws = (await loadWorkbook(readFileSync(out))).getWorksheet('CAIQ');
    expect(valueText(ws?.getCell('C3').value ?? null)).toBe('X');
    expect(ws?.getCell('D3').value ?? null).toBeNull();
    expect(valueText(ws?.getCell('E3').value ?? null)).toBe('');
    expect(valueText(ws?.getCell('F3').value ?? null)).toMatch(/^Yes\. Customer data is encrypted at rest with AES-256\./);
  });
});

describe('an approved status the customer list has no value for (partial in Yes / No / NA)', () => {
  it('leaves the dropdown empty and says a person must pick a value of the list, never that the row waits for review; --status takes a list value', async () => {
    const input = await save('vendor.xlsx', (wb) => {
      const ws = wb.addWorksheet('Vendor Assessment');
      ws.getRow(1).values = ['ID', 'Question', 'Answer', 'Comments'];
      ws.getRow(2).values = ['DSP-01', 'Are backups kept for at least 30 days?'];
      ws.getRow(3).values = ['DSP-02', 'Are backups encrypted with customer-managed keys?'];
      for (const r of [2, 3]) ws.getCell(`C${r}`).dataValidation = list(['Yes', 'No', 'NA']);
    });
    const drafted = await corpus.kotae(['answer', input, '--product', 'tsukimi', '--json']);
    expect(drafted.code, drafted.err).toBe(0);
    const jobId = z.object({ jobId: z.string() }).parse(JSON.parse(drafted.out)).jobId;
    const partial = await reviewAt(jobId, 'Vendor Assessment!B2');
    expect((await corpus.kotae(['review', 'approve', partial, '--as', 'U_SEC', '--text', 'Backups are kept for 14 days, not 30.', '--status', 'partial'])).code).toBe(0);
    // The approver answers with the customer's own value: "No" is read as the status no.
    const listed = await reviewAt(jobId, 'Vendor Assessment!B3');
    const picked = await corpus.kotae(['review', 'approve', listed, '--as', 'U_SEC', '--text', 'Backups are encrypted with keys we manage.', '--status', 'No']);
    expect(picked.code, picked.err).toBe(0);

    const out = join(corpus.made.root, 'vendor.approved.xlsx');
    const res = await corpus.kotae(['answer', input, '--product', 'tsukimi', '--approved-only', '--out', out]);
    expect(res.code, res.err).toBe(0);
    const line = res.out.split('\n').find((l) => l.includes('Vendor Assessment!B2')) ?? '';
    expect(line).toContain(`the approver's status "partial" has no value in the customer's list for this column (Yes / No / NA): a person must pick one in the file (or, when approving, give one: --status Yes|No|NA); the status cell is left empty`);
    expect(line).not.toMatch(/waits for approval|no choice for/);
    const ws = (await loadWorkbook(readFileSync(out))).getWorksheet('Vendor Assessment');
    expect(valueText(ws?.getCell('C2').value ?? null)).toBe('');
    expect(valueText(ws?.getCell('D2').value ?? null)).toBe('Backups are kept for 14 days, not 30.');
    expect(valueText(ws?.getCell('C3').value ?? null)).toBe('No');
    expect(valueText(ws?.getCell('D3').value ?? null)).toBe('Backups are encrypted with keys we manage.');
  });

  it('a --status that is neither a status nor a list value is a usage error naming both', async () => {
    const res = await corpus.kotae(['review', 'approve', '1', '--as', 'U_SEC', '--text', 'x', '--status', 'maybe']);
    expect(res.code).toBe(2);
    expect(res.err).toMatch(/must be one of yes, no, partial, not_applicable, unknown \(or a value of the customer's list: Yes, No, N\/A/);
  });
});
