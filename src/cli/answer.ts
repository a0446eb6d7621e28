/**
 * `kotae answer customer.xlsx --product krew [--out customer.filled.xlsx]`: drafts every
 * question of a customer's questionnaire and writes the same file back with the answers
 * filled in. Progress goes to stderr (a bar on a terminal, plain lines in logs and CI);
 * the summary to stdout. Re-running the same command after an interruption resumes; every
 * run writes the answers reviewers approved since, and no answer for rejected rows.
 * `--approved-only` writes approved answers only (the file to send to the customer), and
 * lists on stdout the rows it left empty and why; `--evidence-sheet` adds the evidence register.
 * The use case is the core's (`app.answerQuestionnaire`, `app.exportApproved`: product,
 * limits, checkpoint, review queue); this module reads options and files and reports.
 */
import { stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { MAX_QUESTION_CHARS } from '../ask.js';
import type { Config } from '../config.js';
import { InputError, KotaeError } from '../errors.js';
import { EXIT, InterruptedError, renderError } from './exit.js';
import { skippedSheetLine, skippedSheets, type AnswerFileResult, type JobProgress, type LayoutOverrides, type Questionnaires, type QuestionnaireRun, type UnansweredRow, type WorkbookLayout } from '../questionnaire-run.js';
import { columnLetter } from '../spreadsheet/grid.js';
import { describeLayout } from '../spreadsheet/layout.js';
import { readUserFile, statUserFile, writeAtomically } from './files.js';
import { requireAsker } from './user.js';

export const ANSWER_USAGE = `usage: kotae answer FILE.xlsx|FILE.csv --product P [options]

  --product P         product whose documents answer the questions (required)
  --out PATH          where to write the filled file (default: FILE.filled.xlsx / .csv)
  --sheet NAME        only this sheet (repeat for several: --sheet A --sheet B)
  --question-col C    question column: letter (C), number (3) or header text (質問)
  --answer-col C      answer column (a column with a choice list is filled with a status)
  --comment-col C     column for citations and review notes
  --status-col C      column for the status mark
  --overwrite         replace answers the file already contains
  --fresh             draft every row again (ignores saved drafts; also drafts rejected rows again)
  --approved-only     the file for the customer: approved answers and their public sources
                      only, draft nothing; other rows are left empty and listed here with why
                      (default --out: FILE.approved.xlsx / .csv)
  --evidence-sheet    with --approved-only: add an evidence sheet (per answered row: sources,
                      item, quote, approver, date); for a CSV, FILE.approved.evidence.csv
  --json              print the summary as JSON

Rows approved or edited in the review queue are written as approved on every run, rejected
rows get no answer, and rows whose approval went stale are drafted again.`;

export interface AnswerDeps {
  config: Config;
  /** The core's questionnaire use cases: the app's (createApp), or one bound to a fake drafter in tests. */
  questionnaires: Questionnaires;
  /** Who asks (the review queue's askedBy), as `kotae ask --as` does; default `config.cliUser`. */
  askedBy?: string;
  /** Lines (without trailing newline) for stdout / stderr. */
  out: (s: string) => void;
  err: (s: string) => void;
  /** Progress bar (TTY) or plain lines; default: whether stderr is a TTY. */
  interactive?: boolean;
  /** Aborted by Ctrl-C or SIGTERM (cli/interrupt.ts); its reason is the InterruptedError to report. */
  signal?: AbortSignal;
  /** Called as drafting begins (the work a re-run resumes), so an interruption from then on says so. */
  begin?: () => void;
}

export async function runAnswer(argv: string[], deps: AnswerDeps): Promise<number> {
  try {
    return await answerCommand(argv, deps);
  } catch (error) {
    // Ctrl-C: the job stopped taking rows and threw the signal's reason (InterruptedError).
    // The same command with --fresh would start over, not resume: the way on is without it.
    const stopped: unknown = deps.signal?.aborted ? deps.signal.reason : error;
    const reason =
      stopped instanceof InterruptedError && !stopped.nothingDone && argv.includes('--fresh')
        ? new InterruptedError(stopped.message, 'Run the same command without --fresh to resume where it stopped (--fresh drafts every row again).')
        : stopped;
    const code = renderError(reason, deps, argv.includes('--json'));
    if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) deps.err(`\n${ANSWER_USAGE}`);
    return code;
  }
}

