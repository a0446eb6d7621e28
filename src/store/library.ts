/**
 * The answer library: approved answers indexed beside the corpus as passages of kind
 * `approved`, so retrieval finds them like any other source and ranks them first. SQLite
 * stays the record; this index is rebuilt from it by `kotae ingest --rebuild`.
 *
 * Library writes happen after the decision committed, and wait for the ingest lock; by the
 * time one runs, the record may have moved on (an ingest marked the answer stale, a second
 * decision came). So a write never applies the entry it was called with: under the lock it
 * reads the review's state from the record and writes that. Every library writer, ingest
 * included, holds the same lock and reads the record inside it, so the last write always
 * reflects the latest decision, whatever order the writers got the lock in.
 */
import type { Passage } from '../domain.js';
import type { Embedder } from '../embed/embedder.js';
import type { AnswerLibrary, ApprovedAnswer } from '../review/types.js';
import { searchText } from './schema.js';
import type { PassageStore } from './store.js';
import { INGEST_LOCK } from './lock-file.js';
import { withLock } from './lock.js';
import { join } from 'node:path';
import { approvalLabel, sourceLabel } from '../source-label.js';

export const APPROVED_SOURCE = 'review';

export function approvedPassageId(reviewId: string): string {
  return `${APPROVED_SOURCE}#${reviewId}`;
}

export function approvedPassage(entry: ApprovedAnswer): Passage {
  const restsOn = entry.citations.map(sourceLabel).join(', ');
  const approval = {
    question: entry.question.trim(),
    approvedBy: entry.approver,
    approvedAt: entry.approvedAt,
    ...(entry.citations.length > 0 ? { restsOn: entry.citations.map((c) => c.id) } : {}),
  };
  return {
    id: approvedPassageId(entry.reviewId),
    product: entry.product,
    kind: 'approved',
    source: APPROVED_SOURCE,
    // Reuse says what it is: the question it was approved for, by whom and when. The fields are
    // the record every surface words in its language; the title is what a reader without them sees.
    title: approvalLabel(approval, '', 'en'),
    locator: `review #${entry.reviewId}`,
    line: null,
    page: null,
    sectionPath: [`approved by ${entry.approver} ${entry.approvedAt.slice(0, 10)}`, ...(restsOn ? [`rests on ${restsOn}`] : [])],
    ref: entry.reviewId,
    requirement: entry.question,
    answer: entry.answer,
    status: entry.status,
    approval,
  };
}

/** An approval waits this long for a running ingest; if it gives up, the next ingest adds it. */
const LIBRARY_LOCK_WAIT_MS = 10_000;

/** The review record as the library reads it: the approved answer of a review now, or null. */
export type ApprovalRecord = (reviewId: string) => Promise<ApprovedAnswer | null>;

export function createAnswerLibrary(store: PassageStore, embedder: Embedder, record: ApprovalRecord): AnswerLibrary {
  const embed = async (passage: Passage): Promise<number[][]> => (store.meta.dimensions > 0 ? embedder.embed([searchText(passage)]) : [[]]);
  /** Makes the library hold what the record says about `reviewId` now; `hint` is embedded before waiting. */
  const sync = async (reviewId: string, hint: ApprovedAnswer | null): Promise<void> => {
    // Embedding (a model call) happens outside the lock for the expected entry; it is redone
    // inside only if the record changed the text meanwhile.
    const expected = hint ? approvedPassage(hint) : null;
    const expectedVectors = expected ? await embed(expected) : null;
    // Same lock as ingest: concurrent mergeInserts on one table can duplicate rows.
    await withLock(
      join(store.dataDir, INGEST_LOCK),
      async () => {
        const now = await record(reviewId);
        if (!now) return store.removeIds([approvedPassageId(reviewId)]);
        const passage = approvedPassage(now);
        const vectors = expected && expectedVectors && searchText(expected) === searchText(passage) ? expectedVectors : await embed(passage);
        await store.upsert([passage], vectors);
      },
      { waitMs: LIBRARY_LOCK_WAIT_MS },
    );
  };
  return {
    upsert: (entry) => sync(entry.reviewId, entry),
    remove: (reviewId) => sync(reviewId, null),
    // Many at once (a workbook import): one index write, still of what the record says now.
    async sync(change) {
      const ids = [...new Set([...change.upsert.map((e) => e.reviewId), ...change.remove])];
      await withLock(
        join(store.dataDir, INGEST_LOCK),
        async () => {
          const now: Array<{ id: string; entry: ApprovedAnswer | null }> = [];
          for (const id of ids) now.push({ id, entry: await record(id) });
          const gone = now.filter((n) => !n.entry).map((n) => approvedPassageId(n.id));
          const passages = now.flatMap((n) => (n.entry ? [approvedPassage(n.entry)] : []));
          if (gone.length > 0) await store.removeIds(gone);
          if (passages.length > 0) await store.upsert(passages, store.meta.dimensions > 0 ? await embedder.embed(passages.map(searchText)) : passages.map(() => []));
        },
        { waitMs: LIBRARY_LOCK_WAIT_MS },
      );
    },
  };
}
