/**
 * `kotae review list|show|approve|edit|reject`: the review queue for people at a terminal.
 * It calls the same ReviewQueue as the Slack buttons, so the rules (state table, approvers,
 * four-eyes, races) are identical; `--as` is checked against the same approver list.
 *
 * Exit codes: 0 done, 2 bad usage/input, 3 not found, 4 forbidden, 5 conflict (someone else
 * decided first). A refusal prints one line: `error: <reason>`.
 */
import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import { ReviewState, Status } from '../domain.js';
import { KotaeError, type KotaeErrorCode } from '../errors.js';
import { createLogger, type LogLevel, type Logger } from '../log.js';
import type { WorkflowDb } from '../store/workflow.js';
import type { IsInGroup } from '../review/authorize.js';
import { ReviewQueue, type Clock, type DecisionOutcome } from '../review/queue.js';
import type { AnswerLibrary, AuditEvent, ReviewRecord } from '../review/types.js';
import { sourceLabel } from '../draft/citations.js';

export interface ReviewCliDeps {
  db: WorkflowDb;
  /** The full Config works; only `review` (and `logLevel` for the library warning) are read. */
  config: Pick<Config, 'review'> & { logLevel?: LogLevel };
  library: AnswerLibrary | undefined;
  /** Writes verbatim, like process.stdout.write: every block passed ends with a newline. */
  out: (s: string) => void;
  /** Where refusals and warnings go; defaults to `out`. */
  err?: (s: string) => void;
  /** Resolves KOTAE_APPROVER_GROUP membership when the CLI has a Slack client. */
  isInGroup?: IsInGroup;
  log?: Logger;
  now?: Clock;
}

export const REVIEW_EXIT_CODES = { ok: 0, input: 2, not_found: 3, forbidden: 4, conflict: 5 } as const;

const USAGE = `usage:
  kotae review list [--product P] [--state S] [--job JOB] [--limit N] [--after ID] [--json]
  kotae review show ID [--json]
  kotae review approve ID --as USER [--text "edited answer"] [--status S] [--note "..."]
  kotae review edit ID --as USER --text "..." [--status S] [--note "..."]
  kotae review reject ID --as USER --reason "..."
`;

/** The shape `list --json` prints, one object per review. */
export interface ReviewListItem {
  id: string;
  product: string;
  question: string;
  /** The current answer text (the reviewer's, after an edit). */
  draft: string;
  status: Status;
  state: ReviewState;
  citations: ReviewRecord['citations'];
  updatedAt: string;
}

export function toListItem(r: ReviewRecord): ReviewListItem {
  return {
    id: r.id,
    product: r.product,
    question: r.question,
    draft: r.answer,
    status: r.status,
    state: r.state,
    citations: r.citations,
    updatedAt: r.updatedAt,
  };
}

class UsageError extends KotaeError {
  constructor(message: string) {
    super('input', message, 'See kotae review --help.');
  }
}

const OPTIONS = {
  product: { type: 'string' },
  state: { type: 'string' },
  job: { type: 'string' },
  limit: { type: 'string' },
  after: { type: 'string' },
  json: { type: 'boolean' },
  as: { type: 'string' },
  text: { type: 'string' },
  status: { type: 'string' },
  note: { type: 'string' },
  reason: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; strict: true }>>['values'];

/** Options each subcommand accepts: anything else is a usage error rather than silently ignored. */
const ALLOWED: Record<string, ReadonlyArray<keyof Values>> = {
  list: ['product', 'state', 'job', 'limit', 'after', 'json'],
  show: ['json'],
  approve: ['as', 'text', 'status', 'note'],
  edit: ['as', 'text', 'status', 'note'],
  reject: ['as', 'reason'],
};

export async function runReview(argv: string[], deps: ReviewCliDeps): Promise<number> {
  const err = deps.err ?? deps.out;
  try {
    let parsed: { values: Values; positionals: string[] };
    try {
      parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
    } catch (error) {
      // parseArgs throws plain TypeErrors for unknown options and missing values.
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
    const { values, positionals } = parsed;
    const [command, ...rest] = positionals;
    if (values.help || command === undefined) {
      (values.help ? deps.out : err)(USAGE);
      return values.help ? 0 : REVIEW_EXIT_CODES.input;
    }
    const allowed = ALLOWED[command];
    if (!allowed) throw new UsageError(`unknown review command "${command}"`);
    for (const key of Object.keys(values)) {
      if (key !== 'help' && !allowed.some((a) => a === key)) throw new UsageError(`--${key} does not apply to review ${command}`);
    }
    const queue = new ReviewQueue(deps.db, {
      policy: deps.config.review,
      library: deps.library,
      isInGroup: deps.isInGroup,
      log: deps.log ?? createLogger(deps.config.logLevel ?? 'warn'),
      now: deps.now,
    });

    if (command === 'list') {
      if (rest.length > 0) throw new UsageError(`review list takes no arguments, got "${rest.join(' ')}"`);
      return list(queue, values, deps);
    }
    const [id, ...extra] = rest;
    if (id === undefined) throw new UsageError(`review ${command} needs a review ID`);
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra.join(' ')}" (quote multi-word --text and --reason)`);
    if (command === 'show') return show(queue, id, values.json === true, deps);

    const as = values.as;
    if (as === undefined) throw new UsageError(`review ${command} needs --as YOUR_SLACK_USER_ID`);
    const status = values.status === undefined ? undefined : parseStatus(values.status);
    let outcome: DecisionOutcome;
    if (command === 'approve') {
      outcome = await queue.approve(id, { as, text: values.text, status, note: values.note });
    } else if (command === 'edit') {
      if (values.text === undefined) throw new UsageError('review edit needs --text "the corrected answer"');
      outcome = await queue.edit(id, { as, text: values.text, status, note: values.note });
    } else {
      if (values.reason === undefined) throw new UsageError('review reject needs --reason "why"');
      outcome = await queue.reject(id, { as, reason: values.reason });
    }
    const r = outcome.review;
    deps.out(`#${r.id} ${outcome.before.state} → ${r.state} by ${r.updatedBy} at ${r.updatedAt}\n`);
    if (outcome.library === 'failed') {
      err(`warning: the answer library was not updated (the decision stands); run kotae ingest --rebuild\n`);
    }
    return REVIEW_EXIT_CODES.ok;
  } catch (error) {
    if (!(error instanceof KotaeError)) throw error;
    err(`error: ${oneLine(error.message)}\n`);
    return exitCodeFor(error.code);
  }
}

