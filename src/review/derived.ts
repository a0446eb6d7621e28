/**
 * Answers derived from an approval: a draft that reused approved answer #N (the answer library)
 * cites it (`review#N`, kind approved), and the review_citations table keeps that link whatever
 * happens to the review's text. Two things read it:
 * - serving: a draft that is approval #N's text for the same question, unflagged, is approved
 *   when it is queued, by #N's approver (a named person), instead of waiting for a second
 *   approval of the same words (trial s9 2c: every questionnaire had to be approved again);
 * - retiring: retiring #N takes the answers that are copies of it out too, and names the ones a
 *   person rewrote (trial s9 2a: an approval of a reuse was an unlinked copy, still served
 *   after its source was retired, while the CLI said "no longer reused").
 */
import { z } from 'zod';
import type { Citation, Draft } from '../domain.js';
import type { Sql } from '../store/database.js';
import { APPROVED_STATES } from './states.js';

/** The approval a draft reused (its leading citation), or null. */
export function reusedApprovalOf(draft: Pick<Draft, 'citations'>): string | null {
  const [first] = draft.citations;
  return first && isApproval(first) ? first.ref : null;
}

const isApproval = (c: Citation): boolean => c.kind === 'approved' && /^\d+$/.test(c.ref);

/** How review_citations names an approved answer (src/store/library.ts approvedPassageId). */
const approvalPassage = (reviewId: string): string => `review#${reviewId}`;

const Row = z.object({ id: z.number().int(), state: z.string(), question: z.string(), answer: z.string(), status: z.string(), approved_by: z.string().nullable(), approved_at: z.string().nullable(), product: z.string() });
export type ApprovalRow = z.infer<typeof Row>;

/** Review `id` as an approval that may be served now: approved or edited, or null. */
export async function standingApproval(tx: Sql, id: string): Promise<ApprovalRow | null> {
  const raw = await tx.get('SELECT id, state, question, answer, status, approved_by, approved_at, product FROM reviews WHERE id = ?', [Number(id)]);
  if (raw === undefined) return null;
  const row = Row.parse(raw);
  return (APPROVED_STATES as ReadonlySet<string>).has(row.state) && row.approved_by !== null && row.approved_at !== null ? row : null;
}

/** Ids of the reviews whose draft reused approval `reviewId` (directly), oldest first. */
export async function derivedReviewIds(tx: Sql, reviewId: string): Promise<number[]> {
  const rows = await tx.all('SELECT review_id FROM review_citations WHERE passage_id = ? ORDER BY review_id', [approvalPassage(reviewId)]);
  return rows.map((r) => z.object({ review_id: z.number().int() }).parse(r).review_id).filter((id) => String(id) !== reviewId);
}
