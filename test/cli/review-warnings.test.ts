/**
 * What the core warns an approver about reaches them on the CLI: approving kotae's hedged
 * wording as it stands ("Possibly …, which may not fully answer the question") still works,
 * but `kotae review approve` and `kotae review import` say on stderr that the customer will
 * read that wording, one human line each, and `--json` carries the same warnings per
 * applied decision. The wording names no CLI flag (a workbook row has none), and the queue's
 * log does not say the same warning again as a JSON line, while a real failure (the answer
 * library) is still logged. Run as the user runs it (main, in this process) on a real database.
 */
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { enqueueDraft } from '../../src/review/queue.js';
import type { ReviewRecord } from '../../src/review/types.js';
import { runCliInProcess, type CliRun } from '../support/cli.js';
import { makeDraft } from '../review/fixtures/drafts.js';
import { decideRow, editSheet } from '../review/fixtures/review-sheet.js';
import { reviewDatabase, type ReviewDatabase } from './fixtures/kotae-env.js';

const HEDGED = '[Needs review] Possibly partially in place: the closest evidence is item 4-2 of the published checksheet, which may not fully answer the question.';
const PLAIN = 'Yes. Backups are copied to a second region every night.';
// The same words however the decision was made (a command, a workbook row): no CLI flag in them.
const HEDGE_WARNING = /^warning: review #(\d+): the approved text is kotae's hedge \("Possibly partially in place"\); the customer will read it as written\. To answer plainly, decide it with your own answer and its status instead\.$/;

let made: ReviewDatabase;
let env: Record<string, string>;
let row = 0;

beforeAll(async () => {
  ({ made, env } = await reviewDatabase());
});

afterAll(() => made.cleanup());

function kotae(...argv: string[]): Promise<CliRun> {
  return runCliInProcess(argv, env);
}

/** A questionnaire row's draft as `kotae answer` leaves it in the queue. */
function queued(draft: string, jobId: string): Promise<ReviewRecord> {
  row += 1;
  // Each with the status its text states: a plain "Yes." beside "partial" is refused outright.
  return enqueueDraft(made.db, makeDraft({ draft, status: draft === HEDGED ? 'partial' : 'yes', needsHuman: draft === HEDGED }), { askedBy: 'U_SALES', jobId, rowKey: `row-${row}`, location: `質問票!C${row + 2}` });
}

const Applied = z.object({ applied: z.array(z.object({ id: z.string(), to: z.string(), warnings: z.array(z.string()) })) });

const warningLines = (err: string): string[] => err.split('\n').filter((l) => l.startsWith('warning: review #'));

describe('kotae review approve', () => {
  it('approving a hedged draft as it stands succeeds and warns on stderr, one line; a plain draft gets none', async () => {
    const hedged = await queued(HEDGED, 'job-approve');
    const plain = await queued(PLAIN, 'job-approve');
    const res = await kotae('review', 'approve', hedged.id, plain.id, '--as', 'U_SEC');
    expect(res.code, res.err).toBe(0);
    expect(res.out).toMatch(new RegExp(`^#${hedged.id} needs_human → approved by U_SEC`));
    expect(warningLines(res.err)).toHaveLength(1);
    expect(warningLines(res.err)[0]).toMatch(HEDGE_WARNING);
    expect(HEDGE_WARNING.exec(warningLines(res.err)[0] ?? '')?.[1]).toBe(hedged.id);
  });

  it('--json lists the warnings of each applied decision, and stderr still says them', async () => {
    const hedged = await queued(HEDGED, 'job-json');
    const plain = await queued(PLAIN, 'job-json');
    const res = await kotae('review', 'approve', hedged.id, plain.id, '--as', 'U_SEC', '--json');
    expect(res.code, res.err).toBe(0);
    const { applied } = Applied.parse(JSON.parse(res.out));
    expect(applied.map((a) => [a.id, a.to, a.warnings.length])).toEqual([
      [hedged.id, 'approved', 1],
      [plain.id, 'approved', 0],
    ]);
    expect(`warning: ${applied[0]?.warnings[0]}`).toMatch(HEDGE_WARNING);
    expect(warningLines(res.err)).toHaveLength(1);
  });

  it('a dry run warns about what it would approve', async () => {
    const hedged = await queued(HEDGED, 'job-dry');
    const res = await kotae('review', 'approve', hedged.id, '--as', 'U_SEC', '--dry-run');
    expect(res.code, res.err).toBe(0);
    expect(res.out).toContain('dry run: nothing was changed');
    expect(warningLines(res.err)).toEqual([expect.stringMatching(HEDGE_WARNING)]);
  });
});

describe('kotae review import', () => {
  it('a workbook approving a hedged draft as it stands is applied, with the warning on stderr and in --json', async () => {
    const hedged = await queued(HEDGED, 'job-sheet');
    const plain = await queued(PLAIN, 'job-sheet');
    const sheet = join(made.dir, 'review.xlsx');
    expect((await kotae('review', 'export', '--job', 'job-sheet', '--out', sheet)).code).toBe(0);
    await editSheet(sheet, (rowOf, col) => {
      decideRow(rowOf(hedged.id), col, '承認');
      decideRow(rowOf(plain.id), col, '承認');
    });

    const dry = await kotae('review', 'import', sheet, '--as', 'U_SEC', '--dry-run', '--json');
    expect(dry.code, dry.err).toBe(0);
    expect(Applied.parse(JSON.parse(dry.out)).applied.map((a) => [a.id, a.warnings.length])).toEqual([
      [hedged.id, 1],
      [plain.id, 0],
    ]);
    expect(warningLines(dry.err)).toEqual([expect.stringMatching(HEDGE_WARNING)]);

    const res = await kotae('review', 'import', sheet, '--as', 'U_SEC');
    expect(res.code, res.err).toBe(0);
    expect(res.out).toContain('applied 2 approved, 0 edited, 0 rejected');
    expect(warningLines(res.err)).toEqual([expect.stringMatching(HEDGE_WARNING)]);
    expect(res.err).toContain(`warning: review #${hedged.id}:`);
    expect(warningLines(res.err).join('\n')).not.toMatch(/--text|--status/);
  });
});

describe('the log of a review command', () => {
  /** What reaches the process's stderr outside the command's own lines: the core's JSON log. */
  function logLines(): { lines: () => Array<{ level: string; msg: string }> } {
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const Line = z.object({ level: z.string(), msg: z.string() });
    return { lines: () => written.join('').split('\n').filter((l) => l.startsWith('{')).map((l) => Line.parse(JSON.parse(l))) };
  }

  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('holds no second copy of the warnings the command prints, even at KOTAE_LOG_LEVEL=info; a failure still reaches it', async () => {
    const hedged = await queued(HEDGED, 'job-log');
    const log = logLines();
    // This database has no search index, so bringing the answer library up to date fails: a real error.
    const res = await runCliInProcess(['review', 'approve', hedged.id, '--as', 'U_SEC'], { ...env, KOTAE_LOG_LEVEL: 'info' });
    expect(res.code, res.err).toBe(0);
    expect(warningLines(res.err)).toEqual([expect.stringMatching(HEDGE_WARNING)]);
    expect(log.lines().filter((l) => l.msg.includes('hedge'))).toEqual([]);
    expect(log.lines()).toEqual([expect.objectContaining({ level: 'error', msg: expect.stringMatching(/^answer library not updated/) })]);
  });
});
