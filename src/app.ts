/**
 * Composition root: builds every service from a parsed Config once. The CLI, the Slack
 * bot, the scripts and the end-to-end tests all start here, so they run the same pipeline.
 */
import { usesModel, type Config } from './config.js';
import type { Passage } from './domain.js';
import type { Answer } from './ask.js';
import { noEmbedder, type Embedder } from './embed/embedder.js';
import { createOpenAITranslator, TranslationStore, translatePassages } from './draft/translations.js';
import { DraftCache } from './draft/cache.js';
import { createLogger, type Logger } from './log.js';
import { PassageStore } from './store/store.js';
import type { Database } from './store/database.js';
import { openDatabase } from './store/open.js';
import { approvedPassage, approvedPassageId, createAnswerLibrary, type ApprovalRecord } from './store/library.js';
import { type ReviewQueue, type StaleMarking, getReview, listApprovedAnswers, markStaleWithOrigins, summariseStale, toApprovedAnswer } from './review/queue.js';
import { APPROVED_STATES } from './review/states.js';
import type { AnswerLibrary, EnqueueMeta, ReviewRecord } from './review/types.js';
import { ingest, type IngestOptions, type IngestReport } from './ingest.js';
import { INGEST_LOCK } from './store/lock-file.js';
import { withLock } from './store/lock.js';
import { join } from 'node:path';
import { approvedExportStatus, bulkHooks, requireKnownProduct, type ExportStatus } from './bulk.js';
import { createQuestionnaires, questionnairePolicy, type QuestionnaireRun, type Questionnaires } from './questionnaire-run.js';
import { createQuestionnaireJobs, type QuestionnaireJobs, type QuestionnaireJobsOptions } from './questionnaire/jobs.js';
import { createReviewQueue } from './workflow.js';
import type { LocalAskOptions } from './ask-local.js';
import { startAskThread } from './ask-thread.js';

export interface AskedDraft extends Answer {
  review: ReviewRecord | null;
}

export interface AskOptions {
  enqueue?: EnqueueMeta;
  signal?: AbortSignal;
}

export interface App extends Questionnaires {
  config: Config;
  logger: Logger;
  store: PassageStore;
  embedder: Embedder;
  /** The drafter's name (`extractive`, `openai`), wherever it runs. */
  drafterName: string;
  db: Database;
  reviews: ReviewQueue;
  /** The answer library, kept in step with the review record (for queues built elsewhere). */
  library: AnswerLibrary;
  /**
   * Drafts an answer; with `enqueue`, the draft also enters the review queue. On the ask
   * thread when configured (ask-thread.ts), else in this one (ask-local.ts).
   */
  ask(question: string, product: string, options?: AskOptions): Promise<AskedDraft>;
  products(): Promise<string[]>;
  /** Refuses a product the index has no documents for; the hint names the known ones. */
  requireProduct(product: string): Promise<void>;
  /** Whether every row of a questionnaire job is decided (before its approved file is made). */
  exportStatus(jobId: string): Promise<ExportStatus>;
  /**
   * Bulk questionnaire runs any replica sharing the database can finish (issue 13): each run
   * is this app's `answerQuestionnaire`; `deliver` hands the outcome to the surface that asked.
   */
  questionnaireJobs<D>(options: Omit<QuestionnaireJobsOptions<QuestionnaireRun, D>, 'db' | 'run'>): QuestionnaireJobs<D>;
  close(): Promise<void>;
}

/**
 * The configured embedder. The OpenAI SDK is imported only when it embeds: the bot's Slack
 * thread, whose questions are answered on the ask thread, then never loads it (some 10 MB).
 */
export async function createEmbedder(config: Config, logger: Logger): Promise<Embedder> {
  if (config.embeddings !== 'openai') return noEmbedder;
  const { OpenAIEmbedder } = await import('./embed/openai.js');
  return new OpenAIEmbedder(config.openai, { logger });
}

