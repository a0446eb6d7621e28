/**
 * The review workbook round trip as a reviewer lives it: `kotae review export`, the sheet
 * edited with ExcelJS the way a person edits it in Excel, `kotae review import`. Covers
 * the sheet a reviewer works in, conflicts, tampering, invalid rows, dry runs, re-import
 * and 300 decisions in one import.
 */
import { createReviewQueue } from '../../src/workflow.js';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadConfig } from '../../src/config.js';
import { runReview, type ReviewCliDeps } from '../../src/cli/review.js';
import { decide, enqueueDraft, getAuditTrail, getReview, withdrawReview } from '../../src/review/queue.js';
import type { Draft } from '../../src/domain.js';
import type { AnswerLibrary, ApprovedAnswer, ReviewRecord } from '../../src/review/types.js';
import type { Database } from '../../src/store/database.js';
import { openTestDatabase } from '../support/db.js';
import { abstainedDraft, citation, makeDraft } from './fixtures/drafts.js';
import { decideRow, editSheet } from './fixtures/review-sheet.js';

const JOB = 'bulk-test-job';
const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

interface Setup {
  db: Database;
  dir: string;
  synced: Array<{ upsert: string[]; remove: string[] }>;
  run: (...argv: string[]) => Promise<{ code: number; out: string; err: string }>;
}

async function setup(env: Record<string, string> = { KOTAE_APPROVERS: 'U_SEC,U_OTHER' }): Promise<Setup> {
  const db = await openTestDatabase();
  const dir = mkdtempSync(join(tmpdir(), 'kotae-sheet-'));
  dirs.push(dir);
  const synced: Setup['synced'] = [];
  const library: AnswerLibrary = {
    upsert: async () => {
      throw new Error('a workbook import writes the library in one sync');
    },
    remove: async () => {
      throw new Error('a workbook import writes the library in one sync');
    },
    sync: async (change) => void synced.push({ upsert: change.upsert.map((e: ApprovedAnswer) => e.reviewId), remove: change.remove }),
  };
  const stdout: string[] = [];
  const stderr: string[] = [];
  const config = loadConfig(env);
  const deps: ReviewCliDeps = { reviews: createReviewQueue(db, config, { library }), config, out: (s) => stdout.push(s), err: (s) => stderr.push(s) };
  const run = async (...argv: string[]) => {
    stdout.length = 0;
    stderr.length = 0;
    const code = await runReview(argv, deps);
    return { code, out: stdout.join(''), err: stderr.join('') };
  };
  return { db, dir, synced, run };
}

/** A bulk job of `n` rows as `kotae answer` leaves it: located, asked by U_SALES. */
async function job(db: Database, n: number, jobId = JOB, draft: Partial<Draft> = {}): Promise<ReviewRecord[]> {
  const rows: ReviewRecord[] = [];
  for (let i = 0; i < n; i++) {
    rows.push(
      await enqueueDraft(
        db,
        makeDraft({ question: `Is backup data kept in a second region? (row ${i + 3})`, confidence: 0.5 + (i % 5) / 10 + 0.0123, ...draft }),
        { askedBy: 'U_SALES', jobId, rowKey: `q-${jobId}-${i}`, location: `質問票!C${i + 3}`, itemRef: `7-${i + 1}` },
      ),
    );
  }
  return rows;
}

async function auditCount(db: Database, reviews: ReviewRecord[]): Promise<number> {
  let n = 0;
  for (const r of reviews) n += (await getAuditTrail(db, r.id)).length;
  return n;
}

