/**
 * The model-backed query rewriter (interface: src/retrieve/rewrite.ts): one structured-output
 * call restates a question in Japanese checksheet vocabulary and splits it into its asks.
 *
 * It lives with the other model calls (drafts, translations) and not in src/retrieve/,
 * because it needs the prompt files and the SDK helpers here, and retrieval must not depend
 * on the layers above it; the composition root hands it to retrieval.
 *
 * One call per distinct question: results are cached in the workflow database by the
 * normalised question, the model, the endpoint and the prompt version (a questionnaire run
 * again, or the same question asked twice, costs nothing), and concurrent asks of one
 * question share one call. The question is data: escaped between delimiters, as for drafts.
 * What the model returns is checked before use (Japanese only, bounded in number and
 * length); any failure (timeout, refusal, invalid output, a busy database) is logged and
 * gives no rewrite, so the question is retrieved as offline and never fails for it.
 */
import { createHash } from 'node:crypto';
import type OpenAI from 'openai';
import { z } from 'zod';
import type { Config } from '../config.js';
import { detectLanguage } from '../domain.js';
import { describeError } from '../embed/openai.js';
import type { Logger } from '../log.js';
import type { QueryRewrite, QueryRewriter } from '../retrieve/rewrite.js';
import type { Database } from '../store/database.js';
import { normaliseQuestion } from './cache.js';
import { structuredCall, UnusableOutput } from './openai.js';
import { loadRewritePrompt, renderRewritePrompt, type RewritePrompt } from './prompts.js';

/** What the model must return (both fields required: strict structured output). */
export const RewriteOutput = z.object({
  terms: z.array(z.string()).describe('Japanese checksheet words and short phrases a row answering the question would contain, most important first.'),
  sub_questions: z.array(z.string()).describe('One short Japanese question per distinct ask; empty when the question asks one thing.'),
});
export type RewriteOutput = z.infer<typeof RewriteOutput>;

export const REWRITE_FORMAT_NAME = 'query_rewrite';

/** A cached rewrite as stored; re-validated on read. */
const StoredRewrite = z.object({ terms: z.array(z.string()), subQuestions: z.array(z.string()) });

// Bounds on what a rewrite may add to a query: each term becomes search clauses and concepts.
const MAX_TERMS = 10;
const MAX_TERM_CHARS = 30;
const MAX_SUB_QUESTIONS = 5;
const MAX_SUB_QUESTION_CHARS = 200;

function keep(items: readonly string[], max: number, maxChars: number): string[] {
  const kept: string[] = [];
  for (const raw of items) {
    const text = raw.normalize('NFKC').replace(/\s+/gu, ' ').trim();
    if (text === '' || [...text].length > maxChars || detectLanguage(text) !== 'ja' || kept.includes(text)) continue;
    kept.push(text);
    if (kept.length >= max) break;
  }
  return kept;
}

/**
 * What retrieval can use of the model's output: Japanese, short and distinct, in the model's
 * order. Output that had items but none usable is invalid (e.g. English terms only).
 */
export function cleanRewrite(output: RewriteOutput): QueryRewrite {
  const rewrite = {
    terms: keep(output.terms, MAX_TERMS, MAX_TERM_CHARS),
    subQuestions: keep(output.sub_questions, MAX_SUB_QUESTIONS, MAX_SUB_QUESTION_CHARS),
  };
  if (rewrite.terms.length === 0 && output.terms.length > 0) throw new UnusableOutput('invalid output: no usable Japanese terms');
  return rewrite;
}

export function rewriteCacheKey(input: { question: string; model: string; promptVersion: string; endpoint?: string | undefined }): string {
  const parts = ['kotae-rewrite-v1', normaliseQuestion(input.question), input.model, input.promptVersion, input.endpoint ?? ''];
  return createHash('sha256').update(parts.join('\u001e')).digest('hex');
}

