/**
 * One exit-code table for every `kotae` command (documented in README, "Exit codes"), and
 * the translation of every error a user can cause into one line with a hint instead of a
 * stack trace: kotae's own errors, files that are missing, unreadable or directories, and a
 * database another kotae process holds. Scripts branch on the code; people read the line.
 */
import { DatabaseBusyError, KotaeError, type KotaeErrorCode, type Remedy } from '../errors.js';

export const EXIT = {
  /** Done. */
  ok: 0,
  /** Something failed (a file that would not parse, a draft that errored, an answer run that wrote nothing into the file, an unexpected error). */
  failed: 1,
  /** Bad usage or input: unknown option, missing argument, invalid file or rows. Nothing was changed. */
  usage: 2,
  /** A review or job that does not exist. */
  notFound: 3,
  /** Not allowed: not an approver, four-eyes, a transition the review's state forbids. */
  forbidden: 4,
  /** Someone else decided first: those reviews were skipped (the others were applied). */
  conflict: 5,
  /** Another kotae process is writing the database; try again. */
  busy: 6,
  /** Interrupted (Ctrl-C, or SIGTERM: one code for a stop that can be resumed): the shell's 128 + SIGINT; re-running the same command resumes. */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Ctrl-C or SIGTERM during a long command: reported as `interrupted`, exit 130, never as a failure. */
export class InterruptedError extends Error {
  override readonly name = 'InterruptedError';
  constructor(
    message: string,
    /** How to carry on: the same command resumes, unless that command starts over (--fresh). */
    readonly resume = 'Run the same command again to resume where it stopped.',
    /** Stopped before any work a re-run would resume: there is nothing to resume, only to start again. */
    readonly nothingDone = false,
  ) {
    super(message);
  }
}

/** Each remedy the core names (src/errors.ts), said as the command that applies it. */
const REMEDY: Record<Remedy, string> = {
  'rebuild-index': 'Rebuild the index: kotae ingest --rebuild (npm run ingest -- --rebuild).',
  'ingest-first': 'Ingest the corpus first: kotae ingest (npm run ingest).',
  'name-layout': 'Say where the questions and answers are with --sheet, --question-col and --answer-col.',
  'list-reviews': 'See kotae review list.',
  'export-review-sheet': 'Export one with kotae review export --job ID, fill in the decision columns, and import that file.',
  'decide-one-by-one': 'Approve flagged drafts one by one: kotae review approve ID.',
};

/** What a KotaeError tells the user below its message: its hint, then its remedy. */
function errorLines(error: KotaeError): string[] {
  const indent = (text: string): string => `  ${text.replace(/\n/g, '\n  ')}`;
  return [`error: ${error.message}`, ...(error.hint ? [indent(error.hint)] : []), ...(error.remedy ? [indent(REMEDY[error.remedy])] : [])];
}

export function exitCodeFor(code: KotaeErrorCode): ExitCode {
  switch (code) {
    case 'input':
    case 'config':
    case 'manifest':
      return EXIT.usage;
    case 'not_found':
      return EXIT.notFound;
    case 'forbidden':
      return EXIT.forbidden;
    case 'conflict':
      return EXIT.conflict;
    default:
      return EXIT.failed;
  }
}

function errnoCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

/** SQLite's busy/locked errors (by SqliteError.code), should one escape the port's retries. */
export function isBusy(error: unknown): boolean {
  const code = errnoCode(error);
  return code !== undefined && /^SQLITE_(BUSY|LOCKED)/.test(code);
}

/** A file-system error about a path the user gave, as one line and a hint; undefined for anything else. */
export function fileProblem(error: unknown, path: string): { message: string; hint: string } | undefined {
  switch (errnoCode(error)) {
    case 'ENOENT':
      return { message: `${path}: no such file`, hint: 'Check the path.' };
    case 'EISDIR':
      return { message: `${path} is a directory, not a file`, hint: 'Give the path of a file.' };
    case 'EACCES':
    case 'EPERM':
      return { message: `${path}: permission denied`, hint: 'Check the file permissions.' };
    case 'ENOTDIR':
      return { message: `${path}: a part of the path is not a directory`, hint: 'Check the path.' };
    default:
      return undefined;
  }
}

export interface Reported {
  lines: string[];
  code: ExitCode;
}

/** The exit code's name, for `--json`: scripts that read stdout branch on it as on the code. */
function kindOf(code: ExitCode): string {
  const entry = Object.entries(EXIT).find(([, value]) => value === code);
  return (entry?.[0] ?? 'failed').replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/**
 * The error as `--json` prints it on stdout (README, "Exit codes"): `{error: {code, exit,
 * message, hint}}`, the same words as the lines on stderr, so `--json` output always parses.
 */
export function errorDocument(reported: Reported): { error: { code: string; exit: ExitCode; message: string; hint: string | null } } {
  const [first = '', ...rest] = reported.lines;
  const hint = rest.map((line) => line.trim()).join('\n');
  return { error: { code: kindOf(reported.code), exit: reported.code, message: (first.startsWith('unexpected ') ? (first.split('\n')[0] ?? '') : first).replace(/^(unexpected )?error: /, ''), hint: hint === '' ? null : hint } };
}

/**
 * The one way a command reports an error: the lines on stderr and, with `--json`, the error
 * document on stdout. Returns the exit code.
 */
export function renderError(error: unknown, io: { out: (line: string) => void; err: (line: string) => void }, json: boolean): ExitCode {
  // commander has printed its own usage error (or the help, exit 0) already.
  if (errnoCode(error)?.startsWith('commander.') && error instanceof Error && 'exitCode' in error) {
    if (error.exitCode === 0) return EXIT.ok;
    if (json) io.out(JSON.stringify(errorDocument({ lines: [error.message, "  See the command's --help."], code: EXIT.usage })));
    return EXIT.usage;
  }
  const reported = reportError(error);
  for (const line of reported.lines) io.err(line);
  if (json) io.out(JSON.stringify(errorDocument(reported)));
  return reported.code;
}

/**
 * What the user sees for an error and the exit code. Only an unexpected error (a bug in
 * kotae, not something the user did) keeps its stack trace, for the bug report.
 */
export function reportError(error: unknown): Reported {
  if (error instanceof InterruptedError) {
    return { lines: [`interrupted: ${error.message}`, `  ${error.resume}`], code: EXIT.interrupted };
  }
  if (error instanceof DatabaseBusyError || isBusy(error)) {
    return { lines: ['error: another kotae process is writing; try again', '  (the database stayed locked: a running ingest, bot or import)'], code: EXIT.busy };
  }
  if (error instanceof KotaeError) {
    return { lines: errorLines(error), code: exitCodeFor(error.code) };
  }
  // node:util parseArgs (kotae ask, kotae answer) rejecting an option or its value.
  if (errnoCode(error)?.startsWith('ERR_PARSE_ARGS') && error instanceof Error) {
    return { lines: [`error: ${error.message}`, '  See the command\'s --help.'], code: EXIT.usage };
  }
  const path = typeof error === 'object' && error !== null && 'path' in error && typeof error.path === 'string' ? error.path : undefined;
  const file = path === undefined ? undefined : fileProblem(error, path);
  if (file) return { lines: [`error: ${file.message}`, `  ${file.hint}`], code: EXIT.usage };
  return { lines: [`unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`], code: EXIT.failed };
}
