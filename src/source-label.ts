/**
 * How a source is named to a reader: a checksheet row, a policy's page, an approved answer.
 * Pure and at the bottom of the pipeline because every layer names sources the same way: the
 * answer library names what an approval rests on with it, and drafts, files, Slack and the CLI
 * show them. (Which rows an approval rests on is kept by id, Approval.restsOn: a label is for
 * reading, never parsed back.)
 */
import type { Approval, Language } from './domain.js';

/**
 * How a source is named wherever kotae shows it: the document's manifest title and the
 * place in it a reader can find (`krewセキュリティチェックシート 6-15`, `情報セキュリティ基本方針 p.3`),
 * not the file and line kotae read it from. A line number means nothing to someone holding
 * the published PDF, so it is shown only when the row has no number of its own and the
 * title is unknown (citations recorded before titles were kept: `krew.txt L53 (6-15)`); a titled
 * passage without a number is named by its opening words.
 */
export function sourceLabel(c: { source: string; locator: string; ref: string; title?: string | undefined; text?: string | undefined; approval?: Approval | undefined }): string {
  if (c.approval) return approvalLabel(c.approval, c.ref, 'en');
  const title = c.title?.trim() ?? '';
  if (title === '') return `${c.source} ${c.locator}${c.ref ? ` (${c.ref})` : ''}`;
  const place = c.ref || (/^L\d+$/.test(c.locator) ? '' : c.locator);
  if (place) return `${title} ${place}`;
  // A passage without a number (a sheet's preamble, its certification line) is found by its opening words:
  // the title alone named two such passages alike, and a reader could find neither.
  const opening = openingWords(c.text ?? '');
  return opening ? `${title}「${opening}」` : title;
}

/** How much of an unnumbered passage names it: enough to find it by eye or by search. */
const OPENING_CHARS = 20;

function openingWords(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > OPENING_CHARS ? `${flat.slice(0, OPENING_CHARS)}…` : flat;
}

/**
 * A reused approval as a reader is told of it, in the row's or message's language: the question
 * it was approved for, by whom, on which day, and its review number.
 */
export function approvalLabel(a: Approval, reviewId: string, lang: Language): string {
  const day = a.approvedAt.slice(0, 10);
  const review = reviewId === '' ? '' : lang === 'ja' ? `、レビュー#${reviewId}` : `, review #${reviewId}`;
  return lang === 'ja' ? `承認済みの回答「${a.question}」(${a.approvedBy}が${day}に承認${review})` : `approved answer to «${a.question}» (approved by ${a.approvedBy} on ${day}${review})`;
}
