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
import { INGEST_LOCK } from './lock-file.js';
import { withLock } from './lock.js';
import { join } from 'node:path';
import { sourceLabel } from '../draft/citations.js';

export const APPROVED_SOURCE = 'review';

export function approvedPassageId(reviewId: string): string {
  return `${APPROVED_SOURCE}#${reviewId}`;
}

export function approvedPassage(entry: ApprovedAnswer): Passage {
  const restsOn = entry.citations.map(sourceLabel).join(', ');
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

/** An approval waits this long for a running ingest; if it gives up, the next ingest adds it. */
const LIBRARY_LOCK_WAIT_MS = 10_000;

export function createAnswerLibrary(store: PassageStore, embedder: Embedder): AnswerLibrary {
  // Same lock as ingest: concurrent mergeInserts on one table can duplicate rows.
  const locked = <T>(work: () => Promise<T>): Promise<T> => withLock(join(store.dataDir, INGEST_LOCK), work, { waitMs: LIBRARY_LOCK_WAIT_MS });
  return {
    async upsert(entry) {
      const passage = approvedPassage(entry);
      const vectors = store.meta.dimensions > 0 ? await embedder.embed([searchText(passage)]) : [[]];
      await locked(() => store.upsert([passage], vectors));
    },
    async remove(reviewId) {
      await locked(() => store.removeIds([approvedPassageId(reviewId)]));
    },
    async sync(change) {
      const passages = change.upsert.map(approvedPassage);
      const vectors = store.meta.dimensions > 0 ? await embedder.embed(passages.map(searchText)) : passages.map(() => []);
      await locked(async () => {
        if (change.remove.length > 0) await store.removeIds(change.remove.map(approvedPassageId));
        if (passages.length > 0) await store.upsert(passages, vectors);
      });
    },
  };
}