async function answerCommand(argv: string[], deps: AnswerDeps): Promise<number> {
  // Interrupted while kotae was still starting (opening the index): said, not ignored.
  if (deps.signal?.aborted) throw deps.signal.reason;
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      product: { type: 'string', short: 'p' },
      out: { type: 'string', short: 'o' },
      sheet: { type: 'string', multiple: true },
      'question-col': { type: 'string' },
      'answer-col': { type: 'string' },
      'comment-col': { type: 'string' },
      'status-col': { type: 'string' },
      overwrite: { type: 'boolean', default: false },
      fresh: { type: 'boolean', default: false },
      'approved-only': { type: 'boolean', default: false },
      'evidence-sheet': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    deps.out(ANSWER_USAGE);
    return 0;
  }
  const input = positionals[0];
  if (!input || positionals.length > 1) throw new InputError(input ? 'give one questionnaire file' : 'no questionnaire file given', ANSWER_USAGE);
  const core = deps.questionnaires;
  const product = core.resolveProduct(values.product);
  if (!product) throw new InputError('--product is required', ANSWER_USAGE);

  const approvedOnly = values['approved-only'];
  // Drafting records who asked (four-eyes, src/cli/user.ts); the file for the customer drafts nothing and records nobody.
  const askedBy = approvedOnly ? null : requireAsker(deps.askedBy ?? deps.config.cliUser);
  if (approvedOnly && values.fresh) throw new InputError('--approved-only drafts nothing, so --fresh does not apply', ANSWER_USAGE);
  if (values['evidence-sheet'] && !approvedOnly) throw new InputError('--evidence-sheet belongs to the file for the customer', 'Add --approved-only.');
  const ext = extname(input);
  const outPath = values.out ?? join(dirname(input), `${basename(input, ext)}.${approvedOnly ? 'approved' : 'filled'}${ext}`);
  if (resolve(outPath) === resolve(input)) {
    throw new InputError('--out is the input file', "kotae never overwrites the customer's original; choose another --out.");
  }
  // Where the answers go is checked before anything is drafted (a re-run writes the same file again).
  const outStat = await stat(outPath).catch(() => null);
  if (outStat?.isDirectory()) throw new InputError(`--out ${outPath} is a directory`, 'Give a file name, e.g. answers.filled.xlsx.');
  const outFolder = await stat(dirname(resolve(outPath))).catch(() => null);
  if (!outFolder?.isDirectory()) throw new InputError(`--out ${outPath}: the folder ${dirname(outPath)} does not exist`, 'Create it first, or choose another path.');
  // Checked before reading, so a huge upload is refused without loading it.
  core.checkSize((await statUserFile(input)).size, basename(input));
  const file = { name: basename(input), bytes: await readUserFile(input) };

  const overrides: LayoutOverrides = {
    sheets: values.sheet,
    questionCol: values['question-col'],
    answerCol: values['answer-col'],
    commentCol: values['comment-col'],
    statusCol: values['status-col'],
  };
  if (approvedOnly) {
    const exported = await core.exportApproved(file, { product, overrides, overwrite: values.overwrite, evidenceSheet: values['evidence-sheet'] });
    reportLayout(exported.result.layout, deps.err);
    await writeAtomically(outPath, exported.result.bytes);
    const evidence = exported.evidence;
    const evidencePath = evidence?.kind === 'file' ? join(dirname(outPath), `${basename(outPath, extname(outPath))}.evidence.csv`) : null;
    if (evidence?.kind === 'file' && evidencePath) await writeAtomically(evidencePath, evidence.bytes);
    const s = exported.result.summary;
    if (values.json) {
      deps.out(
        JSON.stringify({
          ...resultJson(input, outPath, product, exported.result),
          approvedOnly: true,
          decided: exported.decided,
          waiting: exported.waiting,
          unanswered: exported.unanswered,
          evidence: evidence === null ? null : { kind: evidence.kind, rows: evidence.rows, ...(evidence.kind === 'sheet' ? { sheet: evidence.name } : { path: evidencePath }) },
        }),
      );
    } else {
      // The file is written all the same (a copy with the customer's own answers kept, and
      // the list below of why each row is empty), but it must not read as an answered one.
      deps.out(
        s.approved === 0
          ? `wrote ${outPath}: no approved answers exist for this questionnaire yet, so no answers are written in it${s.kept > 0 ? ` (it holds only the ${s.kept} the customer had answered)` : ''}; do not send it as answered`
          : `wrote ${outPath} (approved answers only)`,
      );
      if (evidence?.kind === 'sheet') deps.out(`  evidence sheet "${evidence.name}": ${sourceLines(evidence.rows)}`);
      if (evidence?.kind === 'file') deps.out(`wrote ${evidencePath} (evidence: ${sourceLines(evidence.rows)})`);
      deps.out(`${s.questions} questions: ${s.approved} approved, ${s.rejected} rejected, ${s.withheld} without an approved answer${s.kept > 0 ? `, ${s.kept} already answered in the file and kept` : ''}`);
      const cellOf = (r: UnansweredRow): string => exported.result.rows.find((o) => o.sheet === r.sheet && o.row === r.row)?.cell ?? `${r.sheet} row ${r.row}`;
      for (const r of exported.unanswered.slice(0, 20)) deps.out(`  left empty: ${cellOf(r)}${r.ref ? ` [${r.ref}]` : ''} ${unansweredWhy(r)}`);
      if (exported.unanswered.length > 20) deps.out(`  ... and ${exported.unanswered.length - 20} more (--json lists them all)`);
      attentionLines({ ...exported.result, rows: exported.result.rows.filter((r) => r.outcome === 'approved') }, deps.out);
      deps.out(`  review queue: kotae review list --job ${exported.result.jobId}`);
    }
    return 0;
  }

  if (deps.signal?.aborted) throw deps.signal.reason;
  deps.begin?.();
  const progress = progressReporter(deps.interactive ?? Boolean(process.stderr.isTTY), deps.err);
  let result: QuestionnaireRun;
  try {
    result = await core.answerQuestionnaire(file, {
      product,
      askedBy,
      overrides,
      overwrite: values.overwrite,
      fresh: values.fresh,
      signal: deps.signal,
      onLayout: (layout) => reportLayout(layout, deps.err),
      onProgress: progress.update,
    });
  } finally {
    progress.stop();
  }

  const s = result.summary;
  if (s.nothingWritten) {
    // Nothing to hand back: a copy of the customer's file (even with the added kotae sheet)
    // would look like an answered one. Said as every error is: one line and what to do, and
    // with --json the {error} document.
    if (!values.json) attentionLines(result, deps.err);
    const hint =
      s.kept > 0
        ? `${s.kept === s.questions ? 'Every' : `${s.kept} of ${s.questions}`} question row(s) already hold an answer in the file: --overwrite drafts them again.`
        : result.reviewIds.length > 0
          ? `The drafts are in the review queue: kotae review list --job ${result.jobId} (or review export --job ${result.jobId} --out review.xlsx). If a column for the answer text was missed, name it: --comment-col or --answer-col.`
          : 'See the rows listed above.';
    renderError(
      new KotaeError('upstream', `nothing was written into ${basename(input)} (${s.questions} questions${s.kept > 0 ? `, ${s.kept} already answered and kept` : ''}${s.needsReview > 0 ? `, ${s.needsReview} need review` : ''}); no output file`, hint),
      deps,
      values.json,
    );
    return EXIT.failed;
  }
  await writeAtomically(outPath, result.bytes);
  if (values.json) {
    deps.out(JSON.stringify(resultJson(input, outPath, product, result)));
  } else {
    deps.out(`wrote ${outPath}`);
    for (const p of s.perSheet) {
      deps.out(`  sheet "${p.sheet}"${p.rows === null ? '' : ` ${p.rows}`}: ${p.questions} questions, ${p.rowsWritten} rows written (${p.statuses} with a status, ${p.texts} with text), ${p.needsReview} need review`);
    }
    deps.out(
      `${s.questions} questions: ${s.answered} answered, ${s.abstained} abstained, ${s.needsReview} need review` +
        `${s.rejected > 0 ? `, ${s.rejected} rejected` : ''}${s.failed > 0 ? `, ${s.failed} failed` : ''}`,
    );
    const resumed = s.previousRun === 'interrupted' ? `${s.resumed} resumed from an interrupted run` : `${s.resumed} drafts reused from the previous run (--fresh drafts them again)`;
    const extra = [
      s.kept > 0 ? `${s.kept} already answered in the file and kept (--overwrite replaces them)` : '',
      s.approved > 0 ? `${s.approved} from approved answers` : '',
      s.resumed > 0 ? resumed : '',
    ].filter(Boolean);
    if (extra.length > 0) deps.out(`  ${extra.join('; ')}`);
    attentionLines(result, deps.out);
    if (result.reviewIds.length > 0) deps.out(`  review queue: kotae review list --job ${result.jobId}`);
  }
  return s.failed > 0 ? 1 : 0;
}

