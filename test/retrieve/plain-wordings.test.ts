/**
 * Why this file: customers ask in plain words that share none with the sheet (「どの時点まで戻せるか」
 * for a recovery point, 「読めない形で」 for encryption, 「1台が故障しても」 for fault tolerance,
 * 「パスワードに加えて」 for a second factor, 「続報」 for the follow-up report, 「サイン」 for a signature), with
 * a one-kanji word as the whole topic (火, 雷), and for a figure in general words ("how often",
 * 「どのくらいの間隔で」, 「最小桁数を教えてください」). Each must reach the row stating the idea or
 * the figure. Invented questions and an invented checksheet, none from the evaluation sets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { questionForm } from '../../src/draft/question-form.js';
import { expandQuery } from '../../src/retrieve/expand.js';
import { loadLexicon } from '../../src/retrieve/lexicon.js';
import { askedQuantity, looseFigureAsk } from '../../src/retrieve/quantities.js';
import { questionGrams } from '../../src/retrieve/retrieve.js';
import { appOver, tempCorpus } from '../support/corpus.js';

const variantsOf = (question: string): string[] => expandQuery(question, loadLexicon()).concepts.flatMap((c) => c.variants);

describe('plain wordings read as the checksheet ideas', () => {
  it.each([
    ['障害が起きたら、データはどの時点に戻せますか?', '目標復旧時点'],
    ['顧客の名簿は、盗まれても読み取れない状態で保管していますか?', '暗号化'],
    ['サーバーが1台故障しても、業務は続けられますか?', '冗長化'],
    ['セキュリティの最高責任者はどなたですか?', 'ciso'],
    ['社内の機器の一覧は最新に保たれていますか?', '資産台帳'],
    ['What happens to our records if your data centre burned down?', '火災'],
    ['情報漏えいが起きた場合、経過報告は何回に分けて届きますか?', '続報'],
    ['ログインはパスワードに加えて何を求めますか?', '多要素認証'],
    ['データ消失の際に御社が責任を負う範囲は文書にありますか?', '責任範囲'],
    ['日頃の監視の手順は決まっていますか?', '日常'],
    ['緊急時の連絡網はありますか?', 'インシデント対応'],
    ['委託先に秘密保持のサインをさせていますか?', '署名'],
    ['開発者向けの研修は最近の脆弱性事例に沿って更新されますか?', '最新'],
  ])('%s → %s', (question, variant) => {
    expect(variantsOf(question)).toContain(variant);
  });
});

describe('a figure asked in general words', () => {
  it('is ranked for, never checked: no figure is asked of the rows', () => {
    for (const q of ['ログのレビューはどれくらいの間隔で行っていますか?', 'How frequently are firewall rules reviewed?', '権限の棚卸の頻度を教えてください。']) {
      expect(askedQuantity(q), q).toBeNull();
      expect(looseFigureAsk(q)?.dimension, q).toBe('frequency');
    }
    // A figure asked outright stays askedQuantity's.
    expect(looseFigureAsk('年に何回、訓練を行っていますか?')).toBeNull();
  });

  it('a length asked to be told is a count asked, and a value', () => {
    const q = '管理者アカウントのパスワードの最小桁数を教えてください。';
    expect(askedQuantity(q)?.dimension).toBe('count');
    expect(questionForm(q)).toBe('value');
    expect(questionForm('バックアップの保持世代数をご記入ください。')).toBe('value');
    // Whether a time is recorded is still a yes/no question.
    expect(questionForm('作業時間は記録していますか?')).toBe('yesno');
  });
});

describe('a one-kanji word of the question', () => {
  it('weighs in the bigram score as a two-kanji word does', () => {
    const question = '火による被害はどう防ぎますか?';
    const g = questionGrams(question, 'ja', expandQuery(question, loadLexicon()).concepts);
    expect(g.get('1火') ?? 0).toBeGreaterThanOrEqual((g.get('被害') ?? 0) + (g.get('1被') ?? 0));
  });
});

const CHECKSHEET = [
  '# kumoセキュリティチェックシート',
  '',
  '項番\t確認事項\t実施有無\t備考',
  '<b>1 運用</b>\t\t\t',
  '1-1\tサーバー及びネットワーク機器の運用手順を定めること。\t○\tサーバーの運用手順書を整備し、変更の都度更新しています。',
  '1-2\tサーバー及びネットワーク機器の稼働を監視すること。\t○\tサーバーの稼働状況を監視ツールで常時監視しています。',
  '1-3\tファイアウォールのルールを見直すこと。\t○\tファイアウォールのルールは運用担当者が見直しています。',
  '1-4\tファイアウォールのルールの見直しの記録を残すこと。\t○\t見直し結果は半年ごとに記録し、責任者が承認しています。',
  '<b>2 設備</b>\t\t\t',
  '2-1\tデータセンターの落雷対策を確認すること。\t○\t避雷設備と無停電電源装置を備えたデータセンターを利用しています。',
  '',
].join('\n');

let app: App;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ app, close } = await appOver(tempCorpus('kotae-plain-wordings-', { file: 'kumo.txt', product: 'kumo', vendor: null, title: 'kumoセキュリティチェックシート', format: 'checksheet-text', language: 'ja' }, CHECKSHEET)));
}, 120_000);

afterAll(() => close());

const ranked = async (question: string): Promise<string | undefined> => (await app.ask(question, 'kumo')).ranked[0]?.passage.ref;

describe('in a product', () => {
  it('ranks the lightning row first for 雷 asked on its own', async () => {
    expect(await ranked('雷でサーバーが止まらないように備えていますか?')).toBe('2-1');
  });

  it('ranks the row stating how often first for a question asking how often', async () => {
    expect(await ranked('ファイアウォールのルールはどのくらいの間隔で見直していますか?')).toBe('1-4');
  });
});
