/**
 * Store reliability against real LanceDB on temp dirs, with ingest running in separate
 * processes: a SIGKILL mid-ingest, a reader racing a writer, and unreadable corpus files.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as lancedb from '@lancedb/lancedb';
import { MatchQuery, Operator } from '@lancedb/lancedb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ManifestEntry, Passage } from '../../src/domain.js';
import { noEmbedder } from '../../src/embed/embedder.js';
import { ingest } from '../../src/ingest.js';
import { parseMarkdown } from '../../src/corpus/markdown.js';
import { PassageStore } from '../../src/store/store.js';
import { PASSAGES_TABLE } from '../../src/store/schema.js';
import { lancedbDir, published } from '../../src/store/generations.js';
import { killChildren, ROOT, spawnTs } from '../support/spawn-ts.js';

const INGEST_CHILD = join(ROOT, 'test/store/fixtures/ingest-child.ts');
const FLIP_CHILD = join(ROOT, 'test/store/fixtures/flip-child.ts');

let dir: string;
let corpus: string;
let data: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kotae-reliability-'));
  corpus = join(dir, 'corpus');
  data = join(dir, 'data');
  mkdirSync(corpus);
});

afterEach(() => {
  // Only our own children, by pid, in case an assertion failed while one was running.
  killChildren();
  rmSync(dir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Seeded PRNG (mulberry32) so that a failing kill schedule can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function writeManifest(entries: { file: string; product: string; format: ManifestEntry['format'] }[]): void {
  writeFileSync(
    join(corpus, 'manifest.json'),
    JSON.stringify(entries.map((e) => ({ ...e, vendor: 'Example K.K.', title: `${e.file} の規程`, language: 'ja' }))),
  );
}

interface RawRow {
  id: string;
  product: string;
  source: string;
  file_hash: string;
  answer: string;
}

/** Every row of the table, read straight from LanceDB (one consistent version). */
async function rawRows(dataDir: string): Promise<RawRow[]> {
  const generation = published(dataDir)?.pointer.generation;
  if (generation === undefined) throw new Error(`no published index under ${dataDir}`);
  const db = await lancedb.connect(lancedbDir(dataDir, generation));
  try {
    const table = await db.openTable(PASSAGES_TABLE);
    try {
      return (await table.query().select(['id', 'product', 'source', 'file_hash', 'answer']).toArray()) as RawRow[];
    } finally {
      table.close();
    }
  } finally {
    db.close();
  }
}

// ---------------------------------------------------------------------------------------
// 1. SIGKILL during ingest
// ---------------------------------------------------------------------------------------

/** One marker per corpus version; no two share a character, so an AND match finds exactly one version. */
const MARKS = ['甲乙丙', '丁戊己', '庚辛壬', '癸子丑', '寅卯辰', '巳午未', '申酉戌', '亥天地'];
const FILES = Array.from({ length: 6 }, (_, f) => ({ file: `p${f}.md`, product: f < 3 ? 'alpha' : 'beta' }));
/** Each version has a different number of sections, so a half-replaced file also shows in its row count. */
const sectionsOf = (version: number): number => 300 + 17 * version;

function policyVersion(fileIndex: number, version: number): string {
  const out: string[] = [];
  for (let s = 0; s < sectionsOf(version); s++) {
    out.push(
      `# 第${s + 1}条 管理策${s}`,
      '',
      `${MARKS[version]} ファイル${fileIndex} 第${s}項:管理者はアクセス権限を定期的に見直し、バックアップを毎日取得しております。`,
      '',
    );
  }
  return out.join('\n');
}

function writeCorpusVersion(version: number): void {
  FILES.forEach(({ file }, f) => writeFileSync(join(corpus, file), policyVersion(f, version)));
}

/** Section headings sit on lines 1, 5, 9, ...: the ids a file at `version` must have, no more, no fewer. */
function expectedIds(product: string, file: string, version: number): string[] {
  return Array.from({ length: sectionsOf(version) }, (_, s) => `${product}/${file}#L${4 * s + 1}`);
}

/**
 * The version each file is at, checking that the file is wholly at that version: one
 * marker, one content hash, exactly that version's ids, no id twice in the table.
 */
