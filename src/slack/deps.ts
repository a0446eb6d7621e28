/**
 * What every handler gets, and the few adapter chores they share: posting with logged
 * failures, replying through a response_url, refusing politely, reading product flags,
 * turning Slack's message markup back into a plain question. No business rules here:
 * drafting, queue states and who may approve are decided by the core.
 */
import type { webApi } from '@slack/bolt';
import type { App } from '../app.js';
import { KotaeError } from '../errors.js';
import type { Logger } from '../log.js';
import type { QuestionnaireJobs } from '../questionnaire-run.js';
import type { IsInGroup } from '../workflow.js';
import type { BulkDelivery } from './handlers/bulk.js';
import type { EventLog } from '../store/event-log.js';
import { explain } from './errors.js';
import { describeError } from './logging.js';
import { noticeMessage, noticeModal, type SlackMessage } from './blocks.js';

export type WebClient = webApi.WebClient;

export interface SlackDeps {
  /** The core; its one review queue (`app.reviews`) reads approver-group membership through Slack when a group is configured. */
  app: App;
  /** The members of KOTAE_APPROVER_GROUP (cached), when a group is configured. */
  approverGroupMembers: (() => Promise<ReadonlySet<string>>) | undefined;
  log: Logger;
  events: EventLog;
  botToken: string;
  apiUrl: string | undefined;
  /** The core's upload limits (from the config), checked before and while downloading. */
  limits: App['limits'];
  fetch: typeof fetch;
  progressIntervalMs: number;
  /** Bulk questionnaire jobs: submitted here, finished (and delivered) by whichever replica holds their lease. */
  jobs: QuestionnaireJobs<BulkDelivery>;
  /**
   * Runs the work after an ack, detached from Bolt's handling of the request: started once
   * the I/O pending now (other requests waiting for their ack) is served, tracked so `stop()`
   * and tests can wait for it, and a failure logged as a listener's would be. Detached, not
   * awaited by the listener, because Bolt keeps the whole request (its body and one promise
   * chain per registered listener) alive until every listener settles: twenty drafts waiting
   * on a slow model kept some 30 KB each on the thread that acks, and its garbage collector
   * paused the acks (the bench's heap profile of that thread, issue 13).
   */
  detach(start: () => Promise<unknown>): void;
}

// -----------------------------------------------------------------------------------------
// Posting

export interface PostTarget {
  channel: string;
  threadTs?: string | undefined;
}

/**
 * chat.postMessage; returns the message ts, or null after logging the failure with its
 * context. The Web API client has already retried 429s (after Retry-After), 5xx and
 * network errors by its retry policy: no second retry layer here.
 */
export async function post(client: WebClient, log: Logger, target: PostTarget, message: SlackMessage, context: Record<string, unknown>): Promise<string | null> {
  try {
    const res = await client.chat.postMessage({
      channel: target.channel,
      ...(target.threadTs ? { thread_ts: target.threadTs } : {}),
      text: message.text,
      blocks: message.blocks,
      unfurl_links: false,
      unfurl_media: false,
    });
    return typeof res.ts === 'string' ? res.ts : null;
  } catch (error) {
    log.error('slack: posting a message failed', { ...context, channel: target.channel, threadTs: target.threadTs, ...describeError(error) });
    return null;
  }
}

/** chat.update of a message the bot posted; falls back to a new post in the same place. */
export async function update(client: WebClient, log: Logger, target: PostTarget & { ts: string | null }, message: SlackMessage, context: Record<string, unknown>): Promise<string | null> {
  if (target.ts) {
    try {
      await client.chat.update({ channel: target.channel, ts: target.ts, text: message.text, blocks: message.blocks });
      return target.ts;
    } catch (error) {
      log.warn('slack: updating a message failed; posting a new one', { ...context, channel: target.channel, ts: target.ts, ...describeError(error) });
    }
  }
  return post(client, log, target, message, context);
}

/** Sends a message through a response_url (slash commands, button clicks). */
export async function respond(
  deps: Pick<SlackDeps, 'fetch' | 'log'>,
  responseUrl: string,
  message: SlackMessage,
  options: { replaceOriginal?: boolean; ephemeral?: boolean },
  context: Record<string, unknown>,
): Promise<boolean> {
  try {
    const res = await deps.fetch(responseUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({
        text: message.text,
        blocks: message.blocks,
        replace_original: options.replaceOriginal ?? false,
        ...(options.replaceOriginal ? {} : { response_type: options.ephemeral === false ? 'in_channel' : 'ephemeral' }),
      }),
    });
    await res.body?.cancel();
    if (!res.ok) throw new Error(`response_url answered ${res.status}`);
    return true;
  } catch (error) {
    log(deps.log, 'warn', 'slack: response_url delivery failed', context, error);
    return false;
  }
}

function log(logger: Logger, level: 'warn' | 'error', message: string, context: Record<string, unknown>, error: unknown): void {
  logger[level](message, { ...context, ...describeError(error) });
}

/**
 * Reply to one user: the response_url when there is one, else a DM (posting to a user id
 * lands in the app's Messages tab and needs only chat:write). Used when the reply to a
 * slash command cannot be delivered through its response_url (expired after 30 minutes).
 */
export async function replyToUser(
  deps: SlackDeps,
  client: WebClient,
  to: { user: string; responseUrl?: string | undefined },
  message: SlackMessage,
  context: Record<string, unknown>,
): Promise<void> {
  if (to.responseUrl && (await respond(deps, to.responseUrl, message, { ephemeral: true }, context))) return;
  await post(client, deps.log, { channel: to.user }, message, context);
}

// -----------------------------------------------------------------------------------------
// Errors and refusals

