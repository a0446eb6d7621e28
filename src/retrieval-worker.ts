/**
 * The retrieval thread's own side (started by ./retrieval-thread.ts): it opens the search
 * index and the lexicon once, then answers retrieval requests. Retrieval is
 * JavaScript on the CPU (concept expansion, match keys, bigram BM25, judging: 13-39 ms per
 * question, up to hundreds of ms for the first question after an ingest); here it never
 * shares a thread with the Slack receiver, so twenty questions in flight do not hold up an
 * ack. The computation is the one the CLI and the eval run in-process (judge/retrieval.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { z } from 'zod';
import type { Embedder } from './embed/embedder.js';
import { KotaeError } from './errors.js';
import { retrieve } from './judge/retrieval.js';
import { loadLexicon } from './retrieve/lexicon.js';
import { PassageStore } from './store/store.js';
import { createWorkQueue } from './work-queue.js';
import { RETRIEVALS_AT_ONCE, type RetrievalReply, type RetrievalRequest, type RetrievalWorkerData } from './retrieval-thread.js';

const Request: z.ZodType<RetrievalRequest> = z.object({
  id: z.number(),
  question: z.string(),
  product: z.string(),
  rewrite: z.object({ terms: z.array(z.string()), subQuestions: z.array(z.string()) }).nullable(),
  vector: z.array(z.number()),
});

async function serve(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('retrieval-worker.ts runs as a worker thread (see retrieval-thread.ts)');
  const { dataDir, embedder: named, scanLimit } = workerData as RetrievalWorkerData;
  const store = await PassageStore.open(dataDir, { ...named, embed: () => Promise.resolve([]) });
  const lexicon = loadLexicon();
  // Bounds the garbage of retrievals in flight (RSS), as in the in-process path.
  const queue = createWorkQueue(RETRIEVALS_AT_ONCE);
  port.on('message', (raw: unknown) => {
    const request = Request.parse(raw);
    const { rewrite, vector } = request;
    // The embedding was fetched by the calling thread (a network wait): this one only hands it on.
    const embedder: Embedder = { ...named, embed: (texts) => Promise.resolve(texts.map(() => vector)) };
    const deps = { store, embedder, lexicon, ...(scanLimit === undefined ? {} : { scanLimit }), ...(rewrite ? { rewriter: { rewrite: () => Promise.resolve(rewrite) } } : {}) };
    void queue.run(() => retrieve(deps, request.question, request.product)).then(
      (result): void => port.postMessage({ id: request.id, ok: true, result } satisfies RetrievalReply),
      (error: unknown): void => port.postMessage({ id: request.id, ok: false, error: describe(error) } satisfies RetrievalReply),
    );
  });
}

/** What the calling thread needs to rebuild the error for the user: a KotaeError keeps its code and hint. */
function describe(error: unknown): Extract<RetrievalReply, { ok: false }>['error'] {
  if (error instanceof KotaeError) return { message: error.message, code: error.code, ...(error.hint === undefined ? {} : { hint: error.hint }) };
  return { message: error instanceof Error ? error.message : String(error), ...(error instanceof Error && error.stack ? { stack: error.stack } : {}) };
}

await serve();
