/**
 * The `words` column (content words by base form, src/retrieve/words.ts) on an index written
 * before it existed: the index is still read and searched, and the next ingest fills it,
 * without the files having changed.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as lancedb from '@lancedb/lancedb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingest } from '../../src/ingest.js';
import { noEmbedder } from '../../src/embed/embedder.js';
import { PassageStore } from '../../src/store/store.js';
import { lancedbDir, published } from '../../src/store/generations.js';
import { PASSAGES_TABLE, storedWords } from '../../src/store/schema.js';
import { gather } from '../../src/retrieve/retrieve.js';
import { loadLexicon } from '../../src/retrieve/lexicon.js';

let dir: string;
let corpus: string;
let data: string;

const POLICY = '# 入退館\n\n入館の手順を定め、受付で記録しております。\n\n# 訓練\n\n年に一度、避難訓練を実施しております。\n';

async function ingestOnce(): Promise<PassageStore> {
  const store = await PassageStore.open(data, noEmbedder, { write: true });
  await ingest({ corpusDir: corpus, store, embedder: noEmbedder });
  return store;
}

/** The published table opened directly, as an older kotae would have left it. */
async function table(): Promise<lancedb.Table> {
  const generation = published(data)?.pointer.generation ?? '';
  return (await lancedb.connect(lancedbDir(data, generation))).openTable(PASSAGES_TABLE);
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kotae-words-'));
  corpus = join(dir, 'corpus');
  data = join(dir, 'data');
  mkdirSync(corpus);
  writeFileSync(join(corpus, 'site.md'), POLICY);
  writeFileSync(join(corpus, 'manifest.json'), JSON.stringify([{ file: 'site.md', product: 'alpha', format: 'markdown', vendor: 'Example K.K.', title: 'Site policy', language: 'ja' }]));
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the words column', () => {
  it('stores each passage’s base forms at ingest', async () => {
    const store = await ingestOnce();
    const [passage] = (await store.smallProduct('alpha')) ?? [];
    expect(passage && storedWords(passage)).toEqual(expect.arrayContaining(['入館', '手順', '定める']));
  });

  it('an index without it is still searched, and the next ingest fills it', async () => {
    await ingestOnce();
    await (await table()).dropColumns(['words']);

    const old = await PassageStore.open(data, noEmbedder);
    const passages = (await old.smallProduct('alpha')) ?? [];
    expect(passages.length).toBeGreaterThan(0);
    expect(passages.map(storedWords)).toEqual(passages.map(() => undefined));
    const g = await gather({ store: old, embedder: noEmbedder, lexicon: loadLexicon() }, '入館の手順は定められていますか', 'alpha');
    const top = g.candidates.map((c, i) => ({ c, s: g.view.wordShare[i] ?? 0 })).sort((a, b) => b.s - a.s)[0];
    expect(top?.c.passage.sectionPath).toContain('入退館');

    const store = await ingestOnce();
    expect(await (await table()).countRows('words IS NULL')).toBe(0);
    const filled = (await store.smallProduct('alpha')) ?? [];
    expect(filled.every((p) => (storedWords(p)?.length ?? 0) > 0)).toBe(true);
  });
});
