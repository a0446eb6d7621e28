/**
 * `npm run bot`: the Slack bot. Socket Mode by default (SLACK_BOT_TOKEN + SLACK_APP_TOKEN,
 * no public URL needed); SLACK_MODE=http listens on PORT at /slack/events and verifies
 * every request with SLACK_SIGNING_SECRET. Run `npm run ingest` first.
 *
 * A start that cannot work stops at once with one line and the exit code of the README's
 * table: every missing Slack variable named together, a token Slack rejects named by its
 * variable (2), Slack's API unreachable (1). Nobody able to approve is a warning, not an error.
 *
 * Questions are answered on the ask thread (KOTAE_ASK_THREAD, on here by default), so this
 * thread only acks, renders and posts: `npm run bot` gives it a 4 MB semi-space
 * (`--max-semi-space-size=4`) rather than V8's 16 MB, which it grew to while loading modules
 * and then kept for nothing, some 35 MB of the process's RSS (issue 13's budget is 400 MiB for
 * both threads). The ask thread sets its own young generation (src/ask-thread.ts).
 *
 * SIGINT/SIGTERM stop receiving, let work in progress finish (up to 30 s) and close the
 * database; drafts are in the review queue before they are posted, so nothing is lost if
 * a post was cut short.
 */
import { loadConfig, loadDotEnv, requireSlackTokens } from '../src/config.js';
import { createApp } from '../src/app.js';
import { reportError } from '../src/cli/exit.js';
import { createLogger } from '../src/log.js';
import { createSlackApp } from '../src/slack/app.js';

async function main(): Promise<void> {
  loadDotEnv();
  const config = loadConfig();
  // Before the index is opened: missing tokens are reported in a moment, all of them at once.
  requireSlackTokens(config.slack);
  const logger = createLogger(config.logLevel);
  const app = await createApp(config, { logger, askThread: true });
  let slack: ReturnType<typeof createSlackApp>;
  try {
    const products = await app.products();
    if (products.length === 0) logger.warn('the store is empty: run `npm run ingest` first; every question will be refused');
    slack = createSlackApp(app, { logger });
    await slack.start();
    logger.info('kotae bot running', { mode: config.slack.mode, products: products.length, drafter: app.drafterName });
  } catch (error) {
    await app.close();
    throw error;
  }

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info('kotae bot stopping', { signal });
    slack
      .stop()
      .catch((error: unknown) => logger.error('stopping the bot failed', { error }))
      .finally(async () => {
        await app.close();
        process.exit(0);
      });
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

try {
  await main();
} catch (error) {
  // The exit-code table of every kotae command (README, "Exit codes"): 2 for a variable to fix
  // (missing, or a token Slack rejects), 1 when Slack cannot be reached.
  const reported = reportError(error);
  process.stderr.write(`${reported.lines.join('\n')}\n`);
  // Exit now rather than when the event loop drains: a Slack client may have left a retry timer.
  process.exit(reported.code);
}
