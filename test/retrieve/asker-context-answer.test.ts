/**
 * The asker's statement about itself is not answered: "We hold ISO 27001 ourselves. Do you
 * encrypt backups?" is answered from the backup row, and the certification row is not cited for
 * the customer's own certificate. When the ask leans on the statement ("… What is your
 * minimum?"), the statement's words still find the row. Real ingest into LanceDB of this
 * test's own policy text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { retrievalText } from '../../src/retrieve/question-text.js';
import { appOver, tempCorpus } from '../support/corpus.js';

const POLICY = [
  '# 認証',
  '',
  '当社はISO/IEC 27001の認証を取得しております。',
  '',
  '# バックアップ',
  '',
  'バックアップデータはAES-256で暗号化して保管しております。',
  '',
  '# パスワード',
  '',
  'パスワードは10文字以上とし、英数字記号の混在を必須としております。',
  '',
].join('\n');

describe('retrievalText without the asker’s context', () => {
  it('leaves the statement out when the ask names its own subject, and keeps it when the ask leans on it', () => {
    expect(retrievalText('We are ISO 27001 certified ourselves. Do you encrypt backups?')).toBe('Do you encrypt backups?');
    expect(retrievalText('弊社はISMS認証を取得しております。バックアップは暗号化していますか?')).toBe('バックアップは暗号化していますか?');
    expect(retrievalText('Our standard requires 10-character passwords. What is your minimum?')).toBe('Our standard requires 10-character passwords. What is your minimum?');
    expect(retrievalText('Our contract forbids offshore support. Do you comply with that?')).toBe('Our contract forbids offshore support. Do you comply with that?');
    // An ask with only a generic noun of its own (status, 状況) takes its subject from the statement.
    expect(retrievalText('We require SOC 2 reports from all suppliers. What is your current status?')).toBe('We require SOC 2 reports from all suppliers. What is your current status?');
    expect(retrievalText('委託先にはPマークの取得をお願いしております。取得状況を教えてください。')).toBe('委託先にはPマークの取得をお願いしております。取得状況を教えてください。');
  });
});

describe('asking after a statement of the asker’s own', () => {
  let app: App;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ app, close } = await appOver(tempCorpus('kotae-asker-', { file: 'policy.md', product: 'acme', vendor: 'Example K.K.', title: 'セキュリティ対策', format: 'markdown', language: 'ja' }, POLICY)));
  }, 120_000);
  afterAll(() => close());

  it('answers the ask, not the customer’s own certificate', async () => {
    const { draft } = await app.ask('We are ISO 27001 certified ourselves and expect the same of suppliers. Do you encrypt backups?', 'acme');
    expect(draft.citations[0]?.text).toContain('暗号化');
    expect(draft.citations.some((c) => c.text.includes('27001'))).toBe(false);
  });

  it('still finds the row when the ask leans on the statement', async () => {
    const { draft } = await app.ask('Our standard requires passwords of at least 12 characters. What is your minimum?', 'acme');
    expect(draft.citations[0]?.text).toContain('10文字以上');
  });
});
