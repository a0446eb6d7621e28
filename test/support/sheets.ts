/**
 * Several made-up checksheet sections, each a store of its own (./corpus.ts sectionStore), opened
 * before a spec's tests and removed after them, and the offline draft of a question asked of one:
 * the harness of specs that compare how one reading answers on sheets written differently.
 */
import { afterAll, beforeAll } from 'vitest';
import type { Draft } from '../../src/domain.js';
import { extractiveDraft } from '../../src/draft/extractive.js';
import { retrieve } from '../../src/judge/retrieval.js';
import { sectionStore } from './corpus.js';

type Rows = ReadonlyArray<readonly [string, string]>;

export function sectionSheets<P extends string>(sheets: Readonly<Record<P, Rows>>): { answer: (product: P, question: string) => Promise<Draft> } {
  const open = new Map<string, Awaited<ReturnType<typeof sectionStore>>>();
  beforeAll(async () => {
    for (const [product, rows] of Object.entries<Rows>(sheets)) open.set(product, await sectionStore(product, `${product} checksheet`, rows));
  }, 120_000);
  afterAll(() => open.forEach((s) => s.close()));
  return {
    answer: async (product, question) => {
      const sheet = open.get(product);
      if (!sheet) throw new Error(`no sheet ${product}`);
      return extractiveDraft(await retrieve(sheet.deps(), question, product));
    },
  };
}
