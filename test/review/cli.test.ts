import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadConfig } from '../../src/config.js';
import { createReviewQueue } from '../../src/workflow.js';
import { displayWidth, runReview, type ReviewCliDeps } from '../../src/cli/review.js';
import { decide, enqueueDraft, getAuditTrail, getReview } from '../../src/review/queue.js';
import type { AnswerLibrary, ApprovedAnswer } from '../../src/review/types.js';
import type { Database } from '../../src/store/database.js';
import { openTestDatabase } from '../support/db.js';
import { abstainedDraft, makeDraft } from './fixtures/drafts.js';

async function setup(env: Record<string, string> = { KOTAE_APPROVERS: 'U_ALICE,U_BOB' }, library?: AnswerLibrary, columns?: number) {
  const db: Database = await openTestDatabase();
  const stdout: string[] = [];
  const stderr: string[] = [];
  const config = loadConfig(env);
  const deps: ReviewCliDeps = {
    reviews: createReviewQueue(db, config, { library }),
    config,
    out: (s) => stdout.push(s),
    err: (s) => stderr.push(s),
    columns,
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
  it('lists newest first with id, state, confidence, product, where, updated and the question cut to the terminal width', async () => {
    const { db, run } = await setup({ KOTAE_APPROVERS: 'U_ALICE' }, undefined, 80);
    const asked = await enqueueDraft(db, makeDraft({ confidence: 0.456 }), { askedBy: 'U_CAROL' });
    const row = await enqueueDraft(db, makeDraft({ question: `Describe how encryption keys are rotated and who holds them. ${'More detail. '.repeat(10)}`, confidence: 0.9 }), {
      askedBy: 'U_CAROL',
      jobId: 'job-1',
      rowKey: 'q-1',
      location: '質問票!C38',
    });
    const res = await run('list');
    expect(res.code).toBe(0);
    const lines = res.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+STATE\s+CONF\s+PRODUCT\s+WHERE\s+UPDATED \(UTC\)\s+QUESTION$/);
    expect(lines[1]).toMatch(new RegExp(`^#${row.id}\\s+drafted\\s+0\\.90\\s+krew\\s+質問票!C38\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d\\s+Describe how`));
    expect(lines[2]).toMatch(new RegExp(`^#${asked.id}\\s+drafted\\s+0\\.46\\s+krew\\s+asked by U_CAROL`));
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    expect(lines[1]).toMatch(/…$/);
  });

  it('aligns and cuts Japanese by terminal columns (a kanji takes two)', async () => {
    const { db, run } = await setup({ KOTAE_APPROVERS: 'U_ALICE' }, undefined, 80);
    await enqueueDraft(db, makeDraft({ question: '保存データの暗号化方式と鍵の管理方法、鍵の保管場所について詳しく説明してください。' }), { askedBy: null, jobId: 'j', rowKey: 'q-ja', location: '質問票!C38' });
    await enqueueDraft(db, makeDraft({ question: 'Short one' }), { askedBy: null, jobId: 'j', rowKey: 'q-en', location: 'Sheet1!C4' });
    const lines = (await run('list')).out.trimEnd().split('\n');
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(80);
    // The UPDATED column starts at the same terminal column on every row.
    const starts = lines.slice(1).map((l) => displayWidth(l.slice(0, l.search(/\d{4}-\d\d-\d\d/))));
    expect(new Set(starts).size).toBe(1);
    expect(lines[2]).toMatch(/…$/);
  });

  it('pages with --limit and --offset and says where the next page starts', async () => {
    const { db, run } = await setup();
    // Enqueued concurrently, so ids need not follow the array's order (a PostgreSQL pool commits in any order).
    const ids = (await Promise.all(Array.from({ length: 7 }, async () => (await enqueueDraft(db, makeDraft(), { askedBy: null })).id))).sort((a, b) => Number(a) - Number(b));
    const first = await run('list', '--limit', '3');
    expect(first.out.trimEnd().split('\n').slice(1).map((l) => l.split(/\s+/)[0])).toEqual(ids.slice(4).reverse().map((id) => `#${id}`));
    expect(first.err).toBe('1–3 of 7; next page: --offset 3\n');
    const last = await run('list', '--limit', '3', '--offset', '6');
    expect(last.out.trimEnd().split('\n').slice(1).map((l) => l.split(/\s+/)[0])).toEqual([`#${ids[0]}`]);
    expect(last.err).toBe('7–7 of 7\n');
    expect((await run('list', '--limit', '0')).code).toBe(2);
    expect((await run('list', '--limit', '501')).code).toBe(2);
    expect((await run('list', '--offset', '-1')).code).toBe(2);
  });

  it('--json prints one document {total, offset, limit, items} with stable fields, numbers as numbers', async () => {
    const { db, run } = await setup();
    const a = await enqueueDraft(db, makeDraft({ confidence: 0.8765 }), { askedBy: 'U_CAROL' });
    await enqueueDraft(db, makeDraft({ product: 'cybozu' }), { askedBy: null, jobId: 'job-9', rowKey: 'q-9', location: 'Sheet1!B4', itemRef: 'A.1' });
    await decide(db, a.id, { action: 'edit', actor: 'U_ALICE', text: 'Edited answer.', status: 'yes' }, { policy: { approvers: ['U_ALICE'], approverGroup: undefined, fourEyes: false } });

    const res = await run('list', '--json', '--limit', '1', '--offset', '1');
    expect(res.code).toBe(0);
    const doc = z.object({ total: z.number(), offset: z.number(), limit: z.number(), items: z.array(z.unknown()) }).parse(JSON.parse(res.out));
    const current = await getReview(db, a.id);
    expect(doc).toEqual({
      total: 2,
      offset: 1,
      limit: 1,
      items: [
        {
          id: a.id,
          state: 'edited',
          status: 'yes',
          confidence: 0.88,
          product: 'krew',
          where: 'asked by U_CAROL',
          jobId: null,
          itemRef: null,
          question: a.question,
          answer: 'Edited answer.',
          version: 2,
          updatedAt: current.updatedAt,
          updatedBy: 'U_ALICE',
        },
      ],
    });
    const filtered = await run('list', '--json', '--product', 'cybozu', '--state', 'drafted');
    expect(JSON.parse(filtered.out)).toMatchObject({ total: 1, items: [{ product: 'cybozu', state: 'drafted', where: 'Sheet1!B4', itemRef: 'A.1', jobId: 'job-9' }] });
    expect(JSON.parse((await run('list', '--json', '--state', 'approved')).out)).toEqual({ total: 0, offset: 0, limit: 50, items: [] });
  });

  it('rejects an unknown state with a usage error', async () => {
    const { run } = await setup();
    const res = await run('list', '--state', 'done');
    expect(res.code).toBe(2);
    expect(res.err).toMatch(/^error: option '--state <states>' argument 'done' is invalid\. must be one of drafted, needs_human/);
  });
});

