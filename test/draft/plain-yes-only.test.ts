/**
 * Only a plain yes goes out without a reviewer, however sure the judgement is: a draft saying
 * no or partial is flagged, with a reason saying why, from the offline drafter and from a
 * model's draft alike. A sure yes is not flagged; an approved answer reused keeps its status
 * unflagged, since a named person already stands behind it.
 */
import { describe, expect, it } from 'vitest';
import type { Draft, Hit, Passage, Retrieval } from '../../src/domain.js';
import { extractiveDraft } from '../../src/draft/extractive.js';
import { agreeWithJudgement } from '../../src/draft/openai.js';

const passage = (answer: string, extra: Partial<Passage> = {}): Passage => ({
  id: `acme/acme.txt#L${answer.length}`,
  product: 'acme',
  kind: 'control',
  source: 'acme.txt',
  title: 'Acme checksheet',
  locator: `L${answer.length}`,
  line: answer.length,
  page: null,
  sectionPath: [],
  ref: '6-1',
  requirement: '通信を暗号化すること。',
  answer,
  status: 'yes',
  ...extra,
});

const sure = (question: string, hits: Hit[], lang: 'ja' | 'en' = 'en'): Retrieval => ({ question, product: 'acme', lang, hits, confidence: 0.99, abstained: false, needsReview: false, reason: '', corpusVersion: 1 });

describe('what may go out without a reviewer', () => {
  it('lets a sure yes go unflagged, and flags a sure no or partial with the reason', () => {
    const yes = extractiveDraft(sure('Is traffic encrypted?', [{ score: 0.9, passage: passage('通信はTLS1.2で暗号化しております。') }]));
    expect(yes).toMatchObject({ status: 'yes', needsHuman: false });
    const no = extractiveDraft(sure('Do you hold ISO 27017?', [{ score: 0.9, passage: passage('取得しておりません。', { status: 'no' }) }]));
    expect(no).toMatchObject({ status: 'no', needsHuman: true });
    expect(no.reason).toContain('“no” or “partial” answer is always checked by a person');
    const partial = extractiveDraft(sure('通信は暗号化していますか?', [{ score: 0.9, passage: passage('管理画面の通信のみ暗号化しております。', { status: 'partial' }) }], 'ja'));
    expect(partial).toMatchObject({ status: 'partial', needsHuman: true });
    expect(partial.draft.startsWith('【要確認】')).toBe(true);
    expect(partial.reason).toContain('必ず担当者が確認します');
  });

  it('keeps an approved answer reused unflagged, whatever its status', () => {
    const approved = extractiveDraft(sure('Do you hold ISO 27017?', [{ score: 1, passage: passage('We do not hold ISO 27017.', { kind: 'approved', status: 'no' }) }]));
    expect(approved).toMatchObject({ status: 'no', needsHuman: false });
  });

  it('flags a model’s sure no as the offline drafter does', () => {
    const retrieval = sure('Do you hold ISO 27017?', [{ score: 0.9, passage: passage('取得しておりません。', { status: 'no' }) }]);
    const model: Draft = { ...extractiveDraft({ ...retrieval, hits: [{ score: 0.9, passage: passage('取得しておりません。') }] }), status: 'no', needsHuman: false, drafter: 'openai' };
    const checked = agreeWithJudgement(retrieval, model);
    expect(checked.needsHuman).toBe(true);
    expect(checked.reason).toContain('always checked by a person');
  });
});
