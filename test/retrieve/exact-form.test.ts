/**
 * Exact-form glossary phrases (`=word`, src/retrieve/lexicon.ts EXACT_MARK): Porter gives words
 * of different meaning one stem (communicated / communication, several / severity, paging /
 * page, accounting / account), so a line keyed by the stem took the other word's questions. A
 * phrase marked exact is matched only as written and wins over the stem of another line.
 * The wordings are written for these tests; none comes from an evaluation set.
 */
import { describe, expect, it } from 'vitest';
import { expandQuery, type Concept } from '../../src/retrieve/expand.js';
import { glossaryKey, loadLexicon, parseGlossary } from '../../src/retrieve/lexicon.js';
import { englishRows, withEnglishWordings } from '../../src/retrieve/english-wordings.js';
import { conceptTagger } from '../../src/retrieve/tags.js';

const variants = (question: string): string[] => expandQuery(question, loadLexicon()).concepts.flatMap((c: Concept) => c.variants);

describe('glossary keys', () => {
  it('keys an exact-form phrase by its words and lets it share a stem with another line', () => {
    expect(glossaryKey('=communication')).toBe('=communication');
    expect(glossaryKey('communicated')).toBe('commun');
    const { concepts, problems } = parseGlossary(['=communication|=communications\t通信', 'communicate|communicated\t周知'].join('\n'));
    expect(problems).toEqual([]);
    // The phrase is kept without its mark for every reader of `en`.
    expect(concepts[0]?.en).toEqual(['communication', 'communications']);
  });

  it('still refuses one exact form on two lines, and a bare mark', () => {
    const { problems } = parseGlossary(['=paging\tページング', '=paging\tオンコール', '=\t何か'].join('\n'));
    expect(problems.join('\n')).toMatch(/"=paging" \(key "=paging"\) already on line 1/);
    expect(problems.join('\n')).toMatch(/no word characters/);
  });
});

describe('English questions: the word as written picks the line', () => {
  it('reads "communicated" as made known and "communication(s)" as network traffic', () => {
    expect(variants('Are the onboarding rules approved and communicated to contractors?')).toContain('周知');
    expect(variants('Are the onboarding rules approved and communicated to contractors?')).not.toContain('通信');
    expect(variants('Is the communication between the two offices encrypted?')).toContain('通信');
    expect(variants('Are internal communications protected?')).toContain('通信');
    expect(variants('Do you communicate planned price changes to subscribers?')).toContain('周知');
  });

  it('keeps everyday words out of the lines their stems belong to', () => {
    expect(variants('Are backups kept in several regions?')).not.toContain('重大');
    expect(variants('Is the sign-up page protected against bots?')).not.toContain('オンコール');
    expect(variants('Who has access to the accounting ledger?')).not.toContain('アカウント');
    expect(variants('Are files containing payroll records encrypted?')).not.toContain('コンテナ');
    expect(variants('Do you allow customization of reports?')).not.toContain('利用者');
    expect(variants('Is the officer in charge of privacy named?')).not.toContain('オフィス');
  });

  it('still finds the lines by the forms they list', () => {
    expect(variants('What is the severity scale for incidents?')).toContain('重大');
    expect(variants('Are user accounts reviewed?')).toContain('アカウント');
    expect(variants('Does the service run in containers?')).toContain('コンテナ');
    expect(variants('Is the on-call engineer reachable by paging?')).toContain('オンコール');
  });
});

describe('English prose tags', () => {
  const { concepts } = parseGlossary(['=communication|=communications\t通信|伝送', 'communicate|communicated\t周知|通知'].join('\n'));
  const tagger = conceptTagger({ glossary: concepts });

  it('tags a policy sentence by the exact form first, then by stems', () => {
    expect(tagger('All communication with the service is encrypted.')).toBe('g0');
    expect(tagger('The policy is communicated to every new hire.')).toBe('g1');
  });
});

describe('English rows wording a question\'s concept', () => {
  it('finds an exact-form phrase only as written in the rows', () => {
    const lexicon = loadLexicon();
    const network = expandQuery('Is communication encrypted?', lexicon).concepts.filter((c) => c.variants.includes('通信'));
    const rows = englishRows(['All communication with the service is encrypted in transit.', 'The policy is communicated to every new hire.']);
    const added = withEnglishWordings(network, rows, lexicon).flatMap((c) => c.variants);
    expect(added).toContain('communication');
    expect(added).not.toContain('communicated');
  });
});
