/**
 * `ingest --rebuild` is atomic: SIGKILLed at any moment it leaves the previous index whole
 * and answering, and a completed rebuild reaches a running App without a restart, while it
 * keeps answering questions, with no "not found" in between. Real LanceDB on temp dirs,
 * the rebuild in a child process as `kotae ingest --rebuild` runs it.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MatchQuery, Operator } from '@lancedb/lancedb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp, runIngest, type App } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { noEmbedder } from '../../src/embed/embedder.js';
import { createLogger } from '../../src/log.js';
import { createGeneration, LEGACY, publish, published, RETIRE_GRACE_MS } from '../../src/store/generations.js';
import { PassageStore } from '../../src/store/store.js';
import { killChildren, ROOT, spawnTs } from '../support/spawn-ts.js';

const REBUILD_CHILD = join(ROOT, 'test/store/fixtures/rebuild-child.ts');
const logger = createLogger('silent');

let dir: string;
let corpus: string;
let data: string;
let config: Config;
const apps: App[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kotae-rebuild-'));
  corpus = join(dir, 'corpus');
  data = join(dir, 'data');
  mkdirSync(corpus);
  config = loadConfig({ KOTAE_CORPUS_DIR: corpus, KOTAE_DATA_DIR: data, KOTAE_LOG_LEVEL: 'silent', KOTAE_DRAFTER: 'extractive' });
});

afterEach(async () => {
  killChildren();
  for (const app of apps.splice(0)) await app.close();
  rmSync(dir, { recursive: true, force: true });
});

async function openApp(): Promise<App> {
  const app = await createApp(config, { logger });
  apps.push(app);
  return app;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One marker per corpus version; no two share a character, so a match names one version. */
const MARKS = ['甲乙丙', '丁戊己', '庚辛壬', '癸子丑', '寅卯辰', '巳午未', '申酉戌', '亥天地'];
const FILES = Array.from({ length: 6 }, (_, f) => ({ file: `p${f}.md`, product: f < 3 ? 'alpha' : 'beta' }));
const SECTIONS = 150;
const QUESTION = '管理者のアクセス権限を定期的に見直していますか?';

function policy(fileIndex: number, version: number): string {
  const out: string[] = [];
  for (let s = 0; s < SECTIONS; s++) {
    out.push(`# 第${s + 1}条 管理策${s}`, '', `${MARKS[version]} ファイル${fileIndex} 第${s}項:管理者はアクセス権限を定期的に見直しております。`, '');
  }
  return out.join('\n');
}

function writeCorpus(version: number, files = FILES): void {
  writeFileSync(
    join(corpus, 'manifest.json'),
    JSON.stringify(files.map((e) => ({ ...e, vendor: 'Example K.K.', title: `${e.file} の規程`, format: 'markdown', language: 'ja' }))),
  );
  files.forEach(({ file }, f) => writeFileSync(join(corpus, file), policy(f, version)));
}

/** The corpus version a store serves: the one marker its search finds, checked for both products. */
async function servedVersion(store: PassageStore): Promise<number> {
  expect(await store.products()).toEqual(['alpha', 'beta']);
  expect(await store.count()).toBe(FILES.length * SECTIONS);
  const found = new Set<number>();
  for (const product of ['alpha', 'beta']) {
    for (const [v, mark] of MARKS.entries()) {
      const hits = await store.fullText(new MatchQuery(mark, 'text', { operator: Operator.And }), product, 3);
      if (hits.length > 0) found.add(v);
    }
  }
  expect(found.size, `versions found: ${[...found].join(',')}`).toBe(1);
  return [...found][0] ?? -1;
}

/** The version the App's answer cites: it must answer, from one version only. */
async function answeredVersion(app: App, product = 'alpha'): Promise<number> {
  const { draft } = await app.ask(QUESTION, product);
  expect(draft.abstained, JSON.stringify(draft)).toBe(false);
  const versions = new Set(draft.citations.map((c) => MARKS.findIndex((m) => c.text.includes(m))));
  expect(versions.size, JSON.stringify(draft.citations)).toBe(1);
  return [...versions][0] ?? -1;
}

function generationDirs(): string[] {
  const root = join(data, 'index');
  return existsSync(root) ? readdirSync(root).sort() : [];
}

