/**
 * `kotae review list|show|approve|edit|reject|export|import`: the review queue for people at
 * a terminal and for scripts. It calls the same ReviewQueue as the Slack buttons, so the
 * rules (state table, approvers, four-eyes, races) are identical; `--as` is checked against
 * the same approver list. Several decisions (`approve 1 2 3`, a selection, a workbook) go
 * through one transaction: conflicts are skipped and reported, an invalid one applies nothing.
 *
 * Exit codes: the table in src/cli/exit.ts (README "Exit codes").
 */
import { basename } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { Config } from '../config.js';
import { ReviewState, Status } from '../domain.js';
import { DECIDED_STATES } from '../review/states.js';
import { InputError, KotaeError } from '../errors.js';
import { limitsFromConfig } from '../spreadsheet/safety.js';
import { choiceStatus } from '../spreadsheet/status.js';
import type { ReviewQueue, BatchDecision, BatchReport, LibrarySync } from '../review/queue.js';
import type { AuditEvent, ReviewRecord } from '../review/types.js';
import type { ImportReport } from '../review/workbook.js';
import { sourceLabel } from '../source-label.js';
import { productKey } from '../product.js';
import { EXIT, exitCodeFor, renderError, type ExitCode } from './exit.js';
import { checkOut, readUserFile, writeAtomically } from './files.js';

export interface ReviewCliDeps {
  /** The core's review queue (createWorkflow's, or the app's), or how to open it: `--help` and usage errors never touch it. */
  reviews: ReviewQueue | (() => Promise<ReviewQueue>);
  /** `bulk` is read: the upload limits for `review import`. */
  config: Pick<Config, 'bulk'>;
  /** Writes verbatim, like process.stdout.write: every block passed ends with a newline. */
  out: (s: string) => void;
  /** Where refusals and warnings go; defaults to `out`. */
  err?: (s: string) => void;
  /** Terminal width for `list` (question cut to fit); default: stdout's, else 100. */
  columns?: number;
}

/** One review as `list --json` prints it. Field names and types are stable. */
export interface ReviewListItem {
  id: string;
  state: ReviewState;
  status: Status;
  /** 0..1, two decimals. */
  confidence: number;
  product: string;
  /** `質問票!C38` for a bulk row, `asked by U…` for a question, else null. */
  where: string | null;
  jobId: string | null;
  itemRef: string | null;
  question: string;
  /** The current answer text (the reviewer's, after an edit). */
  answer: string;
  version: number;
  updatedAt: string;
  updatedBy: string;
}

export function roundConfidence(x: number): number {
  return Math.round(x * 100) / 100;
}

function whereOf(r: ReviewRecord): string | null {
  return r.location ?? (r.askedBy ? `asked by ${r.askedBy}` : null);
}

export function toListItem(r: ReviewRecord): ReviewListItem {
  return {
    id: r.id,
    state: r.state,
    status: r.status,
    confidence: roundConfidence(r.draft.confidence),
    product: r.product,
    where: whereOf(r),
    jobId: r.jobId,
    itemRef: r.itemRef,
    question: r.question,
    answer: r.answer,
    version: r.version,
    updatedAt: r.updatedAt,
    updatedBy: r.updatedBy,
  };
}

// ---------------------------------------------------------------------------------------
// Option parsers: commander reports their errors as usage errors (exit 2).

function wholeNumber(min: number) {
  return (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) < min) throw new InvalidArgumentError(`expected a whole number ≥ ${min}`);
    return Number(value);
  };
}

function confidence(value: string): number {
  const x = Number(value);
  if (value.trim() === '' || !Number.isFinite(x) || x < 0 || x > 1) throw new InvalidArgumentError('expected a number between 0 and 1, e.g. 0.9');
  return x;
}

function states(value: string): ReviewState[] {
  return value.split(',').map((part) => {
    const parsed = ReviewState.safeParse(part.trim());
    if (!parsed.success) throw new InvalidArgumentError(`must be one of ${ReviewState.options.join(', ')}, got "${part}"`);
    return parsed.data;
  });
}

/**
 * A status, or a value of a customer's list read as its status (`Yes`, `NA`, `○`, `いいえ`):
 * where the approved status has no value in the customer's list (partial in a Yes/No/NA
 * dropdown), the approver answers with one of the list's own values.
 */