/** "1 source line", "3 source lines": the evidence register's rows, one a cited source. */
function sourceLines(n: number): string {
  return `${n} source line${n === 1 ? '' : 's'}`;
}

function resultJson(input: string, output: string | null, product: string, result: AnswerFileResult): Record<string, unknown> {
  return {
    input,
    output,
    product,
    format: result.kind,
    jobId: result.jobId,
    summary: result.summary,
    notes: result.notes,
    layout: layoutJson(result.layout),
    needsReview: result.rows
      .filter((r) => r.needsReview)
      .map((r) => ({ sheet: r.sheet, row: r.row, ref: r.ref, question: r.question, outcome: r.outcome, reason: r.reason })),
  };
}

/** Why a row of the customer file is empty, for the person exporting it (review ids and reasons are fine here). */
function unansweredWhy(r: UnansweredRow): string {
  const id = r.reviewId === null ? '' : ` (review #${r.reviewId})`;
  if (r.why === 'rejected') return `rejected in review${id}${r.note ? `: ${r.note}` : ''}`;
  if (r.why === 'pending') return `waiting for approval${id}`;
  if (r.why === 'stale') return `approval went stale (a cited source changed)${id}`;
  if (r.why === 'withdrawn') return `its approved answer was withdrawn${id}: run kotae answer without --approved-only to draft it again, then review it`;
  // Drafting declines such a row every time: re-running would change nothing.
  const chars = r.question.trim().length;
  if (chars > MAX_QUESTION_CHARS) {
    return `the question is too long to draft (${chars.toLocaleString('en-US')} characters; the limit is ${MAX_QUESTION_CHARS.toLocaleString('en-US')}): write its answer into the file by hand (kotae keeps a filled cell)`;
  }
  return 'not drafted yet: run kotae answer without --approved-only first';
}

