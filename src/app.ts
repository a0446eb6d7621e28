/**
 * Composition root: builds every service from a parsed Config once. The CLI, the Slack
 * bot, the scripts and the end-to-end tests all start here, so they run the same pipeline.
 */
import type { Config } from './config.js';
import type { Drafter, Passage } from './domain.js';
import { ask, type Answer } from './ask.js';
import { noEmbedder, type Embedder } from './embed/embedder.js';
import { OpenAIEmbedder, createOpenAIClient } from './embed/openai.js';
import { createExtractiveDrafter } from './draft/extractive.js';
import { createOpenAITranslator, TranslationStore, translatePassages } from './draft/translations.js';
import { createOpenAIDrafter } from './draft/openai.js';
import { DraftCache } from './draft/cache.js';
import { createOpenAIRewriter, RewriteCache } from './draft/rewriter.js';
import type { QueryRewriter } from './retrieve/rewrite.js';
import { createLogger, type Logger } from './log.js';
import { loadLexicon, type Lexicon } from './retrieve/lexicon.js';
import { retrieve } from './judge/retrieval.js';
import type { Judge } from './judge/judge.js';
import { PassageStore } from './store/store.js';
import type { Database } from './store/database.js';
import { openDatabase } from './store/open.js';
import { DatabaseBusyError } from './errors.js';
import { approvedPassage, approvedPassageId, createAnswerLibrary, type ApprovalRecord } from './store/library.js';
import { type ReviewQueue, type StaleMarking, getReview, listApprovedAnswers, markStaleWithOrigins, summariseStale, toApprovedAnswer } from './review/queue.js';
import { APPROVED_STATES } from './review/states.js';
import type { AnswerLibrary, EnqueueMeta, ReviewRecord } from './review/types.js';
import { ingest, type IngestOptions, type IngestReport } from './ingest.js';
import { INGEST_LOCK } from './store/lock-file.js';
import { withLock } from './store/lock.js';
import { join } from 'node:path';
import { createWorkQueue } from './work-queue.js';
import { approvedExportStatus, bulkHooks, requireKnownProduct, type ExportStatus } from './bulk.js';
import { createQuestionnaires, questionnairePolicy, type QuestionnaireRun, type Questionnaires } from './questionnaire-run.js';
import { createQuestionnaireJobs, type QuestionnaireJobs, type QuestionnaireJobsOptions } from './questionnaire/jobs.js';
import { createReviewQueue } from './workflow.js';

export interface AskedDraft extends Answer {
  review: ReviewRecord | null;
}

export interface App extends Questionnaires {
  config: Config;
  logger: Logger;
  store: PassageStore;
  embedder: Embedder;
  drafter: Drafter;
  db: Database;
  reviews: ReviewQueue;
  /** The answer library, kept in step with the review record (for queues built elsewhere). */
  library: AnswerLibrary;
  /** Drafts an answer; with `enqueue`, the draft also enters the review queue. */
  ask(question: string, product: string, options?: { enqueue?: EnqueueMeta; signal?: AbortSignal }): Promise<AskedDraft>;
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

export function createEmbedder(config: Config, logger: Logger): Embedder {
  return config.embeddings === 'openai' ? new OpenAIEmbedder(config.openai, { logger }) : noEmbedder;
}

/** Whether a model drafts (and, at ingest, renders Japanese passages in English). */
export function usesModel(config: Config): boolean {
  return config.drafter === 'openai' || (config.drafter === 'auto' && Boolean(config.openai.apiKey || config.openai.baseURL));
}

/**
 * The draft cache is an optimisation: when another process keeps the database's write lock
 * past the retry budget, a cache read that would clean up a bad row is a miss rather than
 * a failed draft, and a cache write is made in the background (the draft is not held back
 * waiting for the lock) and dropped if it cannot be made.
 */
class BestEffortDraftCache extends DraftCache {
  constructor(
    db: Database,
    private readonly logger: Logger,
  ) {
    super(db);
  }

  override async get(key: string): ReturnType<DraftCache['get']> {
    try {
      return await super.get(key);
    } catch (error) {
      if (error instanceof DatabaseBusyError) return undefined;
      throw error;
    }
  }

