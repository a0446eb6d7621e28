/**
 * Bulk questionnaires: a spreadsheet shared with the bot (DM, or a mention with the file).
 *
 * The event is already acked (Bolt acks events before listeners) and claimed in the event
 * log; here: reply in the thread at once, download (bounded, checked), submit the file as a
 * durable job (`deps.jobs`, src/questionnaire/jobs.ts: the core's `answerQuestionnaire`,
 * checkpointed, with the thread stored as where the answer goes), keep the status message
 * updated at most about once a second, and, in `deliverQuestionnaire`, upload the filled
 * file to the same thread with files.uploadV2 and post the summary with a button to the
 * job's review list. If this bot dies mid-job, a running bot takes the job over when its
 * lease runs out and delivers it to the same thread (src/slack/app.ts runs that check); a job
 * started the allowed number of times without finishing is given up, and the thread is told
 * so once (the jobs module's JobAttemptsExhaustedError, said by `reportFailure`). The posted
 * file is the internal draft file (`draftSheet`, as the CLI's). A run that wrote no cell
 * posts no file, as the CLI writes none: a copy of the customer's file would look answered;
 * the reply says what was found and why nothing fit.
 *
 * A review workbook (made by *Download review sheet* or `kotae review export`) sent to the
 * bot in a DM is not a questionnaire: its decisions are applied as the Slack user who sent
 * it (the identity is Slack's, never declared in the file), and the reply gives the counts
 * and conflicts. Any other workbook is answered as a questionnaire.
 *
 * Every drafted row is enqueued for review as it is answered (jobId = the file's content
 * and product; rowKey = the question), before anything is posted: the queue holds the
 * drafts whatever happens to Slack. What is drafted, reused or written per row, the
 * product check, what may be approved in one go and the approved-only export are the
 * core's (`app.answerQuestionnaire`, `app.exportApproved`); this module only talks to Slack.
 */
import { z } from 'zod';
import { isQuestionnaireUpload, questionnaireUploadFormats, skippedSheetLine, type JobOutcome, type JobRecord, type QuestionnaireRun } from '../../questionnaire-run.js';
import { InputError, KotaeError } from '../../errors.js';
import { WAITING_STATES } from '../../review/states.js';
import { buildReviewWorkbook, importReviewWorkbook, mayBeReviewWorkbook, NotAReviewWorkbookError, REVIEW_WORKBOOK_EXTENSION } from '../../review/workbook.js';
import {
  ACTIONS,
  JOB_PAGE_SIZE,
  approvedFileComment,
  bulkProgressText,
  bulkNothingWrittenMessage,
  bulkStartedText,
  bulkSummaryMessage,
  jobModal,
  noticeMessage,
  placeholderMessage,
  productPromptMessage,
  reviewImportMessage,
  type SlackMessage,
} from '../blocks.js';
import { errorNotice, parseAsk, post, productFor, refuse, slackToPlain, update, type SlackDeps, type WebClient } from '../deps.js';
import type { SlackRoutes } from '../routes.js';
import { downloadSlackFile } from '../download.js';
import { describeError } from '../logging.js';
import { BlockAction, JobRef, SlackFile } from '../payloads.js';
import { throttle, type Throttled } from '../progress.js';

/**
 * Applies `bytes` as a review workbook if it is one, as `user`; null when it is some other
 * workbook (a questionnaire). Other problems (damaged file, zip bomb) are thrown.
 */
async function applyReviewWorkbook(deps: SlackDeps, bytes: Uint8Array, fileName: string, user: string): Promise<SlackMessage | null> {
  try {
    const report = await importReviewWorkbook(deps.app.reviews, { bytes, fileName }, { as: user, limits: deps.limits });
    deps.log.info('slack: review workbook applied', { user, fileName, applied: report.applied.length, conflicts: report.conflicts.length, invalid: report.invalid.length });
    return reviewImportMessage(fileName, user, report);
  } catch (error) {
    if (error instanceof NotAReviewWorkbookError) return null;
    throw error;
  }
}

export interface UploadInput {
  files: unknown[];
  text: string;
  user: string;
  channel: string;
  threadTs: string;
}

