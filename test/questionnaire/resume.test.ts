/**
 * `kill -9` in the middle of `kotae answer`, then the same command again: rows finished
 * before the kill are not answered again, and the output is complete. Real processes,
 * real SQLite file, real signal.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeSyntheticQuestionnaire, syntheticQuestion } from '../../src/questionnaire/synthetic.js';
import { loadWorkbook, ROOT, tempDir, valueText } from './helpers.js';

const CHILD = join(ROOT, 'test', 'questionnaire', 'resume-child.ts');
const ROWS = 24;

function start(args: string[]): { child: ChildProcess; stderr: () => string; stdout: () => string; exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  let out = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, stderr: () => err, stdout: () => out, exit };
}

const lines = (path: string): string[] => (existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean) : []);

describe('resuming after kill -9', () => {
  it('does not answer finished rows again and completes the output', async () => {
    const dir = tempDir();
    const input = join(dir, 'customer.xlsx');
    const out = join(dir, 'customer.filled.xlsx');
    const log = join(dir, 'answered.log');
    const dataDir = join(dir, 'data');
    writeFileSync(input, await makeSyntheticQuestionnaire({ rows: ROWS, lang: 'en', sectionEvery: 8 }));
    const args = [input, out, dataDir, log, '120'];

    // First run: killed once progress shows several rows done (progress lines are printed
    // after the rows they count were committed to the checkpoint).
    const first = start(args);
    const deadline = Date.now() + 30_000;
    while (!/answering: ([6-9]|1\d)\/24 done/.test(first.stderr())) {
      if (Date.now() > deadline) throw new Error(`child made no progress: ${first.stderr()}`);
      const exited = await Promise.race([first.exit.then(() => true), new Promise((r) => setTimeout(() => r(false), 25))]);
      if (exited) throw new Error(`child exited early: ${first.stderr()}`);
    }
    first.child.kill('SIGKILL');
    expect((await first.exit).signal).toBe('SIGKILL');
    const before = lines(log);
    expect(before.length).toBeGreaterThanOrEqual(6);
    expect(before.length).toBeLessThan(ROWS);
    expect(existsSync(out)).toBe(false); // the output is only written, atomically, at the end

    // Same command again.
    const second = start(args);
    const result = await second.exit;
    expect(result.code, second.stderr()).toBe(0);
    expect(second.stdout()).toMatch(/resumed from an interrupted run/);

    const all = lines(log);
    expect(new Set(all).size).toBe(all.length); // no question answered twice
    expect(new Set(all)).toEqual(new Set(Array.from({ length: ROWS }, (_, i) => syntheticQuestion(i + 1, 'en'))));

    const wb = await loadWorkbook(readFileSync(out));
    const ws = wb.getWorksheet('Questionnaire');
    let filled = 0;
    ws?.eachRow((row, r) => {
      if (r <= 3 || typeof row.getCell(1).value !== 'number') return;
      // Every question row has a status or a comment (abstained rows: comment only).
      if (valueText(row.getCell(4).value) !== '' || valueText(row.getCell(5).value) !== '') filled++;
    });
    expect(filled).toBe(ROWS);
  }, 60_000);
});