  override async set(...args: Parameters<DraftCache['set']>): Promise<void> {
    void super.set(...args).catch((error: unknown) => this.logger.warn('draft not cached', { error }));
  }
}

export function createDrafter(config: Config, db: Database, logger: Logger): Drafter {
  // English renderings made at an earlier ingest with a model are quoted offline too.
  const translations = new TranslationStore(db);
  const extractive = createExtractiveDrafter((p) => translations.english(p));
  if (!usesModel(config)) return extractive;
  return createOpenAIDrafter(config, {
    fallback: extractive,
    cache: new BestEffortDraftCache(db, logger),
    logger,
    client: createOpenAIClient(config.openai, logger),
  });
}

/** With a model configured, questions are restated in checksheet vocabulary before retrieval; offline, never. */
export function createRewriter(config: Config, db: Database, logger: Logger): QueryRewriter | undefined {
  if (!usesModel(config)) return undefined;
  return createOpenAIRewriter(config, { client: createOpenAIClient(config.openai, logger), cache: new RewriteCache(db), logger });
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
    const embedder = await withKnownDimensions(createEmbedder(config, logger));
    const store = await PassageStore.open(config.dataDir, embedder, { write: true, rebuild: options.rebuild ?? false });
    const db = await openDatabase(config);
    try {
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
  const embedder = await withKnownDimensions(createEmbedder(config, logger));
  const store = await PassageStore.open(config.dataDir, embedder);
  // The library writes what the record says (see library.ts), so it reads the workflow
  // database; the handle lives as long as the short-lived process that decides.
  return createAnswerLibrary(store, embedder, approvalRecord(await openDatabase(config)));
}

/** Questionnaire runs of `core`: drafted through its `ask` into its review queue (bulk.ts binds them). */
function questionnairesOf(core: App): Questionnaires {
  return createQuestionnaires({ config: core.config, db: core.db, reviews: core.reviews, bind: (bytes, product, meta) => bulkHooks(core, bytes, product, meta) });
}

/**
 * Retrievals running at once in one process: one, so that an ack waits for at most one slice
 * of one retrieval. Two (so one's index reads overlap the other's JavaScript) measured worse
 * acks (p99 506 vs 274-444 ms, 20 concurrent commands on a shared, loaded machine).
 */
const RETRIEVALS_AT_ONCE = 1;

export async function createApp(
  config: Config,
  /**
   * `scanLimit`: rank exhaustively only products up to this size (evaluation of the large-product path).
   * `judge`: the judgement per question (the eval's out-of-fold models, a test's own thresholds); default the committed weights.
   */
  options: { logger?: Logger; lexicon?: Lexicon; scanLimit?: number; judge?: (question: string) => Judge } = {},
): Promise<App> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const embedder = await withKnownDimensions(createEmbedder(config, logger));
  const store = await PassageStore.open(config.dataDir, embedder);
  const db = await openDatabase(config);
  const drafter = createDrafter(config, db, logger);
  const rewriter = createRewriter(config, db, logger);
  const lexicon = options.lexicon ?? loadLexicon();
  const library = createAnswerLibrary(store, embedder, approvalRecord(db));
  const reviews = createReviewQueue(db, config, { library, logger });

  // The product list changes only with ingest; cache it per corpus version.
  let products: { version: number; list: string[] } | null = null;
  const listProducts = async (): Promise<string[]> => {
    const version = await store.version();
    if (!products || products.version !== version) products = { version, list: await store.products() };
    return products.list;
  };

  // Retrieval is CPU-bound and shares the thread with the Slack receiver: it runs through a
  // bounded queue (work-queue.ts). The query rewrite is a model call, so it is awaited before
  // queueing: a slow model must not hold a slot.
  const cpu = createWorkQueue(RETRIEVALS_AT_ONCE);
  const retrieveDeps = { store, embedder, lexicon, ...(options.scanLimit === undefined ? {} : { scanLimit: options.scanLimit }), ...(options.judge ? { judge: options.judge } : {}) };
  const deps = {
    retrieve: async (q: string, p: string) => {
      const rewrite = rewriter ? await rewriter.rewrite(q) : null;
      return cpu.run(() => retrieve({ ...retrieveDeps, ...(rewriter ? { rewriter: { rewrite: () => Promise.resolve(rewrite) } } : {}) }, q, p));
    },
    drafter,
    products: listProducts,
  };

  const app: App = {
    ...questionnairePolicy(config),
    config,
    logger,
    store,
    embedder,
    drafter,
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
    async ask(question, product, askOptions = {}) {
      const answer = await ask(deps, question, product, { signal: askOptions.signal });
      // The port retries on timers while another process holds the write lock: the draft is not redone.
      const meta = askOptions.enqueue;
      const review = meta ? await reviews.enqueue(answer.draft, meta) : null;
      return { ...answer, review };
    },
    async close() {
      await db.close();
    },
  };
  return app;
}
