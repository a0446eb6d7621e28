/**
 * Bulk questionnaires end to end: a CSV shared in a DM is downloaded with the bot token,
 * drafted row by row (with progress edits at most ~1/s), uploaded back to the thread
 * with files.uploadV2, summarised with a review-list button; once every row is decided
 * the approved file is exported.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../src/slack/blocks.js';
import { JobRef } from '../../src/slack/payloads.js';
import { unflaggingJudge } from '../support/judges.js';
import { APPROVER, SALES, blockAction, blockText, nextTs, startHarness, type Harness } from './harness.js';

const QUESTIONS = [
  'データは暗号化して保存していますか',
  '通信は暗号化していますか',
  'バックアップを取得していますか',
  'インシデント発生時の連絡体制はありますか',
  '経営陣が承認した基本方針はありますか',
  '好きな色は何ですか',
];
const CSV = ['No,質問,回答,備考', ...QUESTIONS.map((q, i) => `${i + 1},${q},,`), ''].join('\n');
const ROW_DELAY_MS = 250;

describe('bulk questionnaire from a shared file', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      env: { KOTAE_CONCURRENCY: '1' },
      // Answers go out unflagged, so the one row that needs review is the one nothing answers.
      judge: unflaggingJudge,
      // A slow model: the job takes ~1.5 s, long enough for the progress throttle to show.
      wrap: (app) => ({
        ...app,
        ask: async (question, product, options) => {
          await new Promise((r) => setTimeout(r, ROW_DELAY_MS));
          return app.ask(question, product, options);
        },
      }),
    });
  });
  afterAll(async () => {
    await h.close();
  });

  it('downloads, drafts with throttled progress, uploads the filled file into the thread and summarises', async () => {
    const meta = h.fake.host({ id: 'FQ1', name: 'customer-checksheet.csv', bytes: Buffer.from(CSV, 'utf8'), contentType: 'text/csv' });
    const ts = nextTs();
    const res = await h.event(
      { type: 'message', subtype: 'file_share', channel_type: 'im', user: SALES, channel: 'DSALES', text: 'please fill this in --product krew', ts, event_ts: ts, files: [meta] },
      'Ev-bulk-1',
    );
    expect(res.status).toBe(200);

    // Immediate reply in the thread.
    const first = await h.fake.waitFor('chat.postMessage', (c) => c.args.channel === 'DSALES' && c.args.thread_ts === ts);
    expect(String(first.args.text)).toContain('customer-checksheet.csv');

    const complete = await h.fake.waitFor('files.completeUploadExternal', () => true, 20_000);
    expect(complete.args.channel_id).toBe('DSALES');
    expect(complete.args.thread_ts).toBe(ts);
    expect(h.fake.callsOf('files.getUploadURLExternal')[0]?.args.filename).toBe('customer-checksheet.kotae.csv');
    await h.slack.idle();

    // Downloaded once, with the bot token.
    expect(h.fake.downloads).toEqual([expect.objectContaining({ served: 'file', authorization: expect.stringMatching(/^Bearer xoxb-/) })]);

    // The filled file: answers and citations in place, the unanswerable row flagged.
    const uploaded = h.fake.uploads[0];
    const filled = uploaded?.bytes.toString('utf8') ?? '';
    expect(filled).toContain('AES-256');
    expect(filled).toContain('TLS1.2');
    expect(filled).toMatch(/好きな色は何ですか,,要確認/);

    // Progress: "drafting N questions for krew…", then edits at least ~1 s apart.
    const statusTs = h.fake.calls.find((c) => c.method === 'chat.postMessage' && c.args.thread_ts === ts);
    const updates = h.fake.callsOf('chat.update').filter((c) => c.args.channel === 'DSALES' && c.args.ts !== undefined && statusTs !== undefined);
    const texts = updates.map((u) => String(u.args.text));
    expect(texts[0]).toContain(`Drafting ${QUESTIONS.length} questions for krew`);
    expect(texts.some((t) => /\d\/6/.test(t))).toBe(true);
    expect(texts[texts.length - 1]).toContain('Drafted 6 questions');
    for (let i = 1; i < updates.length; i++) {
      expect((updates[i]?.at ?? 0) - (updates[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(900);
    }
    expect(updates.length).toBeLessThan(QUESTIONS.length + 2);

    // Summary with counts and the review-list button.
    const summary = h.fake.callsOf('chat.postMessage').find((c) => blockText(c.args.blocks).includes(ACTIONS.openJob));
    expect(String(summary?.args.text)).toMatch(/6 questions for krew\. 5 answered, 1 abstained, 1 need review/);
    expect(summary?.args.thread_ts).toBe(ts);

    // Every drafted row is in the review queue under the job, attributed to the uploader.
    const button = (summary?.args.blocks as Array<{ type: string; elements?: Array<{ value?: string }> }>).find((b) => b.type === 'actions');
    const job = JobRef.parse(button?.elements?.[0]?.value);
    const decisions = await h.app.reviews.decisionsForJob(job.jobId);
    expect(decisions).toHaveLength(QUESTIONS.length);
    expect((await h.app.reviews.list({ jobId: job.jobId })).items.every((r) => r.askedBy === SALES && r.channel === 'DSALES')).toBe(true);

    // Open the review list, decide every row, export the approved file.
    await h.action(blockAction({ user: SALES, actionId: ACTIONS.openJob, value: button?.elements?.[0]?.value ?? '', channel: 'DSALES', messageTs: nextTs(), threadTs: ts }));
    const modal = await h.fake.waitFor('views.open', (c) => (c.args.view as { callback_id?: string }).callback_id === 'kotae.job.list');
    expect(blockText((modal.args.view as { blocks: unknown }).blocks)).toContain(ACTIONS.approve);

    for (const d of decisions) {
      const r = await h.app.reviews.get(d.reviewId);
      if (r.draft.abstained) await h.app.reviews.reject(r.id, { as: APPROVER, reason: 'out of scope' });
      else await h.app.reviews.approve(r.id, { as: APPROVER });
    }
    await h.action(blockAction({ user: SALES, actionId: ACTIONS.exportJob, value: button?.elements?.[0]?.value ?? '', view: { id: 'VJOB', type: 'modal' } }));
    await h.fake.waitFor('files.completeUploadExternal', (c) => c !== complete, 20_000);
    await h.slack.idle();
    expect(h.fake.uploads).toHaveLength(2);
    const approved = h.fake.uploads[1]?.bytes.toString('utf8') ?? '';
    expect(approved).toContain('AES-256');
    expect(approved).not.toMatch(/好きな色は何ですか,[^,\n]+,/); // the rejected row gets no answer
    // The file for the customer: no review notes, ids, reasons, reviewers, markers or file names.
    expect(approved).toMatch(/好きな色は何ですか,,\r?\n|好きな色は何ですか,,$/m);
    for (const leak of ['out of scope', 'review #', '要確認', '下書き', '承認済みの回答', APPROVER, '.txt L']) expect(approved).not.toContain(leak);
    expect(String(h.fake.callsOf('chat.postMessage').concat(h.fake.callsOf('files.completeUploadExternal')).map((c) => JSON.stringify(c.args)).join('\n'))).toContain('Rows without an approved answer are left empty.');
    expect(h.fake.callsOf('files.getUploadURLExternal')[1]?.args.filename).toBe('customer-checksheet.approved.csv');
  });

  it('names in the summary every sheet it did not read, and reads a question sheet whatever its name', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Cover').addRow(['セキュリティチェックシート: 各シートにご回答ください']);
    const ws = wb.addWorksheet('Incident History');
    ws.addRow(['No', '質問', '回答']);
    ws.addRow(['1', QUESTIONS[0]]);
    ws.addRow(['2', QUESTIONS[3]]);
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    const meta = h.fake.host({ id: 'FQS', name: 'sheets.xlsx', bytes, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
    const ts = nextTs();
    await h.event({ type: 'message', subtype: 'file_share', channel_type: 'im', user: SALES, channel: 'DSALES', text: '--product krew', ts, event_ts: ts, files: [meta] }, 'Ev-bulk-sheets');
    const summary = await h.fake.waitFor('chat.postMessage', (c) => c.args.thread_ts === ts && blockText(c.args.blocks).includes(ACTIONS.openJob), 20_000);
    expect(String(summary.args.text)).toMatch(/2 questions for krew/);
    expect(blockText(summary.args.blocks)).toMatch(/sheet \\"Cover\\": skipped — instruction or reference sheet/);
  });

  it('refuses a file too large by its metadata without downloading it', async () => {
    const meta = h.fake.host({ id: 'FBIG', name: 'huge.xlsx', bytes: Buffer.from('PK\u0003\u0004'), contentType: 'application/octet-stream', size: 500 * 1024 * 1024 });
    const ts = nextTs();
    await h.event({ type: 'message', subtype: 'file_share', channel_type: 'im', user: SALES, channel: 'DSALES2', text: '--product krew', ts, event_ts: ts, files: [meta] }, 'Ev-bulk-big');
    await h.slack.idle();
    const said = h.fake.calls.filter((c) => c.args.channel === 'DSALES2').map((c) => String(c.args.text));
    expect(said.join('\n')).toMatch(/over the .* size limit/);
    expect(h.fake.downloads.filter((d) => d.path.includes('FBIG'))).toHaveLength(0);
  });

  it('refuses a .txt file without downloading it: only spreadsheet questionnaires', async () => {
    const meta = h.fake.host({ id: 'FTXT', name: 'notes.txt', bytes: Buffer.from('No,質問,回答\n1,通信は暗号化していますか,\n', 'utf8'), contentType: 'text/plain' });
    const ts = nextTs();
    await h.event({ type: 'message', subtype: 'file_share', channel_type: 'im', user: SALES, channel: 'DTXT', text: '--product krew', ts, event_ts: ts, files: [meta] }, 'Ev-upload-txt');
    await h.slack.idle();
    const said = h.fake.calls.filter((c) => c.args.channel === 'DTXT').map((c) => String(c.args.text));
    // The formats are the spreadsheet layer's (not a list of the Slack adapter's own): every one but plain text.
    expect(said.join('\n')).toContain('kotae fills in .xlsx, .xlsm, .csv and .tsv questionnaires; that file is none of them.');
    expect(h.fake.downloads.filter((d) => d.path.includes('FTXT'))).toHaveLength(0);
  });
});
