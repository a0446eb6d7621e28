/**
 * Ranking, confidence and abstention: pure functions over candidates, so that they can be
 * tested and tuned without a store.
 *
 * Full-text scores (BM25 over n-grams) rank well but are not comparable across queries, so
 * they cannot say "nothing here answers this". Concept coverage can: the share of the
 * question's ideas (weighted) that a passage mentions. And a question whose topic appears
 * nowhere in the product's documents ("SOC 2", "cyber insurance") is one they do not answer,
 * however well its other words match.
 */
import type { Hit, Language, Passage, SourceKind, Status } from '../domain.js';
import { matchKey } from '../corpus/clean.js';
import { caveats } from '../corpus/status.js';
import { searchText } from '../store/schema.js';
import type { Concept } from './expand.js';
import { stem, tokenizeEn } from './lexicon.js';

export interface Candidate {
  passage: Passage;
  /**
   * Search relevance in 0..1: BM25 over the best BM25 when only full-text search ran,
   * reciprocal-rank fusion of the full-text and vector rankings when both did.
   */
  relevance: number;
}

export interface RankedHit extends Hit {
  coverage: number;
}

export interface RankingPolicy {
  /** Below this coverage of the question's ideas, the best passage is not an answer. */
  abstainBelow: number;
  /** When a topic of the question is absent from every passage, abstain below this coverage. */
  topicAbsentBelow: number;
  /** Citations kept: at most this many... */
  maxCitations: number;
  /** ...and only those scoring at least this fraction of the best one. */
  relativeCut: number;
}

export const DEFAULT_POLICY: RankingPolicy = { abstainBelow: 0.35, topicAbsentBelow: 0.7, maxCitations: 5, relativeCut: 0.75 };

/** Approved answers are human-confirmed: they win ties and near-ties. */
const KIND_BONUS: Record<SourceKind, number> = { approved: 0.3, qa: 0.03, control: 0, policy: 0 };

/** A caveat that mentions this share of the question's ideas is about the question. */
const CAVEAT_RELEVANCE = 0.25;

/**
 * Text prepared once for matching: compact for Japanese, spaced for Latin word boundaries,
 * and the stems of its English words so that English sources (approved answers, English
 * policies) meet English questions ("backups" ~ "backup").
 */
export interface TextKey {
  compact: string;
  spaced: string;
  stems: Set<string>;
}

const englishStems = (text: string): string[] => tokenizeEn(text.toLowerCase()).map(stem);

export function textKey(text: string): TextKey {
  const normal = text.normalize('NFKC').toLowerCase();
  return { compact: matchKey(normal), spaced: ` ${normal.replace(/[\s\u3000]+/gu, ' ')} `, stems: new Set(englishStems(normal)) };
}

export interface CompiledConcept {
  source: string;
  weight: number;
  /** Variants containing non-Latin characters, matched as substrings of the compact key. */
  keys: string[];
  /** Latin-only variants, matched as whole words ("ids" must not match "LeySerKids"). */
  words: RegExp | null;
  /** The English words of the question behind the concept, stemmed: one alternative per entry. */
  english: string[][];
  /**
   * A named topic: a glossary concept the question names in English or that has a Latin
   * name (SOC 2, ISMAP, P-mark, DLP), or an unknown acronym. If no passage of the product
   * mentions it, the documents do not cover the question. Japanese wording alone is not
   * enough: a Japanese paraphrase is often absent while the idea is there.
   */
  topic: boolean;
}

