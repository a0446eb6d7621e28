/**
 * Why this file: questions name general ideas in words the glossary did not list, in English
 * ("how are responsibilities divided", "a RACI") and in plain Japanese (verbs, kana spellings,
 * katakana loanwords for the sheets' 漢語). Each wording must reach the glossary concept a
 * checksheet row states the idea with. Written for this test from general vocabulary; none comes
 * from an evaluation set or a trial.
 */
import { describe, expect, it } from 'vitest';
import { expandQuery } from '../../src/retrieve/expand.js';
import { loadLexicon } from '../../src/retrieve/lexicon.js';

const variantsOf = (question: string): string[] => expandQuery(question, loadLexicon()).concepts.flatMap((c) => c.variants);

describe('who is responsible for what, in English', () => {
  it.each([
    ['How are security responsibilities divided between your team and ours?', '責任分界'],
    ['Is the allocation of responsibilities for patching written down?', '責任分界'],
    ['Do you share a RACI chart for incident handling?', '責任分界'],
    ['Which controls remain the customer’s responsibility?', '責任分界'],
    ['Who is responsible for what when a backup fails?', '責任分界'],
  ])('%s → %s', (question, variant) => {
    expect(variantsOf(question)).toContain(variant);
  });

  it('leaves a plain question about one role alone', () => {
    expect(variantsOf('Who is responsible for information security?')).not.toContain('責任分界');
  });
});

describe('plain Japanese for ideas the sheets name formally', () => {
  it.each([
    ['障害でアプリが使えなくなったら連絡はありますか?', '停止'],
    ['メンテナンス中に今どうなっているかを見られる画面はありますか?', '稼働状況'],
    ['ほかの会社のデータと混ざらないようになっていますか?', '他社'],
    ['検証用のネットワークは社内LANから切り離されていますか?', '分離'],
    ['提供をやめる場合は事前に連絡がありますか?', 'サービス終了'],
    ['料金改定は何日前に知らされますか?', '予告期間'],
    ['仕様変更は前もって案内されますか?', '事前'],
    ['重要な書類に社外秘の表示を付けていますか?', '機密区分'],
    ['ファイルに目印を付けて管理できますか?', 'ラベル'],
    ['席を外すときにパソコンの画面はロックされますか?', 'クリアスクリーン'],
    ['社員が規則を破ったときの処分は決まっていますか?', '違反'],
    ['倉庫が水につかる恐れはありますか?', '浸水'],
    ['本番のデータベースに開発者は入れますか?', '本番環境'],
    ['不審な通信を見張っていますか?', '監視'],
    ['障害時、復旧までどれくらいかかりますか?', '目標復旧時間'],
    ['顧客データのコピーは別の場所にもありますか?', 'バックアップ'],
    ['ルーターが壊れたときのために予備機はありますか?', '冗長化'],
    ['暗証番号を何度も間違えるとどうなりますか?', 'アカウントロック'],
    ['しばらく操作しないままだと自動で切断されますか?', 'セッションタイムアウト'],
    ['怪しいアクセスをブロックしていますか?', '防止'],
    ['誰がいつ設定を変えたか後から追えますか?', '追跡'],
    ['深夜の問い合わせにも対応していますか?', '時間外'],
    ['許可なく端末を持ち出せないようになっていますか?', '無許可'],
    ['脆弱性が見つかったらすぐに直しますか?', '速やか'],
  ])('%s → %s', (question, variant) => {
    expect(variantsOf(question)).toContain(variant);
  });

  it.each([
    ['Is an account locked after a wrong password is typed five times?', 'アカウントロック'],
    ['Which maintenance tasks does the provider carry out?', '作業'],
    ['Is the portal unavailable during upgrades?', '停止'],
  ])('%s → %s', (question, variant) => {
    expect(variantsOf(question)).toContain(variant);
  });
});
