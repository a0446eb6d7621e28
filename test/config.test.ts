import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { ConfigError } from '../src/errors.js';
import { createLogger } from '../src/log.js';

describe('loadConfig', () => {
  it('gives offline defaults with an empty environment', () => {
    const config = loadConfig({}, '/srv/kotae');
    expect(config.dataDir).toBe('/srv/kotae/data');
    expect(config.embeddings).toBe('none');
    expect(config.drafter).toBe('auto');
    expect(config.slack.mode).toBe('socket');
  });

  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ KOTAE_CONCURRENCY: 'many' })).toThrow(ConfigError);
    expect(() => loadConfig({ KOTAE_CONCURRENCY: 'many' })).toThrow(/KOTAE_CONCURRENCY/);
    expect(() => loadConfig({ KOTAE_EMBEDDINGS: 'openai' })).toThrow(/OPENAI_API_KEY/);
  });

  it('takes the bulk-job lease TTL in milliseconds, 60 s by default, not under a second', () => {
    expect(loadConfig({}).bulk.jobTtlMs).toBe(60_000);
    expect(loadConfig({ KOTAE_JOB_TTL_MS: '5000' }).bulk.jobTtlMs).toBe(5000);
    expect(() => loadConfig({ KOTAE_JOB_TTL_MS: '200' })).toThrow(/KOTAE_JOB_TTL_MS/);
    expect(() => loadConfig({ KOTAE_JOB_TTL_MS: '1m' })).toThrow(/KOTAE_JOB_TTL_MS/);
  });

  it('parses approver lists and channel defaults', () => {
    const config = loadConfig({ KOTAE_APPROVERS: 'U1, U2,', KOTAE_CHANNEL_PRODUCTS: 'C1:krew,C2:cybozu' });
    expect(config.review.approvers).toEqual(['U1', 'U2']);
    expect(config.slack.channelProducts.get('C2')).toBe('cybozu');
    expect(() => loadConfig({ KOTAE_CHANNEL_PRODUCTS: 'C1' })).toThrow(/KOTAE_CHANNEL_PRODUCTS/);
  });

  it('keeps configured secrets out of logs', () => {
    loadConfig({ SLACK_SIGNING_SECRET: 'a1b2c3d4e5f6-signing', OPENAI_API_KEY: 'plain-key-without-prefix' });
    const lines: string[] = [];
    const log = createLogger('info', (l) => lines.push(l));
    log.error('request failed', { err: new Error('bad key plain-key-without-prefix'), secret: 'a1b2c3d4e5f6-signing', token: 'xoxb-123-456-abc' });
    const out = lines.join('');
    expect(out).not.toContain('plain-key-without-prefix');
    expect(out).not.toContain('a1b2c3d4e5f6-signing');
    expect(out).not.toContain('xoxb-123-456-abc');
    expect(out).toContain('[redacted]');
  });

  it('does not mask ordinary words that happen to contain a key prefix', () => {
    const lines: string[] = [];
    createLogger('info', (l) => lines.push(l)).info('risk-assessment-policy and task-management-notes reviewed');
    expect(lines.join('')).toContain('risk-assessment-policy and task-management-notes');
  });
});