/** An error as a Slack notice, in the words of src/slack/errors.ts. */
export function errorNotice(error: unknown, fallback: string): SlackMessage {
  const { message, hint } = explain(error, fallback);
  return noticeMessage(message, hint);
}

export function isForbidden(error: unknown): boolean {
  return error instanceof KotaeError && (error.code === 'forbidden' || error.code === 'conflict' || error.code === 'not_found');
}

/**
 * A polite refusal only the clicker sees: an ephemeral reply through the response_url
 * for top-level messages; in a thread or on the Home tab (where an ephemeral message
 * could go unseen or cannot go), a small modal opened with the click's trigger_id.
 */
export async function refuse(
  deps: SlackDeps,
  client: WebClient,
  where: { triggerId: string; responseUrl?: string | undefined; inThread: boolean },
  error: unknown,
  context: Record<string, unknown>,
): Promise<void> {
  const explained = explain(error, 'That did not work.');
  const message = explained.message;
  const hint = error instanceof KotaeError && error.code === 'forbidden' ? 'Only configured approvers (KOTAE_APPROVERS / KOTAE_APPROVER_GROUP) can decide on drafts.' : explained.hint;
  deps.log.info('slack: refused an action', { ...context, ...describeError(error) });
  const text = `Sorry, you can't do that here: ${message}`;
  if (where.responseUrl && !where.inThread) {
    if (await respond(deps, where.responseUrl, noticeMessage(text, hint), { ephemeral: true, replaceOriginal: false }, context)) return;
  }
  try {
    await client.views.open({ trigger_id: where.triggerId, view: noticeModal('Not allowed', hint ? `${text}\n${hint}` : text) });
  } catch (e) {
    deps.log.warn('slack: could not show a refusal', { ...context, ...describeError(e) });
  }
}

/** Throws the core's forbidden error unless `userId` is an approver (checked before opening a modal). */
export async function checkApprover(deps: SlackDeps, userId: string): Promise<void> {
  await deps.app.reviews.assertApprover(userId);
}

// -----------------------------------------------------------------------------------------
// Approver group membership through Slack (usergroups:read)

export interface SlackGroup {
  /** Whether a user is in the group (the approver check). */
  isInGroup: IsInGroup;
  /** Everyone in the group (whom to notify). */
  members(): Promise<ReadonlySet<string>>;
}

/** One cached usergroups.users.list answer serves both the approver check and notifications. */
export function slackGroup(client: WebClient, groupId: string, log: Logger, ttlMs = 5 * 60_000): SlackGroup {
  let cache: { at: number; members: Set<string> } | null = null;
  const members = async (): Promise<Set<string>> => {
    if (!cache || Date.now() - cache.at > ttlMs) {
      try {
        const res = await client.usergroups.users.list({ usergroup: groupId });
        cache = { at: Date.now(), members: new Set(res.users ?? []) };
      } catch (error) {
        log.warn('slack: could not read the approver group', { group: groupId, ...describeError(error) });
        throw new KotaeError('forbidden', `membership of approver group ${groupId} could not be checked`, 'The app needs the usergroups:read scope when KOTAE_APPROVER_GROUP is set.');
      }
    }
    return cache.members;
  };
  return { isInGroup: async (userId) => (await members()).has(userId), members };
}

// -----------------------------------------------------------------------------------------
// Reading what people typed

/**
 * Slack sends message text with its own markup: `&amp;`/`&lt;`/`&gt;` escapes, links as
 * `<https://x|label>`, mentions as `<@U1>`. The question the core sees is plain text.
 */
export function slackToPlain(text: string): string {
  return text
    .replace(/<@[A-Z0-9]+(?:\|[^>]*)?>/g, ' ')
    .replace(/<#[A-Z0-9]+(?:\|([^>]*))?>/g, (_m, name: string | undefined) => (name ? `#${name}` : ' '))
    .replace(/<!subteam\^[A-Z0-9]+(?:\|([^>]*))?>/g, (_m, name: string | undefined) => name ?? ' ')
    .replace(/<![a-z]+(?:\^[^|>]*)?(?:\|([^>]*))?>/g, (_m, label: string | undefined) => label ?? ' ')
    .replace(/<((?:https?|mailto):[^|>]+)(?:\|([^>]*))?>/g, (_m, url: string, label: string | undefined) => label ?? url)
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/[ \t]+/g, ' ')
    .trim();
}

export interface ParsedAsk {
  question: string;
  product: string | undefined;
}

/**
 * `--product krew`, `--product=krew` or `-p krew` anywhere in the text; otherwise a first
 * word that is one of `products` (case-insensitive, e.g. `@kotae krew Do you ...?` or
 * `krew:`), which is then not part of the question. The flag wins over a first word.
 */
export function parseAsk(text: string, products: readonly string[] = []): ParsedAsk {
  let product: string | undefined;
  const question = text
    .replace(/(?:^|\s)(?:--product|-p)(?:=|\s+)(\S+)/g, (_m, p: string) => {
      product = p.trim().toLowerCase();
      return ' ';
    })
    .replace(/\s+/g, ' ')
    .trim();
  if (product !== undefined) return { question, product };
  const first = /^(\S+?)[:：,、]?(?:\s+|$)/.exec(question);
  const word = first?.[1]?.toLowerCase();
  const named = word === undefined ? undefined : products.find((p) => p.toLowerCase() === word);
  if (first && named !== undefined) return { question: question.slice(first[0].length).trim(), product: named };
  return { question, product: undefined };
}

/** The product a question is about: explicit flag, the channel's default, the global default. */
export function productFor(deps: SlackDeps, channel: string, explicit: string | undefined): string | undefined {
  return deps.app.resolveProduct(explicit, { channel });
}
