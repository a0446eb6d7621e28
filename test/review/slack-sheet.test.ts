/**
 * The review workbook through Slack (the fake Slack Web API, real bot): the bulk job's
 * summary offers *Download review sheet*, which uploads the workbook into the thread; a
 * reviewer fills it in and sends it to the bot in a DM; it is applied as that Slack user
 * (not as anyone named in the file) and the bot replies with the counts and the conflicts.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS, CALLBACKS } from '../../src/slack/blocks.js';
import { JobRef } from '../../src/slack/payloads.js';
import { unflaggingJudge } from '../support/judges.js';
import { APPROVER, SALES, blockAction, blockText, nextTs, startHarness, type Harness } from '../slack/harness.js';

const OTHER = 'UOTHERREVIEWER';
const QUESTIONS = ['保存データは暗号化していますか', 'バックアップは取得していますか', '通信は暗号化していますか', '社員の入館管理はしていますか'];
const CSV = ['No,質問,回答,備考', ...QUESTIONS.map((q, i) => `${i + 1},${q},,`), ''].join('\n');

async function decideInExcel(bytes: Buffer, decisions: Record<string, [string, string?, string?]>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const ws = wb.getWorksheet('Review');
  if (!ws) throw new Error('no Review sheet');
  ws.eachRow((row, n) => {
    const decision = n > 1 ? decisions[row.getCell(1).text] : undefined;
    if (!decision) return;
    row.getCell(10).value = decision[0];
    if (decision[1] !== undefined) row.getCell(11).value = decision[1];
    if (decision[2] !== undefined) row.getCell(13).value = decision[2];
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('review sheet in Slack', () => {
  let h: Harness;
  beforeAll(async () => {
    // The sheet decides drafts that wait unflagged ('drafted'): the judge leaves the answers so.
    h = await startHarness({ env: { KOTAE_APPROVERS: `${APPROVER},${OTHER}`, KOTAE_CONCURRENCY: '1' }, judge: unflaggingJudge });
  }, 60_000);
  afterAll(async () => {
    await h.close();
  });

  it('downloads the sheet from the job summary and applies a filled one sent by DM as the sender', async () => {
    const ts = nextTs();
    const csv = h.fake.host({ id: 'FQCSV', name: 'customer.csv', bytes: Buffer.from(CSV, 'utf8'), contentType: 'text/csv' });
    await h.event({ type: 'message', subtype: 'file_share', channel_type: 'im', user: SALES, channel: 'DSALES', text: '--product krew', ts, event_ts: ts, files: [csv] }, 'Ev-sheet-1');
    const summary = await h.fake.waitFor('chat.postMessage', (c) => blockText(c.args.blocks).includes(ACTIONS.reviewSheet), 30_000);
    expect(blockText(summary.args.blocks)).toContain('Download review sheet');
    const actions = (summary.args.blocks as Array<{ type: string; elements?: Array<{ action_id?: string; value?: string }> }>).find((b) => b.type === 'actions');
    const value = actions?.elements?.find((e) => e.action_id === ACTIONS.reviewSheet)?.value ?? '';
    const job = JobRef.parse(value);
    await h.slack.idle();

    const uploadsBefore = h.fake.uploads.length;
    await h.action(blockAction({ user: APPROVER, actionId: ACTIONS.reviewSheet, value, channel: 'DSALES', messageTs: nextTs(), threadTs: ts }));
    await h.slack.idle();
    const sheet = h.fake.uploads[uploadsBefore];
    if (!sheet) throw new Error('no review sheet uploaded');
    const complete = h.fake.callsOf('files.completeUploadExternal').at(-1);
    expect(complete?.args).toMatchObject({ channel_id: 'DSALES', thread_ts: ts });

    const reviews = (await h.app.reviews.list({ jobId: job.jobId, limit: 50 })).items;
    const drafted = reviews.filter((r) => r.state === 'drafted');
    expect(drafted.length).toBeGreaterThanOrEqual(3);
    const [a, b, c] = drafted;
    if (!a || !b || !c) throw new Error('need three drafted rows');
    const filled = await decideInExcel(sheet.bytes, { [a.id]: ['承認'], [b.id]: ['却下', undefined, '対象外のサービスです'], [c.id]: ['承認'] });
    // Someone decides row c in Slack before the sheet comes back: a conflict.
    await h.app.reviews.reject(c.id, { as: OTHER, reason: 'checked by phone' });
    const decidedByOther = await h.app.reviews.get(c.id);

    // A non-approver sending the sheet changes nothing and is told why.
    const fromSales = h.fake.host({ id: 'FREV1', name: 'review-sheet.xlsx', bytes: filled, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
    const ts2 = nextTs();
    await h.event({ type: 'message', subtype: 'file_share', channel_type: 'im', user: SALES, channel: 'DSALES9', text: '', ts: ts2, event_ts: ts2, files: [fromSales] }, 'Ev-sheet-2');
    await h.slack.idle();
    const refused = h.fake.callsOf('chat.postMessage').filter((m) => m.args.channel === 'DSALES9').map((m) => `${String(m.args.text)} ${blockText(m.args.blocks)}`);
    expect(refused.join('\n')).toContain('is not an approver');
    expect((await h.app.reviews.get(a.id)).state).toBe('drafted');

    // The approver sends it: applied as the approver, counts and the conflict in the reply.
    const fromApprover = h.fake.host({ id: 'FREV2', name: 'review-sheet.xlsx', bytes: filled, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
    const ts3 = nextTs();
    await h.event({ type: 'message', subtype: 'file_share', channel_type: 'im', user: APPROVER, channel: 'DAPPROVER', text: '', ts: ts3, event_ts: ts3, files: [fromApprover] }, 'Ev-sheet-3');
    await h.slack.idle();
    const replies = h.fake.callsOf('chat.postMessage').filter((m) => m.args.channel === 'DAPPROVER');
    expect(replies).toHaveLength(1);
    const reply = replies[0];
    expect(String(reply?.args.text)).toBe(`:white_check_mark: Applied *review-sheet.xlsx* as <@${APPROVER}>: 1 approved, 0 edited, 1 rejected; 0 unchanged, 1 conflict, ${reviews.length - 3} without a decision.`);
    expect(blockText(reply?.args.blocks)).toContain(`already rejected by <@${OTHER}> at ${decidedByOther.updatedAt}`);
    expect(await h.app.reviews.get(a.id)).toMatchObject({ state: 'approved', approvedBy: APPROVER });
    expect(await h.app.reviews.get(b.id)).toMatchObject({ state: 'rejected', updatedBy: APPROVER, note: '対象外のサービスです' });
    expect(await h.app.reviews.get(c.id)).toMatchObject({ state: 'rejected', updatedBy: OTHER });
    // Not drafted as a questionnaire: no filled file came back.
    expect(h.fake.uploads).toHaveLength(uploadsBefore + 1);
  }, 90_000);
});

describe("approving a job's confident drafts together in Slack", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      env: { KOTAE_APPROVERS: `${APPROVER},${OTHER}`, KOTAE_CONCURRENCY: '1' },
      // Confidence decided by the test: the encryption questions confident, the rest not.
      wrap: (app) => ({
        ...app,
        ask: async (question, product, options) => {
          const asked = await app.ask(question, product, { ...(options?.signal ? { signal: options.signal } : {}) });
          const confident = question.includes('暗号') && !asked.draft.abstained;
          const draft = { ...asked.draft, confidence: confident ? 0.95 : 0.4, needsHuman: confident ? false : asked.draft.needsHuman };
          return { ...asked, draft, review: options?.enqueue ? await app.reviews.enqueue(draft, options.enqueue) : null };
        },
      }),
    });
  }, 60_000);
  afterAll(async () => {
    await h.close();
  });

  it('offers "Approve N drafts at confidence ≥ 0.9", confirms with the list, approves exactly those as the clicker', async () => {
    const ts = nextTs();
    const csv = h.fake.host({ id: 'FSEL', name: 'selection.csv', bytes: Buffer.from(CSV, 'utf8'), contentType: 'text/csv' });
    await h.event({ type: 'message', subtype: 'file_share', channel_type: 'im', user: SALES, channel: 'DSEL', text: '--product krew', ts, event_ts: ts, files: [csv] }, 'Ev-sel-1');
    const summary = await h.fake.waitFor('chat.postMessage', (c) => c.args.channel === 'DSEL' && blockText(c.args.blocks).includes(ACTIONS.openJob), 30_000);
    await h.slack.idle();
    const actions = (summary.args.blocks as Array<{ type: string; elements?: Array<{ action_id?: string; value?: string; text?: { text?: string } }> }>).find((b) => b.type === 'actions');
    const offer = actions?.elements?.find((e) => e.action_id === ACTIONS.approveSelection);
    const job = JobRef.parse(offer?.value);
    const confident = (await h.app.reviews.list({ jobId: job.jobId, limit: 50 })).items.filter((r) => r.state === 'drafted' && r.draft.confidence >= 0.9);
    expect(confident.length).toBe(2);
    expect(offer?.text?.text).toBe('Approve 2 drafts at confidence ≥ 0.9');

    // Not an approver: refused, nothing opens for a decision.
    await h.action(blockAction({ user: SALES, actionId: ACTIONS.approveSelection, value: offer?.value ?? '', channel: 'DSEL', messageTs: nextTs(), threadTs: ts }));
    const refusal = await h.fake.waitFor('views.open', (c) => (c.args.view as { callback_id?: string }).callback_id === CALLBACKS.notice);
    expect(blockText((refusal.args.view as { blocks: unknown }).blocks)).toContain('is not an approver');

    await h.action(blockAction({ user: APPROVER, actionId: ACTIONS.approveSelection, value: offer?.value ?? '', channel: 'DSEL', messageTs: nextTs(), threadTs: ts }));
    const open = await h.fake.waitFor('views.open', (c) => (c.args.view as { callback_id?: string }).callback_id === CALLBACKS.approveSelection);
    const modal = open.args.view as { private_metadata: string; blocks: unknown; submit?: { text?: string } };
    expect(modal.submit?.text).toBe('Approve 2');
    for (const r of confident) expect(blockText(modal.blocks)).toContain(`#${r.id}`);
    expect((await Promise.all(confident.map((r) => h.app.reviews.get(r.id)))).every((r) => r.state === 'drafted')).toBe(true);

    // One of them is rejected by someone else before the approver confirms: skipped, not overwritten.
    const [first, second] = confident;
    if (!first || !second) throw new Error('two confident drafts expected');
    await h.app.reviews.reject(second.id, { as: OTHER, reason: 'wrong edition' });
    await h.action({ type: 'view_submission', user: { id: APPROVER }, view: { id: 'VSEL1', type: 'modal', callback_id: CALLBACKS.approveSelection, private_metadata: modal.private_metadata, state: { values: {} } } });
    await h.slack.idle();
    expect(await h.app.reviews.get(first.id)).toMatchObject({ state: 'approved', approvedBy: APPROVER });
    expect(await h.app.reviews.get(second.id)).toMatchObject({ state: 'rejected', updatedBy: OTHER });
    const result = h.fake.callsOf('chat.postMessage').filter((c) => c.args.channel === 'DSEL' && c.args.thread_ts === ts).at(-1);
    expect(String(result?.args.text)).toBe(`:white_check_mark: <@${APPROVER}> approved 1 draft at confidence ≥ 0.9; 1 skipped (decided or changed meanwhile).`);
  }, 90_000);
});

describe('the job review list in Slack', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { KOTAE_CONCURRENCY: '2' } });
  }, 60_000);
  afterAll(async () => {
    await h.close();
  });

  it('shows the waiting rows 10 a page, with approve / edit / reject on each and Previous / Next', async () => {
    const many = Array.from({ length: 13 }, (_, i) => `確認項目${i + 1}: アクセスログを保管していますか`);
    const csv = ['No,質問,回答,備考', ...many.map((q, i) => `${i + 1},${q},,`), ''].join('\n');
    const ts = nextTs();
    const file = h.fake.host({ id: 'FPAGE', name: 'long.csv', bytes: Buffer.from(csv, 'utf8'), contentType: 'text/csv' });
    await h.event({ type: 'message', subtype: 'file_share', channel_type: 'im', user: SALES, channel: 'DPAGE', text: '--product krew', ts, event_ts: ts, files: [file] }, 'Ev-page-1');
    const summary = await h.fake.waitFor('chat.postMessage', (c) => c.args.channel === 'DPAGE' && blockText(c.args.blocks).includes(ACTIONS.openJob), 30_000);
    await h.slack.idle();
    const value = (summary.args.blocks as Array<{ type: string; elements?: Array<{ action_id?: string; value?: string }> }>)
      .find((b) => b.type === 'actions')
      ?.elements?.find((e) => e.action_id === ACTIONS.openJob)?.value;
    const job = JobRef.parse(value);
    const waiting = (await h.app.reviews.list({ jobId: job.jobId, limit: 50 })).items;
    expect(waiting).toHaveLength(13);

    type View = { blocks: Array<{ type: string; elements?: Array<{ action_id?: string; value?: string; text?: { text?: string } }> }>; private_metadata: string };
    const cards = (view: View) => view.blocks.filter((b) => b.type === 'actions' && b.elements?.some((e) => e.action_id === ACTIONS.approve)).length;
    const nav = (view: View) => view.blocks.flatMap((b) => b.elements ?? []).filter((e) => e.action_id === ACTIONS.jobPage);

    await h.action(blockAction({ user: APPROVER, actionId: ACTIONS.openJob, value: value ?? '', channel: 'DPAGE', messageTs: nextTs(), threadTs: ts }));
    const first = (await h.fake.waitFor('views.open', (c) => (c.args.view as { callback_id?: string }).callback_id === 'kotae.job.list')).args.view as View;
    expect(cards(first)).toBe(10);
    expect(blockText(first.blocks)).toContain('Waiting rows 1–10 of 13');
    expect(nav(first).map((e) => e.text?.text)).toEqual(['Next 10']);

    await h.action(blockAction({ user: APPROVER, actionId: ACTIONS.jobPage, value: nav(first)[0]?.value ?? '', view: { id: 'VJOBPAGE', type: 'modal' } }));
    const update = await h.fake.waitFor('views.update', (c) => c.args.view_id === 'VJOBPAGE');
    const second = update.args.view as View;
    expect(cards(second)).toBe(3);
    expect(blockText(second.blocks)).toContain('Waiting rows 11–13 of 13');
    expect(nav(second).map((e) => e.text?.text)).toEqual(['Previous 10']);
    // The page is remembered: a decision made on page 2 re-renders page 2.
    expect(JobRef.parse(second.private_metadata).page).toBe(1);
    // Oldest first: the first page holds the first ten rows, the second the last three.
    for (const r of waiting.slice(0, 10)) expect(blockText(first.blocks)).toContain(`"${r.id}:${r.version}"`);
    for (const r of waiting.slice(0, 10)) expect(blockText(second.blocks)).not.toContain(`"${r.id}:${r.version}"`);
    for (const r of waiting.slice(10)) expect(blockText(second.blocks)).toContain(`"${r.id}:${r.version}"`);
  }, 90_000);
});
