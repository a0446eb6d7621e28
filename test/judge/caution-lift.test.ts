/**
 * A caution that lifts a row's status (effect yes): the row was read partial for a caveat that
 * is about something beside the question (src/retrieve/remark-denial.ts remark-aside). What a
 * reviewer sees: the row's partial answers this question yes, with no flag or reason of its
 * own; and a caution that blanks, denies or narrows the row still has its say after the lift,
 * so a lift never hides another reason against a plain yes.
 */
import { describe, expect, it } from 'vitest';
import type { Passage, Status } from '../../src/domain.js';
import { rowFeatures, type QuestionView } from '../../src/judge/features.js';
import { judge, type Judge, type Judgement } from '../../src/judge/judge.js';
import { acts, lifts, NEGATED, ROW_DENIES, type Caution } from '../../src/retrieve/caution.js';
import type { Concept } from '../../src/retrieve/expand.js';
import { compile } from '../../src/retrieve/match.js';
import { candidateOf, coverageJudge } from '../support/judges.js';

/** 「伝送データは暗号化…ストレージは暗号化されておりません」: read partial at ingest. */
const encrypted: Passage = {
  id: '1',
  product: 'acme',
  kind: 'control',
  source: 'acme.txt',
  title: 'Acme checksheet',
  locator: 'L1',
  line: 1,
  page: null,
  sectionPath: [],
  ref: '1',
  requirement: '',
  answer: '伝送データは暗号化しております。ストレージは暗号化されておりません。',
  status: 'partial',
};
const other: Passage = { ...encrypted, id: '2', locator: 'L2', line: 2, ref: '2', answer: 'バックアップを毎日取得しております', status: 'yes' };
const ASIDE: Caution = { kind: 'remark-aside', effect: 'yes', clause: 'ストレージは暗号化されておりません' };

const JUDGE: Judge = coverageJudge();
/** Both ideas are in the caveat too, so the row stays partial for the question unless a caution lifts it. */
const transit: Concept = { source: 'encryption', variants: ['暗号化'], weight: 1, origin: 'glossary' };

function judged(onRow: Caution[], onQuestion: Caution[] = []): Judgement {
  const q: QuestionView = { concepts: compile([transit]), asks: [], absent: [], unmentioned: 0, idf: [1], lang: 'en', bm25: [0, 0], bm25Ceiling: 0, cautions: onQuestion };
  return judge(q, rowFeatures(q, [candidateOf(encrypted, onRow), candidateOf(other)]), JUDGE);
}
const statusOf = (j: Judgement): Status | undefined => j.hits[0]?.status ?? j.hits[0]?.passage.status;

describe('a caution lifting a row read partial for a caveat beside the question', () => {
  it('leaves the row partial without it', () => {
    expect(statusOf(judged([]))).toBe('partial');
  });

  it('answers yes with it, and gives no reason or flag of its own', () => {
    const j = judged([ASIDE]);
    expect(statusOf(j)).toBe('yes');
    expect(j.reason).not.toContain('ストレージ');
  });

  it('is no caution that flags the answer: it lifts a partial and nothing else', () => {
    expect(acts(ASIDE)).toBe(false);
    expect(lifts(ASIDE, 'partial')).toBe(true);
    expect(lifts(ASIDE, 'no')).toBe(false);
    expect(lifts(ASIDE, 'unknown')).toBe(false);
  });

  it('still lets a denial on the same row say no', () => {
    const j = judged([ASIDE, ROW_DENIES]);
    expect(statusOf(j)).toBe('no');
    expect(j.needsReview).toBe(true);
  });

  it('still lets a question phrased in the negative leave no bare yes', () => {
    const j = judged([ASIDE], [NEGATED]);
    expect(statusOf(j)).toBe('unknown');
    expect(j.needsReview).toBe(true);
  });
});
