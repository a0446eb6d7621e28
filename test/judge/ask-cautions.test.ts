/**
 * A caution belongs to the ask it comes from (issue #9: status follows scope). A qualifier one
 * ask of a multi-part question names ("…deleted accidentally") reaches only the rows cited for
 * that ask: a row writing off that case says no to that ask, not to the others it answers, and
 * the whole answer is partial. A question whose one ask is that case still reads no. Real
 * ingest of this test's own made-up checksheet, in Japanese and in English.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { acrossAsks } from '../../src/judge/judge.js';
import { askCautions } from '../../src/retrieve/caution.js';
import { appOver, tempCorpus } from '../support/corpus.js';

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

});

describe('statuses of a multi-part question follow each ask', () => {
  let app: App;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ app, close } = await appOver(tempCorpus('kotae-askcaution-', { file: 'mokuren.txt', product: 'mokuren', vendor: null, title: 'mokurenセキュリティチェックシート', format: 'checksheet-text', language: 'ja' }, CHECKSHEET)));
  }, 120_000);
  afterAll(() => close());

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

  it('answers each ask with its own status when one row answers them all, yes to one and no to another', async () => {
    const { draft } = await app.ask('Tell us (1) how often stored files are backed up, (2) whether restores are rehearsed, and (3) whether files a user deleted accidentally can be restored from backup.', 'mokuren');
    const lines = draft.draft.split('\n');
    expect(lines.find((l) => l.includes('how often stored files are backed up'))).toMatch(/: hourly, according to item 3-1/i);
    expect(lines.find((l) => l.includes('whether restores are rehearsed'))).toMatch(/: yes, according to item 3-1/);
    expect(lines.find((l) => l.includes('deleted accidentally'))).toMatch(/: no, according to item 3-1/);
    const ja = await app.ask('保存ファイルのバックアップはどのくらいの頻度で取っていますか。また、利用者が誤って削除したファイルもバックアップから戻せますか。', 'mokuren');
    expect(ja.draft.draft).toMatch(/「[^」]*誤って削除したファイル[^」]*」について: いいえ。/);
  });

  it('still answers no when the case written off is all that is asked', async () => {
    const { draft } = await app.ask('Can files a user deleted accidentally be restored from backup?', 'mokuren');
    expect(draft.citations[0]?.ref).toBe('3-1');
    expect(draft.status).toBe('no');
  });
});
