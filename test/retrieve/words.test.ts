/**
 * Japanese words by base form (src/retrieve/words.ts), with the real analyser: what a row and a
 * question written in different inflections have in common, and what is left out as carrying
 * no topic. The sentences are this test's own.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadAnalyser, wordDoc, wordIndex, wordMatch, wordTerms, type Analyser } from '../../src/retrieve/words.js';

let analyser: Analyser;
beforeAll(async () => {
  analyser = await loadAnalyser();
});

describe('content words', () => {
  it('gives verbs by their dictionary form and keeps nouns with their suffixes', () => {
    const words = analyser.words('退職者のアカウントは速やかに無効化され、記録が残されています。');
    expect(words).toEqual(expect.arrayContaining(['退職者', 'アカウント', '無効化', '記録', '残す']));
  });

  it('drops particles, auxiliaries, light verbs, numbers and symbols', () => {
    const words = analyser.words('鍵は3か月ごとに交換しています。');
    expect(words).toEqual(['鍵', '交換']);
  });

  it('keeps Latin acronyms and product names as words, lowercased', () => {
    expect(analyser.words('ＳＳＯとSAML連携に対応')).toEqual(expect.arrayContaining(['sso', 'saml', '連携', '対応']));
  });
});

describe('word matching', () => {
  const rows = ['入館の手順を定め、受付で記録する。', '定期的に訓練を実施する。', '機器を廃棄するときはデータを消去する。'];

  it('matches a conjugated verb in the question with the dictionary form in a row', () => {
    const docs = rows.map((r) => wordDoc(analyser.words(r)));
    const index = wordIndex(docs);
    const terms = wordTerms(analyser, '入館の手順は定められていますか', new Map(), index);
    expect(terms.map((t) => t.word)).toContain('定める');
    const shares = docs.map((d) => wordMatch(terms, d, index).share);
    expect(shares[0]).toBe(1);
    expect(shares[1]).toBe(0);
  });

  it('meets a row through a synonym of a question word, once per word', () => {
    const docs = rows.map((r) => wordDoc(analyser.words(r)));
    const index = wordIndex(docs);
    const synonyms = new Map([['抹消', ['消去', '削除']]]);
    const [term] = wordTerms(analyser, '抹消', synonyms, index);
    expect(term?.alternatives).toEqual(['抹消', '消去', '削除']);
    const scores = docs.map((d) => wordMatch(term ? [term] : [], d, index));
    expect(scores[2]?.share).toBe(1);
    expect(scores[0]?.bm25).toBe(0);
  });
});
