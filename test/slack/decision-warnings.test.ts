/**
 * What the core warns an approver about a decision (approving kotae's hedged wording as it
 * stands: the customer will read "Possibly …") reaches the approver in Slack as it does on
 * the CLI: an ephemeral reply under the card they clicked, a DM when they decided on the
 * Home tab, a line under the result of approving a selection. Only they see it, and it names
 * no command-line flag. A plain draft gets no warning. Real Bolt, real core, fake Slack.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueDraft } from '../../src/review/queue.js';
import type { ReviewRecord } from '../../src/review/types.js';
import { ACTIONS, reviewImportMessage, selectionResultMessage } from '../../src/slack/blocks.js';
import { makeDraft } from '../review/fixtures/drafts.js';
import { APPROVER, SALES, blockAction, blockText, nextTs, startHarness, type Harness } from './harness.js';

const HEDGED = '[Needs review] Possibly partially in place: the closest evidence is item 4-2 of the published checksheet, which may not fully answer the question.';
const WARNING = /review #(\d+): the approved text is kotae's hedge \("Possibly partially in place"\); the customer will read it as written/;

describe('decision warnings in Slack', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  const queued = (draft: string): Promise<ReviewRecord> =>
    // Each with the status its text states: a plain "Yes." beside "partial" is refused outright.
    enqueueDraft(h.app.reviews.db, makeDraft({ draft, status: draft === HEDGED ? 'partial' : 'yes', needsHuman: draft === HEDGED }), { askedBy: SALES });

  /** Everything the approver was shown: ephemeral replies and DMs. */
  const toApprover = (): string[] => [
    ...h.fake.responses.filter((r) => r.body.replace_original !== true).map((r) => `${String(r.body.text)}${blockText(r.body.blocks)}`),
    ...h.fake.callsOf('chat.postMessage').filter((c) => c.args.channel === APPROVER).map((c) => `${String(c.args.text)}${blockText(c.args.blocks)}`),
  ];

  it('approving a hedged draft from its card: the card is updated and the approver alone is warned, ephemerally', async () => {
    const review = await queued(HEDGED);
    const hook = h.fake.responseUrl(`warn-${review.id}`);
    await h.action(blockAction({ user: APPROVER, actionId: ACTIONS.approve, value: `${review.id}:${review.version}`, responseUrl: hook, channel: 'DAPP', messageTs: nextTs() }));
    await h.fake.waitForResponse((b) => b.replace_original === true && blockText(b.blocks).includes(`Review #${review.id}`) && blockText(b.blocks).includes('approved by'));
    const warning = await h.fake.waitForResponse((b) => WARNING.test(String(b.text)));
    await h.slack.idle();
    expect(warning).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(WARNING.exec(String(warning.text))?.[1]).toBe(review.id);
    expect(`${String(warning.text)}${blockText(warning.blocks)}`).not.toMatch(/(^|\s)--[a-z]/);
    expect((await h.app.reviews.get(review.id)).state).toBe('approved');
    // The asker's notice carries the decision, not the approver's warning.
    const askerNotes = h.fake.callsOf('chat.postMessage').filter((c) => c.args.channel === SALES).map((c) => `${String(c.args.text)}${blockText(c.args.blocks)}`);
    expect(askerNotes.some((t) => t.includes(`Review #${review.id}`))).toBe(true);
    expect(askerNotes.some((t) => WARNING.test(t))).toBe(false);
  });

  it('approving on the Home tab (no place for an ephemeral reply): the warning comes by DM', async () => {
    const review = await queued(HEDGED);
    await h.action(blockAction({ user: APPROVER, actionId: ACTIONS.approve, value: `${review.id}:${review.version}`, view: { id: 'VHOME', type: 'home' } }));
    const dm = await h.fake.waitFor('chat.postMessage', (c) => c.args.channel === APPROVER && WARNING.test(String(c.args.text)));
    await h.slack.idle();
    expect(WARNING.exec(String(dm.args.text))?.[1]).toBe(review.id);
    expect((await h.app.reviews.get(review.id)).state).toBe('approved');
  });

  it('approving a plain draft warns nobody', async () => {
    const review = await queued('Yes. Backups are copied to a second region every night.');
    const before = toApprover().length;
    await h.action(blockAction({ user: APPROVER, actionId: ACTIONS.approve, value: `${review.id}:${review.version}`, responseUrl: h.fake.responseUrl(`plain-${review.id}`), channel: 'DAPP', messageTs: nextTs() }));
    await h.fake.waitForResponse((b) => b.replace_original === true && blockText(b.blocks).includes(`Review #${review.id}`) && blockText(b.blocks).includes('approved by'));
    await h.slack.idle();
    expect((await h.app.reviews.get(review.id)).state).toBe('approved');
    expect(toApprover().slice(before).filter((t) => t.includes(`#${review.id}`))).toEqual([]);
  });
});

describe('decisions applied together', () => {
  it("the result of approving a selection lists each applied decision's warning under the summary", () => {
    const warning = "review #7: the approved text is kotae's hedge (\"Possibly yes\"); the customer will read it as written. To answer plainly, decide it with your own answer and its status instead.";
    const applied = (id: string, warnings: string[]) => ({ line: 1, reviewId: id, from: 'drafted' as const, to: 'approved' as const, at: '2026-12-01T00:00:00.000Z', warnings });
    const message = selectionResultMessage(APPROVER, 0.9, { applied: [applied('7', [warning]), applied('8', [])], conflicts: [], invalid: [] });
    const text = blockText(message.blocks);
    expect(text).toContain('approved 2 drafts');
    expect(text).toContain('review #7: the approved text is kotae');
    expect(text.match(/:warning:/g)).toHaveLength(1);
  });

  it('the reply to a review sheet sent back lists the warnings of the decisions it applied', () => {
    const warning = "review #9: the approved text is kotae's hedge (\"Possibly yes\"); the customer will read it as written. To answer plainly, decide it with your own answer and its status instead.";
    const report = {
      dryRun: false,
      applied: [{ line: 2, reviewId: '9', from: 'drafted' as const, to: 'approved' as const, at: '2026-12-01T00:00:00.000Z', warnings: [warning] }],
      unchanged: [],
      conflicts: [],
      invalid: [],
      undecided: 0,
      library: 'synced' as const,
      rows: new Map(),
    };
    const text = blockText(reviewImportMessage('review.xlsx', APPROVER, report).blocks);
    expect(text).toContain('1 approved');
    expect(text).toContain(':warning: review #9: the approved text is kotae');
  });
});
