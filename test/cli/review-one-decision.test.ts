/**
 * `kotae review approve ID`, `edit ID` and `reject ID` make one decision: when it cannot be
 * made (the review does not exist, --text without --status, a transition the rules refuse),
 * that is the command's error, said as every error is (README "Exit codes"): one `error:`
 * line with its hint, and with --json the `{"error": …}` document, with the table's exit
 * code. Several ids keep their per-review report. Run as the user runs it (main, in this
 * process) on a real database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { enqueueDraft } from '../../src/review/queue.js';
import { runCliInProcess, type CliRun } from '../support/cli.js';
import { abstainedDraft, makeDraft } from '../review/fixtures/drafts.js';
import { reviewDatabase, type ReviewDatabase } from './fixtures/kotae-env.js';

let made: ReviewDatabase;
let env: Record<string, string>;

beforeAll(async () => {
  ({ made, env } = await reviewDatabase());
});

afterAll(() => made.cleanup());

function kotae(...argv: string[]): Promise<CliRun> {
  return runCliInProcess(argv, env);
}

const ErrorDocument = z.object({ error: z.object({ code: z.string(), exit: z.number(), message: z.string(), hint: z.string().nullable() }) }).strict();

describe('one review id', () => {
  it('an id that does not exist: exit 3, the error document with --json, and where to look', async () => {
    const res = await kotae('review', 'approve', '99999', '--as', 'U_SEC', '--json');
    expect(res.code).toBe(3);
    expect(ErrorDocument.parse(JSON.parse(res.out))).toEqual({ error: { code: 'not_found', exit: 3, message: 'review #99999 does not exist', hint: 'See kotae review list.' } });
    expect(res.err).toBe('error: review #99999 does not exist\n  See kotae review list.');
  });

  it('--text without --status: exit 2, the error document naming the missing status, nothing changed', async () => {
    const r = await enqueueDraft(made.db, makeDraft({ status: 'partial' }), { askedBy: 'U_SALES' });
    const res = await kotae('review', 'approve', r.id, '--as', 'U_SEC', '--text', 'Yes, every night.', '--json');
    expect(res.code).toBe(2);
    const { error } = ErrorDocument.parse(JSON.parse(res.out));
    expect(error).toMatchObject({ code: 'usage', exit: 2 });
    expect(error.message).toMatch(new RegExp(`^review #${r.id}: a replaced answer needs its status`));
    expect(error.hint).toMatch(/^Pass --status yes\|no\|partial\|not_applicable\|unknown with --text/);
    expect((await kotae('review', 'show', r.id, '--json')).out).toContain('"state":"drafted"');
  });

  it('a decision the rules refuse (approving an abstained draft as it stands): exit 4, the same document', async () => {
    const r = await enqueueDraft(made.db, abstainedDraft(), { askedBy: 'U_SALES' });
    const res = await kotae('review', 'approve', r.id, '--as', 'U_SEC', '--json');
    expect(res.code).toBe(4);
    expect(ErrorDocument.parse(JSON.parse(res.out)).error).toMatchObject({ code: 'forbidden', exit: 4, message: expect.stringMatching(/^the draft abstained/) });
    expect(res.err).toMatch(/^error: the draft abstained/);
  });

  it('someone else decided first: the conflict is the error, who and when, exit 5 (the table), with --json and without', async () => {
    const r = await enqueueDraft(made.db, makeDraft(), { askedBy: 'U_SALES' });
    expect((await kotae('review', 'reject', r.id, '--as', 'U_SEC', '--reason', 'not ours')).code).toBe(0);
    const res = await kotae('review', 'edit', r.id, '--as', 'U_SEC', '--text', 'No.', '--status', 'no', '--json');
    expect(res.code).toBe(5);
    const { error } = ErrorDocument.parse(JSON.parse(res.out));
    expect(error).toMatchObject({ code: 'conflict', exit: 5, message: expect.stringMatching(new RegExp(`^review #${r.id} already rejected by U_SEC at \\d{4}-`)) });
    expect(error.hint).toMatch(/nothing was changed/i);
    // A rejected draft takes no more decisions, but the refusal says how a person's answer gets in.
    expect(error.hint).toMatch(/To give this row a person's answer: draft it again \(a questionnaire row: kotae answer FILE --fresh.*kotae ask it again\), then kotae review edit NEW_ID --text/);

    const plain = await kotae('review', 'approve', r.id, '--as', 'U_SEC');
    expect(plain.code).toBe(5);
    expect(plain.out).toBe('');
    expect(plain.err).toMatch(new RegExp(`^error: review #${r.id} already rejected by U_SEC at \\S+\n  Nothing was changed`));
    expect((await kotae('review', 'show', r.id, '--json')).out).toContain('"state":"rejected"');
  });
});

describe('several review ids', () => {
  it('keep the per-review report: the unknown one is listed as invalid and nothing is applied', async () => {
    const r = await enqueueDraft(made.db, makeDraft(), { askedBy: 'U_SALES' });
    const res = await kotae('review', 'approve', r.id, '99998', '--as', 'U_SEC', '--json');
    expect(res.code).toBe(3);
    expect(JSON.parse(res.out)).toMatchObject({ applied: [], invalid: [{ id: '99998', error: 'review #99998 does not exist' }] });
  });

  it('keep the per-review report for a conflict too: the others are applied, the conflict listed (exit 5)', async () => {
    const decided = await enqueueDraft(made.db, makeDraft(), { askedBy: 'U_SALES' });
    const waiting = await enqueueDraft(made.db, makeDraft(), { askedBy: 'U_SALES' });
    expect((await kotae('review', 'reject', decided.id, '--as', 'U_SEC', '--reason', 'not ours')).code).toBe(0);
    const res = await kotae('review', 'approve', decided.id, waiting.id, '--as', 'U_SEC', '--json');
    expect(res.code).toBe(5);
    expect(JSON.parse(res.out)).toMatchObject({ applied: [{ id: waiting.id, to: 'approved' }], conflicts: [{ id: decided.id, state: 'rejected', by: 'U_SEC' }] });
  });
});
