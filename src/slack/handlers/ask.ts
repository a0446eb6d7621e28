/**
 * Questions: `/kotae <question>`, an @mention in a channel, a DM. The product comes from
 * `--product`, a leading product name (`@kotae krew ...`), the channel's default or the
 * global default. Each acks first (over HTTP the receiver acks before Bolt runs; in Socket
 * Mode Bolt acks events before listeners run and the command acks on its first line with
 * `readCommand`'s ack), then drafts through `app.ask` with `enqueue` (so the draft is
 * in the review queue before anything is posted), then renders. Files attached to a
 * mention or DM go to the bulk handler.
 */
import type { App as BoltApp } from '@slack/bolt';
import { DatabaseBusyError, KotaeError } from '../../errors.js';
import type { Claim } from '../../store/event-log.js';
import { answerMessage, placeholderMessage, productPromptMessage, usageMessage, type SlackMessage } from '../blocks.js';
import {
  errorNotice,
  parseAsk,
  post,
  productFor,
  replyToUser,
  slackToPlain,
  update,
  type SlackDeps,
  type WebClient,
} from '../deps.js';
import { describeError } from '../logging.js';
import { EventEnvelope, MessageEvent, SlashCommand } from '../payloads.js';
import { handleUpload } from './bulk.js';

interface AskInput {
  text: string;
  user: string;
  channel: string;
}

/** The known products, for reading a leading product name; [] (logged) when the store cannot say. */
async function knownProducts(deps: SlackDeps): Promise<string[]> {
  try {
    return await deps.app.products();
  } catch (error) {
    deps.log.warn('slack: could not list the products', describeError(error));
    return [];
  }
}

/**
 * Drafts the answer to one question and hands the rendered message to `deliver`. Usage,
 * "which product?" and errors are delivered the same way, so every path answers.
 */
export async function draftAndDeliver(
  deps: SlackDeps,
  input: AskInput,
  deliver: (message: SlackMessage, context: Record<string, unknown>) => Promise<void>,
): Promise<void> {
  const products = await knownProducts(deps);
  const { question, product: explicit } = parseAsk(slackToPlain(input.text), products);
  if (question === '' || /^(?:help|\?)$/i.test(question)) {
    await deliver(usageMessage(products), {});
    return;
  }
  const product = productFor(deps, input.channel, explicit);
  if (!product) {
    await deliver(productPromptMessage(products, question), {});
    return;
  }
  const context: Record<string, unknown> = { user: input.user, channel: input.channel, product };
  let message: SlackMessage;
  try {
    const result = await deps.app.ask(question, product, { enqueue: { askedBy: input.user, channel: input.channel } });
    message = answerMessage({ draft: result.draft, review: result.review });
    // In the log context of the post: a failed post names the review that holds the draft.
    context.reviewId = result.review?.id;
    deps.log.info('slack: drafted an answer', { ...context, abstained: result.draft.abstained });
  } catch (error) {
    if (!(error instanceof KotaeError)) deps.log.error('slack: drafting failed', { ...context, ...describeError(error) });
    message = errorNotice(error, 'kotae could not draft an answer just now. Please try again in a minute.');
  }
  await deliver(message, context);
}

/**
 * Runs an Events API handler once per event_id: Slack retries deliveries it thinks were
 * lost, and a retry of an event still being (or already) processed must not answer twice.
 */
export async function once(deps: SlackDeps, body: unknown, work: () => Promise<void>): Promise<void> {
  const envelope = EventEnvelope.safeParse(body);
  if (!envelope.success) {
    deps.log.warn('slack: event without event_id; processing without dedupe');
    await work();
    return;
  }
  const eventId = envelope.data.event_id;
  let claim: Claim | null;
  try {
    claim = await deps.events.claim(eventId);
  } catch (error) {
    if (!(error instanceof DatabaseBusyError)) throw error;
    // Acked already, so Slack will not deliver it again: answering without the dedupe
    // record beats dropping the question.
    deps.log.warn('slack: event log busy; processing the event without dedupe', { eventId, ...describeError(error) });
    claim = null;
  }
  if (claim && !claim.claimed) {
    deps.log.info('slack: duplicate event delivery skipped', { eventId, reason: claim.reason });
    return;
  }
  if (claim && claim.attempt > 1) deps.log.warn('slack: re-processing an event whose earlier attempt never finished', { eventId, attempt: claim.attempt });
  try {
    await work();
  } finally {
    // Done even when the work failed: the user was told, and a retry would only repeat it.
    if (claim) {
      await deps.events.complete(eventId).catch((error: unknown) => deps.log.warn('slack: could not record an event as done', { eventId, ...describeError(error) }));
    }
  }
}

