/**
 * A practice questionnaires ask for by name (practices.tsv) is asked in the wordings the
 * standard questionnaires use too ("background verification", "criminal record checks"): each
 * must reach the practice's glossary line, so that a sheet saying nothing of the practice does
 * not answer from a row about hiring in general. Fixture text is this test's own.
 */
import { describe, expect, it } from 'vitest';
import { expandQuery } from '../../src/retrieve/expand.js';
import { loadLexicon } from '../../src/retrieve/lexicon.js';
import { compile, mentions, textKey } from '../../src/retrieve/match.js';

const lexicon = loadLexicon();
const topics = (question: string) => compile(expandQuery(question, lexicon).concepts).filter((c) => c.topic);

describe('a named practice in the questionnaires’ own wordings', () => {
  it('reads "background verification" and "criminal record checks" as background checks', () => {
    for (const q of ['Do you run background verification on new contractors?', 'Are criminal record checks part of onboarding for engineers?']) {
      const named = topics(q);
      expect(named.length).toBeGreaterThan(0);
      expect(named.some((c) => mentions(c, textKey('採用時には身元確認を行っております。')))).toBe(true);
      expect(named.some((c) => mentions(c, textKey('入社時に情報セキュリティ研修を実施しております。')))).toBe(false);
    }
  });
});
