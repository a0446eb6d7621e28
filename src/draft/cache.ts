/**
 * Draft cache in the workflow SQLite database, so that re-running a questionnaire against
 * an unchanged corpus costs no model calls.
 *
 * The key covers everything the model's draft depends on: the question (normalised), the
 * product, the corpus version, the evidence actually offered, the model and endpoint, and
 * PROMPT_VERSION. Cached drafts are re-validated with the Draft schema on read; a row that
 * no longer parses (schema changed, corruption) is deleted and treated as a miss.
 */
import { createHash } from 'node:crypto';
import { Draft } from '../domain.js';
import { ensureSchema, type WorkflowDb } from '../store/workflow.js';

const DDL = `
CREATE TABLE IF NOT EXISTS draft_cache (
  key            TEXT PRIMARY KEY,
  model          TEXT NOT NULL,
  prompt_version TEXT NOT NULL,
  product        TEXT NOT NULL,
  corpus_version INTEGER NOT NULL,
  draft_json     TEXT NOT NULL,
  created_at     TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS draft_cache_corpus ON draft_cache (product, corpus_version);
`;

export interface DraftCacheKeyInput {
  question: string;
  product: string;
  corpusVersion: number;
  model: string;
  promptVersion: string;
  /**
   * The evidence offered, in order, each as its passage id and text: a retrieval change or
   * a re-ingest that edits a cited row invalidates the draft (ids alone survive edits, and
   * table versions restart after --rebuild).
   */
  evidence?: readonly string[];
  /** OpenAI-compatible endpoint (base URL) or undefined for api.openai.com. */
  endpoint?: string | undefined;
}

/** NFKC, whitespace collapsed, trimmed, lower-cased: `ＭＦＡ を  使っていますか？` ≈ `mfa を 使っていますか?`. */
export function normaliseQuestion(question: string): string {
  return question.normalize('NFKC').replace(/\s+/gu, ' ').trim().toLowerCase();
}

export function draftCacheKey(input: DraftCacheKeyInput): string {
  const parts = [
    'kotae-draft-v1',
    normaliseQuestion(input.question),
    input.product,
    String(input.corpusVersion),
    input.model,
    input.promptVersion,
    (input.evidence ?? []).join('\u001f'),
    input.endpoint ?? '',
  ];
  return createHash('sha256').update(parts.join('\u001e')).digest('hex');
}

export interface CacheMeta {
  model: string;
  promptVersion: string;
}

export class DraftCache {
  private readonly getStmt;
  private readonly putStmt;
  private readonly delStmt;

  constructor(private readonly db: WorkflowDb) {
    ensureSchema(db, DDL);
    this.getStmt = db.prepare<[string], { draft_json: string }>('SELECT draft_json FROM draft_cache WHERE key = ?');
    this.putStmt = db.prepare<[string, string, string, string, number, string, string]>(
      `INSERT INTO draft_cache (key, model, prompt_version, product, corpus_version, draft_json, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(key) DO UPDATE SET draft_json = excluded.draft_json, created_at = excluded.created_at`,
    );
    this.delStmt = db.prepare<[string]>('DELETE FROM draft_cache WHERE key = ?');
  }

  /** The cached draft, or undefined on a miss or when the stored row is no longer a valid Draft. */
  get(key: string): Draft | undefined {
    const row = this.getStmt.get(key);
    if (!row) return undefined;
    let json: unknown;
    try {
      json = JSON.parse(row.draft_json);
    } catch {
      this.delStmt.run(key);
      return undefined;
    }
    const parsed = Draft.safeParse(json);
    if (!parsed.success) {
      this.delStmt.run(key);
      return undefined;
    }
    return parsed.data;
  }

  set(key: string, draft: Draft, meta: CacheMeta): void {
    const valid = Draft.parse(draft);
    this.putStmt.run(
      key,
      meta.model,
      meta.promptVersion,
      valid.product,
      valid.corpusVersion,
      JSON.stringify(valid),
      new Date().toISOString(),
    );
  }

  /** Drops every cached draft of a product built from an older corpus version; returns the count. */
  prune(product: string, keepCorpusVersion: number): number {
    return this.db
      .prepare<[string, number]>('DELETE FROM draft_cache WHERE product = ? AND corpus_version < ?')
      .run(product, keepCorpusVersion).changes;
  }
}
