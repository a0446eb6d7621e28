/**
 * Ingest-time English renderings against a fake OpenAI-compatible server (a local HTTP
 * server, reached by the real openai SDK through OPENAI_BASE_URL): one call per new
 * passage text, none when nothing changed, none offline; English answers then quote the
 * rendering, marked as a machine translation, beside the Japanese original, offline too.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, runIngest } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createLogger } from '../../src/log.js';

const logger = createLogger('silent');
const POLICY = '# アクセス管理\n\n管理者アカウントには多要素認証を必須としております。\n\n# バックアップ\n\n毎日バックアップを取得し、30日間保持しております。\n';
const ENGLISH: Array<[string, string]> = [
  ['多要素認証', 'Multi-factor authentication is mandatory for administrator accounts.'],
  ['30日間', 'Backups are taken daily and kept for 30 days.'],
  ['90日間', 'Backups are taken daily and kept for 90 days.'],
];

let server: Server;
let requests: Array<{ model: string; user: string }> = [];
let dir: string;
let online: Config;
let offline: Config;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const parsed = JSON.parse(body) as { model: string; messages: Array<{ role: string; content: string }> };
      const user = parsed.messages.find((m) => m.role === 'user')?.content ?? '';
      requests.push({ model: parsed.model, user });
      const content = ENGLISH.find(([ja]) => user.includes(ja))?.[1] ?? 'Translated text.';
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ id: 'c1', object: 'chat.completion', created: 0, model: parsed.model, choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  dir = mkdtempSync(join(tmpdir(), 'kotae-translate-'));
  const corpusDir = join(dir, 'corpus');
  mkdirSync(corpusDir);
  writeFileSync(join(corpusDir, 'policy.md'), POLICY);
  writeFileSync(join(corpusDir, 'manifest.json'), JSON.stringify([{ file: 'policy.md', product: 'alpha', vendor: null, title: 'アルファ セキュリティ方針', format: 'markdown', language: 'ja' }]));
  const paths = { dataDir: join(dir, 'data'), corpusDir };
  online = { ...loadConfig({ OPENAI_BASE_URL: url, OPENAI_MODEL: 'fake-translator', OPENAI_MAX_RETRIES: '0' }), ...paths };
  offline = { ...loadConfig({}), ...paths };
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe('English renderings at ingest', () => {
  it('makes one call per new passage text, none when unchanged, none offline, and English answers quote them offline', async () => {
    await runIngest(online, { logger });
    expect(requests).toHaveLength(2);
    expect(requests.every((r) => r.model === 'fake-translator')).toBe(true);
    expect(requests.map((r) => r.user).join('\n')).toContain('<passage>\n');

    requests = [];
    await runIngest(online, { logger });
    expect(requests).toHaveLength(0); // nothing changed

    // One passage edited: only that one is rendered again.
    writeFileSync(join(online.corpusDir, 'policy.md'), POLICY.replace('30日間', '90日間'));
    await runIngest(online, { logger });
    expect(requests).toHaveLength(1);
    expect(requests[0]?.user).toContain('90日間');

    // Without a model nothing is called, even for a changed file.
    requests = [];
    writeFileSync(join(online.corpusDir, 'policy.md'), `${POLICY.replace('30日間', '90日間')}\n# 暗号化\n\n通信は暗号化しております。\n`);
    await runIngest(offline, { logger });
    expect(requests).toHaveLength(0);

    // Drafting offline: the English answer quotes the rendering, marked, beside the original.
    const app = await createApp(offline, { logger });
    try {
      const { draft } = await app.ask('Is multi-factor authentication required for administrator accounts?', 'alpha');
      expect(draft.drafter).toBe('extractive');
      expect(draft.draft).toContain('English (machine translation of アルファ セキュリティ方針');
      expect(draft.draft).toContain('> Multi-factor authentication is mandatory for administrator accounts.\nJapanese original:\n> 管理者アカウントには多要素認証を必須としております。');
      // The rendering is never evidence: the citation quotes the original.
      expect(draft.citations[0]?.text).toContain('管理者アカウントには多要素認証を必須としております。');
      expect(draft.citations[0]?.text).not.toContain('Multi-factor');
      // A passage added while offline has no rendering: the Japanese alone, as such.
      const other = await app.ask('Is communication encrypted?', 'alpha');
      expect(other.draft.draft).not.toContain('machine translation');
      expect(other.draft.draft).toContain('Japanese original (');
    } finally {
      await app.close();
    }
  });
});
