import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadConfig } from '../../src/config.js';
import { runReview, type ReviewCliDeps } from '../../src/cli/review.js';
import { decide, enqueueDraft, getAuditTrail, getReview } from '../../src/review/queue.js';
import type { AnswerLibrary, ApprovedAnswer } from '../../src/review/types.js';
import { openWorkflowDb, type WorkflowDb } from '../../src/store/workflow.js';
import { abstainedDraft, makeDraft } from './fixtures/drafts.js';

function setup(env: Record<string, string> = { KOTAE_APPROVERS: 'U_ALICE,U_BOB' }, library?: AnswerLibrary) {
  const db: WorkflowDb = openWorkflowDb(':memory:');
  const stdout: string[] = [];
  const stderr: string[] = [];
  const deps: ReviewCliDeps = {
    db,
    config: loadConfig(env),
    library,
    out: (s) => stdout.push(s),
    err: (s) => stderr.push(s),
  };
  const run = async (...argv: string[]) => {
    stdout.length = 0;
    stderr.length = 0;
    const code = await runReview(argv, deps);
    return { code, out: stdout.join(''), err: stderr.join('') };
  };
  return { db, run };
}

describe('kotae review list', () => {
  it('--json prints an array of {id, product, question, draft, status, state, citations, updatedAt}', async () => {
    const { db, run } = setup();
    const a = enqueueDraft(db, makeDraft(), { askedBy: 'U_CAROL' });
    enqueueDraft(db, makeDraft({ product: 'cybozu' }), { askedBy: null });
    decide(db, a.id, { action: 'edit', actor: 'U_ALICE', text: 'Edited answer.' }, { policy: { approvers: ['U_ALICE'], approverGroup: undefined, fourEyes: false } });

    const res = await run('list', '--json');
    expect(res.code).toBe(0);
    const items = z.array(z.unknown()).parse(JSON.parse(res.out));
    expect(items).toHaveLength(2);
    const first = getReview(db, a.id);
    expect(items[0]).toEqual({
      id: a.id,
      product: 'krew',
      question: a.question,
      draft: 'Edited answer.',
      status: 'yes',
      state: 'edited',
      citations: a.citations,
      updatedAt: first.updatedAt,
    });

    const filtered = await run('list', '--json', '--product', 'cybozu', '--state', 'drafted');
    expect(JSON.parse(filtered.out)).toEqual([expect.objectContaining({ product: 'cybozu', state: 'drafted' })]);
    expect(JSON.parse((await run('list', '--json', '--state', 'approved')).out)).toEqual([]);
  });

  it('without --limit lists the whole queue, beyond one page', async () => {
    const { db, run } = setup();
    for (let i = 0; i < 520; i++) enqueueDraft(db, makeDraft(), { askedBy: null });
    expect(JSON.parse((await run('list', '--json')).out)).toHaveLength(520);
    expect(JSON.parse((await run('list', '--json', '--limit', '7')).out)).toHaveLength(7);
  });

  it('rejects an unknown state with a usage error', async () => {
    const { run } = setup();
    const res = await run('list', '--state', 'done');
    expect(res.code).toBe(2);
    expect(res.err).toMatch(/^error: --state must be one of drafted, needs_human/);
  });
});

describe('kotae review show', () => {
  it('prints the review with its audit trail (text and --json)', async () => {
    const { db, run } = setup();
    const r = enqueueDraft(db, makeDraft(), { askedBy: 'U_CAROL', channel: 'C1' });
    expect((await run('approve', r.id, '--as', 'U_BOB')).code).toBe(0);
    const text = await run('show', `#${r.id}`);
    expect(text.code).toBe(0);
    expect(text.out).toContain(`#${r.id} [approved] krew`);
    expect(text.out).toMatch(/enqueue {2}→ drafted {2}by kotae:extractive/);
    expect(text.out).toMatch(/approve {2}drafted → approved {2}by U_BOB/);
    const json: unknown = JSON.parse((await run('show', r.id, '--json')).out);
    expect(json).toMatchObject({ id: r.id, state: 'approved', approvedBy: 'U_BOB', audit: getAuditTrail(db, r.id) });
  });

  it('an unknown id exits 3 with one line', async () => {
    const { run } = setup();
    const res = await run('show', '42');
    expect(res).toEqual({ code: 3, out: '', err: 'error: review #42 does not exist\n' });
  });
});

