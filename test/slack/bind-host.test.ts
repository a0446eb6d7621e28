/**
 * KOTAE_HOST: the interface the HTTP-mode bot listens on. Containers need every interface
 * (the default); a bot behind a local reverse proxy should listen on loopback only.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';
import { createSlackApp } from '../../src/slack/app.js';
import { startHarness, SIGNING_SECRET, type Harness } from './harness.js';
import { sendSigned } from '../support/fake-slack.js';

describe('KOTAE_HOST', () => {
  let h: Harness | null = null;
  afterEach(async () => {
    await h?.close();
    h = null;
  });

  it('defaults to every interface and rejects an empty value', () => {
    expect(loadConfig({}).slack.host).toBe('0.0.0.0');
    expect(loadConfig({ KOTAE_HOST: ' 127.0.0.1 ' }).slack.host).toBe('127.0.0.1');
    expect(() => loadConfig({ KOTAE_HOST: '  ' })).toThrow(ConfigError);
    expect(() => loadConfig({ KOTAE_HOST: '  ' })).toThrow(/KOTAE_HOST/);
  });

  it('is the address the HTTP receiver binds when no host is passed in code', async () => {
    h = await startHarness({ env: { KOTAE_HOST: '127.0.0.1' } });
    // A second bot on the same core, configured only through the environment.
    const bot = createSlackApp(h.app, { port: 0, logger: h.app.logger });
    try {
      const { port, host } = await bot.start();
      expect(host).toBe('127.0.0.1');
      expect(port).toBeGreaterThan(0);
      // It answers Slack there: a signed url_verification challenge is echoed back.
      const res = await sendSigned(`http://127.0.0.1:${port}/slack/events`, SIGNING_SECRET, { json: { type: 'url_verification', challenge: 'c-42' } });
      expect(res.status).toBe(200);
      expect(res.text).toContain('c-42');
    } finally {
      await bot.stop(100);
    }
  });
});