describe('ingest --rebuild killed with SIGKILL', () => {
  it('leaves the previous index whole and answering; the next rebuild publishes and cleans up', async () => {
    writeCorpus(0);
    await runIngest(config, { logger });
    // A running bot and a store reader, opened before any of the crashes.
    const app = await openApp();
    const reader = await PassageStore.open(data, noEmbedder);
    expect(await servedVersion(reader)).toBe(0);
    expect(await answeredVersion(app)).toBe(0);

    // Moments to kill at: while the new generation is created, between files, right after
    // the last file (diff, index build, library, publish), and later into the finishing steps.
    const schedule: { after: RegExp; delay: number }[] = [
      { after: /^started/, delay: 30 },
      { after: /^progress 1\//, delay: 0 },
      { after: /^progress 4\//, delay: 15 },
      { after: new RegExp(`^progress ${FILES.length}/`), delay: 0 },
      { after: new RegExp(`^progress ${FILES.length}/`), delay: 250 },
    ];
    let serving = 0;
    let killed = 0;
    let keptPrevious = 0;
    const versionsSeen: number[] = [await reader.version()];
    for (const [round, step] of schedule.entries()) {
      const version = round + 1;
      writeCorpus(version);
      const child = spawnTs(REBUILD_CHILD, [corpus, data, '1']);
      const line = await child.waitFor((l) => step.after.test(l));
      if (line === null) expect.fail(`round ${round}: child exited before ${step.after}: ${(await child.exit).stderr}`);
      if (step.delay > 0) await sleep(step.delay);
      child.proc.kill('SIGKILL');
      const exit = await child.exit;
      const wasKilled = !child.lines.includes('done');
      if (wasKilled) killed++;
      // A kill can land after the child printed `done` but before it exited: then it finished its
      // rebuild, and the signal, not an error, ended it.
      else expect(exit.code === 0 || exit.signal === 'SIGKILL', `round ${round}: ${exit.stderr}`).toBe(true);
      const where = `round ${round} (killed=${wasKilled} after "${line}" + ${step.delay} ms)`;
      // Finished: the new corpus. Killed: the previous one, whole, or (killed just after the
      // switch) the new one, whole; never anything in between, never nothing.
      const now = await servedVersion(reader);
      if (wasKilled) expect([serving, version], where).toContain(now);
      else expect(now, where).toBe(version);
      if (wasKilled && now === serving) keptPrevious++;
      serving = now;
      expect(await servedVersion(await PassageStore.open(data, noEmbedder)), where).toBe(serving);
      expect(await answeredVersion(app), where).toBe(serving);
      expect(await answeredVersion(await openApp()), where).toBe(serving);
      versionsSeen.push(await reader.version());
    }
    expect(killed).toBeGreaterThanOrEqual(schedule.length - 1);
    expect(keptPrevious).toBeGreaterThanOrEqual(schedule.length - 2);

    // Recovery: a complete rebuild (as `kotae ingest --rebuild`) publishes the current
    // corpus; the bot and the reader opened at the start see it without reopening.
    const final = schedule.length;
    const report = await runIngest(config, { rebuild: true, logger });
    expect(report.failed).toBe(0);
    expect(await servedVersion(reader)).toBe(final);
    expect(await answeredVersion(app)).toBe(final);
    expect(await answeredVersion(app, 'beta')).toBe(final);
    // Corpus versions never go back across generations (cached drafts are keyed by them).
    versionsSeen.push(await reader.version());
    expect(versionsSeen).toEqual([...versionsSeen].sort((a, b) => a - b));
    expect(versionsSeen.at(-1)).toBeGreaterThan(versionsSeen[0] ?? Infinity);
    // What the killed rebuilds left behind is gone: only the published and retired generations remain.
    const pointer = published(data)?.pointer;
    expect(generationDirs()).toEqual([pointer?.generation, ...(pointer?.retired.map((r) => r.generation) ?? [])].sort());
  }, 300_000);
});

describe('a rebuild under a running App', () => {
  it('never fails a question while rebuilds publish, and the App answers from the new corpus afterwards', async () => {
    writeCorpus(0);
    await runIngest(config, { logger });
    const app = await openApp();
    expect(await answeredVersion(app)).toBe(0);

    // Three rebuilds in a row, each from a different corpus version of the alpha files.
    const rounds = 3;
    const contents = Array.from({ length: rounds }, (_, i) => {
      const path = join(dir, `p0-v${i + 1}.md`);
      writeFileSync(path, policy(0, i + 1));
      return path;
    });
    // Only p0.md changes; the other alpha files keep version 0, so an answer may cite either.
    const child = spawnTs(REBUILD_CHILD, [corpus, data, String(rounds), 'p0.md', ...contents]);
    let running = true;
    void child.exit.then(() => (running = false));

    const errors: string[] = [];
    const seen = new Map<number, number>();
    let asks = 0;
    let lastVersion = await app.store.version();
    while (running) {
      try {
        const { draft } = await app.ask(QUESTION, 'alpha');
        if (draft.abstained) errors.push('abstained');
        for (const c of draft.citations) {
          const v = MARKS.findIndex((m) => c.text.includes(m));
          seen.set(v, (seen.get(v) ?? 0) + 1);
        }
        if ((await app.products()).join(',') !== 'alpha,beta') errors.push(`products ${(await app.products()).join(',')}`);
        const version = await app.store.version();
        if (version < lastVersion) errors.push(`corpus version went back from ${lastVersion} to ${version}`);
        lastVersion = version;
      } catch (error) {
        errors.push(String(error));
      }
      asks++;
    }
    const exit = await child.exit;
    expect(exit.code, exit.stderr).toBe(0);
    expect(child.lines.filter((l) => l.startsWith('round'))).toHaveLength(rounds);
    expect(errors.slice(0, 5)).toEqual([]);
    expect(asks).toBeGreaterThan(10);
    // It moved to a rebuilt corpus while running: p0.md's text of a later version was cited.
    expect([...seen.keys()].filter((v) => v > 0).length, JSON.stringify([...seen])).toBeGreaterThan(0);

    // After the last rebuild the same App finds the last version of p0.md and never an older one.
    const p0 = ((await app.store.smallProduct('alpha')) ?? []).filter((p) => p.source === 'p0.md');
    expect(p0.length).toBe(SECTIONS);
    expect(p0.every((p) => p.answer.startsWith(MARKS[rounds] ?? '?'))).toBe(true);
  }, 180_000);
});

describe('index generations', () => {
  it('deletes a replaced generation only after the grace period, and half-built ones at the next publish', async () => {
    mkdirSync(data, { recursive: true });
    const meta = { embedder: noEmbedder.id, dimensions: 0, versionBase: 0 };
    const t0 = new Date('2026-01-01T00:00:00Z');
    const a = createGeneration(data, meta).generation;
    publish(data, a, t0);
    const b = createGeneration(data, meta).generation;
    publish(data, b, t0);
    const orphan = createGeneration(data, meta).generation; // a rebuild killed before publishing
    const c = createGeneration(data, meta).generation;
    publish(data, c, new Date(t0.getTime() + RETIRE_GRACE_MS + 1));
    // a retired longer ago than the grace: gone; b just retired: still readable; the orphan: gone.
    expect(generationDirs()).toEqual([b, c].sort());
    expect(published(data)?.pointer).toMatchObject({ generation: c, retired: [{ generation: b }] });
    expect(generationDirs()).not.toContain(orphan);
  });

  it('replaces an index of an older layout, which only a rebuild can read again', async () => {
    writeCorpus(0, FILES.slice(0, 1));
    await runIngest(config, { logger });
    const generation = published(data)?.pointer.generation ?? '';
    const described = join(data, 'index', generation, 'store.json');
    writeFileSync(described, JSON.stringify({ ...JSON.parse(readFileSync(described, 'utf8')), schemaVersion: 1 }));
    await expect(PassageStore.open(data, noEmbedder)).rejects.toMatchObject({ code: 'store_mismatch', hint: expect.stringContaining('--rebuild') });

    const report = await runIngest(config, { rebuild: true, logger });
    expect(report.failed).toBe(0);
    expect(await (await PassageStore.open(data, noEmbedder)).count()).toBe(SECTIONS);
  });

  it('reads a store from before generations, and retires it after a rebuild', async () => {
    writeCorpus(0, FILES.slice(0, 1));
    await runIngest(config, { logger });
    // Rewrite the published generation into the old layout: <data>/store.json + <data>/lancedb.
    const generation = published(data)?.pointer.generation ?? '';
    renameSync(join(data, 'index', generation, 'lancedb'), join(data, 'lancedb'));
    renameSync(join(data, 'index', generation, 'store.json'), join(data, 'store.json'));
    rmSync(join(data, 'index'), { recursive: true });
    rmSync(join(data, 'index.json'));
    expect(published(data)?.pointer.generation).toBe(LEGACY);

    const reader = await PassageStore.open(data, noEmbedder);
    expect(await reader.count()).toBe(SECTIONS);
    writeCorpus(1, FILES.slice(0, 1));
    await runIngest(config, { rebuild: true, logger });
    expect(published(data)?.pointer.retired.map((r) => r.generation)).toEqual([LEGACY]);
    // The reader opened on the old layout moved to the rebuilt index.
    const hits = await reader.fullText(new MatchQuery(MARKS[1] ?? '', 'text', { operator: Operator.And }), 'alpha', 3);
    expect(hits.length).toBeGreaterThan(0);
  });
});
