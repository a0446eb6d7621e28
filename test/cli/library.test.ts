import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createReviewQueue } from '../../src/workflow.js';
import { runLibrary } from '../../src/cli/library.js';
import { decide, enqueueDraft, getAuditTrail, getReview } from '../../src/review/queue.js';
import type { AnswerLibrary, ApprovedAnswer } from '../../src/review/types.js';
import { openTestDatabase } from '../support/db.js';
import { citation, makeDraft } from '../review/fixtures/drafts.js';

/** A call-recording answer library: what the index would be told. */
function recordingLibrary(): AnswerLibrary & { upserts: ApprovedAnswer[]; removes: string[] } {
  const upserts: ApprovedAnswer[] = [];
  const removes: string[] = [];
  return { upserts, removes, upsert: async (e) => void upserts.push(e), remove: async (id) => void removes.push(id) };
}

async function setup() {
  const db = await openTestDatabase();
  const library = recordingLibrary();
  const config = loadConfig({ KOTAE_APPROVERS: 'U_SEC' });
  const policy = { policy: config.review };
  const out: string[] = [];
  const err: string[] = [];
  const run = async (...argv: string[]) => {
    out.length = 0;
    err.length = 0;
    const reviews = createReviewQueue(db, config, { library });
    const code = await runLibrary(argv, { reviews: async () => reviews, out: (s) => out.push(s), err: (s) => err.push(s) });
    return { code, out: out.join(''), err: err.join('') };
  };
  const approved = async (question: string, product = 'krew') => {
    const r = await enqueueDraft(db, makeDraft({ question, product }), { askedBy: 'U_SALES' });
    await decide(db, r.id, { action: 'approve', actor: 'U_SEC' }, policy);
    return r.id;
  };
  return { db, library, run, approved };
}

describe('kotae library', () => {
  it('lists what the library serves, per product, with who approved it', async () => {
    const { run, approved } = await setup();
    const a = await approved('Do you hold ISO 27001 certification?');
    await approved('バックアップは何世代保管していますか?', 'cybozu');
    const krew = await run('list', '--product', 'krew');
    expect(krew.code).toBe(0);
    expect(krew.out).toContain(`#${a}`);
    expect(krew.out).toContain('ISO 27001');
    expect(krew.out).toContain('U_SEC');
    expect(krew.out).not.toContain('バックアップ');
    const json = JSON.parse((await run('list', '--json')).out) as { items: ApprovedAnswer[] };
    expect(json.items.map((i) => i.product).sort()).toEqual(['cybozu', 'krew']);
  });

  it('lists an approval once, with how often it was served as a copy, not one entry per copy', async () => {
    const { db, run, approved } = await setup();
    const question = 'Is customer data encrypted at rest?';
    const a = await approved(question);
    // The same question asked three times: each draft repeats approval #a word for word and is served as approved.
    const reuse = (): ReturnType<typeof makeDraft> =>
      makeDraft({ question, citations: [citation(`review#${a}`, { kind: 'approved', source: 'review', locator: `review #${a}`, ref: a })] });
    const served = [];
    for (let i = 0; i < 3; i++) served.push(await enqueueDraft(db, reuse(), { askedBy: 'U_SALES' }));
    expect(served.map((r) => r.state)).toEqual(['approved', 'approved', 'approved']);
    const ids = served.map((r) => r.id);

    const listed = await run('list');
    expect(listed.out.match(/^#\d+/gm)).toEqual([`#${a}`]);
    expect(listed.out).toContain(`reused 3× (${ids.map((id) => `#${id}`).join(', ')})`);
    const json = JSON.parse((await run('list', '--json')).out) as { items: Array<{ reviewId: string; reuses: string[] }> };
    expect(json.items.map((i) => [i.reviewId, i.reuses])).toEqual([[a, ids]]);
    // Every copy is still its own audited review: --copies lists them too.
    expect((await run('list', '--copies')).out.match(/^#\d+/gm)?.sort()).toEqual([a, ...ids].map((id) => `#${id}`).sort());
  });

  it('shows one approved answer, and says plainly when an id is not in the library', async () => {
    const { run, approved } = await setup();
    const a = await approved('Do you hold ISO 27001 certification?');
    const shown = await run('show', a);
    expect(shown.out).toMatch(/question: Do you hold ISO 27001 certification\?/);
    const missing = await run('show', '999');
    expect(missing.code).toBe(3);
    expect(missing.err).toMatch(/not in the library/);
  });

  it('retires an answer: audited with who and why, out of the index, no longer listed', async () => {
    const { db, library, run, approved } = await setup();
    const a = await approved('Do you hold ISO 27001 certification?');
    const res = await run('retire', a, '--as', 'U_SEC', '--reason', 'certificate lapsed');
    expect(res.code).toBe(0);
    expect((await getReview(db, a)).state).toBe('withdrawn');
    expect(library.removes).toEqual([a]);
    const last = (await getAuditTrail(db, a)).at(-1);
    expect(last).toMatchObject({ action: 'retire', actor: 'U_SEC', note: 'certificate lapsed' });
    expect((await run('list')).out).toMatch(/no approved answers/);
  });

  it('lets only approvers retire, always with a reason, and only approved answers', async () => {
    const { db, run, approved } = await setup();
    const a = await approved('Do you hold ISO 27001 certification?');
    expect((await run('retire', a, '--as', 'U_SALES', '--reason', 'x')).code).toBe(4);
    expect((await run('retire', a, '--as', 'U_SEC')).code).toBe(2);
    const waiting = await enqueueDraft(db, makeDraft({ question: 'Is data encrypted?' }), { askedBy: 'U_SALES' });
    const refused = await run('retire', waiting.id, '--as', 'U_SEC', '--reason', 'x');
    expect(refused.code).toBe(4);
    expect((await getReview(db, waiting.id)).state).toBe('drafted');
    expect((await getReview(db, a)).state).toBe('approved');
  });
});
