/**
 * Hybrid retrieval for one question within one product: weighted full-text search over
 * the expanded query (always), nearest-vector search (when an embedder is configured),
 * merged and re-ranked by `rank`, then capped or abstained by `decide`.
 */
import { BooleanQuery, MatchQuery, Occur, type FullTextQuery } from '@lancedb/lancedb';
import { detectLanguage, type Passage, type Retrieval } from '../domain.js';
import type { Embedder } from '../embed/embedder.js';
import type { PassageStore, ScoredRow } from '../store/store.js';
import { expandQuery, type Concept } from './expand.js';
import { questionTags } from './tags.js';
import type { Lexicon } from './lexicon.js';
import { searchText } from '../store/schema.js';
import {
  DEFAULT_POLICY,
  absentTopics,
  compile,
  decide,
  jointCoverage,
  rank,
  textKey,
  type Candidate,
  type RankedHit,
  type RankingPolicy,
  type TextKey,
} from './rank.js';

export interface RetrieveDeps {
  store: PassageStore;
  embedder: Embedder;
  lexicon: Lexicon;
  policy?: RankingPolicy;
  /** Products up to this many passages are ranked exhaustively (default: the store's limit). */
  scanLimit?: number;
}

/** Retrieval plus the uncapped ranking, for evaluation and "closest rows" displays. */
export interface RetrievalWithRanking extends Retrieval {
  ranked: RankedHit[];
}

const CANDIDATES = 40;

/** Every variant of every concept, for small products where the query's cost does not matter. */
function broadQuery(question: string, concepts: Concept[]): FullTextQuery {
  const variants = [...new Set(concepts.flatMap((c) => c.variants.map((v) => v.trim())))].filter((v) => [...v].length >= 2);
  const clauses: [Occur, FullTextQuery][] = variants.map((v) => {
    const weight = Math.max(...concepts.filter((c) => c.variants.includes(v)).map((c) => c.weight));
    return [Occur.Should, new MatchQuery(v, 'text', { boost: weight })];
  });
  // The whole question's n-grams catch wording the term splitter cut apart, and, for an
  // English question, English sources (approved answers, English policies) word for word.
  clauses.push([Occur.Should, new MatchQuery(question, 'text', { boost: detectLanguage(question) === 'ja' ? 0.3 : 0.05 })]);
  return new BooleanQuery(clauses);
}

/**
 * Candidates for a large product: passages tagged with the question's glossary concepts,
 * plus an n-gram search for the few words the glossary does not know. Both lists are
 * normalised to their best score and merged, keeping each passage's better score.
 */
async function largeProductCandidates(store: PassageStore, concepts: Concept[], product: string): Promise<ScoredRow[]> {
  const rest = concepts.filter((c) => !c.glossaryIds);
  const restQuery = wordQuery(rest);
  const [byTags, byWords] = await Promise.all([
    store.byConcepts(questionTags(concepts), product, CANDIDATES),
    restQuery ? store.fullText(restQuery, product, CANDIDATES) : Promise.resolve([]),
  ]);
  const merged = new Map<string, ScoredRow>();
  for (const list of [byTags, byWords]) {
    const best = Math.max(0, ...list.map((r) => r.score));
    for (const row of list) {
      const score = best > 0 ? row.score / best : 0;
      const seen = merged.get(row.passage.id);
      if (!seen || seen.score < score) merged.set(row.passage.id, { passage: row.passage, score });
    }
  }
  return [...merged.values()];
}

/**
 * Words the glossary does not know, searched by n-grams in a large product: only the few
 * most specific variants, since each adds posting lists to walk and the n-grams of common
 * words are in most rows (at 100k rows, hundreds of milliseconds).
 */
const WORD_VARIANTS = 4;
const SPECIFIC_WEIGHT = 0.5;