function outputName(fileName: string, suffix: string): string {
  const m = /^(.*?)(\.[^.]+)?$/.exec(fileName);
  return `${m?.[1] || 'questionnaire'}.${suffix}${m?.[2] ?? ''}`;
}

function statusMessage(text: string): SlackMessage {
  return { text, blocks: [{ type: 'context', elements: [{ type: 'mrkdwn', text }] }] };
}

export async function handleUpload(deps: SlackDeps, client: WebClient, input: UploadInput): Promise<void> {
  const where = { channel: input.channel, threadTs: input.threadTs };
  const context = { user: input.user, channel: input.channel, threadTs: input.threadTs };
  const files = input.files.map((f) => SlackFile.safeParse(f)).flatMap((r) => (r.success ? [r.data] : []));
  const file = files.find((f) => isQuestionnaireUpload(f.name));
  if (!file) {
    await post(client, deps.log, where, noticeMessage(`kotae fills in ${questionnaireUploadFormats()} questionnaires; that file is none of them.`), context);
    return;
  }
  const { product: explicit } = parseAsk(slackToPlain(input.text));
  const product = productFor(deps, input.channel, explicit);
  const inDm = input.channel.startsWith('D');
  // Only a DM with the bot applies a review workbook (the decisions are that person's).
  if (!product && inDm && mayBeReviewWorkbook(file.name)) {
    // No product: it may be a filled review sheet rather than a questionnaire.
    try {
      const downloaded = await downloadSlackFile(file, { botToken: deps.botToken, apiUrl: deps.apiUrl, limits: deps.limits, fetch: deps.fetch });
      const applied = await applyReviewWorkbook(deps, downloaded.bytes, file.name, input.user);
      if (applied) {
        await post(client, deps.log, where, applied, { ...context, fileId: file.id });
        return;
      }
    } catch (error) {
      if (!(error instanceof KotaeError)) deps.log.error('slack: review workbook failed', { ...context, fileId: file.id, ...describeError(error) });
      await post(client, deps.log, where, errorNotice(error, `kotae could not read ${file.name}.`), context);
      return;
    }
  }
  if (!product) {
    await post(client, deps.log, where, productPromptMessage(await deps.app.products(), `(${file.name})`), context);
    return;
  }
  try {
    // Refused before anything is downloaded; the hint names the known products.
    await deps.app.requireProduct(product);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    await post(client, deps.log, where, errorNotice(error, `kotae could not check the product of ${file.name}.`), context);
    return;
  }

  const statusTs = await post(client, deps.log, where, placeholderMessage(`Reading ${file.name}…`), { ...context, fileId: file.id });
  // Every later change of the status message goes through the throttle, the last one too.
  const status = statusOf(deps, client, where, statusTs, { ...context, fileId: file.id });

  try {
    const downloaded = await downloadSlackFile(file, { botToken: deps.botToken, apiUrl: deps.apiUrl, limits: deps.limits, fetch: deps.fetch });
    const applied = inDm && mayBeReviewWorkbook(file.name) ? await applyReviewWorkbook(deps, downloaded.bytes, file.name, input.user) : null;
    if (applied) {
      status.push(applied);
      await status.flush();
      return;
    }
    deps.log.info('slack: bulk questionnaire started', { ...context, fileId: file.id, product });
    let announced = false;
    const delivery: BulkDelivery = { channel: input.channel, threadTs: input.threadTs, statusTs, fileId: file.id, fileName: file.name, user: input.user };
    const { end } = await deps.jobs.submit(
      { name: file.name, bytes: downloaded.bytes },
      { product, askedBy: input.user, channel: input.channel },
      delivery,
      {
        onProgress: (p) => {
          const text = announced ? bulkProgressText(file.name, p.done, p.total, product) : bulkStartedText(file.name, p.total, product);
          announced = true;
          status.push(statusMessage(text));
        },
      },
    );
    if (end === 'elsewhere') {
      status.push(statusMessage(`:hourglass_flowing_sand: ${file.name} is already being drafted for ${product}; its file will be posted where it was first shared.`));
      await status.flush();
    }
  } catch (error) {
    await reportFailure(deps, status, error, file.name, { ...context, fileId: file.id });
  } finally {
    statuses.get(deps)?.delete(statusKey(where, statusTs));
  }
}

