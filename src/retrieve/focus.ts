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
 * of ./facets.ts: an aspect every row or no row states tells no row from another. The words are
 * few and general, kept here beside the patterns that read the question.
 */
import type { Concept } from './expand.js';

/** An aspect asked is as specific as a glossary concept: what the question wants to learn. */
const ASPECT_WEIGHT = 1;
/**
 * Of the topic the extent is asked of, only its first variants make the aspect's words (責任 →
 * 責任範囲): the tail variants of a glossary concept are loose, and each adds rows by accident.
 */
const TOPIC_VARIANTS = 3;
/** A generic idea (御社, サービス: weight 0.2 in the glossary) is no topic an extent is asked of. */
const TOPIC_WEIGHT = 0.3;
/** Where a clause of a question ends. */
const CLAUSE_END = /[、。?,]/u;
const CLAUSE_ENDS = /[、。?,]/gu;

interface Aspect {
  /** What a reviewer reads as the idea (the question's `source`). */
  name: string;
  /** The question asks it (NFKC, lower-cased text). */
  asked: RegExp;
  /** Words a row states it with, or, for an extent, the suffixes the topic takes (責任 + 範囲). */
  stated: string[];
  /** The words are suffixes of the topic named nearest the question word (an extent of something: ./focus.ts topicOf). */
  ofTopic?: boolean;
}

const ASPECTS: readonly Aspect[] = [
  {
    // 「どこまで責任を負うのか」, "to what extent are you liable": the row stating the scope (責任範囲, 責任分界).
    name: 'extent',
    asked: /どこまで|どの範囲|to what extent|how far (?!in advance)|the (?:scope|extent|limits?) of (?:your|the vendor'?s?) /u,
    stated: ['範囲', 'の範囲', '分担', '分界'],
    ofTopic: true,
  },
  {
    // 「誰が…決めていますか」, "who decides / approves": the row stating the approval or permission.
    name: 'decided by',
    asked: /(?:誰|だれ|どなた|どの部署|どの役職)(?:が|の)[^。?]{0,24}?(?:決め|決定|承認|許可|認め|判断)|who (?:decides|approves|authori[sz]es|grants|determines|signs off)/u,
    stated: ['承認', '許可', '認可', '決定', 'approval', 'approved', 'authorised', 'authorized', 'authorisation', 'authorization'],
  },
  {
    // 「どの文書で確認できますか」「どこに定められていますか」, "which document states": the row naming the document or its link.
    name: 'set out in',
    asked: /どの(?:文書|書類|資料|規程|契約)|どこ(?:に|で)(?:定め|記載|明記|規定|書かれ|確認|読め|見られ|閲覧)|何に(?:定め|記載|明記)|(?:which|what) (?:document|contract|agreement|policy document)|where (?:is|are) [^?]{0,60}?(?:documented|defined|stated|written|set out|specified)/u,
    stated: ['規約', '規程', '規則', '契約', 'sla', 'マニュアル', 'ホームページ', 'に記載', 'に明記', 'で公開', 'http', 'https'],
  },
];

/**
 * The topic an extent is asked of: the question's concept named nearest after the question word
 * in its clause (「どこまで責任を負うのか」), else nearest before it in its clause
 * (「障害時の責任はどこまでですか」). Generic ideas (御社, サービス) are no topic.
 */
function topicOf(text: string, from: number, to: number, concepts: readonly Concept[]): Concept | undefined {
  const after = text.slice(to);
  const end = after.search(CLAUSE_END);
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
  return ASPECTS.flatMap((a) => {
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