function wordQuery(concepts: Concept[]): FullTextQuery | null {
  const specific = concepts.filter((c) => c.weight >= SPECIFIC_WEIGHT);
  const ordered = [...(specific.length > 0 ? specific : concepts)].sort((a, b) => b.weight - a.weight);
  // Round-robin over concepts so that every idea gets its best variants in before any gets its tail.
  const picked: string[] = [];
  for (let depth = 0; picked.length < WORD_VARIANTS; depth++) {
    const layer = ordered.map((c) => c.variants[depth]).filter((v): v is string => v !== undefined);
    if (layer.length === 0) break;
    for (const v of layer) {
      const t = v.trim();
      // Single characters match almost everything under an n-gram index.
      if ([...t].length >= 2 && !picked.includes(t) && picked.length < WORD_VARIANTS) picked.push(t);
    }
  }
  return picked.length > 0 ? new MatchQuery(picked.join(' '), 'text') : null;
}

/**
 * Match keys of passages, computed once: snapshot passages of small products are the same
 * objects from query to query until the corpus version changes.
 */
const keys = new WeakMap<Passage, TextKey>();
function keyOf(passage: Passage): TextKey {
  let key = keys.get(passage);
  if (!key) {
    key = textKey(searchText(passage));
    keys.set(passage, key);
  }
  return key;
}

/** Reciprocal-rank fusion constant from Cormack et al. (2009). */
const RRF_K = 60;

/** BM25 normalised by the best hit when only full-text ran; RRF when vectors joined in. */
export function fuse(lexical: ScoredRow[], semantic: ScoredRow[]): Candidate[] {
  if (semantic.length === 0) {
    const best = Math.max(0, ...lexical.map((r) => r.score));
    return lexical.map((r) => ({ passage: r.passage, relevance: best > 0 ? r.score / best : 0 }));
  }
  const fused = new Map<string, { passage: Passage; rrf: number }>();
  for (const list of [lexical, semantic]) {
    list.forEach((row, i) => {
      const entry = fused.get(row.passage.id) ?? { passage: row.passage, rrf: 0 };
      entry.rrf += 1 / (RRF_K + i + 1);
      fused.set(row.passage.id, entry);
    });
  }
  const best = Math.max(...[...fused.values()].map((e) => e.rrf));
  return [...fused.values()].map((e) => ({ passage: e.passage, relevance: e.rrf / best }));
}

export async function retrieve(deps: RetrieveDeps, question: string, product: string): Promise<RetrievalWithRanking> {
  const lang = detectLanguage(question);
  const { concepts } = expandQuery(question, deps.lexicon);
  // A small product is ranked in full: every passage gets a coverage score, and search
  // relevance only breaks ties. A large one is narrowed by search first.
  const everything = await deps.store.smallProduct(product, deps.scanLimit);
  const [lexical, semantic] = await Promise.all([
    everything ? deps.store.fullText(broadQuery(question, concepts), product, CANDIDATES) : largeProductCandidates(deps.store, concepts, product),
    deps.store.meta.dimensions > 0
      ? deps.embedder.embed([question]).then(([v]) => (v && v.length > 0 ? deps.store.nearest(v, product, CANDIDATES) : []))
      : Promise.resolve([]),
  ]);
  const candidates = fuse(lexical, semantic);
  if (everything) {
    const found = new Map(candidates.map((c) => [c.passage.id, c]));
    // Use the snapshot's objects so their match keys are cached across questions.
    for (const passage of everything) {
      const hit = found.get(passage.id);
      if (hit) hit.passage = passage;
      else candidates.push({ passage, relevance: 0 });
    }
  }
  const compiled = compile(concepts);
  const ranked = rank(compiled, candidates, keyOf);
  // For a large product the candidates stand in for the whole: a topic that none of the
  // best 40 full-text matches mentions is as good as absent.
  const absent = absentTopics(compiled, (everything ?? candidates.map((c) => c.passage)).map(keyOf));
  const decision = decide(ranked, { absent, joint: jointCoverage(compiled, ranked, keyOf) }, lang, deps.policy ?? DEFAULT_POLICY);
  return {
    question,
    product,
    lang,
    hits: decision.hits,
    confidence: decision.confidence,
    abstained: decision.abstained,
    reason: decision.reason,
    corpusVersion: await deps.store.version(),
    ranked,
  };
}
