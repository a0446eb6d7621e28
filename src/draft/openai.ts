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
 * The model decides on the judgement's best candidates, not only on what the offline
 * judgement cited: it sees them also when the judgement declined, and may answer from them
 * or decline. What it may not do is lift the judgement's doubt: a draft the judgement
 * declined or flagged stays flagged, and one that cites rows the judgement did not cite
 * goes out unflagged only when it keeps the judgement's best row (agreeWithJudgement).
 *
 * It never drops a question: with no candidate at all the fallback drafter answers without
 * a model call, and any failure (timeout, rate limit after retries, refusal, truncation,
 * invalid output) also falls back, flagged for a human with the reason.
 */
import type OpenAI from 'openai';
import { APIUserAbortError } from 'openai';
import { ContentFilterFinishReasonError, LengthFinishReasonError } from 'openai/error';
import { zodResponseFormat } from 'openai/helpers/zod';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import { z } from 'zod';
import type { Config } from '../config.js';
import { Draft, Status, declines, detectLanguage, type Drafter, type Hit, type Language, type Retrieval } from '../domain.js';
import type { Logger } from '../log.js';
import { JAPANESE_CLASS } from '../regexp.js';
import { createOpenAIClient, describeError } from '../embed/openai.js';
import { assignEvidenceIds, checkCitations, rankCitations, reconcile, type EvidenceRef } from './citations.js';
import { draftCacheKey, type DraftCache } from './cache.js';
import { DEFAULT_PROMPTS, renderPrompt, type PromptSet } from './prompts.js';
import { extractUrls, inspectModelText, sanitizeModelText, type Removal } from './sanitize.js';
import { mayGoUnreviewed, NOT_PLAIN_YES } from './unreviewed.js';

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

/** Rows shown to the model: enough for the right one to be among them, few enough to read closely. */
export const MAX_EVIDENCE = 10;

/** The judgement's citations first (so its best row is E1), then its next-best candidates, without repeats. */
export function modelEvidence(retrieval: Pick<Retrieval, 'hits' | 'candidates'>): Hit[] {
  const seen = new Set<string>();
  const shown: Hit[] = [];
  for (const hit of [...retrieval.hits, ...(retrieval.candidates ?? [])]) {
    if (shown.length >= MAX_EVIDENCE) break;
    if (seen.has(hit.passage.id)) continue;
    seen.add(hit.passage.id);
    shown.push(hit);
  }
  return shown;
}

/**
 * Keeps the offline judgement's doubt on a model-written draft. The judgement's confidence is
 * the calibrated one (a draft leaves unflagged only above its precision threshold), so a model
 * answer it declined or flagged stays flagged, and one citing rows it did not cite is trusted
 * only when it also cites the judgement's best row. Applied on every return, cached or not,
 * because it depends on the current judgement rather than on the model's answer.
 */
export function agreeWithJudgement(retrieval: Retrieval, draft: Draft): Draft {
  if (draft.needsHuman) return draft;
  const judged = new Set(retrieval.hits.map((h) => h.passage.id));
  const top = retrieval.hits[0]?.passage.id;
  const cited = draft.citations.map((c) => c.id);
  let why: string | null = null;
  if (retrieval.abstained) why = 'the model answered from rows the offline judgement declined to cite';
  else if (retrieval.needsReview) why = retrieval.reason;
  else if (!mayGoUnreviewed(draft.status)) why = NOT_PLAIN_YES[retrieval.lang];
  else if (cited.some((id) => !judged.has(id)) && !(top !== undefined && cited.includes(top))) {
    why = 'the model cited rows the offline judgement did not, without its best row';
  }
  if (why === null) return draft;
  return { ...draft, needsHuman: true, reason: draft.reason === '' || draft.reason === retrieval.reason ? why : `${why} / ${draft.reason}` };
}

export function createOpenAIDrafter(config: Pick<Config, 'openai'>, deps: OpenAIDrafterDeps): Drafter {
  return new OpenAIDrafter(config.openai, deps);
}

/** A model answer that cannot be used (refused, truncated, not the schema), with a short reason. */
export class UnusableOutput extends Error {
  override readonly name = 'UnusableOutput';
}

/**
 * One structured-output chat completion, shared by every model call that expects a schema
 * (drafts, query rewrites): the SDK's parsing errors and empty or refused answers become
 * UnusableOutput with a reason a reviewer can read; transport errors are rethrown as they are.
 */
/**
 * The response format of each schema, converted once: converting a zod schema to JSON Schema
 * took 0.4-0.8 ms of CPU per call (two calls per question: rewrite and draft), on the thread
 * that acks Slack, and was the largest single share of that thread's time in a CPU profile of
 * the Slack bench once retrieval had moved to its own thread.
 */
const responseFormats = new WeakMap<z.ZodType, Map<string, ReturnType<typeof zodResponseFormat>>>();
function responseFormat<S extends z.ZodType>(schema: S, name: string): ReturnType<typeof zodResponseFormat<S>> {
  const byName = responseFormats.get(schema) ?? new Map<string, ReturnType<typeof zodResponseFormat>>();
  responseFormats.set(schema, byName);
  const format = byName.get(name) ?? zodResponseFormat(schema, name);
  byName.set(name, format);
  return format as ReturnType<typeof zodResponseFormat<S>>;
}

