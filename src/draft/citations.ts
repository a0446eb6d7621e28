/**
 * Evidence ids and the post-checks that keep a model-written draft honest. Pure: no I/O.
 *
 * The prompt shows the model short ids (E1..En) instead of long passage ids, which it
 * could mangle. Whatever it cites is mapped back here; an id that was not offered is
 * dropped and the draft flagged, and an asserted status with no valid citation is
 * withheld (status `unknown`, needs a human). Citation text always comes from the
 * passage itself, in its original language, never from the model.
 */
import type { Citation, Hit, Passage, Status } from '../domain.js';

/** A retrieved hit under the short id the model sees. */
export interface EvidenceRef {
  /** `E1`, `E2`, … in retrieval order. */
  id: string;
  hit: Hit;
}

export function assignEvidenceIds(hits: readonly Hit[]): EvidenceRef[] {
  return hits.map((hit, i) => ({ id: `E${i + 1}`, hit }));
}

/** The passage's requirement and answer, quoted as written (original language). */
export function citationText(passage: Pick<Passage, 'requirement' | 'answer'>): string {
  return [passage.requirement.trim(), passage.answer.trim()].filter((s) => s.length > 0).join('\n');
}

export function citationFromHit(hit: Hit): Citation {
  const p = hit.passage;
  return {
    id: p.id,
    kind: p.kind,
    source: p.source,
    locator: p.locator,
    ref: p.ref,
    title: p.title,
    text: citationText(p),
    score: hit.score,
    ...(p.approval ? { approval: p.approval } : {}),
  };
}

/**
 * The most sources an answer cites (issue #9: "citations in rank order, at most 5"); the
 * judgement cites no more than this either, and a model's draft is held to it here.
 */
export const MAX_CITED = 5;

/**
 * Citations in rank order, highest score first (stable for ties), at most MAX_CITED. Retrieval may
 * hand the drafter hits grouped per ask of a multi-part question, each scored against the whole
 * question; shown in that order a 0.01 row sat above a 0.13 one, which reads as a ranking it is
 * not. `first` (the judgement's best row; for an answer drafted from the rows an approval rested
 * on, those rows) stays first: the first source listed is the one the answer stands on. A
 * multi-part answer's other rows keep their rank: the filled file's citation list is read as a
 * ranking (its first source the best row), while the text answers ask by ask.
 */
export function rankCitations(citations: readonly Citation[], first: ReadonlySet<string> = new Set()): Citation[] {
  const lead = [...first].flatMap((id) => citations.filter((c) => c.id === id));
  const rest = citations.filter((c) => !first.has(c.id)).sort((a, b) => b.score - a.score);
  return [...lead, ...rest].slice(0, MAX_CITED);
}

export interface CitationCheck {
  /** Valid citations, deduplicated, in the order the model gave them. */
  citations: Citation[];
  cited: EvidenceRef[];
  /** What the model cited that was not offered (as given, shortened). */
  unknown: string[];
}

/** `E1`, `e1`, `[E1]`, `E01`, `"E1"` → `E1`; anything else is returned trimmed. */
export function normaliseEvidenceId(raw: string): string {
  const s = raw.trim().replace(/^[[(<"'「【]+|[\])>"'」】.,;:]+$/gu, '').trim();
  const m = /^e\s*0*(\d+)$/iu.exec(s);
  return m ? `E${m[1] ?? ''}` : s;
}

/** Maps cited ids back to passages; ids that were not offered are reported, not trusted. */
export function checkCitations(ids: readonly string[], evidence: readonly EvidenceRef[]): CitationCheck {
  const byShortId = new Map(evidence.map((e) => [e.id, e]));
  const byPassageId = new Map(evidence.map((e) => [e.hit.passage.id, e]));
  const seen = new Set<string>();
  const cited: EvidenceRef[] = [];
  const unknown: string[] = [];
  for (const raw of ids) {
    const id = normaliseEvidenceId(raw);
    if (id === '') continue;
    const ref = byShortId.get(id) ?? byPassageId.get(id);
    if (!ref) {
      const shown = id.length > 40 ? `${id.slice(0, 40)}…` : id;
      if (!unknown.includes(shown)) unknown.push(shown);
      continue;
    }
    if (seen.has(ref.id)) continue;
    seen.add(ref.id);
    cited.push(ref);
  }
  return { citations: cited.map((e) => citationFromHit(e.hit)), cited, unknown };
}

/**
 * True when the model's yes/no contradicts every definite status among the cited rows:
 * it says `yes` while the cited rows say only `no`, or the reverse. Rows with
 * `unknown`/`not_applicable` status (most policy text) do not count either way.
 */
export function contradictsEvidence(status: Status, cited: readonly EvidenceRef[]): boolean {
  const statuses = new Set(cited.map((e) => e.hit.passage.status));
  if (status === 'yes') return statuses.has('no') && !statuses.has('yes') && !statuses.has('partial');
  if (status === 'no') return (statuses.has('yes') || statuses.has('partial')) && !statuses.has('no');
  return false;
}

/**
 * The model may only lower confidence, never raise it above what retrieval supports:
 * retrieval confidence when the model is at least as sure, otherwise the geometric mean.
 */
export function combineConfidence(retrieval: number, model: number): number {
  const r = clamp01(retrieval);
  const m = clamp01(model);
  return Math.min(r, Math.sqrt(r * m));
}

export function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}

export interface VerdictInput {
  status: Status;
  modelNeedsHuman: boolean;
  modelConfidence: number;
  retrievalConfidence: number;
  check: CitationCheck;
}

export interface Verdict {
  status: Status;
  confidence: number;
  needsHuman: boolean;
  /** True when the model asserted a status no valid citation supports: its text must not be used. */
  withheld: boolean;
  /** Reviewer-facing problems found by the checks, empty when none. */
  problems: string[];
}

/** Applies the citation rules to the model's structured answer. */
export function reconcile(input: VerdictInput): Verdict {
  const { check } = input;
  const problems: string[] = [];
  let status = input.status;
  let confidence = combineConfidence(input.retrievalConfidence, input.modelConfidence);
  let needsHuman = input.modelNeedsHuman || status === 'unknown';
  let withheld = false;

  if (check.unknown.length > 0) {
    problems.push(`model cited evidence that was not retrieved (${check.unknown.join(', ')}); dropped`);
    needsHuman = true;
    const offered = check.citations.length + check.unknown.length;
    confidence *= check.citations.length / offered;
  }
  if (check.citations.length === 0 && status !== 'unknown') {
    problems.push(`model asserted "${status}" without a valid citation; answer withheld`);
    status = 'unknown';
    needsHuman = true;
    withheld = true;
    confidence = 0;
  } else if (contradictsEvidence(status, check.cited)) {
    problems.push(`model said "${status}" but the cited evidence says otherwise`);
    needsHuman = true;
    confidence = Math.min(confidence, 0.3);
  }
  return { status, confidence: clamp01(confidence), needsHuman, withheld, problems };
}