function status(value: string): Status {
  const parsed = Status.safeParse(value);
  if (parsed.success) return parsed.data;
  const listed = choiceStatus(value);
  if (listed !== 'unknown') return listed;
  throw new InvalidArgumentError(`must be one of ${Status.options.join(', ')} (or a value of the customer's list: Yes, No, N/A, ○, ×, はい, いいえ…)`);
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').trim();
}

/** Columns a character takes in a terminal: CJK and full-width forms take two. */
function charWidth(c: string): number {
  const cp = c.codePointAt(0) ?? 0;
  const wide =
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    cp >= 0x20000;
  return wide ? 2 : 1;
}

export function displayWidth(s: string): number {
  let w = 0;
  for (const c of s) w += charWidth(c);
  return w;
}

/** One line of at most `n` terminal columns, `…` where it was cut. */
function truncate(s: string, n: number): string {
  const flat = oneLine(s);
  if (displayWidth(flat) <= n) return flat;
  let out = '';
  let w = 0;
  for (const c of flat) {
    if (w + charWidth(c) > n - 1) break;
    out += c;
    w += charWidth(c);
  }
  return `${out}…`;
}

function padEnd(s: string, n: number): string {
  return s + ' '.repeat(Math.max(0, n - displayWidth(s)));
}

/** `2026-11-30T15:06:43.123Z` → `2026-11-30 15:06` (UTC, as stored). */
function shortTime(iso: string): string {
  return iso.slice(0, 16).replace('T', ' ');
}

// ---------------------------------------------------------------------------------------

interface Ctx {
  deps: ReviewCliDeps;
  err: (s: string) => void;
  queue: () => Promise<ReviewQueue>;
  code: ExitCode;
}

export async function runReview(argv: string[], deps: ReviewCliDeps): Promise<number> {
  const err = deps.err ?? deps.out;
  const ctx: Ctx = {
    deps,
    err,
    queue: async () => (typeof deps.reviews === 'function' ? deps.reviews() : deps.reviews),
    code: EXIT.ok,
  };
  const program = reviewCommand(ctx);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return ctx.code;
  } catch (error) {
    return renderError(error, { out: (line) => deps.out(`${line}\n`), err: (line) => err(`${oneLineUnlessHint(line)}\n`) }, argv.includes('--json'));
  }
}

function oneLineUnlessHint(line: string): string {
  return line.startsWith('  ') ? line : oneLine(line);
}

