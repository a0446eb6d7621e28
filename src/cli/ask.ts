/** `kotae ask`: one question from the command line, or a JSONL file of them. */
import { parseArgs } from 'node:util';
import type { z } from 'zod';
import { QuestionLine } from '../domain.js';
import { InputError } from '../errors.js';
import type { App, AskedDraft } from '../app.js';
import { searchText } from '../store/schema.js';
import { EXIT, errorDocument, reportError } from './exit.js';
import { readUserFile } from './files.js';
import { formatDraft } from './format.js';
import type { CliIO } from './io.js';
import { requireAsker } from './user.js';

/** How many ranked candidates `--explain` shows. */
const EXPLAIN_CANDIDATES = 20;

const round = (x: number): number => Math.round(x * 1000) / 1000;
const rounded = (features: Readonly<Record<string, number>>): Record<string, number> => Object.fromEntries(Object.entries(features).map(([k, v]) => [k, round(v)]));

/** Why the draft is what it is: the top candidates with the judgement's features, and the answer-level features. */
function explanation(result: AskedDraft): { candidates: unknown[]; judgement: Record<string, number> } {
  return {
    candidates: result.ranked.slice(0, EXPLAIN_CANDIDATES).map((h) => ({
      id: h.passage.id,
      source: h.passage.source,
      locator: h.passage.locator,
      ref: h.passage.ref,
      text: searchText(h.passage),
      score: h.score,
      features: rounded(h.features),
    })),
    judgement: rounded(result.answerFeatures),
  };
}

function toJson(result: AskedDraft, id: string | undefined, explain: boolean): string {
  return JSON.stringify({ ...(id === undefined ? {} : { id }), ...result.draft, reviewId: result.review?.id ?? null, ...(explain ? explanation(result) : {}) });
}

/** The candidate table under a terminal answer. */
function formatExplanation(result: AskedDraft): string {
  const lines = result.ranked.slice(0, EXPLAIN_CANDIDATES).map((h, i) => {
    const f = h.features;
    const text = searchText(h.passage).replace(/\s+/g, ' ').slice(0, 60);
    return `${String(i + 1).padStart(2)}. ${h.score.toFixed(3)}  cov ${f.cov.toFixed(2)} idf ${f.covIdf.toFixed(2)} bm ${f.bm.toFixed(2)}  ${h.passage.source} ${h.passage.locator}  ${text}`;
  });
  const j = Object.entries(rounded(result.answerFeatures)).map(([k, v]) => `${k} ${v}`).join(', ');
  return `\nCandidates (share of the answer, coverage, idf-weighted coverage, bigram BM25):\n${lines.join('\n')}\nJudgement features: ${j}`;
}

/** What a line of `ask --file` lacks, said so the person can fix it (a zod issue, in words). */
function lineProblem(issue: z.core.$ZodIssue | undefined): string {
  const field = issue?.path.join('.') ?? '';
  if (field === 'product' && issue?.code === 'invalid_type') return 'no "product" (give it on the line, or --product for every line without one)';
  if (issue?.code === 'invalid_type' && field !== '') return `no "${field}" or not a string`;
  return `${field === '' ? 'the line' : `"${field}"`}: ${issue?.message ?? 'invalid'}`;
}

/** The questions of a JSONL file with their line numbers; every bad line in one InputError. */
function questionLines(file: string, text: string, defaultProduct: string | undefined): Array<{ line: number; item: QuestionLine }> {
  const items: Array<{ line: number; item: QuestionLine }> = [];
  const problems: string[] = [];
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    if (raw.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      problems.push(`${file}:${index + 1}: not JSON (${error instanceof Error ? error.message : String(error)})`);
      continue;
    }
    const withProduct = typeof value === 'object' && value !== null && !Array.isArray(value) && !('product' in value) && defaultProduct ? { ...value, product: defaultProduct } : value;
    const parsed = QuestionLine.safeParse(withProduct);
    if (parsed.success) items.push({ line: index + 1, item: parsed.data });
    else problems.push(`${file}:${index + 1}: ${lineProblem(parsed.error.issues[0])}`);
  }
  if (problems.length > 0) {
    const message = problems.length === 1 ? (problems[0] ?? '') : `${problems.length} bad lines in ${file}\n${problems.map((p) => `  ${p}`).join('\n')}`;
    throw new InputError(message, 'Each line is one JSON object {"id", "product", "question"}. Nothing was asked.');
  }
  return items;
}

export async function runAsk(argv: string[], app: App, io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      product: { type: 'string', short: 'p' },
      file: { type: 'string', short: 'f' },
      json: { type: 'boolean', default: false },
      as: { type: 'string' },
      'no-enqueue': { type: 'boolean', default: false },
      explain: { type: 'boolean', default: false },
    },
  });
  // A queued draft records who asked, so four-eyes can stop them approving it (src/cli/user.ts).
  const enqueue = values['no-enqueue'] ? undefined : { askedBy: requireAsker(values.as ?? app.config.cliUser) };

  if (values.file) {
    // Every line is checked before anything is asked: a bad file changes nothing (exit 2).
    const items = questionLines(values.file, (await readUserFile(values.file)).toString('utf8'), values.product ?? app.config.slack.defaultProduct);
    let failed = 0;
    for (const { line, item } of items) {
      try {
        const result = await app.ask(item.question, item.product, { enqueue });
        io.out(values.json ? toJson(result, item.id, values.explain) : `${formatDraft(result.draft, result.review?.id)}${values.explain ? formatExplanation(result) : ''}\n`);
      } catch (error) {
        failed++;
        // The same words as any other error, on the question's line (and as its JSON line).
        const reported = reportError(error);
        io.err(`${values.file}:${line} (${item.id}): ${reported.lines.join('\n').replace(/^(unexpected )?error: /, '')}`);
        if (values.json) io.out(JSON.stringify({ id: item.id, ...errorDocument(reported) }));
      }
    }
    return failed > 0 ? EXIT.failed : EXIT.ok;
  }

  const question = positionals.join(' ').trim();
  if (!question) throw new InputError('no question given', 'usage: kotae ask "question" --product PRODUCT [--json]');
  const product = values.product ?? app.config.slack.defaultProduct;
  if (!product) throw new InputError('no product given', `add --product (one of: ${(await app.products()).join(', ')})`);
  const result = await app.ask(question, product, { enqueue });
  io.out(values.json ? toJson(result, undefined, values.explain) : `${formatDraft(result.draft, result.review?.id)}${values.explain ? formatExplanation(result) : ''}`);
  return 0;
}