/**
 * Where a bulk job's outcome goes in Slack. Stored with the job (src/questionnaire/jobs.ts),
 * so the replica that finishes it (this one, or another after this one died) posts into the
 * same thread and status message.
 */
export const BulkDelivery = z.object({
  channel: z.string(),
  threadTs: z.string(),
  /** The status message to update; null when it could not be posted (updates are then posted anew). */
  statusTs: z.string().nullable(),
  fileId: z.string(),
  fileName: z.string(),
  user: z.string(),
});
export type BulkDelivery = z.infer<typeof BulkDelivery>;

/** The status message of each running upload, per bot: progress and the final line go through one throttle, in order. */
const statuses = new WeakMap<SlackDeps, Map<string, Throttled<SlackMessage>>>();
const statusKey = (where: { channel: string; threadTs: string }, ts: string | null): string => `${where.channel}/${ts ?? where.threadTs}`;

function statusOf(deps: SlackDeps, client: WebClient, where: { channel: string; threadTs: string }, ts: string | null, context: Record<string, unknown>): Throttled<SlackMessage> {
  const mine = statuses.get(deps) ?? new Map<string, Throttled<SlackMessage>>();
  statuses.set(deps, mine);
  const key = statusKey(where, ts);
  const existing = mine.get(key);
  if (existing) return existing;
  const created = throttle(async (message: SlackMessage) => {
    await update(client, deps.log, { ...where, ts }, message, context);
  }, deps.progressIntervalMs);
  mine.set(key, created);
  return created;
}

/** A bulk questionnaire that failed (before its run, or in it): logged by kind, said in the status message. */
async function reportFailure(deps: SlackDeps, status: Throttled<SlackMessage>, error: unknown, fileName: string, context: Record<string, unknown>): Promise<void> {
  if (!(error instanceof KotaeError)) deps.log.error('slack: bulk questionnaire failed', { ...context, ...describeError(error) });
  else deps.log.warn('slack: bulk questionnaire refused', { ...context, ...describeError(error) });
  status.push(errorNotice(error, `kotae could not process ${fileName}.`));
  await status.flush();
}

/**
 * Posts a finished bulk job into its thread: the filled file and the summary, or what went
 * wrong; the status message gets its last line. Called by the jobs module on whichever
 * replica finished the job.
 */
export async function deliverQuestionnaire(deps: SlackDeps, client: WebClient, job: JobRecord<BulkDelivery>, outcome: JobOutcome<QuestionnaireRun>): Promise<void> {
  const d = job.delivery;
  const where = { channel: d.channel, threadTs: d.threadTs };
  const context = { user: d.user, channel: d.channel, threadTs: d.threadTs, fileId: d.fileId, attempts: job.attempts, adopted: job.adopted };
  const status = statusOf(deps, client, where, d.statusTs, context);
  try {
    if (!outcome.ok) {
      await reportFailure(deps, status, outcome.error, d.fileName, context);
      return;
    }
    const result = outcome.result;
    const { jobId, product } = result;
    const jobContext = { ...context, jobId, product };
    const summary = {
      fileName: d.fileName,
      product,
      total: result.summary.questions,
      answered: result.summary.answered,
      abstained: result.summary.abstained,
      needsReview: result.summary.needsReview,
      notes: result.notes,
      skipped: result.summary.skipped.map(skippedSheetLine),
    };
    const ref: JobRef = { jobId, channel: d.channel, threadTs: d.threadTs, fileId: d.fileId, product };
    const s = result.summary;
    if (s.nothingWritten) {
      // As the CLI (the core decides): no file, since a copy of the customer's file would look
      // answered, also with only the added kotae sheet; the drafts are in the review list.
      const drafted = result.reviewIds.length > 0;
      const message = bulkNothingWrittenMessage(
        {
          fileName: d.fileName,
          product,
          sheets: s.perSheet.map((p) => ({ sheet: p.sheet, rows: p.rows, questions: p.questions })),
          kept: s.kept,
          unwritten: result.rows.filter((r) => r.outcome !== 'kept' && r.writes.length === 0).map((r) => ({ sheet: r.sheet, row: r.row, ref: r.ref, reason: r.reason })),
          skipped: summary.skipped,
        },
        drafted ? ref : null,
      );
      await post(client, deps.log, where, message, jobContext);
      status.push(statusMessage(':warning: Nothing was written into the file; no file posted (see below).'));
      await status.flush();
      deps.log.warn('slack: bulk questionnaire wrote nothing', { ...jobContext, ...summary });
      return;
    }
    try {
      await client.files.uploadV2({
        channel_id: d.channel,
        thread_ts: d.threadTs,
        file: Buffer.from(result.bytes),
        filename: outputName(d.fileName, 'kotae'),
        title: `${d.fileName} (kotae drafts)`,
      });
    } catch (error) {
      // The drafts are in the review queue either way; say so instead of failing silently.
      deps.log.error('slack: uploading the filled questionnaire failed', { ...jobContext, ...describeError(error) });
      await post(client, deps.log, where, noticeMessage(`The answers are drafted and waiting for review, but the filled ${d.fileName} could not be uploaded.`, 'Open the review list below; export the file again once the rows are decided.'), jobContext);
    }
    await post(client, deps.log, where, bulkSummaryMessage(summary, ref, result.approvable), jobContext);
    status.push(statusMessage(`:white_check_mark: Drafted ${summary.total} questions for ${product} from ${d.fileName}.`));
    await status.flush();
    deps.log.info('slack: bulk questionnaire finished', { ...jobContext, ...summary });
  } finally {
    statuses.get(deps)?.delete(statusKey(where, d.statusTs));
  }
}

