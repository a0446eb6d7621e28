/**
 * A questionnaire cell that starts with a formula trigger or a typed formula ("@SUM(1+1) …",
 * "'=…") is still a question about its text: retrieval reads it without the spreadsheet
 * artefacts, and answers it as it answers the plain text. Real ingest into LanceDB of this
 * test's own policy text.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config.js';
import { createApp, runIngest } from '../../src/app.js';
import { createLogger } from '../../src/log.js';
import { retrievalText } from '../../src/retrieve/question-text.js';
import { tempCorpus } from '../support/corpus.js';

const POLICY = [
  '# 監査ログ',
  '',
  '管理画面の操作ログを監査ログとして記録し、ログの保存期間は13か月としております。',
  '',
  '# 入退室管理',
  '',
  '執務室への入退室はICカードで管理しております。',
  '',
  '# バックアップ',
  '',
  '毎日バックアップを取得しております。',
  '',
].join('\n');

describe('retrievalText', () => {
  it('drops formula escapes, triggers and leading formulas, and keeps the question', () => {
    expect(retrievalText("'=ログは保存されますか")).toBe('ログは保存されますか');
    expect(retrievalText('=ログは保存されますか')).toBe('ログは保存されますか');
    expect(retrievalText('@SUM(1+1) ログは保存されますか')).toBe('ログは保存されますか');
    expect(retrievalText('=IF(A1>0,1,0)+HYPERLINK("x") Are logs kept?')).toBe('Are logs kept?');
    expect(retrievalText('Are logs kept for 90 days? (see 1+1)')).toBe('Are logs kept for 90 days? (see 1+1)');
    expect(retrievalText('-')).toBe('-');
    expect(retrievalText('=SUM(1+1)')).toBe('=SUM(1+1)');
  });

  it('drops the item label a standard questionnaire puts before its question, and keeps what a label asks about', () => {
    expect(retrievalText('HECVAT: Are audit logs retained?')).toBe('Are audit logs retained?');
    expect(retrievalText('CAIQ v4.0.2 LOG-05: Are audit logs retained?')).toBe('Are audit logs retained?');
    expect(retrievalText('[SIG Lite] 監査ログは保存されますか')).toBe('監査ログは保存されますか');
    expect(retrievalText('LOG-05 - Are audit logs retained?')).toBe('Are audit logs retained?');
    // A bare domain code of the Cloud Controls Matrix that CAIQ asks by is filing too.
    expect(retrievalText('UEM: Are lost laptops wiped remotely?')).toBe('Are lost laptops wiped remotely?');
    expect(retrievalText('A&A: Are audit reports shared with customers?')).toBe('Are audit reports shared with customers?');
    // A standard, a certification or a topic before the colon is what is asked.
    expect(retrievalText('ISO 27001: do you hold the certificate?')).toBe('ISO 27001: do you hold the certificate?');
    expect(retrievalText('SOC 2: Do you have a Type II report?')).toBe('SOC 2: Do you have a Type II report?');
    expect(retrievalText('MFA: is it required for administrators?')).toBe('MFA: is it required for administrators?');
    // A label with nothing after it is all there is.
    expect(retrievalText('HECVAT')).toBe('HECVAT');
  });
});

describe('asking with a formula-like prefix', () => {
  let root: string;
  let config: Config;
  const logger = createLogger('silent');

  beforeAll(async () => {
    const made = tempCorpus('kotae-qtext-', { file: 'policy.md', product: 'acme', vendor: 'Example K.K.', title: 'セキュリティ対策', format: 'markdown', language: 'ja' }, POLICY);
    root = made.root;
    config = { ...loadConfig({ KOTAE_LOG_LEVEL: 'silent' }), dataDir: made.dataDir, corpusDir: made.corpusDir };
    expect((await runIngest(config, { logger })).failed).toBe(0);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('answers "@SUM(1+1) 監査ログの保存期間は?" from the audit-log row, as it answers the plain question', async () => {
    const app = await createApp(config, { logger });
    try {
      const plain = await app.ask('監査ログの保存期間は?', 'acme');
      const prefixed = await app.ask('@SUM(1+1) 監査ログの保存期間は?', 'acme');
      expect(plain.draft.abstained).toBe(false);
      expect(prefixed.draft.abstained).toBe(false);
      expect(prefixed.draft.citations[0]?.text).toContain('保存期間は13か月');
      expect(prefixed.draft.citations.map((c) => c.id)).toEqual(plain.draft.citations.map((c) => c.id));
    } finally {
      await app.close();
    }
  });

  it('answers "CAIQ IVS: How long are audit logs retained?" as it answers the question without the label, just as sure', async () => {
    const app = await createApp(config, { logger });
    try {
      const plain = await app.ask('How long are audit logs retained?', 'acme');
      for (const label of ['CAIQ IVS:', 'HECVAT:']) {
        const labelled = await app.ask(`${label} How long are audit logs retained?`, 'acme');
        expect(labelled.draft.abstained).toBe(false);
        expect(labelled.draft.confidence).toBe(plain.draft.confidence);
        expect(labelled.draft.citations[0]?.text).toContain('保存期間は13か月');
        expect(labelled.draft.citations.map((c) => c.id)).toEqual(plain.draft.citations.map((c) => c.id));
      }
    } finally {
      await app.close();
    }
  });

  it('shows reviewers the question as the customer wrote it: a leading + of a phone number is kept', async () => {
    const app = await createApp(config, { logger });
    try {
      const asked = '+81-3-0000-0000 への連絡で、監査ログの保存期間を確認できますか?';
      const { draft } = await app.ask(asked, 'acme');
      expect(draft.question).toBe(asked);
    } finally {
      await app.close();
    }
  });

  it('reuses an approval whose question was stored with a formula prefix for the same question asked plainly', async () => {
    const approving = { ...config, review: { ...config.review, approvers: ['U_SEC'], fourEyes: false } };
    const app = await createApp(approving, { logger });
    try {
      const { review } = await app.ask('@SUM(1+1) 監査ログの保存期間は?', 'acme', { enqueue: { askedBy: 'U_SALES' } });
      expect(review?.question).toBe('@SUM(1+1) 監査ログの保存期間は?');
      await app.reviews.approve(review?.id ?? '', { as: 'U_SEC', text: '監査ログは13か月保存しております。', status: 'yes' });
      const again = await app.ask('監査ログの保存期間は?', 'acme');
      expect(again.draft.citations[0]?.kind).toBe('approved');
      expect(again.draft.draft).toContain('13か月保存しております');
    } finally {
      await app.close();
    }
  });
});
