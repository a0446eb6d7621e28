import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingest } from '../../src/ingest.js';
import { noEmbedder, type Embedder } from '../../src/embed/embedder.js';
import { PassageStore } from '../../src/store/store.js';
import { ManifestError, StoreMismatchError } from '../../src/errors.js';
import type { Passage } from '../../src/domain.js';

let dir: string;
let corpus: string;
let data: string;

function writeManifest(entries: { file: string; product: string; format: string }[]): void {
  writeFileSync(
    join(corpus, 'manifest.json'),
    JSON.stringify(entries.map((e) => ({ ...e, vendor: 'Example K.K.', title: `${e.file} policy`, language: 'ja' }))),
  );
}

const POLICY_A = '# アクセス管理\n\n管理者アカウントには多要素認証を必須としております。\n\n# バックアップ\n\n毎日バックアップを取得し、30日間保持しております。\n';
const POLICY_B = '# 暗号化\n\n通信はTLS1.2以上で暗号化しております。\n';

async function run(embedder: Embedder = noEmbedder) {
  const store = await PassageStore.open(data, embedder, { write: true });
  return { store, report: await ingest({ corpusDir: corpus, store, embedder }) };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kotae-ingest-'));
  corpus = join(dir, 'corpus');
  data = join(dir, 'data');
  mkdirSync(corpus);
  writeFileSync(join(corpus, 'a.md'), POLICY_A);
  writeFileSync(join(corpus, 'b.md'), POLICY_B);
  writeManifest([
    { file: 'a.md', product: 'alpha', format: 'markdown' },
    { file: 'b.md', product: 'beta', format: 'markdown' },
  ]);
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('ingest', () => {
  it('is idempotent: a second run skips unchanged files and writes nothing', async () => {
    const first = await run();
    expect(first.report.files.map((f) => f.action)).toEqual(['added', 'added']);
    const rows = await first.store.count();
    expect(rows).toBeGreaterThanOrEqual(3);
    const second = await run();
    expect(second.report.files.map((f) => f.action)).toEqual(['unchanged', 'unchanged']);
    expect(second.report.corpusVersion).toBe(first.report.corpusVersion);
    expect(await second.store.count()).toBe(rows);
  });

  it('replaces exactly the rows of a changed file and reports the changed passages', async () => {
    const { store } = await run();
    const betaBefore = await store.count("product = 'beta'");
    writeFileSync(join(corpus, 'a.md'), POLICY_A.replace('30日間', '90日間'));
    const { report } = await run();
    expect(report.files.find((f) => f.file === 'a.md')?.action).toBe('updated');
    expect(report.files.find((f) => f.file === 'b.md')?.action).toBe('unchanged');
    expect(report.changedIds).toHaveLength(1);
    const [changed] = await store.getByIds(report.changedIds);
    expect(changed?.answer).toContain('90日間');
    expect(await store.count("product = 'beta'")).toBe(betaBefore);
    expect(await store.count("product = 'alpha'")).toBe(2);
  });

  it('removes the rows of a file that left the manifest', async () => {
    const first = await run();
    const betaIds = (await first.store.count("product = 'beta'"));
    expect(betaIds).toBeGreaterThan(0);
    writeManifest([{ file: 'a.md', product: 'alpha', format: 'markdown' }]);
    const { store, report } = await run();
    expect(report.files.find((f) => f.file === 'b.md')?.action).toBe('removed');
    expect(report.changedIds.length).toBe(betaIds);
    expect(await store.count("product = 'beta'")).toBe(0);
  });

  it('reports a corrupt file by name, skips it and still ingests the rest', async () => {
    writeFileSync(join(corpus, 'b.md'), Buffer.from([0x00, 0xff, 0x13, 0x00, 0x88, 0x00, 0x01, 0x02]));
    const { store, report } = await run();
    const bad = report.files.find((f) => f.file === 'b.md');
    expect(bad?.action).toBe('failed');
    expect(bad?.error).toContain('b.md');
    expect(report.failed).toBe(1);
    expect(await store.count("product = 'alpha'")).toBe(2);
  });

  it('names the manifest and field when the manifest is malformed', async () => {
    writeFileSync(join(corpus, 'manifest.json'), JSON.stringify([{ file: 'a.md', product: 'alpha', title: 't', language: 'ja', format: 'docx' }]));
    const store = await PassageStore.open(data, noEmbedder, { write: true });
    const failure = ingest({ corpusDir: corpus, store, embedder: noEmbedder });
    await expect(failure).rejects.toBeInstanceOf(ManifestError);
    await expect(ingest({ corpusDir: corpus, store, embedder: noEmbedder })).rejects.toThrow(/manifest\.json.*format/);
  });

  it('refuses to mix vectors from another embedder and says to rebuild', async () => {
    await run();
    const other: Embedder = { id: 'openai:text-embedding-3-small', dimensions: 4, embed: async (t) => t.map(() => [0, 0, 0, 1]) };
    await expect(PassageStore.open(data, other)).rejects.toBeInstanceOf(StoreMismatchError);
    await expect(PassageStore.open(data, other)).rejects.toMatchObject({ hint: expect.stringContaining('--rebuild') });
    const rebuilt = await PassageStore.open(data, other, { write: true, rebuild: true });
    expect(rebuilt.meta.embedder).toBe(other.id);
    expect(await rebuilt.count()).toBe(0);
  });

  it('makes the answer library match the review record: missing answers added, withdrawn ones removed', async () => {
    const approved: Passage = {
      id: 'review#7',
      product: 'alpha',
      kind: 'approved',
      source: 'review',
      title: 'Approved answers',
      locator: 'review #7',
      line: null,
      page: null,
      sectionPath: [],
      ref: '7',
      requirement: 'Do you require MFA for administrators?',
      answer: 'Yes, for every administrator account.',
      status: 'yes',
    };
    const store = await PassageStore.open(data, noEmbedder, { write: true });
    await ingest({ corpusDir: corpus, store, embedder: noEmbedder, approved: async () => [approved] });
    expect(await store.getByIds(['review#7'])).toHaveLength(1);
    // Unchanged files, unchanged record: nothing to do, the answer stays.
    const again = await ingest({ corpusDir: corpus, store, embedder: noEmbedder, approved: async () => [approved] });
    expect(again.files.every((f) => f.action === 'unchanged')).toBe(true);
    expect(await store.getByIds(['review#7'])).toHaveLength(1);
    // The review record no longer holds it (rejected, stale): the index drops it.
    await ingest({ corpusDir: corpus, store, embedder: noEmbedder, approved: async () => [] });
    expect(await store.getByIds(['review#7'])).toHaveLength(0);
  });
});

