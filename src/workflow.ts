/**
 * The review workflow without the search index: the workflow database and the one review
 * queue built over it. `createApp` builds its queue here, and `kotae review` / `kotae
 * library` use `createWorkflow`, which opens the answer library's index only when an
 * approval has to reach it: listing, showing and exporting reviews never load LanceDB, so
 * a script calling `kotae review list` in a loop starts in a fraction of a second.
 */
import type { Config } from './config.js';
import { createLogger, type Logger } from './log.js';
import type { IsInGroup } from './review/authorize.js';
import { ReviewQueue, type Clock } from './review/queue.js';
import type { AnswerLibrary } from './review/types.js';
import type { Database } from './store/database.js';
import { openDatabase } from './store/open.js';

export type { IsInGroup };
export type { ReviewQueue };

export interface QueueOptions {
  library?: AnswerLibrary | undefined;
  logger?: Logger;
  now?: Clock;
}

/** The review queue over `db`, with the configured approval policy: the only place one is built. */
export function createReviewQueue(db: Database, config: Pick<Config, 'review' | 'logLevel'>, options: QueueOptions = {}): ReviewQueue {
  return new ReviewQueue(db, { policy: config.review, library: options.library, log: options.logger ?? createLogger(config.logLevel), now: options.now });
}

/**
 * The answer library an approval updates, opened on first use: deciding needs the index,
 * listing does not.
 */
function lazyLibrary(config: Config): AnswerLibrary {
  let opened: Promise<AnswerLibrary> | undefined;
  const open = (): Promise<AnswerLibrary> => (opened ??= import('./app.js').then(({ openAnswerLibrary }) => openAnswerLibrary(config)));
  return {
    upsert: async (entry) => (await open()).upsert(entry),
    remove: async (id) => (await open()).remove(id),
    sync: async (change) => {
      const real = await open();
      if (real.sync) return real.sync(change);
      for (const entry of change.upsert) await real.upsert(entry);
      for (const id of change.remove) await real.remove(id);
    },
  };
}

export interface Workflow {
  reviews: ReviewQueue;
  close(): Promise<void>;
}

/**
 * The workflow database and its review queue, for processes that decide but do not draft.
 * `logger`: where the queue logs; the CLI passes one that leaves out the warnings it prints.
 */
export async function createWorkflow(config: Config, options: { logger?: Logger } = {}): Promise<Workflow> {
  const db = await openDatabase(config);
  const reviews = createReviewQueue(db, config, { library: lazyLibrary(config), logger: options.logger });
  return { reviews, close: () => db.close() };
}
