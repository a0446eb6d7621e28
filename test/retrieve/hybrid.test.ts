/**
 * Hybrid retrieval end to end: an OpenAI-compatible embeddings endpoint (nock) with a
 * deterministic fake model, real ingest into real LanceDB, and the app's ask path.
 *
 * The fake model: a few "concept" dimensions, where English and Japanese words of one idea
 * land on the same dimension (as a real multilingual model would put them near each other),
 * plus hashed character bigrams, so that every text has a direction of its own. The
 * synthetic word "zorblax" means 免震 (seismic isolation) to this model only: no row
 * contains it and the query expander does not know it, so only the vector side can connect it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MatchQuery } from '@lancedb/lancedb';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config.js';
import { createApp, runIngest, type App } from '../../src/app.js';
import type { Embedder } from '../../src/embed/embedder.js';
import { StoreMismatchError } from '../../src/errors.js';
import { createLogger } from '../../src/log.js';
import { loadLexicon } from '../../src/retrieve/lexicon.js';
import { retrieve } from '../../src/judge/retrieval.js';
import type { IngestReport } from '../../src/ingest.js';

const BASE = 'http://embeddings.test';
/** text-embedding-3-small, the default model: its size is known, so no probe request is made. */
const DIMS = 1536;
const CONCEPTS: { words: string[]; weight: number }[] = [
  { words: ['データセンター', 'data center'], weight: 1 },
  { words: ['免震', 'zorblax'], weight: 3 },
  { words: ['暗号', 'encrypt'], weight: 1 },
  { words: ['バックアップ', 'backup'], weight: 1 },
];

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function fakeEmbedding(input: string): number[] {
  const v = new Array<number>(DIMS).fill(0);
  const text = input.normalize('NFKC').toLowerCase();
  CONCEPTS.forEach((c, dim) => {
    if (c.words.some((w) => text.includes(w))) v[dim] = c.weight;
  });
  for (let i = 0; i + 1 < text.length; i++) {
    const slot = CONCEPTS.length + (fnv1a(text.slice(i, i + 2)) % (DIMS - CONCEPTS.length - 1));
    v[slot] = (v[slot] ?? 0) + 0.05;
  }
  v[DIMS - 1] = 0.1; // never the zero vector
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

const base64 = (v: number[]): string => Buffer.from(new Float32Array(v).buffer).toString('base64');

interface EmbeddingsRequest {
  model: string;
  input: string | string[];
  encoding_format?: string;
}

/** Inputs of every request the endpoint received, in order, and the encoding each asked for. */
const requests: string[][] = [];
const formats = new Set<string | undefined>();

const QUAKE = [
  // D1: the strongest full-text match for データセンター (four mentions, short).
  '# データセンター\n\nデータセンターは国内のデータセンター事業者の施設を利用しております。',
  // T: mentions the data center once, and seismic isolation.
  '# 建物の安全性\n\n当社が利用するデータセンターの建物は免震構造を採用し、震度7相当の地震にも耐える設計です。',
  // E: seismic isolation, but not the data center.
  '# 地震への備え\n\n本社オフィスの建物は免震構造であり、地震発生時の初動手順を定めております。',
  '# 暗号化\n\n通信はTLS1.2以上で暗号化しております。保存データはAES-256で暗号化しております。',
  '# バックアップ\n\n毎日バックアップを取得し、30日間保持しております。',
  '# アクセス管理\n\n管理者アカウントには多要素認証を必須としております。',
].join('\n\n');
/** Heading lines of the QUAKE sections: L1, L5, L9, ... */
const id = (section: number): string => `quake/quake.md#L${4 * section + 1}`;
const D1 = id(0);
const T = id(1);
const E = id(2);
const BULK_SECTIONS = 600;

let dir: string;
let config: Config;
let app: App;
let report: IngestReport;
const logger = createLogger('silent');

beforeAll(async () => {
  nock.disableNetConnect();
  nock(BASE)
    .persist()
    .post('/v1/embeddings')
    .reply((_uri, body) => {
      const req = body as EmbeddingsRequest;
      const input = Array.isArray(req.input) ? req.input : [req.input];
      requests.push(input);
      formats.add(req.encoding_format);
      const data = input.map((text, index) => {
        const vector = fakeEmbedding(text);
        return { object: 'embedding', index, embedding: req.encoding_format === 'base64' ? base64(vector) : vector };
      });
      return [200, { object: 'list', data, model: req.model, usage: { prompt_tokens: 1, total_tokens: 1 } }];
    });

  dir = mkdtempSync(join(tmpdir(), 'kotae-hybrid-'));
  const corpus = join(dir, 'corpus');
  mkdirSync(corpus);
  writeFileSync(join(corpus, 'quake.md'), QUAKE);
  const bulk: string[] = [];
  for (let s = 0; s < BULK_SECTIONS; s++) bulk.push(`# 管理策${s}`, '', `第${s}項:アクセス権限は四半期ごとに見直しております。`, '');
  writeFileSync(join(corpus, 'bulk.md'), bulk.join('\n'));
  writeFileSync(
    join(corpus, 'manifest.json'),
    JSON.stringify([
      { file: 'quake.md', product: 'quake', vendor: 'Example K.K.', title: '設備の安全対策', format: 'markdown', language: 'ja' },
      { file: 'bulk.md', product: 'bulk', vendor: 'Example K.K.', title: 'アクセス管理規程', format: 'markdown', language: 'ja' },
    ]),
  );
  config = {
    ...loadConfig({
      KOTAE_EMBEDDINGS: 'openai',
      OPENAI_BASE_URL: `${BASE}/v1`,
      OPENAI_API_KEY: 'test',
      OPENAI_MAX_RETRIES: '0',
      KOTAE_DRAFTER: 'extractive',
      KOTAE_LOG_LEVEL: 'silent',
    }),
    dataDir: join(dir, 'data'),
    corpusDir: corpus,
  };
  report = await runIngest(config, { logger });
  app = await createApp(config, { logger });
});

afterAll(() => {
  app?.close();
  nock.cleanAll();
  nock.enableNetConnect();
  rmSync(dir, { recursive: true, force: true });
});

/** The configured embedder, minus its vectors: what retrieval does with full-text search alone. */
const lexicalOnly = (embedder: Embedder): Embedder => ({ id: embedder.id, dimensions: embedder.dimensions, embed: async (t) => t.map(() => []) });

describe('hybrid retrieval with an OpenAI-compatible embeddings endpoint', () => {
  it('ingests with vectors from the endpoint, in batches of at most 256 inputs per file', async () => {
    expect(report.failed).toBe(0);
    const rows = Object.fromEntries(report.files.map((f) => [f.file, f.rows]));
    expect(rows).toEqual({ 'quake.md': 6, 'bulk.md': BULK_SECTIONS });
    // One embed call per file: ceil(6/256) + ceil(600/256) requests, 256 inputs at most each.
    expect(requests.map((r) => r.length)).toEqual([6, 256, 256, 88]);
    expect(requests.length).toBe(report.files.reduce((n, f) => n + Math.ceil(f.rows / 256), 0));
    // Vectors travel as base64 float32 and are decoded exactly (checked by the self-match below).
    expect([...formats]).toEqual(['base64']);

    const store = app.store;
    expect(store.meta.embedder).toBe('openai:text-embedding-3-small');
    expect(store.meta.dimensions).toBe(DIMS);
    expect(await store.count()).toBe(6 + BULK_SECTIONS);
    // The stored vectors are the endpoint's embeddings of each passage: T's own text finds T.
    const [self] = await store.nearest(fakeEmbedding((await store.getByIds([T]))[0]?.answer ?? ''), 'quake', 1);
    expect(self?.passage.id).toBe(T);
    // Vector search stays within the product.
    expect((await store.nearest(fakeEmbedding('免震'), 'bulk', 5)).every((r) => r.passage.product === 'bulk')).toBe(true);
  });

  it('answers with citations, embedding the question through the endpoint', async () => {
    const before = requests.length;
    const { draft } = await app.ask('Is communication encrypted?', 'quake');
    expect(requests.slice(before)).toEqual([['Is communication encrypted?']]);
    expect(draft.abstained).toBe(false);
    expect(draft.citations.length).toBeGreaterThan(0);
    expect(draft.citations[0]?.source).toBe('quake.md');
    expect(draft.citations[0]?.text).toContain('暗号化');
  });

  it('finds a row that only the vectors connect to the question', async () => {
    const question = 'zorblax';
    // No lexical path: the row text has no n-gram of the question, and the expander ignores it.
    expect(await app.store.fullText(new MatchQuery(question, 'text'), 'quake', 40)).toEqual([]);
    const lexicon = loadLexicon();
    const plain = await retrieve({ store: app.store, embedder: lexicalOnly(app.embedder), lexicon }, question, 'quake');
    // Nothing lexical to go on: every row scores the same, and kotae declines.
    expect(new Set(plain.ranked.map((h) => h.score)).size).toBe(1);
    expect(plain.abstained).toBe(true);

    const hybrid = await retrieve({ store: app.store, embedder: app.embedder, lexicon }, question, 'quake');
    // The vectors bring the nearest rows in as candidates, the nearest first by relevance...
    const relevance = (id: string): number => hybrid.ranked.find((h) => h.passage.id === id)?.features.rel ?? 0;
    expect(relevance(E)).toBe(1);
    expect(relevance(T)).toBeGreaterThan(relevance(D1));
    // ...but with no word of the question in them, the offline judgement does not assert an answer.
    expect(hybrid.abstained).toBe(true);
  });

  it('fuses the vectors’ preference into the relevance the judgement weighs', async () => {
    // Both D1 and T mention the data center; full-text search prefers D1 (four mentions),
    // the question's "zorblax" (= seismic isolation, to the model) makes T the nearer row.
    const question = 'Is the data center zorblax?';
    const lexicon = loadLexicon();
    const plain = await retrieve({ store: app.store, embedder: lexicalOnly(app.embedder), lexicon }, question, 'quake');
    expect(plain.hits[0]?.passage.id).toBe(D1);
    const relevance = (r: typeof plain, id: string): number => r.ranked.find((h) => h.passage.id === id)?.features.rel ?? 0;
    expect(relevance(plain, T)).toBeLessThan(relevance(plain, D1));

    const hybrid = await retrieve({ store: app.store, embedder: app.embedder, lexicon }, question, 'quake');
    expect(relevance(hybrid, T)).toBeGreaterThan(relevance(plain, T));
    const { draft } = await app.ask(question, 'quake');
    expect(draft.abstained).toBe(false);
    expect(draft.citations.map((c) => c.id)).toContain(D1);
  });

  it('refuses the vector store once embeddings are switched off, and --rebuild makes it lexical', async () => {
    const none: Config = { ...config, embeddings: 'none' };
    await expect(createApp(none, { logger })).rejects.toBeInstanceOf(StoreMismatchError);
    await expect(createApp(none, { logger })).rejects.toMatchObject({
      message: expect.stringContaining('openai:text-embedding-3-small'),
      remedy: 'rebuild-index',
    });
    // A plain re-ingest refuses too rather than mixing stores; nothing was written.
    await expect(runIngest(none, { logger })).rejects.toBeInstanceOf(StoreMismatchError);
    expect(await app.store.count()).toBe(6 + BULK_SECTIONS);

    const before = requests.length;
    const rebuilt = await runIngest(none, { logger, rebuild: true });
    expect(rebuilt.failed).toBe(0);
    expect(requests.length).toBe(before);
    const lexical = await createApp(none, { logger });
    try {
      expect(lexical.store.meta).toMatchObject({ embedder: 'none', dimensions: 0 });
      expect(await lexical.store.count()).toBe(6 + BULK_SECTIONS);
      const { draft } = await lexical.ask('Is communication encrypted?', 'quake');
      expect(draft.citations[0]?.text).toContain('暗号化');
      expect(requests.length).toBe(before);
    } finally {
      lexical.close();
    }
    // ...and the openai configuration is now the mismatched one.
    await expect(createApp(config, { logger })).rejects.toBeInstanceOf(StoreMismatchError);
  });
});
