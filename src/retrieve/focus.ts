/**
 * What a question asks OF its topic, beside the topic itself: how far something extends
 * (「どこまで責任を負うのか」: the scope of the liability), who decides it (「誰が決めていますか」:
 * the approval), in which document it is set out (「どの文書で確認できますか」: terms, SLA, rules).
 * Concept coverage and the bigram score read only the topic's words, so a row that repeats them
 * (the secure-area row for "who decides who may enter the secure area", a row naming
 * 責任者 for "which document states your liability") outranked the row that answers the aspect
 * (the entry-approval row, the row saying the liability is set out in the terms of use). The
 * aspect asked becomes an idea of the question whose words are those a row states it with, so
 * the answering row mentions one more idea than the row that only repeats the topic.
 *
 * Only where the product's rows differ on it (some state the aspect, some do not), as the facets
 * of ./facets.ts: an aspect every row or no row states tells no row from another. The patterns and
 * words are data (lexicon/aspects.tsv), general and few.
 */
import { readFileSync } from 'node:fs';
import type { Concept } from './expand.js';
import { LEXICON_DIR } from './lexicon.js';

/** An aspect asked is as specific as a glossary concept: what the question wants to learn. */
const ASPECT_WEIGHT = 1;
/**
 * Of the topic the extent is asked of, only its first variants make the aspect's words (責任 →
 * 責任範囲): the tail variants of a glossary concept are loose, and each adds rows by accident.
 */
const TOPIC_VARIANTS = 3;
/** A generic idea (御社, サービス: weight 0.2 in the glossary) is no topic an extent is asked of. */
const TOPIC_WEIGHT = 0.3;
/** Where a clause of a question ends (global: `matchAll` needs it; `search` ignores it). */
const CLAUSE_ENDS = /[、。?,]/gu;

interface Aspect {
  /** What a reviewer reads as the idea (the question's `source`). */
  name: string;
  /** The question asks it (NFKC, lower-cased text). */
  asked: RegExp;
  /** Words a row states it with, or, for an extent, the suffixes the topic takes (責任 + 範囲). */
  stated: string[];
  /** The words are suffixes of the topic named nearest the question word (an extent of something: topicOf). */
  ofTopic: boolean;
}

/** Parses lexicon/aspects.tsv text; throws naming the line on a malformed one. Exported for its test. */
export function parseAspects(text: string): Aspect[] {
  return text.split('\n').flatMap((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '' || line.startsWith('#')) return [];
    const [name, ofTopic, asked, stated, ...rest] = line.split('\t');
    const words = (stated ?? '').split('|').filter((w) => w !== '');
    if (!name || !asked || words.length === 0 || rest.length > 0 || (ofTopic !== 'topic' && ofTopic !== '-')) {
      throw new Error(`aspects.tsv line ${i + 1}: expected name<TAB>topic|-<TAB>asked<TAB>stated|stated...`);
    }
    return [{ name, asked: new RegExp(asked, 'u'), stated: words, ofTopic: ofTopic === 'topic' }];
  });
}

let loaded: readonly Aspect[] | undefined;
const aspects = (): readonly Aspect[] => (loaded ??= parseAspects(readFileSync(new URL('aspects.tsv', LEXICON_DIR), 'utf8')));

/**
 * The topic an extent is asked of: the question's concept named nearest after the question word
 * in its clause (「どこまで責任を負うのか」), else nearest before it in its clause
 * (「障害時の責任はどこまでですか」). Generic ideas (御社, サービス) are no topic.
 */
function topicOf(text: string, from: number, to: number, concepts: readonly Concept[]): Concept | undefined {
  const after = text.slice(to);
  const end = after.search(CLAUSE_ENDS);
  const later = end < 0 ? after : after.slice(0, end);
  const before = text.slice(0, from);
  const earlier = before.slice(Math.max(0, ...[...before.matchAll(CLAUSE_ENDS)].map((m) => (m.index ?? -1) + 1)));
  const at = (clause: string, last: boolean): Concept | undefined => {
    const found = concepts
      .filter((c) => c.weight >= TOPIC_WEIGHT)
      .map((c) => {
        const source = c.source.normalize('NFKC').toLowerCase();
        return { c, i: last ? clause.lastIndexOf(source) : clause.indexOf(source) };
      })
      .filter((x) => x.i >= 0)
      .sort((a, b) => (last ? b.i - a.i : a.i - b.i));
    return found[0]?.c;
  };
  return at(later, false) ?? at(earlier, true);
}

/**
 * The aspects a question asks, as concepts. `rows` are the product's rows as compact match keys
 * (match.ts TextKey.compact): an aspect is kept only when some rows state it and some do not.
 */
export function aspectConcepts(question: string, concepts: readonly Concept[], rows: readonly string[]): Concept[] {
  const text = question.normalize('NFKC').toLowerCase();
  return aspects().flatMap((a) => {
    const m = a.asked.exec(text);
    if (!m) return [];
    let variants = a.stated;
    let source = a.name;
    if (a.ofTopic) {
      const topic = topicOf(text, m.index, m.index + m[0].length, concepts);
      if (!topic) return [];
      const heads = topic.variants.filter((v) => !/^[\x20-\x7e]+$/.test(v)).slice(0, TOPIC_VARIANTS);
      variants = heads.flatMap((h) => a.stated.map((s) => `${h}${s}`));
      source = `${a.name} of ${topic.source}`;
    }
    const stating = rows.filter((k) => variants.some((v) => k.includes(v))).length;
    return stating > 0 && stating < rows.length && variants.length > 0 ? [{ source, variants, weight: ASPECT_WEIGHT, origin: 'literal' as const }] : [];
  });
}
