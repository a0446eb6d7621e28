import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAnswer } from '../../src/cli/answer.js';
import { fakeAnswerer } from '../support/fake-answerer.js';
import { EVAL, FIXTURES, loadWorkbook, tempDir, testConfig, valueText, withFakeCore, xlsx } from './helpers.js';

async function cli(args: string[], dir: string, interactive = false) {
  const out: string[] = [];
  const err: string[] = [];
  const config = testConfig(join(dir, 'data'));
  const code = await withFakeCore(config, fakeAnswerer(), (questionnaires) => runAnswer(args, { config, questionnaires, out: (s) => out.push(s), err: (s) => err.push(s), interactive }));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('kotae answer', () => {
  it('writes <name>.filled.xlsx next to the input, with progress lines and a summary', async () => {
    const dir = tempDir();
    const input = join(dir, 'customer.xlsx');
    copyFileSync(join(EVAL, 'questionnaire-ja.xlsx'), input);
    const { code, out, err } = await cli([input, '--product', 'krew'], dir);
    expect(code).toBe(0);
    const filled = join(dir, 'customer.filled.xlsx');
    expect(out).toContain(`wrote ${filled}`);
    expect(out).toMatch(/30 questions: \d+ answered, \d+ abstained, \d+ need review/);
    expect(err).toMatch(/answering: 30\/30 done \(answered \d+, abstained \d+, needs review \d+\)/);
    expect(err).toContain('sheet "質問票": 30 questions');
    const wb = await loadWorkbook(readFileSync(filled));
    expect(valueText(wb.getWorksheet('質問票')?.getCell('E5').value ?? null)).not.toBe('');
    expect(readFileSync(input).equals(readFileSync(join(EVAL, 'questionnaire-ja.xlsx')))).toBe(true); // original untouched
  });

  it('gives each of two tables stacked in one sheet its own summary line, naming its rows', async () => {
    const dir = tempDir();
    const input = join(dir, 'stacked.xlsx');
    const bytes = await xlsx((wb) => {
      const ws = wb.addWorksheet('Checks');
      ws.getRow(1).values = ['No.', 'Question', 'Answer', 'Notes'];
      ws.getRow(2).values = ['1', 'Do you encrypt data at rest?', '', ''];
      ws.getRow(3).values = ['2', 'Do you keep audit logs?', '', ''];
      ws.getRow(5).values = ['Additional checks'];
      ws.getRow(6).values = ['Answer', 'Notes', 'No.', 'Question'];
      ws.getRow(7).values = ['', '', 'B-1', 'Do you back up customer data daily?'];
      ws.getRow(8).values = ['', '', 'B-2', 'Do you test restores every year?'];
      ws.getRow(9).values = ['', '', 'B-3', 'Do you rotate administrator passwords?'];
    });
    writeFileSync(input, bytes);
    const { code, out } = await cli([input, '--product', 'krew'], dir);
    expect(code).toBe(0);
    expect(out).toMatch(/^ {2}sheet "Checks" rows 1–3: 2 questions, /m);
    expect(out).toMatch(/^ {2}sheet "Checks" rows 6–9: 3 questions, /m);
  });

  it('prints the summary and layout as JSON; a second run is resumed from the checkpoint', async () => {
    const dir = tempDir();
    const input = join(dir, 'q.csv');
    copyFileSync(join(FIXTURES, 'questionnaire-bom.csv'), input);
    const first = await cli([input, '--product', 'krew', '--json', '--out', join(dir, 'a.csv')], dir);
    expect(first.code).toBe(0);
    const json = JSON.parse(first.out) as { summary: { questions: number; kept: number; resumed: number }; layout: { sheets: Array<{ columns: Record<string, string | null> }> }; output: string };
    expect(json.summary).toMatchObject({ questions: 3, kept: 1, resumed: 0 });
    expect(json.layout.sheets[0]?.columns).toMatchObject({ question: 'B', answer: 'C', comment: 'D', ref: 'A' });
    const again = JSON.parse((await cli([input, '--product', 'krew', '--json', '--out', join(dir, 'b.csv')], dir)).out) as { summary: { resumed: number; previousRun: string } };
    expect(again.summary).toMatchObject({ resumed: 2, previousRun: 'finished' });
    expect(readFileSync(join(dir, 'a.csv')).equals(readFileSync(join(dir, 'b.csv')))).toBe(true);
    // The earlier run completed: its drafts are reused, nothing was "interrupted".
    const text = await cli([input, '--product', 'krew', '--out', join(dir, 'c.csv')], dir);
    expect(text.out).toContain('2 drafts reused from the previous run (--fresh drafts them again)');
    expect(text.out).not.toMatch(/interrupted/);
  });

  it('prints its layout guess when unsure and follows --question-col / --answer-col', async () => {
    const dir = tempDir();
    const input = join(dir, 'odd.csv');
    writeFileSync(input, 'Ref,Requirement,,Notes\nR1,Backups are encrypted.,,\nR2,Restores are tested yearly.,,\n');
    const guessed = await cli([input, '--product', 'krew'], dir);
    expect(guessed.code).toBe(0);
    expect(guessed.err).toMatch(/layout guess \(confidence 0\.\d+\)/);
    expect(guessed.err).toMatch(/no answer column header found; answers go to the empty column C/);
    const told = await cli([input, '--product', 'krew', '--question-col', 'B', '--answer-col', 'C', '--out', join(dir, 'told.csv')], dir);
    expect(told.err).not.toMatch(/layout guess/);
  });

  it('refuses bad invocations with exit code 2 and a hint', async () => {
    const dir = tempDir();
    const input = join(dir, 'customer.xlsx');
    copyFileSync(join(EVAL, 'questionnaire-ja.xlsx'), input);
    expect((await cli([input], dir)).err).toMatch(/--product is required/);
    const same = await cli([input, '--product', 'krew', '--out', input], dir);
    expect(same).toMatchObject({ code: 2 });
    expect(same.err).toMatch(/never overwrites the customer's original/);
    expect((await cli([input, '--product', 'Bad Key'], dir)).code).toBe(2);
    expect((await cli([input, '--product', 'krew', '--bogus'], dir)).code).toBe(2);
    expect((await cli([join(dir, 'missing.xlsx'), '--product', 'krew'], dir)).err).toMatch(/missing\.xlsx: no such file/);
    const renamed = join(dir, 'renamed.xlsx');
    copyFileSync(join(FIXTURES, 'questionnaire-sjis.csv'), renamed);
    const r = await cli([renamed, '--product', 'krew'], dir);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/renamed \.xlsx\n {2}Rename it to \.csv/);
    expect(existsSync(join(dir, 'renamed.filled.xlsx'))).toBe(false);
    expect((await cli(['--help'], dir)).out).toMatch(/usage: kotae answer/);
  });

  it('checks --out before drafting anything: a directory or a missing folder is refused at once', async () => {
    const dir = tempDir();
    const input = join(dir, 'customer.xlsx');
    copyFileSync(join(EVAL, 'questionnaire-ja.xlsx'), input);
    const asked: string[] = [];
    const run = async (out: string) => {
      const err: string[] = [];
      const config = testConfig(join(dir, 'data'));
      const answer = async (q: string, p: string) => (asked.push(q), fakeAnswerer()(q, p));
      const code = await withFakeCore(config, answer, (questionnaires) =>
        runAnswer([input, '--product', 'krew', '--out', out], { config, questionnaires, out: () => undefined, err: (s) => err.push(s), interactive: false }),
      );
      return { code, err: err.join('\n') };
    };
    const folder = await run(dir);
    expect(folder).toMatchObject({ code: 2 });
    expect(folder.err).toMatch(/is a directory/);
    const missing = await run(join(dir, 'nowhere', 'out.xlsx'));
    expect(missing).toMatchObject({ code: 2 });
    expect(missing.err).toMatch(/does not exist/);
    expect(asked).toEqual([]);
  });
});

describe('kotae answer on several sheets, and when nothing is written', () => {
  it('--sheet twice answers both sheets and prints what was written per sheet', async () => {
    const dir = tempDir();
    const input = join(dir, 'hecvat.xlsx');
    copyFileSync(join(FIXTURES, 'layout-hecvat.xlsx'), input);
    const { code, out } = await cli([input, '--product', 'krew', '--sheet', 'Organization', '--sheet', 'Product'], dir);
    expect(code).toBe(0);
    expect(out).toMatch(/sheet "Organization": 9 questions, 7 rows written \(\d+ with a status, \d+ with text\), \d+ need review/);
    expect(out).toMatch(/sheet "Product": 5 questions, 5 rows written/);
    const json = JSON.parse((await cli([input, '--product', 'krew', '--sheet', 'Product', '--json', '--out', join(dir, 'p.xlsx')], dir)).out) as {
      summary: { sheets: string[]; perSheet: Array<{ sheet: string; rowsWritten: number }> };
    };
    expect(json.summary.sheets).toEqual(['Product']);
    expect(json.summary.perSheet).toEqual([expect.objectContaining({ sheet: 'Product', rowsWritten: 5 })]);
  });

  it('a run that writes nothing says so, writes no file and exits 1', async () => {
    const dir = tempDir();
    const input = join(dir, 'done.csv');
    writeFileSync(input, 'No,Question,Answer\n1,Do you encrypt backups?,Yes\n2,Do you log admin access?,No\n');
    const r = await cli([input, '--product', 'krew'], dir);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/nothing was written into done\.csv \(2 questions, 2 already answered and kept\); no output file/);
    expect(r.err).toMatch(/\n {2}Every question row\(s\) already hold an answer in the file: --overwrite drafts them again\./);
    expect(existsSync(join(dir, 'done.filled.csv'))).toBe(false);
    // --json: the error document every command prints for an error, not a summary.
    const json = await cli([input, '--product', 'krew', '--json'], dir);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out)).toEqual({
      error: { code: 'failed', exit: 1, message: expect.stringMatching(/^nothing was written into done\.csv/), hint: expect.stringMatching(/--overwrite/) },
    });
  });

  it('lists every row needing review that the file cannot show (only a status column)', async () => {
    const dir = tempDir();
    const input = join(dir, 'ipa.xlsx');
    copyFileSync(join(FIXTURES, 'layout-ipa.xlsx'), input);
    const r = await cli([input, '--product', 'krew'], dir);
    expect(r.code).toBe(0);
    const silent = r.out.split('\n').filter((l) => l.includes('(not marked in the file)'));
    expect(silent.length).toBeGreaterThan(0);
    expect(r.out).toMatch(/セキュリティ実装チェックリスト!E9 \[2\]/); // the question cell, as the review queue names the row
  });
});
