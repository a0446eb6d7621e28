/**
 * A row can say that something does NOT happen: a requirement written as a negative control
 * (「解約時に違約金が発生しないこと」 ○), an answer that refuses (「閲覧いたしません」), a sound
 * practice where the question names a weak one (hashed, for "plain text?"). Asked whether that
 * thing happens, kotae must answer no (or partial, for a refusal with exceptions), flagged, with a
 * reason a reviewer can read; asked whether it is kept from happening, yes. A caveat in a row
 * about something the question does not ask ("not offered as a restore service") does not turn
 * a question about how backups are taken into a no; a lead time asked (2週間前までに, "two weeks
 * in advance") is a bound; and an approved answer is not reused for the opposite question or
 * for a different figure. Real ingest of this test's own made-up checksheet.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, runIngest, type App } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { tempCorpus } from '../support/corpus.js';

const CHECKSHEET = [
  '# tsukiセキュリティチェックシート',
  '',
  '項番\t確認事項\t実施有無\t備考',
  '<b>1 契約</b>\t\t\t',
  '1-1\t解約時に違約金などのペナルティが発生しないこと。\t○\t利用規約第8条に記載しています。',
  '1-2\t利用者データへのアクセスを管理すること。\t○\t運用担当者は利用者データを閲覧いたしません。',
  '1-3\t利用者データの第三者提供について定めること。\t○\t法令に基づく場合を除き、利用者データを第三者に開示いたしません。',
  '<b>2 認証</b>\t\t\t',
  '2-1\tパスワードを安全に保存すること。\t○\tパスワードはソルト付きでハッシュ化して保存しています。',
  '2-2\t脆弱性診断を実施すること。\t○\t脆弱性診断は年1回、自社のセキュリティチームが実施しています。',
  '<b>3 運用</b>\t\t\t',
  '3-1\t利用者データのバックアップを取得すること。\t○\tバックアップは毎日自動で取得し、14日分を保管しております。なお、バックアップは障害に備えたものであり、お客様の誤削除からの復元サービスとしては提供しておりません。',
  '3-2\t計画メンテナンスを事前に通知すること。\t○\t計画メンテナンスは5日前までにメールで通知します。',
  '',
].join('\n');

const logger = createLogger('silent');
let root: string;
let config: Config;
let app: App;

beforeAll(async () => {
  const made = tempCorpus('kotae-polarity-', { file: 'tsuki.txt', product: 'tsuki', vendor: null, title: 'tsukiセキュリティチェックシート', format: 'checksheet-text', language: 'ja' }, CHECKSHEET);
  root = made.root;
  config = { ...loadConfig({ KOTAE_LOG_LEVEL: 'silent', KOTAE_APPROVERS: 'U_SEC' }), dataDir: made.dataDir, corpusDir: made.corpusDir };
  expect((await runIngest(config, { logger })).failed).toBe(0);
  app = await createApp(config, { logger });
}, 120_000);

afterAll(async () => {
  await app.close();
  rmSync(root, { recursive: true, force: true });
});

const ask = async (question: string) => (await app.ask(question, 'tsuki')).draft;

describe('a row whose control is that the thing asked about does not happen', () => {
  it('answers no, flagged, quoting the requirement, when asked whether it happens', async () => {
    for (const [question, why] of [
      ['Is there a penalty if we cancel the contract?', 'requires that this does not happen'],
      ['解約すると違約金は発生しますか?', '(そうならないこと)を定めており'],
    ] as const) {
      const d = await ask(question);
      expect(d.citations[0]?.ref, question).toBe('1-1');
      expect(d.status, question).toBe('no');
      expect(d.needsHuman).toBe(true);
      expect(d.reason).toContain(why);
      expect(d.reason).toContain('ペナルティが発生しないこと');
      expect(d.draft).not.toMatch(/^(【要確認】)?はい|Yes\b|Possibly yes/);
    }
  });

  it('is not a no when the question asks whether a rule about it exists', async () => {
    for (const question of ['解約時の違約金の扱いは規約に定められていますか?', 'Is there a documented policy on cancellation penalties?']) {
      const d = await ask(question);
      expect(d.status, question).not.toBe('no');
      expect(d.reason, question).not.toContain('does not happen');
      expect(d.reason, question).not.toContain('そうならないこと');
    }
  });

  it('stays yes when the question asks whether it is kept from happening', async () => {
    for (const question of ['Is it guaranteed that no penalty is charged when we cancel?', '解約時に違約金が発生しないことは保証されていますか?']) {
      const d = await ask(question);
      expect(d.citations[0]?.ref, question).toBe('1-1');
      expect(d.status, question).toBe('yes');
    }
  });
});

describe('a row that refuses what is asked', () => {
  it('answers no when the refusal is the row’s whole statement (閲覧いたしません)', async () => {
    for (const question of ['Do your operators view customer data?', '運用担当者が利用者データを閲覧することはありますか?']) {
      const d = await ask(question);
      expect(d.citations[0]?.ref, question).toBe('1-2');
      expect(d.status, question).toBe('no');
      expect(d.needsHuman).toBe(true);
      expect(d.draft).not.toMatch(/^(【要確認】)?はい|Yes\b|Possibly yes/);
    }
  });

  it('answers partial, quoting the exception, when it refuses except in some cases', async () => {
    const d = await ask('利用者データを第三者に開示することはありますか?');
    expect(d.citations[0]?.ref).toBe('1-3');
    expect(d.status).toBe('partial');
    expect(d.needsHuman).toBe(true);
    expect(d.reason).toContain('一部の場合を除き行わない');
    expect(d.reason).toContain('法令に基づく場合を除き');
  });
});

describe('a question about a weak practice', () => {
  it('is answered no by a row stating the sound practice instead, the two named', async () => {
    for (const [question, weak] of [
      ['Do you store passwords in plain text?', '“plain text”'],
      ['パスワードを平文で保存していますか?', '「平文」'],
    ] as const) {
      const d = await ask(question);
      expect(d.citations[0]?.ref, question).toBe('2-1');
      expect(d.status, question).toBe('no');
      expect(d.needsHuman).toBe(true);
      expect(d.reason).toContain(weak);
      expect(d.reason).toContain('ハッシュ');
    }
  });

  it('is never yes from a row that does not speak to it', async () => {
    const d = await ask('Are backups kept unencrypted?');
    expect(d.status).not.toBe('yes');
    expect(d.status).not.toBe('partial');
  });
});

describe('a row naming the opposite of a word the question asks about', () => {
  it('is no yes: "by an external party?" and a row saying the assessment is done in-house', async () => {
    for (const [question, why] of [
      ['Are vulnerability assessments performed by an external party?', '“自社”'],
      ['外部の専門業者による脆弱性診断を受けていますか?', '「自社」'],
    ] as const) {
      const d = await ask(question);
      expect(d.citations[0]?.ref, question).toBe('2-2');
      expect(d.status, question).toBe('unknown');
      expect(d.needsHuman).toBe(true);
      expect(d.reason, question).toContain(why);
    }
  });

  it('is a yes when the question does not ask who performs it', async () => {
    const d = await ask('脆弱性診断を実施していますか?');
    expect(d.citations[0]?.ref).toBe('2-2');
    expect(d.status).toBe('yes');
  });
});

describe('a caveat about something the question does not ask', () => {
  it('does not make a question about how backups are taken a no', async () => {
    for (const question of ['バックアップはどのように取得していますか?', 'How are backups taken?', 'Do you back up customer data every day?']) {
      const d = await ask(question);
      expect(d.citations[0]?.ref, question).toBe('3-1');
      expect(d.status, question).not.toBe('no');
      expect(d.reason, question).not.toContain('行っていない');
      expect(d.reason, question).not.toContain('not done');
    }
  });
});

describe('a lead time asked (N日前までに, N weeks in advance)', () => {
  it('is a bound the row’s lead time must meet: no when it is shorter, the row’s figure named', async () => {
    for (const question of ['計画メンテナンスは2週間前までに通知されますか?', '計画メンテナンスは10営業日前までに通知されますか?', 'Is planned maintenance announced two weeks in advance?']) {
      const d = await ask(question);
      expect(d.citations[0]?.ref, question).toBe('3-2');
      expect(d.status, question).toBe('no');
      expect(d.reason, question).toContain('5日');
    }
  });

  it('is met by a longer lead time', async () => {
    const d = await ask('計画メンテナンスは3日前までに通知されますか?');
    expect(d.citations[0]?.ref).toBe('3-2');
    expect(d.status).toBe('yes');
  });
});

describe('the answer library', () => {
  const approve = async (question: string, text: string, status: 'yes' | 'no'): Promise<void> => {
    const asked = await app.ask(question, 'tsuki', { enqueue: { askedBy: 'U_SALES' } });
    await app.reviews.approve(asked.review?.id ?? '', { as: 'U_SEC', text, status });
  };

  it('does not reuse an approval for a question asking a figure it never checked', async () => {
    await approve('バックアップは何日分保管していますか?', '14日分です。', 'yes');
    expect((await ask('バックアップは何日分保管していますか?')).citations[0]?.kind).toBe('approved');
    const d = await ask('Do you keep at least 30 days of backups?');
    expect(d.citations.some((c) => c.kind === 'approved')).toBe(false);
    expect(d.status).not.toBe('yes');
  });

  it('does not reuse an approval for the opposite question (国内/国外)', async () => {
    await approve('利用者データは国内で保管されていますか?', 'はい。国内のデータセンターのみで保管しています。', 'yes');
    expect((await ask('利用者データは国内で保管されていますか?')).citations[0]?.kind).toBe('approved');
    const d = await ask('利用者データは国外で保管されていますか?');
    expect(d.citations.some((c) => c.kind === 'approved')).toBe(false);
    expect(d.draft).not.toContain('国内のデータセンターのみで保管しています');
  });
});
