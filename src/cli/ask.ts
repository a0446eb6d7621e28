/** `kotae ask`: one question from the command line, or a JSONL file of them. */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { QuestionLine } from '../domain.js';
import { InputError } from '../errors.js';
import type { App, AskedDraft } from '../app.js';
import { formatDraft } from './format.js';
import type { CliIO } from './io.js';

function toJson(result: AskedDraft, id?: string): string {
  return JSON.stringify({ ...(id === undefined ? {} : { id }), ...result.draft, reviewId: result.review?.id ?? null });
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
        io.out(values.json ? toJson(result, item.id) : `${formatDraft(result.draft, result.review?.id)}\n`);
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
  io.out(values.json ? toJson(result) : formatDraft(result.draft, result.review?.id));
  return 0;
}
