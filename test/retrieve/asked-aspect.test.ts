/**
 * A question asking something OF its topic (who decides it, how far it extends, in which
 * document it is set out) is answered by the row stating that, cited before a row that only
 * repeats the topic's words (the secure-area row for "who decides who may enter", a row naming
 * responsible persons for "how far does your liability go"). Real ingest of this test's own
 * made-up checksheet; the aspect is read by src/retrieve/focus.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { expandQuery } from '../../src/retrieve/expand.js';
import { aspectConcepts, parseAspects } from '../../src/retrieve/focus.js';
import { loadLexicon } from '../../src/retrieve/lexicon.js';
import { appOver, tempCorpus } from '../support/corpus.js';

const CHECKSHEET = [
  '# hoshiセキュリティチェックシート',
  '',
  '項番\t確認事項\t実施有無\t備考',
  '<b>1 物理的セキュリティ</b>\t\t\t',
  '1-1\tサーバールームなどのセキュリティエリアを定め、セキュリティエリアの境界を設けること。\t○\tセキュリティエリアはICカードで施錠し、セキュリティエリアの出入口は監視カメラで記録しています。',
  '1-2\t重要な区画への入室手続を定めること。\t○\tセキュリティエリアに入室できる者は、部門長の申請に基づき情報セキュリティ責任者が承認した者に限っています。',
  '<b>2 責任</b>\t\t\t',
  '2-1\t各システムの責任者を定め、責任者の一覧を維持すること。\t○\tシステムごとに責任者と副責任者を定め、責任者一覧を毎年見直しています。',
  '2-2\t利用条件と免責事項を明示すること。\t○\t当社の責任範囲は、利用規約第12条に定めています。',
  '<b>3 運用</b>\t\t\t',
  '3-1\tアクセスログを取得し、保管すること。\t○\tアクセスログを取得しています。',
  '<b>4 評価</b>\t\t\t',
  '4-1\t定期的に脆弱性診断を実施すること。\t○\t年1回、外部の専門業者による脆弱性診断を実施しています。',
  '4-2\t独立した評価の結果を利用者に示すこと。\t○\t外部の専門業者による脆弱性診断を年1回実施しております。診断結果は非公開とさせていただきます。',
  '',
].join('\n');

let app: App;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ app, close } = await appOver(tempCorpus('kotae-asked-aspect-', { file: 'hoshi.txt', product: 'hoshi', vendor: null, title: 'hoshiセキュリティチェックシート', format: 'checksheet-text', language: 'ja' }, CHECKSHEET)));
}, 120_000);

afterAll(() => close());

const firstCited = async (question: string): Promise<string | undefined> => (await app.ask(question, 'hoshi')).draft.citations[0]?.ref;

describe('the row answering what is asked of the topic ranks above the row repeating the topic', () => {
  it('cites the approval row for who decides who may enter the secure area', async () => {
    expect(await firstCited('セキュリティエリアに入れる人は、誰が決めているのですか。')).toBe('1-2');
  });

  it('cites the terms-of-use row for how far the vendor is liable, in either language', async () => {
    for (const question of ['御社はどこまで責任を負うのですか。', 'To what extent are you responsible if something goes wrong?']) {
      expect(await firstCited(question), question).toBe('2-2');
    }
  });

  it('cites the row naming the document for which document sets out the vendor’s responsibility', async () => {
    expect(await firstCited('Which document sets out your responsibility toward customers?')).toBe('2-2');
  });

  it('cites the row saying whether results are handed over for "will you share the results", and answers it', async () => {
    for (const question of ['Will you share the results of your vulnerability assessments with us?', 'Are assessment results shared with customers?']) {
      const { draft } = await app.ask(question, 'hoshi');
      expect([question, draft.citations[0]?.ref, draft.status], question).toEqual([question, '4-2', 'no']);
    }
  });

  it('still cites the topic row when the question asks about the topic itself', async () => {
    expect(await firstCited('セキュリティエリアの出入口は施錠されていますか。')).toBe('1-1');
  });
});

describe('reading the aspect asked', () => {
  const lexicon = loadLexicon();
  const rows = ['責任範囲は利用規約に定めています', '責任者を定めています', 'アクセスログを取得しています'];
  const aspects = (question: string, pool = rows) => aspectConcepts(question, expandQuery(question, lexicon).concepts, pool).map((c) => c.source);

  it('binds an extent to the topic named after the question word', () => {
    expect(aspects('どこまで責任を負いますか。')).toEqual(['extent of 責任']);
    expect(aspects('障害時の責任はどこまでですか。')).toEqual(['extent of 責任']);
  });

  it('reads no aspect in a question that asks none, nor where no row or every row states it', () => {
    expect(aspects('責任者は定めていますか。')).toEqual([]);
    expect(aspects('誰が承認しますか。', ['アクセスログを取得しています'])).toEqual([]);
    expect(aspects('どの文書に書かれていますか。', ['利用規約に記載', '規程に記載'])).toEqual([]);
  });
});

describe('the aspects lexicon (lexicon/aspects.tsv)', () => {
  it('reads a line as name, topic flag, pattern and stated words', () => {
    const [aspect] = parseAspects('# comment\n\ncost\t-\tいくら|how much\t料金|価格\n');
    expect(aspect).toMatchObject({ name: 'cost', ofTopic: false, stated: ['料金', '価格'] });
    expect(aspect?.asked.test('how much is it')).toBe(true);
  });

  it('names the line of a malformed entry instead of reading it wrongly', () => {
    expect(() => parseAspects('# c\ncost\tmaybe\tいくら\t料金')).toThrow(/line 2/);
    expect(() => parseAspects('cost\t-\tいくら\t')).toThrow(/line 1/);
  });
});
