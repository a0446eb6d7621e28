/**
 * `npm run eval [-- --file set.jsonl --drafter extractive|openai --out EVAL.md --verbose]`
 *
 * Ingests the corpus into a fresh temporary store (so results never depend on local
 * state), answers every question through the same pipeline as `kotae ask`, and writes the
 * metrics to EVAL.md.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir, cpus } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, type Config } from '../src/config.js';
import { createApp, runIngest } from '../src/app.js';
import { searchText } from '../src/store/schema.js';
import { loadEvalSet } from '../src/eval/dataset.js';
import { breakdown, summarise, recallAt, type ItemOutcome, type RowRef, type Summary } from '../src/eval/metrics.js';
import { createLogger } from '../src/log.js';

const { values } = parseArgs({
  options: {
    file: { type: 'string', default: 'test/eval/dev.jsonl' },
    drafter: { type: 'string', default: 'extractive' },
    out: { type: 'string', default: 'EVAL.md' },
    'data-dir': { type: 'string' },
    verbose: { type: 'boolean', default: false },
  },
});

const drafter = values.drafter;
if (drafter !== 'extractive' && drafter !== 'openai' && drafter !== 'auto') {
  throw new Error(`--drafter must be extractive, openai or auto, not "${drafter}"`);
}

const tempDir = values['data-dir'] ? null : mkdtempSync(join(tmpdir(), 'kotae-eval-'));
const base = loadConfig({ ...process.env, KOTAE_DRAFTER: drafter, KOTAE_LOG_LEVEL: process.env.KOTAE_LOG_LEVEL ?? 'warn' });
const config: Config = { ...base, dataDir: values['data-dir'] ?? tempDir ?? base.dataDir };
const logger = createLogger('warn');

try {
  if (tempDir) {
    const report = await runIngest(config, { logger });
    if (report.failed > 0) throw new Error(`ingest failed for ${report.failed} file(s)`);
  }
  const items = await loadEvalSet(values.file);
  const app = await createApp(config, { logger });
  const corpusLines = new Map<string, string[]>();
  const lineOf = (file: string, line: number | null): string => {
    if (line === null) return '';
    if (!corpusLines.has(file)) corpusLines.set(file, readFileSync(join(config.corpusDir, file), 'utf8').split('\n'));
    return corpusLines.get(file)?.[line - 1] ?? '';
  };

  const outcomes: ItemOutcome[] = [];
  const latencies: number[] = [];
  for (const item of items) {
    const started = performance.now();
    const { draft, ranked } = await app.ask(item.question, item.product);
    latencies.push(performance.now() - started);
    const ref = (p: { source: string; line: number | null; text: string }): RowRef => ({ file: p.source, text: `${lineOf(p.source, p.line)}\n${p.text}` });
    const retrieved = ranked.slice(0, 10).map((h) => ref({ source: h.passage.source, line: h.passage.line, text: searchText(h.passage) }));
    const byId = new Map(ranked.map((h) => [h.passage.id, h.passage]));
    const cited = draft.citations.map((c) => ref({ source: c.source, line: byId.get(c.id)?.line ?? null, text: c.text }));
    const outcome: ItemOutcome = { item, retrieved, cited, abstained: draft.abstained, status: draft.status };
    outcomes.push(outcome);
    if (values.verbose) {
      const r5 = item.answerable ? recallAt(outcome, retrieved, 5).toFixed(2) : '-';
      const flag = item.answerable === draft.abstained || (item.answerable && r5 !== '1.00') || (item.answerable && draft.status !== item.status) ? '✗' : ' ';
      process.stderr.write(
        `${flag} ${item.id} ${item.kind.padEnd(12)} R@5 ${r5} abst ${draft.abstained ? 'Y' : 'n'} conf ${draft.confidence.toFixed(2)} ` +
          `status ${draft.status}/${item.status ?? '-'} top ${ranked[0]?.passage.locator ?? '-'} exp ${item.expected.map((e) => `L${e.line}`).join(',')} | ${item.question.slice(0, 60)}\n`,
      );
    }
  }
  app.close();

  const pct = (x: number | null): string => (x === null ? '–' : x.toFixed(2));
  const row = (label: string, s: Summary): string =>
    `| ${label} | ${s.n} | ${pct(s.recall1)} | ${pct(s.recall5)} | ${pct(s.hit5)} | ${pct(s.citedRecall)} | ${pct(s.citationPrecision)} | ${pct(s.abstention)} | ${pct(s.falseAbstention)} | ${pct(s.statusAccuracy)} |`;
  const header =
    '| slice | n | R@1 | R@5 | hit@5 | cited recall | citation precision | abstained (unanswerable) | false abstention | status accuracy |\n|---|---|---|---|---|---|---|---|---|---|';
  const table = (title: string, groups: Map<string, Summary>): string =>
    `### By ${title}\n\n${header}\n${[...groups.entries()].map(([k, s]) => row(k, s)).join('\n')}\n`;
  const overall = summarise(outcomes);
  const sorted = [...latencies].sort((a, b) => a - b);
  const p50 = sorted[Math.floor(sorted.length * 0.5)] ?? 0;
  const dataset = readFileSync(values.file);
  const md = `# Evaluation

Measured by \`npm run eval${values.file === 'test/eval/dev.jsonl' ? '' : ` -- --file ${values.file}`}${drafter === 'extractive' ? '' : ` --drafter ${drafter}`}\` on ${new Date().toISOString().slice(0, 10)}
(${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}). Drafter: **${app.drafter.name}**; embeddings: **${app.embedder.id}**.
Dataset: \`${relative(process.cwd(), values.file)}\` (${items.length} items, sha256 ${createHash('sha256').update(dataset).digest('hex').slice(0, 12)}), scored as its README defines:
a row matches when its normalised text contains the normalised needle. R@k uses the ranked retrieval; *cited recall* and
*citation precision* use the citations the answer actually shows. Ask latency p50 ${p50.toFixed(0)} ms (warm, in-process).

## Overall

${header}
${row('all', overall)}

${table('kind', breakdown(outcomes, (o) => o.item.kind))}
${table('language', breakdown(outcomes, (o) => o.item.lang))}
${table('product', breakdown(outcomes, (o) => o.item.product))}`;
  writeFileSync(values.out, md);
  process.stdout.write(`${row('all', overall)}\nwritten to ${values.out}\n`);
} finally {
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
}
