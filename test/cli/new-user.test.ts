/**
 * What a new user ran into with `kotae ask` and `kotae answer` on a real (small, ingested)
 * corpus: a directory as input, `--json` on errors, a bad `ask --file` line, the approved-only
 * summary for rows the customer had answered, Ctrl-C, `review export` of an unknown job, a
 * file with no question column, and a CLI with no user to record as the asker. Each case runs
 * the command as the user does (main(), or the kotae executable for Ctrl-C) and checks what
 * they read and the exit code from the one table (README "Exit codes").
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { TempCorpus } from '../support/corpus.js';
import { killChildren } from '../support/spawn-ts.js';
import { kumoriCorpus, type IngestedCorpus } from './fixtures/kotae-env.js';

/** A made-up product's checksheet rows. */
const ROWS = [
  '1-1\t保管データを暗号化すること。\t○\t保管データはAES-256で暗号化しています。',
  '1-2\t操作ログを保管すること。\t○\t操作ログは18か月間保管しています。',
  '1-3\t多要素認証を提供すること。\t○\t管理画面は多要素認証に対応しています。',
];

const BIN = join(process.cwd(), 'bin', 'kotae.js');
let made: TempCorpus;
let env: Record<string, string>;
let kotae: IngestedCorpus['kotae'];
let file: IngestedCorpus['file'];

beforeAll(async () => {
  ({ made, env, kotae, file } = await kumoriCorpus('kotae-newuser-', ROWS));
}, 120_000);

afterAll(() => {
  killChildren();
  rmSync(made.root, { recursive: true, force: true });
});

const ErrorDocument = z.object({ error: z.object({ code: z.string(), exit: z.number(), message: z.string(), hint: z.string().nullable() }) });

