/**
 * Two rows that fit the question alike, one answering yes in its own words about something
 * beside it and one saying that what is asked is not done (its answer eliding the topic its
 * requirement names: 「現状文書化したものはありません」): the answer is the sheet's no, that row
 * cited and the yes row not, flagged and no surer than a coin toss, never a confident yes over it. A denying
 * row the question fits less well leaves the yes alone.
 */
import { describe, expect, it } from 'vitest';
import type { Passage, Status } from '../../src/domain.js';
import { rowFeatures, type CandidateView, type QuestionView } from '../../src/judge/features.js';
import { judge, type Judge, type Judgement } from '../../src/judge/judge.js';
import { CAUTION_CAP } from '../../src/retrieve/caution.js';
import type { Concept } from '../../src/retrieve/expand.js';
import { compile } from '../../src/retrieve/match.js';
import { candidateOf, coverageJudge } from '../support/judges.js';

function passage(id: string, requirement: string, answer: string, status: Status): Passage {
  return { id, product: 'acme', kind: 'control', source: 'acme.txt', title: 'Acme checksheet', locator: `L${id}`, line: Number(id), page: null, sectionPath: [], ref: id, requirement, answer, status };
}
const candidate = (p: Passage): CandidateView => candidateOf(p, [], `${p.requirement}\n${p.answer}`);
/** Ranks by coverage and, like the trained ranker, by the answer's own words; sure of a covered question. */
const JUDGE: Judge = coverageJudge({ cov: 10, covAns: 3 });
const concept = (source: string, variants: string[]): Concept => ({ source, variants, weight: 1, origin: 'glossary' });
const maintenance = [concept('maintenance', ['保守']), concept('procedure', ['手順'])];

const staff = passage('1', '保守要員の一覧を維持すること。', '保守要員の認可手順を確立しております。', 'yes');
const policy = passage('2', 'システム保守の手順を文書化すること。', '現状文書化したものはありません。今後作成予定です。', 'no');
const partly = passage('3', 'システム保守について定めること。', '現状文書化したものはありません。', 'no');

function judged(rows: Passage[]): Judgement {
  const q: QuestionView = { concepts: compile(maintenance), asks: [], absent: [], unmentioned: 0, idf: [1, 1], lang: 'ja', bm25: rows.map(() => 0), bm25Ceiling: 0, cautions: [] };
  return judge(q, rowFeatures(q, rows.map(candidate)), JUDGE);
}
const statusOf = (j: Judgement): Status | undefined => j.hits[0]?.status ?? j.hits[0]?.passage.status;

describe('a row saying what is asked is not done, fitting the question as well as the best row’s yes', () => {
  it('is the answer: no, the yes row not cited (its yes would mix into the draft), flagged, confidence capped', () => {
    const j = judged([staff, policy]);
    expect(j.ranked[0]?.candidate.passage.id).toBe('1'); // the ranker's order is kept as it is
    expect(j.hits.map((h) => h.passage.id)).toEqual(['2']);
    expect(statusOf(j)).toBe('no');
    expect(j.needsReview).toBe(true);
    expect(j.confidence).toBeLessThanOrEqual(CAUTION_CAP);
    expect(j.reason).toContain('「いいえ」');
  });

  it('does not lead when the question fits it less well: the yes stands', () => {
    const j = judged([staff, partly]);
    expect(j.hits[0]?.passage.id).toBe('1');
    expect(statusOf(j)).toBe('yes');
  });
});
