/** Terminal rendering of drafts: what a sales engineer reads after `kotae ask`. */
import type { Draft } from '../domain.js';
import { sourceLabel } from '../source-label.js';

const STATUS_LABEL: Record<Draft['status'], string> = {
  yes: 'YES',
  no: 'NO',
  partial: 'PARTIAL',
  not_applicable: 'N/A',
  unknown: 'UNKNOWN',
};

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((l) => `${prefix}${l}`)
    .join('\n');
}

export function formatDraft(draft: Draft, reviewId?: string): string {
  const lines: string[] = [];
  lines.push(`Q [${draft.product}]: ${draft.question}`);
  const flags = [
    `status ${STATUS_LABEL[draft.status]}`,
    `confidence ${draft.confidence.toFixed(2)}`,
    draft.drafter + (draft.fallback ? ` (fallback: ${draft.fallback})` : ''),
    draft.needsHuman ? 'needs review' : null,
    reviewId ? `review ${reviewId}` : null,
  ].filter((s): s is string => s !== null);
  lines.push(`   ${flags.join(' · ')}`);
  lines.push(indent(draft.draft, '   │ '));
  if (draft.abstained) {
    lines.push(`   (not answered: ${draft.reason})`);
  } else if (draft.needsHuman) {
    // Why a person must look (a rejection of the same question first, when there was one): the JSON has it, the terminal too.
    lines.push(`   (needs review: ${draft.reason})`);
  }
  draft.citations.forEach((c, i) => {
    lines.push(`   [${i + 1}] ${sourceLabel(c)} · score ${c.score.toFixed(2)}`);
    lines.push(indent(c.text.length > 400 ? `${c.text.slice(0, 400)}…` : c.text, '       '));
  });
  return lines.join('\n');
}
