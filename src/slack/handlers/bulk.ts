/**
 * Bulk questionnaires: a .xlsx/.csv shared with the bot (DM, or a mention with the file).
 *
 * The event is already acked (Bolt acks events before listeners) and claimed in the event
 * log; here: reply in the thread at once, download (bounded, checked), run the
 * questionnaire module's `answerQuestionnaireFile` (checkpointed in SQLite, so a crash
 * resumes), keep the status message updated at most about once a second, upload the
 * filled file to the same thread with files.uploadV2, and post the summary with a button
 * to the job's review list. The posted file is the internal draft file (`draftSheet`, as
 * the CLI's). A run that wrote no cell posts no file, as the CLI writes none: a copy of the
 * customer's file would look answered; the reply says what was found and why nothing fit.
 *
 * A review workbook (made by *Download review sheet* or `kotae review export`) sent to the
 * bot in a DM is not a questionnaire: its decisions are applied as the Slack user who sent
 * it (the identity is Slack's, never declared in the file), and the reply gives the counts
 * and conflicts. Any other workbook is answered as a questionnaire.
 *
 * Every drafted row is enqueued for review as it is answered (jobId = the file's content
 * and product; rowKey = the question), before anything is posted: the queue holds the
 * drafts whatever happens to Slack. What is drafted, reused or written per row, the
 * product check and the approved-only export are the core's (src/bulk.ts); this module
 * only talks to Slack.
 */
