/**
 * A standard asked in one edition (its year or revision) is answered yes only by a row naming
 * that edition: a sheet holding ISO/IEC 27001 in an older edition, or not saying which, is no
 * Fixture text is this test's own.
 */
import { describe, expect, it } from 'vitest';
import type { Passage } from '../../src/domain.js';
import { expandQuery } from '../../src/retrieve/expand.js';
import { loadLexicon } from '../../src/retrieve/lexicon.js';
import { compile, statusFor } from '../../src/retrieve/match.js';

const lexicon = loadLexicon();
const concepts = (question: string) => expandQuery(question, lexicon).concepts;
const row = (answer: string): Passage => ({
  id: 'acme/acme.txt#L1',
  product: 'acme',
  kind: 'control',
  source: 'acme.txt',
  title: 'Acme checksheet',
  locator: 'L1',
  line: 1,
  page: null,
  sectionPath: [],
  ref: '1',
  requirement: '第三者認証を取得していること。',
  answer,
  status: 'yes',
});
const statusOf = (question: string, answer: string) => statusFor(compile(concepts(question)), row(answer));

describe('editions of a named standard', () => {
  it('reads the edition a question asks, in either language, and keeps no separate year idea', () => {
    for (const q of ['Are you certified against ISO/IEC 27001:2022?', 'Is the ISMS certified to ISO 27001 (2022 edition)?', 'ISO/IEC 27001:2022 の認証を取得していますか。']) {
      const cs = concepts(q);
      expect(cs.filter((c) => c.edition).map((c) => c.edition)).toEqual(['2022']);
      expect(cs.some((c) => c.source.trim() === '2022')).toBe(false);
    }
    expect(concepts('Are your controls mapped to NIST SP 800-53 Rev. 5?').find((c) => c.edition)?.edition).toBe('5');
  });

  it('gives no yes from a row holding another edition, or naming none', () => {
    expect(statusOf('Are you certified against ISO/IEC 27001:2022?', '認証規格:ISO/IEC27001:2013/JIS Q 27001:2014')).toBe('unknown');
    expect(statusOf('Are you certified against ISO/IEC 27001:2022?', 'ISMS認証を取得しています。')).toBe('unknown');
    expect(statusOf('Are your controls mapped to NIST SP 800-53 Rev. 5?', '管理策は NIST SP 800-53 Rev. 4 に準拠しています。')).toBe('unknown');
  });

  it('keeps the yes of a row naming the edition asked', () => {
    expect(statusOf('Are you certified against ISO/IEC 27001:2022?', '認証規格:ISO/IEC 27001:2022、登録番号 XY-0001')).toBe('yes');
    expect(statusOf('Are your controls mapped to NIST SP 800-53 Rev. 5?', '管理策は NIST SP 800-53 rev5 に準拠しています。')).toBe('yes');
    // A question naming no edition is answered by any edition, as before.
    expect(statusOf('Are you certified against ISO/IEC 27001?', '認証規格:ISO/IEC27001:2013')).toBe('yes');
  });

});
