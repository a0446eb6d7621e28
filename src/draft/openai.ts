/**
 * The LLM drafter: one structured-output chat completion per question, through the
 * official SDK, against OpenAI or any OpenAI-compatible server (OPENAI_BASE_URL).
 *
 * The model sees the question and the retrieved rows as delimited, escaped data under
 * short ids (E1..En) and must answer with a zod-validated object. Everything it returns
 * is checked before it becomes a Draft: cited ids are mapped back to retrieved passages
 * (unknown ids dropped, uncited assertions withheld), status is compared with the cited
 * rows, and all model text is sanitised (no Slack broadcasts/mentions, no links the
 * evidence does not contain). Citation text is always the passage's own text.
 *
 * It never drops a question: when retrieval abstains the fallback drafter answers without
 * a model call, and any failure (timeout, rate limit after retries, refusal, truncation,
 * invalid output) also falls back, flagged for a human with the reason.
 */
import type OpenAI from 'openai';
import { APIUserAbortError } from 'openai';
import { ContentFilterFinishReasonError, LengthFinishReasonError } from 'openai/error';
import { zodResponseFormat } from 'openai/helpers/zod';
import { z } from 'zod';
import type { Config } from '../config.js';
import { Draft, Status, detectLanguage, type Drafter, type Language, type Retrieval } from '../domain.js';
import type { Logger } from '../log.js';
import { createOpenAIClient, describeError } from '../embed/openai.js';
import { assignEvidenceIds, checkCitations, reconcile, type EvidenceRef } from './citations.js';
import { draftCacheKey, type DraftCache } from './cache.js';
import { DEFAULT_PROMPTS, renderPrompt, type PromptSet } from './prompts.js';
import { extractUrls, inspectModelText, sanitizeModelText, type Removal } from './sanitize.js';

/**
 * What the model must return. Optional fields would break strict structured output, so
 * `reason` is `.nullable()`. Range checks (confidence in 0..1, non-empty answer) are done
 * after parsing, keeping the JSON schema within what compatible servers support.
 */
export const ModelAnswer = z.object({
  answer: z.string().describe('The answer to the question, in the requested language, in the vendor\'s voice.'),
  status: Status.describe('yes | no | partial | not_applicable | unknown'),
  citations: z.array(z.string()).describe('Ids of the evidence relied on, e.g. ["E1", "E3"].'),
  confidence: z.number().describe('0 to 1: how directly the cited evidence answers the question.'),
  needs_human: z.boolean().describe('True when a reviewer must check this answer.'),
  reason: z.string().nullable().describe('One short sentence: why this status, or what to check.'),
});
export type ModelAnswer = z.infer<typeof ModelAnswer>;

export const RESPONSE_FORMAT_NAME = 'questionnaire_answer';

export interface OpenAIDrafterDeps {
  /** Answers when the model must not or cannot (the extractive drafter). */
  fallback: Drafter;
  cache?: DraftCache;
  logger: Logger;
  /** Prompt templates (default: the repo's prompts/). */
  prompts?: PromptSet;
  /** Shared SDK client (default: built from config). */
  client?: OpenAI;
}

/** Reviewer-facing text used instead of a model answer that no valid citation supports. */
const WITHHELD_TEXT: Record<Language, string> = {
  ja: '引用できる根拠が確認できなかったため、回答を保留しました。担当者が確認してください。',
  en: 'No cited evidence supports an answer, so none is given; a reviewer must answer this question.',
};

export function createOpenAIDrafter(config: Pick<Config, 'openai'>, deps: OpenAIDrafterDeps): Drafter {
  return new OpenAIDrafter(config.openai, deps);
}

/** A failure that sends the question to the fallback drafter, with a short reason. */
class FallbackSignal extends Error {
  override readonly name = 'FallbackSignal';
}

export class OpenAIDrafter implements Drafter {
  readonly name = 'openai' as const;
  private readonly client: OpenAI;
  private readonly prompts: PromptSet;
  private readonly logger: Logger;

  constructor(private readonly config: Config['openai'], private readonly deps: OpenAIDrafterDeps) {
    this.logger = deps.logger;
    this.client = deps.client ?? createOpenAIClient(config, deps.logger);
    this.prompts = deps.prompts ?? DEFAULT_PROMPTS;
  }

