/**
 * English policy documents, end to end: the test's own made-up SaaS policies (markdown under
 * test/fixtures/policies/, none of it from an evaluation set) ingested offline into a temp
 * LanceDB store, and asked as a customer would ask. Before word-level English matching, an
 * English section that plainly answered was declined as "no passage mentions the question's
 * topic", and drafts quoting "RPO is 6 hours" said the evidence states no RPO.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { retrieve } from '../../src/judge/retrieval.js';
import { loadLexicon } from '../../src/retrieve/lexicon.js';
import { appOver, ORBITLINE, policyCorpus } from '../support/corpus.js';

let app: App;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ app, close } = await appOver(policyCorpus('kotae-en-policies-', ORBITLINE), { env: { KOTAE_DRAFTER: 'extractive' } }));
}, 60_000);

afterAll(() => close());

const ask = async (question: string) => (await app.ask(question, 'orbitline')).draft;

describe('English questions over English policies', () => {
  it('answers the minimum password length from the password section, with the figure it states', async () => {
    const draft = await ask('What is the minimum password length?');
    expect(draft.abstained).toBe(false);
    expect(draft.citations[0]).toMatchObject({ title: 'Orbitline Access Control Policy', ref: '2' });
    expect(draft.draft).toContain('at least 12 characters');
    expect(draft.draft).toContain('section 2 of our published Orbitline Access Control Policy');
  });

  it('finds the MFA section although it spells out multi-factor authentication', async () => {
    const draft = await ask('Do you require MFA for staff accessing production?');
    expect(draft.abstained).toBe(false);
    expect(draft.citations[0]).toMatchObject({ title: 'Orbitline Access Control Policy', ref: '3' });
    expect(draft.reason).not.toMatch(/no passage mentions/);
  });

  it('drafts RPO and RTO from the figures the quoted section states, never "states no RPO"', async () => {
    const draft = await ask('What are your RPO and RTO?');
    expect(draft.citations[0]).toMatchObject({ title: 'Orbitline Backup Policy', ref: '4' });
    expect(draft.draft).toMatch(/RPO: 6 hours; RTO: 12 hours/);
    expect(draft.draft).not.toMatch(/states no/);
  });

  it('gives the frequency a section writes in words ("every month")', async () => {
    const draft = await ask('How often do you test restores from backup?');
    expect(draft.citations[0]).toMatchObject({ title: 'Orbitline Backup Policy', ref: '5' });
    expect(draft.draft).toContain('every month');
    expect(draft.draft).not.toMatch(/states no/);
  });

  it('finds the retention section for a question in other words ("retained" and "backups")', async () => {
    const draft = await ask('How long are backups retained?');
    expect(draft.citations[0]).toMatchObject({ title: 'Orbitline Backup Policy', ref: '2' });
    expect(draft.draft).toContain('30 days');
  });

  it('reads a policy sentence as the status: a stated control is yes, a feature "not yet supported" is no', async () => {
    const mfa = await ask('Do you require MFA for staff accessing production?');
    expect(mfa.status).toBe('yes');
    const encrypted = await ask('Are backups encrypted?');
    expect(encrypted.citations[0]).toMatchObject({ title: 'Orbitline Backup Policy', ref: '1' });
    expect(encrypted.status).toBe('yes');
    const sso = await ask('Do you support SAML single sign-on for customer accounts?');
    expect(sso.citations[0]).toMatchObject({ title: 'Orbitline Access Control Policy', ref: '6' });
    expect(sso.status).toBe('no');
    // Whatever the verb: "is not FedRAMP authorized" is never read as done.
    const fedramp = await ask('Is Orbitline FedRAMP authorized?');
    expect(fedramp.citations[0]).toMatchObject({ title: 'Orbitline Access Control Policy', ref: '7' });
    expect(fedramp.status).toBe('no');
  });

  it('answers a deadline asked as "within how many hours" from the section stating it, not as a question about past breaches', async () => {
    const draft = await ask('Within how many hours are customers notified of a data breach?');
    expect(draft.abstained).toBe(false);
    expect(draft.citations[0]).toMatchObject({ title: 'Orbitline Incident Response Policy', ref: '2' });
    expect(draft.draft).toContain('48 hours');
  });

  it('still declines what the policies never mention, and says so', async () => {
    const draft = await ask('Do you hold a SOC 2 Type II report?');
    expect(draft.abstained).toBe(true);
    expect(draft.citations).toEqual([]);
  });
});

describe('Japanese questions over English policies', () => {
  it('finds the English section through the glossary (多要素認証 → multi-factor authentication)', async () => {
    const draft = await ask('多要素認証を導入していますか?');
    expect(draft.abstained).toBe(false);
    expect(draft.citations[0]).toMatchObject({ title: 'Orbitline Access Control Policy', ref: '3' });
  });

  it('declines honestly: matching across languages is limited, not "the documents do not mention it", and policies are not called a checksheet', async () => {
    const draft = await ask('ペネトレーションテストを実施していますか?');
    expect(draft.abstained).toBe(true);
    expect(draft.draft).toContain('英語');
    expect(draft.reason).toContain('照合には限り');
    expect(`${draft.draft}${draft.reason}`).not.toMatch(/チェックシート|触れた記載がありません/);
  });
});

describe('English policies of a product too large to rank exhaustively', () => {
  it('finds the section through the concepts its English phrases were tagged with at ingest', async () => {
    const deps = { store: app.store, embedder: app.embedder, lexicon: loadLexicon(), scanLimit: 0 };
    const found = await retrieve(deps, 'Is MFA enforced for production access?', 'orbitline');
    expect(found.hits[0]?.passage.answer).toContain('multi-factor authentication');
  });
});
