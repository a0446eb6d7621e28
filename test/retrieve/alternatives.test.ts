/**
 * Evidence that names a different cloud vendor or region than the question asks about is not
 * a "yes": "hosted on Azure?" answered from a row that says AWS, or "stored outside Japan?"
 * from a row that says Tokyo, must come out unknown, flagged and less sure. Real ingest into
 * LanceDB of this test's own checksheet.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config.js';
import { createApp, runIngest } from '../../src/app.js';
import { createLogger } from '../../src/log.js';
import { askedAlternatives, contradicts, namesProvider, namesRegion } from '../../src/retrieve/alternatives.js';
import { textKey } from '../../src/retrieve/match.js';
import { tempCorpus } from '../support/corpus.js';

const CHECKSHEET = [
  '# acmeセキュリティチェックシート',
  '',
  '項番\t確認事項\t実施有無\t備考',
  '<b>1 運用</b>\t\t\t',
  '1-1\tサービスの稼働環境を明示すること。\t○\t本サービスはAmazon Web Services(AWS)上でホストしており、データは東京リージョンに保管しています。',
  '1-2\tデータベースのバックアップを取得すること。\t○\tデータベースは毎日バックアップを取得し、7日間保持しています。',
  '1-3\t執務室への入退室を管理すること。\t○\t執務室への入退室はICカードで管理しています。',
  '',
].join('\n');

const row = textKey('本サービスはAWS上で稼働し、東京リージョンを利用しております。');
const against = (question: string): boolean => contradicts(askedAlternatives(textKey(question)), row);

describe('contradicts', () => {
  it('a row naming another vendor or region of the group asked about contradicts the question', () => {
    expect(against('Is the service hosted on Microsoft Azure?')).toBe(true);
    expect(against('Google Cloud上で稼働していますか')).toBe(true);
    expect(against('Is customer data stored in the EU?')).toBe(true);
    expect(against('Is any customer data stored outside Japan?')).toBe(true);
    expect(against('データを海外に保管することはありますか')).toBe(true);
  });
  it('a row naming the one asked about, or a question naming none, does not', () => {
    expect(against('Is the service hosted on AWS?')).toBe(false);
    expect(against('Is customer data stored in Japan?')).toBe(false);
    expect(against('データは日本国内に保管されていますか')).toBe(false);
    expect(against('Do you back up the database daily?')).toBe(false);
  });
});

describe('namesProvider', () => {
  it('tells a row naming a cloud vendor from one naming only a country or nothing', () => {
    expect(namesProvider(textKey('本番環境はGoogle Cloud上に構築しております。'))).toBe(true);
    expect(namesProvider(textKey('アマゾン ウェブ サービスを利用'))).toBe(true);
    expect(namesProvider(textKey('データは日本国内に保管しております。'))).toBe(false);
    expect(namesProvider(textKey('自社のデータセンターで運用しております。'))).toBe(false);
  });
});

describe('namesRegion', () => {
  it('tells a row naming a country or region from one naming only a vendor', () => {
    expect(namesRegion(textKey('データはシンガポールに保管しております。'))).toBe(true);
    expect(namesRegion(textKey('国内のデータセンターを利用'))).toBe(true);
    expect(namesRegion(textKey('Microsoft Azureを利用しております。'))).toBe(false);
  });
});

describe('asking about an alternative the documents contradict', () => {
  let root: string;
  let config: Config;
  const logger = createLogger('silent');

  beforeAll(async () => {
    const made = tempCorpus('kotae-alt-', { file: 'acme.txt', product: 'acme', vendor: null, title: 'acmeセキュリティチェックシート', format: 'checksheet-text', language: 'ja' }, CHECKSHEET);
    root = made.root;
    config = { ...loadConfig({ KOTAE_LOG_LEVEL: 'silent' }), dataDir: made.dataDir, corpusDir: made.corpusDir };
    expect((await runIngest(config, { logger })).failed).toBe(0);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('does not answer yes, flags the draft and is less sure than for the vendor the row names', async () => {
    const app = await createApp(config, { logger });
    try {
      const named = await app.ask('Is the service hosted on AWS?', 'acme');
      const other = await app.ask('Is the service hosted on Microsoft Azure?', 'acme');
      const abroad = await app.ask('Is any customer data stored outside Japan?', 'acme');
      expect(named.draft.status).toBe('yes');
      for (const { draft } of [other, abroad]) {
        if (draft.abstained) continue; // declining is a right answer too
        expect(draft.status).not.toBe('yes');
        expect(draft.needsHuman).toBe(true);
        expect(draft.confidence).toBeLessThan(named.draft.confidence);
      }
      // Declined with no status (src/domain.ts declines), the row naming the vendor actually used cited for the reviewer.
      expect(other.draft.abstained).toBe(true);
      expect(other.draft.citations[0]?.text).toContain('AWS');
    } finally {
      await app.close();
    }
  });
});
