/**
 * What a review decision does to the next draft of the same or a similar question (new-user
 * trial s12 #9):
 * - after a reviewer rejected a draft with a reason, the same question got the same draft at
 *   the same confidence (0.951, "likely"), only its reason mentioning the rejection;
 * - "Are customer backups performed every day?", beside the approved "Do you take daily backups
 *   of customer data?", got a fresh draft that never mentioned the approval, while a Japanese
 *   wording of it was served the approval: "every day" read as "all" (a scope qualifier).
 * - a rejection in Japanese did not reach the same question asked in English or reworded, which
 *   came back at full confidence; a related question must keep its draft.
 * The test's own made-up English policies (test/fixtures/policies/), ingested offline, with the
 * real workflow store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { REJECTED_CONFIDENCE } from '../../src/review/rejected.js';
import { appOver, ORBITLINE, policyCorpus } from '../support/corpus.js';

const PRODUCT = ORBITLINE.product;

let app: App;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ app, close } = await appOver(policyCorpus('kotae-rejection-similar-', ORBITLINE), { env: { KOTAE_DRAFTER: 'extractive', KOTAE_APPROVERS: 'U_SEC' }, suiteDatabase: true }));
}, 60_000);

afterAll(() => close());

describe('the next draft of a question whose draft a reviewer rejected', () => {
  const question = 'Are backups encrypted?';
  const reason = 'Wrong row: this is about the schedule';

  it('no longer reads as likely, and says plainly that the row it rests on was rejected, naming the next candidate', async () => {
    const first = await app.ask(question, PRODUCT, { enqueue: { askedBy: 'U_SALES' } });
    const led = first.draft.citations[0];
    expect(first.draft.confidence).toBeGreaterThan(REJECTED_CONFIDENCE);
    await app.reviews.reject(first.review?.id ?? '', { as: 'U_SEC', reason });

    const again = await app.ask(question, PRODUCT, { enqueue: { askedBy: 'U_SALES' } });
    expect(again.draft.confidence).toBeLessThan(0.5);
    expect(again.draft.needsHuman).toBe(true);
    expect(again.review?.state).toBe('needs_human');
    expect(again.draft.reason).toContain(`a previous draft of this question was rejected in review #${first.review?.id}: ${reason}`);
    // The rejected row is still shown (the reviewer weighs both), with the row after it named.
    expect(again.draft.citations[0]?.id).toBe(led?.id);
    const next = again.ranked.find((h) => h.passage.id !== led?.id);
    expect(again.draft.reason).toContain(`the row this rests on (item ${led?.ref}) was rejected in review #${first.review?.id}; the next candidate is item ${next?.passage.ref}`);
  });

  it('keeps its confidence when the question was not rejected', async () => {
    const other = await app.ask('Are backup copies retained for 30 days?', PRODUCT);
    expect(other.draft.reason).not.toContain('rejected');
    expect(other.draft.confidence).toBeGreaterThan(REJECTED_CONFIDENCE);
  });
});

describe('a rejection of a question asked in Japanese', () => {
  const rejected = '本番環境へのログインに多要素認証を必須としていますか';
  const reason = 'Staff only: say which accounts it covers';
  const sameInSubstance = [
    'Is multi-factor authentication required to sign in to the production environment?',
    'For production logins, is multi-factor authentication mandatory?',
    'Could you please confirm that multi-factor authentication is required for production sign-in?',
  ];
  const related = ['Is multi-factor authentication required for customer accounts?', 'Is multi-factor authentication required?'];
  const before = new Map<string, Awaited<ReturnType<App['ask']>>['draft']>();
  let reviewId = '';
  let led: { id: string; ref: string } | undefined;

  beforeAll(async () => {
    for (const question of related) before.set(question, (await app.ask(question, PRODUCT)).draft);
    const first = await app.ask(rejected, PRODUCT, { enqueue: { askedBy: 'U_SALES' } });
    reviewId = first.review?.id ?? '';
    led = first.draft.citations[0];
    await app.reviews.reject(reviewId, { as: 'U_SEC', reason });
  });

  it('holds back the same question asked in English, reworded or politely: capped, waiting for a person, quoting the rejected question and naming its row', async () => {
    for (const question of sameInSubstance) {
      const again = await app.ask(question, PRODUCT, { enqueue: { askedBy: 'U_SALES' } });
      expect(again.draft.confidence, question).toBeLessThanOrEqual(REJECTED_CONFIDENCE);
      expect(again.review?.state, question).toBe('needs_human');
      expect(again.draft.draft.startsWith('[Needs review]'), question).toBe(true);
      expect(again.draft.reason, question).toContain(`a previous draft of the same question («${rejected}») was rejected in review #${reviewId}: ${reason}`);
      expect(again.draft.citations[0]?.id, question).toBe(led?.id);
      expect(again.draft.reason, question).toContain(`the row this rests on (item ${led?.ref}) was rejected in review #${reviewId}`);
    }
  });

  it('leaves a related but different question as it was drafted before the rejection', async () => {
    for (const question of related) {
      const { draft } = await app.ask(question, PRODUCT);
      expect(draft.reason, question).not.toContain('rejected');
      // The same answer (the corpus version moves with every decision: the library is re-indexed).
      const was = before.get(question);
      expect({ text: draft.draft, status: draft.status, confidence: draft.confidence, reason: draft.reason }, question).toEqual({ text: was?.draft, status: was?.status, confidence: was?.confidence, reason: was?.reason });
    }
  });

  it('no longer holds back the Japanese question once a reworded English draft of it was approved', async () => {
    const [english = ''] = sameInSubstance;
    const later = await app.ask(english, PRODUCT, { enqueue: { askedBy: 'U_SALES' } });
    await app.reviews.approve(later.review?.id ?? '', { as: 'U_SEC', text: 'Yes, for all staff signing in to production or the administration console.', status: 'yes' });
    const { draft } = await app.ask(rejected, PRODUCT);
    expect(draft.reason).not.toContain('却下');
  });
});

describe('a question worded like an approved one', () => {
  const approvedQuestion = 'Do you take daily backups of customer data?';
  let approvalId = '';

  beforeAll(async () => {
    const first = await app.ask(approvedQuestion, PRODUCT, { enqueue: { askedBy: 'U_SALES' } });
    approvalId = first.review?.id ?? '';
    await app.reviews.approve(approvalId, { as: 'U_SEC', text: 'Yes. Customer databases are backed up every 6 hours.', status: 'yes' });
  });

  it('asked with "every day" for "daily", in English as in Japanese, is served the approval', async () => {
    for (const wording of ['Do you back up customer data every day?', '顧客データは毎日バックアップしていますか']) {
      const { draft } = await app.ask(wording, PRODUCT);
      // In the other language the approval is cited after the rows it rested on (drafted in that language).
      expect(draft.citations.find((c) => c.kind === 'approved')?.ref, wording).toBe(approvalId);
      expect(draft.reason, wording).not.toContain('similar question');
      expect(draft.reason, wording).not.toContain('似た質問');
    }
  });

  it('asked about something close but not the same, names the approval without serving it', async () => {
    const { draft } = await app.ask('Are customer backups performed every day?', PRODUCT);
    expect(draft.citations.every((c) => c.kind !== 'approved')).toBe(true);
    expect(draft.reason).toContain(`a similar question was approved in review #${approvalId} («${approvedQuestion}»)`);
  });

  it('asked about another frequency or another topic, does not mention it', async () => {
    for (const wording of ['Do you take weekly backups of customer data?', 'Is customer data encrypted at rest?']) {
      const { draft } = await app.ask(wording, PRODUCT);
      expect(draft.reason, wording).not.toContain('approved in review');
      expect(draft.citations.every((c) => c.kind !== 'approved'), wording).toBe(true);
    }
  });
});
