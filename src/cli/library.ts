/**
 * `kotae library list|show|retire`: what the answer library serves, per product, and a way
 * for an approver to withdraw an approved answer from it (audited, like every decision). The
 * library is what makes a wrong approval dangerous: it is reused for every similar question,
 * so reviewers must be able to see it and take answers out.
 *
 * Exit codes: the table in src/cli/exit.ts (README "Exit codes").
 */
import { Command } from 'commander';
import { KotaeError } from '../errors.js';
import { productKey } from '../product.js';
import type { ReviewQueue } from '../workflow.js';

/** One entry of the library, as the core's queue lists it. */
type ApprovedAnswer = Awaited<ReturnType<ReviewQueue['approvedAnswers']>>[number];
import { EXIT, renderError } from './exit.js';

export interface LibraryCliDeps {
  /** The core's review queue (createWorkflow's), opened on first use. */
  reviews: () => Promise<ReviewQueue>;
  /** Writes verbatim; every block ends with a newline. */
  out: (s: string) => void;
  err: (s: string) => void;
}

const oneLine = (s: string, n: number): string => {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > n ? `${flat.slice(0, n - 1)}…` : flat;
};

/**
 * The copies each approval was served as (trial s10 #10: every reuse of one approval was an
 * entry of its own, and `library list` filled with the same answer): an entry that reused an
 * approval still in the list, with its text and status unchanged, is a copy, counted under the
 * approval at the root of its chain. An answer a person rewrote from a reuse is theirs and
 * listed on its own. The record keeps every copy (each is its own audited review, retired with
 * its source): only the listing folds them.
 */
function copiesByApproval(entries: readonly ApprovedAnswer[]): Map<string, string[]> {
  const byId = new Map(entries.map((e) => [e.reviewId, e]));
  const sourceOf = (e: ApprovedAnswer): ApprovedAnswer | null => {
    const source = e.derivedFrom ? byId.get(e.derivedFrom) : undefined;
    return source && source.answer.trim() === e.answer.trim() && source.status === e.status ? source : null;
  };
  const out = new Map<string, string[]>();
  for (const e of entries) {
    let root = sourceOf(e);
    if (!root) continue;
    // Follow a copy of a copy to the approval a person made (the chain never loops: each reuses an older review).
    for (let up = sourceOf(root); up; up = sourceOf(up)) root = up;
    out.set(root.reviewId, [...(out.get(root.reviewId) ?? []), e.reviewId]);
  }
  for (const ids of out.values()) ids.sort((a, b) => Number(a) - Number(b));
  return out;
}

