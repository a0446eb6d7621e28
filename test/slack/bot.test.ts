/**
 * The bot end to end: real core (ingested tiny corpus), real Bolt App with its HTTP
 * receiver, signed requests, a local fake Slack Web API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS, CALLBACKS, EDIT_BLOCK, INPUT_ACTION, REJECT_BLOCK } from '../../src/slack/blocks.js';
import { unflaggingJudge } from '../support/judges.js';
import { APPROVER, BOT_TOKEN, SALES, SALES_CHANNEL, SIGNING_SECRET, blockAction, blockText, nextTs, startHarness, type Harness } from './harness.js';

describe('slack bot (HTTP mode, real Bolt, fake Slack API)', () => {
  let h: Harness;
  beforeAll(async () => {
    // The decision tests start from a draft waiting unflagged ('drafted'): the judge says which.
    h = await startHarness({ judge: unflaggingJudge });
  });
  afterAll(async () => {
    await h.close();
  });

  it('/kotae answers through the response_url with draft, status, language and the quoted citation', async () => {
    const res = await h.command('データは暗号化して保存されていますか --product krew');
    expect(res.status).toBe(200);
    // The ack itself: an ephemeral "drafting" note, not the answer.
    expect(JSON.parse(res.text)).toMatchObject({ response_type: 'ephemeral' });

    const answer = await h.fake.waitForResponse((b) => blockText(b.blocks).includes('Draft answer'));
    const text = blockText(answer.blocks);
    expect(answer.response_type).toBe('ephemeral');
    expect(text).toContain('krew.txt');
    expect(text).toContain('AES-256'); // the quoted evidence
    expect(text).toContain('No. 1-2');
    expect(text).toContain('question in Japanese');
    expect(text).toContain('status: *Yes (in place)*');
    expect(text).toContain(ACTIONS.requestReview);

    // Stored before it was posted, attributed to the Slack user.
    const queued = (await h.app.reviews.list({ product: 'krew' })).items.find((r) => r.question.includes('暗号化して保存'));
    expect(queued?.askedBy).toBe(SALES);
    expect(queued?.channel).toBe(SALES_CHANNEL);
    expect(text).toContain(`review #${queued?.id}`);
  });

  it('/kotae without a product (and no channel default) lists the products', async () => {
    await h.command('Do you encrypt backups?', { channel_id: 'CELSEWHERE', response_url: h.fake.responseUrl('noproduct') });
    const reply = await h.fake.waitForResponse((b) => String(b.text).includes('Which product'));
    expect(String(reply.text)).toContain('`krew`');
  });

  it('an @mention is answered in its thread, visibly, with citations; mentions in evidence are neutralised', async () => {
    const ts = nextTs();
    const res = await h.event(
      { type: 'app_mention', user: SALES, channel: SALES_CHANNEL, text: '<@UBOT> インシデント発生時の連絡体制はありますか', ts, event_ts: ts },
      'Ev-mention-1',
    );
    expect(res.status).toBe(200);
    const placeholder = await h.fake.waitFor('chat.postMessage', (c) => c.args.thread_ts === ts);
    expect(placeholder.args.channel).toBe(SALES_CHANNEL);
    const answer = await h.fake.waitFor('chat.update', (c) => blockText(c.args.blocks).includes('Draft answer') && blockText(c.args.blocks).includes('インシデント'));
    const text = blockText(answer.args.blocks) + String(answer.args.text);
    expect(text).toContain('krew.txt');
    expect(text).toContain('No. 1-4');
    // <!channel> and @here from the corpus cannot ping anyone.
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<@U0ADMIN>');
    expect(text).toContain('&lt;!channel&gt;');
    expect(text).not.toMatch(/(^|[^＠\w])@here/);
    expect(h.fake.callsOf('chat.postEphemeral')).toHaveLength(0);
  });

  it('a DM is answered in the DM', async () => {
    const ts = nextTs();
    await h.event({ type: 'message', channel_type: 'im', user: SALES, channel: 'DSALES', text: 'バックアップを取得していますか --product krew', ts, event_ts: ts }, 'Ev-dm-1');
    const answer = await h.fake.waitFor('chat.update', (c) => c.args.channel === 'DSALES' && blockText(c.args.blocks).includes('バックアップ'));
    expect(blockText(answer.args.blocks)).toContain('krew.txt');
  });

  it('a retried event (same event_id) is processed once', async () => {
    const ts = nextTs();
    const event = { type: 'app_mention', user: SALES, channel: SALES_CHANNEL, text: '<@UBOT> 通信は暗号化されていますか', ts, event_ts: ts };
    const first = await h.event(event, 'Ev-retry-1');
    const retry = await h.event(event, 'Ev-retry-1', { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } });
    expect([first.status, retry.status]).toEqual([200, 200]);
    await h.fake.waitFor('chat.update', (c) => blockText(c.args.blocks).includes('TLS1.2'));
    await h.slack.idle();
    const later = await h.event(event, 'Ev-retry-1', { headers: { 'x-slack-retry-num': '2', 'x-slack-retry-reason': 'http_timeout' } });
    expect(later.status).toBe(200);
    await h.slack.idle();
    expect(h.fake.callsOf('chat.postMessage').filter((c) => c.args.thread_ts === ts)).toHaveLength(1);
    expect((await h.app.reviews.list({ product: 'krew' })).items.filter((r) => r.question.includes('通信は暗号化されていますか'))).toHaveLength(1);
  });

  it('App Home lists the pending queue per product (views.publish)', async () => {
    await h.app.ask('インシデントの連絡体制は?', 'krew', { enqueue: { askedBy: SALES, channel: SALES_CHANNEL } });
    await h.event({ type: 'app_home_opened', user: APPROVER, channel: 'DAPP', tab: 'home', event_ts: nextTs() }, 'Ev-home-1');
    const publish = await h.fake.waitFor('views.publish', (c) => c.args.user_id === APPROVER);
    const view = publish.args.view as { type: string; blocks: unknown[] };
    expect(view.type).toBe('home');
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    const text = blockText(view.blocks);
    expect(text).toContain('*krew*');
    expect(text).toContain('waiting');
    expect(text).toContain(ACTIONS.approve);
    expect(text).toContain('インシデントの連絡体制は?');
  });

  it('App Home shows a non-approver only the questions they asked, without decision buttons', async () => {
    await h.app.ask('私の質問: 通信は暗号化されていますか', 'krew', { enqueue: { askedBy: SALES, channel: SALES_CHANNEL } });
    await h.app.ask('他人の質問: バックアップを取得していますか', 'krew', { enqueue: { askedBy: 'UOTHER1', channel: SALES_CHANNEL } });
    await h.event({ type: 'app_home_opened', user: SALES, channel: 'DSALESHOME', tab: 'home', event_ts: nextTs() }, 'Ev-home-sales');
    const publish = await h.fake.waitFor('views.publish', (c) => c.args.user_id === SALES);
    const text = blockText((publish.args.view as { blocks: unknown[] }).blocks);
    expect(text).toContain('私の質問');
    expect(text).not.toContain('他人の質問');
    for (const a of [ACTIONS.approve, ACTIONS.edit, ACTIONS.reject]) expect(text).not.toContain(a);

    // Someone who asked nothing sees an explanation, not the queue.
    await h.event({ type: 'app_home_opened', user: 'UNOBODY1', channel: 'DNOBODY', tab: 'home', event_ts: nextTs() }, 'Ev-home-nobody');
    const empty = await h.fake.waitFor('views.publish', (c) => c.args.user_id === 'UNOBODY1');
    const emptyText = blockText((empty.args.view as { blocks: unknown[] }).blocks);
    expect(emptyText).not.toContain('私の質問');
    expect(emptyText).not.toContain('他人の質問');
    expect(emptyText).toContain('approvers');
  });

  it('a mention or DM whose first word is a product names the product', async () => {
    const ts = nextTs();
    await h.event({ type: 'app_mention', user: SALES, channel: 'CNODEFAULT', text: '<@UBOT> KREW データは暗号化して保存されていますか', ts, event_ts: ts }, 'Ev-product-word-1');
    const answer = await h.fake.waitFor('chat.update', (c) => c.args.channel === 'CNODEFAULT' && blockText(c.args.blocks).includes('Draft answer'));
    expect(blockText(answer.args.blocks)).toContain('AES-256');
    const queued = (await h.app.reviews.list({ product: 'krew' })).items.find((r) => r.channel === 'CNODEFAULT');
    expect(queued?.question).toBe('データは暗号化して保存されていますか');

    // A questionnaire shared by DM with just the product name.
    const meta = h.fake.host({ id: 'FPRODWORD', name: 'one-row.csv', bytes: Buffer.from('No,質問,回答\n1,通信は暗号化していますか,\n', 'utf8'), contentType: 'text/csv' });
    const fts = nextTs();
    await h.event({ type: 'message', subtype: 'file_share', channel_type: 'im', user: SALES, channel: 'DPRODWORD', text: 'krew', ts: fts, event_ts: fts, files: [meta] }, 'Ev-product-word-2');
    await h.fake.waitFor('files.completeUploadExternal', (c) => c.args.channel_id === 'DPRODWORD', 20_000);
    await h.slack.idle();
    const said = h.fake.calls.filter((c) => c.args.channel === 'DPRODWORD').map((c) => String(c.args.text));
    expect(said.join('\n')).not.toContain('Which product');
  });

  it('"Send for review" DMs the approvers a card with decision buttons and marks the answer as sent', async () => {
    const asked = await h.app.ask('通信は暗号化されていますか。TLSのバージョンは?', 'krew', { enqueue: { askedBy: SALES, channel: SALES_CHANNEL } });
    const review = asked.review;
    if (!review) throw new Error('not enqueued');
    const hook = h.fake.responseUrl('send-review');
    await h.action(blockAction({ user: SALES, actionId: ACTIONS.requestReview, value: `${review.id}:${review.version}`, responseUrl: hook, channel: SALES_CHANNEL, messageTs: nextTs() }));
    const card = await h.fake.waitFor('chat.postMessage', (c) => c.args.channel === APPROVER && blockText(c.args.blocks).includes(`Review #${review.id}`));
    expect(blockText(card.args.blocks)).toContain(ACTIONS.approve);
    const replaced = await h.fake.waitForResponse((b) => b.replace_original === true && blockText(b.blocks).includes('Sent for review'));
    expect(blockText(replaced.blocks)).not.toContain(ACTIONS.requestReview);
  });

  it('an approver approves; a non-approver gets a polite ephemeral refusal and nothing changes', async () => {
    const asked = await h.app.ask('保存データは暗号化されていますか', 'krew', { enqueue: { askedBy: SALES, channel: SALES_CHANNEL } });
    const review = asked.review;
    if (!review) throw new Error('not enqueued');
    const value = `${review.id}:${review.version}`;

    const refusalHook = h.fake.responseUrl('refuse-1');
    await h.action(blockAction({ user: SALES, actionId: ACTIONS.approve, value, responseUrl: refusalHook, channel: 'DAPP', messageTs: nextTs() }));
    const refusal = await h.fake.waitForResponse((b) => String(b.text).includes("Sorry, you can't do that"));
    expect(refusal.response_type).toBe('ephemeral');
    expect(refusal.replace_original).toBe(false);
    expect(String(refusal.text)).toContain('not an approver');
    await h.slack.idle();
    expect((await h.app.reviews.get(review.id)).state).toBe('drafted');

    const hook = h.fake.responseUrl('approve-1');
    await h.action(blockAction({ user: APPROVER, actionId: ACTIONS.approve, value, responseUrl: hook, channel: 'DAPP', messageTs: nextTs() }));
    const card = await h.fake.waitForResponse((b) => b.replace_original === true && blockText(b.blocks).includes(`Review #${review.id}`) && blockText(b.blocks).includes('approved by'));
    expect(blockText(card.blocks)).toContain(`<@${APPROVER}>`);
    await h.slack.idle();
    const after = await h.app.reviews.get(review.id);
    expect(after.state).toBe('approved');
    expect(after.approvedBy).toBe(APPROVER);
    // The asker hears about it.
    await h.fake.waitFor('chat.postMessage', (c) => c.args.channel === SALES && blockText(c.args.blocks).includes(`Review #${review.id}`));

    // Clicking the old card again is a conflict, shown to the clicker, not a second decision.
    await h.action(blockAction({ user: APPROVER, actionId: ACTIONS.approve, value, responseUrl: h.fake.responseUrl('approve-again'), channel: 'DAPP', messageTs: nextTs() }));
    await h.fake.waitForResponse((b) => String(b.text).includes("Sorry, you can't do that") && String(b.text).includes(`#${review.id}`));
    await h.slack.idle();
    expect((await h.app.reviews.audit(review.id)).filter((e) => e.action === 'approve')).toHaveLength(1);
  });

  it('on the Home tab a non-approver is refused in a small modal (no ephemeral message can go there)', async () => {
    const asked = await h.app.ask('通信は暗号化されていますか?', 'krew', { enqueue: { askedBy: SALES, channel: SALES_CHANNEL } });
    const review = asked.review;
    if (!review) throw new Error('not enqueued');
    await h.action(blockAction({ user: SALES, actionId: ACTIONS.approve, value: `${review.id}:${review.version}`, view: { id: 'VHOME', type: 'home' } }));
    const notice = await h.fake.waitFor('views.open', (c) => (c.args.view as { callback_id?: string }).callback_id === CALLBACKS.notice && blockText(c.args.view).includes('not an approver'));
    expect(blockText(notice.args.view)).toContain("Sorry, you can't do that");
    await h.slack.idle();
    expect((await h.app.reviews.get(review.id)).state).toBe('drafted');

    // An approver deciding on Home gets the Home tab re-published.
    const publishes = h.fake.callsOf('views.publish').length;
    await h.action(blockAction({ user: APPROVER, actionId: ACTIONS.approve, value: `${review.id}:${review.version}`, view: { id: 'VHOME', type: 'home' } }));
    await h.slack.idle();
    expect((await h.app.reviews.get(review.id)).state).toBe('approved');
    expect(h.fake.callsOf('views.publish').length).toBe(publishes + 1);
  });

  it('edit opens a modal; an empty answer is refused inline, then a real edit is saved', async () => {
    const asked = await h.app.ask('バックアップは取得されていますか', 'krew', { enqueue: { askedBy: SALES, channel: SALES_CHANNEL } });
    const review = asked.review;
    if (!review) throw new Error('not enqueued');
    const value = `${review.id}:${review.version}`;

    // Non-approvers do not even get the form.
    await h.action(blockAction({ user: SALES, actionId: ACTIONS.edit, value, responseUrl: h.fake.responseUrl('edit-refuse'), channel: 'DAPP', messageTs: nextTs() }));
    await h.fake.waitForResponse((b) => String(b.text).includes("Sorry, you can't do that") && String(b.text).includes('not an approver'));
    await h.slack.idle();
    const opened = h.fake.callsOf('views.open').length;

    await h.action(blockAction({ user: APPROVER, actionId: ACTIONS.edit, value, responseUrl: h.fake.responseUrl('edit-1'), channel: 'DAPP', messageTs: nextTs() }));
    const open = await h.fake.waitFor('views.open', (c) => (c.args.view as { callback_id?: string }).callback_id === CALLBACKS.edit);
    expect(h.fake.callsOf('views.open').length).toBe(opened + 1);
    const modal = open.args.view as { private_metadata: string; blocks: unknown[] };
    expect(blockText(modal.blocks)).toContain('毎日バックアップ'); // prefilled raw answer

    const submission = (text: string) => ({
      type: 'view_submission',
      user: { id: APPROVER },
      view: {
        id: 'VEDIT1',
        type: 'modal',
        callback_id: CALLBACKS.edit,
        private_metadata: modal.private_metadata,
        state: {
          values: {
            [EDIT_BLOCK.answer]: { [INPUT_ACTION]: { type: 'plain_text_input', value: text } },
            [EDIT_BLOCK.status]: { [INPUT_ACTION]: { type: 'static_select', selected_option: { value: 'yes' } } },
            [EDIT_BLOCK.note]: { [INPUT_ACTION]: { type: 'plain_text_input', value: null } },
          },
        },
      },
    });

    const empty = await h.action(submission('   '));
    expect(empty.status).toBe(200);
    const errors = JSON.parse(empty.text) as { response_action: string; errors: Record<string, string> };
    expect(errors.response_action).toBe('errors');
    expect(errors.errors[EDIT_BLOCK.answer]).toMatch(/cannot be empty/);
    expect((await h.app.reviews.get(review.id)).state).toBe('drafted');

    const ok = await h.action(submission('はい。データは毎日バックアップし、別リージョンに7日間保管しています。'));
    expect(ok.status).toBe(200);
    expect(ok.text).toBe('');
    await h.slack.idle();
    const after = await h.app.reviews.get(review.id);
    expect(after.state).toBe('edited');
    expect(after.answer).toBe('はい。データは毎日バックアップし、別リージョンに7日間保管しています。');
    expect(after.approvedBy).toBe(APPROVER);
  });

  it('reject needs a reason (inline error), then rejects', async () => {
    const asked = await h.app.ask('経営陣が承認した基本方針はありますか', 'krew', { enqueue: { askedBy: SALES, channel: SALES_CHANNEL } });
    const review = asked.review;
    if (!review) throw new Error('not enqueued');
    await h.action(blockAction({ user: APPROVER, actionId: ACTIONS.reject, value: `${review.id}:${review.version}`, responseUrl: h.fake.responseUrl('rej'), channel: 'DAPP', messageTs: nextTs() }));
    const open = await h.fake.waitFor('views.open', (c) => (c.args.view as { callback_id?: string }).callback_id === CALLBACKS.reject && String((c.args.view as { private_metadata?: string }).private_metadata).includes(`"reviewId":"${review.id}"`));
    const meta = (open.args.view as { private_metadata: string }).private_metadata;
    const submit = (reason: string) =>
      h.action({
        type: 'view_submission',
        user: { id: APPROVER },
        view: { id: 'VREJ', type: 'modal', callback_id: CALLBACKS.reject, private_metadata: meta, state: { values: { [REJECT_BLOCK.reason]: { [INPUT_ACTION]: { type: 'plain_text_input', value: reason } } } } },
      });
    const empty = await submit('');
    expect(JSON.parse(empty.text)).toMatchObject({ response_action: 'errors', errors: { [REJECT_BLOCK.reason]: expect.stringMatching(/Say why/) } });
    const ok = await submit('方針の改訂日が古い');
    expect(ok.text).toBe('');
    await h.slack.idle();
    expect(await h.app.reviews.get(review.id)).toMatchObject({ state: 'rejected', note: '方針の改訂日が古い' });
  });

  it('a form submitted on a review decided meanwhile is acked, then refused by DM and the card refreshed', async () => {
    const asked = await h.app.ask('データは毎日バックアップしていますか', 'krew', { enqueue: { askedBy: SALES, channel: SALES_CHANNEL } });
    const review = asked.review;
    if (!review) throw new Error('not enqueued');
    const hook = h.fake.responseUrl('card-conflict');
    const meta = JSON.stringify({ reviewId: review.id, version: review.version, origin: { surface: 'message', responseUrl: hook, channel: 'DAPP' } });
    // Someone else decides while the reject form is open.
    await h.app.reviews.approve(review.id, { as: APPROVER });
    const res = await h.action({
      type: 'view_submission',
      user: { id: APPROVER },
      view: { id: 'VREJ2', type: 'modal', callback_id: CALLBACKS.reject, private_metadata: meta, state: { values: { [REJECT_BLOCK.reason]: { [INPUT_ACTION]: { type: 'plain_text_input', value: '古い' } } } } },
    });
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    const notice = await h.fake.waitFor('chat.postMessage', (c) => c.args.channel === APPROVER && String(c.args.text).includes(`Review #${review.id}`) && String(c.args.text).includes('already approved'));
    expect(String(notice.args.text)).toContain('your rejection was not saved');
    const card = await h.fake.waitForResponse((b) => b.replace_original === true && blockText(b.blocks).includes(`Review #${review.id}`) && blockText(b.blocks).includes('approved by'));
    expect(blockText(card.blocks)).not.toContain(ACTIONS.reject);
    await h.slack.idle();
    expect((await h.app.reviews.get(review.id)).state).toBe('approved');
  });

  it('rejects requests with a bad or stale signature (401) without acting on them', async () => {
    const before = h.fake.calls.length;
    const bad = await h.send({ form: { command: '/kotae', text: 'x --product krew', user_id: SALES, channel_id: SALES_CHANNEL, response_url: h.fake.responseUrl('bad') } }, { secret: 'not-the-secret' });
    expect(bad.status).toBe(401);
    const stale = await h.send(
      { form: { command: '/kotae', text: 'x --product krew', user_id: SALES, channel_id: SALES_CHANNEL, response_url: h.fake.responseUrl('stale') } },
      { timestamp: Math.floor(Date.now() / 1000) - 10 * 60 },
    );
    expect(stale.status).toBe(401);
    await h.slack.idle();
    expect(h.fake.calls.length).toBe(before);
    expect(h.fake.responses.filter((r) => r.hook === 'bad' || r.hook === 'stale')).toHaveLength(0);
  });

  it('never logs the bot token or the signing secret', async () => {
    await h.command('通信は暗号化されていますか --product krew');
    await h.slack.idle();
    // Debug level is on: the Web API client logged its requests too.
    expect(h.logs.some((l) => l.includes('http request'))).toBe(true);
    // The Bolt/Web API logger path: an SDK message that carries the token.
    h.slack.deps.log.error(`request failed with Authorization: Bearer ${BOT_TOKEN} and secret ${SIGNING_SECRET}`);
    h.slack.bolt.logger.error(`web api: token=${BOT_TOKEN}`);
    const all = h.logs.join('');
    expect(h.logs.length).toBeGreaterThan(10); // debug logging was on throughout
    expect(all).not.toContain(BOT_TOKEN);
    expect(all).not.toContain(SIGNING_SECRET);
    expect(all).toContain('[redacted]');
  });
});
