/**
 * `npx tsx scripts/review/thresholds.ts [eval dir]`: how the two question tests that review
 * decisions travel by separate the labelled pool's questions (./THRESHOLDS.md records the output
 * and what it says). The similar-approval hint names an approval at SIMILAR (0.6); a rejection,
 * like the answer library's reuse, reaches a question at SAME_QUESTION (0.8) of the strict rule.
 * Neither was fitted: approvals and rejections are too few. The pool stands in for them:
 * - each answerable item is a customer's rewording (in Japanese, or in English) of the
 *   requirement of the sheet row it expects: the same question as that requirement, while
 *   every other row's requirement of the product is another question. A decision on a question
 *   worded like the row reaching the item's wording is right; reaching another row's, wrong;
 * - two items of one product citing the same rows would be two wordings of one question;
 *   the pool has almost none (its items were written about different rows), which the first
 *   table shows.
 *
 * - test/eval/library-probe.json (written for kotae) has the structure the rules are for:
 *   approved questions, and probes asking the same in other words or something else.
 *
 * Prints counts only, never the pool's questions (they must not reach the repository). It reads
 * the pool files as plain JSON lines; the rules it measures are src/review's and src/retrieve's.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { parseDocument } from '../../src/corpus/index.js';
import { loadManifest } from '../../src/corpus/manifest.js';
import { SAME_QUESTION } from '../../src/judge/reuse.js';
import { loadLexicon } from '../../src/retrieve/lexicon.js';
import { retrievalText } from '../../src/retrieve/question-text.js';
import { readForReuse, sameQuestionRead, SIMILAR, similarQuestion, type ReadForReuse } from '../../src/retrieve/same-question.js';

const Item = z.object({
  id: z.string(),
  product: z.string(),
  lang: z.string(),
  question: z.string(),
  expected: z.array(z.object({ file: z.string(), line: z.number().int() })),
});
type Item = z.infer<typeof Item>;

/** Pairs of one product's items, by what their expected rows say about them. */
type Relation = 'same rows' | 'overlapping rows' | 'disjoint rows';

function relation(a: Item, b: Item): Relation {
  const rows = (i: Item): Set<string> => new Set(i.expected.map((e) => `${e.file}:${e.line}`));
  const [ra, rb] = [rows(a), rows(b)];
  const shared = [...ra].filter((r) => rb.has(r)).length;
  if (shared === 0) return 'disjoint rows';
  return shared === ra.size && shared === rb.size ? 'same rows' : 'overlapping rows';
}

const shared = process.argv[2] ?? join(process.cwd(), '..', 'shared');
const dir = join(shared, 'eval');
const items = ['dev.jsonl', 'dev2.jsonl']
  .map((f) => join(dir, f))
  .filter((f) => existsSync(f))
  .flatMap((f) => readFileSync(f, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => Item.parse(JSON.parse(l))))
  // An unanswerable item cites no rows: nothing says which other item asks what it asks.
  .filter((i) => i.expected.length > 0);
const lexicon = loadLexicon();
const read = new Map<string, ReadForReuse>(items.map((i) => [i.id, readForReuse(retrievalText(i.question), lexicon)]));
const reading = (i: Item): ReadForReuse => read.get(i.id) ?? readForReuse(retrievalText(i.question), lexicon);

const CUTS = [0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];
interface Tally {
  pairs: number;
  crossLanguage: number;
  similarAtLeast: number[];
  sameAtLeast: number;
  sameCrossLanguage: number;
}
const tallies = new Map<Relation, Tally>();
for (const [x, a] of items.entries()) {
  for (const b of items.slice(x + 1)) {
    if (a.product !== b.product) continue;
    const rel = relation(a, b);
    const t = tallies.get(rel) ?? { pairs: 0, crossLanguage: 0, similarAtLeast: CUTS.map(() => 0), sameAtLeast: 0, sameCrossLanguage: 0 };
    const cross = a.lang !== b.lang;
    const similar = similarQuestion(reading(a), reading(b));
    const same = sameQuestionRead(reading(a), reading(b)) >= SAME_QUESTION;
    t.pairs += 1;
    if (cross) t.crossLanguage += 1;
    CUTS.forEach((c, k) => {
      if (similar >= c) t.similarAtLeast[k] = (t.similarAtLeast[k] ?? 0) + 1;
    });
    if (same) t.sameAtLeast += 1;
    if (same && cross) t.sameCrossLanguage += 1;
    tallies.set(rel, t);
  }
}

