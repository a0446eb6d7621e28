/**
 * Two phrases joined by や/と, each with its own の-phrase, are two asks of their own phrases
 * (「…の設定・変更や…の発行は」); two plain nouns before one shared head keep the head each
 * (「…の氏名や住所の確認」). Wordings are this test's own.
 */
import { describe, expect, it } from 'vitest';
import { splitQuestion } from '../../src/retrieve/subquestions.js';

describe('coordinated Japanese phrases', () => {
  it('asks each phrase with the rest of the sentence when the first ends in an action', () => {
    expect(splitQuestion('アクセス権の設定・変更や監査レポートの発行は、利用企業側で行えますか?')).toEqual([
      'アクセス権の設定・変更は、利用企業側で行えますか?',
      '監査レポートの発行は、利用企業側で行えますか?',
    ]);
  });

  it('keeps a head both nouns share', () => {
    expect(splitQuestion('委託先の財務状況や体制の確認は行っていますか?')).toEqual(['委託先の財務状況の確認は行っていますか?', '委託先の体制の確認は行っていますか?']);
  });
});