export async function runLibrary(argv: string[], deps: LibraryCliDeps): Promise<number> {
  const q = deps.reviews;
  const program = new Command('kotae library')
    .description('the approved answers kotae reuses for similar questions')
    .exitOverride()
    .configureOutput({ writeOut: deps.out, writeErr: deps.err })
    .showHelpAfterError('(kotae library --help shows the usage)')
    .helpCommand(false);

  program
    .command('list')
    .description('approved answers in the library, newest first; each served copy counted under the approval it repeats')
    .option('--product <product>', 'only this product', productKey)
    .option('--copies', 'also list each copy served from an approval as its own entry')
    .option('--json', 'one JSON document: {items}, each with reuses: the ids of its copies')
    .action(async (o: { product?: string; copies?: boolean; json?: boolean }) => {
      const all = (await (await q()).approvedAnswers()).filter((a) => o.product === undefined || a.product === o.product);
      const reuses = copiesByApproval(all);
      const copies = new Set([...reuses.values()].flat());
      const items = all
        .filter((a) => o.copies === true || !copies.has(a.reviewId))
        .sort((a, b) => b.approvedAt.localeCompare(a.approvedAt))
        .map((a) => ({ ...a, reuses: reuses.get(a.reviewId) ?? [] }));
      if (o.json) return deps.out(`${JSON.stringify({ items })}\n`);
      if (items.length === 0) return deps.out('the library holds no approved answers\n');
      const reused = (ids: readonly string[]): string => (ids.length === 0 ? '' : `  · reused ${ids.length}× (${ids.map((id) => `#${id}`).join(', ')})`);
      deps.out(
        `${items.map((a) => `#${a.reviewId.padEnd(5)} ${a.product.padEnd(14)} ${a.state.padEnd(8)} ${a.approver} ${a.approvedAt.slice(0, 10)}  ${oneLine(a.question, 60)}${reused(a.reuses)}\n        → ${oneLine(a.answer, 80)}`).join('\n')}\n`,
      );
    });

  program
    .command('show')
    .description('one approved answer: the question it answers, who approved it, what it rests on')
    .argument('<id>', 'review id of the approval')
    .option('--json', 'as one JSON document')
    .action(async (id: string, o: { json?: boolean }) => {
      const wanted = id.replace(/^#/, '');
      const entry = (await (await q()).approvedAnswers()).find((a) => a.reviewId === wanted);
      if (!entry) throw new KotaeError('not_found', `#${wanted} is not in the library (not approved, or retired)`, 'kotae library list shows what it holds');
      if (o.json) return deps.out(`${JSON.stringify(entry)}\n`);
      deps.out(
        [
          `#${entry.reviewId} [${entry.product}] ${entry.state} by ${entry.approver} on ${entry.approvedAt}`,
          `question: ${entry.question}`,
          `answer (${entry.status}): ${entry.answer}`,
          ...(entry.derivedFrom ? [`reused from approval #${entry.derivedFrom}`] : []),
          ...entry.citations.map((c) => `  rests on ${c.title ? `${c.title} ` : ''}${c.source} ${c.locator}${c.ref ? ` (${c.ref})` : ''}`),
        ].join('\n') + '\n',
      );
    });

  program
    .command('retire')
    .description('take an approved answer out of the library (audited; the question can be answered anew), with the answers copied from it')
    .argument('<id>', 'review id of the approval')
    .requiredOption('--as <user>', 'your Slack user id (checked against KOTAE_APPROVERS)')
    .requiredOption('--reason <reason>', 'why it should no longer be reused')
    .option('--with-derived', 'also retire the answers a person rewrote from a reuse of it (listed otherwise)')
    .option('--json', 'the outcome as one JSON document')
    .action(async (id: string, o: { as: string; reason: string; withDerived?: boolean; json?: boolean }) => {
      const outcome = await (await q()).retire(id.replace(/^#/, ''), { as: o.as, reason: o.reason, withDerived: o.withDerived ?? false });
      const { retired, withdrawn, kept } = outcome.derived;
      const ids = (rs: readonly { id: string }[]): string[] => rs.map((r) => r.id);
      if (outcome.unchanged) {
        // Like deciding the same way twice: nothing to do, said plainly, exit 0.
        const by = `${outcome.event.action === 'retire' ? 'retired' : 'withdrawn'} by ${outcome.event.actor} at ${outcome.event.at}`;
        deps.out(o.json ? `${JSON.stringify({ id: outcome.review.id, unchanged: true, state: outcome.review.state, by: outcome.event.actor, at: outcome.event.at })}\n` : `#${outcome.review.id} unchanged: already ${by}; not reused\n`);
        return;
      }
      if (o.json) {
        deps.out(`${JSON.stringify({ id: outcome.review.id, from: outcome.before.state, to: outcome.review.state, library: outcome.library, derived: { retired: ids(retired), withdrawn: ids(withdrawn), stillServed: ids(kept) } })}\n`);
      } else {
        const list = (rs: readonly { id: string }[]): string => rs.map((r) => `#${r.id}`).join(', ');
        // Each line says only what happened: an answer derived from this one and still served is named, not called withdrawn.
        deps.out(
          [
            `#${outcome.review.id} retired: ${outcome.before.state} → ${outcome.review.state}; no longer reused`,
            ...(retired.length > 0 ? [`also retired (answers copied from it): ${list(retired)}`] : []),
            ...(withdrawn.length > 0 ? [`withdrawn (drafts waiting that reused it): ${list(withdrawn)}`] : []),
            ...(kept.length > 0 ? [`still served (rewritten by a person from a reuse of it): ${list(kept)}; retire them with --with-derived, or one by one`] : []),
          ].join('\n') + '\n',
        );
      }
      if (outcome.library === 'failed') deps.err('the answer library could not be updated; run kotae ingest --rebuild\n');
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    return renderError(error, { out: (line) => deps.out(`${line}\n`), err: (line) => deps.err(`${line}\n`) }, argv.includes('--json'));
  }
}
