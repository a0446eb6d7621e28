/**
 * The review workflow in Slack: "Send for review" (the asker; DMs the card to
 * KOTAE_APPROVERS and the members of KOTAE_APPROVER_GROUP), Approve / Edit / Reject
 * (approvers only: the core refuses everyone else and the refusal is shown to the clicker
 * alone), the edit and reject modals (acked before the decision runs), and the App Home
 * tab (the queue for approvers; for everyone else only what they asked).
 *
 * A bulk job's summary also offers to approve its confident, unflagged drafts together: the
 * confirmation modal lists them, and the submission approves exactly those versions (one
 * transaction; any that moved meanwhile are skipped and counted).
 *
 * Buttons carry `reviewId:version`; the version goes to the core as `expectedVersion`, so
 * a click on an outdated card is a conflict, not a decision on something unseen.
 */
import type { App as BoltApp } from '@slack/bolt';
import { Status } from '../../domain.js';
import { KotaeError } from '../../errors.js';
import { DECIDED_STATES, WAITING_STATES } from '../../review/states.js';
import type { ReviewRecord } from '../../review/types.js';
import type { DecisionOutcome } from '../../review/queue.js';
import {
  ACTIONS,
  CALLBACKS,
  EDIT_BLOCK,
  INPUT_ACTION,
  REJECT_BLOCK,
  answerMessage,
  approveSelectionModal,
  askerHomeView,
  decisionWarningsMessage,
  editModal,
  homeView,
  noticeMessage,
  rejectModal,
  reviewCardMessage,
  selectionResultMessage,
  type HomeView,
  type ProductQueue,
} from '../blocks.js';
import { checkApprover, isForbidden, post, refuse, replyToUser, respond, type SlackDeps, type WebClient } from '../deps.js';
import type { SlackRoutes } from '../routes.js';
import { describeError } from '../logging.js';
import { BlockAction, HomeOpened, JobRef, ModalMetadata, ReviewRef, SelectionMetadata, ViewSubmission, inputText, selectedValue, type Origin } from '../payloads.js';
import { SELECTION_CONFIDENCE } from '../../review/queue.js';
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
/** How many of their own waiting questions a non-approver's Home tab shows. */
const ASKER_HOME_ITEMS = 10;

/** Whether `userId` may decide (KOTAE_APPROVERS or the approver group); unknown counts as no. */
async function isApprover(deps: SlackDeps, userId: string): Promise<boolean> {
  try {
    await checkApprover(deps, userId);
    return true;
  } catch (error) {
    if (!(error instanceof KotaeError)) deps.log.warn('slack: approver check failed; showing the Home tab of a non-approver', { user: userId, ...describeError(error) });
    return false;
  }
}

/** The waiting reviews `userId` asked, newest first, and how many there are (500 at most counted). */
async function waitingAskedBy(deps: SlackDeps, userId: string, limit: number): Promise<{ items: ReviewRecord[]; waiting: number }> {
  const page = await deps.app.reviews.list({ askedBy: userId, state: [...WAITING_STATES], limit: 500 });
  return { items: page.items.slice(-limit).reverse(), waiting: page.items.length };
}

/**
 * The App Home tab. Approvers get the queue per product; everyone else only the questions
 * they asked themselves: drafts are unreviewed and other people's questions (customer
 * names, deal context) are not for every member of the workspace.
 */
