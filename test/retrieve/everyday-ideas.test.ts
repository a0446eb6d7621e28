/**
 * Why this file: questions name general ideas in words the glossary did not list, in English
 * ("how are responsibilities divided", "a RACI") and in plain Japanese (verbs, kana spellings,
 * katakana loanwords for the sheets' 漢語). Each wording must reach the glossary concept a
 * checksheet row states the idea with. Written for this test from general vocabulary; none comes
 * from an evaluation set or a trial.
 */
import { describe, expect, it } from 'vitest';
import { expandQuery } from '../../src/retrieve/expand.js';
import { loadLexicon } from '../../src/retrieve/lexicon.js';

const variantsOf = (question: string): string[] => expandQuery(question, loadLexicon()).concepts.flatMap((c) => c.variants);

describe('who is responsible for what, in English', () => {
  it.each([
    ['How are security responsibilities divided between your team and ours?', '責任分界'],
    ['Is the allocation of responsibilities for patching written down?', '責任分界'],
    ['Do you share a RACI chart for incident handling?', '責任分界'],
    ['Which controls remain the customer’s responsibility?', '責任分界'],
    ['Who is responsible for what when a backup fails?', '責任分界'],
  ])('%s → %s', (question, variant) => {
    expect(variantsOf(question)).toContain(variant);
  });

  it('leaves a plain question about one role alone', () => {
    expect(variantsOf('Who is responsible for information security?')).not.toContain('責任分界');
  });
});
