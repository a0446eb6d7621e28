/** The Slack section of `npm run bench`: it runs the bot as its own process under load and reports what it measured. */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hangingDraftModel, measureAckLatency, settle, startBot } from '../../scripts/bench/slack.js';
import { runIngest } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';

describe('measureAckLatency', () => {
  // Behaviour only: how fast the acks are is for `npm run bench` to report, not for a test
  // on a shared machine to assert.
  it("acks every command with 200 from a bot process of its own under a hanging model, and reports that process's RSS and event loop", async () => {
    const root = mkdtempSync(join(tmpdir(), 'kotae-bench-'));
    const corpus = join(root, 'corpus');
    mkdirSync(corpus);
    writeFileSync(join(corpus, 'manifest.json'), JSON.stringify([{ file: 'k.txt', product: 'krew', vendor: null, title: 'k', format: 'checksheet-text', language: 'ja' }]));
    writeFileSync(join(corpus, 'k.txt'), '項番\t確認事項\t実施有無\t備考\n1-1\tデータは暗号化して保存すること。\t○\tAES-256で暗号化しております。\n');
    const config = loadConfig({ KOTAE_DATA_DIR: join(root, 'data'), KOTAE_CORPUS_DIR: corpus, KOTAE_LOG_LEVEL: 'silent' });
    await runIngest(config, { logger: createLogger('silent') });
    const model = await hangingDraftModel();
    const logFile = join(root, 'bot.log');
    const bot = await startBot({ dataDir: config.dataDir, corpusDir: corpus, modelUrl: model.url, logFile });
    try {
      expect(bot.pid).not.toBe(process.pid);
      const r = await measureAckLatency(bot, { n: 60, concurrency: 6, product: 'krew' });
      expect(r.n).toBe(60);
      expect(r.failed).toBe(0);
      expect(r.p50Ms).toBeGreaterThan(0);
      expect(r.p99Ms).toBeGreaterThanOrEqual(r.p50Ms);
      expect(r.maxMs).toBeGreaterThanOrEqual(r.p99Ms);
      expect(r.rssIdleBytes).toBeGreaterThan(0);
      expect(r.rssPeakBytes).toBeGreaterThanOrEqual(r.rssIdleBytes);
      expect(r.loopDelayMaxMs).toBeGreaterThanOrEqual(r.loopDelayP99Ms);
      expect(r.cpuShare).toBeGreaterThan(0);
      await settle(bot, 60_000);
      // The bot's own log says it listened where the bench sent the commands, on loopback.
      expect(readFileSync(logFile, 'utf8')).toMatch(/listening for Slack requests.*127\.0\.0\.1/);
    } finally {
      await model.close();
      await bot.stop();
      rmSync(root, { recursive: true, force: true });
    }
    // Stopped: the process is gone.
    expect(() => process.kill(bot.pid, 0)).toThrow();
  }, 240_000);
});
