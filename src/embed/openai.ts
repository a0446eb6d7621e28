/**
 * OpenAI (or OpenAI-compatible: Azure v1, Ollama, vLLM) embeddings, and the one place an
 * OpenAI client is built from config.
 *
 * Requests are batched (256 inputs, and a character budget per request) and sent one at
 * a time to stay friendly to rate limits; the SDK retries 429/5xx (maxRetries). Vectors
 * are requested as base64 float32 explicitly and decoded here, which also accepts servers
 * that ignore `encoding_format` and answer with plain number arrays.
 */
import OpenAI, { APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { z } from 'zod';
import type { Config } from '../config.js';
import { ConfigError, KotaeError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Embedder } from './embedder.js';

export type OpenAIConfig = Config['openai'];

/**
 * Builds the SDK client with explicit timeout and retries from config. The key comes only
 * from config (never read from the environment here); an OpenAI-compatible server reached
 * through OPENAI_BASE_URL may need no key, in which case a placeholder is sent. SDK logs
 * go through our redacting logger.
 */
export function createOpenAIClient(config: OpenAIConfig, logger: Logger): OpenAI {
  const apiKey = config.apiKey ?? (config.baseURL ? 'no-key' : undefined);
  if (!apiKey) throw new ConfigError('OPENAI_API_KEY', 'is required unless OPENAI_BASE_URL points at a server that needs none');
  const bridge = (log: (message: string, fields?: Record<string, unknown>) => void) =>
    (message: string, ...rest: unknown[]): void =>
      log(`openai sdk: ${message}`, rest.length > 0 ? { details: rest.map((r) => (r instanceof Error ? r.message : r)) } : undefined);
  return new OpenAI({
    apiKey,
    baseURL: config.baseURL ?? null,
    timeout: config.timeoutMs,
    maxRetries: config.maxRetries,
    logLevel: 'warn',
    logger: {
      error: bridge((m, f) => logger.error(m, f)),
      warn: bridge((m, f) => logger.warn(m, f)),
      info: bridge((m, f) => logger.info(m, f)),
      debug: bridge((m, f) => logger.debug(m, f)),
    },
  });
}

/** Default vector sizes of OpenAI's models, so `dimensions` is known before the first call. */
const KNOWN_DIMENSIONS: Record<string, number> = {
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  'text-embedding-ada-002': 1536,
};

export interface OpenAIEmbedderOptions {
  logger: Logger;
  /** Inputs per request (OpenAI allows 2048; 256 keeps requests small). */
  batchSize?: number;
  /** Max characters per request, summed over inputs (OpenAI caps a request at 300k tokens). */
  maxBatchChars?: number;
  /** Longer inputs are cut (OpenAI caps one input at 8192 tokens; Japanese is ~1 token/char). */
  maxInputChars?: number;
  /**
   * Requested vector size (text-embedding-3-* can shorten vectors); sent as `dimensions`.
   * When unset, the size is the model's known default or detected from the first response.
   */
  dimensions?: number;
  /** For tests or sharing one client; default built from config. */
  client?: OpenAI;
}

const EmbeddingItem = z.object({
  index: z.number().int().nonnegative(),
  embedding: z.union([z.string(), z.array(z.number())]),
});
const EmbeddingResponse = z.object({ data: z.array(EmbeddingItem) });

/** Base64 of little-endian float32 values (what OpenAI sends for `encoding_format: base64`). */
export function decodeBase64Float32(b64: string): number[] {
  const buf = Buffer.from(b64, 'base64');
  if (buf.length % 4 !== 0) throw new Error(`base64 embedding is ${buf.length} bytes, not a multiple of 4`);
  const out = new Array<number>(buf.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = buf.readFloatLE(i * 4);
  return out;
}

export class OpenAIEmbedder implements Embedder {
  readonly id: string;
  private dims: number;
  private readonly client: OpenAI;
  private readonly batchSize: number;
  private readonly maxBatchChars: number;
  private readonly maxInputChars: number;
  private readonly requestDimensions: number | undefined;
  private readonly logger: Logger;

  constructor(private readonly config: OpenAIConfig, options: OpenAIEmbedderOptions) {
    this.id = `openai:${config.embeddingModel}`;
    this.logger = options.logger;
    this.client = options.client ?? createOpenAIClient(config, options.logger);
    this.batchSize = Math.max(1, Math.min(2048, options.batchSize ?? 256));
    this.maxBatchChars = Math.max(1, options.maxBatchChars ?? 200_000);
    this.maxInputChars = Math.max(1, options.maxInputChars ?? 6_000);
    this.requestDimensions = options.dimensions;
    this.dims = options.dimensions ?? KNOWN_DIMENSIONS[config.embeddingModel] ?? 0;
  }

  /** Vector length: configured, the model's known default, or detected from the first response (0 before). */
  get dimensions(): number {
    return this.dims;
  }

  async embed(texts: string[], options?: { signal?: AbortSignal }): Promise<number[][]> {
    const out: number[][] = [];
    for (const batch of this.batches(texts)) {
      out.push(...(await this.embedBatch(batch, options?.signal)));
    }
    return out;
  }

  /** Splits into batches by count and total characters; empty inputs become " " (the API rejects ""). */
  private batches(texts: readonly string[]): string[][] {
    const batches: string[][] = [];
    let current: string[] = [];
    let chars = 0;
    for (const raw of texts) {
      const text = raw.trim() === '' ? ' ' : raw.length > this.maxInputChars ? raw.slice(0, this.maxInputChars) : raw;
      if (current.length > 0 && (current.length >= this.batchSize || chars + text.length > this.maxBatchChars)) {
        batches.push(current);
        current = [];
        chars = 0;
      }
      current.push(text);
      chars += text.length;
    }
    if (current.length > 0) batches.push(current);
    return batches;
  }

  private async embedBatch(input: string[], signal: AbortSignal | undefined): Promise<number[][]> {
    const started = Date.now();
    let raw: unknown;
    try {
      raw = await this.client.embeddings.create(
        {
          model: this.config.embeddingModel,
          input,
          encoding_format: 'base64',
          ...(this.requestDimensions !== undefined ? { dimensions: this.requestDimensions } : {}),
        },
        signal ? { signal } : undefined,
      );
    } catch (error) {
      if (error instanceof APIUserAbortError && signal?.aborted) throw error;
      throw new KotaeError('upstream', `openai embeddings failed: ${describeError(error, this.config.timeoutMs)}`,
        'Check OPENAI_API_KEY / OPENAI_BASE_URL / OPENAI_EMBEDDING_MODEL, or use KOTAE_EMBEDDINGS=none.', { cause: error });
    }
    const parsed = EmbeddingResponse.safeParse(raw);
    if (!parsed.success) {
      throw new KotaeError('upstream', `openai embeddings: unexpected response (${parsed.error.issues[0]?.message ?? 'invalid'})`);
    }
    const items = [...parsed.data.data].sort((a, b) => a.index - b.index);
    if (items.length !== input.length || items.some((item, i) => item.index !== i)) {
      throw new KotaeError('upstream', `openai embeddings: asked for ${input.length} vectors, got ${items.length}`);
    }
    const vectors = items.map((item) => (typeof item.embedding === 'string' ? decodeBase64Float32(item.embedding) : item.embedding));
    const size = vectors[0]?.length ?? 0;
    if (size === 0 || vectors.some((v) => v.length !== size)) {
      throw new KotaeError('upstream', 'openai embeddings: vectors are empty or of different lengths');
    }
    if (this.dims === 0) this.dims = size;
    else if (size !== this.dims) {
      throw new KotaeError('upstream', `openai embeddings: got ${size}-dimensional vectors, expected ${this.dims}`,
        'The model behind OPENAI_EMBEDDING_MODEL changed since the index was built.', { remedy: 'rebuild-index' });
    }
    this.logger.debug('openai embeddings', { model: this.config.embeddingModel, inputs: input.length, ms: Date.now() - started });
    return vectors;
  }
}

/** A short, key-free description of an SDK failure. */
export function describeError(error: unknown, timeoutMs: number): string {
  if (error instanceof APIConnectionTimeoutError) return `openai timeout after ${timeoutMs} ms`;
  if (error instanceof APIError && typeof error.status === 'number') {
    if (error.status === 429) return 'openai rate limited (HTTP 429) after retries';
    if (error.status >= 500) return `openai server error (HTTP ${error.status}) after retries`;
    if (error.status === 401 || error.status === 403) return `openai rejected the credentials (HTTP ${error.status})`;
    return `openai HTTP ${error.status}`;
  }
  if (error instanceof APIError) return `openai connection failed`;
  return error instanceof Error ? `openai error: ${error.message.slice(0, 200)}` : 'openai error';
}
