/**
 * The answer library reuses an approval only for a question that asks the same thing: every
 * distinctive idea of each question must be in the other, so an approval that shares only a
 * generic idea ("customer data") with a new question is neither served nor cited for it, and
 * a negative question never takes the approved answer of its positive twin. An English
 * approval that quotes its Japanese evidence is English: asked again in English, it comes back
 * as it was approved, not as "not yet translated". Real ingest and approvals, this test's own
 * checksheet.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config.js';
import { createApp, runIngest, type App } from '../../src/app.js';
import { createLogger } from '../../src/log.js';
import { writtenLanguage } from '../../src/draft/translations.js';
import { gather } from '../../src/retrieve/retrieve.js';
import { loadLexicon } from '../../src/retrieve/lexicon.js';
import { tempCorpus } from '../support/corpus.js';

const CHECKSHEET = [
  '# sakuraセキュリティチェックシート',
  '',
  '項番\t確認事項\t実施有無\t備考',
  '<b>1 データ</b>\t\t\t',
  '1-1\t利用者データの保管場所を明示すること。\t○\t利用者データは国内の二拠点のデータセンターに保管しています。',
  '1-2\t保管データを暗号化すること。\t○\t保管データはAES-256で暗号化し、年1回外部監査法人の監査を受けています。',
  '1-3\t利用者データのバックアップを取得すること。\t○\t利用者データは毎日バックアップしています。',
  '',
].join('\n');

describe('writtenLanguage', () => {
  it('is the language of the answer’s own words, not of what it quotes', () => {
    expect(writtenLanguage('Yes. Stored data is encrypted, according to item 1-2.\nQuoted from (item 1-2):\n> 保管データはAES-256で暗号化し、年1回外部監査法人の監査を受けています。')).toBe('en');
    expect(writtenLanguage('Yes: see 「保管データの暗号化」 in our checksheet.')).toBe('en');
    expect(writtenLanguage('はい。保管データはAES-256 (Advanced Encryption Standard) で暗号化しています。')).toBe('ja');
    expect(writtenLanguage('Yes.')).toBe('en');
    expect(writtenLanguage('はい。')).toBe('ja');
  });
});

describe('reusing approved answers', () => {
  let root: string;
  let config: Config;
  let app: App;
  const logger = createLogger('silent');

  const approve = async (question: string, text: string): Promise<string> => {
    const asked = await app.ask(question, 'sakura', { enqueue: { askedBy: 'U_SALES' } });
    const id = asked.review?.id ?? '';
    await app.reviews.approve(id, { as: 'U_SEC', text, status: 'yes' });
    return id;
  };

  beforeAll(async () => {
    const made = tempCorpus('kotae-reuse-', { file: 'sakura.txt', product: 'sakura', vendor: null, title: 'sakuraセキュリティチェックシート', format: 'checksheet-text', language: 'ja' }, CHECKSHEET);
    root = made.root;
    config = { ...loadConfig({ KOTAE_LOG_LEVEL: 'silent', KOTAE_APPROVERS: 'U_SEC' }), dataDir: made.dataDir, corpusDir: made.corpusDir };
    expect((await runIngest(config, { logger })).failed).toBe(0);
    app = await createApp(config, { logger });
  });
  afterAll(async () => {
    await app.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('does not serve an approval that shares only a generic idea with the question', async () => {
    const text = 'Yes. Encryption of stored customer data is reviewed every year by an external audit firm.\nQuoted from (item 1-2):\n> 保管データはAES-256で暗号化し、年1回外部監査法人の監査を受けています。';
    const id = await approve('Is the encryption of stored customer data audited by an external firm?', text);
    const deps = { store: app.store, embedder: app.embedder, lexicon: loadLexicon() };
    for (const question of ['Where is customer data stored?', 'Is customer data backed up?', 'Is stored customer data encrypted?']) {
      // Not even a candidate: nothing for the ranker to put first on shared words.
      const found = await gather(deps, question, 'sakura');
      expect(found.candidates.map((c) => c.passage.id), question).not.toContain(`review#${id}`);
      const { draft } = await app.ask(question, 'sakura');
      expect(draft.draft, question).not.toContain(text);
      expect(draft.citations.map((c) => c.locator), question).not.toContain(`review #${id}`);
    }
    // The same question in other words still gets it, as approved and in its own language.
    const same = await app.ask('Is stored customer data encryption audited by an external firm?', 'sakura');
    expect(same.draft.citations[0]?.locator).toBe(`review #${id}`);
    expect(same.draft.draft).toBe(text);
    expect(same.draft.draft).not.toMatch(/not yet translated/);
  });

  it('does not answer a negative question from the approved answer to its positive twin', async () => {
    const id = await approve('Do you back up customer data every day?', 'Yes. Customer data is backed up daily.');
    const twin = await app.ask('Do you not back up customer data every day?', 'sakura');
    expect(twin.draft.citations.map((c) => c.locator)).not.toContain(`review #${id}`);
    expect(twin.draft.status).not.toBe('yes');
  });
});
