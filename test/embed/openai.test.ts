import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { decodeBase64Float32, OpenAIEmbedder } from '../../src/embed/openai.js';

const config = (over: Partial<Config['openai']> = {}): Config['openai'] => ({
  apiKey: 'kotae-embed-key-1234',
  baseURL: undefined,
  model: 'gpt-4o-mini',
  embeddingModel: 'test-embed',
  timeoutMs: 5_000,
  maxRetries: 0,
  ...over,
});
const logger = createLogger('silent');

/** Vector for "text-<n>": [n, n + 0.5, -1]; exact in float32 for small n. */
const vectorFor = (input: string): number[] => {
  const n = Number(input.split('-')[1] ?? 0);
  return [n, n + 0.5, -1];
};
const base64 = (v: number[]): string => Buffer.from(new Float32Array(v).buffer).toString('base64');

interface EmbedRequest {
  model: string;
  input: string[];
  encoding_format?: string;
}

beforeEach(() => nock.disableNetConnect());
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describe('OpenAIEmbedder', () => {
  it('batches 600 texts into 3 requests and decodes base64 float32 in order', async () => {
    const requests: EmbedRequest[] = [];
    nock('https://api.openai.com')
      .post('/v1/embeddings')
      .times(3)
      .reply((_uri, body) => {
        const req = body as EmbedRequest;
        requests.push(req);
        // Out of order on purpose: the embedder must sort by index.
        const data = req.input.map((t, index) => ({ object: 'embedding', index, embedding: base64(vectorFor(t)) })).reverse();
        return [200, { object: 'list', data, model: req.model, usage: { prompt_tokens: 1, total_tokens: 1 } }];
      });
    const embedder = new OpenAIEmbedder(config(), { logger });
    expect(embedder.id).toBe('openai:test-embed');
    expect(embedder.dimensions).toBe(0); // unknown model: detected from the first response

    const texts = Array.from({ length: 600 }, (_, i) => `text-${i}`);
    const vectors = await embedder.embed(texts);

    expect(requests.map((r) => r.input.length)).toEqual([256, 256, 88]);
    expect(requests.every((r) => r.model === 'test-embed' && r.encoding_format === 'base64')).toBe(true);
    expect(vectors).toHaveLength(600);
    expect(vectors[0]).toEqual([0, 0.5, -1]);
    expect(vectors[599]).toEqual([599, 599.5, -1]);
    expect(embedder.dimensions).toBe(3);
    expect(nock.isDone()).toBe(true);
  });

  it('accepts plain float arrays from compatible servers, and knows OpenAI model sizes up front', async () => {
    nock('http://localhost:11434')
      .post('/v1/embeddings')
      .reply(200, { data: [{ index: 0, embedding: [0.25, -0.5] }, { index: 1, embedding: [1, 2] }] });
    const embedder = new OpenAIEmbedder(config({ apiKey: undefined, baseURL: 'http://localhost:11434/v1', embeddingModel: 'nomic-embed-text' }), { logger });
    expect(await embedder.embed(['a', ''])).toEqual([[0.25, -0.5], [1, 2]]);
    expect(new OpenAIEmbedder(config({ embeddingModel: 'text-embedding-3-small' }), { logger }).dimensions).toBe(1536);
  });

  it('makes no request for no texts, and reports failures as upstream errors without the key', async () => {
    const embedder = new OpenAIEmbedder(config(), { logger });
    expect(await embedder.embed([])).toEqual([]);
    nock('https://api.openai.com').post('/v1/embeddings').reply(401, { error: { message: 'Incorrect API key provided' } });
    const error = await embedder.embed(['x']).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'upstream' });
    expect(String((error as Error).message)).toContain('HTTP 401');
    expect(String((error as Error).message)).not.toContain('kotae-embed-key-1234');
  });

  it('rejects vectors whose size changes', async () => {
    nock('https://api.openai.com')
      .post('/v1/embeddings')
      .reply(200, { data: [{ index: 0, embedding: base64([1, 2, 3]) }] })
      .post('/v1/embeddings')
      .reply(200, { data: [{ index: 0, embedding: base64([1, 2]) }] });
    const embedder = new OpenAIEmbedder(config(), { logger });
    await embedder.embed(['a']);
    await expect(embedder.embed(['b'])).rejects.toThrow(/2-dimensional vectors, expected 3/);
  });

  it('decodes little-endian float32 base64', () => {
    expect(decodeBase64Float32(base64([1.5, -2, 0]))).toEqual([1.5, -2, 0]);
    expect(() => decodeBase64Float32('AAA=')).toThrow(/multiple of 4/);
  });
});
