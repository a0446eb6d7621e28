import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { checkpointIdFor, QuestionnaireCheckpoint } from '../../src/questionnaire/checkpoint.js';
import { runJob, type JobItem, type JobProgress, type RowDecision } from '../../src/questionnaire/job.js';
import { fakeAnswerer, fakeDraft } from '../support/fake-answerer.js';
import { openTestDatabase } from '../support/db.js';

const items = (n: number): JobItem[] => Array.from({ length: n }, (_, i) => ({ key: `S!R${i + 2}`, question: `Question number ${i + 1}?` }));

describe('runJob', () => {
  it('never runs more answers at once than the concurrency, and reports progress to the end', async () => {
    let active = 0;
    let peak = 0;
    const answer = async (q: string, p: string) => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, 5));
      active--;
      return fakeDraft(q, p);
    };
    const seen: JobProgress[] = [];
    const out = await runJob(items(20), { product: 'krew', answer, concurrency: 3, onProgress: (p) => seen.push(p) });
    expect(peak).toBe(3);
    expect(seen.map((p) => p.done)).toEqual(Array.from({ length: 21 }, (_, i) => i));
    const last = seen.at(-1);
    const expected = items(20).map((i) => fakeDraft(i.question, 'krew'));
    expect(last).toEqual({
      done: 20,
      total: 20,
      answered: expected.filter((d) => !d.abstained).length,
      abstained: expected.filter((d) => d.abstained).length,
      needsReview: expected.filter((d) => d.abstained || d.needsHuman).length,
    });
    expect(out.results.size).toBe(20);
  });

  it('takes approved answers from the injected lookup instead of drafting', async () => {
    const asked: string[] = [];
    const out = await runJob(items(4), {
      product: 'krew',
      answer: fakeAnswerer({ onAnswer: (q) => asked.push(q) }),
      concurrency: 2,
      lookupDecision: (product, question) =>
        question.includes('number 2') ? { kind: 'approved', approved: { text: `approved for ${product}`, status: 'yes', state: 'approved', reviewId: 12, citations: [] } } : null,
    });
    expect(asked).not.toContain('Question number 2?');
    expect(asked).toHaveLength(3);
    expect(out.results.get('S!R3')).toMatchObject({ kind: 'approved', approved: { text: 'approved for krew', reviewId: 12 } });
    expect(out.approved).toBe(1);
  });

  it('consults the decisions on every run: a rejection is written as such, a stale approval and a withheld row never reuse the checkpoint', async () => {
    const db = await openTestDatabase();
    const identity = { jobId: 'bulk-x-krew', inputSha256: 'c'.repeat(64), product: 'krew', options: {} };
    const asked: string[] = [];
    const answer = fakeAnswerer({ abstainEvery: 0, onAnswer: (q) => asked.push(q) });
    const open = (fresh = false) => QuestionnaireCheckpoint.open(db, identity, { fileName: 'x.xlsx', total: 4 }, fresh);
    await runJob(items(4), { product: 'krew', answer, concurrency: 2, store: await open() });
    expect(asked).toHaveLength(4);

    // Row 1 rejected, row 2's approval went stale, row 3 approved, row 4 undecided.
    const decisions: Record<string, RowDecision> = {
      'Question number 1?': { kind: 'rejected', reviewId: '7', reason: 'we do not offer this' },
      'Question number 2?': { kind: 'stale', reviewId: '8' },
      'Question number 3?': { kind: 'approved', approved: { text: 'approved text', status: 'yes', state: 'edited', reviewId: '9', citations: [] } },
    };
    asked.length = 0;
    const again = await runJob(items(4), { product: 'krew', answer, concurrency: 2, store: await open(), lookupDecision: (_p, q) => decisions[q] ?? null });
    expect(asked).toEqual(['Question number 2?']); // only the stale row is drafted again
    expect(again.results.get('S!R2')).toEqual({ kind: 'rejected', reviewId: '7', reason: 'we do not offer this' });
    expect(again.results.get('S!R3')?.kind).toBe('draft');
    expect(again.results.get('S!R4')?.kind).toBe('approved');
    expect(again.results.get('S!R5')?.kind).toBe('draft');
    expect(again).toMatchObject({ resumed: 1, approved: 1, rejected: 1 });
    expect(again.progress.needsReview).toBeGreaterThanOrEqual(1); // the rejected row

    // --fresh drafts the rejected row again; the approval still holds.
    asked.length = 0;
    const fresh = await runJob(items(4), { product: 'krew', answer, concurrency: 2, store: await open(true), redraftRejected: true, lookupDecision: (_p, q) => decisions[q] ?? null });
    expect(asked.sort()).toEqual(['Question number 1?', 'Question number 2?', 'Question number 4?']);
    expect(fresh.results.get('S!R4')?.kind).toBe('approved');

    // Withheld rows (approved-only export) are written without drafting.
    asked.length = 0;
    const withheld = await runJob(items(2), { product: 'krew', answer, concurrency: 1, lookupDecision: () => ({ kind: 'withheld', reviewId: null, why: 'undrafted' }) });
    expect(asked).toEqual([]);
    expect(withheld.progress).toMatchObject({ done: 2, answered: 0, needsReview: 2 });
  });

  it('answers a repeated question once', async () => {
    const asked: string[] = [];
    const dup: JobItem[] = [
      { key: 'S!R2', question: 'Is data encrypted?' },
      { key: 'S!R3', question: 'Is  data encrypted?' },
    ];
    const out = await runJob(dup, { product: 'krew', answer: fakeAnswerer({ onAnswer: (q) => asked.push(q) }), concurrency: 2 });
    expect(asked).toHaveLength(1);
    expect(out.results.size).toBe(2);
  });

  it('marks a row that fails as needing review and carries on; a configuration error stops the job', async () => {
    const flaky = async (q: string, p: string) => {
      if (q.includes('number 3')) throw new Error('upstream timeout');
      return fakeDraft(q, p, { abstainEvery: 0 });
    };
    const out = await runJob(items(5), { product: 'krew', answer: flaky, concurrency: 2 });
    expect(out.failed).toBe(1);
    expect(out.results.get('S!R4')).toEqual({ kind: 'error', message: 'upstream timeout' });
    expect(out.progress).toMatchObject({ done: 5, answered: 4 });

    let calls = 0;
    const broken = async () => {
      calls++;
      throw new ConfigError('OPENAI_API_KEY', 'invalid');
    };
    await expect(runJob(items(30), { product: 'krew', answer: broken, concurrency: 2 })).rejects.toBeInstanceOf(ConfigError);
    expect(calls).toBeLessThan(30);
  });
});