  async draft(retrieval: Retrieval, options?: { signal?: AbortSignal }): Promise<Draft> {
    // Nothing to rest an answer on: no model call, the offline drafter says so.
    if (retrieval.abstained || retrieval.hits.length === 0) return this.deps.fallback.draft(retrieval, options);

    const evidence = assignEvidenceIds(retrieval.hits);
    const key = draftCacheKey({
      question: retrieval.question,
      product: retrieval.product,
      corpusVersion: retrieval.corpusVersion,
      model: this.config.model,
      promptVersion: this.prompts.version,
      evidence: evidence.map((e) => `${e.hit.passage.id}\u001d${e.hit.passage.requirement}\u001d${e.hit.passage.answer}`),
      endpoint: this.config.baseURL,
    });
    const cached = this.deps.cache?.get(key);
    if (cached) {
      this.logger.debug('draft cache hit', { product: retrieval.product, model: this.config.model });
      return { ...cached, question: retrieval.question };
    }

    let answer: ModelAnswer;
    try {
      answer = await this.ask(retrieval, evidence, options?.signal);
    } catch (error) {
      if (options?.signal?.aborted && error instanceof APIUserAbortError) throw error;
      const reason = error instanceof FallbackSignal ? error.message : describeError(error, this.config.timeoutMs);
      this.logger.warn('openai drafter fell back', { product: retrieval.product, model: this.config.model, reason, error });
      return this.fallBack(retrieval, reason, options);
    }

    const draft = this.toDraft(retrieval, evidence, answer);
    this.deps.cache?.set(key, draft, { model: this.config.model, promptVersion: this.prompts.version });
    return draft;
  }

  /** One structured-output call; throws FallbackSignal (or an SDK error) when there is no usable answer. */
  private async ask(retrieval: Retrieval, evidence: readonly EvidenceRef[], signal: AbortSignal | undefined): Promise<ModelAnswer> {
    const prompt = renderPrompt(retrieval, evidence, this.prompts);
    const started = Date.now();
    let completion;
    try {
      completion = await this.client.chat.completions.parse(
        {
          model: this.config.model,
          messages: [
            { role: 'system', content: prompt.system },
            { role: 'user', content: prompt.user },
          ],
          response_format: zodResponseFormat(ModelAnswer, RESPONSE_FORMAT_NAME),
        },
        signal ? { signal } : undefined,
      );
    } catch (error) {
      if (error instanceof LengthFinishReasonError) throw new FallbackSignal('output truncated');
      if (error instanceof ContentFilterFinishReasonError) throw new FallbackSignal('output blocked by content filter');
      if (error instanceof z.ZodError) throw new FallbackSignal(`invalid output: ${describeZodError(error)}`);
      if (error instanceof SyntaxError) throw new FallbackSignal('invalid output: not JSON');
      throw error;
    }
    const choice = completion.choices[0];
    if (!choice) throw new FallbackSignal('invalid output: no choices');
    if (choice.message.refusal) throw new FallbackSignal('model refused');
    const parsed = choice.message.parsed;
    if (!parsed) throw new FallbackSignal('invalid output: empty response');
    if (parsed.answer.trim() === '') throw new FallbackSignal('invalid output: empty answer');
    if (!Number.isFinite(parsed.confidence) || parsed.confidence < 0 || parsed.confidence > 1) {
      throw new FallbackSignal(`invalid output: confidence ${parsed.confidence} is not between 0 and 1`);
    }
    this.logger.info('openai draft', {
      product: retrieval.product,
      model: this.config.model,
      promptVersion: prompt.version,
      evidence: evidence.length,
      status: parsed.status,
      cited: parsed.citations.length,
      ms: Date.now() - started,
      promptTokens: completion.usage?.prompt_tokens,
      completionTokens: completion.usage?.completion_tokens,
    });
    return parsed;
  }

