/**
 * What the bot checks with Slack as it starts, so that a start that cannot work stops with one
 * line naming the fix instead of hanging: Slack's API must be reachable and must accept the bot
 * token (auth.test) and, in Socket Mode, the app token (apps.connections.open, made by Bolt).
 *
 * Bolt's own client retries a request that fails for about thirty minutes (ten retries), which
 * at start looks like a bot that runs but never answers. The check uses its own client with
 * a few quick retries, to ride out a blip, and a timeout, for a network that drops packets;
 * then the start fails and the exit code tells a supervisor whether restarting can help
 * (unreachable: yes; a rejected token: no, someone must fix a variable).
 */
import { webApi, type Logger as BoltLogger } from '@slack/bolt';
import { ConfigError, KotaeError } from '../errors.js';

export type SlackTokenVariable = 'SLACK_BOT_TOKEN' | 'SLACK_APP_TOKEN';

/** Slack's answers for a token it does not accept: the variable holding it must change. */
const REJECTED_TOKEN = new Set(['invalid_auth', 'not_authed', 'token_revoked', 'token_expired', 'account_inactive', 'not_allowed_token_type']);

const WHERE_TO_GET: Record<SlackTokenVariable, string> = {
  SLACK_BOT_TOKEN: 'set it to the Bot User OAuth Token (xoxb-...) under OAuth & Permissions of the installed app',
  SLACK_APP_TOKEN: 'set it to an App-Level Token (xapp-...) with connections:write, under Basic Information > App-Level Tokens',
};

const START_RETRIES: webApi.RetryOptions = { retries: 2, factor: 2, minTimeout: 1000, maxTimeout: 2000 };
const START_TIMEOUT_MS = 10_000;
const DEFAULT_API_URL = 'https://slack.com/api/';

/** Throws a ConfigError naming SLACK_BOT_TOKEN when Slack refuses it, a KotaeError when Slack cannot be reached. */
export async function verifyBotToken(botToken: string, options: { apiUrl: string | undefined; logger: BoltLogger }): Promise<void> {
  const client = new webApi.WebClient(botToken, {
    ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
    logger: options.logger,
    retryConfig: START_RETRIES,
    timeout: START_TIMEOUT_MS,
  });
  try {
    await client.auth.test();
  } catch (error) {
    throw startError(error, 'SLACK_BOT_TOKEN', options.apiUrl);
  }
}

/**
 * A Web API error met while starting, as the user should read it: a rejected token names its
 * variable (exit 2 on the CLI's table), an unreachable or failing API says so (exit 1).
 * Anything else is returned unchanged.
 */
export function startError(error: unknown, variable: SlackTokenVariable, apiUrl: string | undefined): unknown {
  if (!(error instanceof Error) || !('code' in error)) return error;
  const where = describeUrl(apiUrl ?? DEFAULT_API_URL);
  const retry = 'It stopped instead of retrying in the background; start it again once this is fixed.';
  switch (error.code) {
    case webApi.ErrorCode.PlatformError: {
      const slackError = (error as webApi.WebAPIPlatformError).data.error;
      if (REJECTED_TOKEN.has(slackError)) return new ConfigError(variable, `Slack rejected it (${slackError}): ${WHERE_TO_GET[variable]}`);
      return new KotaeError('upstream', `Slack refused to start the bot: ${slackError}`, retry, { cause: error });
    }
    case webApi.ErrorCode.RequestError:
      return new KotaeError(
        'upstream',
        `cannot reach Slack's API at ${where} (${networkProblem((error as webApi.WebAPIRequestError).original)})`,
        `Check the network connection, DNS, firewall or proxy, and SLACK_API_URL if you set it. ${retry}`,
        { cause: error },
      );
    case webApi.ErrorCode.HTTPError:
      return new KotaeError(
        'upstream',
        `Slack's API at ${where} answered HTTP ${(error as webApi.WebAPIHTTPError).statusCode}`,
        `Check SLACK_API_URL if you set it, or Slack's status page. ${retry}`,
        { cause: error },
      );
    default:
      return error;
  }
}

/** `connection refused (ECONNREFUSED)`, `host not found (ENOTFOUND)`, `no answer within 10 s`, or the cause's own words. */
function networkProblem(original: Error): string {
  if (original.name === 'TimeoutError' || original.name === 'AbortError') return `no answer within ${START_TIMEOUT_MS / 1000} s`;
  const cause: unknown = original.cause;
  const code = typeof cause === 'object' && cause !== null && 'code' in cause && typeof cause.code === 'string' ? cause.code : undefined;
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused (ECONNREFUSED)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `host not found (${code})`;
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return `connection timed out (${code})`;
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
      return `network unreachable (${code})`;
    default:
      return code ?? (cause instanceof Error ? cause.message : original.message);
  }
}

/** The API address without any credentials someone put in it. */
function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return url;
  }
}
