/**
 * Embedding providers behind one interface. `id` is recorded in the store so that a store
 * built by one embedder is never queried with vectors from another.
 */
export interface Embedder {
  /** e.g. `none` or `openai:text-embedding-3-small`. */
  readonly id: string;
  /** Vector length; 0 for the lexical-only (offline) embedder. */
  readonly dimensions: number;
  /** Embeds texts in order; implementations batch requests themselves. */
  embed(texts: string[], options?: { signal?: AbortSignal }): Promise<number[][]>;
}

/** The offline default: no vectors, retrieval is full-text only. */
export const noEmbedder: Embedder = {
  id: 'none',
  dimensions: 0,
  embed: async (texts) => texts.map(() => []),
};
