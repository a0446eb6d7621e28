/**
 * A Japanese compound names one idea; its last word (the head) names only the kind of thing.
 * 健康診断 (a staff health check) and 脆弱性診断 (a vulnerability scan) share the head 診断;
 * アカウントロック and 画面ロック share ロック. When the lexicon knows only the head of the
 * question's compound, the question's idea became a concept for the head alone, and every
 * row with the head in ANY compound "covered" it: new-user trials got confident answers about
 * health checks from a vulnerability-scan row. This module finds, for each concept of the
 * question, the word the question puts before it in the same compound (its modifier); match.ts
 * then counts the concept as mentioned only where a row writes the head with that modifier or
 * on its own, never inside a different compound, and the bigram query leaves out the head's
 * variants (the sense the glossary gives the head is not the question's).
 */
import { matchKey } from '../corpus/clean.js';
import type { Concept } from './expand.js';

/** Characters a Japanese noun compound is written in: kanji and katakana (with the long-vowel mark). */
export const COMPOUND_CHAR = /[\p{Script=Han}\p{Script=Katakana}ー]/u;
export const isCompoundChar = (ch: string): boolean => COMPOUND_CHAR.test(ch);

/**
 * A modifier shorter than this is a prefix (各, 全, 再, 当), not a word that picks a sense:
 * 全従業員 are still 従業員.
 */
const MIN_MODIFIER = 2;

/** The compound characters written right before `at` in `text` (the whole run, nearest last). */
export function compoundBefore(text: string, at: number): string {
  let start = at;
  while (start > 0 && isCompoundChar(text[start - 1] ?? '')) start -= 1;
  return text.slice(start, at);
}

/** Whether a compound character follows `end` in `text`: the match is not the compound's last word. */
const continues = (text: string, end: number): boolean => isCompoundChar(text[end] ?? '');

/**
 * Whether the lexicon gives the head a sense of its own: it is a lexicon concept (not the
 * question's literal word), a full-weight idea (機能, 対策, 情報 weigh less: light nouns
 * whose compound's idea is its modifier), and among its spellings is a longer compound of the
 * head (脆弱性診断 for 診断): the narrower thing the lexicon means by it. A head with no
 * such spelling (ログ read as any log) is not narrowed here.
 */
const SPECIFIC = 1;
function senseOfItsOwn(c: Concept, head: string): boolean {
  if (c.origin === 'literal' || c.weight < SPECIFIC) return false;
  return c.variants.some((v) => {
    const k = matchKey(v.normalize('NFKC').toLowerCase());
    return k.length > head.length && k.endsWith(head);
  });
}

/**
 * A count or a span before the head (30日以上保持, 何世代保持) says how much, not which thing:
 * no modifier. Such a run follows a digit or asks with 何.
 */
const counted = (text: string, start: number, modifier: string): boolean => /\d/.test(text[start - 1] ?? '') || modifier.startsWith('何');

/**
 * The modifier of each concept whose words the question writes as the LAST word of a longer
 * compound (診断 in 健康診断の結果): the compound's earlier characters. A concept written
 * first in its compound (バックアップ of バックアップ取得) modifies the head and keeps its
 * own sense; one written alone, or one the lexicon knows as the whole compound
 * (アカウントロック), has no modifier. Only Japanese sources are read.
 */
export function withModifiers(question: string, concepts: readonly Concept[]): Concept[] {
  const text = matchKey(question.normalize('NFKC').toLowerCase());
  return concepts.map((c) => {
    const source = matchKey(c.source.normalize('NFKC').toLowerCase());
    if (source.length === 0 || ![...source].every(isCompoundChar) || !senseOfItsOwn(c, source)) return c;
    for (let at = text.indexOf(source); at >= 0; at = text.indexOf(source, at + 1)) {
      if (continues(text, at + source.length)) continue;
      const modifier = compoundBefore(text, at);
      if (modifier.length >= MIN_MODIFIER && !counted(text, at - modifier.length, modifier)) return { ...c, modifier };
    }
    return c;
  });
}

/** The modifier withModifiers found for a concept, or null. */
export const modifierOf = (c: Concept): string | null => c.modifier ?? null;

/**
 * Whether the variant occurrence at `at` in a row's compact text is the question's idea: the
 * row writes the modifier in that compound (健康診断, 定期健康診断), or writes the variant
 * on its own (診断を受ける) where the variant is no narrower compound of the head itself
 * (脆弱性診断 as a variant of 診断 is a sense of its own). Either way the row must name the
 * modifier somewhere: a head alone in a row that never says what the question's compound
 * says is about something else.
 */
export function sameCompound(row: string, at: number, variant: string, head: string, modifier: string): boolean {
  if (!row.includes(modifier)) return false;
  const before = compoundBefore(row, at);
  const inner = variant.length > head.length && variant.endsWith(head) ? variant.slice(0, variant.length - head.length) : '';
  const prefix = before + inner;
  return prefix === '' || prefix.endsWith(modifier);
}