/**
 * Re-writes the original questionnaire with the approved answers only, once every row is
 * decided: the original is fetched again from Slack (files.info + the same checked
 * download) and filled by the core's `app.exportApproved`: approved answers and
 * their public sources only, the file the customer receives.
 */
export async function exportApproved(deps: SlackDeps, client: WebClient, job: JobRef, user: string): Promise<void> {
  const where = { channel: job.channel, threadTs: job.threadTs };
  const context = { user, jobId: job.jobId, channel: job.channel };
  const ready = await deps.app.exportStatus(job.jobId);
  if (!ready.allDecided) {
    await post(client, deps.log, where, noticeMessage(`${ready.waiting} rows still wait for a decision; export when every row is decided.`), context);
    return;
  }
  const statusTs = await post(client, deps.log, where, placeholderMessage('Writing the approved answers into the questionnaire…'), context);
  try {
    const info = await client.files.info({ file: job.fileId });
    const file = SlackFile.parse(info.file);
    const downloaded = await downloadSlackFile(file, { botToken: deps.botToken, apiUrl: deps.apiUrl, limits: deps.limits, fetch: deps.fetch });
    const { result } = await deps.app.exportApproved({ name: file.name, bytes: downloaded.bytes }, { product: job.product, jobId: job.jobId });
    await client.files.uploadV2({
      channel_id: job.channel,
      thread_ts: job.threadTs,
      file: Buffer.from(result.bytes),
      filename: outputName(file.name, 'approved'),
      title: `${file.name} (approved answers)`,
      initial_comment: approvedFileComment(result.summary.approved, result.summary.questions),
    });
    await update(client, deps.log, { ...where, ts: statusTs }, statusMessage(':white_check_mark: Exported the approved questionnaire.'), context);
  } catch (error) {
    if (!(error instanceof KotaeError)) deps.log.error('slack: export failed', { ...context, ...describeError(error) });
    await update(client, deps.log, { ...where, ts: statusTs }, errorNotice(error, 'kotae could not export the approved file.'), context);
  }
}

/** Reviews of a job for the list modal: one page of the waiting ones, and all decisions. */
export async function jobView(deps: SlackDeps, job: JobRef): Promise<ReturnType<typeof jobModal>> {
  const decisions = await deps.app.reviews.decisionsForJob(job.jobId);
  const waiting = (page: number) => deps.app.reviews.list({ jobId: job.jobId, state: [...WAITING_STATES], limit: JOB_PAGE_SIZE, offset: page * JOB_PAGE_SIZE });
  let page = job.page ?? 0;
  let shown = await waiting(page);
  // Deciding the last rows of the last page empties it: show the page before instead.
  const total = shown.total ?? 0;
  if (shown.items.length === 0 && page > 0 && total > 0) {
    page = Math.floor((total - 1) / JOB_PAGE_SIZE);
    shown = await waiting(page);
  }
  return jobModal({ ...job, page }, { items: shown.items, offset: page * JOB_PAGE_SIZE, total: shown.total ?? shown.items.length }, decisions);
}

