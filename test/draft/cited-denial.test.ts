/**
 * A yes/no question whose best row states a control in general while another cited row says no
 * to exactly what is asked (the judgement read that row as a no for this question): the draft
 * does not answer yes over it. The denying row is quoted beside the best one and the answer is
 * partial, for a person to settle. A figure question is left to its figure rules.
 */
import { describe, expect, it } from 'vitest';
import type { Hit, Retrieval, Status } from '../../src/domain.js';
import { extractiveDraft } from '../../src/draft/extractive.js';

function row(line: number, answer: string, score: number, judged?: Status): Hit {
  return {
    score,
    ...(judged ? { status: judged } : {}),
    passage: {
      id: `hoshi/hoshi.txt#L${line}`,
      product: 'hoshi',
      kind: 'control',
      source: 'hoshi.txt',
      title: 'hoshiセキュリティチェックシート',
      locator: `L${line}`,
      line,
      page: null,
      sectionPath: [],
      ref: `7-${line}`,
      requirement: '',
      answer,
      status: 'yes',
    },
  };
}

const GENERAL = row(1, '監査ログは社内規程に従って管理しております。', 0.7);
const DENIES = row(2, '監査ログは1年間保管しております。利用者への監査ログの提供は行っておりません。', 0.2, 'no');

const retrieval = (question: string, hits: Hit[]): Retrieval => ({ question, product: 'hoshi', lang: 'en', hits, confidence: 0.8, abstained: false, needsReview: true, reason: 'best passage covers 80%', corpusVersion: 1 });

describe('a cited row saying no to what is asked, below a general yes', () => {
  it('is quoted and makes the answer partial, not yes', () => {
    const d = extractiveDraft(retrieval('Can we obtain a copy of the audit logs for our tenant?', [GENERAL, DENIES]));
    expect(d.status).toBe('partial');
    expect(d.draft).toContain('利用者への監査ログの提供は行っておりません');
  });

  it('leaves the best row’s yes alone when no cited row denies the question', () => {
    const d = extractiveDraft(retrieval('Are audit logs managed under a written rule?', [GENERAL, row(2, '監査ログは1年間保管しております。', 0.2)]));
    expect(d.status).toBe('yes');
  });
});
