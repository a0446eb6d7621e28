/**
 * A deterministic stand-in for the ask pipeline in questionnaire tests: the same question
 * always gets the same draft, some abstain, some are flagged, optionally slowly.
 */
import { createHash } from 'node:crypto';
import type { Draft, Language, Status } from '../../src/domain.js';
import type { AnswerFn } from '../../src/questionnaire/job.js';

function hashOf(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0);
}

export interface FakeAnswerOptions {
  /** Every question whose hash is divisible by this abstains (default 5; 0 = never). */
  abstainEvery?: number;
  /** Artificial latency per answer, in ms (default 0). */
  delayMs?: number;
  /** Text of the answer; by default a short sentence naming the question. */
  text?: (question: string) => string;
  /** Called when an answer completes, before it is returned. */
  onAnswer?: (question: string) => void;
}

/** A deterministic Draft for a question: same question, same draft. */
export function fakeDraft(question: string, product: string, opts: FakeAnswerOptions = {}): Draft {
  const h = hashOf(question);
  const every = opts.abstainEvery ?? 5;
  const abstained = every > 0 && h % every === 0;
  const statuses: Status[] = ['yes', 'no', 'partial', 'not_applicable', 'yes', 'yes'];
  const status: Status = abstained ? 'unknown' : (statuses[h % statuses.length] ?? 'yes');
  const lang: Language = /[\u3040-\u30ff\u3400-\u9fff]/u.test(question) ? 'ja' : 'en';
  const line = (h % 400) + 1;
  return {
    question,
    product,
    lang,
    draft: abstained
      ? ''
      : (opts.text?.(question) ?? (lang === 'ja' ? `（テスト回答）${question.slice(0, 24)} について対応しています。` : `(test answer) Covered: ${question.slice(0, 40)}`)),
    status,
    confidence: abstained ? 0.1 : 0.8,
    abstained,
    needsHuman: abstained || h % 7 === 0,
    reason: abstained ? (lang === 'ja' ? '該当する記載がチェックシートにありません' : 'the checksheet does not cover this') : h % 7 === 0 ? 'weak evidence' : '',
    citations: abstained
      ? []
      : [{ id: `${product}/fake.txt#L${line}`, kind: 'control', source: 'fake.txt', locator: `L${line}`, ref: `${(h % 9) + 1}-${(h % 13) + 1}`, text: 'synthetic evidence', score: 0.8 }],
    drafter: 'extractive',
    fallback: null,
    corpusVersion: 1,
  };
}

/** An `answer` function built on `fakeDraft`, optionally slow. */
export function fakeAnswerer(opts: FakeAnswerOptions = {}): AnswerFn {
  return async (question, product) => {
    if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
    const d = fakeDraft(question, product, opts);
    opts.onAnswer?.(question);
    return d;
  };
}
