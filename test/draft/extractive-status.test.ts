/**
 * statusAssertedBy reads the status a text's lead states, in the words kotae's own drafter
 * writes (sure or hedged, English or Japanese): the review queue refuses an approval whose
 * text states one status beside another. Checked against the drafter's real output, so a
 * new lead wording the queue cannot read fails here.
 */
import { describe, expect, it } from 'vitest';
import type { Hit, Retrieval, Status } from '../../src/domain.js';
import { extractiveDraft } from '../../src/draft/extractive.js';
import { statusAssertedBy } from '../../src/draft/markers.js';

function hit(status: Status): Hit {
  return {
    score: 0.9,
    passage: {
      id: 'acme/acme.txt#L7',
      product: 'acme',
      kind: 'control',
      source: 'acme.txt',
      title: 'Acme checksheet',
      locator: 'L7',
      line: 7,
      page: null,
      sectionPath: [],
      ref: '1-2',
      requirement: '管理者の多要素認証を有効にすること。',
      answer: '管理者ログインには多要素認証を必須としております。',
      status,
    },
  };
}

function drafted(question: string, status: Status, lang: 'ja' | 'en', sure: boolean): string {
  const retrieval: Retrieval = {
    question,
    product: 'acme',
    lang,
    hits: [hit(status)],
    confidence: sure ? 0.9 : 0.4,
    abstained: false,
    needsReview: !sure,
    reason: 'best passage covers 90%',
    corpusVersion: 3,
  };
  return extractiveDraft(retrieval).draft;
}

const STATED: Status[] = ['yes', 'no', 'partial', 'not_applicable'];

describe('statusAssertedBy', () => {
  it("reads the status of every yes/no lead kotae drafts, sure or hedged, behind its review marker, in English and Japanese", () => {
    for (const status of STATED) {
      for (const sure of [true, false]) {
        const en = drafted('Is MFA required for administrators?', status, 'en', sure);
        expect(statusAssertedBy(en), en).toBe(status);
        const ja = drafted('管理者に多要素認証を必須としていますか。', status, 'ja', sure);
        expect(statusAssertedBy(ja), ja).toBe(status);
      }
    }
  });

  it('reads the same leads when a person types them, in either case and with a comma', () => {
    expect(statusAssertedBy('No, we do not store card data.')).toBe('no');
    expect(statusAssertedBy('yes: every administrator uses a hardware key.')).toBe('yes');
    expect(statusAssertedBy('Partially: only backups are encrypted.')).toBe('partial');
    expect(statusAssertedBy('Not applicable. We run no on-premise servers.')).toBe('not_applicable');
    expect(statusAssertedBy('いいえ、保存しておりません。')).toBe('no');
    expect(statusAssertedBy('【要確認】はい。管理者は多要素認証を使います。')).toBe('yes');
  });

  it('finds no status where the text leads with none: substance first, the closest evidence, a sentence that only starts with a status word', () => {
    for (const text of [
      drafted('How is MFA enforced for administrators?', 'no', 'en', true),
      drafted('Is MFA required for administrators?', 'unknown', 'en', false),
      '[Needs review] The closest evidence is item 1-2 of our published Acme checksheet, which may not fully answer the question.',
      'No customer data leaves the Tokyo region.',
      'Yesterday we rotated every key.',
      'Notably, MFA is required.',
      '管理者ログインには多要素認証を必須としております。',
      '=1+1 MFA is available for admins',
    ]) {
      expect(statusAssertedBy(text), text).toBeNull();
    }
  });
});
