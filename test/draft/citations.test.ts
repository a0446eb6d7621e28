import { describe, expect, it } from 'vitest';
import type { Hit, Passage, Status } from '../../src/domain.js';
import {
  assignEvidenceIds,
  checkCitations,
  combineConfidence,
  contradictsEvidence,
  normaliseEvidenceId,
  reconcile,
} from '../../src/draft/citations.js';

const p = (id: string, status: Status): Passage => ({
  id,
  product: 'krew',
  kind: 'control',
  source: 'sheet.txt',
  title: 't',
  locator: 'L1',
  line: 1,
  page: null,
  sectionPath: [],
  ref: '1-1',
  requirement: '要求',
  answer: '回答',
  status,
});
const hits: Hit[] = [
  { passage: p('krew/sheet.txt#L1', 'yes'), score: 0.9 },
  { passage: p('krew/sheet.txt#L2', 'no'), score: 0.5 },
];
const evidence = assignEvidenceIds(hits);

describe('citations', () => {
  it('maps E-ids (loosely written) and full passage ids back to passages, deduplicated', () => {
    expect(['E1', ' e1 ', '[E01]', '"E2"', 'E２'].map(normaliseEvidenceId)).toEqual(['E1', 'E1', 'E1', 'E2', 'E２']);
    const check = checkCitations(['[E2]', 'e2', 'krew/sheet.txt#L1', 'E3', ''], evidence);
    expect(check.citations.map((c) => c.id)).toEqual(['krew/sheet.txt#L2', 'krew/sheet.txt#L1']);
    expect(check.citations[0]).toMatchObject({ text: '要求\n回答', score: 0.5, ref: '1-1' });
    expect(check.unknown).toEqual(['E3']);
  });

  it('never lets an asserted status stand without a valid citation', () => {
    for (const status of ['yes', 'no', 'partial', 'not_applicable'] as const) {
      const v = reconcile({ status, modelNeedsHuman: false, modelConfidence: 1, retrievalConfidence: 0.9, check: checkCitations(['E7'], evidence) });
      expect(v).toMatchObject({ status: 'unknown', needsHuman: true, withheld: true, confidence: 0 });
    }
    const unknown = reconcile({ status: 'unknown', modelNeedsHuman: false, modelConfidence: 0.2, retrievalConfidence: 0.9, check: checkCitations([], evidence) });
    expect(unknown).toMatchObject({ status: 'unknown', needsHuman: true, withheld: false });
  });

  it('accepts a cited answer and flags a contradiction with the cited rows', () => {
    const ok = reconcile({ status: 'yes', modelNeedsHuman: false, modelConfidence: 0.9, retrievalConfidence: 0.8, check: checkCitations(['E1'], evidence) });
    expect(ok).toEqual({ status: 'yes', confidence: 0.8, needsHuman: false, withheld: false, problems: [] });
    const contra = reconcile({ status: 'yes', modelNeedsHuman: false, modelConfidence: 0.9, retrievalConfidence: 0.8, check: checkCitations(['E2'], evidence) });
    expect(contra.needsHuman).toBe(true);
    expect(contra.problems.join()).toMatch(/says otherwise/);
    expect(contradictsEvidence('no', [evidence[0]!])).toBe(true);
    expect(contradictsEvidence('partial', [evidence[1]!])).toBe(false);
    expect(contradictsEvidence('yes', evidence)).toBe(false); // mixed rows: no contradiction
  });

  it('combines confidence: the model can lower it, never raise it', () => {
    expect(combineConfidence(0.6, 0.9)).toBe(0.6);
    expect(combineConfidence(0.8, 0.2)).toBeCloseTo(0.4);
    expect(combineConfidence(0.8, Number.NaN)).toBe(0);
    expect(combineConfidence(2, 2)).toBe(1);
  });
});
