/**
 * A figure question whose best row is silent on the figure, while another cited row about the
 * same subject states it: the draft quotes that other row's figure, so the best row's silence
 * must not blank the answer, nor that row's own status (src/draft/extractive.ts combines the
 * cited rows' statuses, and a blanked best row made the whole draft unknown).
 */
import { describe, expect, it } from 'vitest';
import type { Passage } from '../../src/domain.js';
import { rowFeatures, type QuestionView } from '../../src/judge/features.js';
import { judge } from '../../src/judge/judge.js';
import type { Caution } from '../../src/retrieve/caution.js';
import type { Concept } from '../../src/retrieve/expand.js';
import { compile } from '../../src/retrieve/match.js';
import { candidateOf, coverageJudge } from '../support/judges.js';

const passage = (id: string, answer: string): Passage => ({
  id, product: 'acme', kind: 'control', source: 'acme.txt', title: 'Acme checksheet', locator: `L${id}`, line: Number(id), page: null, sectionPath: [], ref: id, requirement: '', answer, status: 'yes',
});
const backup: Concept = { source: 'backup', variants: ['バックアップ'], weight: 1, origin: 'glossary' };
const silent = passage('1', 'バックアップを毎日取得しております');
const stating = passage('2', 'バックアップは30日間保管しております');
const silence: Caution = { kind: 'figure', effect: 'unknown', figure: '30日以上' };

function judged(others: Passage[]) {
  const q: QuestionView = { concepts: compile([backup]), asks: [], absent: [], unmentioned: 0, idf: [1], lang: 'ja', bm25: [0, 0], bm25Ceiling: 0, cautions: [] };
  return judge(q, rowFeatures(q, [candidateOf(silent, [silence]), ...others.map((p) => candidateOf(p))]), coverageJudge());
}

describe('a figure the best row does not state, stated by another cited row', () => {
  it('keeps the best row its own status and the answer its yes, citing the row that states the figure', () => {
    const j = judged([stating]);
    expect(j.abstained).toBe(false);
    expect(j.hits.map((h) => h.passage.id)).toEqual(['1', '2']);
    expect(j.hits[0]?.status).toBeUndefined(); // the row's own ○, not blanked
    expect(j.reason).not.toContain('30日以上');
  });

  it('blanks the best row when no cited row states the figure: unknown, flagged, the figure named', () => {
    const j = judged([]);
    expect(j.hits[0]?.status).toBe('unknown');
    expect(j.needsReview).toBe(true);
    expect(j.reason).toContain('30日以上');
  });
});