describe('kotae review show', () => {
  it('prints the review with its audit trail (text and --json)', async () => {
    const { db, run } = await setup();
    const r = await enqueueDraft(db, makeDraft(), { askedBy: 'U_CAROL', channel: 'C1' });
    expect((await run('approve', r.id, '--as', 'U_BOB')).code).toBe(0);
    const text = await run('show', `#${r.id}`);
    expect(text.code).toBe(0);
    expect(text.out).toContain(`#${r.id} [approved] krew`);
    expect(text.out).toMatch(/enqueue {2}→ drafted {2}by kotae:extractive/);
    expect(text.out).toMatch(/approve {2}drafted → approved {2}by U_BOB/);
    const json: unknown = JSON.parse((await run('show', r.id, '--json')).out);
    expect(json).toMatchObject({ id: r.id, state: 'approved', approvedBy: 'U_BOB', audit: await getAuditTrail(db, r.id) });
  });

  it('an unknown id exits 3 with one line', async () => {
    const { run } = await setup();
    const res = await run('show', '42');
    expect(res).toEqual({ code: 3, out: '', err: 'error: review #42 does not exist\n  See kotae review list.\n' });
  });
});

describe('kotae review approve|edit|reject', () => {
  it('approve --as an approver approves; --text makes it an edit', async () => {
    const { db, run } = await setup();
    const a = await enqueueDraft(db, makeDraft(), { askedBy: null });
    const b = await enqueueDraft(db, makeDraft(), { askedBy: null });
    const res = await run('approve', a.id, '--as', 'U_ALICE');
    expect(res.code).toBe(0);
    expect(res.out).toMatch(new RegExp(`^#${a.id} drafted → approved by U_ALICE at \\S+\\n$`));
    expect((await run('approve', b.id, '--as', 'U_ALICE', '--text', 'No, not yet.', '--status', 'no')).code).toBe(0);
    expect(await getReview(db, b.id)).toMatchObject({ state: 'edited', answer: 'No, not yet.', status: 'no', approvedBy: 'U_ALICE' });
  });

  it('edit and reject change the state; reject records the reason', async () => {
    const { db, run } = await setup();
    const a = await enqueueDraft(db, abstainedDraft(), { askedBy: null });
    const b = await enqueueDraft(db, makeDraft(), { askedBy: null });
    expect((await run('edit', a.id, '--as', 'U_BOB', '--text', 'Yes, annually.', '--status', 'yes')).code).toBe(0);
    expect(await getReview(db, a.id)).toMatchObject({ state: 'edited', answer: 'Yes, annually.' });
    expect((await run('reject', b.id, '--as', 'U_BOB', '--reason', 'not our product')).code).toBe(0);
    expect(await getReview(db, b.id)).toMatchObject({ state: 'rejected', note: 'not our product' });
  });

  it('a refused action exits non-zero with a one-line reason and changes nothing', async () => {
    const { db, run } = await setup({ KOTAE_APPROVERS: 'U_ALICE,U_BOB', KOTAE_FOUR_EYES: 'true' });
    const r = await enqueueDraft(db, makeDraft(), { askedBy: 'U_ALICE' });

    const stranger = await run('approve', r.id, '--as', 'U_MALLORY');
    expect(stranger).toEqual({ code: 4, out: '', err: 'error: U_MALLORY is not an approver (not in KOTAE_APPROVERS)\n' });
    const own = await run('approve', r.id, '--as', 'U_ALICE');
    expect(own).toEqual({ code: 4, out: '', err: 'error: four-eyes: U_ALICE asked this question and cannot approve their own draft\n' });
    const abstained = await enqueueDraft(db, abstainedDraft(), { askedBy: null });
    expect((await run('approve', abstained.id, '--as', 'U_BOB')).code).toBe(4);
    expect(await getReview(db, r.id)).toMatchObject({ state: 'drafted', version: 1 });

    expect((await run('approve', r.id, '--as', 'U_BOB')).code).toBe(0);
    const late = await run('reject', r.id, '--as', 'U_ALICE', '--reason', 'too late');
    expect(late.code).toBe(5);
    // One id: the conflict is the command's error (README "Exit codes"), who and when.
    expect(late.err).toMatch(new RegExp(`^error: review #${r.id} already approved by U_BOB at \\S+\\n  Nothing was changed\\.\\n$`));
  });

  it('usage mistakes exit 2 with the error and where to find the usage, no stack trace', async () => {
    const { db, run } = await setup();
    const r = await enqueueDraft(db, makeDraft(), { askedBy: null });
    for (const argv of [
      ['approve', r.id],
      ['reject', r.id, '--as', 'U_ALICE'],
      ['edit', r.id, '--as', 'U_ALICE'],
      ['approve', r.id, '--as', 'U_ALICE', '--reason', 'x'],
      ['approve', r.id, r.id, '--as', 'U_ALICE', '--text', 'one text for two answers'],
      ['approve', r.id, '--job', 'job-1', '--min-confidence', '0.9', '--as', 'U_ALICE'],
      ['approve', '--job', 'job-1', '--as', 'U_ALICE'],
      ['approve', '--job', 'job-1', '--min-confidence', '1.5', '--as', 'U_ALICE'],
      ['approve', '--job', 'job-1', '--min-confidence', '0.9', '--state', 'needs_human', '--as', 'U_ALICE'],
      ['approve', '--as', 'U_ALICE'],
      ['frobnicate'],
      ['list', '--bogus'],
      ['approve', 'abc', '--as', 'U_ALICE'],
    ]) {
      const res = await run(...argv);
      expect(res.code, argv.join(' ')).toBe(2);
      const lines = res.err.split('\n').filter(Boolean);
      expect(lines[0], argv.join(' ')).toMatch(/^error: /);
      expect(lines.length, argv.join(' ')).toBeLessThanOrEqual(3);
      expect(res.err).not.toMatch(/\n\s+at /);
    }
    expect((await getReview(db, r.id)).state).toBe('drafted');
  });

  it('approves and rejects several ids in one go: conflicts are skipped and reported, an invalid id applies nothing', async () => {
    const { db, run } = await setup();
    const [a, b, c] = await Promise.all([0, 1, 2].map(async () => (await enqueueDraft(db, makeDraft(), { askedBy: null })).id));
    expect((await run('approve', a ?? '', '--as', 'U_BOB')).code).toBe(0);

    const res = await run('approve', a ?? '', b ?? '', c ?? '', '--as', 'U_ALICE');
    expect(res.code).toBe(5);
    expect(res.out).toMatch(new RegExp(`^#${b} drafted → approved by U_ALICE at \\S+\\n#${c} drafted → approved by U_ALICE at \\S+\\n$`));
    expect(res.err).toMatch(new RegExp(`^#${a} conflict: already approved by U_BOB at \\S+; skipped\\n$`));

    const [d, e] = await Promise.all([0, 1].map(async () => (await enqueueDraft(db, makeDraft(), { askedBy: null })).id));
    const bad = await run('reject', d ?? '', '999', e ?? '', '--as', 'U_ALICE', '--reason', 'not offered');
    expect(bad.code).toBe(3);
    expect(bad.err).toBe('error: #999: review #999 does not exist\nnothing was applied\n');
    expect(await Promise.all([d, e].map(async (id) => (await getReview(db, id ?? '')).state))).toEqual(['drafted', 'drafted']);
    expect((await run('reject', d ?? '', e ?? '', '--as', 'U_ALICE', '--reason', 'not offered')).code).toBe(0);
    expect(await Promise.all([d, e].map(async (id) => (await getReview(db, id ?? '')).note))).toEqual(['not offered', 'not offered']);
  });

  it('approves a selection of one job by confidence: unflagged drafts only, listed first, --dry-run changes nothing', async () => {
    const { db, run } = await setup();
    const meta = (i: number) => ({ askedBy: null, jobId: 'job-1', rowKey: `q-${i}`, location: `質問票!C${i}` });
    const high = await enqueueDraft(db, makeDraft({ confidence: 0.95 }), meta(1));
    const edge = await enqueueDraft(db, makeDraft({ confidence: 0.9 }), meta(2));
    const low = await enqueueDraft(db, makeDraft({ confidence: 0.7 }), meta(3));
    const flagged = await enqueueDraft(db, makeDraft({ confidence: 0.97, needsHuman: true }), meta(4));
    const elsewhere = await enqueueDraft(db, makeDraft({ confidence: 0.99 }), { askedBy: null, jobId: 'job-2', rowKey: 'q-1' });

    const dry = await run('approve', '--job', 'job-1', '--min-confidence', '0.9', '--dry-run', '--as', 'U_ALICE');
    expect(dry.code).toBe(0);
    expect(dry.out).toContain('would approve 2 drafts of job job-1 at confidence ≥ 0.9:');
    expect(dry.out).toMatch(new RegExp(`#${high.id}\\s+drafted\\s+0\\.95\\s+krew\\s+質問票!C1`));
    expect(dry.out).toContain(`#${edge.id} drafted → would be approved`);
    expect(dry.out).not.toContain(`#${flagged.id}`);
    expect(dry.out).toContain('dry run: nothing was changed');
    expect(await Promise.all([high, edge].map(async (r) => (await getReview(db, r.id)).state))).toEqual(['drafted', 'drafted']);

    const json = await run('approve', '--job', 'job-1', '--min-confidence', '0.9', '--as', 'U_ALICE', '--json');
    expect(JSON.parse(json.out)).toMatchObject({ dryRun: false, applied: [{ id: high.id, to: 'approved' }, { id: edge.id, to: 'approved' }], conflicts: [], invalid: [] });
    expect(await Promise.all([high, edge, low, flagged, elsewhere].map(async (r) => (await getReview(db, r.id)).state))).toEqual(['approved', 'approved', 'drafted', 'needs_human', 'drafted']);
    expect((await run('approve', '--job', 'job-1', '--min-confidence', '0.9', '--as', 'U_ALICE')).out).toBe('no unflagged drafts of job job-1 at confidence ≥ 0.9\n');
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
    const { db, run } = await setup({ KOTAE_APPROVERS: 'U_ALICE', KOTAE_LOG_LEVEL: 'silent' }, flaky);
    const r = await enqueueDraft(db, makeDraft(), { askedBy: null });
    const res = await run('approve', r.id, '--as', 'U_ALICE');
    expect(res.code).toBe(0);
    expect(res.err).toContain('run kotae ingest --rebuild');
    expect(upserts.map((e) => e.reviewId)).toEqual([r.id]);
    expect((await getReview(db, r.id)).state).toBe('approved');
  });
});
