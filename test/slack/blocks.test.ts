/** Block Kit rendering: Slack's limits and neutralised text, checked on the rendered JSON. */
import { beforeAll, describe, expect, it } from 'vitest';
import { decide, enqueueDraft } from '../../src/review/queue.js';
import type { Database } from '../../src/store/database.js';
import { openTestDatabase } from '../support/db.js';
import {
  ACTIONS,
  LIMITS,
  answerMessage,
  approveSelectionModal,
  approvedFileComment,
  bulkNothingWrittenMessage,
  editModal,
  homeView,
  productPromptMessage,
  reviewCardMessage,
  splitMrkdwn,
} from '../../src/slack/blocks.js';
import { abstainedDraft, citation, makeDraft } from '../review/fixtures/drafts.js';

/** Every mrkdwn/plain text string in the blocks (section text, context elements). */
function texts(blocks: readonly unknown[]): string[] {
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if ((o.type === 'mrkdwn' || o.type === 'plain_text') && typeof o.text === 'string') out.push(o.text);
      Object.values(o).forEach(walk);
    }
  };
  walk(blocks);
  return out;
}

describe('answerMessage', () => {
  it('splits a long answer over sections under 3000 characters and stays within 50 blocks', async () => {
    const long = `${'データは暗号化して保存しております & 鍵は <KMS> で管理しています。'.repeat(400)}`;
    const many = Array.from({ length: 30 }, (_, i) => citation(`krew/krew.txt#L${i + 1}`, { text: 'x'.repeat(2000) }));
    const msg = answerMessage({ draft: makeDraft({ draft: long, citations: many }), review: { id: '12', version: 1, state: 'drafted' } });
    expect(msg.blocks.length).toBeLessThanOrEqual(LIMITS.messageBlocks);
    for (const t of texts(msg.blocks)) expect(t.length).toBeLessThan(LIMITS.sectionText);
    const answerSections = texts(msg.blocks).filter((t) => t.includes('KMS'));
    expect(answerSections.length).toBeGreaterThan(5);
    // Splitting never cuts an entity in half.
    for (const t of answerSections) expect(t).not.toMatch(/&(?:a|am|l|g|lt|gt)?$|^(?:mp|t|p);/);
    // The button survives the cut.
    expect(JSON.stringify(msg.blocks[msg.blocks.length - 1])).toContain(ACTIONS.requestReview);
  });

  it('neutralises mentions and broadcasts from model output and quoted evidence', async () => {
    const draft = makeDraft({
      draft: 'Contact <!channel> or <@U0BOSS> or @here <https://evil.example|click>',
      citations: [citation('c1', { text: 'escalate to <!subteam^S1|@security> @everyone' })],
    });
    const json = JSON.stringify(answerMessage({ draft, review: { id: '1', version: 1, state: 'drafted' } }));
    expect(json).not.toMatch(/<!channel>|<@U0BOSS>|<!subteam|<https:/);
    expect(json).toContain('&lt;!channel&gt;');
    expect(json).not.toMatch(/(^|[^＠\w])@(here|everyone)/);
  });

  it('says plainly when the evidence does not answer, and offers to send the question to reviewers', async () => {
    const msg = answerMessage({ draft: abstainedDraft(), review: { id: '3', version: 1, state: 'needs_human' } });
    const all = JSON.stringify(msg.blocks);
    expect(all).toContain('do not answer this question');
    expect(all).toContain('Send question to reviewers');
    expect(msg.text).toContain('No answer in the checksheets');
    expect(all).not.toContain('closest rows');
    // Declined with the rows nearest the question (a figure none states): they are shown, and named as the closest.
    const near = answerMessage({ draft: { ...abstainedDraft(), citations: [citation('c1', { text: 'ログは一定期間保存しております。' })] }, review: null });
    const nearAll = JSON.stringify(near.blocks);
    expect(nearAll).toContain('the closest rows of the published checksheets are below, but none says yes or no');
    expect(nearAll).not.toContain('do not answer this question');
    expect(nearAll).toContain('ログは一定期間保存しております。');
  });

  it('calls a flagged draft weak only when it is likelier wrong than right, and says what a high confidence means', async () => {
    const sure = JSON.stringify(answerMessage({ draft: makeDraft({ confidence: 0.97, needsHuman: true }), review: null }).blocks);
    expect(sure).not.toMatch(/weak/i);
    expect(sure).toContain('Not sure enough to send unreviewed* (on our test questions, drafts this sure were right about 97% of the time): a security reviewer must check this draft.');
    const weak = JSON.stringify(answerMessage({ draft: makeDraft({ confidence: 0.3, needsHuman: true }), review: null }).blocks);
    expect(weak).toContain('*The evidence is weak*: a security reviewer must check this draft.');
  });

  it('escapes exactly once', async () => {
    const msg = answerMessage({ draft: makeDraft({ draft: 'A & B < C' }), review: null });
    expect(JSON.stringify(msg.blocks)).toContain('A &amp; B &lt; C');
    expect(JSON.stringify(msg.blocks)).not.toContain('&amp;amp;');
  });
});

describe('splitMrkdwn', () => {
  it('prefers line breaks and keeps every character', async () => {
    const text = Array.from({ length: 100 }, (_, i) => `line ${i} &amp; more`).join('\n');
    const parts = splitMrkdwn(text, 200);
    expect(parts.join('')).toBe(text);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(200);
  });
});

