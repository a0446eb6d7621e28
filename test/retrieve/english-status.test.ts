/**
 * The status a customer gets from English policies, end to end: the test's own made-up SaaS
 * policies (test/fixtures/status-policies/, none of it from an evaluation set) ingested offline
 * and asked as a questionnaire asks. A new-user trial found statuses contradicting the passage
 * they cite: a yes to "Is TLS 1.1 supported?" beside "TLS 1.0 and 1.1 are disabled", the
 * triage deadline compared with a notification deadline, and the NDA section cited for single
 * sign-on because both contain "sign". A confident wrong yes or no is the worst answer kotae
 * can give; these read the status and the first citation as the customer sees them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { appOver, policyCorpus, type PolicyFixture } from '../support/corpus.js';

/** The made-up SaaS "Quillbyte": security, personnel, incidents and continuity. */
const QUILLBYTE: PolicyFixture = {
  folder: 'status-policies',
  product: 'quillbyte',
  vendor: 'Quillbyte',
  policies: [
    { file: 'security.md', title: 'Quillbyte Security Policy' },
    { file: 'people.md', title: 'Quillbyte Personnel Policy' },
    { file: 'incidents.md', title: 'Quillbyte Incident and Continuity Policy' },
  ],
};

let app: App;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ app, close } = await appOver(policyCorpus('kotae-en-status-', QUILLBYTE), { env: { KOTAE_DRAFTER: 'extractive' } }));
}, 60_000);

afterAll(() => close());

const ask = async (question: string) => (await app.ask(question, 'quillbyte')).draft;

describe('a status that agrees with the passage it cites', () => {
  it('answers no for a protocol version the policy disables, including one later in a list ("TLS 1.0 and 1.1")', async () => {
    for (const q of ['Is TLS 1.0 supported?', 'Is TLS 1.1 enabled?', 'TLS 1.0は利用できますか？']) {
      const d = await ask(q);
      expect(d.status, q).toBe('no');
      expect(d.citations[0]?.source).toBe('security.md');
    }
    expect((await ask('Is TLS 1.3 supported?')).status).toBe('yes');
    expect((await ask('Is TLS 1.2 disabled?')).status).not.toBe('yes');
  });

  it('answers no to "can X do Y?" when the policy says Y cannot be done by X, and yes about what the same sentence keeps', async () => {
    expect((await ask('Can developers edit change records?')).status).toBe('no');
    expect((await ask('Are change records retained for at least one year?')).status).toBe('yes');
  });

  it("compares a deadline with the figure of the clause about the same thing, not another sentence's", async () => {
    const d = await ask('Are affected customers notified of a data breach within 24 hours?');
    expect(d.status).toBe('no');
    expect(d.reason).toContain('48 hours');
    expect((await ask('Are affected customers notified of a data breach within 72 hours?')).status).toBe('yes');
  });

  it('reads a stricter stated figure as meeting a looser asked one, and a looser one as failing a stricter one', async () => {
    expect((await ask('Are passwords required to be at least 8 characters?')).status).toBe('yes');
    expect((await ask('Are passwords required to be at least 20 characters?')).status).toBe('no');
    expect((await ask('Is the RTO under 12 hours?')).status).toBe('yes');
    expect((await ask('Is the RTO under 2 hours?')).status).toBe('no');
    expect((await ask('Are backups kept for 90 days?')).status).toBe('no');
    expect((await ask('Are backups kept for at least 30 days?')).status).toBe('yes');
  });

  it('cites the single sign-on section for single sign-on, not the one where contractors "sign" an agreement', async () => {
    const d = await ask('Is single sign-on supported?');
    expect(d.citations[0]?.source).toBe('security.md');
    expect(d.draft).not.toContain('confidentiality agreement');
  });
});
