/**
 * A question narrowed by a qualifier ("a record a user deleted by mistake") and two cited rows:
 * the best about the topic in general (deleting data at the contract's end), one below it refusing
 * exactly the case asked (「お客様の誤操作による復旧には提供しておりません」). The refusal is the answer
 * and leads, read as the qualifier denial reads it (no; partial beside an offer for a fee), never
 * the general row's yes. Without the refusal, the general row stands.
 */
import { describe, expect, it } from 'vitest';
import type { Passage, Status } from '../../src/domain.js';
import { rowFeatures, type CandidateView, type QuestionView } from '../../src/judge/features.js';
import { judge, type Judge, type Judgement } from '../../src/judge/judge.js';
import { questionCautions } from '../../src/retrieve/caution.js';
import type { Concept } from '../../src/retrieve/expand.js';
import { compile } from '../../src/retrieve/match.js';
import { candidateOf, coverageJudge } from '../support/judges.js';

function passage(id: string, requirement: string, answer: string, status: Status): Passage {
  return { id, product: 'acme', kind: 'control', source: 'acme.txt', title: 'Acme checksheet', locator: `L${id}`, line: Number(id), page: null, sectionPath: [], ref: id, requirement, answer, status };
}
const candidate = (p: Passage): CandidateView => candidateOf(p, [], `${p.requirement}\n${p.answer}`);
const JUDGE: Judge = { ...coverageJudge({ cov: 10 }), thresholds: { cite: 0.01, decline: 0.5, declineEn: 0.5, unflagged: 0.9 } };
const concept = (source: string, variants: string[]): Concept => ({ source, variants, weight: 1, origin: 'glossary' });
const QUESTION = 'お客様が誤って削除したデータを復旧してもらえますか?';
const ideas = [concept('削除', ['削除', '消去']), concept('データ', ['データ']), concept('復旧', ['復旧', '復元'])];

const deletion = passage('1', '契約終了時にデータを削除すること。', '契約終了後、削除されたデータを含むすべてのデータを消去し、復元できる期間はございます。', 'yes');
const refusing = passage('2', 'バックアップを取得すること。', 'バックアップは障害に備えるもので、お客様の誤操作によるデータの復旧には提供しておりません。', 'partial');
const offering = passage('3', 'バックアップを取得すること。', 'バックアップは障害に備えるもので、お客様の誤操作によるデータの復旧には提供しておりません。なお、有償で復旧作業を承る場合があります。', 'partial');

function judged(rows: Passage[]): Judgement {
  const q: QuestionView = { concepts: compile(ideas), asks: [], absent: [], unmentioned: 0, idf: [1, 1, 1], lang: 'ja', bm25: rows.map(() => 0), bm25Ceiling: 0, cautions: questionCautions(QUESTION, 'ja') };
  return judge(q, rowFeatures(q, rows.map(candidate)), JUDGE);
}
const first = (j: Judgement): { id?: string; status?: Status } => ({ id: j.hits[0]?.passage.id, status: j.hits[0]?.status ?? j.hits[0]?.passage.status });

describe('a row refusing exactly the case a qualifier asks, below a row about the topic', () => {
  it('leads, with its own reading', () => {
    const j = judged([deletion, refusing]);
    expect(j.ranked[0]?.candidate.passage.id).toBe('1');
    expect(first(j)).toEqual({ id: '2', status: 'no' });
    expect(first(judged([deletion, offering]))).toEqual({ id: '3', status: 'partial' });
  });

  it('leaves the best row alone when no row refuses the case', () => {
    expect(first(judged([deletion, passage('4', 'アクセスログを取得すること。', 'アクセスログを1年間保管しております。', 'yes')])).id).toBe('1');
  });
});