/**
 * What the person must look at after a run, on every path (drafting, the file for the
 * customer, nothing written): the rows that need review, then what the writer had to change
 * (e.g. a Shift_JIS CSV saved as UTF-8), which --json gives as `notes`.
 */
function attentionLines(result: AnswerFileResult, out: (s: string) => void): void {
  const line = (r: AnswerFileResult['rows'][number], where: string): void =>
    out(`  要確認 / needs review${where}: ${r.cell}${r.ref ? ` [${r.ref}]` : ''} ${r.reason}`);
  // Rows the file itself does not flag (only a status column, nothing written) are all listed here.
  const silent = result.rows.filter((r) => r.needsReview && r.writes.length === 0);
  for (const r of silent) line(r, ' (not marked in the file)');
  const marked = result.rows.filter((r) => r.needsReview && r.writes.length > 0);
  for (const r of marked.slice(0, 20)) line(r, '');
  if (marked.length > 20) out(`  ... and ${marked.length - 20} more (see the comment column)`);
  for (const note of result.notes) out(`  note: ${note}`);
}

function reportLayout(layout: WorkbookLayout, err: (s: string) => void): void {
  // No question rows at all: the core refuses the file, and its error describes the layout.
  if (layout.sheets.every((g) => g.skipped !== null || g.layout === null || g.rows.length === 0)) return;
  if (layout.unsure) {
    err(`layout guess (confidence ${layout.confidence}); if it is wrong, pass --sheet / --question-col / --answer-col:`);
    for (const line of describeLayout(layout)) err(`  ${line}`);
  } else {
    for (const g of layout.sheets) if (g.skipped === null) err(`sheet "${g.sheet}": ${g.rows.length} questions`);
    // The unsure guess above already names them; here they would otherwise go unmentioned.
    for (const s of skippedSheets(layout)) err(skippedSheetLine(s));
  }
}

