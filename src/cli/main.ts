/**
 * The `kotae` command. commander gives every command its usage, `-h/--help` and
 * `--version`; each subcommand module owns its options, and all of them call the same
 * core as the Slack bot.
 *
 * Start-up is part of the interface: a script that runs `kotae review list` in a loop, or a
 * person typing `kotae --help`, should not wait for LanceDB and the lexicon. So nothing
 * heavy is imported here: each command imports what it needs when it runs (ask and answer
 * open the search index through createApp; review and library open the core's workflow
 * without it, which opens the index only once an approval has to reach the answer library).
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Command } from 'commander';
import type { Config } from '../config.js';
import type { ReviewQueue } from '../workflow.js';
import { EXIT, renderError, reportError } from './exit.js';
import { interruptOnSignals, settleHeldSignals, type HeldSignals, type Interrupt } from './interrupt.js';
import { processIO, type CliIO } from './io.js';

export function kotaeVersion(): string {
  const pkg: unknown = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  // Checked by hand: zod is not loaded for --help and --version.
  if (typeof pkg !== 'object' || pkg === null || !('version' in pkg) || typeof pkg.version !== 'string') throw new Error('package.json has no version');
  return pkg.version;
}

/**
 * How `main` treats the process it runs in. The kotae executable (runCli) asks for both; a
 * caller running commands in its own process (a test) asks for neither, and each on its own
 * means only what it says.
 */
export interface MainOptions {
  /** Load `<dotEnvFrom>/.env` into the environment first (variables already set win); the executable passes its working directory. */
  dotEnvFrom?: string;
  /** The call owns the process's signals: Ctrl-C stops a long command cleanly (exit 130) instead of killing the process. */
  handleSignals?: boolean;
  /** Signals the executable held while kotae loaded (bin/kotae.js): handed to the command once it can take them. */
  held?: HeldSignals;
}

/** The configuration, loaded only by commands that run (not for --help or --version). */
async function config(options: MainOptions): Promise<Config> {
  const { loadConfig, loadDotEnv } = await import('../config.js');
  if (options.dotEnvFrom !== undefined) loadDotEnv(options.dotEnvFrom);
  return loadConfig();
}

export const ASK_USAGE = `usage: kotae ask "question" --product P [--json] [--explain] [--as USER] [--no-enqueue]
       kotae ask --file questions.jsonl [--json]      one {"id","product","question"} per line

  -p, --product P   product whose documents answer (default KOTAE_DEFAULT_PRODUCT; with --file, for lines without one)
  -f, --file F      a JSONL file of questions; --json prints one JSON line per question
  --json            print the draft as JSON
  --as USER         who asked (default KOTAE_CLI_USER)
  --no-enqueue      do not put the draft in the review queue
  --explain         also show the 20 best candidate rows and the features behind the decision
  -h, --help        this help`;

interface Runner {
  description: string;
  usage: string;
  /** A command that can stop cleanly midway (answer): with `handleSignals` (MainOptions), it gets the signals from the start. */
  stoppable?: boolean;
  run: (argv: string[], config: Config, io: CliIO, interrupt: Interrupt | undefined) => Promise<number>;
}

const wantsHelp = (argv: string[]): boolean => argv.includes('-h') || argv.includes('--help');

/**
 * The review workflow (database and queue), opened on first use and closed when the command
 * ends: `--help` and usage errors never touch it. The commands print the queue's warnings
 * themselves (one human line each), so its log keeps only errors: a hedged approval is not
 * said twice, once as a JSON log line, while a failure (the answer library) is still logged.
 */
async function withWorkflow(config: Config, run: (reviews: () => Promise<ReviewQueue>) => Promise<number>): Promise<number> {
  const [{ createWorkflow }, { createLogger, quieterOf }, { requireWorkflowData }] = await Promise.all([import('../workflow.js'), import('../log.js'), import('../store/open.js')]);
  const logger = createLogger(quieterOf(config.logLevel, 'error'));
  let workflow: ReturnType<typeof createWorkflow> | undefined;
  try {
    return await run(async () => {
      // Reviews exist only where kotae drafted: no database there is no kotae data, not an empty queue.
      if (!workflow) requireWorkflowData(config);
      return (await (workflow ??= createWorkflow(config, { logger }))).reviews;
    });
  } finally {
    await workflow?.then((opened) => opened.close(), () => undefined);
  }
}