describe('review cards, modals and the home tab', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
  });

  it('a card carries approve/edit/reject with the review version', async () => {
    const r = await enqueueDraft(db, makeDraft(), { askedBy: 'U1' });
    const json = JSON.stringify(reviewCardMessage(r).blocks);
    for (const a of [ACTIONS.approve, ACTIONS.edit, ACTIONS.reject]) expect(json).toContain(a);
    expect(json).toContain(`"value":"${r.id}:1"`);
  });

  it('a decided card says the decision and who took it: approved (as drafted, edited, or served from an approval) by the approver, rejected by whom and why', async () => {
    const policy = { approvers: ['USEC1', 'USEC2'], approverGroup: undefined, fourEyes: false };
    const card = (r: Parameters<typeof reviewCardMessage>[0]): string => texts(reviewCardMessage(r).blocks).join('\n');
    const approved = (await decide(db, (await enqueueDraft(db, makeDraft({ question: 'Is data encrypted at rest?' }), { askedBy: 'U1' })).id, { action: 'approve', actor: 'USEC1' }, { policy })).review;
    expect(card(approved)).toContain(':white_check_mark: approved by <@USEC1>');
    const edited = (await decide(db, (await enqueueDraft(db, makeDraft(), { askedBy: 'U1' })).id, { action: 'edit', actor: 'USEC2', text: 'Yes, with AES-256-GCM.', status: 'yes' }, { policy })).review;
    expect(card(edited)).toContain(':white_check_mark: approved with edits by <@USEC2>');
    const rejected = (await decide(db, (await enqueueDraft(db, makeDraft(), { askedBy: 'U1' })).id, { action: 'reject', actor: 'USEC2', note: 'out of date' }, { policy })).review;
    expect(card(rejected)).toContain(':x: rejected by <@USEC2>: out of date');
    // The same question asked again, served from approval #N: approved by N's approver, the person behind the words.
    const reuse = makeDraft({ question: 'Is data encrypted at rest?', citations: [citation(`review#${approved.id}`, { kind: 'approved', source: 'review', locator: `review #${approved.id}`, ref: approved.id })] });
    const served = await enqueueDraft(db, reuse, { askedBy: 'U2' });
    expect(served.state).toBe('approved');
    expect(card(served)).toContain(':white_check_mark: approved by <@USEC1>');
  });

  it('the edit modal prefills the raw answer (not escaped) with a bounded input', async () => {
    const r = await enqueueDraft(db, makeDraft({ draft: 'A & B <ok>' }), { askedBy: 'U1' });
    const view = editModal(r, { surface: 'message' });
    const json = JSON.stringify(view);
    expect(json).toContain('"initial_value":"A & B <ok>"');
    expect(view.title.text.length).toBeLessThanOrEqual(24);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
  });

  it('the home tab stays within 100 blocks with many products and drafts', async () => {
    const queues = [];
    for (let i = 0; i < 30; i++) {
      const items = [];
      for (let j = 0; j < 5; j++) items.push(await enqueueDraft(db, makeDraft({ product: `p${i}` }), { askedBy: null }));
      queues.push({ product: `p${i}`, items, more: true });
    }
    const view = homeView(queues);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(JSON.stringify(view)).toContain('More products are waiting');
    for (const t of texts(view.blocks)) expect(t.length).toBeLessThan(3000);
  });

  it('names no command line: nobody in Slack has a terminal (`--product` is a Slack message word, not a flag)', async () => {
    const r = await enqueueDraft(db, makeDraft({ draft: 'x'.repeat(LIMITS.inputMaxLength + 1) }), { askedBy: 'U1' });
    const job = { jobId: 'bulk-1', channel: 'C1', threadTs: '1800000000.000001', fileId: 'F1', product: 'krew' };
    const nothing = { fileName: 'q.csv', product: 'krew', sheets: [{ sheet: 'q', rows: null, questions: 2 }], unwritten: [{ sheet: 'q', row: 2, ref: '1', reason: '要確認' }], skipped: [] };
    const many = await Promise.all(Array.from({ length: 6 }, () => enqueueDraft(db, makeDraft(), { askedBy: null })));
    const rendered = [
      editModal(r, { surface: 'message' }),
      homeView([{ product: 'krew', items: many, more: true }]),
      approveSelectionModal(job, Array.from({ length: 150 }, () => r), 0.9),
      bulkNothingWrittenMessage({ ...nothing, kept: 0 }, job),
      bulkNothingWrittenMessage({ ...nothing, kept: 1 }, null),
      productPromptMessage([], 'Do you encrypt backups?'),
    ];
    for (const view of rendered) {
      const words = texts(view.blocks).join('\n').replaceAll('--product', '');
      expect(words).not.toMatch(/\bkotae (review|answer|ingest|ask)\b|npm run|(^|[\s`(])--[a-z]/m);
    }
  });
});

describe('bulk questionnaire messages', () => {
  it('name each of two tables stacked in one sheet by its rows, so the two counts can be told apart', () => {
    const message = bulkNothingWrittenMessage(
      {
        fileName: 'q.xlsx',
        product: 'krew',
        sheets: [
          { sheet: 'Sheet1', rows: 'rows 1–6', questions: 5 },
          { sheet: 'Sheet1', rows: 'rows 9–11', questions: 2 },
        ],
        kept: 0,
        unwritten: [],
        skipped: [],
      },
      null,
    );
    expect(message.text).toContain('7 question rows found (sheet “Sheet1” rows 1–6: 5, sheet “Sheet1” rows 9–11: 2)');
  });

  it('say plainly when the approved file has no approved answer in it', () => {
    expect(approvedFileComment(0, 6)).toBe('No approved answers: none of the 6 rows was approved, so this file has no answers written. Do not send it as answered.');
    expect(approvedFileComment(5, 6)).toBe('Approved answers: 5 of 6 rows. Rows without an approved answer are left empty.');
  });
});
