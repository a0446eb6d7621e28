/** The Slack section of `npm run bench`: it runs the bot under load and reports what it measured. */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hangingDraftModel, measureAckLatency } from '../../scripts/bench/slack.js';
import { createApp, runIngest } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';

describe('measureAckLatency', () => {
  // Behaviour only: how fast the acks are is for `npm run bench` to report, not for a test
  // on a shared machine to assert.
  it('acks every command with 200 under a hanging model and reports latency percentiles and RSS', async () => {
    const root = mkdtempSync(join(tmpdir(), 'kotae-bench-'));
    const corpus = join(root, 'corpus');
    mkdirSync(corpus);
    writeFileSync(join(corpus, 'manifest.json'), JSON.stringify([{ file: 'k.txt', product: 'krew', vendor: null, title: 'k', format: 'checksheet-text', language: 'ja' }]));
    writeFileSync(join(corpus, 'k.txt'), '項番\t確認事項\t実施有無\t備考\n1-1\tデータは暗号化して保存すること。\t○\tAES-256で暗号化しております。\n');
    const config = loadConfig({ KOTAE_DATA_DIR: join(root, 'data'), KOTAE_CORPUS_DIR: corpus, KOTAE_LOG_LEVEL: 'silent' });
    const logger = createLogger('silent');
    await runIngest(config, { logger });
    const model = await hangingDraftModel();
    const app = await createApp(
      { ...config, drafter: 'openai', openai: { ...config.openai, apiKey: 'test', baseURL: model.url, model: 'test-model', maxRetries: 0, timeoutMs: 60_000 } },
      { logger },
    );
    try {
      const r = await measureAckLatency({ app, n: 60, concurrency: 6 });
      expect(r.n).toBe(60);
      expect(r.failed).toBe(0);
      expect(r.p50Ms).toBeGreaterThan(0);
      expect(r.p99Ms).toBeGreaterThanOrEqual(r.p50Ms);
      expect(r.maxMs).toBeGreaterThanOrEqual(r.p99Ms);
      expect(r.rssPeakBytes).toBeGreaterThanOrEqual(r.rssIdleBytes);
      expect(r.loopDelayMaxMs).toBeGreaterThanOrEqual(r.loopDelayP99Ms);
      expect(r.cpuShare).toBeGreaterThan(0);
    } finally {
      await app.close();
      await model.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
