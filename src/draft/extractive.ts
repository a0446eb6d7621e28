/**
 * The offline drafter, and the fallback whenever the model cannot be used: it invents
 * nothing. The draft is the best passage's own answer text with its status; an English
 * question gets a one-line English lead-in and the Japanese evidence quoted as it stands.
 */
import { detectLanguage, type Draft, type Drafter, type Hit, type Passage, type Retrieval, type Status } from '../domain.js';
import { citationFromHit, sourceLabel } from './citations.js';

/** A second passage joins the draft only when it is nearly as relevant as the best one. */
const CO_ANSWER_RATIO = 0.9;

const STATUS_EN: Record<Status, string> = {
  yes: 'Yes',
  no: 'No',
  partial: 'Partially',
  not_applicable: 'Not applicable',
  unknown: 'See below',
};

const STATUS_JA: Record<Status, string> = {
  yes: 'はい。',
  no: 'いいえ。',
  partial: '一部対応しています。',
  not_applicable: '該当しません。',
  unknown: '',
};

/** The status of the best cited passage that has one; several sources that disagree → partial. */
export function combineStatus(hits: Hit[]): Status {
  const known = hits.map((h) => h.status ?? h.passage.status).filter((s) => s !== 'unknown');
  const first = known[0];
  if (!first) return 'unknown';
  return known.every((s) => s === first) ? first : first === 'not_applicable' ? first : 'partial';
}

function where(hit: Hit): string {
  const p = hit.passage;
  return sourceLabel(p);
}

function abstention(retrieval: Retrieval): Draft {
  const draft =
    retrieval.lang === 'ja'
      ? '公開しているチェックシートにはこの質問に該当する記載が見つかりませんでした。セキュリティ担当者が確認のうえ回答します。'
      : 'Our published security documentation does not cover this question. A member of our security team will review it and answer.';
  return { ...base(retrieval), abstained: true, draft, status: 'unknown', needsHuman: true, citations: [] };
}

function base(retrieval: Retrieval): Omit<Draft, 'draft' | 'status' | 'needsHuman' | 'citations'> {
  return {
    question: retrieval.question,
    product: retrieval.product,
    lang: retrieval.lang,
    confidence: retrieval.confidence,
    abstained: retrieval.abstained,
    reason: retrieval.reason,
    drafter: 'extractive',
    fallback: null,
    corpusVersion: retrieval.corpusVersion,
  };
}

export function extractiveDraft(retrieval: Retrieval): Draft {
  const [best, second] = retrieval.hits;
  if (retrieval.abstained || !best) return abstention(retrieval);
  if (best.passage.kind === 'approved') {
    // A human already wrote and approved this answer: reuse it word for word.
    return {
      ...base(retrieval),
      draft: best.passage.answer,
      status: best.status ?? best.passage.status,
      needsHuman: false,
      citations: retrieval.hits.map(citationFromHit),
    };
  }
  const used = second && second.score >= best.score * CO_ANSWER_RATIO && second.passage.answer !== best.passage.answer ? [best, second] : [best];
  const status = combineStatus(used);
  const bodies = used.map((h) => h.passage.answer || h.passage.requirement);
  const needsHuman = status === 'unknown' || retrieval.needsReview;
  let draft: string;
  if (retrieval.lang === 'ja') {
    // A weak match is not stated as the vendor's answer: the reviewer sees it is a guess.
    draft = `${needsHuman ? '【要確認】' : ''}${STATUS_JA[status]}${bodies.join('\n')}`;
  } else {
    const lead = needsHuman
      ? `Needs review (${STATUS_EN[status].toLowerCase()}?): the closest statements in ${sourcesOf(used)} are (${used.map(where).join('; ')})${inLanguage(bodies)}:`
      : `${STATUS_EN[status]}. ${capitalise(sourcesOf(used))} ${used.length > 1 ? 'state' : 'states'} (${used.map(where).join('; ')})${inLanguage(bodies)}:`;
    draft = [lead, ...bodies.map((b) => `> ${b}`)].join('\n');
  }
  return {
    ...base(retrieval),
    draft,
    status,
    needsHuman,
    citations: retrieval.hits.map(citationFromHit),
  };
}

const SOURCE_NAMES: Record<Passage['kind'], string> = {
  control: 'our security checksheet',
  policy: 'our published policy',
  qa: 'a questionnaire we answered before',
  approved: 'an answer our security team approved',
};

function sourcesOf(hits: Hit[]): string {
  const names = [...new Set(hits.map((h) => SOURCE_NAMES[h.passage.kind]))];
  return names.join(' and ');
}

const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** ", in Japanese" when the quoted evidence is Japanese: the reader should know what follows. */
function inLanguage(bodies: string[]): string {
  return bodies.some((b) => detectLanguage(b) === 'ja') ? ', in Japanese' : '';
}

export const extractiveDrafter: Drafter = {
  name: 'extractive',
  draft: async (retrieval) => extractiveDraft(retrieval),
};
