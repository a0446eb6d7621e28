/**
 * A policy states its controls with the negative of what a questionnaire asks ("SSL 3.0 and
 * TLS 1.0 are turned off", "backup snapshots cannot be deleted by support staff"). The passage
 * is a control in place (status yes), but the answer to "Is TLS 1.0 supported?" is no: a yes
 * there is the worst answer kotae can give. And the negative is bound to what it is about:
 * "TLS 1.0 is turned off" says nothing against TLS 1.3, nor "snapshots cannot be deleted"
 * against keeping them for 35 days. The policy sentences and questions here are made up.
 */
import { describe, expect, it } from 'vitest';
import type { Draft, Hit, Retrieval } from '../../src/domain.js';
import { extractiveDraft } from '../../src/draft/extractive.js';

const TRANSPORT =
  'Web traffic to Orbit Desk is encrypted with TLS 1.3 and TLS 1.2. SSL 3.0, TLS 1.0 and TLS 1.1 are disabled on every load balancer. Data at rest is encrypted with AES-256.';
const SNAPSHOTS = 'Backup snapshots are kept for 35 days in a separate account and cannot be deleted by support staff.';
const JA_SHEET = 'TLS1.0およびTLS1.1は無効化しております。管理画面の設定は管理者のみが変更でき、一般利用者は変更できません。';

function policy(answer: string, lang: 'en' | 'ja' = 'en'): Hit {
  return {
    score: 0.95,
    passage: {
      id: 'orbit/orbit.md#L9',
      product: 'orbit',
      kind: lang === 'en' ? 'policy' : 'control',
      source: 'orbit.md',
      title: 'Orbit Desk Security Policy',
      locator: 'L9',
      line: 9,
      page: null,
      sectionPath: [],
      ref: '3',
      requirement: lang === 'en' ? '3. Transport and storage' : '通信の暗号化',
      answer,
      status: 'yes',
    },
  };
}

function ask(question: string, answer: string, lang: 'en' | 'ja' = 'en'): Draft {
  const retrieval: Retrieval = {
    question,
    product: 'orbit',
    lang,
    hits: [policy(answer, lang)],
    confidence: 0.98,
    abstained: false,
    needsReview: true,
    reason: 'the cited passages likely answer the question',
    corpusVersion: 1,
  };
  return extractiveDraft(retrieval);
}

describe('a passage stating the opposite predicate of what is asked', () => {
  it('answers no when the thing asked is stated as disabled, turned off or prohibited, and names the clause', () => {
    for (const q of ['Is TLS 1.0 supported?', 'Do you allow TLS 1.0 connections?', 'Is SSL 3.0 enabled?']) {
      const d = ask(q, TRANSPORT);
      expect(d.status, q).toBe('no');
      expect(d.needsHuman).toBe(true);
      expect(d.reason).toContain('SSL 3.0, TLS 1.0 and TLS 1.1 are disabled');
      expect(d.reason).not.toMatch(/were right about/);
    }
  });

  it('reads every version of a coordinated list ("TLS 1.0 and 1.1"), not only the first', () => {
    expect(ask('Is TLS 1.1 supported?', 'Only TLS 1.2 is accepted; TLS 1.0 and 1.1 are rejected.').status).toBe('no');
  });

  it('binds the negative to its subject: another version stays yes, and asking the negative of it is no yes', () => {
    expect(ask('Is TLS 1.3 supported?', TRANSPORT).status).toBe('yes');
    expect(ask('Is TLS 1.2 disabled?', TRANSPORT).status).not.toBe('yes');
    expect(ask('Is TLS 1.0 disabled?', TRANSPORT).status).toBe('yes');
  });

  it('is no yes to a version the passage does not name at all', () => {
    const d = ask('Is SSL 2.0 allowed?', TRANSPORT);
    expect(d.status).toBe('unknown');
    expect(d.reason).toContain('SSL 2.0');
    expect(ask('Is TLS 1.2 supported?', TRANSPORT).status).toBe('yes');
  });

  it('answers no to "can X do Y?" when the passage says Y cannot be done by X, and not to a question about something else the same sentence states', () => {
    expect(ask('Can support staff delete backup snapshots?', SNAPSHOTS).status).toBe('no');
    expect(ask('Are backup snapshots deletable by support staff?', SNAPSHOTS).status).toBe('no');
    expect(ask('Are backup snapshots kept in a separate account?', SNAPSHOTS).status).toBe('yes');
  });

  it('does the same for a Japanese question, over Japanese or English evidence', () => {
    const ja = ask('TLS1.0は利用できますか。', JA_SHEET, 'ja');
    expect(ja.status).toBe('no');
    expect(ja.reason).toContain('いいえ');
    expect(ask('一般利用者は管理画面の設定を変更できますか。', JA_SHEET, 'ja').status).toBe('no');
    expect(ask('TLS 1.0は利用できますか？', TRANSPORT, 'ja').status).toBe('no');
    expect(ask('サポート担当者はバックアップのスナップショットを削除できますか？', SNAPSHOTS, 'ja').status).toBe('no');
  });

  it('answers no to whether something is kept when the passage says it is deleted, and leaves a retention figure asked to the figure rules', () => {
    const offboarding = 'When an account is closed, its uploaded files are deleted within 14 days.';
    expect(ask('Are uploaded files kept after an account is closed?', offboarding).status).toBe('no');
    expect(ask('Are uploaded files deleted after an account is closed?', offboarding).status).toBe('yes');
    expect(ask('Are uploaded files kept for 7 days after an account is closed?', offboarding).status).toBe('yes');
  });

  it('leaves a double negative alone: prohibiting the disabling of a control states the control', () => {
    expect(ask('Do you use endpoint antivirus?', 'Endpoint antivirus is installed on all laptops, and disabling it is prohibited.').status).toBe('yes');
    expect(ask('ウイルス対策ソフトを利用していますか。', 'ウイルス対策ソフトを導入しており、無効化は禁止しております。', 'ja').status).toBe('yes');
  });

  it('leaves a negative limited to part of the service (one plan) to the passage’s own reading', () => {
    const d = ask('Is single sign-on supported?', 'Single sign-on is available on the Business plan. Single sign-on is not available on the Free plan.');
    expect(d.status).toBe('yes');
    expect(ask('Is single sign-on available on all plans?', 'Single sign-on is available on the Business plan. Single sign-on is not available on the Free plan.').status).toBe('no');
  });
});
