/**
 * The HTTP receiver (SLACK_MODE=http): answers Slack's request as soon as it is read and its
 * signature verified, and only then hands the payload to Bolt.
 *
 * Why not Bolt's HTTPReceiver: there the response waits for Bolt's whole dispatch (the
 * middleware chain, the matching listener calling ack()), some 2 ms of the thread per
 * command; twenty commands arriving together queued behind each other's dispatch, and the
 * twentieth ack waited for nineteen of them (ack p99 72–130 ms at 20 in flight on a shared
 * 2-core machine). Here each request read in a poll is answered at once, and Bolt runs the
 * acked payloads one per turn of the event loop, each after the I/O pending then is served:
 * a burst is acked before any of it is dispatched, and a request arriving while earlier ones
 * wait for dispatch is acked after at most one of them. (Dispatching a poll's requests all
 * together in the next turn is not enough under a steady stream: twenty commands in flight
 * each come back while the previous twenty are dispatched, so every ack waits for twenty
 * dispatches again.) Dispatch only starts the work (the listener detaches it), so the queue
 * drains at some 2 ms a payload; a button's trigger_id (3 s) outlives any realistic backlog.
 *
 * Only payloads whose ack cannot carry a listener's decision are answered first, by one
 * table (`ackFirstPolicy`); the rest (view submissions, whose ack may carry field errors;
 * options requests, whose ack is the options; anything unknown) go through Bolt's ordinary
 * ack as under HTTPReceiver. Reading, verifying, url_verification, ssl_check, the status codes
 * (401 unsigned or stale, 413 too large, 400 unreadable, 404 elsewhere) and the retry headers
 * are Bolt's own functions (HTTPModuleFunctions), not a second implementation.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setImmediate as afterPendingIo } from 'node:timers/promises';
import { HTTPModuleFunctions as http, HTTPResponseAck, type App as BoltApp, type Logger, type Receiver } from '@slack/bolt';

/** A parsed request body (Bolt's StringIndexed). */
export type SlackBody = Record<string, unknown>;

/** What the HTTP response carries when a payload is acked before Bolt runs: a message, or nothing. */
export type AckBody = object | undefined;

/** The ack body of a payload answered first, or null to leave the ack to its listener. */
export type AckFirstPolicy = (body: SlackBody) => { body: AckBody } | null;

const ENDPOINT = '/slack/events';

/**
 * Which payloads are acked before Bolt runs, and with what. `commands` gives the ack body of
 * each slash command kotae answers (a command nobody listens to is left to Bolt, which lets
 * Slack time out as before).
 */
export function ackFirstPolicy(commands: Record<string, (body: SlackBody) => AckBody>): AckFirstPolicy {
  return (body) => {
    if (typeof body.command === 'string') {
      const reply = Object.hasOwn(commands, body.command) ? commands[body.command] : undefined;
      return reply ? { body: reply(body) } : null;
    }
    switch (body.type) {
      // Events carry nothing back; Bolt acks them before their listeners anyway. Except a
      // workflow step's function_executed, whose listener acks (and may take up to 15 s).
      case 'event_callback':
        return isFunctionExecuted(body) ? null : { body: undefined };
      // A button's ack carries nothing Slack reads.
      case 'block_actions':
        return { body: undefined };
      // view_submission (response_action: errors), block_suggestion (the options), shortcuts, ...
      default:
        return null;
    }
  };
}

function isFunctionExecuted(body: SlackBody): boolean {
  const event = body.event;
  return typeof event === 'object' && event !== null && 'type' in event && event.type === 'function_executed';
}

export interface AckFirstReceiverOptions {
  signingSecret: string;
  logger: Logger;
  policy: AckFirstPolicy;
  /**
   * Runs Bolt for a payload already acked (on its turn): tracked as work in progress, its
   * failure logged (the app's detach). Never rejects.
   */
  dispatch: (work: () => Promise<unknown>) => void;
  /** Largest request body read; Bolt's default (4 MB). */
  bodyLimit?: number;
}

export class AckFirstReceiver implements Receiver {
  private bolt: BoltApp | undefined;
  private server: Server | undefined;
  /** Resolves on the turn of the event loop the last acked payload is dispatched in. */
  private lastTurn: Promise<void> = Promise.resolve();

  constructor(private readonly options: AckFirstReceiverOptions) {}

  init(bolt: BoltApp): void {
    this.bolt = bolt;
  }

