/**
 * An approval landing while an ingest runs: the decision commits at once, its answer-library
 * write waits for the ingest lock. Whatever order they meet in, the library ends up saying
 * what the review record says: an answer the ingest made stale is not in the library as
 * approved, an unaffected one is. The interleaving is forced by holding the ingest lock.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApp, runIngest, type App } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { KotaeError } from '../../src/errors.js';
import { createLogger } from '../../src/log.js';
import { approvedPassageId } from '../../src/store/library.js';
import { INGEST_LOCK } from '../../src/store/lock-file.js';
import { withLock } from '../../src/store/lock.js';
import type { ReviewRecord } from '../../src/review/types.js';

const APPROVER = 'UAPPROVER9';
const logger = createLogger('silent');
const BACKUP = '# バックアップ\n\nデータは毎日バックアップを取得し、30日間保持しております。\n';
const CRYPTO = '# 暗号化\n\n通信はTLS1.2以上で暗号化しております。\n';

let dir: string;
let corpus: string;
let config: Config;
let app: App;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kotae-library-race-'));
  corpus = join(dir, 'corpus');
  mkdirSync(corpus);
  writeFileSync(join(corpus, 'backup.md'), BACKUP);
  writeFileSync(join(corpus, 'crypto.md'), CRYPTO);
  writeFileSync(
    join(corpus, 'manifest.json'),
    JSON.stringify([
      { file: 'backup.md', product: 'alpha', vendor: 'Example K.K.', title: 'バックアップ規程', format: 'markdown', language: 'ja' },
      { file: 'crypto.md', product: 'beta', vendor: 'Example K.K.', title: '暗号化規程', format: 'markdown', language: 'ja' },
    ]),
  );
  config = loadConfig({
    KOTAE_CORPUS_DIR: corpus,
    KOTAE_DATA_DIR: join(dir, 'data'),
    KOTAE_LOG_LEVEL: 'silent',
    KOTAE_DRAFTER: 'extractive',
    KOTAE_APPROVERS: APPROVER,
  });
  await runIngest(config, { logger });
  app = await createApp(config, { logger });
});

afterEach(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

async function draft(question: string, product: string): Promise<ReviewRecord> {
  const { review } = await app.ask(question, product, { enqueue: { askedBy: 'USALES9' } });
  if (!review) throw new Error('no review was enqueued');
  expect(review.citations.length).toBeGreaterThan(0);
  return review;
}

async function inLibrary(review: ReviewRecord): Promise<boolean> {
  return (await app.store.getByIds([approvedPassageId(review.id)])).length > 0;
}

/** Holds the ingest lock until `release()`, then runs the ingest inside it. */
function heldIngest(rebuild: boolean): { taken: Promise<void>; release: () => void; done: ReturnType<typeof runIngest> } {
  let release!: () => void;
  let taken!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const isTaken = new Promise<void>((r) => (taken = r));
  const done = withLock(join(config.dataDir, INGEST_LOCK), async () => {
    taken();
    await gate;
    return runIngest(config, { logger, rebuild });
  });
  return { taken: isTaken, release, done };
}

describe.each([false, true])('an approval during an ingest (rebuild: %s)', (rebuild) => {
  it('committed before the ingest marks it stale, written after: the library drops it', async () => {
    const stale = await draft('バックアップを毎日取得していますか?', 'alpha');
    const kept = await draft('通信は暗号化されていますか?', 'beta');
    // The source of the backup answer changes; the encryption source does not.
    writeFileSync(join(corpus, 'backup.md'), BACKUP.replace('30日間', '90日間'));

    const ingest = heldIngest(rebuild);
    await ingest.taken;
    // The policies state their controls (毎日取得しております): each draft is yes, approved as it stands.
    const approvals = [app.reviews.approve(stale.id, { as: APPROVER, status: 'yes' }), app.reviews.approve(kept.id, { as: APPROVER, status: 'yes' })];
    // Both decisions are committed; their library writes are waiting for the lock.
    await vi.waitFor(async () => {
      expect((await app.reviews.get(stale.id)).state).toBe('approved');
      expect((await app.reviews.get(kept.id)).state).toBe('approved');
    });
    expect(await inLibrary(stale)).toBe(false);
    ingest.release();
    const report = await ingest.done;
    expect(report.failed).toBe(0);
    const outcomes = await Promise.all(approvals);
    expect(outcomes.map((o) => [o.review.state, o.library])).toEqual([
      ['approved', 'synced'],
      ['approved', 'synced'],
    ]);

    // The record: the ingest returned the backup answer to the queue; the other stands.
    expect((await app.reviews.get(stale.id)).state).toBe('stale');
    expect((await app.reviews.get(kept.id)).state).toBe('approved');
    // The library agrees, although the stale answer's approval wrote last.
    expect(await inLibrary(stale)).toBe(false);
    expect(await inLibrary(kept)).toBe(true);
    // And so does what a user is told: no approved answer backs the changed fact.
    const again = await app.ask('バックアップを毎日取得していますか?', 'alpha');
    expect(again.draft.citations.some((c) => c.id === approvedPassageId(stale.id))).toBe(false);
    expect(again.draft.citations.some((c) => c.text.includes('90日間'))).toBe(true);
  });

  it('decided on the card shown before the ingest, committed after it: refused, nothing in the library', async () => {
    const stale = await draft('バックアップを毎日取得していますか?', 'alpha');
    const shown = (await app.reviews.get(stale.id)).version;
    writeFileSync(join(corpus, 'backup.md'), BACKUP.replace('30日間', '90日間'));
    const ingest = heldIngest(rebuild);
    ingest.release();
    await ingest.done;
    expect((await app.reviews.get(stale.id)).state).toBe('stale');

    const late = app.reviews.approve(stale.id, { as: APPROVER, expectedVersion: shown });
    await expect(late).rejects.toBeInstanceOf(KotaeError);
    await expect(late).rejects.toMatchObject({ code: 'conflict' });
    expect((await app.reviews.get(stale.id)).state).toBe('stale');
    expect(await inLibrary(stale)).toBe(false);
  });
});
