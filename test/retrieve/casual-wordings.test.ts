/**
 * Customers write questions as chat (「消しちゃったファイルって戻せる？」「別のサービスに乗り換えたら
 * データ持ち出せる？」): a casual verb must reach the row that writes the formal word (復元, 移行,
 * エクスポート, 閲覧), and a clipped loanword (アップ) must be a word of its own, as an English word
 * is: found inside バックアップ or アップデート it pulled rows about backups. A casual question about
 * something the sheet never mentions is still declined. Made-up sheet and wordings, this test's own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formalJa, parseCasual } from '../../src/retrieve/casual.js';
import { compile, mentions, textKey } from '../../src/retrieve/match.js';
import { expandQuery, type Concept } from '../../src/retrieve/expand.js';
import { loadLexicon } from '../../src/retrieve/lexicon.js';
import { retrieve } from '../../src/judge/retrieval.js';
import { sectionStore } from '../support/corpus.js';

const texts: Array<[string, string]> = [
  ['データを定期的にバックアップすること。', 'データは毎日バックアップを取得しております。'],
  ['データのアップロード時に検査すること。', 'アップロードされたデータはすべて検査しております。'],
  ['削除したデータを復元できること。', '削除したデータは30日以内であれば管理画面から復元できます。'],
  ['データを他のサービスへ移行できること。', 'データはCSV形式でエクスポートでき、他サービスへの移行が可能です。'],
  ['データの閲覧を制限すること。', '運用担当者はお客様の許可なくお客様のデータを閲覧いたしません。'],
  ['不要なデータを削除すること。', '不要なデータは管理画面から削除できます。'],
  ['データを暗号化すること。', 'データは保存時に暗号化しております。'],
]

let sheet: Awaited<ReturnType<typeof sectionStore>>;
beforeAll(async () => {
  sheet = await sectionStore('corvus', 'Corvus checksheet', texts);
}, 60_000);
afterAll(() => sheet.close());

/** The rows an answer cites: the formal row alone, where without the casual reading every row sharing データ was as likely. */
const cited = async (question: string): Promise<Array<number | null>> => (await retrieve(sheet.deps(), question, 'corvus')).hits.map((h) => h.passage.line);

const literal = (word: string): Concept => ({ source: word, variants: [word], weight: 1, origin: 'literal' });
const glossaryWord = (word: string): Concept => ({ ...literal(word), origin: 'glossary' });
const found = (concept: Concept, row: string): boolean => {
  const [compiled] = compile([concept]);
  return compiled !== undefined && mentions(compiled, textKey(row));
};

describe('casual words read as the formal ones', () => {
  it('replaces a clipped word only where it is a whole word, and follows a verb in any ending with its formal word', () => {
    expect(formalJa('写真をアップしたら')).toContain('アップロード');
    expect(formalJa('バックアップは毎日?')).toBe('バックアップは毎日?');
    expect(formalJa('アップデートの頻度は?')).toBe('アップデートの頻度は?');
    // メンテ is maintenance, whose glossary line holds the sheets' 計画停止 and 保守停止.
    expect(expandQuery('定期メンテで止まるのは年に何回？', loadLexicon()).concepts.flatMap((c) => c.variants)).toContain('計画停止');
    expect(formalJa('前の状態に戻せる？')).toContain('復元');
    expect(formalJa('よそに乗り換えちゃったら')).toContain('移行');
    expect(formalJa('画面をのぞかれたりしない？')).toContain('閲覧');
    // Left logged in is an idle session (the session line's 無操作 and 切断), not the clear-desk line's 放置.
    const idle = expandQuery('ログインしたまま放置したら、何分で切れますか？', loadLexicon()).concepts.flatMap((c) => c.variants);
    expect(idle).toContain('セッションタイムアウト');
    expect(idle).not.toContain('クリアデスク');
    expect(expandQuery('机の上に書類を放置しない決まりはありますか', loadLexicon()).concepts.flatMap((c) => c.variants)).toContain('クリアデスク');
  });

  it('leaves a verb inside another word, or in its other sense, alone', () => {
    // 戻 after a kanji is another word (返戻), as 消 is (解消: no deletion asked); のぞく of days is 除く.
    expect(formalJa('返戻します')).toBe('返戻します');
    expect(expandQuery('課題はすぐ解消していますか', loadLexicon()).concepts.map((c) => c.source)).not.toContain('消去');
    expect(formalJa('祝日をのぞいて対応しますか')).toBe('祝日をのぞいて対応しますか');
  });

  it('keeps the case of what it does not read (a name in capitals stays a name)', () => {
    expect(formalJa('SOC2の報告書をアップしてもらえる？')).toMatch(/^SOC2/);
  });

  it('finds problems in a casual list', () => {
    expect(parseCasual('覗く\t閲覧\tgodan\n').problems).toEqual([]);
    expect(parseCasual('見ろ\t閲覧\tgodan\n').problems).toHaveLength(1);
    expect(parseCasual('覗く\t閲覧\n').problems).toHaveLength(1);
    expect(parseCasual('消す\t削除\tgodan\n消す\t削除\tgodan\n').problems).toHaveLength(1);
  });
});

describe('a katakana word is matched as a word', () => {
  it('is not found inside a longer katakana word', () => {
    expect(found(literal('アップ'), 'バックアップを取得')).toBe(false);
    expect(found(literal('アップ'), 'アップデートを適用')).toBe(false);
    expect(found(literal('ポート'), 'サポート窓口')).toBe(false);
    expect(found(glossaryWord('ログ'), 'プログラムの管理')).toBe(false);
  });

  it('is found on its own, with a long-vowel mark, and as a word of a compound', () => {
    expect(found(literal('ポート'), '不要なポートは閉じています')).toBe(true);
    expect(found(literal('サーバ'), 'サーバーを冗長化')).toBe(true);
    expect(found(glossaryWord('ログ'), 'アクセスログを保管')).toBe(true);
    expect(found(glossaryWord('アカウント'), 'アカウントロックを実施')).toBe(true);
  });
});

describe('casual questions reach the formal row', () => {
  it('an upload question finds the upload row, not the backup row', async () => {
    expect(await cited('うちがアップしたデータって毎回検査してる?')).toEqual([2]);
  });

  it('a restore, a migration and a viewing question in chat words find their rows', async () => {
    expect(await cited('消しちゃったデータって戻せます?')).toEqual([3]);
    expect(await cited('よそに乗り換えるとき、データって持ち出せる?')).toEqual([4]);
    expect(await cited('そっちの人がうちのデータを覗いたりしない?')).toEqual([5]);
  });

  it('still declines a casual question about something the sheet never mentions', async () => {
    const r = await retrieve(sheet.deps(), 'スマホなくしちゃったら、遠隔でロックかけられる?', 'corvus');
    expect(r.abstained).toBe(true);
  });
});
