/**
 * A practice a vendor either states or does not (background checks, biometric entry, cyber
 * insurance: lexicon/practices.tsv) is a named topic, like a standard: when no passage of the
 * product mentions it, the documents do not cover the question, however many of its other words
 * (employees, hiring, data centre) a row shares. Fixture text is this test's own.
 */
import { describe, expect, it } from 'vitest';
import { expandQuery } from '../../src/retrieve/expand.js';
import { loadLexicon } from '../../src/retrieve/lexicon.js';
import { absentTopics, compile, textKey } from '../../src/retrieve/match.js';

const lexicon = loadLexicon();
const absent = (question: string, rows: string[]): string[] => absentTopics(compile(expandQuery(question, lexicon).concepts), rows.map(textKey));
const hrRows = ['従業員の採用時には秘密保持誓約書を取り交わしています。', '入社時にセキュリティ研修を実施しています。'];

describe('named practices', () => {
  it('is absent when no row names the practice, in either language', () => {
    expect(absent('Do you screen candidates with background checks?', hrRows)).toHaveLength(1);
    expect(absent('採用時に身元調査を行っていますか。', hrRows)).toHaveLength(1);
    expect(absent('Is entry to the server room controlled by fingerprint readers?', ['サーバールームへの入室はICカードで管理しています。'])).toHaveLength(1);
  });

  it('is present when a row names it in any of its wordings', () => {
    expect(absent('Do you screen candidates with background checks?', [...hrRows, '採用候補者の経歴確認を行っています。'])).toEqual([]);
    expect(absent('Do you carry cyber insurance?', ['情報漏えい保険に加入しています。'])).toEqual([]);
  });

  it('leaves ordinary words that are no practice out', () => {
    // "screens" (a screen lock) is not the screening of candidates.
    expect(absent('Must staff lock their screens when they leave the desk?', ['離席時は画面ロックを徹底しています。'])).toEqual([]);
    expect(absent('How often are employees trained?', hrRows)).toEqual([]);
  });
});
