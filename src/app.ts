/**
 * Composition root: builds every service from a parsed Config once. The CLI, the Slack
 * bot, the scripts and the end-to-end tests all start here, so they run the same pipeline.
 */
import type { Config } from './config.js';
import type { Drafter, Passage } from './domain.js';
import { ask, type Answer } from './ask.js';
import { noEmbedder, type Embedder } from './embed/embedder.js';
import { OpenAIEmbedder, createOpenAIClient } from './embed/openai.js';
import { extractiveDrafter } from './draft/extractive.js';
import { createOpenAIDrafter } from './draft/openai.js';
import { DraftCache } from './draft/cache.js';
import { createLogger, type Logger } from './log.js';
import { loadLexicon, type Lexicon } from './retrieve/lexicon.js';
import { retrieve } from './retrieve/retrieve.js';
import { PassageStore } from './store/store.js';
import { openWorkflowDb, type WorkflowDb } from './store/workflow.js';
import { approvedPassage, approvedPassageId, createAnswerLibrary } from './store/library.js';
import { ReviewQueue } from './review/queue.js';
import type { AnswerLibrary, EnqueueMeta, ReviewRecord } from './review/types.js';
import { ingest, type IngestOptions, type IngestReport } from './ingest.js';
import { INGEST_LOCK } from './store/lock-file.js';
import { withLock } from './store/lock.js';
import { join } from 'node:path';

export interface AskedDraft extends Answer {
  review: ReviewRecord | null;
}

export interface App {
  config: Config;
  logger: Logger;
  store: PassageStore;
  embedder: Embedder;
  drafter: Drafter;
  db: WorkflowDb;
  reviews: ReviewQueue;
  /** Drafts an answer; with `enqueue`, the draft also enters the review queue. */
  ask(question: string, product: string, options?: { enqueue?: EnqueueMeta; signal?: AbortSignal }): Promise<AskedDraft>;
  products(): Promise<string[]>;
  close(): void;
}

export function createEmbedder(config: Config, logger: Logger): Embedder {
  return config.embeddings === 'openai' ? new OpenAIEmbedder(config.openai, { logger }) : noEmbedder;
}

export function createDrafter(config: Config, db: WorkflowDb, logger: Logger): Drafter {
  const useModel = config.drafter === 'openai' || (config.drafter === 'auto' && Boolean(config.openai.apiKey || config.openai.baseURL));
  if (!useModel) return extractiveDrafter;
  return createOpenAIDrafter(config, {
    fallback: extractiveDrafter,
    cache: new DraftCache(db),
    logger,
    client: createOpenAIClient(config.openai, logger),
  });
}

/** An embedder whose vector size is only known after a first call (e.g. a local server's model). */
async function withKnownDimensions(embedder: Embedder): Promise<Embedder> {
  if (embedder.dimensions > 0 || embedder.id === noEmbedder.id) return embedder;
  await embedder.embed(['dimension probe']);
  return embedder;
}

/**
 * Opens the store for writing and runs ingest, under the ingest lock for the whole run
 * (a --rebuild must not wipe the store under another ingest). Approved answers in the
 * index are reconciled with the review record every time, so a rebuild that was killed
 * midway heals on the next ingest.
 */
export async function runIngest(
  config: Config,
  options: { rebuild?: boolean; logger?: Logger; onProgress?: IngestOptions['onProgress'] } = {},
): Promise<IngestReport> {
  const logger = options.logger ?? createLogger(config.logLevel);
  return withLock(join(config.dataDir, INGEST_LOCK), async () => {
    const embedder = await withKnownDimensions(createEmbedder(config, logger));
    const store = await PassageStore.open(config.dataDir, embedder, { write: true, rebuild: options.rebuild ?? false });
    const db = openWorkflowDb(config.dataDir);
    try {
      const reviews = new ReviewQueue(db, { policy: config.review, log: logger, library: createAnswerLibrary(store, embedder) });
      const approved: Passage[] = reviews.approvedAnswers().map(approvedPassage);
      const report = await ingest({ corpusDir: config.corpusDir, store, embedder, approved, onProgress: options.onProgress });
      // An answer that cites a now-stale approved answer is stale too: follow the chain.
      const seen = new Set<string>();
      let changed = report.changedIds;
      while (changed.length > 0) {
        const stale = await reviews.markStaleByCitations(changed, report.corpusVersion, 're-ingest changed or removed a cited source');
        const fresh = stale.filter((r) => !seen.has(r.id));
        fresh.forEach((r) => seen.add(r.id));
        changed = fresh.map((r) => approvedPassageId(r.id));
      }
      if (seen.size > 0) logger.warn('approved answers returned to the review queue: a cited source changed', { count: seen.size });
      // Cached model drafts name the corpus version they were built from; older ones can never hit again.
      if (report.files.some((f) => f.action !== 'unchanged')) {
        const cache = new DraftCache(db);
        for (const product of new Set(report.files.map((f) => f.product))) cache.prune(product, report.corpusVersion);
      }
      return report;
    } finally {
      db.close();
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
  return createAnswerLibrary(store, embedder);
}

export async function createApp(
  config: Config,
  /** `scanLimit`: rank exhaustively only products up to this size (evaluation of the large-product path). */
  options: { logger?: Logger; lexicon?: Lexicon; scanLimit?: number } = {},
): Promise<App> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const embedder = await withKnownDimensions(createEmbedder(config, logger));
  const store = await PassageStore.open(config.dataDir, embedder);
  const db = openWorkflowDb(config.dataDir);
  const drafter = createDrafter(config, db, logger);
  const lexicon = options.lexicon ?? loadLexicon();
  const reviews = new ReviewQueue(db, { policy: config.review, log: logger, library: createAnswerLibrary(store, embedder) });

  // The product list changes only with ingest; cache it per corpus version.
  let products: { version: number; list: string[] } | null = null;
  const listProducts = async (): Promise<string[]> => {
    const version = await store.version();
    if (!products || products.version !== version) products = { version, list: await store.products() };
    return products.list;
  };

  const deps = {
    retrieve: (q: string, p: string) => retrieve({ store, embedder, lexicon, ...(options.scanLimit === undefined ? {} : { scanLimit: options.scanLimit }) }, q, p),
    drafter,
    products: listProducts,
  };

  return {
    config,
    logger,
    store,
    embedder,
    drafter,
    db,
    reviews,
    products: listProducts,
    async ask(question, product, askOptions = {}) {
      const answer = await ask(deps, question, product, { signal: askOptions.signal });
      const review = askOptions.enqueue ? reviews.enqueue(answer.draft, askOptions.enqueue) : null;
      return { ...answer, review };
    },
    close() {
      db.close();
    },
  };
}