function exitCodeFor(code: KotaeErrorCode): number {
  switch (code) {
    case 'not_found':
      return REVIEW_EXIT_CODES.not_found;
    case 'forbidden':
      return REVIEW_EXIT_CODES.forbidden;
    case 'conflict':
      return REVIEW_EXIT_CODES.conflict;
    case 'input':
      return REVIEW_EXIT_CODES.input;
    default:
      return 1;
  }
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').trim();
}

function parseStatus(s: string): Status {
  const parsed = Status.safeParse(s);
  if (!parsed.success) throw new UsageError(`--status must be one of ${Status.options.join(', ')}, got "${s}"`);
  return parsed.data;
}

function parseState(s: string): ReviewState[] {
  return s.split(',').map((part) => {
    const parsed = ReviewState.safeParse(part.trim());
    if (!parsed.success) throw new UsageError(`--state must be one of ${ReviewState.options.join(', ')}, got "${part}"`);
    return parsed.data;
  });
}

function list(queue: ReviewQueue, values: Values, deps: ReviewCliDeps): number {
  const state = values.state === undefined ? undefined : parseState(values.state);
  let remaining: number | undefined;
  if (values.limit !== undefined) {
    if (!/^\d+$/.test(values.limit) || Number(values.limit) < 1) throw new UsageError(`--limit must be a positive whole number, got "${values.limit}"`);
    remaining = Number(values.limit);
  }
  // Without --limit, page through everything so that --json is the complete queue.
  const items: ReviewRecord[] = [];
  let after = values.after;
  for (;;) {
    const page = queue.list({
      product: values.product,
      state,
      jobId: values.job,
      after,
      limit: remaining === undefined ? 500 : Math.min(500, remaining - items.length),
    });
    items.push(...page.items);
    if (page.next === null || (remaining !== undefined && items.length >= remaining)) break;
    after = page.next;
  }
  if (values.json) {
    deps.out(`${JSON.stringify(items.map(toListItem), null, 2)}\n`);
    return REVIEW_EXIT_CODES.ok;
  }
  if (items.length === 0) {
    deps.out('no reviews match\n');
    return REVIEW_EXIT_CODES.ok;
  }
  deps.out(items.map((r) => `#${r.id}\t${r.state}\t${r.product}\t${r.status}\t${truncate(r.question, 70)}\n`).join(''));
  return REVIEW_EXIT_CODES.ok;
}

function show(queue: ReviewQueue, id: string, json: boolean, deps: ReviewCliDeps): number {
  const review = queue.get(id);
  const audit = queue.audit(id);
  if (json) {
    deps.out(`${JSON.stringify({ ...review, audit }, null, 2)}\n`);
    return REVIEW_EXIT_CODES.ok;
  }
  const d = review.draft;
  const lines = [
    `#${review.id} [${review.state}] ${review.product}  status: ${review.status}  version ${review.version}`,
    `Q: ${review.question}`,
    `A: ${review.answer}`,
  ];
  if (review.answer !== d.draft) lines.push(`Drafted: ${d.draft}`);
  lines.push(
    `Drafter: ${d.drafter}${d.fallback ? ` (fallback: ${d.fallback})` : ''}, confidence ${d.confidence.toFixed(2)}, corpus v${review.corpusVersion}`,
    `Why: ${d.reason}`,
  );
  if (review.askedBy) lines.push(`Asked by ${review.askedBy}${review.channel ? ` in ${review.channel}` : ''}`);
  if (review.jobId) lines.push(`Job ${review.jobId}${review.rowKey ? ` row ${review.rowKey}` : ''}`);
  if (review.note) lines.push(`Note: ${review.note}`);
  lines.push('Citations:');
  if (review.citations.length === 0) lines.push('  (none)');
  for (const c of review.citations) lines.push(`  - ${sourceLabel(c)}: ${truncate(c.text, 100)}`);
  lines.push('Audit:');
  for (const e of audit) lines.push(`  ${formatEvent(e)}`);
  deps.out(`${lines.join('\n')}\n`);
  return REVIEW_EXIT_CODES.ok;
}

function formatEvent(e: AuditEvent): string {
  const move = e.fromState === null ? `→ ${e.toState}` : `${e.fromState} → ${e.toState}`;
  const changed = e.beforeText !== null && e.beforeText !== e.afterText ? ' (answer changed)' : '';
  return `${e.at}  ${e.action}  ${move}  by ${e.actor}  corpus v${e.corpusVersion}${changed}${e.note ? `  — ${e.note}` : ''}`;
}

function truncate(s: string, n: number): string {
  const flat = oneLine(s);
  return flat.length <= n ? flat : `${flat.slice(0, n - 1)}…`;
}