/** Uploads the job's review workbook into the job's thread (the same sheet as `kotae review export`). */
export async function uploadReviewSheet(deps: SlackDeps, client: WebClient, job: JobRef, user: string): Promise<void> {
  const where = { channel: job.channel, threadTs: job.threadTs };
  const context = { user, jobId: job.jobId, channel: job.channel };
  try {
    const { bytes, rows } = await buildReviewWorkbook(deps.app.db, { jobId: job.jobId });
    await client.files.uploadV2({
      channel_id: job.channel,
      thread_ts: job.threadTs,
      file: bytes,
      filename: `review-${job.jobId.slice(0, 24)}.${REVIEW_WORKBOOK_EXTENSION}`,
      title: `Review sheet (${rows} rows)`,
      initial_comment: `Review sheet: ${rows} rows. Choose 承認 / 編集 / 却下 (Approve / Edit / Reject) in the decision column, then send the file back to kotae in a DM: it is applied as you.`,
    });
  } catch (error) {
    if (!(error instanceof KotaeError)) deps.log.error('slack: review sheet failed', { ...context, ...describeError(error) });
    await post(client, deps.log, where, errorNotice(error, 'kotae could not make the review sheet.'), context);
  }
}

export function registerBulkHandlers(routes: SlackRoutes, deps: SlackDeps): void {
  routes.action(ACTIONS.jobPage, async ({ ack, body, client }) => {
    await ack();
    const parsed = BlockAction.safeParse(body);
    const ref = parsed.success ? JobRef.safeParse(parsed.data.actions[0]?.value ?? '') : null;
    const viewId = parsed.success ? parsed.data.view?.id : undefined;
    if (!parsed.success || !ref?.success || viewId === undefined) {
      deps.log.warn('slack: malformed job page payload');
      return;
    }
    try {
      await client.views.update({ view_id: viewId, view: await jobView(deps, ref.data) });
    } catch (error) {
      deps.log.error('slack: could not turn the page of the job review list', { jobId: ref.data.jobId, ...describeError(error) });
    }
  });

  routes.action(ACTIONS.reviewSheet, async ({ ack, body, client }) => {
    await ack();
    const parsed = BlockAction.safeParse(body);
    const ref = parsed.success ? JobRef.safeParse(parsed.data.actions[0]?.value ?? '') : null;
    if (!parsed.success || !ref?.success) {
      deps.log.warn('slack: malformed review sheet button payload');
      return;
    }
    deps.detach(() => uploadReviewSheet(deps, client, ref.data, parsed.data.user.id));
  });

  routes.action(ACTIONS.openJob, async ({ ack, body, client }) => {
    await ack();
    const parsed = BlockAction.safeParse(body);
    const ref = parsed.success ? JobRef.safeParse(parsed.data.actions[0]?.value ?? '') : null;
    if (!parsed.success || !ref?.success) {
      deps.log.warn('slack: malformed job button payload');
      return;
    }
    try {
      await client.views.open({ trigger_id: parsed.data.trigger_id, view: await jobView(deps, ref.data) });
    } catch (error) {
      deps.log.error('slack: could not open the job review list', { jobId: ref.data.jobId, ...describeError(error) });
    }
  });

  routes.action(ACTIONS.exportJob, async ({ ack, body, client }) => {
    await ack();
    const parsed = BlockAction.safeParse(body);
    const ref = parsed.success ? JobRef.safeParse(parsed.data.actions[0]?.value ?? '') : null;
    if (!parsed.success || !ref?.success) {
      deps.log.warn('slack: malformed export button payload');
      return;
    }
    const action = parsed.data;
    const jobRef = ref.data;
    deps.detach(async () => {
      try {
        await exportApproved(deps, client, jobRef, action.user.id);
      } catch (error) {
        await refuse(deps, client, { triggerId: action.trigger_id, responseUrl: action.response_url, inThread: true }, error, { jobId: jobRef.jobId });
      }
    });
  });
}