/** An embedder whose vector size is only known after a first call (e.g. a local server's model). */
async function withKnownDimensions(embedder: Embedder): Promise<Embedder> {
  if (embedder.dimensions > 0 || embedder.id === noEmbedder.id) return embedder;
  await embedder.embed(['dimension probe']);
  return embedder;
}

/** The record as the answer library reads it: a review's approved answer now, or null. */
function approvalRecord(db: Database): ApprovalRecord {
  return async (reviewId) => {
    const review = await getReview(db, reviewId);
    return APPROVED_STATES.has(review.state) ? toApprovedAnswer(review) : null;
  };
}

/**
 * Opens the store for writing and runs ingest, under the ingest lock for the whole run.
 * A --rebuild builds a new index generation and publishes it only once complete, so a
 * killed rebuild leaves the previous index in place and readers move over without a
 * restart. Answers citing changed passages are marked stale before the answer library is
 * reconciled with the record, inside the lock (see ingest.ts for why the order matters).
 */
export async function runIngest(
  config: Config,
  options: { rebuild?: boolean; logger?: Logger; onProgress?: IngestOptions['onProgress'] } = {},
): Promise<IngestReport> {
  const logger = options.logger ?? createLogger(config.logLevel);
  return withLock(join(config.dataDir, INGEST_LOCK), async () => {
    const embedder = await withKnownDimensions(await createEmbedder(config, logger));
    const store = await PassageStore.open(config.dataDir, embedder, { write: true, rebuild: options.rebuild ?? false });
    const db = await openDatabase(config);
    try {
      const { createOpenAIClient } = await import('./embed/openai.js');
      const translation = usesModel(config)
        ? { translator: createOpenAITranslator(createOpenAIClient(config.openai, logger), config.openai.model), store: new TranslationStore(db), logger }
        : null;
      const markings: StaleMarking[] = [];
      const markStale = async (changedIds: string[], corpusVersion: number): Promise<void> => {
        // An answer that cites a now-stale approved answer is stale too: follow the chain.
        const seen = new Set<string>();
        let changed = changedIds;
        while (changed.length > 0) {
          const stale = await markStaleWithOrigins(db, changed, corpusVersion, 're-ingest changed or removed a cited source');
          const fresh = stale.filter((m) => !seen.has(m.review.id));
          fresh.forEach((m) => seen.add(m.review.id));
          markings.push(...fresh);
          changed = fresh.map((m) => approvedPassageId(m.review.id));
        }
      };
      const report = await ingest({
        corpusDir: config.corpusDir,
        store,
        embedder,
        onChanged: markStale,
        approved: async () => (await listApprovedAnswers(db)).map(approvedPassage),
        onProgress: options.onProgress,
        ...(translation
          ? {
              onChangedPassages: async (passages: Passage[]) => {
                const done = await translatePassages(passages, translation);
                if (done.translated + done.failed > 0) logger.info('ingest: English renderings of Japanese passages', { ...done });
              },
            }
          : {}),
      });
      await store.publish();
      const stale = summariseStale(markings);
      if (stale.approved > 0) logger.warn('approved answers made stale: a cited source changed; they left the answer library until re-approved', { count: stale.approved });
      if (stale.waiting > 0) logger.info('drafts awaiting review marked stale: a cited source changed', { count: stale.waiting });
      if (stale.alreadyStale > 0) logger.info('stale answers: another cited source changed', { count: stale.alreadyStale });
      // Cached model drafts name the corpus version they were built from; older ones can never hit again.
      if (report.files.some((f) => f.action !== 'unchanged')) {
        const cache = new DraftCache(db);
        for (const product of new Set(report.files.map((f) => f.product))) await cache.prune(product, report.corpusVersion);
      }
      return report;
    } finally {
      await db.close();
    }
  });
}

/**
 * The answer library alone, for processes that only decide reviews (`kotae review approve`,
 * `review import`): the search index is opened, but neither the lexicon nor a drafter.
 */