/** The `review` command tree; main.ts mounts the same tree under `kotae`. */
export function reviewCommand(ctx: Ctx): Command {
  const { deps, err } = ctx;
  const program = new Command('kotae review')
    .description('the review queue: list, show, decide, and review whole jobs in Excel')
    .exitOverride()
    .configureOutput({ writeOut: deps.out, writeErr: err })
    .showHelpAfterError('(kotae review --help shows the usage)')
    .helpCommand(false);

  program
    .command('list')
    .description('reviews, newest first, one page at a time')
    .option('--product <product>', 'only this product', productKey)
    .option('--state <states>', `comma-separated: ${ReviewState.options.join(', ')}`, states)
    .option('--job <jobId>', 'only the rows of this bulk job')
    .option('--limit <n>', 'rows per page (1..500)', wholeNumber(1), 50)
    .option('--offset <n>', 'rows to skip (next page: --offset + --limit)', wholeNumber(0), 0)
    .option('--json', 'one JSON document: {total, offset, limit, items}')
    .action(async (o: { product?: string; state?: ReviewState[]; job?: string; limit: number; offset: number; json?: boolean }) => {
      if (o.limit > 500) throw new InputError('--limit must be at most 500', 'Page with --offset.');
      const page = await (await ctx.queue()).list({ product: o.product, state: o.state, jobId: o.job, limit: o.limit, offset: o.offset, order: 'newest' });
      const total = page.total ?? page.items.length;
      if (o.json) {
        deps.out(`${JSON.stringify({ total, offset: o.offset, limit: o.limit, items: page.items.map(toListItem) })}\n`);
        return;
      }
      if (page.items.length === 0) {
        deps.out(total === 0 ? 'no reviews match\n' : `no reviews at offset ${o.offset} (${total} match)\n`);
        return;
      }
      deps.out(listTable(page.items, deps.columns ?? 100));
      const last = o.offset + page.items.length;
      if (total > page.items.length) err(`${o.offset + 1}–${last} of ${total}${last < total ? `; next page: --offset ${last}` : ''}\n`);
    });

  program
    .command('show')
    .description('one review with its citations and audit trail')
    .argument('<id>', 'review id (12 or #12)')
    .option('--json', 'the review and its audit trail as one JSON document')
    .action((id: string, o: { json?: boolean }) => show(ctx, id, o.json === true));

  program
    .command('approve')
    .description('approve reviews by id, or a selection of one job by confidence')
    .argument('[ids...]', 'review ids')
    .requiredOption('--as <user>', 'your Slack user id (checked against KOTAE_APPROVERS)')
    .option('--text <answer>', 'approve with this answer instead (an edit; one review only)')
    .addOption(new Option('--status <status>', 'with --text: the status').argParser(status))
    .option('--note <note>', 'a note for the audit trail')
    .option('--job <jobId>', 'select from this bulk job (with --min-confidence)')
    .option('--min-confidence <x>', 'select unflagged drafts at or above this confidence (0..1)', confidence)
    .option('--state <states>', 'with a selection: drafted (default) and/or stale', states)
    .option('--dry-run', 'say what would be approved, change nothing')
    .option('--json', 'the outcome as one JSON document')
    .action(async (ids: string[], o: ApproveOptions) => approve(ctx, ids, o));

  program
    .command('edit')
    .description('approve one review with a corrected answer')
    .argument('<id>', 'review id')
    .requiredOption('--as <user>', 'your Slack user id')
    .requiredOption('--text <answer>', 'the corrected answer')
    .addOption(new Option('--status <status>', 'the status').argParser(status))
    .option('--note <note>', 'a note for the audit trail')
    .option('--dry-run', 'change nothing')
    .option('--json', 'the outcome as one JSON document')
    .action(async (id: string, o: { as: string; text: string; status?: Status; note?: string; dryRun?: boolean; json?: boolean }) => {
      requireStatusWithText(id, o);
      await decideAndReport(ctx, [{ line: 1, reviewId: id, action: 'edit', text: o.text, status: o.status, note: o.note }], o, true);
    });

  program
    .command('reject')
    .description('reject reviews, with the reason')
    .argument('<ids...>', 'review ids')
    .requiredOption('--as <user>', 'your Slack user id')
    .requiredOption('--reason <reason>', 'why (shown in the questionnaire as 要確認)')
    .option('--dry-run', 'change nothing')
    .option('--json', 'the outcome as one JSON document')
    .action(async (ids: string[], o: { as: string; reason: string; dryRun?: boolean; json?: boolean }) => {
      await decideAndReport(ctx, ids.map((id, i) => ({ line: i + 1, reviewId: id, action: 'reject' as const, note: o.reason })), o, ids.length === 1);
    });

  program
    .command('export')
    .description("a bulk job's drafts as an Excel review sheet (decide there, then review import)")
    .requiredOption('--job <jobId>', 'the job id printed by kotae answer')
    .requiredOption('--out <file.xlsx>', 'where to write the workbook')
    .option('--state <states>', 'only reviews in these states (default: all but withdrawn)', states)
    .option('--force', 'replace --out if it exists')
    .option('--json', 'print {output, jobId, rows}')
    .action(async (o: { job: string; out: string; state?: ReviewState[]; force?: boolean; json?: boolean }) => {
      await checkOut(o.out, o.force === true);
      // A job id nobody answered is not found (exit 3), like a review id; an empty --state filter is bad input.
      const anyOfJob = await (await ctx.queue()).list({ jobId: o.job, limit: 1, offset: 0, order: 'newest' });
      if (anyOfJob.items.length === 0) throw new KotaeError('not_found', `job ${o.job} does not exist (no review belongs to it)`, undefined, { remedy: 'list-reviews' });
      // Loaded here: the workbook code (and its zip reader) is not needed to list or decide.
      const { buildReviewWorkbook } = await import('../review/workbook.js');
      const { bytes, rows } = await buildReviewWorkbook((await ctx.queue()).db, { jobId: o.job, states: o.state });
      await writeAtomically(o.out, bytes);
      deps.out(o.json ? `${JSON.stringify({ output: o.out, jobId: o.job, rows })}\n` : `wrote ${o.out}: ${rows} reviews of job ${o.job}\n`);
    });

  program
    .command('import')
    .description('apply the decisions of a filled review workbook, in one transaction')
    .argument('<file.xlsx>', 'a workbook made by kotae review export')
    .requiredOption('--as <user>', 'your Slack user id (every decision is yours)')
    .option('--dry-run', 'check every row and report, change nothing')
    .option('--json', 'the outcome as one JSON document')
    .action(async (file: string, o: { as: string; dryRun?: boolean; json?: boolean }) => {
      const bytes = await readUserFile(file);
      const { importReviewWorkbook, rowName } = await import('../review/workbook.js');
      const report = await importReviewWorkbook((await ctx.queue()), { bytes, fileName: basename(file) }, { as: o.as, dryRun: o.dryRun, limits: limitsFromConfig(deps.config) });
      printImport(ctx, file, report, o.json === true, rowName);
      ctx.code = batchExitCode(report);
    });

  return program;
}

