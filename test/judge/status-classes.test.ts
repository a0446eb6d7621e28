/**
 * Statuses a customer would read as the opposite of the vendor's row (issue #9, new-user trial
 * s9): a question asking whether a bad state exists ("is there any laptop without …?") is never
 * answered yes from a row stating the control; a frequency or "immediately" asked is compared
 * with the one the row states; a floor written 最低 is read as one; a row that writes off exactly
 * the case asked about (data lost by the customer's own mistake) is no yes to it; a two-part
 * question whose second part a cited row says is not done is answered partly. Each as a user sees it from
 * `ask`: the status and the reason. Real ingest into LanceDB of this test's own checksheet.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config.js';
import { createApp, runIngest, type App } from '../../src/app.js';
import { createLogger } from '../../src/log.js';
import { tempCorpus } from '../support/corpus.js';

const CHECKSHEET = [
  '# sorateセキュリティチェックシート',
  '',
  '項番\t確認事項\t実施有無\t備考',
  '<b>1 運用</b>\t\t\t',
  '1-1\t全ての業務用端末にマルウェア対策ソフトを導入すること。\t○\t全社の業務用端末にマルウェア対策ソフトを導入し、定義ファイルを自動で更新しています。',
  '1-2\t外部の専門機関による侵入テストを受けること。\t○\t外部の専門機関による侵入テストを毎年1回受けています。',
  '1-3\t契約終了時に利用者データを削除すること。\t○\t契約終了日から60日後に利用者データを削除します。',
  '1-4\t操作ログを保存すること。\t○\t管理者の操作ログは最低6か月間保存しています。',
  '1-6\t利用者が自ら行う脆弱性診断の可否を明示すること。\t×\t利用者による脆弱性診断は受け付けておりません。',
  '1-5\t利用者データのバックアップを取得すること。\t○\t利用者データは毎日バックアップしています。なお、このバックアップは設備の故障に備えたものであり、利用者の誤操作で失われたデータの復元には提供しておりません。',
  '',
].join('\n');

describe('statuses that must not read the opposite way', () => {
  let root: string;
  let config: Config;
  let app: App;
  const logger = createLogger('silent');

  beforeAll(async () => {
    const made = tempCorpus('kotae-status-', { file: 'sorate.txt', product: 'sorate', vendor: null, title: 'sorateセキュリティチェックシート', format: 'checksheet-text', language: 'ja' }, CHECKSHEET);
    root = made.root;
    config = { ...loadConfig({ KOTAE_LOG_LEVEL: 'silent' }), dataDir: made.dataDir, corpusDir: made.corpusDir };
    expect((await runIngest(config, { logger })).failed).toBe(0);
    app = await createApp(config, { logger });
  });
  afterAll(async () => {
    await app.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('answers no, not yes, when asked whether a device without the control exists and the row states the control', async () => {
    for (const [question, why] of [
      ['マルウェア対策ソフトが入っていない業務用端末はありますか', '存在するか'],
      ['Is there any work laptop that has no anti-malware software?', 'any case where the control is missing'],
    ] as const) {
      const { draft } = await app.ask(question, 'sorate');
      expect(draft.citations[0]?.ref, question).toBe('1-1');
      expect(draft.status, question).toBe('no');
      expect(draft.needsHuman, question).toBe(true);
      expect(draft.reason, question).toContain(why);
    }
    // The same row still answers the plain question yes.
    expect((await app.ask('業務用端末にマルウェア対策ソフトを導入していますか', 'sorate')).draft.status).toBe('yes');
  });

  it('answers no when the row states a lower frequency than asked, yes when it meets it', async () => {
    const twice = await app.ask('外部機関の侵入テストを年2回以上受けていますか', 'sorate');
    expect(twice.draft.citations[0]?.ref).toBe('1-2');
    expect(twice.draft.status).toBe('no');
    expect(twice.draft.reason).toContain('毎年1回');
    expect((await app.ask('外部機関の侵入テストを年1回以上受けていますか', 'sorate')).draft.status).toBe('yes');
  });

  it('answers no to "immediately" when the row states a deadline of days', async () => {
    const { draft } = await app.ask('Is our data deleted immediately once the contract ends?', 'sorate');
    expect(draft.citations[0]?.ref).toBe('1-3');
    expect(draft.status).toBe('no');
    expect(draft.reason).toContain('60日');
  });

  it('answers no when the row states a floor short of the one asked with 最低', async () => {
    const { draft } = await app.ask('操作ログは最低12か月保存していますか', 'sorate');
    expect(draft.citations[0]?.ref).toBe('1-4');
    expect(draft.status).toBe('no');
    expect(draft.reason).toContain('6か月');
  });

  it('answers no when the row writes off exactly the case asked about, yes to what the row does', async () => {
    for (const question of ['利用者が誤って消したデータをバックアップから戻してもらえますか', 'If one of our users deletes records by mistake, can you bring them back from a backup?']) {
      const { draft } = await app.ask(question, 'sorate');
      expect(draft.citations[0]?.ref, question).toBe('1-5');
      expect(draft.status, question).toBe('no');
      expect(draft.reason, question).toContain('誤操作');
    }
    expect((await app.ask('利用者データのバックアップを毎日取得していますか', 'sorate')).draft.status).toBe('yes');
  });

  it('answers a two-part question partly when the row cited for one part says that part is not done', async () => {
    const { draft } = await app.ask('外部の専門機関による侵入テストを受けていますか。また、利用者が自分で診断を行うことはできますか。', 'sorate');
    expect(draft.citations.map((c) => c.ref)).toEqual(['1-2', '1-6']);
    expect(draft.status).toBe('partial');
    expect(draft.reason).toContain('1-6');
  });
});
