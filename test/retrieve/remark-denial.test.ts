/**
 * A checksheet row marked ○ whose remark says, in so many words, that exactly what the customer
 * asks is not done (「…の定期的な報告は行っておりません」, 「※タブレット端末では動作しません」,
 * 「管理者アカウントは存在しません」): kotae answers no, or partial when the same sentence says what
 * is done instead, never yes from the mark. A denial of something else in the same remark (the
 * tablet for a question about Windows, the customer's own tests for a question about the
 * vendor's) leaves the row's answer alone. Real ingest of this test's own made-up checksheet;
 * English remarks are read by the same rule, row by row.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import type { Passage } from '../../src/domain.js';
import { expandQuery } from '../../src/retrieve/expand.js';
import { loadLexicon } from '../../src/retrieve/lexicon.js';
import { compile } from '../../src/retrieve/match.js';
import { remarkAsked, remarkDenies } from '../../src/retrieve/remark-denial.js';
import { appOver, tempCorpus } from '../support/corpus.js';

const CHECKSHEET = [
  '# hoshiセキュリティチェックシート',
  '',
  '項番\t確認事項\t実施有無\t備考',
  '<b>1 インシデント</b>\t\t\t',
  '1-1\tセキュリティインシデントの発生状況をまとめ、定期的に利用者へ報告すること。\t○\tインシデントの定期的な報告は行っておりませんが、重大なインシデントは発生の都度メールでお知らせします。',
  '<b>2 ログ</b>\t\t\t',
  '2-1\t操作ログを取得し、保管すること。\t○\t操作ログは1年間保管しています。利用者への操作ログの提供は行っていません。',
  '<b>3 端末</b>\t\t\t',
  '3-1\t利用できる端末とブラウザを明示すること。\t○\tWindows、macOSのブラウザで利用できます。※タブレット端末では動作しません。',
  '<b>4 権限</b>\t\t\t',
  '4-1\t管理者権限を適切に管理すること。\t○\t本サービスには管理者アカウントは存在しません。',
  '<b>5 診断</b>\t\t\t',
  '5-1\t脆弱性診断を定期的に実施すること。\t○\t年1回、第三者機関による脆弱性診断を実施しています。利用者による脆弱性診断は受け付けておりません。',
  '<b>6 消去</b>\t\t\t',
  '6-1\t解約時のデータ消去について明示すること。\t○\t解約後30日でデータを消去します。消去証明書の発行は行っておりません。',
  '<b>7 暗号化</b>\t\t\t',
  '7-1\t通信及び保存データを暗号化すること。\t○\t通信はTLS1.2以上で暗号化しています。バックアップデータは暗号化していません。',
  '',
].join('\n');

let app: App;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ app, close } = await appOver(tempCorpus('kotae-remark-denial-', { file: 'hoshi.txt', product: 'hoshi', vendor: null, title: 'hoshiセキュリティチェックシート', format: 'checksheet-text', language: 'ja' }, CHECKSHEET)));
}, 120_000);

afterAll(() => close());

const ask = async (question: string) => (await app.ask(question, 'hoshi')).draft;
const cited = (d: Awaited<ReturnType<typeof ask>>): string => d.citations[0]?.ref ?? '';

describe('a ○ row whose remark says exactly what is asked is not done', () => {
  it('answers no, flagged, quoting the denial, in either language', async () => {
    for (const [question, ref, denial] of [
      ['Can we get a copy of the operation logs?', '2-1', '操作ログの提供は行っていません'],
      ['操作ログを弊社に提供していただけますか。', '2-1', '操作ログの提供は行っていません'],
      ['タブレットでも利用できますか。', '3-1', 'タブレット端末では動作しません'],
      ['Are there administrator accounts in the service?', '4-1', '管理者アカウントは存在しません'],
      ['Will you issue a certificate of data deletion?', '6-1', '消去証明書の発行は行っておりません'],
      ['Are backups encrypted?', '7-1', 'バックアップデータは暗号化していません'],
    ] as const) {
      const d = await ask(question);
      expect([question, cited(d), d.status]).toEqual([question, ref, 'no']);
      expect(d.needsHuman).toBe(true);
      expect(d.reason, question).toMatch(/「いいえ」|answer is no/);
      if (d.reason.includes('備考') || d.reason.includes('remark')) expect(d.reason, question).toContain(denial);
    }
  });

  it('answers no to the customer’s own test when the remark refuses it, though the vendor tests itself (clauses.ts: the customer’s clause decides)', async () => {
    // The customer's side in plain words (こちらで, 私たちが) as in formal ones (弊社側で).
    for (const question of [
      'Can we run our own vulnerability scan against your service?',
      '弊社側で脆弱性診断を実施してもよろしいでしょうか。',
      'こちらで脆弱性診断を実施してもよろしいでしょうか。',
      '導入前に、こちらで手配した業者に脆弱性診断をやってもらってもいいですか。',
      '私たちが脆弱性診断を行っても大丈夫ですか。',
    ]) {
      const d = await ask(question);
      expect([question, cited(d), d.status]).toEqual([question, '5-1', 'no']);
      expect(d.needsHuman).toBe(true);
      expect(d.reason, question).toContain('利用者による脆弱性診断は受け付けておりません');
    }
  });

  it('answers partial when another sentence of the remark says another part of what is asked is done', async () => {
    const d = await ask('Will you issue a certificate of data deletion when the contract is cancelled?');
    expect([cited(d), d.status]).toEqual(['6-1', 'partial']);
    expect(d.reason).toContain('消去証明書の発行は行っておりません');
  });

  it('answers partial when the same sentence says what is done instead, or the remark does it for another part asked', async () => {
    for (const question of ['Do you send customers a periodic report of security incidents?', 'セキュリティインシデントの定期的な報告を受け取ることはできますか。', 'Is data encrypted both in transit and in backups?']) {
      const d = await ask(question);
      expect([question, d.status]).toEqual([question, 'partial']);
      expect(d.needsHuman).toBe(true);
    }
  });
});

describe('a denial of something else in the same remark', () => {
  it('is not read as the answer: the row answers as it did', async () => {
    for (const [question, ref] of [
      ['Are customers notified of serious security incidents by email?', '1-1'],
      ['操作ログは取得していますか。', '2-1'],
      ['How long are operation logs kept?', '2-1'],
      ['Windowsのブラウザで利用できますか。', '3-1'],
      ['Do you perform vulnerability assessments on the service?', '5-1'],
      ['第三者機関による脆弱性診断を実施していますか。', '5-1'],
      ['Is customer data deleted after cancellation?', '6-1'],
      ['Is data encrypted in transit?', '7-1'],
    ] as const) {
      const d = await ask(question);
      expect([question, cited(d)]).toEqual([question, ref]);
      expect(d.status, question).not.toBe('no');
      expect(d.reason, question).not.toMatch(/備考は|row’s remark/);
    }
  });

  it('answers yes where the row states the control and the denial is about another case', async () => {
    for (const question of ['Windowsのブラウザで利用できますか。', 'Is customer data deleted after cancellation?']) expect((await ask(question)).status, question).toBe('yes');
  });

  it('does not turn a question about managing a thing into no because the thing does not exist', async () => {
    const d = await ask('Are administrator privileges managed appropriately?');
    expect(d.status).not.toBe('no');
  });
});

describe('an English remark', () => {
  const lexicon = loadLexicon();
  const effect = (question: string, answer: string): string | null => {
    const own = expandQuery(question, lexicon).concepts;
    const row = { answer, requirement: '', status: 'yes' } as Pick<Passage, 'answer' | 'requirement' | 'status'> as Passage;
    return remarkDenies(remarkAsked(question, compile(own), own, lexicon), row)?.effect ?? null;
  };

  it('denying what is asked answers no', () => {
    expect(effect('Can we get log exports?', 'Logs are retained for 12 months. Log exports are not provided to customers.')).toBe('no');
    expect(effect('Can we run our own penetration test?', 'Penetration tests by customers are not permitted.')).toBe('no');
    expect(effect('Will you issue a certificate of deletion?', 'We do not issue certificates of deletion.')).toBe('no');
  });

  it('denying something else is no answer to the question', () => {
    expect(effect('How long are logs retained?', 'Logs are retained for 12 months. Log exports are not provided to customers.')).toBeNull();
    expect(effect('Do you run penetration tests?', 'Penetration tests by customers are not permitted.')).toBeNull();
  });
});
