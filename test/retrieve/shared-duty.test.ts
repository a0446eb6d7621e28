/**
 * Status follows scope (issue #9): a row that does only part of what is asked answers partial,
 * not yes. Three ways a row's statement reaches less than the question, each read from the
 * row's own words whatever its mark:
 * - the question asks who does something, or whether the customer may do it themselves, and the
 *   row gives part of it to another party (a platform's scope, the customer) or does it only on
 *   request or for a fee;
 * - the question asks whether something holds, and the row states it and then an exception to it
 *   (「…の場合はこの限りではありません」); a question asking for a description is answered by it;
 * - one ask of several is about the customer acting and the row says customers may not.
 * A row of one actor that states the whole of what is asked still answers yes. Real ingest of
 * this test's own made-up checksheet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import type { Passage } from '../../src/domain.js';
import { askedClause, clauseCaution } from '../../src/retrieve/clauses.js';
import { askedFacets } from '../../src/retrieve/facets.js';
import { compile } from '../../src/retrieve/match.js';
import { splitQuestion } from '../../src/retrieve/subquestions.js';
import { appOver, tempCorpus } from '../support/corpus.js';

const CHECKSHEET = [
  '# hoshiセキュリティチェックシート',
  '',
  '項番\t確認事項\t実施有無\t備考',
  '<b>1 データ</b>\t\t\t',
  '1-1\t契約終了時に利用者が預けたデータを持ち出せること。\t○\t有料プランではCSVエクスポート機能を提供しており、お客様ご自身で全データを出力いただけます。ただし、無料プランの場合はこの限りではありません。',
  '<b>2 脆弱性</b>\t\t\t',
  '2-1\tサーバーのオペレーティングシステムに修正パッチを適用すること。\t○\tアプリケーションの脆弱性情報を収集し、修正を適用しております。なお、オペレーティングシステムおよびミドルウェアはクラウド基盤事業者の管理範囲となっております。',
  '<b>3 ログ</b>\t\t\t',
  '3-1\t利用者の操作ログを記録し、利用者に提供すること。\t○\t操作ログを記録し、1年間保管しております。操作ログの提供は個別のご依頼に応じて有償で対応いたします。',
  '<b>4 バックアップ</b>\t\t\t',
  '4-1\tデータベースのバックアップを定期的に取得すること。\t○\tデータベースのバックアップは当社にて毎日取得しております。',
  '<b>5 試験</b>\t\t\t',
  '5-1\tリリース前にソースコードレビューを実施すること。\t○\tリリース前に全ての変更についてソースコードレビューを実施しております。',
  '5-2\tシステムの負荷試験を実施すること。\t○\t負荷試験を四半期ごとに実施しております。利用者による負荷試験は非対応です。',
  '',
].join('\n');

let app: App;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ app, close } = await appOver(tempCorpus('kotae-shared-duty-', { file: 'hoshi.txt', product: 'hoshi', vendor: null, title: 'hoshiセキュリティチェックシート', format: 'checksheet-text', language: 'ja' }, CHECKSHEET)));
}, 120_000);

afterAll(() => close());

const ask = async (question: string) => (await app.ask(question, 'hoshi')).draft;
const cited = (d: Awaited<ReturnType<typeof ask>>): string | undefined => d.citations[0]?.ref;

describe('a question about who does it, answered by a row that shares the work', () => {
  it('is partial when another party’s scope covers part of it, and says so', async () => {
    for (const question of ['Who takes care of patching the operating system of the servers?', 'サーバーのOSへのパッチ適用はどちらが担当しますか。']) {
      const d = await ask(question);
      expect([question, cited(d), d.status]).toEqual([question, '2-1', 'partial']);
    }
  });

  it('is yes when the row says the vendor does all of it', async () => {
    const d = await ask('Who is responsible for taking database backups?');
    expect([cited(d), d.status]).toEqual(['4-1', 'yes']);
  });
});

describe('a question whether the customer may do it themselves', () => {
  it('is partial when the vendor does it only on request or for a fee', async () => {
    const d = await ask('Can we pull our operation logs ourselves?');
    expect([cited(d), d.status]).toEqual(['3-1', 'partial']);
    expect(d.reason).toContain('有償');
  });

  it('is partial when the row states it and then an exception for some plans', async () => {
    for (const question of ['Can we export all of our data ourselves when the contract ends?', '契約終了時に全データを自分たちでエクスポートできますか。']) {
      const d = await ask(question);
      expect([question, cited(d), d.status]).toEqual([question, '1-1', 'partial']);
    }
  });
});

describe('a question asking for a description, answered by a row with an exception', () => {
  it('is answered by the statement: the exception does not make a description partial', async () => {
    for (const question of ['How is our data handed back to us when the contract ends?', '契約終了時のデータの持ち出し方法を教えてください。']) {
      const d = await ask(question);
      expect([question, cited(d), d.status]).toEqual([question, '1-1', 'yes']);
    }
  });
});

describe('two asks, the second about the customer acting', () => {
  it('is partial when the row for the second ask says customers may not, though the first is done', async () => {
    const d = await ask('リリース前にソースコードレビューを行っていますか。また、弊社で負荷試験を実施してもよいですか。');
    expect(d.status).toBe('partial');
    expect(d.citations.map((c) => c.ref)).toEqual(expect.arrayContaining(['5-1', '5-2']));
  });

  it('still answers the customer’s ask alone no', async () => {
    const d = await ask('弊社で負荷試験を実施してもよいですか。');
    expect([cited(d), d.status]).toEqual(['5-2', 'no']);
  });
});

describe('the row cited for one ask of several about the customer acting', () => {
  const row = (answer: string, status: Passage['status']): Passage => ({ id: '9', product: 'hoshi', kind: 'control', source: 'hoshi.txt', title: 'hoshi', locator: 'L9', line: 9, page: null, sectionPath: [], ref: '9-1', requirement: '', answer, status });
  // The row names the test in other words than the question; the glossary joins them (here: one concept with both).
  const concepts = compile([{ source: 'stress test', variants: ['ストレステスト', '負荷試験'], weight: 1, origin: 'glossary' }]);
  const read = (question: string, passage: Passage) => clauseCaution(askedClause(question, askedFacets(question, splitQuestion(question))), question, concepts, passage);
  const question = 'リリース前にソースコードレビューを行っていますか。また、弊社でストレステストを実施しても構いませんか。';

  it('reads partial where the row says customers may not, even when it offers something else instead', () => {
    const passage = row('外部業者による負荷試験を実施しております。利用者による負荷試験は非対応とさせていただいておりますが、ご相談窓口を設けております。', 'partial');
    expect(read(question, passage)).toMatchObject({ kind: 'remark-denies', effect: 'partial' });
  });

  it('reads nothing where the row says nothing of the customer acting', () => {
    expect(read(question, row('外部業者による負荷試験を四半期ごとに実施しております。', 'yes'))).toBeNull();
  });
});
