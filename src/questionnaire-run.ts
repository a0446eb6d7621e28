/**
 * The answer-a-questionnaire use case, whole: which product, the upload limits of the
 * config, the checkpoint on the workflow database, drafting every row through the review
 * queue's binding (src/bulk.ts), writing the file and reporting what the queue now holds.
 * `kotae answer`, the Slack upload handler and the scripts each make one call here
 * (`app.answerQuestionnaire`, `app.exportApproved`), so none of them decides which product,
 * which rows count as waiting, or what is offered for approval in one go.
 *
 * The binding is a port: the app binds runs to its own drafting and review queue; a test
 * may bind them to a fake drafter (no index) and still run everything else for real.
 */
import { MAX_QUESTION_CHARS } from './ask.js';
import type { ApprovedExport, BulkHooks } from './bulk.js';
import type { Config } from './config.js';
import { ProductKey } from './domain.js';
import { InputError } from './errors.js';
import { resolveProduct } from './product.js';
import { answerQuestionnaireFile, type AnswerFileResult } from './questionnaire/answer-file.js';
import type { JobProgress } from './questionnaire/job.js';
import { SELECTION_CONFIDENCE, type ReviewQueue } from './review/queue.js';
import type { LayoutOverrides, WorkbookLayout } from './spreadsheet/layout.js';
import { extensionOf, extensionsPhrase, SUPPORTED_EXTENSIONS } from './spreadsheet/registry.js';
import { checkSize, limitsFromConfig, type SafetyLimits } from './spreadsheet/safety.js';
import type { Database } from './store/database.js';

export type { AnswerFileResult, JobProgress, LayoutOverrides, WorkbookLayout };
export type { ApprovedExport, ExportStatus, UnansweredRow } from './bulk.js';
// How a skipped sheet is told to the user, the same words in the CLI and the Slack reply.
export { skippedSheetLine, skippedSheets, type SkippedSheet } from './spreadsheet/layout.js';
// Durable jobs (any replica finishes them) are the same use case; adapters see them through here.
export { DEFAULT_JOB_TTL_MS, type JobOutcome, type JobRecord, type QuestionnaireJobs } from './questionnaire/jobs.js';

/**
 * The files a shared upload (a chat) is answered as: every format kotae reads (the spreadsheet
 * layer's list) but plain .txt. Named on the command line a .txt is read as CSV; shared in a
 * chat it is a note or a Slack snippet far more often than a questionnaire.
 */
const UPLOAD_EXTENSIONS = SUPPORTED_EXTENSIONS.filter((e) => e !== 'txt');

/** Whether a shared file is answered as a questionnaire, by its name (its bytes are checked when read). */
export function isQuestionnaireUpload(fileName: string): boolean {
  return UPLOAD_EXTENSIONS.includes(extensionOf(fileName));
}

/** The formats a shared upload may be, as one phrase (".xlsx, .xlsm, .csv and .tsv"). */
export function questionnaireUploadFormats(): string {
  return extensionsPhrase(UPLOAD_EXTENSIONS);
}

export interface QuestionnaireFile {
  name: string;
  bytes: Uint8Array;
}

/** Who asked and where: the drafts enter the review queue under this. */
export interface RunMeta {
  askedBy: string | null;
  channel?: string;
}

/** What a run is bound to: `bulkHooks` (drafting and the review queue), or only a drafter in tests. */
export type RunBinding = Pick<BulkHooks, 'answer'> & Partial<Omit<BulkHooks, 'answer'>>;

export interface AnswerQuestionnaireOptions extends RunMeta {
  /** The product named by the person; otherwise the channel's, then the default (src/product.ts). */
  product?: string | undefined;
  overrides?: LayoutOverrides;
  /** Replace answers the file already contains. */
  overwrite?: boolean;
  /** Draft every row again, rejected rows too (ignores the checkpoint). */
  fresh?: boolean;
  onLayout?: (layout: WorkbookLayout) => void;
  onProgress?: (p: JobProgress) => void;
  signal?: AbortSignal;
}

export interface QuestionnaireRun extends AnswerFileResult {
  product: string;
  /** The job's reviews in the queue after the run (every row's, earlier runs' included). */
  reviewIds: string[];
  /** Waiting unflagged drafts a reviewer may approve in one go, at `minConfidence` or above. */
  approvable: { count: number; minConfidence: number };
}

export interface ExportApprovedOptions {
  product: string;
  /** The review queue's job; default the file's own (content and product). */
  jobId?: string;
  overrides?: LayoutOverrides;
  overwrite?: boolean;
  /** Add the evidence register: a sheet of the workbook, or for a CSV a file of its own. */
  evidenceSheet?: boolean;
}

