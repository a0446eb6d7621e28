/**
 * The review workflow in Slack: "Send for review" (the asker), Approve / Edit / Reject
 * (approvers only: the core refuses everyone else and the refusal is shown to the clicker
 * alone), the edit and reject modals, and the App Home queue.
 *
 * Buttons carry `reviewId:version`; the version goes to the core as `expectedVersion`, so
 * a click on an outdated card is a conflict, not a decision on something unseen.
 */
import type { App as BoltApp, ViewResponseAction, ViewSubmitAction } from '@slack/bolt';
import { Status } from '../../domain.js';
import { KotaeError } from '../../errors.js';
import { DECIDED_STATES } from '../../review/states.js';
import type { ReviewRecord } from '../../review/types.js';
import type { DecisionOutcome } from '../../review/queue.js';
import {
  ACTIONS,
  CALLBACKS,
  EDIT_BLOCK,
  INPUT_ACTION,
  REJECT_BLOCK,
  answerMessage,
  editModal,
  homeView,
  noticeMessage,
  rejectModal,
  reviewCardMessage,
  type ProductQueue,
} from '../blocks.js';
import { checkApprover, isForbidden, post, refuse, respond, type SlackDeps, type WebClient } from '../deps.js';
import { describeError } from '../logging.js';
import { BlockAction, HomeOpened, JobRef, ModalMetadata, ReviewRef, ViewSubmission, inputText, selectedValue, type Origin } from '../payloads.js';
import { jobView } from './bulk.js';

/** Where the click happened, so the result can be shown in the same place. */
function originOf(action: BlockAction): Origin {
  if (action.view?.type === 'home') return { surface: 'home', viewId: action.view.id };
  if (action.view?.type === 'modal') {
    return { surface: 'modal', viewId: action.view.id };
  }
  return {
    surface: 'message',
    ...(action.response_url ? { responseUrl: action.response_url } : {}),
    ...(action.channel ? { channel: action.channel.id } : {}),
    ...(action.message?.thread_ts ? { threadTs: action.message.thread_ts } : {}),
  };
}

function inThread(action: BlockAction): boolean {
  return action.message?.thread_ts !== undefined && action.message.thread_ts !== action.message.ts;
}

/** The job a modal shows, read back from its private_metadata. */
function jobOfModal(body: unknown): JobRef | undefined {
  if (typeof body !== 'object' || body === null || !('view' in body)) return undefined;
  const view = (body as { view?: { private_metadata?: unknown } }).view;
  const parsed = JobRef.safeParse(typeof view?.private_metadata === 'string' ? view.private_metadata : '');
  return parsed.success ? parsed.data : undefined;
}

const PER_PRODUCT = 5;

export async function publishHome(deps: SlackDeps, client: WebClient, userId: string): Promise<void> {
  const queues: ProductQueue[] = [];
  for (const product of await deps.app.products()) {
    const page = deps.reviews.list({ product, state: ['needs_human', 'drafted', 'stale'], limit: PER_PRODUCT + 1 });
    queues.push({ product, items: page.items.slice(0, PER_PRODUCT), more: page.items.length > PER_PRODUCT || page.next !== null });
  }
  try {
    await client.views.publish({ user_id: userId, view: homeView(queues, { perProduct: PER_PRODUCT }) });
  } catch (error) {
    deps.log.error('slack: publishing the App Home failed', { user: userId, ...describeError(error) });
  }
}

/** Shows a decided (or refreshed) review where the click came from. */
async function refresh(deps: SlackDeps, client: WebClient, origin: Origin, review: ReviewRecord, user: string): Promise<void> {
  const context = { reviewId: review.id, user };
  if (origin.surface === 'home') {
    await publishHome(deps, client, user);
    return;
  }
  if (origin.surface === 'modal' && origin.viewId) {
    if (origin.job) {
      try {
        await client.views.update({ view_id: origin.viewId, view: jobView(deps, origin.job) });
      } catch (error) {
        deps.log.warn('slack: could not refresh the review list', { ...context, ...describeError(error) });
      }
    }
    return;
  }
  if (origin.responseUrl) {
    await respond(deps, origin.responseUrl, reviewCardMessage(review), { replaceOriginal: true }, context);
  }
}

/** After a decision: tell whoever asked (a DM), unless they decided it themselves. */
async function tellAsker(deps: SlackDeps, client: WebClient, review: ReviewRecord, user: string): Promise<void> {
  if (!review.askedBy || review.askedBy === user || !/^[UW][A-Z0-9]+$/.test(review.askedBy)) return;
  await post(client, deps.log, { channel: review.askedBy }, reviewCardMessage(review), { reviewId: review.id, notify: 'asker' });
}

async function decided(deps: SlackDeps, client: WebClient, origin: Origin, outcome: DecisionOutcome, user: string): Promise<void> {
  deps.log.info('slack: review decided', { reviewId: outcome.review.id, state: outcome.review.state, by: user, library: outcome.library });
  await refresh(deps, client, origin, outcome.review, user);
  await tellAsker(deps, client, outcome.review, user);
}

