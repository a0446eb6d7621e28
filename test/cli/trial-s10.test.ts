/**
 * Messages a new user's trial (s10, finding 9) found misleading, run as the user runs them
 * (main, in this process) on a small English markdown policy of the test's own:
 * - `review approve N --text "…"` without `--status` answered "already edited by U" (exit 5)
 *   when N was decided, never naming the missing --status;
 * - retiring an answer retired already was "cannot retire a review that is withdrawn" (exit 4),
 *   where deciding the same way twice is "unchanged";
 * - "evidence sheet: 1 source lines";
 * - `kotae ingest` printed raw JSON log lines among its progress.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tsukimiCorpus, type IngestedCorpus } from './fixtures/kotae-env.js';

let corpus: IngestedCorpus;

beforeAll(async () => {
  corpus = await tsukimiCorpus('kotae-trial-s10-');
}, 120_000);

afterAll(() => rmSync(corpus.made.root, { recursive: true, force: true }));

/** Asks `question`, approves its draft as U_SEC with its own text and a status; returns the review id. */
async function approved(question: string): Promise<string> {
  const asked = await corpus.kotae(['ask', question, '--product', 'tsukimi', '--json']);
  expect(asked.code, asked.err).toBe(0);
  const id = String((JSON.parse(asked.out) as { reviewId: string }).reviewId);
  const res = await corpus.kotae(['review', 'approve', id, '--as', 'U_SEC', '--text', 'Yes. Customer data is encrypted at rest with AES-256.', '--status', 'yes']);
  expect(res.code, res.err).toBe(0);
  return id;
}

describe('kotae review approve --text without --status', () => {
  it('is a usage error naming --status (exit 2), whatever state the review is in', async () => {
    const id = await approved('Is customer data encrypted at rest?');
    const res = await corpus.kotae(['review', 'approve', id, '--as', 'U_SEC', '--text', 'Yes, always.']);
    expect(res.code).toBe(2);
    expect(res.err).toContain('--text needs --status');
    expect(res.err).toContain('--status yes|no|partial|not_applicable|unknown');
    expect(res.err).not.toContain('already');
    // `review edit` takes the same words.
    const edit = await corpus.kotae(['review', 'edit', id, '--as', 'U_SEC', '--text', 'Yes, always.']);
    expect(edit.code).toBe(2);
    expect(edit.err).toContain('--text needs --status');
  });
});

describe('kotae library retire, twice', () => {
  it('says the answer is unchanged, already retired by whom, and exits 0 like a decision made twice', async () => {
    const id = await approved('Is data at rest encrypted with AES-256?');
    const first = await corpus.kotae(['library', 'retire', id, '--as', 'U_SEC', '--reason', 'the key policy changed']);
    expect(first.code, first.err).toBe(0);
    const again = await corpus.kotae(['library', 'retire', id, '--as', 'U_SEC', '--reason', 'the key policy changed']);
    expect(again.code, again.err).toBe(0);
    expect(again.out).toMatch(new RegExp(`^#${id} unchanged: already retired by U_SEC at \\S+; not reused`));
    const json = await corpus.kotae(['library', 'retire', id, '--as', 'U_SEC', '--reason', 'x', '--json']);
    expect(JSON.parse(json.out)).toMatchObject({ id, unchanged: true, state: 'withdrawn', by: 'U_SEC' });
  });
});

describe('kotae answer --approved-only --evidence-sheet', () => {
  it('counts the evidence register in words: "1 source line"', async () => {
    const input = corpus.file('one.csv', 'No,Question,Answer\n1,Are backups taken every day?,\n');
    expect((await corpus.kotae(['answer', input, '--product', 'tsukimi'])).code).toBe(0);
    const list = await corpus.kotae(['review', 'list', '--product', 'tsukimi', '--json']);
    const row = (JSON.parse(list.out) as { items: Array<{ id: string; question: string }> }).items.find((r) => r.question === 'Are backups taken every day?');
    expect((await corpus.kotae(['review', 'approve', row?.id ?? '', '--as', 'U_SEC', '--status', 'yes'])).code).toBe(0);
    const res = await corpus.kotae(['answer', input, '--product', 'tsukimi', '--approved-only', '--evidence-sheet']);
    expect(res.code, res.err).toBe(0);
    expect(res.out).toMatch(/\(evidence: 1 source line\)/);
  });
});

describe('kotae ingest', () => {
  it('says what its log says in words among the progress lines, never as JSON', async () => {
    await approved('Is customer data encrypted?');
    const file = join(corpus.made.corpusDir, 'policy.md');
    writeFileSync(file, readFileSync(file, 'utf8').replace('AES-256.', 'AES-256 with keys held in a managed key service.'));
    const res = await corpus.kotae(['ingest'], { KOTAE_LOG_LEVEL: 'info' });
    expect(res.code, res.err).toBe(0);
    const lines = res.err.split('\n').filter((l) => l.trim() !== '');
    expect(lines.filter((l) => l.trimStart().startsWith('{'))).toEqual([]);
    expect(lines).toContainEqual(expect.stringMatching(/^warning: approved answers made stale: a cited source changed; they left the answer library until re-approved \(count \d+\)$/));
  });
});