async function fileVersions(dataDir: string): Promise<{ versions: Map<string, number>; problems: string[] }> {
  const rows = await rawRows(dataDir);
  const problems: string[] = [];
  const perId = new Map<string, number>();
  for (const row of rows) perId.set(row.id, (perId.get(row.id) ?? 0) + 1);
  const duplicated = [...perId].filter(([, n]) => n > 1);
  if (duplicated.length > 0) problems.push(`${duplicated.length} ids stored more than once, e.g. ${duplicated[0]?.[0]}`);

  const versions = new Map<string, number>();
  for (const { file, product } of FILES) {
    const own = rows.filter((r) => r.source === file);
    const marks = new Set(own.map((r) => MARKS.findIndex((m) => r.answer.startsWith(m))));
    const hashes = new Set(own.map((r) => r.file_hash));
    if (own.length === 0) {
      problems.push(`${file}: no rows`);
      continue;
    }
    if (marks.size !== 1 || hashes.size !== 1) {
      problems.push(`${file}: mixed versions ${[...marks].join(',')} / ${hashes.size} content hashes in ${own.length} rows`);
      continue;
    }
    const version = [...marks][0] ?? -1;
    if (own.some((r) => r.product !== product)) problems.push(`${file}: rows under the wrong product`);
    const ids = own.map((r) => r.id).sort();
    const expected = expectedIds(product, file, version).sort();
    if (ids.length !== expected.length || ids.some((id, i) => id !== expected[i])) {
      problems.push(`${file}: version ${version} should have ${expected.length} rows, has ${ids.length}`);
    }
    versions.set(file, version);
  }
  return { versions, problems };
}

/** What a user of the store sees: counts, products, search and lookups agree with `versions`. */
async function checkReads(store: PassageStore, versions: Map<string, number>): Promise<void> {
  const total = FILES.reduce((n, { file }) => n + sectionsOf(versions.get(file) ?? -1), 0);
  expect(await store.count()).toBe(total);
  expect(await store.products()).toEqual(['alpha', 'beta']);
  for (const product of ['alpha', 'beta']) {
    const present = new Set(FILES.filter((f) => f.product === product).map((f) => versions.get(f.file)));
    for (let v = 0; v < MARKS.length; v++) {
      const mark = MARKS[v] ?? '';
      const hits = await store.fullText(new MatchQuery(mark, 'text', { operator: Operator.And }), product, 5);
      if (present.has(v)) {
        expect(hits.length, `${product}: search for version ${v}`).toBeGreaterThan(0);
        expect(hits.every((h) => h.passage.answer.startsWith(mark) && h.passage.product === product)).toBe(true);
      } else {
        // Rows of a replaced version must not be found any more: no stale evidence.
        expect(hits, `${product}: stale rows of version ${v} are still searchable`).toEqual([]);
      }
    }
  }
  const sample = FILES.flatMap(({ file, product }) => {
    const ids = expectedIds(product, file, versions.get(file) ?? -1);
    return [ids[0] ?? '', ids.at(-1) ?? ''];
  });
  const got = await store.getByIds(sample);
  expect(got.map((p) => p.id).sort()).toEqual([...sample].sort());
  for (const passage of got) expect(passage.answer.startsWith(MARKS[versions.get(passage.source) ?? -1] ?? '?')).toBe(true);
}

