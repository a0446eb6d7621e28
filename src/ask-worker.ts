/**
 * The ask thread's entry (started by ask-thread.ts): builds a core App from the parsed config
 * it is handed, answering in this thread, and answers the questions posted to it one message
 * each, concurrently, as the App would in-process. Everything it answers or throws crosses
 * back as plain data (ask-thread.ts parses it and revives errors).
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { createApp, type App } from './app.js';
import { registerConfigSecrets, type Config } from './config.js';
import { createLogger } from './log.js';
import { EnqueueMeta } from './review/types.js';
import { throwable, ToWorker } from './ask-thread.js';

const port = parentPort;
if (!port) throw new Error('ask-worker.ts runs as the ask thread (see ask-thread.ts), not on its own');
// The config the owner parsed from the environment (structured clone keeps its Map of channels).
const { config } = workerData as { config: Config };
registerConfigSecrets(config);
const logger = createLogger(config.logLevel);

/**
 * Answers yield the CPU to the thread that acks Slack: on a busy machine both wait in the
 * OS scheduler, and an ack has 3 seconds where an answer has a minute. On Linux a thread
 * has its own nice value, set through its thread id (/proc/thread-self names it); elsewhere
 * the threads keep the process's priority.
 */
const ANSWER_NICENESS = 10;
function yieldToSlack(tid: string): void {
  try {
    setPriority(Number(tid), ANSWER_NICENESS);
  } catch {
    // Not Linux, or not allowed: same priority as the Slack thread.
  }
}
try {
  yieldToSlack(readlinkSync('/proc/thread-self').split('/').at(-1) ?? '');
} catch {
  // No /proc: not Linux.
}

/**
 * The search index's native threads (LanceDB's tokio runtime and CPU pool) do the full-text
 * searches and Arrow encoding of answers, some 40% of their CPU: they yield too. The Slack
 * thread's own index reads (products, versions) run on them after its ack, never before.
 */
const INDEX_THREADS = /^(?:tokio-rt-worker|lance-cpu)/u;
function indexThreadsYield(): void {
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      if (INDEX_THREADS.test(readFileSync(`/proc/self/task/${tid}/comm`, 'utf8'))) yieldToSlack(tid);
    }
  } catch {
    // No /proc: not Linux.
  }
}

let app: App;
try {
  app = await createApp({ ...config, askThread: 'off' }, { logger });
} catch (error) {
  port.postMessage({ type: 'failed', error: throwable(error) });
  port.close();
  throw error;
}
// After the App opened the index: its native threads exist by now.
indexThreadsYield();
port.postMessage({ type: 'ready', drafterName: app.drafterName });

/** The questions being answered, by the owner's id: an abort message cancels one. */
const running = new Map<number, AbortController>();

async function answer(id: number, question: string, product: string, enqueue: EnqueueMeta | undefined): Promise<void> {
  const controller = new AbortController();
  running.set(id, controller);
  try {
    const value = await app.ask(question, product, { signal: controller.signal, ...(enqueue ? { enqueue } : {}) });
    port?.postMessage({ type: 'answered', id, value });
  } catch (error) {
    port?.postMessage({ type: 'threw', id, error: throwable(error) });
  } finally {
    running.delete(id);
  }
}

port.on('message', (raw: unknown) => {
  const message = ToWorker.parse(raw);
  switch (message.type) {
    case 'ask':
      void answer(message.id, message.question, message.product, message.enqueue === undefined ? undefined : EnqueueMeta.parse(message.enqueue));
      return;
    case 'abort':
      running.get(message.id)?.abort();
      return;
    case 'close':
      for (const controller of running.values()) controller.abort();
      void app
        .close()
        .catch((error: unknown) => logger.error('ask thread: closing the database failed', { error }))
        .finally(() => port.close());
      return;
  }
});