function parseAction(deps: SlackDeps, body: unknown): { action: BlockAction; ref: ReviewRef } | null {
  const parsed = BlockAction.safeParse(body);
  if (!parsed.success) {
    deps.log.warn('slack: malformed block action', { issue: parsed.error.issues[0]?.message });
    return null;
  }
  const ref = ReviewRef.safeParse(parsed.data.actions[0]?.value ?? '');
  if (!ref.success) {
    deps.log.warn('slack: review button without a valid reference', { user: parsed.data.user.id });
    return null;
  }
  return { action: parsed.data, ref: ref.data };
}

function withJob(origin: Origin, body: unknown): Origin {
  const job = origin.surface === 'modal' ? jobOfModal(body) : undefined;
  return job ? { ...origin, job } : origin;
}

/** Up to this long, a modal submission waits for the core so errors can show in the form. */
const INLINE_BUDGET_MS = 2000;

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown } | { ok: 'pending' };

async function within<T>(work: Promise<T>, ms: number): Promise<Settled<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Settled<T>>((resolve) => {
    timer = setTimeout(() => resolve({ ok: 'pending' }), ms);
  });
  const settled = work.then(
    (value): Settled<T> => ({ ok: true, value }),
    (error: unknown): Settled<T> => ({ ok: false, error }),
  );
  try {
    return await Promise.race([settled, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs a modal's decision: errors the core reports in time (forbidden, conflict) are shown
 * inline in the form; a slow decision closes the form and reports when done.
 */
async function submitDecision(
  deps: SlackDeps,
  client: WebClient,
  ack: (response?: ViewResponseAction) => Promise<void>,
  input: { blockId: string; user: string; origin: Origin; reviewId: string },
  decide: () => Promise<DecisionOutcome>,
): Promise<void> {
  const work = decide();
  const first = await within(work, INLINE_BUDGET_MS);
  if (first.ok === false) {
    if (first.error instanceof KotaeError) {
      await ack({ response_action: 'errors', errors: { [input.blockId]: first.error.message.slice(0, 300) } });
      return;
    }
    await ack({ response_action: 'errors', errors: { [input.blockId]: 'kotae could not save this decision; please try again.' } });
    deps.log.error('slack: decision failed', { reviewId: input.reviewId, user: input.user, ...describeError(first.error) });
    return;
  }
  await ack();
  const outcome = first.ok === true ? { ok: true as const, value: first.value } : await within(work, 10 * 60_000);
  if (outcome.ok === true) {
    await decided(deps, client, input.origin, outcome.value, input.user);
  } else if (outcome.ok === false) {
    deps.log.warn('slack: decision failed after the form closed', { reviewId: input.reviewId, user: input.user, ...describeError(outcome.error) });
    const text = outcome.error instanceof KotaeError ? outcome.error.message : 'kotae could not save the decision.';
    await post(client, deps.log, { channel: input.user }, noticeMessage(`Review #${input.reviewId}: ${text}`), { reviewId: input.reviewId });
  }
}

export function registerReviewHandlers(bolt: BoltApp, deps: SlackDeps): void {
  // "Send for review": the draft is already queued; this brings it to the approvers.
  bolt.action(ACTIONS.requestReview, async ({ ack, body, client }) => {
    await ack();
    const input = parseAction(deps, body);
    if (!input) return;
    const { action, ref } = input;
    await deps.track(
      (async () => {
        let review: ReviewRecord;
        try {
          review = deps.reviews.get(ref.reviewId);
        } catch (error) {
          await refuse(deps, client, { triggerId: action.trigger_id, responseUrl: action.response_url, inThread: inThread(action) }, error, { reviewId: ref.reviewId });
          return;
        }
        let notified = 0;
        if (!DECIDED_STATES.has(review.state)) {
          for (const approver of deps.app.config.review.approvers) {
            const ts = await post(client, deps.log, { channel: approver }, reviewCardMessage(review, { requestedBy: action.user.id }), { reviewId: review.id, approver });
            if (ts) notified++;
          }
        }
        deps.log.info('slack: sent for review', { reviewId: review.id, by: action.user.id, notified });
        const message = answerMessage({ draft: review.draft, review, sentForReviewBy: action.user.id, notified });
        if (action.response_url) await respond(deps, action.response_url, message, { replaceOriginal: true }, { reviewId: review.id });
      })(),
    );
  });

  bolt.action(ACTIONS.approve, async ({ ack, body, client }) => {
    await ack();
    const input = parseAction(deps, body);
    if (!input) return;
    const { action, ref } = input;
    const origin = withJob(originOf(action), body);
    await deps.track(
      (async () => {
        try {
          const outcome = await deps.reviews.approve(ref.reviewId, { as: action.user.id, expectedVersion: ref.version });
          await decided(deps, client, origin, outcome, action.user.id);
        } catch (error) {
          if (!isForbidden(error) && !(error instanceof KotaeError)) deps.log.error('slack: approve failed', { reviewId: ref.reviewId, ...describeError(error) });
          await refuse(deps, client, { triggerId: action.trigger_id, responseUrl: action.response_url, inThread: inThread(action) }, error, { reviewId: ref.reviewId, user: action.user.id });
        }
      })(),
    );
  });

  const openModal = (kind: 'edit' | 'reject') =>
    async ({ ack, body, client }: { ack: () => Promise<void>; body: unknown; client: WebClient }): Promise<void> => {
      await ack();
      const input = parseAction(deps, body);
      if (!input) return;
      const { action, ref } = input;
      const origin = withJob(originOf(action), body);
      const where = { triggerId: action.trigger_id, responseUrl: action.response_url, inThread: inThread(action) };
      try {
        // Checked before the form opens, so nobody types an answer only to be refused.
        await checkApprover(deps, action.user.id);
        const review = deps.reviews.get(ref.reviewId);
        // The version the approver saw is the one the decision must apply to.
        const seen = { ...review, version: ref.version };
        const view = kind === 'edit' ? editModal(seen, origin) : rejectModal(seen, origin);
        // The trigger_id expires 3 s after the click: open first, before any other call.
        if (action.view?.type === 'modal') await client.views.push({ trigger_id: action.trigger_id, view });
        else await client.views.open({ trigger_id: action.trigger_id, view });
      } catch (error) {
        if (error instanceof KotaeError) await refuse(deps, client, where, error, { reviewId: ref.reviewId, user: action.user.id });
        else deps.log.error(`slack: could not open the ${kind} form`, { reviewId: ref.reviewId, ...describeError(error) });
      }
    };
  bolt.action(ACTIONS.edit, openModal('edit'));
  bolt.action(ACTIONS.reject, openModal('reject'));

  bolt.view<ViewSubmitAction>({ callback_id: CALLBACKS.edit, type: 'view_submission' }, async ({ ack, body, client }) => {
    const parsed = ViewSubmission.safeParse(body);
    const meta = parsed.success ? ModalMetadata.safeParse(parsed.data.view.private_metadata) : null;
    if (!parsed.success || !meta?.success) {
      await ack({ response_action: 'errors', errors: { [EDIT_BLOCK.answer]: 'This form is out of date; close it and press Edit again.' } });
      return;
    }
    const view = parsed.data.view;
    const user = parsed.data.user.id;
    const text = inputText(view, EDIT_BLOCK.answer, INPUT_ACTION).trim();
    if (text === '') {
      await ack({ response_action: 'errors', errors: { [EDIT_BLOCK.answer]: 'Enter the answer: it cannot be empty (use Reject to turn the draft down).' } });
      return;
    }
    const status = Status.safeParse(selectedValue(view, EDIT_BLOCK.status, INPUT_ACTION));
    const note = inputText(view, EDIT_BLOCK.note, INPUT_ACTION).trim();
    const { reviewId, version, origin } = meta.data;
    await deps.track(
      submitDecision(deps, client, ack, { blockId: EDIT_BLOCK.answer, user, origin, reviewId }, () =>
        deps.reviews.edit(reviewId, {
          as: user,
          text,
          expectedVersion: version,
          ...(status.success ? { status: status.data } : {}),
          ...(note ? { note } : {}),
        }),
      ),
    );
  });

  bolt.view<ViewSubmitAction>({ callback_id: CALLBACKS.reject, type: 'view_submission' }, async ({ ack, body, client }) => {
    const parsed = ViewSubmission.safeParse(body);
    const meta = parsed.success ? ModalMetadata.safeParse(parsed.data.view.private_metadata) : null;
    if (!parsed.success || !meta?.success) {
      await ack({ response_action: 'errors', errors: { [REJECT_BLOCK.reason]: 'This form is out of date; close it and press Reject again.' } });
      return;
    }
    const reason = inputText(parsed.data.view, REJECT_BLOCK.reason, INPUT_ACTION).trim();
    if (reason === '') {
      await ack({ response_action: 'errors', errors: { [REJECT_BLOCK.reason]: 'Say why: the reason goes to the audit log and to whoever asked.' } });
      return;
    }
    const user = parsed.data.user.id;
    const { reviewId, version, origin } = meta.data;
    await deps.track(
      submitDecision(deps, client, ack, { blockId: REJECT_BLOCK.reason, user, origin, reviewId }, () =>
        deps.reviews.reject(reviewId, { as: user, reason, expectedVersion: version }),
      ),
    );
  });

  bolt.event('app_home_opened', async ({ event, client }) => {
    const parsed = HomeOpened.safeParse(event);
    if (!parsed.success || (parsed.data.tab !== undefined && parsed.data.tab !== 'home')) return;
    await deps.track(publishHome(deps, client, parsed.data.user));
  });
}
