/**
 * Benchmark section for the command line: start-up of the real executable (what a person
 * typing `kotae --help` or a script looping over `kotae review list` waits for), and a
 * review workbook import of 300 decisions through the real queue and answer library.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { createApp } from '../../src/app.js';
import { limitsFromConfig } from '../../src/spreadsheet/safety.js';
import { buildReviewWorkbook, importReviewWorkbook } from '../../src/review/workbook.js';
import type { BenchSection } from './sections.js';

const RUNS = 7;
const DECISIONS = 300;

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function timeCommand(args: string[], env: NodeJS.ProcessEnv): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const res = spawnSync(process.execPath, [join(process.cwd(), 'bin', 'kotae.js'), ...args], { env, stdio: 'ignore' });
    if (res.status !== 0) throw new Error(`kotae ${args.join(' ')} exited ${res.status}`);
    times.push(performance.now() - started);
  }
  return median(times);
}

/** Whether bin/kotae.js will run dist/ (it does when dist/ is at least as new as every source file). */
function compiledIsFresh(): boolean {
  const built = join(process.cwd(), 'dist', 'cli', 'main.js');
  if (!existsSync(built)) return false;
  const newest = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce((m, e) => Math.max(m, e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs), 0);
  return statSync(built).mtimeMs >= newest(join(process.cwd(), 'src'));
}

export const cliSection: BenchSection = async ({ config, logger, emit }) => {
  emit('## Command line\n');
  const env = { ...process.env, KOTAE_DATA_DIR: config.dataDir, KOTAE_CORPUS_DIR: config.corpusDir };
  const mode = compiledIsFresh() ? 'compiled (dist/, `npm run build`)' : 'from the TypeScript sources (tsx: dist/ is missing or older than src/; `npm run build` for the compiled start-up)';
  emit(`Start-up of \`bin/kotae.js\`, ${mode}, median of ${RUNS} runs, a new process each:\n`);
  emit('| command | wall time |\n|---|---|');
  emit(`| \`kotae --help\` | ${timeCommand(['--help'], env).toFixed(0)} ms |`);
  emit(`| \`kotae review list\` | ${timeCommand(['review', 'list'], env).toFixed(0)} ms |`);

  const app = await createApp({ ...config, review: { ...config.review, approvers: ['UBENCH'] } }, { logger });
  try {
    const jobId = 'bench-review-import';
    for (let i = 0; i < DECISIONS; i++) {
      await app.reviews.enqueue(
        {
          question: `Bench question ${i}: are backups encrypted?`,
          product: 'krew',
          lang: 'en',
          draft: `Yes (${i}).`,
          status: 'yes',
          confidence: 0.9,
          abstained: false,
          needsHuman: false,
          reason: 'bench',
          citations: [],
          drafter: 'extractive',
          fallback: null,
          corpusVersion: 0,
        },
        { askedBy: 'bench', jobId, rowKey: `q-${i}`, location: `質問票!C${i + 3}` },
      );
    }
    const { bytes } = await buildReviewWorkbook(app.db, { jobId });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('Review');
    if (!ws) throw new Error('the review workbook has no Review sheet');
    // The reviewer's columns, found by their headers as a person finds them (their places move
    // when the sheet gains a column: fixed numbers once put the reasons in the status column,
    // so every row was refused and the import measured nothing).
    const column = (header: string): number => {
      let found = 0;
      ws.getRow(1).eachCell((cell, n) => {
        if (String(cell.value ?? '').includes(header)) found = n;
      });
      if (found === 0) throw new Error(`the review workbook has no column "${header}"`);
      return found;
    };
    const [decision, edited, status, reason] = ['Decision', 'Edited answer', 'Status', 'Reason'].map(column) as [number, number, number, number];
    ws.eachRow((row, n) => {
      if (n === 1) return;
      const kind = n % 3;
      row.getCell(decision).value = kind === 0 ? '承認' : kind === 1 ? '編集' : '却下';
      if (kind === 1) {
        row.getCell(edited).value = `Edited in Excel (${n}).`;
        row.getCell(status).value = 'はい';
      }
      if (kind === 2) row.getCell(reason).value = 'not offered';
    });
    const filled = Buffer.from(await wb.xlsx.writeBuffer());
    const started = performance.now();
    const report = await importReviewWorkbook(app.reviews, { bytes: filled, fileName: 'review.xlsx' }, { as: 'UBENCH', limits: limitsFromConfig(config) });
    const ms = performance.now() - started;
    if (report.invalid.length > 0 || report.applied.length !== DECISIONS) {
      throw new Error(`review workbook import applied ${report.applied.length} of ${DECISIONS} decisions: ${report.invalid.slice(0, 3).map((i) => `line ${i.line}: ${i.error}`).join('; ')}`);
    }
    emit(`\nReview workbook import: ${report.applied.length} decisions (approve / edit / reject) in one transaction, including reading the xlsx and one answer-library write: ${(ms / 1000).toFixed(2)} s (target ≤ 5 s).\n`);
  } finally {
    app.close();
  }
};
