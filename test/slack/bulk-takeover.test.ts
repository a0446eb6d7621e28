/**
 * A bulk upload outlives the bot that took it: the job is stored with where its answer goes
 * (src/questionnaire/jobs.ts), so when that bot dies before posting, a running bot (another
 * replica, or the same one restarted) takes the job over once its lease runs out, resumes
 * from the checkpoint and posts the filled file into the original thread, once. The dead
 * bot is played by a second job runner on the same database whose delivery fails, as a
 * process killed just before posting leaves things; the kill itself, in a real child
 * process, is test/questionnaire/jobs.test.ts. A job that never finished in its allowed number
 * of attempts (each of its bots died) is not run again: the asker is told in the thread, once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_JOB_ATTEMPTS, questionnaireRunKey } from '../../src/questionnaire/jobs.js';
import { listReviews } from '../../src/review/queue.js';
import { BulkDelivery } from '../../src/slack/handlers/bulk.js';
import { SALES, blockText, nextTs, startHarness, type Harness } from './harness.js';

/** Own text, answerable from the harness's corpus and not. */
const CSV = ['No,質問,回答', '1,保存データは暗号化されていますか,', '2,通信経路は暗号化されていますか,', '3,社員食堂はありますか,', ''].join('\n');
const TTL_MS = 400;

describe('a bulk job whose bot died before posting', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ slack: { jobTtlMs: TTL_MS } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('is finished by the running bot: the filled file and summary reach the original thread once, no row drafted twice', async () => {
    const thread = nextTs();
    const delivery: BulkDelivery = { channel: 'DTAKE', threadTs: thread, statusTs: null, fileId: 'FTAKE', fileName: 'vendor.csv', user: SALES };
    const dead = h.app.questionnaireJobs<BulkDelivery>({
      owner: 'replica-that-died',
      ttlMs: TTL_MS,
      delivery: BulkDelivery,
      deliver: async () => {
        throw new Error('killed before posting');
      },
    });
    await dead.submit({ name: 'vendor.csv', bytes: Buffer.from(CSV, 'utf8') }, { product: 'krew', askedBy: SALES, channel: 'DTAKE' }, delivery).catch(() => undefined);
    expect((await listReviews(h.app.db, { limit: 100 })).items).toHaveLength(3);
    expect(h.fake.uploads).toHaveLength(0);

    // The running bot notices the lease ran out and posts into the thread the upload came from.
    const complete = await h.fake.waitFor('files.completeUploadExternal', (c) => c.args.thread_ts === thread, 15_000);
    expect(complete.args.channel_id).toBe('DTAKE');
    await h.slack.idle();
    const filled = h.fake.uploads[0]?.bytes.toString('utf8') ?? '';
    expect(filled).toContain('AES-256');
    const summaries = h.fake.callsOf('chat.postMessage').filter((c) => c.args.channel === 'DTAKE' && String(c.args.text).includes('vendor.csv'));
    expect(summaries.length).toBeGreaterThanOrEqual(1);

    // Later rounds of the timer find nothing more to do: posted once, and every row still has one review.
    await new Promise((resolve) => setTimeout(resolve, TTL_MS * 3));
    await h.slack.idle();
    expect(h.fake.callsOf('files.completeUploadExternal').filter((c) => c.args.thread_ts === thread)).toHaveLength(1);
    expect((await listReviews(h.app.db, { limit: 100 })).items).toHaveLength(3);
  });

  it('is given up once it has been started the allowed number of times: the thread is told once, nothing is posted as answered', async () => {
    const thread = nextTs();
    const bytes = Buffer.from(CSV.replace('社員食堂', '駐車場'), 'utf8');
    const options = { product: 'krew', askedBy: SALES, channel: 'DSTUCK' };
    const delivery: BulkDelivery = { channel: 'DSTUCK', threadTs: thread, statusTs: null, fileId: 'FSTUCK', fileName: 'stuck.csv', user: SALES };
    const dead = h.app.questionnaireJobs<BulkDelivery>({
      owner: 'replica-that-died-again',
      ttlMs: TTL_MS,
      delivery: BulkDelivery,
      deliver: async () => {
        throw new Error('killed before posting');
      },
    });
    await expect(dead.submit({ name: 'stuck.csv', bytes }, options, delivery)).rejects.toThrow('killed before posting');
    // Its earlier take-overs died the same way (a file that brings down every bot that runs it): the count is at the cap.
    const key = questionnaireRunKey(bytes, options);
    await h.app.db.run('UPDATE questionnaire_runs SET attempts = ? WHERE run_key = ?', [DEFAULT_MAX_JOB_ATTEMPTS, key]);

    const notice = await h.fake.waitFor('chat.postMessage', (c) => c.args.thread_ts === thread, 15_000);
    expect(notice.args.channel).toBe('DSTUCK');
    const said = blockText(notice.args.blocks);
    expect(said).toContain('stuck.csv');
    expect(said).toContain(`started ${DEFAULT_MAX_JOB_ATTEMPTS} times`);
    expect(said).toMatch(/Send the file again/);
    expect(said).not.toMatch(/--\w/);
    expect(await h.slack.deps.jobs.state(key)).toEqual({ state: 'failed', attempts: DEFAULT_MAX_JOB_ATTEMPTS, error: expect.stringContaining('killed before posting') });

    // Later rounds of the timer leave it alone: told once, no file, no summary.
    await new Promise((resolve) => setTimeout(resolve, TTL_MS * 3));
    await h.slack.idle();
    expect(h.fake.calls.filter((c) => c.args.thread_ts === thread || c.args.channel_id === 'DSTUCK')).toHaveLength(1);
  });
});