export interface QuestionnaireDeps {
  config: Config;
  /** Where checkpoints are kept (a killed run resumes); null runs without resume. */
  db: Database | null;
  /** The queue the binding enqueues into; null when runs are not queued (a fake drafter). */
  reviews: ReviewQueue | null;
  bind: (bytes: Uint8Array, product: string, meta: RunMeta) => RunBinding;
}

/** What the configuration decides for every questionnaire, before any file is read. */
export interface QuestionnairePolicy {
  /** The product a request is about (named, the channel's, the default), or undefined. */
  resolveProduct(explicit: string | undefined, where?: { channel?: string }): string | undefined;
  /** Refuses a file over the upload limit from its size alone, before it is read. */
  checkSize(size: number, fileName: string): void;
  /** The upload and parsing limits (KOTAE_MAX_UPLOAD_BYTES and the fixed safety caps). */
  readonly limits: SafetyLimits;
}

export interface Questionnaires extends QuestionnairePolicy {
  answerQuestionnaire(file: QuestionnaireFile, options: AnswerQuestionnaireOptions): Promise<QuestionnaireRun>;
  /** The file for the customer: approved answers and their public sources only; drafts nothing. */
  exportApproved(file: QuestionnaireFile, options: ExportApprovedOptions): Promise<ApprovedExport>;
}

function productOf(config: Config, options: { product?: string | undefined; channel?: string | undefined }): string {
  const product = resolveProduct(config, { explicit: options.product, channel: options.channel });
  if (product === undefined) throw new InputError('no product given', 'Name the product whose documents answer the questionnaire (e.g. krew), or set KOTAE_DEFAULT_PRODUCT.');
  if (!ProductKey.safeParse(product).success) throw new InputError(`"${product}" is not a product key`, 'Use the key from corpus/manifest.json, e.g. krew.');
  return product;
}

export function questionnairePolicy(config: Config): QuestionnairePolicy {
  const limits = limitsFromConfig(config);
  return {
    limits,
    resolveProduct: (explicit, where = {}) => resolveProduct(config, { explicit, channel: where.channel }),
    checkSize: (size, fileName) => checkSize(size, limits, fileName),
  };
}

export function createQuestionnaires(deps: QuestionnaireDeps): Questionnaires {
  const { config } = deps;
  const policy = questionnairePolicy(config);
  const { limits } = policy;
  return {
    ...policy,

    async answerQuestionnaire(file, options) {
      const product = productOf(config, options);
      const binding = deps.bind(file.bytes, product, { askedBy: options.askedBy, ...(options.channel ? { channel: options.channel } : {}) });
      const result = await answerQuestionnaireFile(
        { bytes: file.bytes, fileName: file.name },
        {
          product,
          answer: binding.answer,
          jobId: binding.jobId,
          prepare: binding.prepare,
          lookupDecision: binding.lookupDecision,
          concurrency: config.bulk.concurrency,
          // A row longer than ask takes is declined on its own rather than failing the run.
          maxQuestionChars: MAX_QUESTION_CHARS,
          limits,
          overrides: options.overrides,
          overwrite: options.overwrite,
          fresh: options.fresh,
          // The internal draft file (never the customer's): rows whose only place is a status cell are
          // listed with draft, sources and flag in an added `kotae` sheet.
          draftSheet: true,
          db: deps.db,
          signal: options.signal,
          onLayout: (layout) => {
            binding.onLayout?.(layout);
            options.onLayout?.(layout);
          },
          onProgress: options.onProgress,
        },
      );
      const queue = deps.reviews;
      const reviewIds = queue && binding.jobId ? (await queue.decisionsForJob(result.jobId)).map((d) => d.reviewId) : [];
      const approvable = queue && reviewIds.length > 0 ? (await queue.approvableByConfidence({ jobId: result.jobId, minConfidence: SELECTION_CONFIDENCE })).length : 0;
      return { ...result, product, reviewIds, approvable: { count: approvable, minConfidence: SELECTION_CONFIDENCE } };
    },

    async exportApproved(file, options) {
      const product = productOf(config, options);
      const binding = deps.bind(file.bytes, product, { askedBy: null });
      if (!binding.exportApproved) throw new InputError('the approved-only file needs the review queue', 'Answer the questionnaire through kotae first.');
      return binding.exportApproved({
        fileName: file.name,
        limits,
        ...(options.jobId === undefined ? {} : { jobId: options.jobId }),
        overrides: options.overrides,
        overwrite: options.overwrite,
        evidenceSheet: options.evidenceSheet,
      });
    },
  };
}