const LATIN = /^[\x20-\x7e]+$/;
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function compile(concepts: Concept[]): CompiledConcept[] {
  return concepts
    .map((c) => {
      const variants = [...new Set(c.variants.map((v) => v.normalize('NFKC').toLowerCase().trim()).filter((v) => v.length > 0))];
      const latin = variants.filter((v) => LATIN.test(v));
      const other = variants.filter((v) => !LATIN.test(v)).map(matchKey);
      return {
        source: c.source,
        weight: c.weight,
        keys: other,
        words: latin.length > 0 ? new RegExp(`(?<![a-z0-9])(?:${latin.map((v) => escape(v).replace(/ /g, '\\s*')).join('|')})(?![a-z0-9])`) : null,
        english: LATIN.test(c.source)
          ? c.source.split(/\s+\/\s+/).map(englishStems).filter((stems) => stems.length > 0)
          : [],
        topic:
          c.weight >= 1 &&
          ((c.origin === 'glossary' && (LATIN.test(c.source) || latin.some((v) => /[a-z]{2}/.test(v)))) ||
            (c.origin === 'literal' && /^[A-Za-z]/.test(c.source))),
      };
    })
    .filter((c) => (c.keys.length > 0 || c.words !== null) && c.weight > 0);
}

function mentions(concept: CompiledConcept, key: TextKey): boolean {
  return (
    concept.keys.some((k) => key.compact.includes(k)) ||
    (concept.words?.test(key.spaced) ?? false) ||
    concept.english.some((alternative) => alternative.every((w) => key.stems.has(w)))
  );
}

/** Weighted share of concepts that the text mentions. */
export function coverage(concepts: CompiledConcept[], key: TextKey): number {
  let total = 0;
  let covered = 0;
  for (const c of concepts) {
    total += c.weight;
    if (mentions(c, key)) covered += c.weight;
  }
  return total === 0 ? 0 : covered / total;
}

/** Topics of the question that no passage in the pool mentions. */
export function absentTopics(concepts: CompiledConcept[], pool: TextKey[]): string[] {
  return concepts.filter((c) => c.topic && !pool.some((key) => mentions(c, key))).map((c) => c.source);
}

/**
 * A row is `partial` when its text admits something is not done; whether that matters
 * depends on the question. "Backups are verified daily; restoring single records for
 * users is not offered" fully answers "do you test restores?".
 */
export function statusFor(concepts: CompiledConcept[], passage: Passage): Status {
  if (passage.status !== 'partial') return passage.status;
  const found = caveats(passage.answer);
  if (found.length === 0) return passage.status;
  return found.some((c) => coverage(concepts, textKey(c)) >= CAVEAT_RELEVANCE) ? 'partial' : 'yes';
}

export function rank(concepts: CompiledConcept[], candidates: Candidate[], keyOf: (p: Passage) => TextKey = (p) => textKey(searchText(p))): RankedHit[] {
  return candidates
    .map((c) => {
      const cov = coverage(concepts, keyOf(c.passage));
      const blended = 0.65 * cov + 0.35 * c.relevance;
      const status = statusFor(concepts, c.passage);
      return {
        passage: c.passage,
        coverage: cov,
        score: Math.min(1, blended + KIND_BONUS[c.passage.kind]),
        ...(status === c.passage.status ? {} : { status }),
      };
    })
    .sort((a, b) => b.score - a.score || b.coverage - a.coverage);
}

export interface Decision {
  hits: Hit[];
  confidence: number;
  abstained: boolean;
  reason: string;
}

const percent = (x: number): string => `${Math.round(x * 100)}%`;
const quoted = (terms: string[], lang: Language): string => terms.map((t) => (lang === 'ja' ? `「${t}」` : `“${t}”`)).join(lang === 'ja' ? '' : ', ');

/** Reasons in the question's language: they end up in the customer's sheet and in Slack. */
const REASONS = {
  ja: {
    nothing: 'この製品の資料には質問の内容に触れた記載がありません。担当者の確認が必要です',
    weak: (c: number) => `最も近い記載でも質問の要点の${percent(c)}にしか触れていません。担当者の確認が必要です`,
    absent: (t: string) => `${t}に触れた記載がありません。担当者の確認が必要です`,
    covers: (c: number) => `最も近い記載が質問の要点の${percent(c)}に触れています`,
    pair: (c: number) => `単独で答える記載はなく、二つの記載を合わせて質問の要点の${percent(c)}に触れています。担当者の確認が必要です`,
    butAbsent: (t: string) => `(${t}への言及はありません)`,
  },
  en: {
    nothing: 'no passage in this product’s documents mentions the question’s topic; a human should answer',
    weak: (c: number) => `the closest passage covers only ${percent(c)} of the question’s key terms; a human should answer`,
    absent: (t: string) => `no passage mentions ${t}; a human should answer`,
    covers: (c: number) => `best passage covers ${percent(c)} of the question’s key terms`,
    pair: (c: number) => `no single passage answers this; two together cover ${percent(c)} of the question’s key terms; a human should check`,
    butAbsent: (t: string) => `; none mentions ${t}`,
  },
} as const;