  /** Applies the citation, status, language and sanitising checks. */
  private toDraft(retrieval: Retrieval, evidence: readonly EvidenceRef[], answer: ModelAnswer): Draft {
    const check = checkCitations(answer.citations, evidence);
    const verdict = reconcile({
      status: answer.status,
      modelNeedsHuman: answer.needs_human,
      modelConfidence: answer.confidence,
      retrievalConfidence: retrieval.confidence,
      check,
    });
    const problems = [...verdict.problems];
    let needsHuman = verdict.needsHuman;

    const allowedUrls = check.cited.flatMap(({ hit: { passage: p } }) =>
      extractUrls([p.requirement, p.answer, p.source, p.title].join('\n')),
    );
    const text = inspectModelText(answer.answer, allowedUrls);
    const modelReason = inspectModelText(answer.reason ?? '', allowedUrls);
    const removed = [...text.removed, ...modelReason.removed];
    if (removed.length > 0) {
      problems.push(`removed from model output: ${summariseRemovals(removed)}`);
      needsHuman = true;
      this.logger.warn('removed mentions/links from model output', { product: retrieval.product, removed });
    }

    let draftText = text.text;
    if (verdict.withheld || draftText === '') {
      draftText = WITHHELD_TEXT[retrieval.lang];
    } else if (!inExpectedLanguage(draftText, retrieval.lang)) {
      problems.push(`answer is not in ${retrieval.lang === 'ja' ? 'Japanese' : 'English'}`);
      needsHuman = true;
    }

    const reasonParts = [...problems];
    if (modelReason.text !== '') reasonParts.push(`model: ${modelReason.text}`);
    const reason = sanitizeModelText(reasonParts.join(' / ') || retrieval.reason, allowedUrls);

    return Draft.parse({
      question: retrieval.question,
      product: retrieval.product,
      lang: retrieval.lang,
      draft: draftText,
      status: verdict.status,
      confidence: verdict.confidence,
      abstained: verdict.withheld || (verdict.status === 'unknown' && check.citations.length === 0),
      needsHuman,
      reason,
      citations: check.citations,
      drafter: 'openai',
      fallback: null,
      corpusVersion: retrieval.corpusVersion,
    });
  }

  private async fallBack(retrieval: Retrieval, reason: string, options?: { signal?: AbortSignal }): Promise<Draft> {
    try {
      const draft = await this.deps.fallback.draft(retrieval, options);
      return { ...draft, drafter: 'extractive', fallback: reason, needsHuman: true };
    } catch (error) {
      if (options?.signal?.aborted) throw error;
      // Last resort: the question is still answered, with nothing asserted.
      this.logger.error('fallback drafter failed', { product: retrieval.product, error });
      return {
        question: retrieval.question,
        product: retrieval.product,
        lang: retrieval.lang,
        draft: WITHHELD_TEXT[retrieval.lang],
        status: 'unknown',
        confidence: 0,
        abstained: true,
        needsHuman: true,
        reason: retrieval.reason,
        citations: [],
        drafter: 'extractive',
        fallback: `${reason}; fallback drafter failed`,
        corpusVersion: retrieval.corpusVersion,
      };
    }
  }
}

function describeZodError(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'schema mismatch';
  const path = issue.path.map(String).join('.');
  return `${path === '' ? '' : `${path}: `}${issue.message}`.slice(0, 200);
}

function summariseRemovals(removed: readonly Removal[]): string {
  const mentions = removed.filter((r) => r.kind === 'mention').length;
  const links = removed.filter((r) => r.kind === 'link').length;
  const parts: string[] = [];
  if (mentions > 0) parts.push(`${mentions} Slack mention${mentions === 1 ? '' : 's'}`);
  if (links > 0) parts.push(`${links} link${links === 1 ? '' : 's'} not in the cited evidence`);
  return parts.join(', ');
}

/** Japanese answers must contain Japanese; English answers must be mostly non-Japanese (quoted terms are fine). */
function inExpectedLanguage(text: string, lang: Language): boolean {
  if (lang === 'ja') return detectLanguage(text) === 'ja';
  const letters = text.replace(/[\s\p{P}\p{S}\d]/gu, '');
  if (letters.length === 0) return true;
  const japanese = letters.match(/[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]/gu)?.length ?? 0;
  return japanese / letters.length < 0.3;
}