interface ApproveOptions {
  as: string;
  text?: string;
  status?: Status;
  note?: string;
  job?: string;
  minConfidence?: number;
  state?: ReviewState[];
  dryRun?: boolean;
  json?: boolean;
}

async function approve(ctx: Ctx, ids: string[], o: ApproveOptions): Promise<void> {
  const selecting = o.job !== undefined || o.minConfidence !== undefined;
  if (selecting && ids.length > 0) throw new InputError('give review ids or a selection (--job with --min-confidence), not both');
  if (!selecting && ids.length === 0) throw new InputError('review approve needs review ids, or a selection: --job ID --min-confidence 0.9');
  if (!selecting && o.state !== undefined) throw new InputError('--state applies to a selection (--job with --min-confidence)');
  if ((o.text !== undefined || o.status !== undefined) && (selecting || ids.length > 1)) {
    throw new InputError('--text and --status change one answer: give exactly one review id');
  }
  requireStatusWithText(ids[0], o);
  if (!selecting) {
    await decideAndReport(ctx, ids.map((id, i) => ({ line: i + 1, reviewId: id, action: 'approve' as const, text: o.text, status: o.status, note: o.note })), o, ids.length === 1);
    return;
  }
  if (o.job === undefined || o.minConfidence === undefined) throw new InputError('a selection needs both --job and --min-confidence');
  const selected = await (await ctx.queue()).approvableByConfidence({ jobId: o.job, minConfidence: o.minConfidence, ...(o.state ? { states: o.state } : {}) });
  if (!o.json) {
    if (selected.length === 0) {
      ctx.deps.out(`no unflagged drafts of job ${o.job} at confidence ≥ ${o.minConfidence}\n`);
      return;
    }
    ctx.deps.out(`${o.dryRun ? 'would approve' : 'approving'} ${selected.length} drafts of job ${o.job} at confidence ≥ ${o.minConfidence}:\n`);
    ctx.deps.out(listTable(selected, ctx.deps.columns ?? 100));
  }
  const decisions: BatchDecision[] = selected.map((r, i) => ({ line: i + 1, reviewId: r.id, action: 'approve', note: o.note, expectedVersion: r.version, jobId: o.job }));
  await decideAndReport(ctx, decisions, o, false);
}

/**
 * `--text` replaces kotae's wording, and the draft's status was judged for the draft's text: the
 * status that goes with the new text is part of the command (README "Replacing the text"). Said
 * as the usage error it is (exit 2) before the review is read, so a review someone already
 * decided does not answer a command that could never have been carried out as typed.
 */
function requireStatusWithText(id: string | undefined, o: { text?: string; status?: Status }): void {
  if (o.text === undefined || o.status !== undefined) return;
  throw new InputError(
    `${id === undefined ? '' : `review #${id.replace(/^#/, '')}: `}a replaced answer needs its status: --text needs --status`,
    `Pass --status ${Status.options.join('|')} with --text (unknown leaves a questionnaire's status cell empty).`,
  );
}

/**
 * The one decision of `approve ID`, `edit ID` or `reject ID` that could not be made (an
 * unknown id, a refused transition, --text without --status, someone else deciding first),
 * as the error it is (README "Exit codes"): one `error:` line with its hint, the table's exit
 * code, and with --json the error document, not a batch report around it. Several ids or a
 * selection report per review, since the others were applied.
 */
