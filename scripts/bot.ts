/**
 * `npm run bot`: the Slack bot. Socket Mode by default (SLACK_BOT_TOKEN + SLACK_APP_TOKEN,
 * no public URL needed); SLACK_MODE=http listens on PORT at /slack/events and verifies
 * every request with SLACK_SIGNING_SECRET. Run `npm run ingest` first.
 *
 * SIGINT/SIGTERM stop receiving, let work in progress finish (up to 30 s) and close the
 * database; drafts are in the review queue before they are posted, so nothing is lost if
 * a post was cut short.
 */
import { loadConfig, loadDotEnv } from '../src/config.js';
import { createApp } from '../src/app.js';
import { KotaeError } from '../src/errors.js';
import { createLogger } from '../src/log.js';
import { createSlackApp } from '../src/slack/app.js';

async function main(): Promise<void> {
  loadDotEnv();
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const app = await createApp(config, { logger });
  const products = await app.products();
  if (products.length === 0) logger.warn('the store is empty: run `npm run ingest` first; every question will be refused');
  const slack = createSlackApp(app, { logger });
  await slack.start();
  logger.info('kotae bot running', { mode: config.slack.mode, products: products.length, drafter: app.drafter.name });

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info('kotae bot stopping', { signal });
    slack
      .stop()
      .catch((error: unknown) => logger.error('stopping the bot failed', { error }))
      .finally(() => {
        app.close();
        process.exit(0);
      });
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

try {
  await main();
} catch (error) {
  if (!(error instanceof KotaeError)) throw error;
  process.stderr.write(`error: ${error.message}${error.hint ? `\n  ${error.hint}` : ''}\n`);
  process.exitCode = 2;
}