describe('checkpoint', () => {
  const identity = { jobId: 'bulk-aaaa-krew', inputSha256: 'a'.repeat(64), product: 'krew', options: { sheet: null, overwrite: false } };

  it('the checkpoint id is the job id plus options and corpus version, not option order', () => {
    expect(checkpointIdFor(identity)).toBe(checkpointIdFor({ ...identity, options: { overwrite: false, sheet: null } }));
    expect(checkpointIdFor(identity).startsWith('bulk-aaaa-krew#')).toBe(true);
    expect(checkpointIdFor(identity)).not.toBe(checkpointIdFor({ ...identity, options: { overwrite: true } }));
    expect(checkpointIdFor(identity)).not.toBe(checkpointIdFor({ ...identity, inputSha256: 'b'.repeat(64) }));
    expect(checkpointIdFor(identity)).not.toBe(checkpointIdFor({ ...identity, corpusVersion: 'v2' }));
  });

  it('drafts are not reused under another corpus version, and the older checkpoint is dropped', async () => {
    const db = await openTestDatabase();
    const asked: string[] = [];
    const answer = fakeAnswerer({ onAnswer: (q) => asked.push(q) });
    const open = (corpusVersion: string) => QuestionnaireCheckpoint.open(db, { ...identity, corpusVersion }, { fileName: 'x.xlsx', total: 3 });
    await runJob(items(3), { product: 'krew', answer, concurrency: 1, store: await open('v1') });
    asked.length = 0;
    await runJob(items(3), { product: 'krew', answer, concurrency: 1, store: await open('v1') });
    expect(asked).toHaveLength(0);
    const v2 = await runJob(items(3), { product: 'krew', answer, concurrency: 1, store: await open('v2') });
    expect(asked).toHaveLength(3);
    expect(v2.resumed).toBe(0);
    const jobs = (await db.all('SELECT job_id FROM questionnaire_jobs')) as Array<{ job_id: string }>;
    expect(jobs.map((j) => j.job_id)).toEqual([checkpointIdFor({ ...identity, corpusVersion: 'v2' })]);
  });

  it('says whether the previous run was interrupted or finished', async () => {
    const db = await openTestDatabase();
    const open = () => QuestionnaireCheckpoint.open(db, identity, { fileName: 'x.xlsx', total: 1 });
    const first = await open();
    expect(first.previousRun).toBe('none');
    await first.save('S!R2', 'Q?', { kind: 'error', message: 'x' });
    const killed = await open();
    expect(killed.previousRun).toBe('interrupted');
    await killed.finish();
    expect((await open()).previousRun).toBe('finished');
    // That run clears finished_at until it finishes: killed, the next run says so.
    expect((await open()).previousRun).toBe('interrupted');
  });

  it('a second run answers only what the first did not finish; failures are retried', async () => {
    const db = await openTestDatabase();
    const asked: string[] = [];
    const failing = new Set(['Question number 4?']);
    const answer = async (q: string, p: string) => {
      asked.push(q);
      if (failing.has(q)) throw new Error('temporary');
      return fakeDraft(q, p);
    };
    const first = await runJob(items(6), { product: 'krew', answer, concurrency: 2, store: await QuestionnaireCheckpoint.open(db, identity, { fileName: 'x.xlsx', total: 6 }) });
    expect(first.failed).toBe(1);
    failing.clear();
    asked.length = 0;
    const second = await runJob(items(6), { product: 'krew', answer, concurrency: 2, store: await QuestionnaireCheckpoint.open(db, identity, { fileName: 'x.xlsx', total: 6 }) });
    expect(asked).toEqual(['Question number 4?']);
    expect(second.resumed).toBe(5);
    expect(second.progress.done).toBe(6);

    asked.length = 0;
    await runJob(items(6), { product: 'krew', answer, concurrency: 2, store: await QuestionnaireCheckpoint.open(db, identity, { fileName: 'x.xlsx', total: 6 }, true) });
    expect(asked).toHaveLength(6); // --fresh
  });
});
