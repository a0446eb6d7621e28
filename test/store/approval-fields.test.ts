/**
 * A reused approval is named from fields the answer library sets (question, approver, time),
 * never by reading its title back: they survive the index, reach the citation, and each
 * surface words them in its own language. An index made before the fields were kept stays
 * readable (its approvals are named by their title) and takes the fields from the next approval.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as lancedb from '@lancedb/lancedb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatDraft } from '../../src/cli/format.js';
import type { Passage } from '../../src/domain.js';
import { citationFromHit } from '../../src/draft/citations.js';
import { approvalLabel, sourceLabel } from '../../src/source-label.js';
import { noEmbedder } from '../../src/embed/embedder.js';
import { lancedbDir, published } from '../../src/store/generations.js';
import { approvedPassage } from '../../src/store/library.js';
import { PASSAGES_TABLE } from '../../src/store/schema.js';
import { PassageStore } from '../../src/store/store.js';
import type { ApprovedAnswer } from '../../src/review/types.js';
import { makeDraft } from '../review/fixtures/drafts.js';

const entry = (reviewId: string, question: string): ApprovedAnswer => ({
  reviewId,
  product: 'acme',
  question,
  answer: 'はい、四半期ごとに見直しています。',
  status: 'yes',
  state: 'approved',
  approver: 'U_REVIEWER',
  approvedAt: '2026-10-02T08:30:00.000Z',
  citations: [],
});

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kotae-approval-fields-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('a reused approval', () => {
  it('keeps who approved it, for which question and when, through the index to its citation and every label', async () => {
    const store = await PassageStore.open(dir, noEmbedder, { write: true });
    const passage = approvedPassage(entry('52', 'アクセス権を定期的に見直していますか'));
    await store.upsert([passage], [[]]);
    const approval = { question: 'アクセス権を定期的に見直していますか', approvedBy: 'U_REVIEWER', approvedAt: '2026-10-02T08:30:00.000Z' };
    const [read] = await store.getByIds([passage.id]);
    expect(read?.approval).toEqual(approval);
    expect((await store.smallProduct('acme'))?.[0]?.approval).toEqual(approval);
    // The labels come from the fields: a title saying something else changes nothing.
    const citation = citationFromHit({ passage: { ...(read as Passage), title: 'some other title' }, score: 0.9 });
    expect(citation.approval).toEqual(approval);
    expect(approvalLabel(approval, citation.ref, 'ja')).toBe('承認済みの回答「アクセス権を定期的に見直していますか」(U_REVIEWERが2026-10-02に承認、レビュー#52)');
    expect(sourceLabel(citation)).toBe('approved answer to «アクセス権を定期的に見直していますか» (approved by U_REVIEWER on 2026-10-02, review #52)');
    expect(formatDraft(makeDraft({ citations: [citation] }))).toContain('[1] approved answer to «アクセス権を定期的に見直していますか» (approved by U_REVIEWER on 2026-10-02, review #52)');
  });

  it('in an index made before the fields were kept: old approvals still read (named by title), and the next approval keeps its fields', async () => {
    const store = await PassageStore.open(dir, noEmbedder, { write: true });
    // The index as an older kotae made it: no approval column, an approval named only by its title.
    const generation = published(dir)?.pointer.generation ?? '';
    const table = await (await lancedb.connect(lancedbDir(dir, generation))).openTable(PASSAGES_TABLE);
    await table.dropColumns(['approval']);
    const { approval: _dropped, ...old } = approvedPassage(entry('7', '退職者のアカウントを削除していますか'));
    const oldPassage: Passage = { ...old, title: 'approved answer to «退職者のアカウントを削除していますか» (approved by U_REVIEWER, on 2026-10-02)' };
    await store.upsert([oldPassage], [[]]);
    const [oldRead] = await store.getByIds([oldPassage.id]);
    expect(oldRead?.approval).toBeUndefined();
    expect(sourceLabel(citationFromHit({ passage: oldRead as Passage, score: 0.9 }))).toBe(`${oldPassage.title} 7`);
    // The library's next approval adds the column and keeps its fields; the old one reads as before.
    const next = approvedPassage(entry('8', 'アクセス権を定期的に見直していますか'));
    await store.upsert([next], [[]]);
    const rows = await store.smallProduct('acme');
    expect(rows?.find((p) => p.id === next.id)?.approval?.approvedBy).toBe('U_REVIEWER');
    expect(rows?.find((p) => p.id === oldPassage.id)?.approval).toBeUndefined();
  });
});