async function onMessage(deps: SlackDeps, client: WebClient, event: MessageEvent, threadTs: string | undefined): Promise<void> {
  if (!event.user) return;
  const context = { user: event.user, channel: event.channel, ts: event.ts };
  if (event.files && event.files.length > 0) {
    // `@kotae krew` with the file names the product: handed on as the flag the upload reads.
    const { product } = parseAsk(slackToPlain(event.text), await knownProducts(deps));
    const text = product === undefined ? event.text : `--product ${product}`;
    await handleUpload(deps, client, { files: event.files, text, user: event.user, channel: event.channel, threadTs: threadTs ?? event.ts });
    return;
  }
  const placeholder = await post(client, deps.log, { channel: event.channel, threadTs }, placeholderMessage('Looking that up in the checksheets…'), context);
  await draftAndDeliver(deps, { text: event.text, user: event.user, channel: event.channel }, async (message, drafted) => {
    await update(client, deps.log, { channel: event.channel, threadTs, ts: placeholder }, message, { ...context, ...drafted });
  });
}

/** The ack Slack shows the asker of a slash command. */
export interface CommandAck {
  response_type: 'ephemeral';
  text: string;
}

/**
 * Reads a slash command and the ack that answers it: "drafting" (the answer follows through
 * response_url; drafting can take longer than Slack's 3 seconds) or "could not read". The
 * one decision both the listener (Socket Mode) and the HTTP receiver (which answers before
 * Bolt runs, src/slack/receiver.ts) send.
 */
export function readCommand(body: unknown): { ack: CommandAck; command: SlashCommand | null; issue?: string } {
  const parsed = SlashCommand.safeParse(body);
  if (!parsed.success) return { ack: { response_type: 'ephemeral', text: 'kotae could not read that command.' }, command: null, issue: parsed.error.issues[0]?.message };
  return { ack: { response_type: 'ephemeral', text: ':hourglass_flowing_sand: Drafting an answer…' }, command: parsed.data };
}

export function registerAskHandlers(bolt: BoltApp, deps: SlackDeps, command: string): void {
  bolt.command(command, async ({ ack, body, client }) => {
    const read = readCommand(body);
    // Ack first (over HTTP the receiver has sent this same ack already).
    await ack(read.ack);
    const cmd = read.command;
    if (!cmd) {
      deps.log.warn('slack: malformed slash command', { issue: read.issue });
      return;
    }
    deps.detach(() =>
      draftAndDeliver(deps, { text: cmd.text, user: cmd.user_id, channel: cmd.channel_id }, async (message, drafted) => {
        // Ephemeral: an unreviewed draft is for the asker (and reviewers), not the channel.
        await replyToUser(deps, client, { user: cmd.user_id, responseUrl: cmd.response_url }, message, drafted);
      }),
    );
  });

  bolt.event('app_mention', async ({ body, event, client }) => {
    const parsed = MessageEvent.safeParse(event);
    if (!parsed.success || parsed.data.bot_id) return;
    const ev = parsed.data;
    // Always in the thread (a new one under the mention), visible: never an ephemeral
    // message inside a thread, which some clients do not show.
    deps.detach(() => once(deps, body, () => onMessage(deps, client, ev, ev.thread_ts ?? ev.ts)));
  });

  bolt.event('message', async ({ body, event, client }) => {
    const parsed = MessageEvent.safeParse(event);
    if (!parsed.success) return;
    const ev = parsed.data;
    // Only DMs to the bot (channel messages arrive as app_mention), only people, only new
    // messages or file shares (not edits, joins, bot posts).
    if (ev.channel_type !== 'im' || ev.bot_id || (ev.subtype !== undefined && ev.subtype !== 'file_share')) return;
    deps.detach(() => once(deps, body, () => onMessage(deps, client, ev, ev.thread_ts)));
  });
}