function refusal(report: BatchReport, action: BatchDecision['action']): KotaeError | undefined {
  const invalid = report.invalid[0];
  if (invalid) return new KotaeError(invalid.code, invalid.error, invalid.hint, invalid.code === 'not_found' ? { remedy: 'list-reviews' } : undefined);
  const conflict = report.conflicts[0];
  if (!conflict) return undefined;
  const where = DECIDED_STATES.has(conflict.state) ? `already ${conflict.state}` : `changed meanwhile: now ${conflict.state}`;
  return new KotaeError('conflict', `review #${conflict.reviewId} ${where} by ${conflict.by} at ${conflict.at}`, `Nothing was changed.${routeOn(conflict.state, action)}`);
}

/**
 * Where a person goes from a review that takes no more decisions, so a refusal is not a dead
 * end: a rejected or withdrawn draft stays as it is, and a person's answer comes in a new draft.
 */
function routeOn(state: ReviewState, action: BatchDecision['action']): string {
  if (state !== 'rejected' && state !== 'withdrawn') return '';
  const own = action === 'edit' ? " To give this row a person's answer" : ' To decide this row again';
  return `${own}: draft it again (a questionnaire row: kotae answer FILE --fresh, which drafts rejected rows again; a single question: kotae ask it again), then kotae review edit NEW_ID --text "…" --status yes|no|partial|not_applicable|unknown on the new review (kotae review list shows its id).`;
}

async function decideAndReport(ctx: Ctx, decisions: BatchDecision[], o: { as: string; dryRun?: boolean; json?: boolean }, single: boolean): Promise<void> {
  const report = await (await ctx.queue()).decideBatch(decisions, { as: o.as, dryRun: o.dryRun });
  const failure = single ? refusal(report, decisions[0]?.action ?? 'approve') : undefined;
  if (failure) throw failure;
  const { deps, err } = ctx;
  if (o.json) {
    deps.out(`${JSON.stringify(batchJson(report, false))}\n`);
  } else {
    for (const a of report.applied) deps.out(report.dryRun ? `#${a.reviewId} ${a.from} → would be ${a.to}\n` : `#${a.reviewId} ${a.from} → ${a.to} by ${o.as} at ${a.at}\n`);
    for (const u of report.unchanged) deps.out(`#${u.reviewId} unchanged: already ${u.state} by ${o.as}\n`);
    for (const c of report.conflicts) err(`#${c.reviewId} conflict: already ${c.state} by ${c.by} at ${c.at}; skipped\n`);
    // One decision: its error names the review already; several: say which.
    for (const i of report.invalid) err(`error: ${decisions.length > 1 && i.reviewId ? `#${i.reviewId}: ` : ''}${oneLine(i.error)}\n`);
    if (report.invalid.length > 0 && decisions.length > 1) err('nothing was applied\n');
    if (report.dryRun && report.invalid.length === 0) deps.out('dry run: nothing was changed\n');
    libraryWarning(report.library, err);
  }
  decisionWarnings(report, err);
  ctx.code = batchExitCode(report);
}

/**
 * What the core tells the approver about what they approved (a hedged wording), one line
 * each on stderr; with --json too, like an error, since the person running it should read them.
 */
function decisionWarnings(report: Pick<BatchReport, 'applied'>, err: (s: string) => void): void {
  for (const a of report.applied) for (const w of a.warnings) err(`warning: ${oneLine(w)}\n`);
}

function libraryWarning(library: LibrarySync, err: (s: string) => void): void {
  if (library === 'failed') err('warning: the answer library was not updated (the decisions stand); run kotae ingest --rebuild\n');
}

/** Invalid rows first (nothing applied), then conflicts (some skipped). */
function batchExitCode(report: BatchReport): ExitCode {
  const invalid = report.invalid[0];
  if (invalid) return exitCodeFor(invalid.code);
  return report.conflicts.length > 0 ? EXIT.conflict : EXIT.ok;
}

function batchJson(report: BatchReport & { library: LibrarySync }, rows: boolean): Record<string, unknown> {
  const at = (line: number): { row: number } | Record<string, never> => (rows ? { row: line } : {});
  return {
    dryRun: report.dryRun,
    applied: report.applied.map((a) => ({ ...at(a.line), id: a.reviewId, from: a.from, to: a.to, warnings: a.warnings })),
    unchanged: report.unchanged.map((u) => ({ ...at(u.line), id: u.reviewId, state: u.state })),
    conflicts: report.conflicts.map((c) => ({ ...at(c.line), id: c.reviewId, state: c.state, by: c.by, at: c.at })),
    invalid: report.invalid.map((i) => ({ ...at(i.line), id: i.reviewId, error: i.error })),
    library: report.library,
  };
}

function printImport(ctx: Ctx, file: string, report: ImportReport, json: boolean, rowName: (r: ImportReport, line: number) => string): void {
  const { deps, err } = ctx;
  const count = (to: ReviewState): number => report.applied.filter((a) => a.to === to).length;
  const counts = { approved: count('approved'), edited: count('edited'), rejected: count('rejected'), unchanged: report.unchanged.length, conflicts: report.conflicts.length, invalid: report.invalid.length, undecided: report.undecided };
  if (json) {
    deps.out(`${JSON.stringify({ file, ...batchJson(report, true), counts })}\n`);
    decisionWarnings(report, err);
    return;
  }
  const name = (line: number): string => rowName(report, line);
  for (const i of report.invalid) err(`invalid: ${name(i.line)}: ${oneLine(i.error)}\n`);
  for (const c of report.conflicts) err(`conflict: ${name(c.line)}: already ${c.state} by ${c.by} at ${c.at}; skipped\n`);
  if (report.invalid.length > 0) {
    err(`nothing was applied: fix the ${report.invalid.length === 1 ? 'row' : `${report.invalid.length} rows`} above and import ${file} again\n`);
    return;
  }
  const verb = report.dryRun ? 'would apply' : 'applied';
  deps.out(
    `${file}: ${verb} ${counts.approved} approved, ${counts.edited} edited, ${counts.rejected} rejected; ` +
      `${counts.unchanged} unchanged, ${counts.conflicts} conflicts, ${counts.undecided} without a decision\n`,
  );
  if (report.dryRun) deps.out('dry run: nothing was changed\n');
  decisionWarnings(report, err);
  libraryWarning(report.library, err);
}

function listTable(items: ReviewRecord[], columns: number): string {
  const rows = items.map((r) => [`#${r.id}`, r.state, roundConfidence(r.draft.confidence).toFixed(2), r.product, truncate(whereOf(r) ?? '', 24), shortTime(r.updatedAt)]);
  const head = ['ID', 'STATE', 'CONF', 'PRODUCT', 'WHERE', 'UPDATED (UTC)'];
  const widths = head.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))));
  const pad = (cells: string[]): string => cells.map((c, i) => padEnd(c, widths[i] ?? 0)).join('  ');
  const used = widths.reduce((a, b) => a + b + 2, 0);
  const room = Math.max(10, columns - used - 1);
  const lines = [`${pad(head)}  QUESTION`, ...items.map((r, i) => `${pad(rows[i] ?? [])}  ${truncate(r.question, room)}`)];
  return `${lines.join('\n')}\n`;
}