export class RewriteCache {
  constructor(private readonly db: Database) {}

  /** The cached rewrite, or undefined on a miss or a row that no longer parses. */
  async get(key: string): Promise<QueryRewrite | undefined> {
    const row = await this.db.get('SELECT rewrite_json FROM rewrite_cache WHERE key = ?', [key]);
    if (row === undefined || typeof row.rewrite_json !== 'string') return undefined;
    try {
      const parsed = StoredRewrite.safeParse(JSON.parse(row.rewrite_json));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  async set(key: string, rewrite: QueryRewrite, meta: { model: string; promptVersion: string }): Promise<void> {
    await this.db.run(
      `INSERT INTO rewrite_cache (key, model, prompt_version, rewrite_json, created_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET rewrite_json = excluded.rewrite_json, created_at = excluded.created_at`,
      [key, meta.model, meta.promptVersion, JSON.stringify(rewrite), new Date().toISOString()],
    );
  }
}

export interface OpenAIRewriterDeps {
  client: OpenAI;
  logger: Logger;
  cache?: RewriteCache;
  /** The rewrite prompt (default: the repo's prompts/rewrite.md). */
  prompt?: RewritePrompt;
}

export function createOpenAIRewriter(config: Pick<Config, 'openai'>, deps: OpenAIRewriterDeps): QueryRewriter {
  return new OpenAIRewriter(config.openai, deps);
}

export class OpenAIRewriter implements QueryRewriter {
  private readonly prompt: RewritePrompt;
  private readonly inFlight = new Map<string, Promise<QueryRewrite | null>>();

  constructor(private readonly config: Config['openai'], private readonly deps: OpenAIRewriterDeps) {
    this.prompt = deps.prompt ?? loadRewritePrompt();
  }

  rewrite(question: string): Promise<QueryRewrite | null> {
    const key = rewriteCacheKey({ question, model: this.config.model, promptVersion: this.prompt.version, endpoint: this.config.baseURL });
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    // The cache read is in flight too, so the same question asked twice at once reads and calls once.
    const call = this.cachedOrCall(question, key).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, call);
    return call;
  }

  private async cachedOrCall(question: string, key: string): Promise<QueryRewrite | null> {
    return (await this.cached(key)) ?? this.call(question, key);
  }

  private async cached(key: string): Promise<QueryRewrite | undefined> {
    try {
      return await this.deps.cache?.get(key);
    } catch (error) {
      // A cache that cannot be read (another process holds the database) costs a call, not the question.
      this.deps.logger.warn('query rewrite cache unreadable; asking the model', { error });
      return undefined;
    }
  }

  private async call(question: string, key: string): Promise<QueryRewrite | null> {
    const started = Date.now();
    let rewrite: QueryRewrite;
    try {
      const { parsed, usage } = await structuredCall(this.deps.client, {
        model: this.config.model,
        messages: [{ role: 'user', content: renderRewritePrompt(question, this.prompt).user }],
        schema: RewriteOutput,
        name: REWRITE_FORMAT_NAME,
      });
      rewrite = cleanRewrite(parsed);
      this.deps.logger.info('openai query rewrite', {
        model: this.config.model,
        promptVersion: this.prompt.version,
        terms: rewrite.terms.length,
        subQuestions: rewrite.subQuestions.length,
        ms: Date.now() - started,
        promptTokens: usage?.prompt_tokens,
        completionTokens: usage?.completion_tokens,
      });
    } catch (error) {
      const reason = error instanceof UnusableOutput ? error.message : describeError(error, this.config.timeoutMs);
      this.deps.logger.warn('query rewrite failed; retrieving without it', { model: this.config.model, reason });
      return null;
    }
    try {
      await this.deps.cache?.set(key, rewrite, { model: this.config.model, promptVersion: this.prompt.version });
    } catch (error) {
      this.deps.logger.warn('query rewrite not cached', { error });
    }
    return rewrite;
  }
}
