import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { jobIdFor, QuestionnaireCheckpoint } from '../../src/questionnaire/checkpoint.js';
import { runJob, type JobItem, type JobProgress } from '../../src/questionnaire/job.js';
import { fakeAnswerer, fakeDraft } from '../../src/questionnaire/synthetic.js';
import { openWorkflowDb } from '../../src/store/workflow.js';

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
      lookupApproved: (product, question) =>
        question.includes('number 2') ? { text: `approved for ${product}`, status: 'yes', state: 'approved', reviewId: 12, citations: [] } : null,
    });
    expect(asked).not.toContain('Question number 2?');
    expect(asked).toHaveLength(3);
    expect(out.results.get('S!R3')).toMatchObject({ kind: 'approved', approved: { text: 'approved for krew', reviewId: 12 } });
    expect(out.approved).toBe(1);
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
  const identity = { inputSha256: 'a'.repeat(64), product: 'krew', options: { sheet: null, overwrite: false } };

  it('the job id depends on file, product and options, not on option order', () => {
    expect(jobIdFor(identity)).toBe(jobIdFor({ ...identity, options: { overwrite: false, sheet: null } }));
    expect(jobIdFor(identity)).not.toBe(jobIdFor({ ...identity, product: 'cybozu' }));
    expect(jobIdFor(identity)).not.toBe(jobIdFor({ ...identity, options: { overwrite: true } }));
    expect(jobIdFor(identity)).not.toBe(jobIdFor({ ...identity, inputSha256: 'b'.repeat(64) }));
  });

  it('a second run answers only what the first did not finish; failures are retried', async () => {
    const db = openWorkflowDb(':memory:');
    const asked: string[] = [];
    const failing = new Set(['Question number 4?']);
    const answer = async (q: string, p: string) => {
      asked.push(q);
      if (failing.has(q)) throw new Error('temporary');
      return fakeDraft(q, p);
    };
    const first = await runJob(items(6), { product: 'krew', answer, concurrency: 2, store: QuestionnaireCheckpoint.open(db, identity, { fileName: 'x.xlsx', total: 6 }) });
    expect(first.failed).toBe(1);
    failing.clear();
    asked.length = 0;
    const second = await runJob(items(6), { product: 'krew', answer, concurrency: 2, store: QuestionnaireCheckpoint.open(db, identity, { fileName: 'x.xlsx', total: 6 }) });
    expect(asked).toEqual(['Question number 4?']);
    expect(second.resumed).toBe(5);
    expect(second.progress.done).toBe(6);

    asked.length = 0;
    await runJob(items(6), { product: 'krew', answer, concurrency: 2, store: QuestionnaireCheckpoint.open(db, identity, { fileName: 'x.xlsx', total: 6 }, true) });
    expect(asked).toHaveLength(6); // --fresh
    db.close();
  });
});