const RUNNERS: Record<string, Runner> = {
  ingest: {
    description: 'parse the corpus into the store (incremental)',
    usage: 'kotae ingest [--rebuild]',
    run: async (argv, config, io) => (await import('./ingest.js')).runIngestCommand(argv, config, io),
  },
  ask: {
    description: 'draft one answer, or a JSONL file of questions (enters the review queue)',
    usage: 'kotae ask "question" --product P [--json]',
    run: async (argv, config, io) => {
      if (wantsHelp(argv)) {
        io.out(ASK_USAGE);
        return EXIT.ok;
      }
      const [{ createApp }, { runAsk }] = await Promise.all([import('../app.js'), import('./ask.js')]);
      const app = await createApp(config);
      try {
        return await runAsk(argv, app, io);
      } finally {
        app.close();
      }
    },
  },
  answer: {
    description: 'fill a customer questionnaire (xlsx/csv); see kotae answer --help',
    usage: 'kotae answer FILE --product P [--out F] [--approved-only]',
    stoppable: true,
    run: async (argv, config, io, interrupt) => {
      const { runAnswer, ANSWER_USAGE } = await import('./answer.js');
      if (wantsHelp(argv)) {
        io.out(ANSWER_USAGE);
        return EXIT.ok;
      }
      const { createApp } = await import('../app.js');
      const app = await createApp(config);
      try {
        return await runAnswer(argv, { config, questionnaires: app, out: io.out, err: io.err, interactive: io.interactive, signal: interrupt?.signal, begin: interrupt?.begin });
      } finally {
        app.close();
      }
    },
  },
  products: {
    description: 'list the products kotae can answer for (the names --product accepts)',
    usage: 'kotae products [--json]',
    run: async (argv, config, io) => {
      const { runProducts, PRODUCTS_USAGE } = await import('./products.js');
      if (wantsHelp(argv)) {
        io.out(PRODUCTS_USAGE);
        return EXIT.ok;
      }
      const { createApp } = await import('../app.js');
      const app = await createApp(config);
      try {
        return await runProducts(argv, () => app.products(), io);
      } finally {
        app.close();
      }
    },
  },
  review: {
    description: 'the review queue: list, show, approve, edit, reject, export, import',
    usage: 'kotae review <list|show|approve|edit|reject|export|import> [options]',
    run: async (argv, config, io) => {
      const { runReview } = await import('./review.js');
      // runReview writes whole blocks ending in a newline; CliIO adds its own.
      const write = (sink: (line: string) => void) => (s: string) => sink(s.replace(/\n$/, ''));
      return withWorkflow(config, (reviews) => runReview(argv, { reviews, config, out: write(io.out), err: write(io.err), columns: io.columns }));
    },
  },
  library: {
    description: 'the approved answers kotae reuses: list, show, retire',
    usage: 'kotae library <list|show|retire> [options]',
    run: async (argv, config, io) => {
      const { runLibrary } = await import('./library.js');
      const write = (sink: (line: string) => void) => (s: string) => sink(s.replace(/\n$/, ''));
      return withWorkflow(config, (reviews) => runLibrary(argv, { reviews, out: write(io.out), err: write(io.err) }));
    },
  },
};

function topLevel(io: CliIO): Command {
  const program = new Command('kotae')
    .description('answers security questionnaires from your own checksheets, with citations')
    .version(kotaeVersion(), '-V, --version', 'print the version')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.replace(/\n$/, '')), writeErr: (s) => io.err(s.replace(/\n$/, '')) })
    .showHelpAfterError('(kotae --help lists the commands)')
    .addHelpText('after', '\nEach command has its own --help. Environment: see .env.example (KOTAE_DATA_DIR, KOTAE_APPROVERS, ...).\nExit codes: 0 ok, 1 failed, 2 usage/input, 3 not found, 4 forbidden, 5 conflict, 6 database busy, 130 interrupted (Ctrl-C; re-run to resume).');
  for (const [name, runner] of Object.entries(RUNNERS)) program.command(name).description(runner.description).usage(runner.usage.replace(/^kotae \S+ ?/, ''));
  return program;
}

export async function main(argv: string[], io: CliIO = processIO, options: MainOptions = {}): Promise<number> {
  const handleSignals = options.handleSignals ?? false;
  const [command, ...rest] = argv;
  try {
    const runner = command === undefined ? undefined : RUNNERS[command];
    if (runner) {
      // Taken before anything slow (configuration, opening the index): a signal while kotae is
      // still starting is reported ("nothing was done yet"), never a silent exit.
      const interrupt = handleSignals && runner.stoppable && !wantsHelp(rest) ? interruptOnSignals(`kotae ${command ?? ''}`) : undefined;
      settleHeldSignals(options.held, interrupt);
      try {
        return await runner.run(rest, await config(options), io, interrupt);
      } finally {
        interrupt?.dispose();
      }
    }
    settleHeldSignals(options.held, undefined);
    // `kotae help review` is `kotae review --help`.
    const helped = command === 'help' && rest[0] !== undefined ? RUNNERS[rest[0]] : undefined;
    if (helped) return await helped.run(['--help'], await config(options), io, undefined);
    const program = topLevel(io);
    if (command === undefined) {
      io.err(program.helpInformation().replace(/\n$/, ''));
      return EXIT.usage;
    }
    if (command === 'help') {
      io.out(program.helpInformation().replace(/\n$/, ''));
      return EXIT.ok;
    }
    await program.parseAsync(argv, { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    return renderError(error, io, argv.includes('--json'));
  }
}

/** `kotae … | head`: the reader went away; stop quietly instead of crashing on EPIPE. */
function exitQuietlyOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(EXIT.ok);
    throw error;
  });
}

/** The process entry point: bin/kotae.js (with the signals it held while loading) and `npm run kotae` both come here. */
export function runCli(held?: HeldSignals): void {
  exitQuietlyOnClosedPipe(process.stdout);
  exitQuietlyOnClosedPipe(process.stderr);
  main(process.argv.slice(2), processIO, { dotEnvFrom: process.cwd(), handleSignals: true, ...(held ? { held } : {}) }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      const reported = reportError(error);
      process.stderr.write(`${reported.lines.join('\n')}\n`);
      process.exitCode = reported.code;
    },
  );
}

// Run only when executed (npm run kotae), not when imported by tests or bin/kotae.js.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) runCli();
