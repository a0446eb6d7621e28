/**
 * `npx tsx scripts/review/library-lookup.ts [sizes…]`: what the similar-approval lookup
 * (./similar-lookup.ts) costs a fresh ask as a product's answer library grows. It reads every
 * standing approval of the product on every ask (one query, then one comparison per approval,
 * each approval's reading cached by its text); ./THRESHOLDS.md records up to which library size
 * that is fine, so that an index by concept is built when it is needed and not before.
 *
 * Approvals here are the shared corpus's row requirements (question-like statements, many
 * ideas each: no cheaper to compare than a customer's question), each made distinct so that
 * every one is read and cached as a real library's would be; the workflow store is a real
 * SQLite file with the real migrations. Prints timings only.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseDocument } from '../../src/corpus/index.js';
import { loadManifest } from '../../src/corpus/manifest.js';
import { loadLexicon } from '../../src/retrieve/lexicon.js';
import { openDatabase } from '../../src/store/open.js';
import { similarApproval } from '../../src/review/similar-lookup.js';

const sizes = process.argv.slice(2).map(Number).filter((n) => Number.isInteger(n) && n > 0);
const corpusDir = join(process.cwd(), '..', 'shared', 'corpus');
const requirements: string[] = [];
for (const entry of await loadManifest(corpusDir)) {
  for (const p of await parseDocument(entry, readFileSync(join(corpusDir, entry.file)))) if (p.requirement.trim() !== '') requirements.push(p.requirement);
}
// Asks: requirements of every seventh row, so some resemble an approval and most do not.
const asks = requirements.filter((_, i) => i % 7 === 3).slice(0, 40);
const lexicon = loadLexicon();
const now = new Date().toISOString();

const lines = ['| approvals | first ask (reads every approval) ms | later asks p50 ms | p95 ms |', '|---|---|---|---|'];
for (const size of sizes.length > 0 ? sizes : [100, 1000, 3000, 10000]) {
  const dir = mkdtempSync(join(tmpdir(), 'kotae-library-lookup-'));
  const db = await openDatabase({ dataDir: dir, databaseUrl: undefined });
  try {
    await db.transaction(async (tx) => {
      for (let i = 0; i < size; i++) {
        // A distinct text per approval: the lookup caches readings by text.
        const question = `${requirements[i % requirements.length] ?? ''}${i >= requirements.length ? ` (${'追加'.repeat(1 + Math.floor(i / requirements.length))})` : ''}`;
        await tx.run(
          "INSERT INTO reviews (product, question, state, version, answer, status, draft_json, abstained, corpus_version, created_at, updated_at, updated_by, approved_by, approved_at) VALUES ('p', ?, 'approved', 1, 'yes', 'yes', '{}', 0, 1, ?, ?, 'U', 'U', ?)",
          [question, now, now, now],
        );
      }
    });
    const first = performance.now();
    await similarApproval(db, lexicon, 'p', asks[0] ?? '');
    const cold = performance.now() - first;
    const times: number[] = [];
    for (const q of asks) {
      const t = performance.now();
      await similarApproval(db, lexicon, 'p', q);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const at = (p: number): string => (times[Math.min(times.length - 1, Math.floor(p * times.length))] ?? 0).toFixed(1);
    lines.push(`| ${size} | ${cold.toFixed(0)} | ${at(0.5)} | ${at(0.95)} |`);
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
process.stdout.write(`${lines.join('\n')}\n`);