export async function structuredCall<S extends z.ZodType>(
  client: OpenAI,
  request: { model: string; messages: ChatCompletionMessageParam[]; schema: S; name: string },
  signal?: AbortSignal,
): Promise<{ parsed: z.infer<S>; usage: CompletionUsage | undefined }> {
  let completion;
  try {
    completion = await client.chat.completions.parse(
      { model: request.model, messages: request.messages, response_format: responseFormat(request.schema, request.name) },
      signal ? { signal } : undefined,
    );
  } catch (error) {
    if (error instanceof LengthFinishReasonError) throw new UnusableOutput('output truncated');
    if (error instanceof ContentFilterFinishReasonError) throw new UnusableOutput('output blocked by content filter');
    if (error instanceof z.ZodError) throw new UnusableOutput(`invalid output: ${describeZodError(error)}`);
    if (error instanceof SyntaxError) throw new UnusableOutput('invalid output: not JSON');
    throw error;
  }
  const choice = completion.choices[0];
  if (!choice) throw new UnusableOutput('invalid output: no choices');
  if (choice.message.refusal) throw new UnusableOutput('model refused');
  const parsed = choice.message.parsed as z.infer<S> | null;
  if (parsed === null || parsed === undefined) throw new UnusableOutput('invalid output: empty response');
  return { parsed, usage: completion.usage };
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
    // Nothing to show the model: no call, the offline drafter says so.
    const shown = modelEvidence(retrieval);
    if (shown.length === 0) return this.deps.fallback.draft(retrieval, options);

    const evidence = assignEvidenceIds(shown);
    const key = draftCacheKey({
      question: retrieval.question,
      product: retrieval.product,
      corpusVersion: retrieval.corpusVersion,
      model: this.config.model,
      promptVersion: this.prompts.version,
      evidence: evidence.map((e) => `${e.hit.passage.id}\u001d${e.hit.passage.requirement}\u001d${e.hit.passage.answer}`),
      endpoint: this.config.baseURL,
    });
    const cached = await this.deps.cache?.get(key);
    if (cached) {
      this.logger.debug('draft cache hit', { product: retrieval.product, model: this.config.model });
      return agreeWithJudgement(retrieval, { ...cached, question: retrieval.question });
    }

    let answer: ModelAnswer;
    try {
      answer = await this.ask(retrieval, evidence, options?.signal);
    } catch (error) {
      if (options?.signal?.aborted && error instanceof APIUserAbortError) throw error;
      const reason = error instanceof UnusableOutput ? error.message : describeError(error, this.config.timeoutMs);
      this.logger.warn('openai drafter fell back', { product: retrieval.product, model: this.config.model, reason, error });
      return this.fallBack(retrieval, reason, options);
    }

    const draft = this.toDraft(retrieval, evidence, answer);
    await this.deps.cache?.set(key, draft, { model: this.config.model, promptVersion: this.prompts.version });
    return agreeWithJudgement(retrieval, draft);
  }

  /** One structured-output call; throws UnusableOutput (or an SDK error) when there is no usable answer. */
  private async ask(retrieval: Retrieval, evidence: readonly EvidenceRef[], signal: AbortSignal | undefined): Promise<ModelAnswer> {
    const prompt = renderPrompt(retrieval, evidence, this.prompts);
    const started = Date.now();
    const { parsed, usage } = await structuredCall(
      this.client,
      {
        model: this.config.model,
        messages: [
          { role: 'system', content: prompt.system },
          { role: 'user', content: prompt.user },
        ],
        schema: ModelAnswer,
        name: RESPONSE_FORMAT_NAME,
      },
      signal,
    );
    if (parsed.answer.trim() === '') throw new UnusableOutput('invalid output: empty answer');
    if (!Number.isFinite(parsed.confidence) || parsed.confidence < 0 || parsed.confidence > 1) {
      throw new UnusableOutput(`invalid output: confidence ${parsed.confidence} is not between 0 and 1`);
    }
    this.logger.info('openai draft', {
      product: retrieval.product,
      model: this.config.model,
      promptVersion: prompt.version,
      evidence: evidence.length,
      judgeAbstained: retrieval.abstained,
      status: parsed.status,
      cited: parsed.citations.length,
      ms: Date.now() - started,
      promptTokens: usage?.prompt_tokens,
      completionTokens: usage?.completion_tokens,
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
      abstained: verdict.withheld || declines(verdict.status),
      needsHuman,
      reason,
      citations: rankCitations(check.citations),
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

/** A Japanese character as the language test reads one (src/domain.ts isJapanese): a model's answer is not NFKC-normalised, so halfwidth katakana count. */
const JAPANESE_CHAR = new RegExp(`[${JAPANESE_CLASS}]`, 'gu');

/** Japanese answers must contain Japanese; English answers must be mostly non-Japanese (quoted terms are fine). */
function inExpectedLanguage(text: string, lang: Language): boolean {
  if (lang === 'ja') return detectLanguage(text) === 'ja';
  const letters = text.replace(/[\s\p{P}\p{S}\d]/gu, '');
  if (letters.length === 0) return true;
  const japanese = letters.match(JAPANESE_CHAR)?.length ?? 0;
  return japanese / letters.length < 0.3;
}
