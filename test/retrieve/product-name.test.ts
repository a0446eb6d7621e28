/**
 * The product's own name in a question is no idea of it: every row is about the product. Its
 * words (the key's, and the title's name part's) are taken out of the question's ideas, so that
 * 「ほしぞらPADについて…」 is not read as "PAD" and a name no row writes vetoes nothing.
 */
import { describe, expect, it } from 'vitest';
import { expandQuery } from '../../src/retrieve/expand.js';
import { loadLexicon } from '../../src/retrieve/lexicon.js';
import { productNameWords, withoutProductIdeas } from '../../src/retrieve/product-name.js';

describe('the product’s name', () => {
  it('is the key’s words and the title’s name part’s when that shares a word with the key', () => {
    expect([...productNameWords('hoshizora-pad', 'ほしぞら PAD セキュリティチェックシート (2024年版)')].sort()).toEqual(['hoshizora', 'pad', 'ほしぞら'].sort());
    expect([...productNameWords('orbit', 'orbit.io Security Whitepaper')].sort()).toEqual(['io', 'orbit'].sort());
  });

  it('takes nothing from a title naming only the kind of service', () => {
    expect([...productNameWords('sla-list', 'クラウドサービスチェックリスト')].sort()).toEqual(['list', 'sla']);
  });

  it('is no idea of the question, and the question’s own ideas stay', () => {
    const names = productNameWords('hoshizora-pad', 'ほしぞら PAD セキュリティチェックシート');
    const concepts = withoutProductIdeas(expandQuery('ほしぞらPADのセッションは何分で切れますか?', loadLexicon()).concepts, names);
    const sources = concepts.map((c) => c.source.toLowerCase());
    expect(sources).not.toContain('pad');
    expect(sources).not.toContain('ほしぞら');
    // 切れる of a session reads 切断, the same idea: one concept named by both words.
    expect(sources.some((s) => s.split(' / ').includes('セッション'))).toBe(true);
  });
});
