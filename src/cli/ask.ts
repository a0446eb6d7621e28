/** `kotae ask`: one question from the command line, or a JSONL file of them. */
import { parseArgs } from 'node:util';
import type { z } from 'zod';
import { QuestionLine } from '../domain.js';
import { InputError } from '../errors.js';
import type { App, AskedDraft } from '../app.js';
import { requireKnownProduct } from '../bulk.js';
import { productKey } from '../product.js';
import { searchText } from '../store/schema.js';
import { EXIT, errorDocument, reportError, type ExitCode } from './exit.js';
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
  const review = result.review;
  return JSON.stringify({ ...(id === undefined ? {} : { id }), ...result.draft, reviewId: review?.id ?? null, reviewState: review?.state ?? null, approvedBy: review?.approvedBy ?? null, ...(explain ? explanation(result) : {}) });
}

/**
 * The review as the answer's header names it. One the queue served from the answer library is
 * already approved, by the person who approved the answer it reuses: said so, since nothing
 * else on screen tells it from a draft waiting for review.
 */
function reviewLabel(result: AskedDraft): string | undefined {
  const review = result.review;
  if (!review) return undefined;
  return review.state === 'approved' && review.derivedFrom !== null ? `${review.id}, approved by ${review.approvedBy ?? ''} (reuses approval #${review.derivedFrom})` : review.id;
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

/** A line's product named as the core names products (productKey); `fallback` for a line without one. */
function withProduct(value: unknown, fallback: string | undefined): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  if (!('product' in value)) return fallback === undefined ? value : { ...value, product: fallback };
  return typeof value.product === 'string' ? { ...value, product: productKey(value.product) } : value;
}

type NumberedLine = { line: number; item: QuestionLine };

/**
 * The questions of a JSONL file with their line numbers. Every line is checked before
 * anything is asked, its product included (the core's rule, requireKnownProduct): every
 * bad line in one InputError.
 */
async function questionLines(file: string, text: string, defaultProduct: string | undefined, app: Pick<App, 'products'>): Promise<NumberedLine[]> {
  const items: NumberedLine[] = [];
  const problems: Array<{ line: number; problem: string }> = [];
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    if (raw.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      problems.push({ line: index + 1, problem: `not JSON (${error instanceof Error ? error.message : String(error)})` });
      continue;
    }
    const parsed = QuestionLine.safeParse(withProduct(value, defaultProduct));
    if (parsed.success) items.push({ line: index + 1, item: parsed.data });
    else problems.push({ line: index + 1, problem: lineProblem(parsed.error.issues[0]) });
  }
  let unknown: InputError | undefined;
  for (const product of new Set(items.map(({ item }) => item.product))) {
    try {
      await requireKnownProduct(app, product);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      unknown = error;
      for (const { line } of items.filter(({ item }) => item.product === product)) problems.push({ line, problem: error.message });
    }
  }
  if (problems.length > 0) {
    const lines = problems.sort((a, b) => a.line - b.line).map(({ line, problem }) => `${file}:${line}: ${problem}`);
    const message = lines.length === 1 ? (lines[0] ?? '') : `${lines.length} bad lines in ${file}\n${lines.map((p) => `  ${p}`).join('\n')}`;
    const known = unknown?.hint === undefined ? '' : `; ${unknown.hint.replace(/\.$/, '')}`;
    throw new InputError(message, `Each line is one JSON object {"id", "product", "question"}${known}. Nothing was asked.`, unknown?.remedy);
  }
  return items;
}

/** The exit code of `ask --file` when lines failed: theirs from the table when they agree, else `failed`. */
function failedLinesCode(codes: readonly ExitCode[]): ExitCode {
  const [first] = codes;
  if (first === undefined) return EXIT.ok;
  return codes.every((code) => code === first) ? first : EXIT.failed;
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
  const enqueue = values['no-enqueue'] ? undefined : { askedBy: requireAsker(values.as ?? app.config.cliUser, '--as USER') };
  const product = app.resolveProduct(values.product);

  if (values.file) {
    // Every line is checked before anything is asked: a bad file changes nothing (exit 2).
    const items = await questionLines(values.file, (await readUserFile(values.file)).toString('utf8'), product, app);
    const failed: ExitCode[] = [];
    for (const { line, item } of items) {
      try {
        const result = await app.ask(item.question, item.product, { enqueue });
        io.out(values.json ? toJson(result, item.id, values.explain) : `${formatDraft(result.draft, reviewLabel(result))}${values.explain ? formatExplanation(result) : ''}\n`);
      } catch (error) {
        // The same words as any other error, on the question's line (and as its JSON line).
        const reported = reportError(error);
        failed.push(reported.code);
        io.err(`${values.file}:${line} (${item.id}): ${reported.lines.join('\n').replace(/^(unexpected )?error: /, '')}`);
        if (values.json) io.out(JSON.stringify({ id: item.id, ...errorDocument(reported) }));
      }
    }
    return failedLinesCode(failed);
  }

  const question = positionals.join(' ').trim();
  if (!question) throw new InputError('no question given', 'usage: kotae ask "question" --product PRODUCT [--json]');
  if (!product) throw new InputError('no product given', `add --product (one of: ${(await app.products()).join(', ')})`);
  const result = await app.ask(question, product, { enqueue });
  io.out(values.json ? toJson(result, undefined, values.explain) : `${formatDraft(result.draft, reviewLabel(result))}${values.explain ? formatExplanation(result) : ''}`);
  return 0;
}
