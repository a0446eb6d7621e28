/**
 * Query rewriting: with a model configured, the question is restated in the vocabulary of
 * Japanese checksheets (terms) and split into its asks (sub-questions), so that a paraphrase
 * sharing no word with the sheet still reaches the row that answers it.
 *
 * Only the interface and how a rewrite joins the query live here, beside retrieval, which
 * depends on nothing else of it; the model-backed implementation (src/draft/rewriter.ts) is
 * wired in by the composition root, and offline there is no rewriter at all. A rewrite only
 * adds: the question's own concepts stay as they are, so a poor rewrite can widen the
 * candidates but never remove one, and the judgement still decides what is cited.
 */
import { expandQuery, type Concept } from './expand.js';
import { compile } from './match.js';
import type { Lexicon } from './lexicon.js';

export interface QueryRewrite {
  /** Japanese words and short phrases a row answering the question would contain, most important first. */
  terms: string[];
  /** One Japanese question per distinct ask when the question has several; empty otherwise. */
  subQuestions: string[];
}

export interface QueryRewriter {
  /** The rewrite, or null when there is none (timeout, invalid output): retrieval goes on without it. Never throws. */
  rewrite(question: string): Promise<QueryRewrite | null>;
}

/**
 * The concepts of the rewrite's terms that the question's own concepts do not already hold
 * (an English term the glossary translated and the rewrite's Japanese for it are one idea,
 * and must not count twice in the coverage of a row). Named topics are never taken: a
 * standard or certification in a term (ISMS認証, SOC2報告書) would be the model's naming, not
 * the question's, and a named topic that no document mentions vetoes every row.
 */
export function rewriteConcepts(rewrite: QueryRewrite, lexicon: Lexicon, own: readonly Concept[]): Concept[] {
  const seen = new Set(own.flatMap((c) => c.variants));
  const added: Concept[] = [];
  for (const term of rewrite.terms) {
    for (const concept of expandQuery(term, lexicon).concepts) {
      if (compile([concept])[0]?.topic || concept.variants.some((v) => seen.has(v))) continue;
      concept.variants.forEach((v) => seen.add(v));
      added.push(concept);
    }
  }
  return added;
}

/** The asks to retrieve for: the question's own split when it found several, else the rewrite's. */
export function asksOf(ownParts: string[], rewrite: QueryRewrite | null): string[] {
  if (ownParts.length > 1 || !rewrite || rewrite.subQuestions.length < 2) return ownParts;
  return rewrite.subQuestions;
}