  start({ port, host }: { port: number; host: string }): Promise<Server> {
    if (this.server) return Promise.reject(new Error('the Slack receiver is already listening'));
    const server = createServer((req, res) => this.onRequest(req, res));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', (error) => {
        this.server = undefined;
        server.close();
        reject(error);
      });
      server.listen({ port, host }, () => resolve(server));
    });
  }

  stop(): Promise<void> {
    const server = this.server;
    if (!server) return Promise.reject(new Error('the Slack receiver is not listening'));
    this.server = undefined;
    return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  }

  /** A turn of the event loop after the previous acked payload's, once the I/O pending then is served. */
  private nextTurn(): Promise<void> {
    const turn = this.lastTurn.then(() => afterPendingIo());
    this.lastTurn = turn;
    return turn;
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '').split('?', 1)[0];
    if (path !== ENDPOINT || req.method?.toUpperCase() !== 'POST') {
      this.options.logger.info(`Unhandled HTTP request (${req.method}) made to ${path}`);
      http.buildNoBodyResponse(res, 404);
      return;
    }
    this.onEvent(req, res).catch((error: unknown) => {
      // Only a bug here could throw (every step below answers its own failures).
      this.options.logger.error(`An unexpected error occurred during a request (${req.method}) made to ${path}`, error);
      if (!res.headersSent) http.buildNoBodyResponse(res, 500);
    });
  }

  private async onEvent(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { logger, signingSecret } = this.options;
    let buffered: Awaited<ReturnType<typeof http.parseAndVerifyHTTPRequest>>;
    try {
      buffered = await http.parseAndVerifyHTTPRequest({ enabled: true, signingSecret, bodyLimit: this.options.bodyLimit ?? http.defaultBodyLimit }, req);
    } catch (error) {
      if (http.isRawBodyError(error) && (error.type === 'entity.too.large' || error.statusCode === 413)) {
        logger.warn(`Request body exceeded the maximum allowed size (limit: ${error.limit} bytes)`);
        http.buildNoBodyResponse(res, 413);
        return;
      }
      logger.warn(`Failed to parse and verify the request data: ${error instanceof Error ? error.message : String(error)}`);
      http.buildNoBodyResponse(res, 401);
      return;
    }
    let body: SlackBody;
    try {
      body = http.parseHTTPRequestBody(buffered) as SlackBody;
    } catch (error) {
      logger.warn(`Malformed request body: ${error instanceof Error ? error.message : String(error)}`);
      http.buildNoBodyResponse(res, 400);
      return;
    }
    if (body.ssl_check === '1') {
      http.buildSSLCheckResponse(res);
      return;
    }
    if (body.type === 'url_verification') {
      http.buildUrlVerificationResponse(res, body);
      return;
    }
    const bolt = this.bolt;
    if (!bolt) throw new Error('the Slack receiver was started before Bolt initialised it');
    const retry = { retryNum: http.extractRetryNumFromHTTPRequest(req), retryReason: http.extractRetryReasonFromHTTPRequest(req) };

    const first = this.options.policy(body);
    if (first) {
      http.buildContentResponse(res, first.body);
      const turn = this.nextTurn();
      this.options.dispatch(() => turn.then(() => bolt.processEvent({ body, ...retry, ack: acknowledged(logger, first.body) })));
      return;
    }

    // A listener decides the ack: Bolt's own ack object answers when it is called (404 if
    // nobody acks within 3 s), and an error before the ack gets 500, as under HTTPReceiver.
    const ack = new HTTPResponseAck({ logger, processBeforeResponse: false, httpRequest: buffered, httpRequestBody: body, httpResponse: res });
    try {
      await bolt.processEvent({ body, ...retry, ack: ack.bind() });
    } catch (error) {
      const handled = await http.defaultProcessEventErrorHandler({
        error: error instanceof Error ? error : new Error(String(error)),
        logger,
        request: req,
        response: res,
        storedResponse: ack.storedResponse,
      });
      if (handled) ack.ack();
    }
  }
}

/**
 * The ack Bolt hands a listener whose payload was answered already: it records the call and
 * sends nothing. A listener answering with something else than what was sent is a payload
 * the policy should leave to Bolt: said in the log, since Slack never sees that answer.
 */
function acknowledged(logger: Logger, sent: AckBody): (response?: unknown) => Promise<void> {
  let calls = 0;
  return async (response) => {
    calls += 1;
    if (calls > 1) logger.warn('ack() called more than once for a payload acked before Bolt ran');
    if (response !== undefined && response !== '' && JSON.stringify(response) !== JSON.stringify(sent)) {
      logger.warn('a listener answered a payload acked before Bolt ran with a different ack; Slack did not see it');
    }
  };
}
