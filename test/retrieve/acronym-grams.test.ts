/**
 * Why this file: an English question shares no characters with Japanese rows, so its bigram
 * score comes from its concepts' Japanese variants. A row that writes the acronym asked about
 * as it is (「AWS WAFを用いた…」) must score above rows that only share the generic katakana
 * of the acronym's long Japanese spelling (アプリケーション, in many rows of a checksheet).
 * Invented questions and rows.
 */
import { describe, expect, it } from 'vitest';
import { bm25, gramIndex, grams } from '../../src/retrieve/bigram.js';
import { expandQuery } from '../../src/retrieve/expand.js';
import { loadLexicon } from '../../src/retrieve/lexicon.js';
import { questionGrams } from '../../src/retrieve/retrieve.js';

const rows = [
  '攻撃対策: AWS WAFを用いて不正な通信を遮断しています',
  'アプリケーション運用: 稼働状況を監視しています',
  'アプリケーション開発: テストを自動化しています',
  'アプリケーションの脆弱性: 診断を年1回実施しています',
  'アプリケーションのログ: 1年間保存しています',
  'アプリケーションの変更: 事前に通知しています',
  'バックアップ: データベースは日次で取得しています',
].map((text) => {
  const g = grams(text);
  return { grams: g, length: [...g.values()].reduce((a, b) => a + b, 0) };
});

describe('bigram score of an English question naming an acronym', () => {
  it('ranks the row that writes the acronym first', () => {
    const question = 'Do you have a WAF?';
    const q = questionGrams(question, 'en', expandQuery(question, loadLexicon()).concepts);
    const index = gramIndex(rows);
    const scores = rows.map((r) => bm25(q, r, index));
    expect(scores.indexOf(Math.max(...scores))).toBe(0);
  });
});
