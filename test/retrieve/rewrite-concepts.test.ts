/**
 * How a query rewrite joins the question's concepts (pure, with the real lexicon): it adds
 * Japanese vocabulary the question lacks, never an idea twice, and never a named topic.
 */
import { describe, expect, it } from 'vitest';
import { expandQuery } from '../../src/retrieve/expand.js';
import { loadLexicon } from '../../src/retrieve/lexicon.js';
import { asksOf, rewriteConcepts } from '../../src/retrieve/rewrite.js';

const lexicon = loadLexicon();

describe('rewriteConcepts', () => {
  it('adds the Japanese terms the question does not already have', () => {
    const own = expandQuery('Do you vet your plimbors?', lexicon).concepts;
    const added = rewriteConcepts({ terms: ['委託先', '入退室'], subQuestions: [] }, lexicon, own);
    const variants = added.flatMap((c) => c.variants);
    expect(variants).toContain('委託先');
    expect(variants).toContain('入退室');
    expect(own.flatMap((c) => c.variants)).not.toContain('委託先');
  });

  it('does not count an idea twice when the glossary already translated it', () => {
    const own = expandQuery('Is stored data encrypted?', lexicon).concepts;
    expect(own.flatMap((c) => c.variants)).toContain('暗号化');
    const added = rewriteConcepts({ terms: ['暗号化', '委託先', '再委託'], subQuestions: [] }, lexicon, own);
    expect(added.flatMap((c) => c.variants)).not.toContain('暗号化');
    // 再委託 and 委託先 are one glossary idea: added once.
    expect(added.filter((c) => c.variants.includes('委託先'))).toHaveLength(1);
  });

  it('never adds a latin name the question did not use (it would veto every row that lacks it)', () => {
    const own = expandQuery('Are you certified?', lexicon).concepts;
    const added = rewriteConcepts({ terms: ['ISMS認証', 'SOC2報告書', '登録番号'], subQuestions: [] }, lexicon, own);
    expect(added.map((c) => c.source).join(' ').toLowerCase()).not.toMatch(/isms|soc/);
    expect(added.length).toBeGreaterThan(0); // the plain word still joins
  });
});

describe('asksOf', () => {
  it('keeps the question\'s own split, and uses the rewrite\'s sub-questions only when there is none', () => {
    const rewrite = { terms: [], subQuestions: ['委託先を選定していますか。', '入退室を管理していますか。'] };
    expect(asksOf(['Do you vet vendors?', 'Is entry controlled?'], rewrite)).toEqual(['Do you vet vendors?', 'Is entry controlled?']);
    expect(asksOf(['Do you vet vendors and control entry?'], rewrite)).toEqual(rewrite.subQuestions);
    expect(asksOf(['Do you vet vendors?'], { terms: [], subQuestions: ['委託先を選定していますか。'] })).toEqual(['Do you vet vendors?']);
    expect(asksOf(['Do you vet vendors?'], null)).toEqual(['Do you vet vendors?']);
  });
});
