/**
 * Why: a question whose main idea the lexicon knows several ways of saying, and which no row
 * says in any of them, is likely about something the documents do not cover; an idea only
 * the question's own word names may just be a paraphrase. The judgement's answer features
 * keep the two apart (knownUnmentioned), so a learned decline can weigh them differently.
 */
import { describe, expect, it } from 'vitest';
import type { Passage } from '../../src/domain.js';
import { ANSWER_FEATURES, ROW_FEATURES, knownUnmentioned, rowFeatures, type CandidateView, type QuestionView } from '../../src/judge/features.js';
import { judge, type Judge } from '../../src/judge/judge.js';
import type { LogisticModel } from '../../src/judge/logistic.js';
import { compile, textKey } from '../../src/retrieve/match.js';
import type { Concept } from '../../src/retrieve/expand.js';

const row = (id: string, answer: string): Passage => ({ id, product: 'acme', kind: 'control', source: 'acme.txt', title: 'Acme', locator: `L${id}`, line: Number(id), page: null, sectionPath: [], ref: id, requirement: '', answer, status: 'yes' });
const candidate = (p: Passage): CandidateView => ({ passage: p, relevance: 0, key: textKey(p.answer), requirementKey: textKey(p.requirement), answerKey: textKey(p.answer), sameQuestion: 0 });
const concept = (source: string, variants: string[], weight = 1): Concept => ({ source, variants, weight, origin: 'glossary' });
const view = (concepts: Concept[], n: number): QuestionView => ({ concepts: compile(concepts), asks: [], absent: [], unmentioned: 0, idf: concepts.map(() => 1), lang: 'ja', bm25: new Array<number>(n).fill(0), bm25Ceiling: 0 });

const rows = [row('1', '入館はICカードで管理しております'), row('2', '来訪者は受付で記帳しております')];
const entry = concept('入館', ['入館', '入室', '立ち入り']);
/** Known to the lexicon in several wordings, said by no row. */
const insurance = concept('保険', ['保険', '損害保険', '賠償保険']);
/** Only the question's own everyday word. */
const everyday = concept('出入り', ['出入り']);

describe('an idea of the question that no row mentions', () => {
  it('counts when the lexicon knows several ways of saying it', () => {
    expect(knownUnmentioned(view([entry, insurance], rows.length), rows.map((r) => textKey(r.answer)))).toBeCloseTo(0.5);
  });

  it('does not count when only the question’s own word names it, or when a row says it another way', () => {
    expect(knownUnmentioned(view([entry, everyday], rows.length), rows.map((r) => textKey(r.answer)))).toBe(0);
    expect(knownUnmentioned(view([concept('立ち入り', ['立ち入り', '入室', '入館']), entry], rows.length), rows.map((r) => textKey(r.answer)))).toBe(0);
  });

  it('does not count a minor idea (a generic word)', () => {
    expect(knownUnmentioned(view([entry, concept('仕組み', ['仕組み', '体制'], 0.3)], rows.length), rows.map((r) => textKey(r.answer)))).toBe(0);
  });

  it('lets a judge that weighs it decline a question about an uncovered idea and answer a paraphrase', () => {
    const features = (names: readonly string[], weights: Record<string, number>, bias = 0): LogisticModel => ({ features: [...names], weights: names.map((f) => weights[f] ?? 0), bias, mean: names.map(() => 0), scale: names.map(() => 1) });
    const model: Judge = {
      rank: features(ROW_FEATURES, { cov: 10 }),
      answerable: features(ANSWER_FEATURES, { unmentionedKnown: -10 }, 2),
      answer: features(ANSWER_FEATURES, {}, 0),
      thresholds: { cite: 0.2, decline: 0.5, declineEn: 0.5, unflagged: 1 },
    };
    const ask = (concepts: Concept[]) => {
      const q = view(concepts, rows.length);
      return judge(q, rowFeatures(q, rows.map(candidate)), model);
    };
    expect(ask([entry, insurance]).abstained).toBe(true);
    const paraphrase = ask([entry, everyday]);
    expect(paraphrase.abstained).toBe(false);
    expect(paraphrase.hits[0]?.passage.id).toBe('1');
  });
});