/**
 * Coverage by the best two passages together, among the top three: "how are maintenance and
 * outages announced?" is answered by two rows, each covering half of the question.
 */
export function jointCoverage(concepts: CompiledConcept[], ranked: RankedHit[], keyOf: (p: Passage) => TextKey): number {
  const top = ranked.slice(0, 3).map((h) => keyOf(h.passage));
  let best = 0;
  for (let i = 0; i < top.length; i++) {
    for (let j = i + 1; j < top.length; j++) {
      const a = top[i];
      const b = top[j];
      if (!a || !b) continue;
      // Each idea must be stated by one of the two passages: words of one idea spread over
      // two rows ("SOC" in one, "2" in another) do not state it.
      let total = 0;
      let covered = 0;
      for (const c of concepts) {
        total += c.weight;
        if (mentions(c, a) || mentions(c, b)) covered += c.weight;
      }
      if (total > 0) best = Math.max(best, covered / total);
    }
  }
  return best;
}

export interface Evidence {
  /** Topics of the question that no passage of the product mentions. */
  absent: string[];
  /** Coverage by the best pair of passages (see jointCoverage). */
  joint: number;
}

/** Caps citations and decides whether the evidence answers the question at all. */
export function decide(ranked: RankedHit[], evidence: Evidence, lang: Language, policy: RankingPolicy = DEFAULT_POLICY): Decision {
  const { absent } = evidence;
  const say = REASONS[lang];
  const best = ranked[0];
  if (!best) return { hits: [], confidence: 0, abstained: true, reason: say.nothing };
  // Two passages together may answer a two-part question, so a pair's coverage keeps the
  // question from being abstained on; but two rows can also each match half of one idea
  // ("at rest" in a backup row, "encrypted" in a transit row). Confidence therefore rests
  // on the best single passage, and a draft that needs the pair is flagged for review.
  const single = Math.max(...ranked.slice(0, 3).map((h) => h.coverage));
  const bestCoverage = Math.max(single, 0.9 * evidence.joint);
  const pairOnly = bestCoverage > single;
  const confidence = Math.max(0, Math.min(1, 0.85 * single + 0.15 * best.score));
  const approved = best.passage.kind === 'approved' && best.coverage >= policy.abstainBelow;
  if (!approved && bestCoverage < policy.abstainBelow) {
    return {
      hits: [],
      confidence: Math.min(confidence, policy.abstainBelow),
      abstained: true,
      reason: say.weak(bestCoverage),
    };
  }
  if (!approved && absent.length > 0 && bestCoverage < policy.topicAbsentBelow) {
    return {
      hits: [],
      confidence: Math.min(confidence, policy.abstainBelow),
      abstained: true,
      reason: say.absent(quoted(absent, lang)),
    };
  }
  const hits = ranked
    .filter((h, i) => i === 0 || h.score >= best.score * policy.relativeCut)
    .slice(0, policy.maxCitations)
    .map(({ coverage: _coverage, ...hit }) => hit);
  return {
    hits,
    confidence: absent.length > 0 ? Math.min(confidence, policy.topicAbsentBelow) : confidence,
    abstained: false,
    reason: (pairOnly ? say.pair(bestCoverage) : say.covers(bestCoverage)) + (absent.length > 0 ? say.butAbsent(quoted(absent, lang)) : ''),
  };
}
