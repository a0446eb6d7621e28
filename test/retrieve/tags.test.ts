/**
 * Concept tags written for every passage at ingest (src/retrieve/tags.ts): a large product is
 * searched by them, so a tag a passage does not deserve brings it to every question about
 * that concept.
 */
import { describe, expect, it } from 'vitest';
import { parseGlossary } from '../../src/retrieve/lexicon.js';
import { conceptTagger } from '../../src/retrieve/tags.js';

// A two-concept glossary of the shipped format: English phrases, then Japanese/Latin variants.
const { concepts } = parseGlossary(['artificial intelligence|ai\tai|人工知能|生成ai', 'backup\tバックアップ|backup'].join('\n'));
const tagger = conceptTagger({ glossary: concepts });

describe('conceptTagger', () => {
  it('tags a Latin variant only as a whole word', () => {
    expect(tagger('Daily snapshots are retained for 35 days and maintained offline.')).toBe('');
    expect(tagger('Customer content is never used to train AI models.')).toBe('g0');
    expect(tagger('生成AIの利用方針を定めています。')).toBe('g0');
  });

  it('tags Japanese variants wherever they occur, with or without spaces', () => {
    expect(tagger('毎日 バック アップ を取得')).toBe('g1');
    expect(tagger('人工知能とバックアップ')).toBe('g0 g1');
  });

  it('tags English prose with the concepts whose English phrases it writes, in any inflection', () => {
    expect(tagger('Backups are encrypted and kept for 30 days.')).toBe('g1');
    expect(tagger('Artificial intelligence features are off by default.')).toBe('g0');
    // Japanese text is tagged by its Japanese variants only, as before.
    expect(tagger('バックアップ backups の取得')).toBe('g1');
  });
});
