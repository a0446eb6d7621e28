/**
 * Why: a question about a named mechanism (a hardware token, a particular backup appliance) is
 * answered from a row about the broader idea around it when only coverage counts: the row shares
 * the question's setting and its generic words, and misses the very thing asked. The answer
 * models must see how much of the question's main ideas the best row leaves out.
 */
import { describe, expect, it } from 'vitest';
import type { Passage } from '../../src/domain.js';
import { ANSWER_FEATURES, RANK_FEATURES, ROW_FEATURES, answerFeatures, rowFeatures, type CandidateView, type QuestionView } from '../../src/judge/features.js';
import { compile, textKey } from '../../src/retrieve/match.js';
import type { Concept } from '../../src/retrieve/expand.js';

const row = (id: string, answer: string): Passage => ({ id, product: 'acme', kind: 'control', source: 'acme.txt', title: 'Acme', locator: `L${id}`, line: Number(id), page: null, sectionPath: [], ref: id, requirement: '', answer, status: 'yes' });
const candidate = (p: Passage): CandidateView => ({ passage: p, relevance: 0, key: textKey(p.answer), requirementKey: textKey(p.requirement), answerKey: textKey(p.answer), sameQuestion: 0 });
const concept = (source: string, weight = 1): Concept => ({ source, variants: [source], weight, origin: 'glossary' });
const view = (concepts: Concept[], n: number): QuestionView => ({ concepts: compile(concepts), asks: [], absent: [], unmentioned: 0, idf: concepts.map(() => 1), lang: 'ja', bm25: new Array<number>(n).fill(0), bm25Ceiling: 0 });

// "Do administrators sign in with a hardware token?" beside a sheet that only says sign-in is authenticated.
const rows = [row('1', '管理者のログインは認証を必須としております'), row('2', '管理者のログインにはハードウェアトークンを用いております')];
const question = view([concept('管理者', 0.4), concept('ログイン'), concept('認証'), concept('ハードウェアトークン')], rows.length);

describe('the question’s main ideas a row leaves out', () => {
  it('are counted per row over the main ideas alone: generic words cannot carry a broader row', () => {
    const [broader, specific] = rowFeatures(question, rows.map(candidate));
    expect(broader?.features.covMain).toBeCloseTo(2 / 3);
    expect(specific?.features.covMain).toBeCloseTo(2 / 3);
    const named = view([concept('管理者', 0.4), concept('ハードウェアトークン')], rows.length);
    const [b, s] = rowFeatures(named, rows.map(candidate));
    expect(b?.features.covMain).toBe(0);
    expect(s?.features.covMain).toBe(1);
  });

  it('tell the answer models what the best row misses', () => {
    const named = view([concept('管理者', 0.4), concept('ログイン'), concept('ハードウェアトークン')], rows.length);
    const featured = rowFeatures(named, rows.map(candidate));
    const scored = (i: number, share: number) => ({ score: share, share, features: featured[i]!.features, askCoverage: featured[i]!.askCoverage, statusKnown: true });
    expect(answerFeatures(named, [scored(0, 0.9), scored(1, 0.1)], 0.2).mainMissedInBest).toBeCloseTo(1 / 2);
    expect(answerFeatures(named, [scored(1, 0.9), scored(0, 0.1)], 0.2).mainMissedInBest).toBe(0);
    // No row at all: everything is missed.
    expect(answerFeatures(named, [], 0.2).mainMissedInBest).toBe(1);
  });

  it('are shown among the features and left out of the ranker', () => {
    expect(ROW_FEATURES).toContain('covMain');
    expect(RANK_FEATURES).not.toContain('covMain');
    expect(ANSWER_FEATURES).toContain('mainMissedInBest');
  });
});