describe('kotae as a new user meets it', () => {
  it('a directory given as the questionnaire or the question file is one line and exit 2, no stack trace', async () => {
    const folder = join(made.root, 'a-folder');
    mkdirSync(folder, { recursive: true });
    for (const argv of [['answer', folder, '--product', 'kumori'], ['ask', '--file', folder]]) {
      const res = await kotae(argv);
      expect(res.code).toBe(2);
      expect(res.err).toBe(`error: ${folder} is a directory, not a file\n  Give the path of a file.`);
    }
  });

  it('--json prints an error document on stdout, with the same exit code', async () => {
    const unknown = await kotae(['ask', 'Is data encrypted?', '--product', 'nope', '--json']);
    expect(unknown.code).toBe(2);
    expect(ErrorDocument.parse(JSON.parse(unknown.out)).error).toMatchObject({ code: 'usage', exit: 2, message: 'unknown product "nope"' });
    expect(unknown.err).toMatch(/^error: unknown product "nope"/);

    const empty = await kotae(['answer', file('empty.csv', ''), '--product', 'kumori', '--json']);
    expect(empty.code).toBe(2);
    expect(ErrorDocument.parse(JSON.parse(empty.out)).error).toMatchObject({ code: 'usage', exit: 2 });

    const usage = await kotae(['review', 'list', '--bogus', '--json']);
    expect(usage.code).toBe(2);
    expect(ErrorDocument.parse(JSON.parse(usage.out)).error.code).toBe('usage');
  });

  it('review export of a job that does not exist is not found (exit 3)', async () => {
    const res = await kotae(['review', 'export', '--job', 'nope', '--out', join(made.root, 'r.xlsx'), '--json']);
    expect(res.code).toBe(3);
    expect(ErrorDocument.parse(JSON.parse(res.out)).error).toMatchObject({ code: 'not_found', exit: 3, message: 'job nope does not exist (no review belongs to it)' });
  });

  it('a question line without a product says so and that --product supplies it: exit 2, nothing asked', async () => {
    const jsonl = file('q.jsonl', '{"id":"a","product":"kumori","question":"操作ログの保管期間は?"}\n\n{"id":"b","question":"保管データは暗号化していますか?"}\n');
    const bad = await kotae(['ask', '--file', jsonl]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain(`${jsonl}:3: no "product" (give it on the line, or --product for every line without one)`);
    expect(bad.out).toBe('');
    const told = await kotae(['ask', '--file', jsonl, '--product', 'kumori', '--json']);
    expect(told.code).toBe(0);
    expect(told.out.split('\n').map((l) => z.object({ id: z.string(), product: z.string() }).parse(JSON.parse(l)))).toEqual([
      expect.objectContaining({ id: 'a', product: 'kumori' }),
      expect.objectContaining({ id: 'b', product: 'kumori' }),
    ]);
  });

  it('--approved-only does not call the rows the customer answered themselves "not drafted"', async () => {
    const csv = file('kept.csv', 'No,質問,回答\r\n1,保管データは暗号化していますか?,\r\n2,操作ログは保管していますか?,はい、当社の方針で保管しています。\r\n');
    expect((await kotae(['answer', csv, '--product', 'kumori', '--out', join(made.root, 'kept.filled.csv')])).code).toBe(0);
    const res = await kotae(['answer', csv, '--product', 'kumori', '--approved-only', '--out', join(made.root, 'kept.approved.csv')]);
    expect(res.code).toBe(0);
    expect(res.out).toContain('1 already answered in the file and kept');
    expect(res.out).toMatch(/left empty: kept!B2 \[1\] waiting for approval/);
    expect(res.out).not.toMatch(/not drafted/);
  });

  it('--approved-only with no approved answer still writes the file, and says plainly that no answers are in it', async () => {
    const csv = file('none-approved.csv', 'No,質問,回答\r\n1,保管データは暗号化していますか?,\r\n2,操作ログは保管していますか?,はい、当社の方針で保管しています。\r\n');
    expect((await kotae(['answer', csv, '--product', 'kumori', '--out', join(made.root, 'none-approved.filled.csv')])).code).toBe(0);
    const out = join(made.root, 'none-approved.approved.csv');
    const res = await kotae(['answer', csv, '--product', 'kumori', '--approved-only', '--out', out]);
    expect(res.code, res.err).toBe(0);
    expect(res.out).toContain(`wrote ${out}: no approved answers exist for this questionnaire yet, so no answers are written in it (it holds only the 1 the customer had answered); do not send it as answered`);
    expect(res.out).not.toContain('(approved answers only)');
    expect(readFileSync(out, 'utf8')).toContain('はい、当社の方針で保管しています。');
  });

  it('a question too long to draft is said to be one no run will draft, and --approved-only does not send the user to re-run', async () => {
    const long = `保管データの暗号化について詳しく説明してください。${'鍵の管理方法、ローテーションの周期、担当者の権限も含めてください。'.repeat(150)}`;
    const csv = file('long.csv', `No,質問,回答\r\n1,"${long}",\r\n`);
    const drafted = await kotae(['answer', csv, '--product', 'kumori', '--out', join(made.root, 'long.filled.csv')]);
    expect(drafted.out).toMatch(/note: 1 question\(s\) too long to answer automatically .*long!B2; no run will draft them: write their answers into the file by hand/);
    const res = await kotae(['answer', csv, '--product', 'kumori', '--approved-only', '--out', join(made.root, 'long.approved.csv')]);
    expect(res.code, res.err).toBe(0);
    expect(res.out).toMatch(/left empty: long!B2 \[1\] the question is too long to draft \([\d,]+ characters; the limit is 4,000\): write its answer into the file by hand/);
    expect(res.out).not.toMatch(/run kotae answer without --approved-only/);
  });

  it('--approved-only says what the writer changed (a Shift_JIS CSV saved as UTF-8), as the drafting run does', async () => {
    const path = join(made.root, 'sjis.csv');
    writeFileSync(path, iconv.encode('No,質問,回答\r\n1,保管データは暗号化していますか?,\r\n', 'cp932'));
    const drafted = await kotae(['answer', path, '--product', 'kumori', '--out', join(made.root, 'sjis.filled.csv'), '--json']);
    expect(drafted.code, drafted.err).toBe(0);
    const jobId = z.object({ jobId: z.string() }).parse(JSON.parse(drafted.out)).jobId;
    const listed = await kotae(['review', 'list', '--job', jobId, '--json']);
    const id = z.object({ items: z.array(z.object({ id: z.string() })) }).parse(JSON.parse(listed.out)).items[0]?.id ?? '';
    // é and ✓ have no Shift_JIS code: the approved file cannot keep the customer's encoding.
    expect((await kotae(['review', 'edit', id, '--as', 'U_SEC', '--text', 'はい、AES-256 で暗号化しています (café ✓)。', '--status', 'yes'])).code).toBe(0);
    const res = await kotae(['answer', path, '--product', 'kumori', '--approved-only', '--out', join(made.root, 'sjis.approved.csv')]);
    expect(res.code, res.err).toBe(0);
    expect(res.out).toMatch(/^ {2}note: the answered CSV is saved as UTF-8 \(with BOM\) instead of Shift_JIS/m);
  });

  it('when nothing could be written, the notes come with the error (a status-only CSV has no place for text)', async () => {
    const csv = file('status-only.csv', 'No,確認項目,対応状況\r\n1,社員食堂の定番メニューは何ですか,\r\n');
    const res = await kotae(['answer', csv, '--product', 'kumori', '--out', join(made.root, 'status-only.filled.csv')]);
    expect(res.code).toBe(1);
    expect(res.err).toMatch(/^error: nothing was written into status-only\.csv/m);
    expect(res.err).toMatch(/^ {2}note: 1 row\(s\) not marked in the file, needing review/m);
  });

  it('a file that is no spreadsheet is refused in terminal words: save it and try again, never "upload"', async () => {
    const res = await kotae(['answer', file('scan.xlsx', '%PDF-1.7\n'), '--product', 'kumori']);
    expect(res.code).toBe(2);
    expect(res.err).toBe('error: scan.xlsx: this is a PDF, not a spreadsheet\n  Save the questionnaire as .xlsx or .csv and try again.');
  });

  it('a file without a question column names the skipped sheet once', async () => {
    const res = await kotae(['answer', file('noq.csv', 'Name,Price\r\napple,100\r\n'), '--product', 'kumori']);
    expect(res.code).toBe(2);
    expect(res.err.match(/Sheet "noq": skipped/g)).toHaveLength(1);
  });

  it('with no user to record as the asker, commands that queue drafts refuse (exit 2); --no-enqueue and --approved-only still run', async () => {
    const nobody = { KOTAE_CLI_USER: '', USER: '' };
    const ask = await kotae(['ask', '保管データは暗号化していますか?', '--product', 'kumori'], nobody);
    expect(ask.code).toBe(2);
    expect(ask.err).toMatch(/^error: who is asking is unknown: KOTAE_CLI_USER and USER are both empty\n {2}Set KOTAE_CLI_USER/);
    const nobodyCsv = file('nobody.csv', 'No,質問,回答\r\n1,保管データは暗号化していますか?,\r\n');
    const answer = await kotae(['answer', nobodyCsv, '--product', 'kumori'], nobody);
    expect(answer.code).toBe(2);
    expect(answer.err).toContain('who is asking is unknown');
    // The file for the customer drafts nothing, so it records no asker and needs none.
    const approvedOnly = await kotae(['answer', nobodyCsv, '--product', 'kumori', '--approved-only', '--out', join(made.root, 'nobody.approved.csv')], nobody);
    expect(approvedOnly.code, approvedOnly.err).toBe(0);
    expect(approvedOnly.out).toContain('left empty: nobody!B2'); // the question cell
    const declared = await kotae(['ask', '保管データは暗号化していますか?', '--product', 'kumori', '--as', 'U_ME', '--json'], nobody);
    expect(declared.code).toBe(0);
    const unqueued = await kotae(['ask', '保管データは暗号化していますか?', '--product', 'kumori', '--no-enqueue', '--json'], nobody);
    expect(unqueued.code).toBe(0);
    expect(z.object({ reviewId: z.null() }).parse(JSON.parse(unqueued.out)).reviewId).toBeNull();
  });

  it('Ctrl-C during kotae answer says it was interrupted and how to resume (exit 130)', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => `${i + 1},保管データ${i}は暗号化していますか?,`);
    const csv = file('big.csv', `No,質問,回答\r\n${rows.join('\r\n')}\r\n`);
    const out = join(made.root, 'big.filled.csv');
    const child = spawn(process.execPath, [BIN, 'answer', csv, '--product', 'kumori', '--out', out], { env: { ...process.env, ...env }, cwd: made.root });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      // Interrupted once drafting has started (the first progress line).
      if (/answering: \d+\/3000/.test(stderr) && child.exitCode === null && !child.killed) child.kill('SIGINT');
    });
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(status).toBe(130);
    expect(stderr).toMatch(/interrupted: kotae answer stopped \(Ctrl-C\); the rows already drafted are saved\n {2}Run the same command again to resume where it stopped\.\n$/);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(() => readFileSync(out)).toThrow();
  }, 120_000);
});