describe('ingest killed with SIGKILL', () => {
  it('leaves every file wholly at its old or new version, readable, and the next run completes', async () => {
    writeManifest(FILES.map((f) => ({ ...f, format: 'markdown' })));
    writeCorpusVersion(0);
    const first = await ingest({ corpusDir: corpus, store: await PassageStore.open(data, noEmbedder, { write: true }), embedder: noEmbedder });
    expect(first.failed).toBe(0);
    let { versions, problems } = await fileVersions(data);
    expect(problems).toEqual([]);
    // A long-lived reader (the bot) opened before any of the crashes.
    const reader = await PassageStore.open(data, noEmbedder);
    await checkReads(reader, versions);

    const random = prng(20240611);
    const between = (lo: number, hi: number) => Math.round(lo + random() * (hi - lo));
    const lock = join(data, 'ingest.lock');
    // Moments to kill at: just after start (taking the lock, reading stored hashes), right after a file's commit (so inside the next
    // file's parse / merge), during the final index build, at a random point; the last one
    // leaves a stale lock for the recovery run.
    const schedule: { after: RegExp; delay: number; holdsLock: boolean }[] = [
      { after: /^started/, delay: 20, holdsLock: false },
      { after: /^progress 2\//, delay: between(0, 40), holdsLock: true },
      { after: /^progress 4\//, delay: between(0, 40), holdsLock: true },
      { after: new RegExp(`^progress ${FILES.length}/`), delay: 0, holdsLock: false },
      { after: /^started/, delay: between(100, 700), holdsLock: false },
      { after: /^progress 5\//, delay: between(0, 40), holdsLock: true },
      { after: /^progress 1\//, delay: 0, holdsLock: true },
    ];
    let killed = 0;
    for (const [round, step] of schedule.entries()) {
      const version = round + 1;
      writeCorpusVersion(version);
      const child = spawnTs(INGEST_CHILD, [corpus, data]);
      const line = await child.waitFor((l) => step.after.test(l));
      if (line === null) expect.fail(`round ${round}: child exited before ${step.after}: ${(await child.exit).stderr}`);
      if (step.delay > 0) await sleep(step.delay);
      child.proc.kill('SIGKILL');
      const exit = await child.exit;
      const wasKilled = exit.signal === 'SIGKILL' && !child.lines.some((l) => l.startsWith('finished'));
      if (wasKilled) killed++;
      else expect(exit.code, `round ${round}: ${exit.stderr}`).toBe(0);
      if (wasKilled && step.holdsLock) {
        // The killed process could not release its lock: the next run must take it over.
        expect(readFileSync(lock, 'utf8')).toBe(String(child.proc.pid));
      }

      const before = versions;
      ({ versions, problems } = await fileVersions(data));
      expect(problems, `round ${round} (killed after "${line}" + ${step.delay} ms)`).toEqual([]);
      for (const { file } of FILES) {
        const now = versions.get(file);
        if (wasKilled) expect([before.get(file), version], `round ${round}: ${file}`).toContain(now);
        else expect(now, `round ${round}: ${file} after a completed run`).toBe(version);
      }
      // Both a reader that lived through the crash and a freshly opened one read the same, whole state.
      await checkReads(reader, versions);
      await checkReads(await PassageStore.open(data, noEmbedder), versions);
    }
    expect(killed).toBeGreaterThanOrEqual(schedule.length - 2);
    expect(existsSync(lock)).toBe(true);

    // Recovery: an ordinary ingest (as `npm run ingest` would) takes over the dead
    // process's lock, finishes, and re-does only the files the killed runs did not.
    const final = schedule.length;
    const store = await PassageStore.open(data, noEmbedder, { write: true });
    const report = await ingest({ corpusDir: corpus, store, embedder: noEmbedder });
    expect(report.failed).toBe(0);
    expect(report.files.map((f) => [f.file, f.action])).toEqual(
      FILES.map(({ file }) => [file, versions.get(file) === final ? 'unchanged' : 'updated']),
    );
    expect(existsSync(lock)).toBe(false);
    ({ versions, problems } = await fileVersions(data));
    expect(problems).toEqual([]);
    expect([...versions.values()]).toEqual(FILES.map(() => final));
    await checkReads(reader, versions);
    await checkReads(store, versions);
  }, 180_000);
});

// ---------------------------------------------------------------------------------------
// 2. A reader racing a writer in another process
// ---------------------------------------------------------------------------------------

const FLIP = { file: 'flip.md', product: 'flip' };
const STILL = { file: 'still.md', product: 'still' };

function flipContent(mark: string, sections: number): string {
  const out: string[] = [];
  for (let s = 0; s < sections; s++) out.push(`# 項目${s} フリップ`, '', `${mark} 第${s}項:フリップ対象の記述です。`, '');
  return out.join('\n');
}

function entryOf(f: { file: string; product: string }): ManifestEntry {
  return { ...f, vendor: 'Example K.K.', title: `${f.file} の規程`, format: 'markdown', language: 'ja' };
}

describe('a reader in another process while ingest rewrites a file', () => {
  it('always sees exactly version A or version B of the file, never a mix, nothing missing, nothing twice', async () => {
    // A and B share their first 150 ids (same heading lines) with different text; B has 40 more rows.
    const textA = flipContent(MARKS[0] ?? '', 150);
    const textB = flipContent(MARKS[1] ?? '', 190);
    const contentA = join(dir, 'flip-A.md');
    const contentB = join(dir, 'flip-B.md');
    writeFileSync(contentA, textA);
    writeFileSync(contentB, textB);
    copyFileSync(contentA, join(corpus, FLIP.file));
    writeFileSync(join(corpus, STILL.file), policyVersion(0, 0));
    writeManifest([
      { ...FLIP, format: 'markdown' },
      { ...STILL, format: 'markdown' },
    ]);
    const first = await ingest({ corpusDir: corpus, store: await PassageStore.open(data, noEmbedder, { write: true }), embedder: noEmbedder });
    expect(first.failed).toBe(0);
    const stillRows = sectionsOf(0);

    const expected = {
      A: new Map(parseMarkdown(textA, entryOf(FLIP)).map((p) => [p.id, p.answer])),
      B: new Map(parseMarkdown(textB, entryOf(FLIP)).map((p) => [p.id, p.answer])),
    };
    expect(expected.A.size).toBe(150);
    expect(expected.B.size).toBe(190);
    const allIds = [...new Set([...expected.A.keys(), ...expected.B.keys()])];

    /** 'A' or 'B' when the passages are exactly that version of flip.md, else what is wrong. */
    const classify = (passages: Passage[]): string => {
      const got = new Map<string, string>();
      for (const p of passages) {
        if (got.has(p.id)) return `duplicate ${p.id}`;
        got.set(p.id, p.answer);
      }
      for (const [name, want] of Object.entries(expected)) {
        if (got.size === want.size && [...want].every(([id, answer]) => got.get(id) === answer)) return name;
      }
      const marks = new Set(passages.map((p) => p.answer.slice(0, 3)));
      return `mix: ${passages.length} rows with marks ${[...marks].join(',')}`;
    };

    const reader = await PassageStore.open(data, noEmbedder);
    expect(classify((await reader.getByIds(allIds)).filter((p) => p.product === FLIP.product))).toBe('A');

    const rounds = 14;
    const child = spawnTs(FLIP_CHILD, [corpus, data, FLIP.file, contentA, contentB, String(rounds)]);
    let running = true;
    void child.exit.then(() => (running = false));

    const seen: Record<string, Record<string, number>> = { ids: {}, count: {}, search: {}, snapshot: {} };
    const violations: string[] = [];
    const note = (kind: string, verdict: string): void => {
      const bucket = seen[kind] ?? {};
      seen[kind] = bucket;
      if (verdict !== 'A' && verdict !== 'B') violations.push(`${kind}: ${verdict}`);
      bucket[verdict] = (bucket[verdict] ?? 0) + 1;
    };
    let lastVersion = await reader.version();
    let reads = 0;
    while (running) {
      const version = await reader.version();
      if (version < lastVersion) violations.push(`version went back from ${lastVersion} to ${version}`);
      lastVersion = version;

      note('ids', classify(await reader.getByIds(allIds)));
      const count = await reader.count(`product = '${FLIP.product}'`);
      note('count', count === expected.A.size ? 'A' : count === expected.B.size ? 'B' : `count ${count}`);
      const hits = await reader.fullText(new MatchQuery('フリップ', 'text', { operator: Operator.And }), FLIP.product, 1000);
      note('search', classify(hits.map((h) => h.passage)));
      note('snapshot', classify((await reader.smallProduct(FLIP.product)) ?? []));
      const still = await reader.count(`product = '${STILL.product}'`);
      if (still !== stillRows) violations.push(`the untouched product has ${still} rows, not ${stillRows}`);
      reads++;
    }
    const exit = await child.exit;
    expect(exit.code, exit.stderr).toBe(0);
    expect(child.lines.filter((l) => l.startsWith('round'))).toHaveLength(rounds);

    expect(violations.slice(0, 10), JSON.stringify(seen)).toEqual([]);
    // The reads really overlapped the writes: both versions were observed while the child ran.
    expect(seen.ids?.A ?? 0, JSON.stringify(seen)).toBeGreaterThan(0);
    expect(seen.ids?.B ?? 0, JSON.stringify(seen)).toBeGreaterThan(0);
    expect(reads).toBeGreaterThan(10);
    // The last round (odd) wrote A.
    expect(classify(await reader.getByIds(allIds))).toBe('A');
  });
});

// ---------------------------------------------------------------------------------------
// 3. Unreadable files are reported by name
// ---------------------------------------------------------------------------------------

describe('unreadable corpus files', () => {
  const BAD = ['not-a-pdf.pdf', 'broken.pdf', 'empty.md', 'garbage.txt'];

  function writeMixedCorpus(): void {
    copyFileSync(join(ROOT, 'corpus/krew.txt'), join(corpus, 'krew.txt'));
    copyFileSync(join(ROOT, 'test/fixtures/policy-ja.pdf'), join(corpus, 'policy-ja.pdf'));
    writeFileSync(join(corpus, 'good.md'), '# 暗号化\n\n通信はTLS1.2以上で暗号化しております。\n');
    // Declared as PDF, but a text file someone renamed.
    writeFileSync(join(corpus, 'not-a-pdf.pdf'), 'これはPDFではありません。\n');
    // Has the PDF envelope, but garbage in between.
    writeFileSync(join(corpus, 'broken.pdf'), `%PDF-1.7\n${'x'.repeat(64)}\n1 0 obj << /Type /Catalog /Pages 9 0 R\n%%EOF\n`);
    writeFileSync(join(corpus, 'empty.md'), '');
    const random = prng(7);
    writeFileSync(join(corpus, 'garbage.txt'), Buffer.from(Array.from({ length: 4096 }, () => Math.floor(random() * 256))));
    writeManifest([
      { file: 'krew.txt', product: 'krew', format: 'checksheet-text' },
      { file: 'not-a-pdf.pdf', product: 'docs', format: 'pdf' },
      { file: 'policy-ja.pdf', product: 'docs', format: 'pdf' },
      { file: 'broken.pdf', product: 'docs', format: 'pdf' },
      { file: 'empty.md', product: 'docs', format: 'markdown' },
      { file: 'good.md', product: 'docs', format: 'markdown' },
      { file: 'garbage.txt', product: 'krew', format: 'checksheet-text' },
    ]);
  }

  it('reports each as failed with its file name and still ingests the other files', async () => {
    writeMixedCorpus();
    const store = await PassageStore.open(data, noEmbedder, { write: true });
    const report = await ingest({ corpusDir: corpus, store, embedder: noEmbedder });

    expect(report.failed).toBe(BAD.length);
    for (const file of BAD) {
      const result = report.files.find((f) => f.file === file);
      expect(result?.action, file).toBe('failed');
      expect(result?.error, file).toContain(file);
      expect(await store.count(`source = '${file}'`), file).toBe(0);
    }
    expect(report.files.find((f) => f.file === 'not-a-pdf.pdf')?.error).toMatch(/not a PDF/);
    expect(report.files.find((f) => f.file === 'empty.md')?.error).toMatch(/empty/);
    expect(report.files.find((f) => f.file === 'garbage.txt')?.error).toMatch(/not a text file|binary/);
    for (const file of ['krew.txt', 'policy-ja.pdf', 'good.md']) {
      expect(report.files.find((f) => f.file === file)?.action, file).toBe('added');
      expect(await store.count(`source = '${file}'`), file).toBeGreaterThan(0);
    }
    // The good evidence is searchable.
    const hits = await store.fullText(new MatchQuery('暗号化', 'text'), 'docs', 5);
    expect(hits.some((h) => h.passage.source === 'good.md')).toBe(true);
  });

  it('makes `npm run ingest` exit 1 and name every bad file on stderr', async () => {
    writeMixedCorpus();
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? dir,
      KOTAE_CORPUS_DIR: corpus,
      KOTAE_DATA_DIR: data,
      KOTAE_LOG_LEVEL: 'error',
    };
    const child = spawnTs(join(ROOT, 'scripts/ingest.ts'), [], env);
    const exit = await child.exit;
    expect(exit.code, exit.stderr).toBe(1);
    for (const file of BAD) expect(exit.stderr).toMatch(new RegExp(`✗ ${file.replace('.', '\\.')}: .*${file.replace('.', '\\.')}`));
    expect(exit.stderr).toMatch(/4 failed/);
    for (const file of ['krew.txt', 'policy-ja.pdf', 'good.md']) expect(exit.stderr).toContain(`✓ ${file}`);

    // What the script reported is what landed.
    const store = await PassageStore.open(data, noEmbedder);
    expect(await store.products()).toEqual(['docs', 'krew']);
    expect(await store.count(`source IN (${BAD.map((f) => `'${f}'`).join(', ')})`)).toBe(0);
  });
});
