/**
 * A certification asked by its number (ISO/IEC 27018) that no row names is not held as far as
 * the documents say, even where rows name its siblings (ISO/IEC 27001, 27017) and share the words
 * of its title (personal data, cloud): the topic is absent, and no cited row states the
 * certification asked. Fixture text is this test's own.
 */
import { describe, expect, it } from 'vitest';
import { expandQuery } from '../../src/retrieve/expand.js';
import { statesCertification } from '../../src/retrieve/facts.js';
import { loadLexicon } from '../../src/retrieve/lexicon.js';
import { absentTopics, compile, textKey } from '../../src/retrieve/match.js';

const lexicon = loadLexicon();
const siblings = '当社は ISO/IEC 27001:2013 の認証を取得し、ISO/IEC 27017:2015 に沿ってクラウドサービスを運用しています。';

describe('a standard named only by its siblings', () => {
  it('is an absent topic however the question writes its name', () => {
    for (const q of ['Are you certified under ISO/IEC 27018?', 'Do you hold ISO 27018 for personal data in the cloud?', 'ISO/IEC 27701 の認証は取得していますか。']) {
      const topics = absentTopics(compile(expandQuery(q, lexicon).concepts), [textKey(siblings), textKey('個人情報は利用規約に従って取り扱います。')]);
      expect(topics.length).toBe(1);
    }
  });

  it('is not stated by a row naming a sibling, and is by a row naming it', () => {
    expect(statesCertification(siblings, 'Are you certified under ISO/IEC 27018?')).toBe(false);
    expect(statesCertification('ISO/IEC 27018 の認証を取得しています。', 'Are you certified under ISO/IEC 27018?')).toBe(true);
    expect(statesCertification(siblings, 'Is the company certified to ISO/IEC 27001?')).toBe(true);
    expect(statesCertification('ISMSクラウドセキュリティ認証を取得しています。', 'Are you certified to ISO/IEC 27017?')).toBe(true);
  });

  it('leaves a question naming no scheme answered by a row naming any', () => {
    expect(statesCertification(siblings, 'Which security certifications do you hold?')).toBe(true);
    expect(statesCertification(siblings, 'Do you hold any ISO certification?')).toBe(true);
  });
});
