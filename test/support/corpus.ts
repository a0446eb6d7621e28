/**
 * A corpus of the test's own: one document and its manifest entry (or one product's policies
 * from test/fixtures/) in a new temp directory, beside an empty data directory, so a test
 * ingests text it wrote rather than the shipped sample (and never an evaluation set's).
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { z } from 'zod';
import { createApp, runIngest, type App } from '../../src/app.js';
import type { LocalAskOptions } from '../../src/ask-local.js';
import { loadConfig } from '../../src/config.js';
import type { ManifestEntry, Passage } from '../../src/domain.js';
import { createLogger } from '../../src/log.js';
import { databaseEnv, testDatabaseConfig } from './db.js';
import { noEmbedder } from '../../src/embed/embedder.js';
import { loadLexicon, type Lexicon } from '../../src/retrieve/lexicon.js';
import { PassageStore } from '../../src/store/store.js';

export interface TempCorpus {
  root: string;
  corpusDir: string;
  dataDir: string;
}

export function tempCorpus(prefix: string, entry: z.input<typeof ManifestEntry>, text: string): TempCorpus {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const corpusDir = join(root, 'corpus');
  mkdirSync(corpusDir);
  writeFileSync(join(corpusDir, entry.file), text);
  writeFileSync(join(corpusDir, 'manifest.json'), JSON.stringify([entry]));
  return { root, corpusDir, dataDir: join(root, 'data') };
}

/** One made-up product's English markdown policies, kept under test/fixtures/<folder>/. */
export interface PolicyFixture {
  folder: string;
  product: string;
  vendor: string;
  policies: Array<{ file: string; title: string }>;
}

/** The made-up SaaS "Orbitline": access control, backup and incident response (test/fixtures/policies/). */
export const ORBITLINE: PolicyFixture = {
  folder: 'policies',
  product: 'orbitline',
  vendor: 'Orbitline',
  policies: [
    { file: 'access-control.md', title: 'Orbitline Access Control Policy' },
    { file: 'backup.md', title: 'Orbitline Backup Policy' },
    { file: 'incident-response.md', title: 'Orbitline Incident Response Policy' },
  ],
};

/** A fixture's policies and their manifest, copied into a new temp directory. */
export function policyCorpus(prefix: string, fixture: PolicyFixture): TempCorpus {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const corpusDir = join(root, 'corpus');
  mkdirSync(corpusDir);
  for (const p of fixture.policies) copyFileSync(new URL(`../fixtures/${fixture.folder}/${p.file}`, import.meta.url), join(corpusDir, p.file));
  const manifest = fixture.policies.map((p) => ({ file: p.file, product: fixture.product, vendor: fixture.vendor, title: p.title, format: 'markdown', language: 'en' }));
  writeFileSync(join(corpusDir, 'manifest.json'), JSON.stringify(manifest));
  return { root, corpusDir, dataDir: join(root, 'data') };
}

/**
 * A one-checksheet product of the test's own, ingested offline (extractive drafter, one row at
 * a time, silent log) into the suite's database: `base` is the environment the CLI then runs
 * with, for the test to add who is asking.
 */
export async function ingestedChecksheet(prefix: string, product: string, checksheet: string): Promise<{ made: TempCorpus; base: Record<string, string> }> {
  const made = tempCorpus(prefix, { file: `${product}.txt`, product, vendor: null, title: `${product} checksheet`, format: 'checksheet-text', language: 'ja' }, checksheet);
  const base = {
    KOTAE_DATA_DIR: made.dataDir,
    KOTAE_CORPUS_DIR: made.corpusDir,
    KOTAE_DRAFTER: 'extractive',
    KOTAE_CONCURRENCY: '1',
    KOTAE_LOG_LEVEL: 'silent',
    ...databaseEnv(await testDatabaseConfig(made.dataDir)),
  };
  await runIngest(loadConfig(base), { logger: createLogger('silent') });
  return { made, base };
}

export interface AppOptions {
  /** Settings over the offline defaults (KOTAE_DRAFTER, KOTAE_APPROVERS…). */
  env?: Record<string, string>;
  /** Keep the workflow state (reviews, decisions) in the suite's database: PostgreSQL on a PostgreSQL run. */
  suiteDatabase?: boolean;
  /** The test's own judgement (./judges.ts) instead of the committed weights' thresholds. */
  judge?: LocalAskOptions['judge'];
}

/**
 * The app over a corpus of the test's own, ingested as `kotae ingest` would (offline defaults,
 * silent log): what a spec asks through `app.ask`. `close` closes it and removes the corpus.
 */
export async function appOver(made: TempCorpus, options: AppOptions = {}): Promise<{ app: App; close: () => Promise<void> }> {
  const database = options.suiteDatabase ? await testDatabaseConfig(made.dataDir) : { dataDir: made.dataDir };
  const config = { ...loadConfig({ KOTAE_LOG_LEVEL: 'silent', ...options.env }), ...database, corpusDir: made.corpusDir };
  const logger = createLogger('silent');
  const report = await runIngest(config, { logger });
  if (report.failed > 0) throw new Error(`ingest failed for ${report.failed} file(s)`);
  const app = await createApp(config, { logger, ...(options.judge ? { judge: options.judge } : {}) });
  return {
    app,
    close: async () => {
      await app.close();
      rmSync(made.root, { recursive: true, force: true });
    },
  };
}

/**
 * Rows of a made-up checksheet of one section, as ingest stores them (id `product/product.txt#Ln`,
 * ref `1-n`, marked yes): for a test that writes rows to a store directly, without parsing a file.
 */
export function sectionRows(product: string, title: string, texts: ReadonlyArray<readonly [string, string]>): Passage[] {
  return texts.map(([requirement, answer], i) => ({
    id: `${product}/${product}.txt#L${i + 1}`,
    product,
    kind: 'control',
    source: `${product}.txt`,
    title,
    locator: `L${i + 1}`,
    line: i + 1,
    page: null,
    sectionPath: ['1 セキュリティ'],
    ref: `1-${i + 1}`,
    requirement,
    answer,
    status: 'yes',
  }));
}

/**
 * A store on a temporary directory holding one made-up section (sectionRows), with what
 * retrieval needs to read it: for a spec that asks questions of a few rows of its own.
 * `close` removes the directory.
 */
export async function sectionStore(
  product: string,
  title: string,
  texts: ReadonlyArray<readonly [string, string]>,
): Promise<{ deps: () => { store: PassageStore; embedder: typeof noEmbedder; lexicon: Lexicon }; close: () => void }> {
  const root = mkdtempSync(join(tmpdir(), `kotae-${product}-`));
  const store = await PassageStore.open(join(root, 'data'), noEmbedder, { write: true });
  await store.replaceFile(product, `${product}.txt`, 'v1', sectionRows(product, title, texts), []);
  const lexicon = loadLexicon();
  return { deps: () => ({ store, embedder: noEmbedder, lexicon }), close: () => rmSync(root, { recursive: true, force: true }) };
}