async function show(ctx: Ctx, id: string, json: boolean): Promise<void> {
  const queue = await ctx.queue();
  const review = await queue.get(id);
  const audit = await queue.audit(id);
  if (json) {
    const confidence = roundConfidence(review.draft.confidence);
    ctx.deps.out(`${JSON.stringify({ ...review, confidence, draft: { ...review.draft, confidence }, audit })}\n`);
    return;
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
  if (review.jobId) lines.push(`Job ${review.jobId}${review.location ? `, ${review.location}` : ''}${review.itemRef ? ` (item ${review.itemRef})` : ''}`);
  if (review.note) lines.push(`Note: ${review.note}`);
  lines.push('Citations:');
  if (review.citations.length === 0) lines.push('  (none)');
  for (const c of review.citations) lines.push(`  - ${sourceLabel(c)}: ${truncate(c.text, 100)}`);
  lines.push('Audit:');
  for (const e of audit) lines.push(`  ${formatEvent(e)}`);
  ctx.deps.out(`${lines.join('\n')}\n`);
}

function formatEvent(e: AuditEvent): string {
  const move = e.fromState === null ? `→ ${e.toState}` : `${e.fromState} → ${e.toState}`;
  const changed = e.beforeText !== null && e.beforeText !== e.afterText ? ' (answer changed)' : '';
  return `${e.at}  ${e.action}  ${move}  by ${e.actor}  corpus v${e.corpusVersion}${changed}${e.note ? `  — ${e.note}` : ''}`;
}