describe('kotae review approve|edit|reject', () => {
  it('approve --as an approver approves; --text makes it an edit', async () => {
    const { db, run } = setup();
    const a = enqueueDraft(db, makeDraft(), { askedBy: null });
    const b = enqueueDraft(db, makeDraft(), { askedBy: null });
    const res = await run('approve', a.id, '--as', 'U_ALICE');
    expect(res.code).toBe(0);
    expect(res.out).toMatch(new RegExp(`^#${a.id} drafted → approved by U_ALICE at \\S+\\n$`));
    expect((await run('approve', b.id, '--as', 'U_ALICE', '--text', 'No, not yet.', '--status', 'no')).code).toBe(0);
    expect(getReview(db, b.id)).toMatchObject({ state: 'edited', answer: 'No, not yet.', status: 'no', approvedBy: 'U_ALICE' });
  });

  it('edit and reject change the state; reject records the reason', async () => {
    const { db, run } = setup();
    const a = enqueueDraft(db, abstainedDraft(), { askedBy: null });
    const b = enqueueDraft(db, makeDraft(), { askedBy: null });
    expect((await run('edit', a.id, '--as', 'U_BOB', '--text', 'Yes, annually.')).code).toBe(0);
    expect(getReview(db, a.id)).toMatchObject({ state: 'edited', answer: 'Yes, annually.' });
    expect((await run('reject', b.id, '--as', 'U_BOB', '--reason', 'not our product')).code).toBe(0);
    expect(getReview(db, b.id)).toMatchObject({ state: 'rejected', note: 'not our product' });
  });

  it('a refused action exits non-zero with a one-line reason and changes nothing', async () => {
    const { db, run } = setup({ KOTAE_APPROVERS: 'U_ALICE,U_BOB', KOTAE_FOUR_EYES: 'true' });
    const r = enqueueDraft(db, makeDraft(), { askedBy: 'U_ALICE' });

    const stranger = await run('approve', r.id, '--as', 'U_MALLORY');
    expect(stranger).toEqual({ code: 4, out: '', err: 'error: U_MALLORY is not an approver (not in KOTAE_APPROVERS)\n' });
    const own = await run('approve', r.id, '--as', 'U_ALICE');
    expect(own).toEqual({ code: 4, out: '', err: 'error: four-eyes: U_ALICE asked this question and cannot approve their own draft\n' });
    const abstained = enqueueDraft(db, abstainedDraft(), { askedBy: null });
    expect((await run('approve', abstained.id, '--as', 'U_BOB')).code).toBe(4);
    expect(getReview(db, r.id)).toMatchObject({ state: 'drafted', version: 1 });

    expect((await run('approve', r.id, '--as', 'U_BOB')).code).toBe(0);
    const late = await run('reject', r.id, '--as', 'U_ALICE', '--reason', 'too late');
    expect(late.code).toBe(5);
    expect(late.err).toMatch(new RegExp(`^error: review #${r.id} already approved by U_BOB at \\S+\\n$`));
  });

  it('usage mistakes exit 2 with one line', async () => {
    const { db, run } = setup();
    const r = enqueueDraft(db, makeDraft(), { askedBy: null });
    for (const argv of [
      ['approve', r.id],
      ['reject', r.id, '--as', 'U_ALICE'],
      ['edit', r.id, '--as', 'U_ALICE'],
      ['approve', r.id, '--as', 'U_ALICE', '--reason', 'x'],
      ['approve', r.id, 'extra', '--as', 'U_ALICE'],
      ['frobnicate'],
      ['list', '--bogus'],
      ['approve', 'abc', '--as', 'U_ALICE'],
    ]) {
      const res = await run(...argv);
      expect(res.code, argv.join(' ')).toBe(2);
      expect(res.err.split('\n').filter(Boolean), argv.join(' ')).toHaveLength(1);
    }
    expect(getReview(db, r.id).state).toBe('drafted');
  });

  it('warns, but succeeds, when the answer library could not be updated', async () => {
    const upserts: ApprovedAnswer[] = [];
    const flaky: AnswerLibrary = {
      upsert: async (e) => {
        upserts.push(e);
        throw new Error('index locked');
      },
      remove: async () => {},
    };
    const { db, run } = setup({ KOTAE_APPROVERS: 'U_ALICE', KOTAE_LOG_LEVEL: 'silent' }, flaky);
    const r = enqueueDraft(db, makeDraft(), { askedBy: null });
    const res = await run('approve', r.id, '--as', 'U_ALICE');
    expect(res.code).toBe(0);
    expect(res.err).toContain('run kotae ingest --rebuild');
    expect(upserts.map((e) => e.reviewId)).toEqual([r.id]);
    expect(getReview(db, r.id).state).toBe('approved');
  });
});
