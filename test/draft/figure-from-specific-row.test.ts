/**
 * A figure is taken only from a row about its subject's most specific idea (the rarest of its
 * content ideas among the product's rows): a row sharing only generic ideas with the subject
 * (「実施」, 「年」) states a figure about something else, and its figure is no answer. The
 * judgement reads that row as stating no figure asked (its mark blanked, flagged, the figure named),
 * and such a row does not stand in for a best row silent on the figure.
 */
import { describe, expect, it } from 'vitest';
import type { Passage } from '../../src/domain.js';
import { rowFeatures, type QuestionView } from '../../src/judge/features.js';
import { judge } from '../../src/judge/judge.js';
import type { Caution } from '../../src/retrieve/caution.js';
import type { Concept } from '../../src/retrieve/expand.js';
import { figuresNear, mostSpecificIdea } from '../../src/retrieve/figure-rows.js';
import { compile, textKey } from '../../src/retrieve/match.js';
import { candidateOf, coverageJudge } from '../support/judges.js';

const passage = (id: string, answer: string, requirement = ''): Passage => ({
  id, product: 'acme', kind: 'control', source: 'acme.txt', title: 'Acme checksheet', locator: `L${id}`, line: Number(id), page: null, sectionPath: [], ref: id, requirement, answer, status: 'yes',
});

// "How many times a year are fire evacuation exercises held?": its subject's ideas.
const evacuation: Concept = { source: 'evacuation', variants: ['避難'], weight: 1, origin: 'glossary' };
const exercise: Concept = { source: 'exercises', variants: ['訓練'], weight: 1, origin: 'glossary' };
const held: Concept = { source: 'held', variants: ['実施'], weight: 0.15, origin: 'glossary' };
const subject = compile([evacuation, exercise, held]);

// The product's rows: many exercise rows, one about evacuation, and the yearly audit.
const drill = passage('1', '避難訓練を毎年2回実施しております');
const audit = passage('2', '外部監査を年1回実施し、あわせて訓練の記録を確認しております');
const restore = passage('3', 'リストア訓練を実施しております');
const phishing = passage('4', '標的型メール訓練を実施しております');
const noFigure: Caution = { kind: 'figure', effect: 'unknown', figure: 'how many times a year' };

// Ranked by coverage, gently enough that a row covering half the subject is cited beside the best.
function judged(rows: Array<[Passage, Caution[]]>) {
  const q: QuestionView = { concepts: subject, asks: [], absent: [], unmentioned: 0, idf: [1, 1, 1], lang: 'en', bm25: rows.map(() => 0), bm25Ceiling: 0, cautions: [], subject };
  return judge(q, rowFeatures(q, rows.map(([p, c]) => candidateOf(p, c))), coverageJudge({ cov: 2 }));
}

describe('the most specific idea of a figure subject', () => {
  it('is the content idea the fewest rows mention, never the words for the figure asked', () => {
    const keys = [drill, audit, restore, phishing].map((p) => textKey(p.answer));
    expect(mostSpecificIdea(subject, keys)?.source).toBe('evacuation');
    const times: Concept = { source: 'times', variants: ['速やか'], weight: 1, origin: 'glossary' };
    expect(mostSpecificIdea(compile([times, exercise]), [...keys, textKey('速やかに対応')])?.source).toBe('exercises');
  });

  it('is read among the ideas some row mentions: a word the documents put otherwise decides nothing', () => {
    const unheld: Concept = { source: 'walkout', variants: ['ウォークアウト'], weight: 1, origin: 'glossary' };
    expect(mostSpecificIdea(compile([unheld, evacuation]), [textKey(drill.answer)])?.source).toBe('evacuation');
  });

  it('must be in the sentence stating the figure, or in the item the row answers', () => {
    const [idea] = compile([evacuation]);
    expect(figuresNear(idea ?? null, passage('5', '避難経路を掲示しております。設備点検を毎年1回行っております。'))).toBe(false);
    expect(figuresNear(idea ?? null, passage('6', '年2回行っております。', '避難訓練を定期的に行うこと'))).toBe(true);
  });
});

describe('a figure asked, in a row without the subject’s most specific idea', () => {
  it('is no answer: the row that states a figure about something else is blanked, flagged, the figure named', () => {
    const signs = passage('5', '避難経路を各フロアに掲示しております');
    const j = judged([
      [audit, []],
      [restore, [noFigure]],
      [phishing, [noFigure]],
      [signs, [noFigure]],
    ]);
    expect(j.hits[0]?.passage.id).toBe('2');
    expect(j.hits[0]?.status).toBe('unknown');
    expect(j.needsReview).toBe(true);
    expect(j.reason).toContain('how many times a year');
  });

  it('does not stand in for a best row silent on the figure', () => {
    const silent = passage('7', '避難訓練を実施する手順を定めております');
    const withAudit = judged([
      [silent, [noFigure]],
      [audit, []],
      [restore, [noFigure]],
    ]);
    expect(withAudit.hits.map((h) => h.passage.id)).toContain('2');
    expect(withAudit.hits[0]?.status).toBe('unknown');
    expect(withAudit.needsReview).toBe(true);
    // The row about evacuation drills stating the figure does.
    const withDrill = judged([
      [silent, [noFigure]],
      [drill, []],
      [restore, [noFigure]],
    ]);
    expect(withDrill.hits.map((h) => h.passage.id)).toEqual(['7', '1']);
    expect(withDrill.hits[0]?.status).toBeUndefined();
  });

  it('keeps a row about the most specific idea stating the figure as the answer', () => {
    const j = judged([
      [drill, []],
      [restore, [noFigure]],
      [phishing, [noFigure]],
    ]);
    expect(j.hits[0]?.passage.id).toBe('1');
    expect(j.hits[0]?.status).toBeUndefined();
  });
});
