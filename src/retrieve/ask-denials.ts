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
 * idea (ログの提供) the ask does not name. The ask is read as naming the thing with the give words
 * of lexicon/ask-give.tsv (ログの提供, "provide logs") too; no other word is added.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Passage } from '../domain.js';
import type { Caution } from './caution.js';
import { LEXICON_DIR, stem, tokenizeEn } from './lexicon.js';
import { remarkDenies, type RemarkAsked } from './remark-denial.js';

const Line = z.tuple([z.enum(['en', 'ja']), z.string().min(1)]);

function parseGiveWords(text: string): { ja: string[]; en: string[] } {
  const out = { ja: [] as string[], en: [] as string[] };
  for (const line of text.split('\n').map((l) => l.trim())) {
    if (line === '' || line.startsWith('#')) continue;
    const [lang, list] = Line.parse(line.split('\t'));
    out[lang].push(...list.split('|').map((w) => w.normalize('NFKC').toLowerCase().trim()).filter((w) => w !== ''));
  }
  return out;
}

let loaded: { ja: string[]; en: string[] } | null = null;
const giveWords = (): { ja: string[]; en: string[] } => (loaded ??= parseGiveWords(readFileSync(new URL('ask-give.tsv', LEXICON_DIR), 'utf8')));

/** An ask asking to be handed something, read as naming the thing's provision too (「ログの提供」, "provide logs"). */
function withProvision(ask: RemarkAsked): RemarkAsked {
  if (!ask.give) return ask;
  const give = giveWords();
  const variants = new Set(ask.variants);
  for (const v of ask.variants) for (const g of give.ja) variants.add(`${v}の${g}`).add(`${v}${g}`);
  const stems = new Set([...ask.stems, ...give.en.flatMap((g) => tokenizeEn(g).map(stem))]);
  return { ...ask, variants, stems };
}

/**
 * Per ask of a multi-part question (the asks `remark` holds, in the question's order): the
 * denial in the row's remark that says that ask is not done (no) or only partly (partial), or
 * null. Undefined for a question of one ask, or a row whose remark denies no ask.
 */
export function askDenials(remark: RemarkAsked, passage: Passage): Array<Caution | null> | undefined {
  if (remark.asks.length < 2) return undefined;
  // Each ask read with the others beside it, as the whole question is: a denial joining one ask's
  // predicate to another's object (「バックアップデータの暗号化は行っておりません」 for "is traffic
  // encrypted, and how often are backups taken?") is about neither, though the row's requirement
  // verb (暗号化) would bind it to the second alone.
  const asks = remark.asks.map(withProvision);
  const read = asks.map((ask) => {
    const c = remarkDenies({ ...ask, asks }, passage);
    return c && (c.effect === 'no' || c.effect === 'partial') ? c : null;
  });
  return read.some((c) => c !== null) ? read : undefined;
}
