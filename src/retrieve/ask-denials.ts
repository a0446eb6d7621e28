/**
 * Each ask of a multi-part question read against a row's remark on its own: the remark's denial
 * that binds to that ask (./remark-denial.ts remarkDenies with the ask as the question). Blind
 * trials found questions such as "can admins review audit logs themselves, and will you hand over
 * other logs on request?" drafted yes to both asks, the row cited for the first ask saying in a
 * ※ remark that no other logs are provided: read against the whole question the denial is about
 * one ask only (remarkDenies leaves such a denial to the asks), and no ask was read against it.
 *
 * An ask asking to be handed something ("hand over", 「出してもらえますか」) asks about the
 * thing's provision: the remark says 「ログの提供は行っておりません」 in its own words, a compound
 * idea (ログの提供) the ask does not name. The ask is read as naming the thing with a row's words
 * for handing over (remark-denial.tsv `give`: ログの提供, "provide logs") too; no other word is added.
 */
import type { Passage } from '../domain.js';
import type { Caution } from './caution.js';
import { stem, tokenizeEn } from './lexicon.js';
import { giveWords, remarkDenies, type RemarkAsked } from './remark-denial.js';

/** An ask asking to be handed something, read as naming the thing's provision too (「ログの提供」, "provide logs"). */
function withProvision(ask: RemarkAsked): RemarkAsked {
  if (!ask.give) return ask;
  const variants = new Set(ask.variants);
  for (const v of ask.variants) for (const g of giveWords('ja')) variants.add(`${v}の${g}`).add(`${v}${g}`);
  const stems = new Set([...ask.stems, ...giveWords('en').flatMap((g) => tokenizeEn(g).map(stem))]);
  return { ...ask, variants, stems };
}

/**
 * For a multi-part question (the asks `remark` holds, in the question's order), a reader of a
 * row: per ask, the denial in the row's remark that says that ask is not done (no) or only partly
 * (partial), or null; undefined for a row whose remark denies no ask. Null for a question of one
 * ask. The asks are read once here, not once per row.
 */
export function askDenialReader(remark: RemarkAsked): ((passage: Passage) => Array<Caution | null> | undefined) | null {
  if (remark.asks.length < 2) return null;
  // Each ask read with the others beside it, as the whole question is: a denial joining one ask's
  // predicate to another's object (「バックアップデータの暗号化は行っておりません」 for "is traffic
  // encrypted, and how often are backups taken?") is about neither, though the row's requirement
  // verb (暗号化) would bind it to the second alone.
  const asks = remark.asks.map(withProvision);
  return (passage) => {
    const read = asks.map((ask) => {
      const c = remarkDenies({ ...ask, asks }, passage);
      return c && (c.effect === 'no' || c.effect === 'partial') ? c : null;
    });
    return read.some((c) => c !== null) ? read : undefined;
  };
}
