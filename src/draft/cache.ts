/**
 * Draft cache in the workflow database (table from store/migrations.ts), so that re-running a questionnaire against
 * an unchanged corpus costs no model calls.
 *
 * The key covers everything the model's draft depends on: the question (normalised), the
 * product, the corpus version, the evidence actually offered, the model and endpoint, and
 * PROMPT_VERSION. Cached drafts are re-validated with the Draft schema on read; a row that
 * no longer parses (schema changed, corruption) is deleted and treated as a miss.
 */
import { createHash } from 'node:crypto';
import { Draft } from '../domain.js';
import { z } from 'zod';
import type { Database } from '../store/database.js';

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

const CachedRow = z.object({ draft_json: z.string() });

export class DraftCache {
  constructor(private readonly db: Database) {}

  /** The cached draft, or undefined on a miss or when the stored row is no longer a valid Draft. */
  async get(key: string): Promise<Draft | undefined> {
    const raw = await this.db.get('SELECT draft_json FROM draft_cache WHERE key = ?', [key]);
    if (raw === undefined) return undefined;
    let json: unknown;
    try {
      json = JSON.parse(CachedRow.parse(raw).draft_json);
    } catch {
      await this.drop(key);
      return undefined;
    }
    const parsed = Draft.safeParse(json);
    if (!parsed.success) {
      await this.drop(key);
      return undefined;
    }
    return parsed.data;
  }

  private async drop(key: string): Promise<void> {
    await this.db.run('DELETE FROM draft_cache WHERE key = ?', [key]);
  }

  async set(key: string, draft: Draft, meta: CacheMeta): Promise<void> {
    const valid = Draft.parse(draft);
    await this.db.run(
      `INSERT INTO draft_cache (key, model, prompt_version, product, corpus_version, draft_json, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET draft_json = excluded.draft_json, created_at = excluded.created_at`,
      [key, meta.model, meta.promptVersion, valid.product, valid.corpusVersion, JSON.stringify(valid), new Date().toISOString()],
    );
  }

  /** Drops every cached draft of a product built from an older corpus version; returns the count. */
  prune(product: string, keepCorpusVersion: number): Promise<number> {
    return this.db.run('DELETE FROM draft_cache WHERE product = ? AND corpus_version < ?', [product, keepCorpusVersion]);
  }
}
