/**
 * Why this file: a concept's Japanese wordings add bigrams to the question's score, but a
 * wording that no row of the product writes can only meet rows through its parts (保護 of
 * 情報保護 where the rows say 暗号化), which are not the idea. Only the wordings the product's
 * rows use count, each with its share of the concept's weight; when no row writes any, all do.
 * Invented concept and rows.
 */
import { describe, expect, it } from 'vitest';
import { grams } from '../../src/retrieve/bigram.js';
import type { Concept } from '../../src/retrieve/expand.js';
import { questionGrams } from '../../src/retrieve/retrieve.js';

const concept: Concept = { source: '持ち出し', variants: ['持ち出し', '社外持出', '可搬媒体'], weight: 1, origin: 'glossary' };
const rows = ['可搬媒体の利用は申請制としています', '入館証を発行しています'];
const used = (v: string): boolean => rows.some((r) => r.includes(v));

describe('bigrams of a concept’s wordings', () => {
  it('leaves out the wordings no row writes, keeping each used one’s share', () => {
    const q = questionGrams('', 'ja', [concept], used);
    const alone = grams('可搬媒体', 0.5 / 3);
    expect(q).toEqual(alone);
    expect(q.has('社外')).toBe(false);
  });

  it('keeps every wording when no row writes any', () => {
    const q = questionGrams('', 'ja', [concept], () => false);
    expect(q.has('社外')).toBe(true);
    expect(q.has('可搬')).toBe(true);
  });
});