import type { App as BoltApp } from '@slack/bolt';
import { approvedExportStatus, bulkHooks, exportApprovedQuestionnaire, requireKnownProduct } from '../../bulk.js';
import { InputError, KotaeError } from '../../errors.js';
import { answerQuestionnaireFile } from '../../questionnaire/answer-file.js';
import { SELECTION_CONFIDENCE } from '../../review/queue.js';
import { buildReviewWorkbook, importReviewWorkbook, NotAReviewWorkbookError } from '../../review/workbook.js';
import {
  ACTIONS,
  JOB_PAGE_SIZE,
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
import { downloadSlackFile } from '../download.js';
import { describeError } from '../logging.js';
import { BlockAction, JobRef, SlackFile } from '../payloads.js';
import { throttle } from '../progress.js';

const QUESTIONNAIRE = /\.(?:xlsx|xlsm|csv|tsv)$/i;
/** Review workbooks are .xlsx; only a DM with the bot applies one (the decisions are that person's). */
const REVIEW_WORKBOOK = /\.xlsx$/i;

/**
 * Applies `bytes` as a review workbook if it is one, as `user`; null when it is some other
 * workbook (a questionnaire). Other problems (damaged file, zip bomb) are thrown.
 */
async function applyReviewWorkbook(deps: SlackDeps, bytes: Uint8Array, fileName: string, user: string): Promise<SlackMessage | null> {
  try {
    const report = await importReviewWorkbook(deps.reviews, { bytes, fileName }, { as: user, limits: deps.limits });
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
  const file = files.find((f) => QUESTIONNAIRE.test(f.name));
  if (!file) {
    await post(client, deps.log, where, noticeMessage('kotae fills in .xlsx and .csv questionnaires (also .xlsm, .tsv); that file is neither.'), context);
    return;
  }
  const { product: explicit } = parseAsk(slackToPlain(input.text));
  const product = productFor(deps, input.channel, explicit);
  const inDm = input.channel.startsWith('D');
  if (!product && inDm && REVIEW_WORKBOOK.test(file.name)) {
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
    await requireKnownProduct(deps.app, product);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    await post(client, deps.log, where, noticeMessage(error.message, error.hint), context);
    return;
  }

  const statusTs = await post(client, deps.log, where, placeholderMessage(`Reading ${file.name}…`), { ...context, fileId: file.id });
  // Every later change of the status message goes through the throttle, the last one too.
  const status = throttle(async (message: SlackMessage) => {
    await update(client, deps.log, { ...where, ts: statusTs }, message, { ...context, fileId: file.id });
  }, deps.progressIntervalMs);

  try {
    const downloaded = await downloadSlackFile(file, { botToken: deps.botToken, apiUrl: deps.apiUrl, limits: deps.limits, fetch: deps.fetch });
    const applied = inDm && REVIEW_WORKBOOK.test(file.name) ? await applyReviewWorkbook(deps, downloaded.bytes, file.name, input.user) : null;
    if (applied) {
      status.push(applied);
      await status.flush();
      return;
    }
    const hooks = bulkHooks(deps.app, downloaded.bytes, product, { askedBy: input.user, channel: input.channel });
    const { jobId } = hooks;
    const jobContext = { ...context, fileId: file.id, jobId, product };
    deps.log.info('slack: bulk questionnaire started', jobContext);
    let announced = false;
    const config = deps.app.config;
    const result = await answerQuestionnaireFile(
      { bytes: downloaded.bytes, fileName: file.name },
      {
        product,
        concurrency: config.bulk.concurrency,
        limits: deps.limits,
        db: deps.app.db,
        jobId,
        prepare: hooks.prepare,
        answer: hooks.answer,
        lookupDecision: hooks.lookupDecision,
        // The file posted in Slack is the internal draft file, as the CLI's: rows of
        // status-only sheets are listed with draft, sources and flag in a `kotae` sheet.
        draftSheet: true,
        onLayout: hooks.onLayout,
        onProgress: (p) => {
          const text = announced ? bulkProgressText(file.name, p.done, p.total, product) : bulkStartedText(file.name, p.total, product);
          announced = true;
          status.push(statusMessage(text));
        },
      },
    );

    const summary = {
      fileName: file.name,
      product,
      total: result.summary.questions,
      answered: result.summary.answered,
      abstained: result.summary.abstained,
      needsReview: result.summary.needsReview,
      notes: result.notes,
    };
    const job: JobRef = { jobId, channel: input.channel, threadTs: input.threadTs, fileId: file.id, product };
    const s = result.summary;
    if (s.cellsWritten === 0 && s.draftSheetRows === 0) {
      // As the CLI: no file, since a copy of the customer's file would look answered.
      const drafted = (await deps.reviews.decisionsForJob(jobId)).length > 0;
      const message = bulkNothingWrittenMessage(
        {
          fileName: file.name,
          product,
          sheets: s.perSheet.map((p) => ({ sheet: p.sheet, questions: p.questions })),
          kept: s.kept,
          unwritten: result.rows.filter((r) => r.outcome !== 'kept' && r.writes.length === 0).map((r) => ({ sheet: r.sheet, row: r.row, ref: r.ref, reason: r.reason })),
        },
        drafted ? job : null,
      );
      await post(client, deps.log, where, message, jobContext);
      status.push(statusMessage(':warning: Nothing was written into the file; no file posted (see below).'));
      await status.flush();
      deps.log.warn('slack: bulk questionnaire wrote nothing', { ...jobContext, ...summary });
      return;
    }
    try {
      await client.files.uploadV2({
        channel_id: input.channel,
        thread_ts: input.threadTs,
        file: Buffer.from(result.bytes),
        filename: outputName(file.name, 'kotae'),
        title: `${file.name} (kotae drafts)`,
      });
    } catch (error) {
      // The drafts are in the review queue either way; say so instead of failing silently.
      deps.log.error('slack: uploading the filled questionnaire failed', { ...jobContext, ...describeError(error) });
      await post(client, deps.log, where, noticeMessage(`The answers are drafted and waiting for review, but the filled ${file.name} could not be uploaded.`, 'Open the review list below; export the file again once the rows are decided.'), jobContext);
    }
    const approvable = (await deps.reviews.approvableByConfidence({ jobId, minConfidence: SELECTION_CONFIDENCE, states: ['drafted'] })).length;
    await post(client, deps.log, where, bulkSummaryMessage(summary, job, { count: approvable, minConfidence: SELECTION_CONFIDENCE }), jobContext);
    status.push(statusMessage(`:white_check_mark: Drafted ${summary.total} questions for ${product} from ${file.name}.`));
    await status.flush();
    deps.log.info('slack: bulk questionnaire finished', { ...jobContext, ...summary });
  } catch (error) {
    if (!(error instanceof KotaeError)) deps.log.error('slack: bulk questionnaire failed', { ...context, fileId: file.id, ...describeError(error) });
    else deps.log.warn('slack: bulk questionnaire refused', { ...context, fileId: file.id, ...describeError(error) });
    status.push(errorNotice(error, `kotae could not process ${file.name}.`));
    await status.flush();
  }
}

/**
 * Re-writes the original questionnaire with the approved answers only, once every row is
 * decided: the original is fetched again from Slack (files.info + the same checked
 * download) and filled by the core's `exportApprovedQuestionnaire`: approved answers and
 * their public sources only, the file the customer receives.
 */
export async function exportApproved(deps: SlackDeps, client: WebClient, job: JobRef, user: string): Promise<void> {
  const where = { channel: job.channel, threadTs: job.threadTs };
  const context = { user, jobId: job.jobId, channel: job.channel };
  const ready = await approvedExportStatus(deps.app, job.jobId);
  if (!ready.allDecided) {
    await post(client, deps.log, where, noticeMessage(`${ready.waiting} rows still wait for a decision; export when every row is decided.`), context);
    return;
  }
  const statusTs = await post(client, deps.log, where, placeholderMessage('Writing the approved answers into the questionnaire…'), context);
  try {
    const info = await client.files.info({ file: job.fileId });
    const file = SlackFile.parse(info.file);
    const downloaded = await downloadSlackFile(file, { botToken: deps.botToken, apiUrl: deps.apiUrl, limits: deps.limits, fetch: deps.fetch });
    const { result } = await exportApprovedQuestionnaire(deps.app, { bytes: downloaded.bytes, fileName: file.name }, { product: job.product, jobId: job.jobId, limits: deps.limits });
    await client.files.uploadV2({
      channel_id: job.channel,
      thread_ts: job.threadTs,
      file: Buffer.from(result.bytes),
      filename: outputName(file.name, 'approved'),
      title: `${file.name} (approved answers)`,
      initial_comment: `Approved answers: ${result.summary.approved} of ${result.summary.questions} rows. Rows without an approved answer are left empty.`,
    });
    await update(client, deps.log, { ...where, ts: statusTs }, statusMessage(':white_check_mark: Exported the approved questionnaire.'), context);
  } catch (error) {
    if (!(error instanceof KotaeError)) deps.log.error('slack: export failed', { ...context, ...describeError(error) });
    await update(client, deps.log, { ...where, ts: statusTs }, errorNotice(error, 'kotae could not export the approved file.'), context);
  }
}

/** Reviews of a job for the list modal: one page of the waiting ones, and all decisions. */
export async function jobView(deps: SlackDeps, job: JobRef): Promise<ReturnType<typeof jobModal>> {
  const decisions = await deps.reviews.decisionsForJob(job.jobId);
  const waiting = (page: number) => deps.reviews.list({ jobId: job.jobId, state: ['drafted', 'needs_human', 'stale'], limit: JOB_PAGE_SIZE, offset: page * JOB_PAGE_SIZE });
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
      filename: `review-${job.jobId.slice(0, 24)}.xlsx`,
      title: `Review sheet (${rows} rows)`,
      initial_comment: `Review sheet: ${rows} rows. Choose 承認 / 編集 / 却下 (Approve / Edit / Reject) in the decision column, then send the file back to kotae in a DM: it is applied as you.`,
    });
  } catch (error) {
    if (!(error instanceof KotaeError)) deps.log.error('slack: review sheet failed', { ...context, ...describeError(error) });
    await post(client, deps.log, where, errorNotice(error, 'kotae could not make the review sheet.'), context);
  }
}