function layoutJson(layout: WorkbookLayout): unknown {
  const col = (c: number | null): string | null => (c === null ? null : columnLetter(c));
  // Per-choice mark columns (Yes | No | N/A) are one status column: named by their span
  // ("F–H"), as the terminal names them, and each column with its choice under `marks`.
  const statusOf = (l: NonNullable<WorkbookLayout['sheets'][number]['layout']>): string | null => {
    const last = l.markCols.at(-1);
    return l.statusCol !== null && last !== undefined && last.col !== l.statusCol ? `${columnLetter(l.statusCol)}–${columnLetter(last.col)}` : col(l.statusCol);
  };
  return {
    confidence: layout.confidence,
    unsure: layout.unsure,
    sheets: layout.sheets.map((g) => ({
      sheet: g.sheet,
      skipped: g.skipped,
      confidence: g.confidence,
      notes: g.notes,
      questions: g.rows.length,
      headerRow: g.layout?.headerRow ?? null,
      columns: g.layout
        ? {
            question: col(g.layout.questionCol),
            answer: col(g.layout.answerCol),
            status: statusOf(g.layout),
            comment: col(g.layout.commentCol),
            ref: col(g.layout.refCol),
          }
        : null,
      marks: g.layout ? g.layout.markCols.map((m) => ({ column: columnLetter(m.col), choice: m.word })) : [],
    })),
  };
}

interface ProgressReporter {
  update: (p: JobProgress) => void;
  stop: () => void;
}

function progressReporter(interactive: boolean, err: (s: string) => void): ProgressReporter {
  if (interactive) {
    const bar = new cliProgress.SingleBar(
      {
        format: 'answering |{bar}| {value}/{total} · answered {answered} · abstained {abstained} · needs review {needsReview}',
        hideCursor: true,
        clearOnComplete: false,
        stream: process.stderr,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update: (p) => {
        const payload = { answered: p.answered, abstained: p.abstained, needsReview: p.needsReview };
        if (!started) {
          bar.start(p.total, p.done, payload);
          started = true;
        } else bar.update(p.done, payload);
      },
      stop: () => {
        if (started) bar.stop();
      },
    };
  }
  // Logs and CI: a line at the start, every ~10 % or 5 s, and at the end.
  let lastDone = -1;
  let lastAt = 0;
  return {
    update: (p) => {
      const step = Math.max(1, Math.ceil(p.total / 10));
      const now = Date.now();
      if (lastDone === -1 || p.done === p.total || p.done - lastDone >= step || now - lastAt >= 5000) {
        if (p.done === lastDone) return;
        err(`answering: ${p.done}/${p.total} done (answered ${p.answered}, abstained ${p.abstained}, needs review ${p.needsReview})`);
        lastDone = p.done;
        lastAt = now;
      }
    },
    stop: () => undefined,
  };
}
