/**
 * The `ask` use case run in this thread: the model clients (query rewrite, drafting), the
 * lexicon and the retrieval stack, built once. It lives apart from app.ts so that a process
 * whose questions are answered on the ask thread (ask-thread.ts: the Slack bot) never loads
 * any of it on the thread that serves Slack: app.ts imports this module only when it asks
 * in-process (the CLI, the scripts, and the ask thread itself).
 */
import type { Config } from './config.js';
import type { Drafter } from './domain.js';
import { ask } from './ask.js';
import type { Embedder } from './embed/embedder.js';
import { createOpenAIClient } from './embed/openai.js';
import { createExtractiveDrafter } from './draft/extractive.js';
import { TranslationStore } from './draft/translations.js';
import { createOpenAIDrafter } from './draft/openai.js';
import { DraftCache } from './draft/cache.js';
import { createOpenAIRewriter, RewriteCache } from './draft/rewriter.js';
import type { QueryRewriter } from './retrieve/rewrite.js';
import type { Logger } from './log.js';
import { loadLexicon, type Lexicon } from './retrieve/lexicon.js';
import { retrieve } from './judge/retrieval.js';
import type { Judge } from './judge/judge.js';
import type { PassageStore } from './store/store.js';
import type { Database } from './store/database.js';
import { DatabaseBusyError } from './errors.js';
import type { ReviewQueue } from './review/queue.js';
import { sameQuestionAs, similarApproval } from './review/similar-lookup.js';
import type { AskedDraft, AskOptions } from './app.js';
import { usesModel } from './config.js';
import { createWorkQueue } from './work-queue.js';

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

/**
 * Retrievals running at once in one thread: one, so that an ack waits for at most one slice
 * of one retrieval. Two (so one's index reads overlap the other's JavaScript) measured worse
 * acks (p99 506 vs 274-444 ms, 20 concurrent commands on a shared, loaded machine).
 */
const RETRIEVALS_AT_ONCE = 1;

export interface LocalAskOptions {
  lexicon?: Lexicon;
  scanLimit?: number;
  judge?: (question: string) => Judge;
}

export interface LocalAsk {
  drafter: Drafter;
  ask(question: string, product: string, options?: AskOptions): Promise<AskedDraft>;
}

export function createLocalAsk(
  config: Config,
  parts: { store: PassageStore; embedder: Embedder; db: Database; logger: Logger; reviews: ReviewQueue; products: () => Promise<string[]> },
  options: LocalAskOptions = {},
): LocalAsk {
  const { store, embedder, db, logger, reviews } = parts;
  const drafter = createDrafter(config, db, logger);
  const rewriter = createRewriter(config, db, logger);
  const lexicon = options.lexicon ?? loadLexicon();

  // Retrieval is CPU-bound and shares the thread with whatever else it serves: it runs through
  // a bounded queue (work-queue.ts). The query rewrite is a model call, so it is awaited before
  // queueing: a slow model must not hold a slot.
  const cpu = createWorkQueue(RETRIEVALS_AT_ONCE);
  const retrieveDeps = { store, embedder, lexicon, ...(options.scanLimit === undefined ? {} : { scanLimit: options.scanLimit }), ...(options.judge ? { judge: options.judge } : {}) };
  const deps = {
    retrieve: async (q: string, p: string) => {
      const rewrite = rewriter ? await rewriter.rewrite(q) : null;
      return cpu.run(() => retrieve({ ...retrieveDeps, ...(rewriter ? { rewriter: { rewrite: () => Promise.resolve(rewrite) } } : {}) }, q, p));
    },
    drafter,
    products: parts.products,
    previousRejection: (q: string, p: string) => reviews.previousRejection(q, p, sameQuestionAs(lexicon, q)),
    similarApproval: (q: string, p: string) => similarApproval(reviews.db, lexicon, p, q),
  };
  return {
    drafter,
    async ask(question, product, askOptions = {}) {
      const answer = await ask(deps, question, product, { signal: askOptions.signal });
      // The port retries on timers while another process holds the write lock: the draft is not redone.
      const meta = askOptions.enqueue;
      const review = meta ? await reviews.enqueue(answer.draft, meta) : null;
      return { ...answer, review };
    },
  };
}