export function registerBulkHandlers(bolt: BoltApp, deps: SlackDeps): void {
  bolt.action(ACTIONS.jobPage, async ({ ack, body, client }) => {
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

  bolt.action(ACTIONS.reviewSheet, async ({ ack, body, client }) => {
    await ack();
    const parsed = BlockAction.safeParse(body);
    const ref = parsed.success ? JobRef.safeParse(parsed.data.actions[0]?.value ?? '') : null;
    if (!parsed.success || !ref?.success) {
      deps.log.warn('slack: malformed review sheet button payload');
      return;
    }
    await deps.track(uploadReviewSheet(deps, client, ref.data, parsed.data.user.id));
  });

  bolt.action(ACTIONS.openJob, async ({ ack, body, client }) => {
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

  bolt.action(ACTIONS.exportJob, async ({ ack, body, client }) => {
    await ack();
    const parsed = BlockAction.safeParse(body);
    const ref = parsed.success ? JobRef.safeParse(parsed.data.actions[0]?.value ?? '') : null;
    if (!parsed.success || !ref?.success) {
      deps.log.warn('slack: malformed export button payload');
      return;
    }
    const action = parsed.data;
    const jobRef = ref.data;
    try {
      await deps.track(exportApproved(deps, client, jobRef, action.user.id));
    } catch (error) {
      await refuse(deps, client, { triggerId: action.trigger_id, responseUrl: action.response_url, inThread: true }, error, { jobId: jobRef.jobId });
    }
  });
}