const order: Relation[] = ['same rows', 'overlapping rows', 'disjoint rows'];
const out: string[] = [];
out.push(`${items.length} answerable items; pairs within one product.`, '');
out.push(`| pair | pairs | across languages | ${CUTS.map((c) => `similar ≥ ${c}`).join(' | ')} | same question (strict ≥ ${SAME_QUESTION}) | of which across languages |`);
out.push(`|---|---|---|${CUTS.map(() => '---|').join('')}---|---|`);
for (const rel of order) {
  const t = tallies.get(rel);
  if (!t) continue;
  out.push(`| ${rel} | ${t.pairs} | ${t.crossLanguage} | ${t.similarAtLeast.join(' | ')} | ${t.sameAtLeast} | ${t.sameCrossLanguage} |`);
}

// Each item against every row requirement of its product: its own rows, and the others.
const corpusDir = join(shared, 'corpus');
const rows = new Map<string, Array<{ key: string; read: ReadForReuse }>>();
for (const entry of await loadManifest(corpusDir)) {
  const passages = await parseDocument(entry, readFileSync(join(corpusDir, entry.file)));
  const list = rows.get(entry.product) ?? [];
  for (const p of passages) if (p.requirement.trim() !== '') list.push({ key: `${p.source}:${p.line ?? 0}`, read: readForReuse(retrievalText(p.requirement), lexicon) });
  rows.set(entry.product, list);
}
interface RowTally {
  items: number;
  /** Items whose own row's requirement reaches each cut (the best of its rows). */
  ownAtLeast: number[];
  /** The same for the strict rule's share (sameQuestion), at each cut. */
  ownStrictAtLeast: number[];
  /** Item-row pairs of another row reaching each cut, and items with at least one. */
  otherPairs: number;
  otherAtLeast: number[];
  itemsWithOtherAtLeast: number[];
  otherStrictAtLeast: number[];
  itemsWithOtherStrictAtLeast: number[];
}
const byLang = new Map<string, RowTally>();
for (const item of items) {
  const own = new Set(item.expected.map((e) => `${e.file}:${e.line}`));
  const zero = (): number[] => CUTS.map(() => 0);
  const t = byLang.get(item.lang) ?? { items: 0, ownAtLeast: zero(), ownStrictAtLeast: zero(), otherPairs: 0, otherAtLeast: zero(), itemsWithOtherAtLeast: zero(), otherStrictAtLeast: zero(), itemsWithOtherStrictAtLeast: zero() };
  let ownBest = 0;
  let ownStrict = 0;
  let otherBest = 0;
  let otherStrict = 0;
  for (const row of rows.get(item.product) ?? []) {
    const similar = similarQuestion(reading(item), row.read);
    const strict = sameQuestionRead(reading(item), row.read);
    if (own.has(row.key)) {
      ownBest = Math.max(ownBest, similar);
      ownStrict = Math.max(ownStrict, strict);
      continue;
    }
    t.otherPairs += 1;
    CUTS.forEach((c, k) => {
      if (similar >= c) t.otherAtLeast[k] = (t.otherAtLeast[k] ?? 0) + 1;
      if (strict >= c) t.otherStrictAtLeast[k] = (t.otherStrictAtLeast[k] ?? 0) + 1;
    });
    otherBest = Math.max(otherBest, similar);
    otherStrict = Math.max(otherStrict, strict);
  }
  t.items += 1;
  CUTS.forEach((c, k) => {
    if (ownBest >= c) t.ownAtLeast[k] = (t.ownAtLeast[k] ?? 0) + 1;
    if (otherBest >= c) t.itemsWithOtherAtLeast[k] = (t.itemsWithOtherAtLeast[k] ?? 0) + 1;
    if (ownStrict >= c) t.ownStrictAtLeast[k] = (t.ownStrictAtLeast[k] ?? 0) + 1;
    if (otherStrict >= c) t.itemsWithOtherStrictAtLeast[k] = (t.itemsWithOtherStrictAtLeast[k] ?? 0) + 1;
  });
  byLang.set(item.lang, t);
}
out.push('', "Each item against the requirements of its product's rows: its own (expected) rows, and every other row. Items (or pairs) at or above each share.", '');
out.push(`| item language | items | rule | compared with | ${CUTS.map((c) => `≥ ${c}`).join(' | ')} |`);
out.push(`|---|---|---|---|${CUTS.map(() => '---|').join('')}`);
for (const [lang, t] of [...byLang.entries()].sort()) {
  const line = (rule: string, what: string, counts: number[]): string => `| ${lang} | ${t.items} | ${rule} | ${what} | ${counts.join(' | ')} |`;
  out.push(line('similar', 'own row (items)', t.ownAtLeast), line('similar', 'other rows (items with one)', t.itemsWithOtherAtLeast), line('similar', `other rows (${t.otherPairs} pairs)`, t.otherAtLeast));
  out.push(line('strict', 'own row (items)', t.ownStrictAtLeast), line('strict', 'other rows (items with one)', t.itemsWithOtherStrictAtLeast), line('strict', `other rows (${t.otherPairs} pairs)`, t.otherStrictAtLeast));
}
// The answer-library probe set (written for kotae, not from the pool): approvals, then probes
// that ask the same thing in other words (reuse) or something else with shared words.
const Probe = z.object({ products: z.array(z.object({ approve: z.array(z.object({ question: z.string() })), probes: z.array(z.object({ question: z.string(), reuse: z.boolean() })) })) });
const probeFile = join(process.cwd(), 'test', 'eval', 'library-probe.json');
if (existsSync(probeFile)) {
  const tally = { same: { n: 0, similar: CUTS.map(() => 0), strict: CUTS.map(() => 0) }, other: { n: 0, similar: CUTS.map(() => 0), strict: CUTS.map(() => 0) } };
  for (const product of Probe.parse(JSON.parse(readFileSync(probeFile, 'utf8'))).products) {
    const approved = product.approve.map((a) => readForReuse(retrievalText(a.question), lexicon));
    for (const probe of product.probes) {
      const asked = readForReuse(retrievalText(probe.question), lexicon);
      const similar = Math.max(0, ...approved.map((a) => similarQuestion(asked, a)));
      const strict = Math.max(0, ...approved.map((a) => sameQuestionRead(asked, a)));
      const t = probe.reuse ? tally.same : tally.other;
      t.n += 1;
      CUTS.forEach((c, k) => {
        if (similar >= c) t.similar[k] = (t.similar[k] ?? 0) + 1;
        if (strict >= c) t.strict[k] = (t.strict[k] ?? 0) + 1;
      });
    }
  }
  out.push('', "test/eval/library-probe.json: each probe against its product's approved questions (the closest). Probes at or above each share.", '');
  out.push(`| probe | probes | rule | ${CUTS.map((c) => `≥ ${c}`).join(' | ')} |`);
  out.push(`|---|---|---|${CUTS.map(() => '---|').join('')}`);
  for (const [name, t] of [['same question', tally.same], ['another question', tally.other]] as const) {
    out.push(`| ${name} | ${t.n} | similar | ${t.similar.join(' | ')} |`, `| ${name} | ${t.n} | strict | ${t.strict.join(' | ')} |`);
  }
}
out.push('', `The hint's threshold (SIMILAR) is ${SIMILAR}; a rejection and a reuse need the strict rule at ${SAME_QUESTION} (SAME_QUESTION).`);
process.stdout.write(`${out.join('\n')}\n`);
