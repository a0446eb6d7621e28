/**
 * The answer library: approved answers indexed beside the corpus as passages of kind
 * `approved`, so retrieval finds them like any other source and ranks them first. SQLite
 * stays the record; this index is rebuilt from it by `kotae ingest --rebuild`.
 */
import type { Passage } from '../domain.js';
import type { Embedder } from '../embed/embedder.js';
import type { AnswerLibrary, ApprovedAnswer } from '../review/types.js';
import { searchText } from './schema.js';
import type { PassageStore } from './store.js';

export const APPROVED_SOURCE = 'review';

export function approvedPassageId(reviewId: string): string {
  return `${APPROVED_SOURCE}#${reviewId}`;
}

export function approvedPassage(entry: ApprovedAnswer): Passage {
  const restsOn = entry.citations.map((c) => `${c.source} ${c.locator}`).join(', ');
  return {
    id: approvedPassageId(entry.reviewId),
    product: entry.product,
    kind: 'approved',
    source: APPROVED_SOURCE,
    title: 'Approved answers',
    locator: `review #${entry.reviewId}`,
    line: null,
    page: null,
    sectionPath: [`approved by ${entry.approver} ${entry.approvedAt.slice(0, 10)}`, ...(restsOn ? [`rests on ${restsOn}`] : [])],
    ref: entry.reviewId,
    requirement: entry.question,
    answer: entry.answer,
    status: entry.status,
  };
}

export function createAnswerLibrary(store: PassageStore, embedder: Embedder): AnswerLibrary {
  return {
    async upsert(entry) {
      const passage = approvedPassage(entry);
      const vectors = store.meta.dimensions > 0 ? await embedder.embed([searchText(passage)]) : [[]];
      await store.upsert([passage], vectors);
    },
    async remove(reviewId) {
      await store.removeIds([approvedPassageId(reviewId)]);
    },
  };
}
