/**
 * Why: an unanswerable question mostly shares its generic ideas with some row and differs in its
 * most specific one (a lock of a screen beside a lock of an account). The judgement's features
 * must say which ideas a row holds, not only how many: rarestIdeas per row, and for the answer
 * how much of the question's rarest ideas the best row, the cited rows and another row hold.
 */
import { describe, expect, it } from 'vitest';
import type { Passage } from '../../src/domain.js';
import { ANSWER_FEATURES, RANK_FEATURES, ROW_FEATURES, answerFeatures, rarestIdeasOf, rowFeatures, type CandidateView, type QuestionView } from '../../src/judge/features.js';
import { compile, textKey } from '../../src/retrieve/match.js';
import type { Concept } from '../../src/retrieve/expand.js';

const row = (id: string, answer: string): Passage => ({ id, product: 'acme', kind: 'control', source: 'acme.txt', title: 'Acme', locator: `L${id}`, line: Number(id), page: null, sectionPath: [], ref: id, requirement: '', answer, status: 'yes' });
const candidate = (p: Passage): CandidateView => ({ passage: p, relevance: 0, key: textKey(p.answer), requirementKey: textKey(p.requirement), answerKey: textKey(p.answer), sameQuestion: 0 });
const concept = (source: string, weight = 1): Concept => ({ source, variants: [source], weight, origin: 'glossary' });
const view = (concepts: Concept[], idf: number[], n: number): QuestionView => ({ concepts: compile(concepts), asks: [], absent: [], unmentioned: 0, idf, lang: 'ja', bm25: new Array<number>(n).fill(0), bm25Ceiling: 0 });

// A question about printers' toner supply: the generic ideas (発注, 管理) are everywhere, トナー in one row.
const rows = [row('1', '備品の発注は総務部が管理しております'), row('2', 'トナーの補充は月次で発注しております')];
const question = view([concept('発注'), concept('管理', 0.2), concept('トナー'), concept('補充', 0.4)], [1.2, 0.8, 3.5, 3.9], rows.length);

describe('the question’s rarest ideas', () => {
  it('are its specific ideas of highest idf, two at most; a minor word is none of them however rare', () => {
    expect(rarestIdeasOf(question).map((r) => r.concept.source)).toEqual(['トナー', '発注']);
  });

  it('tell the row holding the most specific idea from one sharing only the generic ones', () => {
    const [generic, specific] = rowFeatures(question, rows.map(candidate));
    expect(specific?.features.rarestIdeas).toBeCloseTo(1);
    // 発注 alone: its idf-weighted share of the two rarest ideas.
    expect(generic?.features.rarestIdeas).toBeCloseTo(1.2 / (1.2 + 3.5));
    // Coverage alone cannot tell them apart as sharply.
    expect((specific?.features.cov ?? 0) - (generic?.features.cov ?? 0)).toBeLessThan(0.5);
  });

  it('say, for the answer, when a row below the best holds more of them than the best', () => {
    const featured = rowFeatures(question, rows.map(candidate));
    const scored = (i: number, share: number) => ({ score: share, share, features: featured[i]!.features, askCoverage: featured[i]!.askCoverage, statusKnown: true });
    // The generic row ranked first, the specific one below the citation threshold.
    const af = answerFeatures(question, [scored(0, 0.9), scored(1, 0.05)], 0.2);
    expect(af.rarestIdeasInBest).toBeCloseTo(1.2 / 4.7);
    expect(af.rarestIdeasInCited).toBeCloseTo(1.2 / 4.7);
    expect(af.rarestIdeasElsewhere).toBeCloseTo(3.5 / 4.7);
    // Cited too: the cited rows hold them all.
    expect(answerFeatures(question, [scored(0, 0.7), scored(1, 0.3)], 0.2).rarestIdeasInCited).toBeCloseTo(1);
  });

  it('are named among the features the judgement shows, and left out of the ranker', () => {
    expect(ROW_FEATURES).toContain('rarestIdeas');
    expect(RANK_FEATURES).not.toContain('rarestIdeas');
    expect(ANSWER_FEATURES).toEqual(expect.arrayContaining(['rarestIdeasInBest', 'rarestIdeasInCited', 'rarestIdeasElsewhere']));
  });
});
