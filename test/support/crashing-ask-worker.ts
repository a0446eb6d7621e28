/**
 * The ask thread's real worker, which also ends its thread (as a crash or an out-of-memory
 * end would) when it is asked about the product `crash`: how a test makes the thread die
 * while it holds a question, without any hook in the worker itself.
 */
import { parentPort } from 'node:worker_threads';
import '../../src/ask-worker.js';

parentPort?.on('message', (message: unknown) => {
  if (typeof message === 'object' && message !== null && 'product' in message && message.product === 'crash') process.exit(70);
});
