/**
 * Answering one question: validate, retrieve within the product, draft, and flag the draft
 * when a reviewer already rejected a draft of the same question (review/rejected.ts). The CLI,
 * the bulk job and Slack all call this; none of them retrieves, drafts or flags on its own.
 */
import type { Draft, Drafter } from './domain.js';
import { InputError } from './errors.js';
import { unknownProduct } from './product.js';
import type { AnswerFeatures } from './judge/features.js';
import type { RankedHit, RetrievalWithRanking } from './judge/retrieval.js';
import { withPreviousRejection, type PreviousRejection } from './review/rejected.js';

/** Longer text is a pasted document, not a question; it would also blow up the query. */
export const MAX_QUESTION_CHARS = 4000;

export interface AskDeps {
  retrieve: (question: string, product: string) => Promise<RetrievalWithRanking>;
  drafter: Drafter;
  /** Products that have evidence in the store. */
  products: () => Promise<string[]>;
  /** The review queue's standing rejection of this question in this product (ReviewQueue.previousRejection). */
  previousRejection?: (question: string, product: string) => Promise<PreviousRejection | null>;
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
  const drafted = await deps.drafter.draft(retrieval, options);
  // A person turned down a draft of this very question: the next one waits for a person too, saying why.
  const rejection = (await deps.previousRejection?.(q, product)) ?? null;
  const draft = rejection ? withPreviousRejection(drafted, rejection) : drafted;
  // Retrieval reads the question without spreadsheet artefacts (a leading =, + or @, a pasted
  // formula: retrieve/question-text.ts); the draft, which reviewers see and approve, keeps the
  // question as the customer wrote it ("+81-3-…" is a phone number, not noise).
  return { draft: { ...draft, question: q }, ranked: retrieval.ranked, answerFeatures: retrieval.answerFeatures };
}
