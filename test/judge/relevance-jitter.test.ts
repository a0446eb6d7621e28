/**
 * Why: LanceDB's full-text scores differ in their last float32 digits from one index build to
 * the next (about 1e-7, measured by ingesting the same corpus twice), and `npm run train`
 * ingests afresh on every run. If a feature read relevance at full precision, two runs would
 * fit different weights, and a user re-ingesting the same documents could see rows ranked or
 * cited differently. The features read relevance to two decimals (src/judge/features.ts), so
 * candidates whose relevance differs by such a jitter, even one that swaps which of two rows
 * scores higher, must give the same features and the same judgement.
 */
import { describe, expect, it } from 'vitest';
import type { Passage } from '../../src/domain.js';
import { rowFeatures, type CandidateView, type QuestionView } from '../../src/judge/features.js';
import { judge } from '../../src/judge/judge.js';
import { compile, textKey } from '../../src/retrieve/match.js';
import type { Concept } from '../../src/retrieve/expand.js';
import { coverageJudge } from '../support/judges.js';

const row = (id: string, answer: string): Passage => ({ id, product: 'acme', kind: 'control', source: 'acme.txt', title: 'Acme', locator: `L${id}`, line: Number(id), page: null, sectionPath: [], ref: id, requirement: '', answer, status: 'yes' });
const candidate = (p: Passage, relevance: number): CandidateView => ({ passage: p, relevance, key: textKey(p.answer), requirementKey: textKey(p.requirement), answerKey: textKey(p.answer), sameQuestion: 0 });
const concept = (source: string, variants: string[]): Concept => ({ source, variants, weight: 1, origin: 'glossary' });

const backup = concept('backup', ['バックアップ']);
const encryption = concept('encryption', ['暗号化']);
const view = (n: number): QuestionView => ({
  concepts: compile([backup, encryption]),
  // Two asks, so that the tie-break between rows covering an ask equally (by relevance) counts.
  asks: [compile([backup]), compile([encryption])],
  absent: [],
  unmentioned: 0,
  idf: [1, 1],
  lang: 'ja',
  bm25: new Array<number>(n).fill(0),
  bm25Ceiling: 0,
});

// Rows 1 and 2 cover the backup ask equally, rows 3 and 4 the encryption ask: which of each
// pair is the ask's best row is decided by relevance alone.
const rows = [
  row('1', 'バックアップは毎日取得しております'),
  row('2', 'バックアップは遠隔地に保管しております'),
  row('3', '通信は暗号化しております'),
  row('4', '保存データは暗号化しております'),
];
/** Relevance as one index build scored the rows. */
const build1 = [0.4137, 0.41370004, 0.2251, 0.22509998];
/** The same rows scored by another build: each score off by about 1e-7, each pair's order swapped. */
const build2 = [0.41370009, 0.41369995, 0.22509991, 0.22510006];

describe('relevance jitter between index builds', () => {
  it('gives every candidate the same features', () => {
    const q = view(rows.length);
    const first = rowFeatures(q, rows.map((r, i) => candidate(r, build1[i] ?? 0)));
    const second = rowFeatures(q, rows.map((r, i) => candidate(r, build2[i] ?? 0)));
    expect(second.map((f) => f.features)).toEqual(first.map((f) => f.features));
    // Each ask's best row is the same row in both builds.
    expect(second.map((f) => f.features.subTop)).toEqual(first.map((f) => f.features.subTop));
  });

  it('ranks and cites the same rows', () => {
    const q = view(rows.length);
    // A ranker that also weighs relevance, so that relevance could move the order.
    const model = coverageJudge({ cov: 10, rel: 1, relRank: 1 });
    const cited = (relevance: number[]): string[] => judge(q, rowFeatures(q, rows.map((r, i) => candidate(r, relevance[i] ?? 0))), model).ranked.map((r) => r.candidate.passage.id);
    expect(cited(build2)).toEqual(cited(build1));
  });

  it('still tells apart rows whose relevance differs in earnest', () => {
    const q = view(rows.length);
    const features = rowFeatures(q, rows.map((r, i) => candidate(r, [0.41, 0.52, 0.22, 0.23][i] ?? 0)));
    expect(features.map((f) => f.features.rel)).toEqual([0.41, 0.52, 0.22, 0.23]);
    expect(features[1]?.features.relRank).toBeGreaterThan(features[0]?.features.relRank ?? 1);
  });
});
