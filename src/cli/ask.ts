/** `kotae ask`: one question from the command line, or a JSONL file of them. */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { QuestionLine } from '../domain.js';
import { InputError } from '../errors.js';
import type { App, AskedDraft } from '../app.js';
import { searchText } from '../store/schema.js';
import { formatDraft } from './format.js';
import type { CliIO } from './io.js';

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
  const askedBy = values.as ?? app.config.cliUser;
  const enqueue = values['no-enqueue'] ? undefined : { askedBy };

  if (values.file) {
    let failed = 0;
    const lines = (await readFile(values.file, 'utf8')).split(/\r?\n/);
    for (const [index, raw] of lines.entries()) {
      if (raw.trim() === '') continue;
      let item: QuestionLine;
      try {
        item = QuestionLine.parse(JSON.parse(raw));
      } catch (error) {
        failed++;
        io.err(`${values.file}:${index + 1}: not a {id, product, question} JSON line (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`);
        continue;
      }
      try {
        const result = await app.ask(item.question, item.product, { enqueue });
        io.out(values.json ? toJson(result, item.id, values.explain) : `${formatDraft(result.draft, result.review?.id)}${values.explain ? formatExplanation(result) : ''}\n`);
      } catch (error) {
        failed++;
        io.err(`${values.file}:${index + 1} (${item.id}): ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return failed > 0 ? 1 : 0;
  }

  const question = positionals.join(' ').trim();
  if (!question) throw new InputError('no question given', 'usage: kotae ask "question" --product PRODUCT [--json]');
  const product = values.product ?? app.config.slack.defaultProduct;
  if (!product) throw new InputError('no product given', `add --product (one of: ${(await app.products()).join(', ')})`);
  const result = await app.ask(question, product, { enqueue });
  io.out(values.json ? toJson(result, undefined, values.explain) : `${formatDraft(result.draft, result.review?.id)}${values.explain ? formatExplanation(result) : ''}`);
  return 0;
}
