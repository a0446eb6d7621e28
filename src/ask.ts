/**
 * Answering one question: validate, retrieve within the product, draft, name an approval of a
 * similar question (review/similar.ts), and flag the draft when a reviewer already rejected a
 * draft of the same question (review/rejected.ts) or when the question carries an instruction
 * to the answering system (instructions.ts). The CLI,
 * the bulk job and Slack all call this; none of them retrieves, drafts or flags on its own.
 */
import type { Draft, Drafter } from './domain.js';
import { REVIEW_MARK } from './draft/markers.js';
import { InputError } from './errors.js';
import { unknownProduct } from './product.js';
import type { AnswerFeatures } from './judge/features.js';
import type { RankedHit, RetrievalWithRanking } from './judge/retrieval.js';
import { instructionsIn, withoutInstructions } from './instructions.js';
import { withPreviousRejection, type PreviousRejection } from './review/rejected.js';
import { withSimilarApproval, type SimilarApproval } from './review/similar.js';

/** Longer text is a pasted document, not a question; it would also blow up the query. */
export const MAX_QUESTION_CHARS = 4000;

export interface AskDeps {
  retrieve: (question: string, product: string) => Promise<RetrievalWithRanking>;
  drafter: Drafter;
  /** Products that have evidence in the store. */
  products: () => Promise<string[]>;
  /** The review queue's standing rejection of this question in this product (ReviewQueue.previousRejection). */
  previousRejection?: (question: string, product: string) => Promise<PreviousRejection | null>;
  /** The standing approval of a similar question in this product (review/similar.ts), named in a draft that does not reuse an approval. */
  similarApproval?: (question: string, product: string) => Promise<SimilarApproval | null>;
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
  const retrieved = await deps.retrieve(q, product);
  // Questionnaire text is data: a sentence telling the answering system what to do is no ask
  // (retrieval reads the question without it), and a cell that is nothing else has nothing to answer.
  const instructions = instructionsIn(q);
  const retrieval = instructions.length > 0 && withoutInstructions(q) === '' ? { ...retrieved, abstained: true, hits: [], candidates: [], asks: [], reason: retrieved.lang === 'ja' ? 'この指示のほかに尋ねられていることはありません' : 'nothing else is asked' } : retrieved;
  const fresh = await deps.drafter.draft(retrieval, options);
  // A draft that does not serve an approval names the approved question it resembles, so a
  // reviewer compares the two instead of approving the same thing twice (review/similar.ts).
  // (A reuse across languages leads with the rows the approval rested on, the approval after them.)
  const similar = fresh.citations.some((c) => c.kind === 'approved') ? null : ((await deps.similarApproval?.(q, product)) ?? null);
  const drafted = similar ? withSimilarApproval(fresh, similar) : fresh;
  // A person turned down a draft of this very question: the next one waits for a person too,
  // saying why, and no longer reads as likely; when it rests on the row turned down, the
  // reviewer is shown the best other row (review/rejected.ts says why it does not lead).
  const rejection = (await deps.previousRejection?.(q, product)) ?? null;
  const next = rejection ? retrieval.ranked.find((h) => h.passage.kind !== 'approved' && h.passage.id !== rejection.ledWith?.id) : undefined;
  const reviewed = rejection ? withPreviousRejection(drafted, rejection, next ? { id: next.passage.id, ref: next.passage.ref } : null) : drafted;
  const draft = instructions.length > 0 ? withInstructionNoted(reviewed, instructions) : reviewed;
  // Retrieval reads the question without spreadsheet artefacts (a leading =, + or @, a pasted
  // formula: retrieve/question-text.ts); the draft, which reviewers see and approve, keeps the
  // question as the customer wrote it ("+81-3-…" is a phone number, not noise).
  return { draft: { ...draft, question: q }, ranked: retrieval.ranked, answerFeatures: retrieval.answerFeatures };
}

/**
 * The draft of a question carrying an instruction to the answering system, flagged for a person:
 * the instruction was not followed, but someone planted or pasted it, and a reviewer should see
 * that before the answer goes out. The drafter's own reason follows.
 */
function withInstructionNoted(draft: Draft, instructions: string[]): Draft {
  const quoted = instructions.map((s) => s.replace(/[。.!！]+$/u, '')).join(draft.lang === 'ja' ? '」「' : '”, “');
  const note =
    draft.lang === 'ja'
      ? `質問に回答システムへの指示(「${quoted}」)が含まれています。指示には従わず、質問としても扱っていません。担当者の確認が必要です`
      : `the question contains an instruction to the answering system (“${quoted}”); it was not followed nor answered as a question; a human should check`;
  const mark = REVIEW_MARK[draft.lang];
  return {
    ...draft,
    needsHuman: true,
    reason: draft.reason.trim() === '' ? note : `${note}${draft.lang === 'ja' ? '。' : '. '}${draft.reason}`,
    draft: draft.draft.startsWith(mark.trim()) ? draft.draft : `${mark}${draft.draft}`,
  };
}
