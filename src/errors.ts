/**
 * Typed errors. Each says what went wrong in terms of the user's input and, where it
 * can, how to fix it; `code` lets adapters (CLI exit codes, Slack replies) branch on kind.
 */
export type KotaeErrorCode =
  | 'config'
  | 'manifest'
  | 'parse'
  | 'input'
  | 'store_mismatch'
  | 'not_found'
  | 'forbidden'
  | 'conflict'
  | 'upstream';

/**
 * A fix the person can apply that each surface words its own way: the CLI names its command
 * and flags, Slack says what to send or whom to ask. The core names the remedy; the one error
 * renderer of each surface (src/cli/exit.ts, src/slack/errors.ts) says it, so a CLI flag never
 * reaches a Slack message and the hint itself stays true on both.
 */
export const REMEDIES = [
  'rebuild-index', // the search index must be built again from the corpus
  'ingest-first', // nothing has been ingested yet
  'name-layout', // kotae could not tell where a questionnaire's questions and answers are
  'list-reviews', // look at the review queue: which reviews and jobs exist
  'export-review-sheet', // the file is not a review sheet kotae made
  'decide-one-by-one', // flagged drafts are not approved in bulk
] as const;
export type Remedy = (typeof REMEDIES)[number];

export class KotaeError extends Error {
  override readonly name: string = 'KotaeError';
  /** How to fix it, in the surface's own words (see Remedy). */
  readonly remedy: Remedy | undefined;
  constructor(
    readonly code: KotaeErrorCode,
    message: string,
    /** What the user can do about it, shown under the message: true on every surface, so no command names or flags. */
    readonly hint?: string,
    options?: { cause?: unknown; remedy?: Remedy },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.remedy = options?.remedy;
  }
}

/** One environment variable and what is wrong with it. */
export interface ConfigProblem {
  variable: string;
  problem: string;
}

/**
 * Bad environment configuration: names the variable, or every variable when several are
 * wrong (the bot's missing Slack tokens), so one restart fixes them all.
 */
export class ConfigError extends KotaeError {
  override readonly name = 'ConfigError';
  readonly problems: readonly ConfigProblem[];
  constructor(variable: string, problem: string);
  constructor(problems: readonly ConfigProblem[]);
  constructor(first: string | readonly ConfigProblem[], problem = '') {
    const problems = typeof first === 'string' ? [{ variable: first, problem }] : first;
    super(
      'config',
      listProblems(problems.map((p) => [p.variable, p.problem]), 'settings to fix'),
      `Fix ${problems.length === 1 ? 'it' : 'them'} in your environment or .env (see .env.example).`,
    );
    this.problems = problems;
  }
}

/** One mistake in the manifest: `field` names the entry and field (`[3] (krew.txt).format`). */
export interface ManifestProblem {
  field: string;
  problem: string;
}

/**
 * A malformed manifest: names the manifest file and, for every mistake in it, the entry and
 * the field, so a hand-edited manifest is fixed in one pass rather than one error per run.
 */
export class ManifestError extends KotaeError {
  override readonly name = 'ManifestError';
  constructor(readonly file: string, readonly problems: readonly ManifestProblem[]) {
    super('manifest', `${file}: ${listProblems(problems.map((p) => [p.field, p.problem]), 'problems')}`, 'See "Your documents: corpus/manifest.json" in README.md.');
  }
}

/** `where: what` for one problem; a count (`3 problems`) and one indented line each for several. */
function listProblems(problems: ReadonlyArray<readonly [string, string]>, several: string): string {
  const lines = problems.map(([where, what]) => `${where}: ${what}`);
  return lines.length === 1 ? (lines[0] ?? '') : `${lines.length} ${several}\n${lines.map((line) => `  ${line}`).join('\n')}`;
}

/** A document that cannot be parsed: names the file and, where known, the line or page. */
export class ParseError extends KotaeError {
  override readonly name = 'ParseError';
  constructor(readonly file: string, problem: string, readonly position?: string, options?: { cause?: unknown }) {
    super('parse', `${file}${position ? ` (${position})` : ''}: ${problem}`, undefined, options);
  }
}

/** Invalid user input on the CLI, in an uploaded file or in a Slack payload. */
export class InputError extends KotaeError {
  override readonly name = 'InputError';
  constructor(message: string, hint?: string, remedy?: Remedy) {
    super('input', message, hint, remedy === undefined ? undefined : { remedy });
  }
}

/**
 * The workflow database stayed locked by another process (an ingest, a CLI command, a
 * second bot) for longer than a caller was willing to retry. Nothing was written.
 */
export class DatabaseBusyError extends KotaeError {
  override readonly name = 'DatabaseBusyError';
  constructor(waitedMs: number, options?: { cause?: unknown }) {
    super(
      'upstream',
      `the review database is busy: another kotae process has been writing to it for ${Math.round(waitedMs / 1000)} s`,
      'Please try again in a minute.',
      options,
    );
  }
}

/** The store was built by another embedder than the one configured now. */
export class StoreMismatchError extends KotaeError {
  override readonly name = 'StoreMismatchError';
  constructor(built: string, configured: string) {
    super(
      'store_mismatch',
      `the store under KOTAE_DATA_DIR was built with embedder "${built}" but "${configured}" is configured`,
      'Vectors of two embedders are never mixed in one index.',
      { remedy: 'rebuild-index' },
    );
  }
}
