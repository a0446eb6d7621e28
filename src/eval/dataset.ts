/**
 * The evaluation set format (see test/eval/README.md): questions with the checksheet rows
 * that answer them. Any file in this format works, so a vendor can backtest kotae on its
 * own past questionnaires.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ProductKey } from '../domain.js';
import { InputError } from '../errors.js';

export const EvalItem = z.object({
  id: z.string().min(1),
  product: ProductKey,
  lang: z.enum(['ja', 'en']),
  kind: z.string().min(1),
  question: z.string().min(1),
  answerable: z.boolean(),
  expected: z.array(z.object({ file: z.string().min(1), line: z.number().int().positive(), needle: z.string().min(1) })),
  status: z.enum(['yes', 'no', 'partial']).nullable(),
  notes: z.string().optional(),
});
export type EvalItem = z.infer<typeof EvalItem>;

export async function loadEvalSet(path: string): Promise<EvalItem[]> {
  const items: EvalItem[] = [];
  const lines = (await readFile(path, 'utf8')).split(/\r?\n/);
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') continue;
    const parsed = EvalItem.safeParse(JSON.parse(line));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new InputError(`${path}:${i + 1}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid item'}`);
    }
    items.push(parsed.data);
  }
  if (items.length === 0) throw new InputError(`${path}: no evaluation items`);
  return items;
}
