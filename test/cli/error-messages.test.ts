/**
 * Errors a new user met (trial, session 8), said as every kotae error is: one line with what
 * to do, the exit code from the one table, and with --json the {error} document. A data
 * folder that is a file or does not exist, a review workbook that is some other file, a
 * column letter past the sheet's last one, Ctrl-C on a --fresh run, and a Japanese reviewer
 * typing いいえ. Each runs as the user runs it (main, in this process) on files made here.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAnswer } from '../../src/cli/answer.js';
import { InterruptedError } from '../../src/cli/exit.js';
import { loadConfig } from '../../src/config.js';
import { resolveColumn } from '../../src/spreadsheet/layout.js';
import { emptySheet } from '../../src/spreadsheet/grid.js';
import { runCliInProcess } from '../support/cli.js';
import { reviewDatabase } from './fixtures/kotae-env.js';

const folder = (): string => mkdtempSync(join(tmpdir(), 'kotae-errors-'));
// The embedded database: these are about its folder (a PostgreSQL URL has none).
const sqliteEnv = (dataDir: string) => ({ KOTAE_DATA_DIR: dataDir, KOTAE_DATABASE_URL: undefined, KOTAE_APPROVERS: 'U_SEC', KOTAE_LOG_LEVEL: 'silent' });

describe('the data folder', () => {
  it('a file given as KOTAE_DATA_DIR: one line naming the setting, exit 2, no stack trace', async () => {
    const file = join(folder(), 'not-a-folder');
    writeFileSync(file, 'x');
    const res = await runCliInProcess(['review', 'list'], sqliteEnv(file));
    expect(res.code).toBe(2);
    expect(res.err).toMatch(new RegExp(`^error: KOTAE_DATA_DIR: ${file} is a file, not a folder`));
    expect(res.err).not.toMatch(/EEXIST|\bat \S+:\d+/);
  });

  it('ask, answer and review all name KOTAE_DATA_DIR and the path when it is a file or a folder under a file', async () => {
    const file = join(folder(), 'not-a-folder');
    writeFileSync(file, 'x');
    const sheet = join(folder(), 'questions.csv');
    writeFileSync(sheet, 'Question,Answer\nDo you rotate keys?,\n');
    for (const [dataDir, problem] of [
      [file, `${file} is a file, not a folder`],
      [join(file, 'data'), `${join(file, 'data')} is inside ${file}, which is a file, not a folder`],
    ] as const) {
      for (const argv of [['ask', 'Do you rotate keys?', '--product', 'acme'], ['answer', sheet, '--product', 'acme'], ['review', 'list']]) {
        const res = await runCliInProcess(argv, sqliteEnv(dataDir));
        expect({ argv, code: res.code, first: res.err.split('\n')[0] }).toEqual({ argv, code: 2, first: `error: KOTAE_DATA_DIR: ${problem} (kotae keeps its data in a folder: point the setting at one, or at a new path it can create)` });
        expect(res.err).not.toMatch(/not a directory|ENOTDIR|EEXIST|\bat \S+:\d+/);
      }
    }
  });

  it('a folder with no kotae data: review list says so (exit 3) and creates nothing', async () => {
    const missing = join(folder(), 'nothing-here');
    const res = await runCliInProcess(['review', 'list', '--json'], sqliteEnv(missing));
    expect(res.code).toBe(3);
    expect(JSON.parse(res.out)).toMatchObject({ error: { code: 'not_found', message: `no kotae data under ${missing}` } });
    expect(existsSync(missing)).toBe(false);
  });
});

describe('review import of a file that is not a review workbook', () => {
  it('is told what the file is, as kotae answer tells it, with where a review workbook comes from (exit 2)', async () => {
    const { env } = await reviewDatabase();
    const dir = folder();
    const files: Array<[string, string | Buffer, RegExp]> = [
      ['decisions.csv', 'id,decision\n1,approve\n', /decisions\.csv: this is a CSV\/text file, not a review workbook/],
      ['scan.xlsx', '%PDF-1.7\n', /scan\.xlsx: this is a PDF, not a spreadsheet/],
      ['old.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), /old\.xls: legacy \.xls workbooks are not supported/],
      ['empty.xlsx', '', /empty\.xlsx is empty/],
      ['export.xlsx', '{"reviews": [1, 2]}', /export\.xlsx: this is a JSON file, not a spreadsheet/],
    ];
    for (const [name, content, message] of files) {
      const path = join(dir, name);
      writeFileSync(path, content);
      const res = await runCliInProcess(['review', 'import', path, '--as', 'U_SEC'], env);
      expect(res.code, name).toBe(2);
      expect(res.err, name).toMatch(message);
      expect(res.err, name).toMatch(/kotae review export --job ID/);
      expect(res.err, name).not.toMatch(/truncated or damaged|questionnaire/);
    }
  });
});

describe('column letters', () => {
  it('--answer-col ZZZ is named as given, past the last column XFD', () => {
    expect(() => resolveColumn(emptySheet('S'), null, 'ZZZ', '--answer-col')).toThrow(/^--answer-col ZZZ is past the last column of a sheet \(XFD\)$/);
  });
});

describe('Ctrl-C', () => {
  it('on a --fresh run says to run it again without --fresh to resume', async () => {
    const dir = folder();
    const config = loadConfig({ KOTAE_DATA_DIR: dir, KOTAE_CLI_USER: 'U_TESTER' }, dir);
    const stop = new AbortController();
    stop.abort(new InterruptedError('answering stopped (Ctrl-C); the rows already drafted are saved'));
    const err: string[] = [];
    const deps = { config, questionnaires: {} as never, out: () => undefined, err: (s: string) => err.push(s), signal: stop.signal, interactive: false };
    expect(await runAnswer([join(dir, 'q.csv'), '--product', 'krew', '--fresh'], deps)).toBe(130);
    expect(err.join('\n')).toMatch(/Run the same command without --fresh to resume where it stopped/);
    err.length = 0;
    expect(await runAnswer([join(dir, 'q.csv'), '--product', 'krew'], deps)).toBe(130);
    expect(err.join('\n')).toMatch(/Run the same command again to resume where it stopped/);
  });
});