export async function publishHome(deps: SlackDeps, client: WebClient, userId: string): Promise<void> {
  let view: HomeView;
  if (await isApprover(deps, userId)) {
    const queues: ProductQueue[] = [];
    for (const product of await deps.app.products()) {
      const page = await deps.app.reviews.list({ product, state: [...WAITING_STATES], limit: PER_PRODUCT + 1 });
      queues.push({ product, items: page.items.slice(0, PER_PRODUCT), more: page.items.length > PER_PRODUCT || page.next !== null });
    }
    view = homeView(queues, { perProduct: PER_PRODUCT });
  } else {
    const own = await waitingAskedBy(deps, userId, ASKER_HOME_ITEMS);
    view = askerHomeView(own.items, { waiting: own.waiting });
  }
  try {
    await client.views.publish({ user_id: userId, view });
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
        await client.views.update({ view_id: origin.viewId, view: await jobView(deps, origin.job) });
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

/**
 * What the core warns about the decision (see TransitionResult.warnings), to the approver
 * alone: an ephemeral reply under the card they clicked, or a DM where none can go (the Home
 * tab, a modal, a thread, where an ephemeral message could go unseen).
 */
async function warnApprover(deps: SlackDeps, client: WebClient, origin: Origin, outcome: DecisionOutcome, user: string): Promise<void> {
  if (outcome.warnings.length === 0) return;
  const responseUrl = origin.surface === 'message' && origin.threadTs === undefined ? origin.responseUrl : undefined;
  await replyToUser(deps, client, { user, responseUrl }, decisionWarningsMessage(outcome.warnings), { reviewId: outcome.review.id, user });
}

async function decided(deps: SlackDeps, client: WebClient, origin: Origin, outcome: DecisionOutcome, user: string): Promise<void> {
  deps.log.info('slack: review decided', { reviewId: outcome.review.id, state: outcome.review.state, by: user, library: outcome.library });
  await refresh(deps, client, origin, outcome.review, user);
  await warnApprover(deps, client, origin, outcome, user);
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

interface Submission {
  user: string;
  origin: Origin;
  reviewId: string;
  /** What the form does, for the message when it could not be saved. */
  what: 'edit' | 'rejection';
}

/** After the form closed: say why the decision was not saved, and refresh an outdated card. */
async function notDecided(deps: SlackDeps, client: WebClient, input: Submission, error: unknown): Promise<void> {
  const context = { reviewId: input.reviewId, user: input.user };
  let reason: string;
  if (error instanceof KotaeError) {
    reason = error.message;
    deps.log.info('slack: decision refused', { ...context, ...describeError(error) });
  } else {
    reason = 'kotae could not save it (the details are in the bot log)';
    deps.log.error('slack: decision failed', { ...context, ...describeError(error) });
  }
  await post(client, deps.log, { channel: input.user }, noticeMessage(`Review #${input.reviewId}: your ${input.what} was not saved: ${reason}`), context);
  if (error instanceof KotaeError && error.code === 'conflict') {
    // The card still offers buttons for a state that has moved on: show where it stands now.
    try {
      await refresh(deps, client, input.origin, await deps.app.reviews.get(input.reviewId), input.user);
    } catch (e) {
      deps.log.warn('slack: could not refresh an outdated review card', { ...context, ...describeError(e) });
    }
  }
}

/**
 * A modal's decision. The form has been checked already (cheap, no database); the
 * submission is acked before the decision runs, because a decision may have to wait for
 * another writer (the CLI, an ingest; the database port retries on timers for up to its busy budget)
 * and Slack gives up after 3 s. The outcome comes afterwards: the card refreshed where the
 * form was opened, or a DM saying why the decision was not saved (a busy database too).
 */
async function submitDecision(deps: SlackDeps, client: WebClient, ack: () => Promise<void>, input: Submission, decide: () => Promise<DecisionOutcome>): Promise<void> {
  await ack();
  let outcome: DecisionOutcome;
  try {
    // A locked database is waited for on timers, never inside the call (store/sqlite.ts).
    outcome = await decide();
  } catch (error) {
    await notDecided(deps, client, input, error);
    return;
  }
  await decided(deps, client, input.origin, outcome, input.user);
}

/** At most this many approvers get the review card by DM; the rest see it on App Home. */
const MAX_REVIEW_DMS = 25;

/**
 * Who gets a review card: KOTAE_APPROVERS and the members of KOTAE_APPROVER_GROUP (Slack
 * cannot DM a user group, so each member gets the DM), and what kept anyone from it.
 */
async function reviewRecipients(deps: SlackDeps): Promise<{ users: string[]; problems: string[] }> {
  const policy = deps.app.config.review;
  const users = new Set(policy.approvers);
  const problems: string[] = [];
  const group = policy.approverGroup;
  if (group !== undefined) {
    try {
      if (!deps.approverGroupMembers) throw new Error('no group lookup');
      for (const member of await deps.approverGroupMembers()) users.add(member);
    } catch {
      problems.push(`the members of approver group ${group} could not be read (the app needs the usergroups:read scope)`);
    }
  }
  if (users.size === 0 && problems.length === 0) {
    problems.push(group !== undefined ? `approver group ${group} has no members` : 'no approvers are configured (KOTAE_APPROVERS or KOTAE_APPROVER_GROUP)');
  }
  return { users: [...users], problems };
}

export function registerReviewHandlers(bolt: BoltApp, routes: SlackRoutes, deps: SlackDeps): void {
  // "Send for review": the draft is already queued; this brings it to the approvers.
  routes.action(ACTIONS.requestReview, async ({ ack, body, client }) => {
    await ack();
    const input = parseAction(deps, body);
    if (!input) return;
    const { action, ref } = input;
    deps.detach(async () => {
      let review: ReviewRecord;
      try {
        review = await deps.app.reviews.get(ref.reviewId);
      } catch (error) {
        await refuse(deps, client, { triggerId: action.trigger_id, responseUrl: action.response_url, inThread: inThread(action) }, error, { reviewId: ref.reviewId });
        return;
      }
      const context = { reviewId: review.id };
      if (DECIDED_STATES.has(review.state)) {
        // Nothing left to review: show the asker where it stands instead.
        if (action.response_url) await respond(deps, action.response_url, reviewCardMessage(review), { replaceOriginal: true }, context);
        return;
      }
      const { users, problems } = await reviewRecipients(deps);
      let notified = 0;
      let failed = 0;
      for (const approver of users.slice(0, MAX_REVIEW_DMS)) {
        const ts = await post(client, deps.log, { channel: approver }, reviewCardMessage(review, { requestedBy: action.user.id }), { ...context, approver });
        if (ts) notified++;
        else failed++;
      }
      if (failed > 0) problems.push(`${failed} could not be reached (see the bot log)`);
      if (users.length > MAX_REVIEW_DMS) problems.push(`${users.length - MAX_REVIEW_DMS} more see it in the App Home queue`);
      deps.log.info('slack: sent for review', { ...context, by: action.user.id, notified, failed, approvers: users.length });
      const message = answerMessage({ draft: review.draft, review, sentForReview: { by: action.user.id, notified, problem: problems.join('; ') || undefined } });
      if (action.response_url) await respond(deps, action.response_url, message, { replaceOriginal: true }, context);
    });
  });

  routes.action(ACTIONS.approve, async ({ ack, body, client }) => {
    await ack();
    const input = parseAction(deps, body);
    if (!input) return;
    const { action, ref } = input;
    const origin = withJob(originOf(action), body);
    deps.detach(async () => {
      try {
        const outcome = await deps.app.reviews.approve(ref.reviewId, { as: action.user.id, expectedVersion: ref.version });
        await decided(deps, client, origin, outcome, action.user.id);
      } catch (error) {
        if (!isForbidden(error) && !(error instanceof KotaeError)) deps.log.error('slack: approve failed', { reviewId: ref.reviewId, ...describeError(error) });
        await refuse(deps, client, { triggerId: action.trigger_id, responseUrl: action.response_url, inThread: inThread(action) }, error, { reviewId: ref.reviewId, user: action.user.id });
      }
    });
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
        const review = await deps.app.reviews.get(ref.reviewId);
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
  routes.action(ACTIONS.edit, openModal('edit'));
  routes.action(ACTIONS.reject, openModal('reject'));

  routes.viewSubmission(CALLBACKS.edit, async ({ ack, body, client }) => {
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
    deps.detach(() =>
      submitDecision(deps, client, ack, { user, origin, reviewId, what: 'edit' }, () =>
        deps.app.reviews.edit(reviewId, {
          as: user,
          text,
          expectedVersion: version,
          ...(status.success ? { status: status.data } : {}),
          ...(note ? { note } : {}),
        }),
      ),
    );
  });

  routes.viewSubmission(CALLBACKS.reject, async ({ ack, body, client }) => {
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
    deps.detach(() =>
      submitDecision(deps, client, ack, { user, origin, reviewId, what: 'rejection' }, () =>
        deps.app.reviews.reject(reviewId, { as: user, reason, expectedVersion: version }),
      ),
    );
  });

  routes.action(ACTIONS.approveSelection, async ({ ack, body, client }) => {
    await ack();
    const parsed = BlockAction.safeParse(body);
    const ref = parsed.success ? JobRef.safeParse(parsed.data.actions[0]?.value ?? '') : null;
    if (!parsed.success || !ref?.success) {
      deps.log.warn('slack: malformed approve-selection payload');
      return;
    }
    const action = parsed.data;
    const where = { triggerId: action.trigger_id, responseUrl: action.response_url, inThread: inThread(action) };
    try {
      await checkApprover(deps, action.user.id);
      const items = await deps.app.reviews.approvableByConfidence({ jobId: ref.data.jobId, minConfidence: SELECTION_CONFIDENCE });
      if (items.length === 0) throw new KotaeError('conflict', `no unflagged drafts at confidence ≥ ${SELECTION_CONFIDENCE} are waiting any more`);
      await client.views.open({ trigger_id: action.trigger_id, view: approveSelectionModal(ref.data, items, SELECTION_CONFIDENCE) });
    } catch (error) {
      if (error instanceof KotaeError) await refuse(deps, client, where, error, { jobId: ref.data.jobId, user: action.user.id });
      else deps.log.error('slack: could not open the approve-selection form', { jobId: ref.data.jobId, ...describeError(error) });
    }
  });

  routes.viewSubmission(CALLBACKS.approveSelection, async ({ ack, body, client }) => {
    // Nothing to fill in: close the form at once; the outcome goes to the job's thread.
    await ack();
    const parsed = ViewSubmission.safeParse(body);
    const meta = parsed.success ? SelectionMetadata.safeParse(parsed.data.view.private_metadata) : null;
    if (!parsed.success || !meta?.success) {
      deps.log.warn('slack: malformed approve-selection submission');
      return;
    }
    const user = parsed.data.user.id;
    const { job, minConfidence, items } = meta.data;
    const where = { channel: job.channel, threadTs: job.threadTs };
    deps.detach(async () => {
      try {
        const report = await deps.app.reviews.decideBatch(
          items.map(([reviewId, version], i) => ({ line: i + 1, reviewId, action: 'approve' as const, expectedVersion: version, jobId: job.jobId })),
          { as: user },
        );
        deps.log.info('slack: selection approved', { jobId: job.jobId, user, applied: report.applied.length, conflicts: report.conflicts.length, library: report.library });
        await post(client, deps.log, where, selectionResultMessage(user, minConfidence, report), { jobId: job.jobId, user });
      } catch (error) {
        if (!(error instanceof KotaeError)) deps.log.error('slack: approving the selection failed', { jobId: job.jobId, ...describeError(error) });
        await post(client, deps.log, where, noticeMessage(`Nothing was approved: ${error instanceof KotaeError ? error.message : 'the decisions could not be saved'}.`), { jobId: job.jobId, user });
      }
    });
  });

  bolt.event('app_home_opened', async ({ event, client }) => {
    const parsed = HomeOpened.safeParse(event);
    if (!parsed.success || (parsed.data.tab !== undefined && parsed.data.tab !== 'home')) return;
    deps.detach(() => publishHome(deps, client, parsed.data.user));
  });
}
