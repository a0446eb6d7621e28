/**
 * Builds the Slack bot around a core `App`: Bolt with Socket Mode (default; SLACK_APP_TOKEN,
 * no public URL) or an HTTP receiver (SLACK_MODE=http; PORT; endpoint /slack/events;
 * requests verified with the signing secret), the Web API client pointed at
 * SLACK_API_URL when set, and the handlers registered. Missing tokens are all named at once
 * (config.ts); at start, a token Slack rejects or an API it cannot reach stops the start with
 * the variable or the network named (startup.ts), and a bot nobody can approve for is warned about.
 *
 * Acknowledgement: Slack is answered before the work, which continues after the response;
 * that is what keeps ack under 3 s however slow drafting is, and needs a long-running process
 * (not FaaS), which both modes are. Over HTTP the receiver (receiver.ts) answers commands,
 * events and button presses as soon as the request is read and verified, and runs Bolt for
 * them one per event-loop turn, each after the I/O pending then is served: Bolt's dispatch
 * costs the thread some 2 ms a request, and under Bolt's own receiver a burst of twenty
 * commands queued each ack behind the others' dispatch (p99 72–130 ms at 20 in flight). Forms (view submissions, whose ack
 * can carry field errors) are still answered by their listener's ack(). In Socket Mode Bolt
 * acks when a listener calls ack() (events: before the listener runs).
 *
 * The workflow database never waits for another process's write lock inside a call (that
 * would stall every ack); the writes after an ack retry on timers and, if the lock stays
 * taken, the user is told (see store/sqlite.ts).
 */
import { setImmediate as afterPendingIo } from 'node:timers/promises';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { App as BoltApp, type webApi } from '@slack/bolt';
import type { App } from '../app.js';
import { requireSlackTokens } from '../config.js';
import type { Logger } from '../log.js';
import { EventLog, type EventLogOptions } from '../store/event-log.js';
import { slackGroup, type SlackDeps } from './deps.js';
import { readCommand, registerAskHandlers } from './handlers/ask.js';
import { BulkDelivery, deliverQuestionnaire, registerBulkHandlers } from './handlers/bulk.js';
import { registerReviewHandlers } from './handlers/review.js';
import { boltLevel, boltLogger, describeError } from './logging.js';
import { AckFirstReceiver, ackFirstPolicy } from './receiver.js';
import { SlackRoutes } from './routes.js';
import { startError, verifyBotToken } from './startup.js';

export interface SlackAppOptions {
  /** Defaults: app.config.slack.* (SLACK_MODE, SLACK_BOT_TOKEN, ...). */
  mode?: 'socket' | 'http';
  botToken?: string;
  appToken?: string;
  signingSecret?: string;
  /** Web API base URL (clientOptions.slackApiUrl), e.g. GovSlack or a local fake in tests. */
  apiUrl?: string;
  /** HTTP mode: port (0 = any free one) and interface; defaults PORT and KOTAE_HOST. */
  port?: number;
  host?: string;
  logger?: Logger;
  /** The slash command's name, as in manifest.json. */
  command?: string;
  /** The Web API client's retry policy (429 Retry-After, 5xx, network). Default: the SDK's. */
  retryConfig?: webApi.RetryOptions;
  eventLog?: EventLogOptions;
  /** Minimum gap between progress edits of a bulk job's status message. */
  progressIntervalMs?: number;
  /** fetch for file downloads and response_url replies. */
  fetch?: typeof fetch;
  /**
   * How long a bulk job's lease lasts without renewal (default KOTAE_JOB_TTL_MS, 60 s): a job
   * whose bot died is taken over by a running bot (another replica, or this one restarted) after this long.
   */
  jobTtlMs?: number;
}

export interface SlackApp {
  bolt: BoltApp;
  deps: SlackDeps;
  /** Connects (Socket Mode) or listens (HTTP); returns the bound port and interface in HTTP mode. */
  start(): Promise<{ port: number | null; host: string | null }>;
  /** Stops receiving, then waits (up to `graceMs`) for work in progress to finish. */
  stop(graceMs?: number): Promise<void>;
  /** Resolves when no handler work is in progress (tests, graceful shutdown). */
  idle(): Promise<void>;
}

/** Slack's Web API client joins method names onto the base URL: it must end with '/'. */
export function normaliseApiUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  return url.endsWith('/') ? url : `${url}/`;
}

