/**
 * The `kotae` command. Parses nothing itself beyond the subcommand: each subcommand module
 * owns its flags, and all of them call the same core as the Slack bot.
 */
import { pathToFileURL } from 'node:url';
import { loadConfig, loadDotEnv } from '../config.js';
import { KotaeError } from '../errors.js';
import { createApp } from '../app.js';
import { runAsk } from './ask.js';
import { runIngestCommand } from './ingest.js';
import { runReview } from './review.js';
import { runAnswer } from './answer.js';
import { bulkHooks } from '../bulk.js';
import { processIO, type CliIO } from './io.js';

const USAGE = `kotae — answers security questionnaires from your own checksheets, with citations

usage:
  kotae ingest [--rebuild]                         parse corpus/ into the store (incremental)
  kotae ask "question" --product P [--json]        draft one answer (enters the review queue)
  kotae ask --file questions.jsonl --json          one {id, product, question} per line
  kotae answer FILE.xlsx|csv --product P [--out F] [--approved-only]
                                                   fill a customer questionnaire (see kotae answer -h)
  kotae review list [--product P] [--state S] [--json]
  kotae review show ID [--json]
  kotae review approve ID --as USER [--text "edited answer"]
  kotae review edit ID --as USER --text "..."
  kotae review reject ID --as USER --reason "..."
  kotae help

environment: see .env.example (KOTAE_DATA_DIR, KOTAE_CORPUS_DIR, OPENAI_API_KEY, ...)`;

export async function main(argv: string[], io: CliIO = processIO): Promise<number> {
  const [command, ...rest] = argv;
  try {
    const config = loadConfig();
    switch (command) {
      case 'ingest':
        return await runIngestCommand(rest, config, io);
      case 'ask': {
        const app = await createApp(config);
        try {
          return await runAsk(rest, app, io);
        } finally {
          app.close();
        }
      }
      case 'answer': {
        const app = await createApp(config);
        try {
          return await runAnswer(rest, {
            config,
            hooks: (bytes, product) => bulkHooks(app, bytes, product, { askedBy: config.cliUser }),
            out: io.out,
            err: io.err,
            interactive: io.interactive,
            db: app.db,
          });
        } finally {
          app.close();
        }
      }
      case 'review': {
        const app = await createApp(config);
        try {
          // runReview writes whole blocks ending in a newline; CliIO adds its own.
          const write = (sink: (line: string) => void) => (s: string) => sink(s.replace(/\n$/, ''));
          return await runReview(rest, {
            db: app.db,
            config,
            library: app.library,
            out: write(io.out),
            err: write(io.err),
            log: app.logger,
          });
        } finally {
          app.close();
        }
      }
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(USAGE);
        return command === undefined ? 2 : 0;
      default:
        io.err(`unknown command "${command}"\n\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    if (error instanceof KotaeError) {
      io.err(`error: ${error.message}${error.hint ? `\n  ${error.hint}` : ''}`);
      return error.code === 'input' || error.code === 'config' ? 2 : 1;
    }
    if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      io.err(`error: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
}

// Run only when executed (bin/kotae.js, npm run kotae), not when imported by tests.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  loadDotEnv();
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
