/**
 * A caution belongs to the ask it comes from (issue #9: status follows scope). A qualifier one
 * ask of a multi-part question names ("…deleted accidentally") reaches only the rows cited for
 * that ask: a row writing off that case says no to that ask, not to the others it answers, and
 * the whole answer is partial. A question whose one ask is that case still reads no. A remark
 * denying a certificate is no to a question asking only for the certificate, however the
 * question opens with the occasion ("When our contract is terminated, …") or names what the
 * certificate is of; partial beside an ask of its own about the erasure. Real ingest of this
 * test's own made-up checksheet, in Japanese and in English.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config.js';
import { createApp, runIngest, type App } from '../../src/app.js';
import { createLogger } from '../../src/log.js';
import { acrossAsks } from '../../src/judge/judge.js';
import { askCautions } from '../../src/retrieve/caution.js';
import { leadingOccasion } from '../../src/retrieve/polarity.js';
import type { Passage } from '../../src/domain.js';
import { expandQuery } from '../../src/retrieve/expand.js';
import { loadLexicon } from '../../src/retrieve/lexicon.js';
import { compile } from '../../src/retrieve/match.js';
import { remarkAsked, remarkDenies } from '../../src/retrieve/remark-denial.js';
import { tempCorpus } from '../support/corpus.js';

const CHECKSHEET = [
  '# mokurenセキュリティチェックシート',
  '',
  '項番\t確認事項\t実施有無\t備考',
  '<b>3 保管</b>\t\t\t',
  '3-1\t利用者の保存ファイルを定期的にバックアップし、復元できることを確認すること。\t○\t保存ファイルは毎時バックアップしています。復元手順は四半期ごとの訓練で確認しています。なお、このバックアップは設備障害への備えであり、利用者が誤って削除したファイルの復元には使用しておりません。',
  '3-2\t契約終了時に利用者のデータを削除すること。\t○\t契約終了から14日後に保存ファイルと設定情報を消去します。なお、削除の証明書は発行しておりません。',
  '3-3\t通信を暗号化すること。\t○\t通信はすべてTLS1.2以上で暗号化しています。',
  '',
].join('\n');

describe('per-ask cautions', () => {
  it('gives each ask the qualifier its own words name, and every ask one no ask names alone', () => {
    const asks = ['How often are files backed up', 'can files deleted accidentally be restored'];
    const [first, second] = askCautions(`${asks[0]}, and ${asks[1]}?`, asks);
    expect(first).toEqual([]);
    expect(second?.[0]?.kind).toBe('qualifier');
    const shared = askCautions('For files deleted by mistake: are they backed up, and can they be restored?', ['are they backed up', 'can they be restored']);
    expect(shared.every((cs) => cs.some((c) => c.kind === 'qualifier'))).toBe(true);
  });

  it('combines an ask read no with another read yes as partial; all no as no', () => {
    expect(acrossAsks(['yes', 'yes', 'no'])).toBe('partial');
    expect(acrossAsks(['no', 'no'])).toBe('no');
    expect(acrossAsks(['partial'])).toBe('partial');
    expect(acrossAsks(['no', 'unknown'])).toBe('unknown');
  });

  it('reads the occasion a question opens with', () => {
    expect(leadingOccasion('When our contract is terminated, will you issue a certificate?')).toBe('When our contract is terminated');
    expect(leadingOccasion('解約した場合、証明書はもらえますか。')).toBe('解約した場合');
    expect(leadingOccasion('When the account is closed, will you keep a copy?')).toBe('When the account is closed');
    expect(leadingOccasion('Do you hand over a certificate, and when?')).toBeNull();
  });
});

describe('a remark denying the certificate asked for', () => {
  const lexicon = loadLexicon();
  const effect = (question: string, answer: string): string | null => {
    const own = expandQuery(question, lexicon).concepts;
    const row = { answer, requirement: '', status: 'partial' } as Pick<Passage, 'answer' | 'requirement' | 'status'> as Passage;
    return remarkDenies(remarkAsked(question, compile(own), own, lexicon), row)?.effect ?? null;
  };

  it('is no when what the certificate is of is all the other sentence states', () => {
    const row = 'バックアップは契約終了から7日後に消去します。証明書の発行は行っておりません。';
    expect(effect('バックアップ消去の証明書はもらえますか。', row)).toBe('no');
    expect(effect('バックアップは消去されますか。また、その証明書はもらえますか。', row)).toBe('partial');
  });
});

describe('statuses of a multi-part question follow each ask', () => {
  let root: string;
  let config: Config;
  let app: App;
  const logger = createLogger('silent');

  beforeAll(async () => {
    const made = tempCorpus('kotae-askcaution-', { file: 'mokuren.txt', product: 'mokuren', vendor: null, title: 'mokurenセキュリティチェックシート', format: 'checksheet-text', language: 'ja' }, CHECKSHEET);
    root = made.root;
    config = { ...loadConfig({ KOTAE_LOG_LEVEL: 'silent' }), dataDir: made.dataDir, corpusDir: made.corpusDir };
    expect((await runIngest(config, { logger })).failed).toBe(0);
    app = await createApp(config, { logger });
  });
  afterAll(async () => {
    await app.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('answers partial when a row writes off the case one ask names and answers the others', async () => {
    for (const question of [
      'Tell us (1) how often stored files are backed up, (2) whether restores are rehearsed, and (3) whether files a user deleted accidentally can be restored from backup.',
      '保存ファイルのバックアップはどのくらいの頻度で取っていますか。また、利用者が誤って削除したファイルもバックアップから戻せますか。',
    ]) {
      const { draft } = await app.ask(question, 'mokuren');
      expect(draft.citations[0]?.ref, question).toBe('3-1');
      expect(draft.status, question).toBe('partial');
      expect(draft.reason, question).toContain('3-1');
    }
  });

  it('still answers no when the case written off is all that is asked', async () => {
    const { draft } = await app.ask('Can files a user deleted accidentally be restored from backup?', 'mokuren');
    expect(draft.citations[0]?.ref).toBe('3-1');
    expect(draft.status).toBe('no');
  });

  it('answers no to a question asking only for the certificate, partial beside an ask about the erasure', async () => {
    for (const question of ['When our contract is terminated, will you issue a certificate of deletion?', '契約終了時に、データ消去の証明書は発行してもらえますか。']) {
      const { draft } = await app.ask(question, 'mokuren');
      expect(draft.citations[0]?.ref, question).toBe('3-2');
      expect(draft.status, `${question} ${draft.reason}`).toBe('no');
    }
    const { draft } = await app.ask('After the contract ends, are our files deleted, and will you issue a certificate of deletion?', 'mokuren');
    expect(draft.citations[0]?.ref).toBe('3-2');
    expect(draft.status).toBe('partial');
  });
});