export function createSlackApp(app: App, options: SlackAppOptions = {}): SlackApp {
  const slack = app.config.slack;
  const mode = options.mode ?? slack.mode;
  const tokens = requireSlackTokens({
    mode,
    botToken: options.botToken ?? slack.botToken,
    appToken: options.appToken ?? slack.appToken,
    signingSecret: options.signingSecret ?? slack.signingSecret,
  });
  const { botToken } = tokens;
  const apiUrl = normaliseApiUrl(options.apiUrl ?? slack.apiUrl);
  const log = options.logger ?? app.logger;

  const logger = boltLogger(log, boltLevel(app.config.logLevel));
  const clientOptions: webApi.WebClientOptions = {
    ...(apiUrl ? { slackApiUrl: apiUrl } : {}),
    ...(options.retryConfig ? { retryConfig: options.retryConfig } : {}),
  };

  // A listener's failure, whether Bolt caught it or it came from work detached after the ack.
  const listenerFailed = (error: unknown): void => log.error('slack: unhandled error in a listener', describeError(error));
  const inFlight = new Set<Promise<unknown>>();
  // Work after an ack starts only once the I/O pending at that moment is served: twenty
  // commands arriving together were each acked, then at once ran the first synchronous
  // stretch of their drafting (product list, parsing, the model client's request set-up)
  // before the next request of the same poll was even read, so the twentieth ack waited for
  // nineteen of those stretches.
  const detach = (start: () => Promise<unknown>): void => {
    const work = afterPendingIo()
      .then(start)
      .catch(listenerFailed);
    inFlight.add(work);
    void work.then(() => inFlight.delete(work));
  };
  const idle = async (): Promise<void> => {
    while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
  };

  // Bolt's default conversation store answers every event it has no state for with a
  // rejected promise carrying a new Error (a stack captured per request, on the thread that
  // acks); kotae keeps no conversation state in Bolt, so it is turned off.
  const common = { token: botToken, logger, clientOptions, deferInitialization: true, convoStore: false } as const;
  const command = options.command ?? '/kotae';
  let bolt: BoltApp;
  let receiver: AckFirstReceiver | null = null;
  if (tokens.mode === 'http') {
    receiver = new AckFirstReceiver({
      // Verification stays on: unsigned, wrongly signed or stale (> 5 min) requests get 401.
      signingSecret: tokens.signingSecret,
      logger,
      policy: ackFirstPolicy({ [command]: (body) => readCommand(body).ack }),
      // Bolt runs for an acked payload as detached work: after pending I/O, awaited by idle(), its failure logged.
      dispatch: detach,
    });
    bolt = new BoltApp({ ...common, receiver });
  } else {
    bolt = new BoltApp({ ...common, appToken: tokens.appToken, socketMode: true });
  }

  const group = app.config.review.approverGroup;
  const approverGroup = group ? slackGroup(bolt.client, group, log) : undefined;
  // The app's one review queue asks Slack who is in the approver group.
  if (approverGroup) app.reviews.resolveGroupsWith(approverGroup.isInGroup);
  const jobTtlMs = options.jobTtlMs ?? app.config.bulk.jobTtlMs;
  // Whichever replica finishes a job posts its outcome into the job's thread.
  const jobs = app.questionnaireJobs<BulkDelivery>({ delivery: BulkDelivery, ttlMs: jobTtlMs, deliver: (job, outcome) => deliverQuestionnaire(deps, bolt.client, job, outcome) });
  let adopting: NodeJS.Timeout | undefined;
  const adoptOrphans = (): void => {
    detach(() => jobs.adoptOrphans().catch((error: unknown) => log.warn('slack: taking over unfinished bulk jobs failed; trying again later', describeError(error))));
  };
  const deps: SlackDeps = {
    app,
    jobs,
    approverGroupMembers: approverGroup?.members,
    log,
    events: new EventLog(app.db, options.eventLog),
    botToken,
    apiUrl,
    limits: app.limits,
    fetch: options.fetch ?? fetch,
    progressIntervalMs: options.progressIntervalMs ?? 1000,
    detach,
  };

  bolt.error(async (error) => listenerFailed(error));
  registerAskHandlers(bolt, deps, command);
  const routes = new SlackRoutes();
  registerReviewHandlers(bolt, routes, deps);
  registerBulkHandlers(routes, deps);
  routes.mount(bolt);

  return {
    bolt,
    deps,
    idle,
    async start() {
      const { approvers, approverGroup } = app.config.review;
      if (approvers.length === 0 && !approverGroup) {
        log.warn('nobody can approve drafts: KOTAE_APPROVERS and KOTAE_APPROVER_GROUP are both empty; every draft will wait in the review queue', {
          fix: 'set KOTAE_APPROVERS (Slack user ids) or KOTAE_APPROVER_GROUP (a user group id) and restart',
        });
      }
      await verifyBotToken(botToken, { apiUrl, logger });
      await bolt.init().catch((error: unknown) => {
        throw startError(error, 'SLACK_BOT_TOKEN', apiUrl);
      });
      // Bulk jobs left by a bot that died (another replica, or this one before a restart) are
      // finished here once their lease has run out; checking once per TTL is often enough.
      adopting = setInterval(adoptOrphans, jobTtlMs);
      adopting.unref();
      if (receiver) {
        const server: Server = await receiver.start({ port: options.port ?? slack.port, host: options.host ?? slack.host });
        const address = server.address() as AddressInfo | null;
        log.info('slack: listening for Slack requests', { mode, host: address?.address, port: address?.port, endpoint: '/slack/events' });
        return { port: address?.port ?? null, host: address?.address ?? null };
      }
      await bolt.start().catch((error: unknown) => {
        throw startError(error, 'SLACK_APP_TOKEN', apiUrl);
      });
      log.info('slack: connected with Socket Mode', { mode });
      return { port: null, host: null };
    },
    async stop(graceMs = 30_000) {
      clearInterval(adopting);
      try {
        await bolt.stop();
      } catch (error) {
        log.warn('slack: stopping the receiver failed', describeError(error));
      }
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([idle(), new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
      clearTimeout(timer);
    },
  };
}