export async function openAnswerLibrary(config: Config, options: { logger?: Logger } = {}): Promise<AnswerLibrary> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const embedder = await withKnownDimensions(await createEmbedder(config, logger));
  const store = await PassageStore.open(config.dataDir, embedder);
  // The library writes what the record says (see library.ts), so it reads the workflow
  // database; the handle lives as long as the short-lived process that decides.
  return createAnswerLibrary(store, embedder, approvalRecord(await openDatabase(config)));
}

/** Questionnaire runs of `core`: drafted through its `ask` into its review queue (bulk.ts binds them). */
function questionnairesOf(core: App): Questionnaires {
  return createQuestionnaires({ config: core.config, db: core.db, reviews: core.reviews, bind: (bytes, product, meta) => bulkHooks(core, bytes, product, meta) });
}

export async function createApp(
  config: Config,
  /**
   * `askThread`: whether questions are answered on the ask thread when KOTAE_ASK_THREAD is
   * unset (the entry point's default: the bot's is on, the CLI's off).
   * `scanLimit`: rank exhaustively only products up to this size (evaluation of the large-product path).
   * `judge`: the judgement per question (the eval's out-of-fold models, a test's own thresholds); default the committed weights.
   * `lexicon`, `scanLimit` and `judge` cannot cross to a thread: given any, questions are answered in this one.
   */
  options: { logger?: Logger; askThread?: boolean } & LocalAskOptions = {},
): Promise<App> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const embedder = await withKnownDimensions(await createEmbedder(config, logger));
  const store = await PassageStore.open(config.dataDir, embedder);
  const db = await openDatabase(config);
  const library = createAnswerLibrary(store, embedder, approvalRecord(db));
  const reviews = createReviewQueue(db, config, { library, logger });

  // The product list changes only with ingest; cache it per corpus version.
  let products: { version: number; list: string[] } | null = null;
  const listProducts = async (): Promise<string[]> => {
    const version = await store.version();
    if (!products || products.version !== version) products = { version, list: await store.products() };
    return products.list;
  };

  const inProcessOnly = options.lexicon !== undefined || options.scanLimit !== undefined || options.judge !== undefined;
  const onThread = !inProcessOnly && (config.askThread === undefined ? options.askThread === true : config.askThread === 'on');
  let asker: { drafterName: string; ask: App['ask']; close(): Promise<void> };
  try {
    if (onThread) {
      asker = await startAskThread(config, { logger });
    } else {
      // Imported here, not at the top: a process asking on the thread never loads the retrieval stack.
      const { createLocalAsk } = await import('./ask-local.js');
      const inProcess = createLocalAsk(config, { store, embedder, db, logger, reviews, products: listProducts }, options);
      asker = { drafterName: inProcess.drafter.name, ask: inProcess.ask, close: () => Promise.resolve() };
    }
  } catch (error) {
    await db.close();
    throw error;
  }

  const app: App = {
    ...questionnairePolicy(config),
    config,
    logger,
    store,
    embedder,
    drafterName: asker.drafterName,
    db,
    reviews,
    library,
    products: listProducts,
    // Methods, not arrows: an app with a part replaced (`{ ...app, ask }`, a test's slow
    // model) runs its questionnaires through that part.
    answerQuestionnaire(file, runOptions) {
      return questionnairesOf(this).answerQuestionnaire(file, runOptions);
    },
    exportApproved(file, exportOptions) {
      return questionnairesOf(this).exportApproved(file, exportOptions);
    },
    requireProduct(product) {
      return requireKnownProduct(this, product);
    },
    exportStatus(jobId) {
      return approvedExportStatus(this, jobId);
    },
    questionnaireJobs(jobOptions) {
      return createQuestionnaireJobs({ logger, ...jobOptions, db: this.db, run: (file, runOptions) => this.answerQuestionnaire(file, runOptions) });
    },
    ask(question, product, askOptions) {
      return asker.ask(question, product, askOptions);
    },
    async close() {
      await asker.close();
      await db.close();
    },
  };
  return app;
}
