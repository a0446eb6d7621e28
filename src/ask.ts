/**
 * Answering one question: validate, retrieve within the product, draft. The CLI, the bulk
 * job and Slack all call this; none of them retrieves or drafts on its own.
 */
import type { Draft, Drafter } from './domain.js';
import { InputError } from './errors.js';
import { unknownProduct } from './product.js';
import type { AnswerFeatures } from './judge/features.js';
import type { RankedHit, RetrievalWithRanking } from './judge/retrieval.js';

/** Longer text is a pasted document, not a question; it would also blow up the query. */
export const MAX_QUESTION_CHARS = 4000;

export interface AskDeps {
  retrieve: (question: string, product: string) => Promise<RetrievalWithRanking>;
  drafter: Drafter;
  /** Products that have evidence in the store. */
  products: () => Promise<string[]>;
}

export interface Answer {
  draft: Draft;
  /** The uncapped ranking behind the draft (evaluation, "closest rows" displays). */
  ranked: RankedHit[];
  /** What the judgement's answer-level models saw (`kotae ask --explain`). */
  answerFeatures: AnswerFeatures;
}

export async function ask(deps: AskDeps, question: string, product: string, options: { signal?: AbortSignal } = {}): Promise<Answer> {
  const q = question.trim();
  if (q.length === 0) throw new InputError('the question is empty');
  if (q.length > MAX_QUESTION_CHARS) {
    throw new InputError(`the question is ${q.length} characters long (limit ${MAX_QUESTION_CHARS})`, 'ask one question at a time, or use bulk answering for a questionnaire.');
  }
  const products = await deps.products();
  if (!products.includes(product)) throw unknownProduct(product, products);
  const retrieval = await deps.retrieve(q, product);
  const draft = await deps.drafter.draft(retrieval, options);
  // Retrieval reads the question without spreadsheet artefacts (a leading =, + or @, a pasted
  // formula: retrieve/question-text.ts); the draft, which reviewers see and approve, keeps the
  // question as the customer wrote it ("+81-3-…" is a phone number, not noise).
  return { draft: { ...draft, question: q }, ranked: retrieval.ranked, answerFeatures: retrieval.answerFeatures };
}
