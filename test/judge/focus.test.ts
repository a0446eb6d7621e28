/**
 * Why: a row can share most of a question's words and still be about something else (the
 * setting of the question, not what it asks). The focus of an ask, the object and predicate
 * it ends on (Japanese) or opens with after the auxiliary (English), is what the row must
 * mention to answer it; the judgement's answer feature focus1 reads how much of it the
 * answering row mentions. The questions and rows below are written for these tests from
 * general security vocabulary; none comes from an evaluation set.
 */
import { describe, expect, it } from 'vitest';
import { focusCoverage, focusIdeas } from '../../src/judge/focus.js';
import { expandQuery, type Concept } from '../../src/retrieve/expand.js';
import { loadLexicon } from '../../src/retrieve/lexicon.js';
import { compile, coverage, textKey } from '../../src/retrieve/match.js';

const ideasOf = (question: string) => {
  const expanded = expandQuery(question, loadLexicon());
  return { lang: expanded.lang, ideas: compile(expanded.concepts) };
};

const LAPTOPS = '出張の際に、持ち出したノートPCのハードディスクを暗号化していますか?';
const KEYS = 'Do you rotate encryption keys at least once a year?';

describe('the focus of a question', () => {
  it('is, in Japanese, what the final predicate acts on and the predicate, not the setting before it', () => {
    const { lang, ideas } = ideasOf(LAPTOPS);
    expect(focusIdeas(ideas, lang).map((c) => c.source)).toEqual(['ハードディスク', '暗号化']);
  });

  it('is, in English, the main verb and its object after the auxiliary', () => {
    const { lang, ideas } = ideasOf(KEYS);
    expect(focusIdeas(ideas, lang).map((c) => c.source)).toEqual(['rotate', 'encryption keys']);
  });

  it('is missed by a row about the setting, however many of the other words it shares', () => {
    const { lang, ideas } = ideasOf(LAPTOPS);
    const setting = textKey('出張時のノートPCの持ち出しは上長の承認を必要としております');
    expect(coverage(ideas, setting)).toBeGreaterThanOrEqual(0.5);
    expect(focusCoverage(ideas, lang, setting)).toBe(0);
    expect(focusCoverage(ideas, lang, textKey('ノートPCのハードディスクはすべて暗号化しております'))).toBe(1);
  });

  it('is met by a row saying it in another of the lexicon’s wordings', () => {
    const { lang, ideas } = ideasOf(KEYS);
    expect(focusCoverage(ideas, lang, textKey('暗号鍵は年1回ローテーションしております'))).toBe(1);
    expect(focusCoverage(ideas, lang, textKey('通信はすべてTLSで暗号化しております'))).toBe(0);
  });

  it('is not seen missing where only the question’s own word names it (a paraphrase may say it otherwise)', () => {
    const idea = (source: string, variants: string[], weight = 1): Concept => ({ source, variants, weight, origin: 'literal' });
    const ideas = compile([idea('入館', ['入館', '入室', '立ち入り']), idea('気がかり', ['気がかり'])]);
    expect(focusCoverage(ideas, 'ja', textKey('入館はICカードで管理しております'))).toBe(1);
  });

  it('has nothing to miss when the question has no specific idea', () => {
    const ideas = compile([{ source: '管理', variants: ['管理'], weight: 0.2, origin: 'glossary' }]);
    expect(focusIdeas(ideas, 'ja')).toEqual([]);
    expect(focusCoverage(ideas, 'ja', textKey('手順書を定めております'))).toBe(1);
  });
});