describe('kotae review export', () => {
  it('writes a sheet a reviewer can work in: where, item, question, draft, sources, state, then the decision columns', async () => {
    const { db, dir, run } = await setup();
    const rows = await job(db, 3);
    const hostile = await enqueueDraft(db, makeDraft({ question: '=HYPERLINK("http://x","click")', citations: [citation('krew/krew.txt#L9', { ref: '3-2', text: '暗号化している。 AES-256' })] }), {
      askedBy: 'U_SALES',
      jobId: JOB,
      rowKey: 'q-hostile',
    });
    const replaced = await enqueueDraft(db, makeDraft(), { askedBy: 'U_SALES', jobId: JOB, rowKey: 'q-replaced' });
    await withdrawReview(db, replaced.id, { note: 'replaced' });
    await enqueueDraft(db, makeDraft(), { askedBy: null, jobId: 'another-job', rowKey: 'q-1' });
    const out = join(dir, 'review.xlsx');

    const res = await run('export', '--job', JOB, '--out', out);
    expect(res).toMatchObject({ code: 0, out: `wrote ${out}: 4 reviews of job ${JOB}\n` });

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const ws = wb.getWorksheet('Review');
    if (!ws) throw new Error('no Review sheet');
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual([
      'ID', '場所 / Where', '項番 / Item', '質問 / Question', '下書き / Draft', '下書きの回答 / Draft status', '確信度 / Confidence', '根拠 / Sources', '状態 / State',
      '判定 / Decision', '修正後の回答 / Edited answer', '回答 / Status', '理由 / Reason', 'job', 'version', 'check', 'draft check',
    ]);
    // One row per review of the job, withdrawn and other jobs' reviews left out.
    expect(ws.rowCount).toBe(5);
    const first = ws.getRow(2);
    expect(first.getCell(1).value).toBe(Number(rows[0]?.id));
    expect(first.getCell(2).value).toBe('質問票!C3');
    expect(first.getCell(3).value).toBe('7-1');
    expect(first.getCell(4).value).toBe(rows[0]?.question);
    expect(first.getCell(5).value).toBe(rows[0]?.answer);
    // The draft's status beside the draft; the reviewer's 回答 / Status starts empty, a choice list.
    expect(first.getCell(6).value).toBe('yes');
    expect(first.getCell(12).value).toBeNull();
    // Only statuses an approved answer may carry ("unknown" would reach the customer as no status), in either team's words.
    expect(first.getCell(12).dataValidation).toMatchObject({ type: 'list', formulae: ['"yes,no,partial,not_applicable,はい,いいえ,一部,該当なし"'] });
    expect(first.getCell(7).value).toBe(0.51);
    expect(String(first.getCell(8).value)).toMatch(/^krew\.txt L53 \(6-15\)\ntext of krew\/krew\.txt#L53$/);
    expect(first.getCell(9).value).toBe('drafted');
    // The reviewer's decision is a choice list, in Japanese and English.
    expect(first.getCell(10).dataValidation).toMatchObject({ type: 'list', formulae: ['"承認,編集,却下,Approve,Edit,Reject"'] });
    expect(first.getCell(4).alignment).toMatchObject({ wrapText: true });
    // Frozen header row and ID column, a filter on the header, widths, bookkeeping hidden.
    expect(ws.views[0]).toMatchObject({ state: 'frozen', xSplit: 1, ySplit: 1 });
    expect(ws.autoFilter).toBeTruthy();
    expect(ws.getColumn(4).width).toBeGreaterThanOrEqual(40);
    expect([14, 15, 16, 17].map((c) => ws.getColumn(c).hidden)).toEqual([true, true, true, true]);
    expect([2, 6, 10, 11, 12, 13].map((c) => ws.getColumn(c).hidden)).toEqual([false, false, false, false, false, false]);
    // Questionnaire text is data: a formula-looking question is a string cell, which never evaluates, shown as written.
    const hostileRow = ws.getRow(5);
    expect(hostileRow.getCell(1).value).toBe(Number(hostile.id));
    expect(hostileRow.getCell(4).value).toBe('=HYPERLINK("http://x","click")');
    expect(hostileRow.getCell(4).type).toBe(ExcelJS.ValueType.String);
    expect(hostileRow.getCell(2).value).toBe('asked by U_SALES');
    expect(String(hostileRow.getCell(8).value)).toContain('暗号化している。 AES-256');

    const waiting = join(dir, 'waiting.xlsx');
    await decide(db, rows[0]?.id ?? '', { action: 'approve', actor: 'U_SEC' }, { policy: { approvers: ['U_SEC'], approverGroup: undefined, fourEyes: false } });
    expect((await run('export', '--job', JOB, '--state', 'drafted', '--out', waiting)).out).toContain('3 reviews');
  });

  it('shows questions and drafts that start with = + - @ as written, each a string cell that never runs, and they come back unchanged through import and review list', async () => {
    const { db, dir, run } = await setup();
    const texts = ['=1+1 MFA is available for admins', '+81 3 1234 5678 is the security hotline', '@channel is not used for incidents', '-5 days is the patch window'];
    const reviews: ReviewRecord[] = [];
    for (const [i, t] of texts.entries()) {
      reviews.push(await enqueueDraft(db, makeDraft({ question: `${t}?`, draft: t }), { askedBy: 'U_SALES', jobId: JOB, rowKey: `q-sign-${i}`, location: `質問票!C${i + 3}` }));
    }
    const file = join(dir, 'review.xlsx');
    expect((await run('export', '--job', JOB, '--out', file)).code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const ws = wb.getWorksheet('Review');
    if (!ws) throw new Error('no Review sheet');
    for (const [i, t] of texts.entries()) {
      const row = ws.getRow(i + 2);
      for (const [cell, expected] of [[row.getCell(4), `${t}?`], [row.getCell(5), t]] as const) {
        expect(cell.value).toBe(expected);
        expect(cell.type).toBe(ExcelJS.ValueType.String);
      }
    }
    await editSheet(file, (row, col) => {
      for (const r of reviews) decideRow(row(r.id), col, '承認');
    });
    const imported = await run('import', file, '--as', 'U_SEC');
    expect(imported).toMatchObject({ code: 0, err: '' });
    expect(imported.out).toContain('applied 4 approved, 0 edited');
    for (const [i, r] of reviews.entries()) expect(await getReview(db, r.id)).toMatchObject({ state: 'approved', question: `${texts[i]}?`, answer: texts[i] });
    const listed = await run('list', '--json');
    const items = z.object({ items: z.array(z.object({ question: z.string() })) }).parse(JSON.parse(listed.out)).items;
    expect(items.map((x) => x.question).sort()).toEqual(texts.map((t) => `${t}?`).sort());
    const table = (await run('list')).out;
    for (const t of texts) expect(table).toContain(`  ${t}?`);
  });

  it("lists the rows in the customer's file order, by sheet then row, whatever order the drafts were finished in", async () => {
    const { db, dir, run } = await setup();
    // Drafted out of order, as a run with several drafts in flight files them.
    const filed = ['基本!C9', '基本!C4', 'Network!C5', '基本!C12', 'Network!C3', null, '基本!B4'];
    for (const [i, location] of filed.entries()) {
      await enqueueDraft(db, makeDraft(), { askedBy: 'U_SALES', jobId: JOB, rowKey: `q-order-${i}`, ...(location ? { location } : {}) });
    }
    const file = join(dir, 'review.xlsx');
    await run('export', '--job', JOB, '--out', file);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const ws = wb.getWorksheet('Review');
    if (!ws) throw new Error('no Review sheet');
    const where = Array.from({ length: ws.rowCount - 1 }, (_, i) => ws.getRow(i + 2).getCell(2).text);
    // A review without a location (asked directly, or from before locations) comes last.
    expect(where).toEqual(['基本!B4', '基本!C4', '基本!C9', '基本!C12', 'Network!C3', 'Network!C5', 'asked by U_SALES']);
  });

  it('checks --out before doing anything and refuses an unknown job', async () => {
    const { db, dir, run } = await setup();
    await job(db, 2);
    const existing = join(dir, 'taken.xlsx');
    writeFileSync(existing, 'keep me');
    expect(await run('export', '--job', JOB, '--out', existing)).toMatchObject({ code: 2, err: expect.stringMatching(/already exists\n {2}Pass --force/) });
    expect((await run('export', '--job', JOB, '--out', existing, '--force')).code).toBe(0);
    mkdirSync(join(dir, 'folder'));
    expect(await run('export', '--job', JOB, '--out', join(dir, 'folder'))).toMatchObject({ code: 2, err: expect.stringContaining('is a directory') });
    expect(await run('export', '--job', JOB, '--out', join(dir, 'missing', 'r.xlsx'))).toMatchObject({ code: 2, err: expect.stringContaining('does not exist') });
    expect(await run('export', '--job', 'no-such-job', '--out', join(dir, 'r.xlsx'))).toMatchObject({ code: 3, err: expect.stringContaining('job no-such-job does not exist') });
    expect((await run('export', '--out', join(dir, 'r.xlsx'))).code).toBe(2);
  });
});

describe('kotae review import never drops what a reviewer typed', () => {
  it('refuses an edited answer whose 回答 / Status is left as exported (empty), naming the row, and imports the status the reviewer then gives', async () => {
    const { db, dir, run, synced } = await setup();
    const rows = await job(db, 2); // both drafts say "yes"
    const [a, b] = rows.map((r) => r.id);
    const file = join(dir, 'review.xlsx');
    await run('export', '--job', JOB, '--out', file);
    await editSheet(file, (row, col) => {
      decideRow(row(a ?? ''), col, '編集', 'No. Backups stay in the primary region only.');
      decideRow(row(b ?? ''), col, 'Edit', 'Only the nightly full backup leaves the primary region.');
      row(b ?? '').getCell(col('回答 / Status')).value = 'partial';
    });

    const refused = await run('import', file, '--as', 'U_SEC');
    expect(refused.code).toBe(2);
    expect(refused.err).toContain(
      `invalid: row 2 (#${a}, 質問票!C3): an edited answer needs its status in the 回答 / Status column (yes, no, partial, not_applicable): the draft's "yes" was judged for the draft's text`,
    );
    expect(refused.err).not.toContain('row 3');
    expect(await Promise.all([a, b].map(async (id) => (await getReview(db, id ?? '')).state))).toEqual(['drafted', 'drafted']);
    expect(synced).toEqual([]);

    // A Japanese reviewer types いいえ: it is the status "no".
    await editSheet(file, (row, col) => void (row(a ?? '').getCell(col('回答 / Status')).value = 'いいえ'));
    expect((await run('import', file, '--as', 'U_SEC')).code).toBe(0);
    expect(await getReview(db, a ?? '')).toMatchObject({ state: 'edited', answer: 'No. Backups stay in the primary region only.', status: 'no', citations: [] });
    expect(await getReview(db, b ?? '')).toMatchObject({ state: 'edited', status: 'partial' });
  });

  it('refuses a row whose Draft was typed over, even on a dry run, saying the new text goes in the edited answer with 編集 / Edit', async () => {
    const { db, dir, run } = await setup();
    const rows = await job(db, 3);
    const [a, b, c] = rows.map((r) => r.id);
    const draft = rows[0]?.answer ?? '';
    const file = join(dir, 'review.xlsx');
    await run('export', '--job', JOB, '--out', file);
    const rewrite = 'Backups are copied to a second region every six hours.';
    await editSheet(file, (row, col) => {
      decideRow(row(a ?? ''), col, '承認');
      row(a ?? '').getCell(col('下書き / Draft')).value = rewrite;
      // Rewritten without a decision: still refused, or the reviewer's text would vanish unseen.
      row(b ?? '').getCell(col('下書き / Draft')).value = `${draft} Restores are tested monthly.`;
      decideRow(row(c ?? ''), col, '承認');
    });

    for (const dryRun of [['--dry-run'], []]) {
      const res = await run('import', file, '--as', 'U_SEC', ...dryRun);
      expect(res.code).toBe(2);
      const lines = res.err.trim().split('\n');
      expect(lines.slice(0, 2)).toEqual([
        `invalid: row 2 (#${a}, 質問票!C3): the 下書き / Draft text was changed; it is kotae's draft and is not imported: put your text in 修正後の回答 / Edited answer with 判定 / Decision = 編集 / Edit (and its 回答 / Status), and undo the change to the draft`,
        expect.stringMatching(new RegExp(`^invalid: row 3 \\(#${b}, 質問票!C4\\): the 下書き / Draft text was changed`)),
      ]);
    }
    expect(await Promise.all(rows.map(async (r) => (await getReview(db, r.id)).state))).toEqual(['drafted', 'drafted', 'drafted']);

    // Done as the message says; a line break Excel put in the draft's text is no change.
    await editSheet(file, (row, col) => {
      row(a ?? '').getCell(col('下書き / Draft')).value = draft;
      decideRow(row(a ?? ''), col, '編集', rewrite);
      row(a ?? '').getCell(col('回答 / Status')).value = 'yes';
      row(b ?? '').getCell(col('下書き / Draft')).value = draft.replace(' ', '\r\n');
    });
    const res = await run('import', file, '--as', 'U_SEC');
    expect(res).toMatchObject({ code: 0, err: '' });
    expect(await getReview(db, a ?? '')).toMatchObject({ state: 'edited', answer: rewrite, status: 'yes' });
    expect(await getReview(db, c ?? '')).toMatchObject({ state: 'approved', answer: draft });
  });

  it('applies 承認 / Approve with a new 回答 / Status as `review approve --status` does, and refuses a changed Draft status cell', async () => {
    const { db, dir, run } = await setup();
    // A text that states no status of its own: a new status does not contradict it.
    const rows = await job(db, 4, JOB, { draft: 'Backups are copied to a second region every night.' });
    const [a, b, c, d] = rows.map((r) => r.id);
    const file = join(dir, 'review.xlsx');
    await run('export', '--job', JOB, '--out', file);
    await editSheet(file, (row, col) => {
      decideRow(row(a ?? ''), col, '承認', undefined, undefined, 'partial');
      // The draft's own status restated: a plain approval.
      decideRow(row(c ?? ''), col, 'Approve', undefined, undefined, 'yes');
    });
    const res = await run('import', file, '--as', 'U_SEC');
    expect(res).toMatchObject({ code: 0, err: '' });
    expect(res.out).toContain('applied 1 approved, 1 edited, 0 rejected');
    expect((await run('approve', b ?? '', '--status', 'partial', '--as', 'U_SEC')).code).toBe(0);
    const viaCli = await getReview(db, b ?? '');
    const viaSheet = await getReview(db, a ?? '');
    expect(viaSheet).toMatchObject({ state: viaCli.state, status: 'partial', answer: rows[0]?.answer, citations: rows[0]?.citations });
    expect(viaSheet.citations).toHaveLength(1);
    expect(await getReview(db, c ?? '')).toMatchObject({ state: 'approved', status: 'yes' });

    // The status typed over the draft's, where it is shown but never read.
    await editSheet(file, (row, col) => {
      decideRow(row(d ?? ''), col, 'Approve');
      row(d ?? '').getCell(col('下書きの回答 / Draft status')).value = 'no';
    });
    const refused = await run('import', file, '--as', 'U_SEC');
    expect(refused.code).toBe(2);
    expect(refused.err).toContain(
      `invalid: row 5 (#${d}, 質問票!C6): the 下書きの回答 / Draft status cell was changed ("no"); it shows the draft's and is not imported: put your status in 回答 / Status and undo the change`,
    );
    expect((await getReview(db, d ?? '')).state).toBe('drafted');
    await editSheet(file, (row, col) => {
      row(d ?? '').getCell(col('下書きの回答 / Draft status')).value = 'yes';
      row(d ?? '').getCell(col('回答 / Status')).value = 'no';
    });
    expect((await run('import', file, '--as', 'U_SEC')).code).toBe(0);
    expect(await getReview(db, d ?? '')).toMatchObject({ state: 'edited', status: 'no', answer: rows[3]?.answer });
  });

  it("refuses 承認 / Approve with a 回答 / Status the draft's own text contradicts, naming the row, and applies the text given with that status", async () => {
    const { db, dir, run, synced } = await setup();
    const hedged = '[Needs review] Possibly yes: the closest evidence is item 1-2 of our published krew security checksheet, which may not fully answer the question.';
    const [a] = (await job(db, 1, JOB, { draft: hedged, status: 'yes', needsHuman: true })).map((r) => r.id);
    const file = join(dir, 'review.xlsx');
    await run('export', '--job', JOB, '--out', file);
    await editSheet(file, (row, col) => decideRow(row(a ?? ''), col, '承認', undefined, undefined, 'No'));
    const refused = await run('import', file, '--as', 'U_SEC');
    expect(refused.code).toBe(2);
    expect(refused.err).toContain(`invalid: row 2 (#${a}, 質問票!C3): review #${a}: the answer's text states "yes" but the status is "no"`);
    expect(await getReview(db, a ?? '')).toMatchObject({ state: 'needs_human', status: 'yes' });
    expect(synced).toEqual([]);

    await editSheet(file, (row, col) => decideRow(row(a ?? ''), col, '編集', 'No. Backups stay in the primary region.', undefined, 'No'));
    expect((await run('import', file, '--as', 'U_SEC')).code).toBe(0);
    expect(await getReview(db, a ?? '')).toMatchObject({ state: 'edited', status: 'no', answer: 'No. Backups stay in the primary region.' });
  });

  it('refuses every row of a review that appears twice, whatever they decide, and applies nothing until one is left', async () => {
    const { db, dir, run, synced } = await setup();
    const [a, b] = (await job(db, 2)).map((r) => r.id);
    const file = join(dir, 'review.xlsx');
    await run('export', '--job', JOB, '--out', file);
    await editSheet(file, (row, col, ws) => {
      decideRow(row(a ?? ''), col, '承認');
      decideRow(row(b ?? ''), col, '承認');
      // A copied row (row 4), decided the other way.
      const copy = ws.addRow(row(a ?? '').values);
      decideRow(copy, col, '却下', undefined, 'Not offered in the standard plan.');
      // A copy (row 5) that is wrong in another way too: both are said at once.
      decideRow(ws.addRow(row(b ?? '').values), col, '編集', 'Backups are kept for 90 days.');
    });

    const res = await run('import', file, '--as', 'U_SEC');
    expect(res.code).toBe(2);
    expect(res.err).not.toContain('conflict');
    const twice = `review #${a} is on rows 2 and 4: keep one row per review (none of them is applied)`;
    const twiceB = `review #${b} is on rows 3 and 5: keep one row per review (none of them is applied)`;
    expect(res.err.trim().split('\n')).toEqual([
      `invalid: row 2 (#${a}, 質問票!C3): ${twice}`,
      `invalid: row 3 (#${b}, 質問票!C4): ${twiceB}`,
      `invalid: row 4 (#${a}, 質問票!C3): ${twice}`,
      expect.stringMatching(new RegExp(`^invalid: row 5 \\(#${b}, 質問票!C4\\): an edited answer needs its status .*; and ${twiceB.replace(/[()]/g, '\\$&')}$`)),
      expect.stringMatching(/^nothing was applied: fix the 4 rows above/),
    ]);
    expect(await Promise.all([a, b].map(async (id) => (await getReview(db, id ?? '')).state))).toEqual(['drafted', 'drafted']);
    expect(synced).toEqual([]);

    await editSheet(file, (_row, _col, ws) => {
      ws.spliceRows(5, 1);
      ws.spliceRows(4, 1);
    });
    const fixed = await run('import', file, '--as', 'U_SEC');
    expect(fixed.err).toBe('');
    expect(await Promise.all([a, b].map(async (id) => (await getReview(db, id ?? '')).state))).toEqual(['approved', 'approved']);
  });
});

describe('kotae review import', () => {
  it('applies approvals, edits and rejections as the importing user, each audited, in one library write; a second import changes nothing', async () => {
    const { db, dir, run, synced } = await setup();
    const rows = await job(db, 6);
    const [a, b, c, d] = rows.map((r) => r.id);
    const file = join(dir, 'review.xlsx');
    await run('export', '--job', JOB, '--out', file);
    await editSheet(file, (row, col) => {
      decideRow(row(a ?? ''), col, '承認');
      decideRow(row(b ?? ''), col, 'Approve');
      decideRow(row(c ?? ''), col, '編集', 'Yes. Backups are copied to a second region every night.', undefined, 'yes');
      decideRow(row(d ?? ''), col, '却下', undefined, 'We do not offer this in the standard plan.');
    });

    const res = await run('import', file, '--as', 'U_SEC');
    expect(res.err).toBe('');
    expect(res.code).toBe(0);
    expect(res.out).toBe(`${file}: applied 2 approved, 1 edited, 1 rejected; 0 unchanged, 0 conflicts, 2 without a decision\n`);
    expect(await getReview(db, a ?? '')).toMatchObject({ state: 'approved', approvedBy: 'U_SEC' });
    expect(await getReview(db, b ?? '')).toMatchObject({ state: 'approved', approvedBy: 'U_SEC' });
    expect(await getReview(db, c ?? '')).toMatchObject({ state: 'edited', answer: 'Yes. Backups are copied to a second region every night.', approvedBy: 'U_SEC' });
    expect(await getReview(db, d ?? '')).toMatchObject({ state: 'rejected', note: 'We do not offer this in the standard plan.' });
    expect((await getReview(db, rows[4]?.id ?? '')).state).toBe('drafted');
    expect((await getAuditTrail(db, c ?? '')).at(-1)).toMatchObject({ action: 'edit', actor: 'U_SEC', fromState: 'drafted', toState: 'edited' });
    expect(synced).toEqual([{ upsert: [a, b, c], remove: [d] }]);

    const events = await auditCount(db, rows);
    const again = await run('import', file, '--as', 'U_SEC', '--json');
    expect(again.code).toBe(0);
    const report = z
      .object({ counts: z.object({ approved: z.number(), edited: z.number(), rejected: z.number(), unchanged: z.number(), conflicts: z.number(), invalid: z.number(), undecided: z.number() }) })
      .parse(JSON.parse(again.out));
    expect(report.counts).toEqual({ approved: 0, edited: 0, rejected: 0, unchanged: 4, conflicts: 0, invalid: 0, undecided: 2 });
    expect(await auditCount(db, rows)).toBe(events);
    expect(synced).toHaveLength(1);
  });

  it('skips and reports rows someone else decided after the export (who, when), and applies the rest', async () => {
    const { db, dir, run } = await setup();
    const [a, b, c] = (await job(db, 3)).map((r) => r.id);
    const file = join(dir, 'review.xlsx');
    await run('export', '--job', JOB, '--out', file);
    expect((await run('approve', a ?? '', '--as', 'U_OTHER')).code).toBe(0);
    const other = await getReview(db, a ?? '');
    await editSheet(file, (row, col) => {
      decideRow(row(a ?? ''), col, '却下', undefined, 'wrong region');
      decideRow(row(b ?? ''), col, '承認');
      decideRow(row(c ?? ''), col, '承認');
    });

    const res = await run('import', file, '--as', 'U_SEC');
    expect(res.code).toBe(5);
    expect(res.err).toBe(`conflict: row 2 (#${a}, 質問票!C3): already approved by U_OTHER at ${other.updatedAt}; skipped\n`);
    expect(res.out).toContain('applied 2 approved, 0 edited, 0 rejected; 0 unchanged, 1 conflicts');
    expect(await getReview(db, a ?? '')).toMatchObject({ state: 'approved', approvedBy: 'U_OTHER', version: other.version });
    expect((await getReview(db, b ?? '')).state).toBe('approved');

    const json = await run('import', file, '--as', 'U_SEC', '--json');
    expect(JSON.parse(json.out)).toMatchObject({ conflicts: [{ row: 2, id: a, state: 'approved', by: 'U_OTHER', at: other.updatedAt }], unchanged: [{ row: 3 }, { row: 4 }] });
  });

  it('reports every invalid row by number and applies nothing: edit without text, reject without reason, unknown decision, tampered id, job or version', async () => {
    const { db, dir, run, synced } = await setup();
    const rows = await job(db, 8);
    const other = await enqueueDraft(db, makeDraft(), { askedBy: null, jobId: 'another-job', rowKey: 'q-x' });
    const ids = rows.map((r) => r.id);
    const file = join(dir, 'review.xlsx');
    await run('export', '--job', JOB, '--out', file);
    await editSheet(file, (row, col) => {
      decideRow(row(ids[0] ?? ''), col, '承認'); // valid: must not be applied either
      decideRow(row(ids[1] ?? ''), col, '編集'); // no text
      decideRow(row(ids[2] ?? ''), col, '却下'); // no reason
      decideRow(row(ids[3] ?? ''), col, 'OK'); // not a choice
      const tamperedId = row(ids[4] ?? '');
      decideRow(tamperedId, col, '承認');
      tamperedId.getCell(col('ID')).value = Number(other.id);
      const tamperedJob = row(ids[5] ?? '');
      decideRow(tamperedJob, col, '承認');
      tamperedJob.getCell(col('job')).value = 'another-job';
      const tamperedVersion = row(ids[6] ?? '');
      decideRow(tamperedVersion, col, '承認');
      tamperedVersion.getCell(col('version')).value = 9;
      row(ids[7] ?? '').getCell(col('修正後の回答 / Edited answer')).value = 'text but no decision';
    });
    const events = await auditCount(db, rows);

    const res = await run('import', file, '--as', 'U_SEC');
    expect(res.code).toBe(2);
    expect(res.out).toBe('');
    const lines = res.err.trim().split('\n');
    expect(lines.slice(0, -1).map((l) => /^invalid: row (\d+)/.exec(l)?.[1])).toEqual(['3', '4', '5', '6', '7', '8', '9']);
    expect(lines[0]).toContain('編集 / Edit needs the corrected answer');
    expect(lines[1]).toContain('却下 / Reject needs a reason');
    expect(lines[2]).toContain('decision "OK" is not one of');
    expect(lines[3]).toContain('the ID, job or version cells were changed');
    expect(lines[6]).toContain('without a decision');
    expect(lines.at(-1)).toMatch(/^nothing was applied: fix the 7 rows above/);
    expect(await Promise.all(rows.map(async (r) => (await getReview(db, r.id)).state))).toEqual(Array(8).fill('drafted'));
    expect((await getReview(db, other.id)).state).toBe('drafted');
    expect(await auditCount(db, rows)).toBe(events);
    expect(synced).toEqual([]);
  });

  it('refuses rows the rules refuse, with nothing applied: four-eyes, an abstained draft approved as-is; a non-approver is refused outright', async () => {
    const { db, dir, run } = await setup({ KOTAE_APPROVERS: 'U_SEC,U_SALES', KOTAE_FOUR_EYES: 'true' });
    const [a, b] = (await job(db, 2)).map((r) => r.id);
    const abstained = await enqueueDraft(db, abstainedDraft(), { askedBy: 'U_OTHER', jobId: JOB, rowKey: 'q-abstained' });
    const file = join(dir, 'review.xlsx');
    await run('export', '--job', JOB, '--out', file);
    await editSheet(file, (row, col) => {
      decideRow(row(a ?? ''), col, '承認');
      decideRow(row(b ?? ''), col, '却下', undefined, 'not offered');
    });
    // U_SALES asked these questions: rejecting is allowed, approving is not (four-eyes).
    const own = await run('import', file, '--as', 'U_SALES');
    expect(own.code).toBe(4);
    expect(own.err).toContain(`invalid: row 2 (#${a}, 質問票!C3): four-eyes: U_SALES asked this question`);
    expect((await getReview(db, b ?? '')).state).toBe('drafted');

    const stranger = await run('import', file, '--as', 'U_MALLORY');
    expect(stranger).toMatchObject({ code: 4, err: 'error: U_MALLORY is not an approver (not in KOTAE_APPROVERS)\n' });

    await editSheet(file, (row, col) => decideRow(row(abstained.id), col, 'Approve'));
    const asIs = await run('import', file, '--as', 'U_SEC');
    expect(asIs.code).toBe(4);
    expect(asIs.err).toContain('the draft abstained, so there is no answer to approve as-is');
    expect(await Promise.all([a, b, abstained.id].map(async (id) => (await getReview(db, id ?? '')).state))).toEqual(['drafted', 'drafted', 'needs_human']);
  });

  it('--dry-run reports what would happen and changes nothing', async () => {
    const { db, dir, run, synced } = await setup();
    const [a, b] = (await job(db, 2)).map((r) => r.id);
    const file = join(dir, 'review.xlsx');
    await run('export', '--job', JOB, '--out', file);
    await editSheet(file, (row, col) => {
      decideRow(row(a ?? ''), col, 'Edit', 'Corrected.', undefined, 'partial');
      decideRow(row(b ?? ''), col, 'Reject', undefined, 'no');
    });
    const res = await run('import', file, '--as', 'U_SEC', '--dry-run', '--json');
    expect(res.code).toBe(0);
    expect(JSON.parse(res.out)).toMatchObject({ dryRun: true, applied: [{ row: 2, id: a, from: 'drafted', to: 'edited' }, { row: 3, id: b, from: 'drafted', to: 'rejected' }] });
    expect(await Promise.all([a, b].map(async (id) => (await getReview(db, id ?? '')).version))).toEqual([1, 1]);
    expect(synced).toEqual([]);
  });

  it('refuses files that are not review workbooks, missing files and directories with one line', async () => {
    const { dir, run } = await setup();
    const plain = new ExcelJS.Workbook();
    plain.addWorksheet('質問票').addRow(['No.', '質問', '回答']);
    const other = join(dir, 'questionnaire.xlsx');
    await plain.xlsx.writeFile(other);
    expect(await run('import', other, '--as', 'U_SEC')).toMatchObject({ code: 2, err: expect.stringMatching(/^error: questionnaire\.xlsx is not a kotae review workbook/) });
    expect(await run('import', join(dir, 'nope.xlsx'), '--as', 'U_SEC')).toMatchObject({ code: 2, err: `error: ${join(dir, 'nope.xlsx')}: no such file\n  Check the path.\n` });
    expect(await run('import', dir, '--as', 'U_SEC')).toMatchObject({ code: 2, err: expect.stringContaining('is a directory') });
    // A sheet an earlier kotae exported (other columns) is named as such, not taken for a questionnaire.
    const old = new ExcelJS.Workbook();
    old.addWorksheet('Review').addRow(['ID', '場所 / Where', '項番 / Item', '質問 / Question', '下書き / Draft', '回答 / Status', '判定 / Decision', 'job', 'version', 'check']);
    const oldFile = join(dir, 'old-review.xlsx');
    await old.xlsx.writeFile(oldFile);
    expect(await run('import', oldFile, '--as', 'U_SEC')).toMatchObject({
      code: 2,
      err: expect.stringMatching(/^error: old-review\.xlsx is a review workbook from an earlier kotae, whose columns differ\n {2}Export one with kotae review export/),
    });
    const text = join(dir, 'notes.xlsx');
    writeFileSync(text, 'not a zip');
    expect((await run('import', text, '--as', 'U_SEC')).code).toBe(2);
    expect((await run('import', other)).code).toBe(2);
  });

  it('imports 300 decisions in under 5 seconds', async () => {
    const { db, dir, run, synced } = await setup();
    const rows = await job(db, 300);
    const file = join(dir, 'review.xlsx');
    await run('export', '--job', JOB, '--out', file);
    await editSheet(file, (row, col) => {
      rows.forEach((r, i) => {
        if (i % 3 === 0) decideRow(row(r.id), col, '承認');
        else if (i % 3 === 1) decideRow(row(r.id), col, '編集', `Edited answer ${i}.`, undefined, 'yes');
        else decideRow(row(r.id), col, '却下', undefined, `reason ${i}`);
      });
    });
    const started = performance.now();
    const res = await run('import', file, '--as', 'U_SEC');
    const seconds = (performance.now() - started) / 1000;
    expect(res.code).toBe(0);
    expect(res.out).toContain('applied 100 approved, 100 edited, 100 rejected');
    expect(seconds).toBeLessThan(5);
    expect(synced).toHaveLength(1);
  });
});
