/**
 * Domain types shared by every stage of the pipeline. Each is a zod schema so that
 * the same definition validates data at the boundaries (files, LLM output, Slack
 * payloads, JSON on the CLI) and gives the static type.
 */
import { z } from 'zod';
import { JAPANESE_CLASS } from './regexp.js';

/** One vocabulary for implementation status everywhere: parsers, drafts, JSON, spreadsheets. */
export const STATUSES = ['yes', 'no', 'partial', 'not_applicable', 'unknown'] as const;
export const Status = z.enum(STATUSES);
export type Status = z.infer<typeof Status>;

/**
 * Where a piece of evidence comes from. `approved` answers (from the review queue)
 * outrank everything else; `control` rows are the vendor's checksheets.
 */
export const SourceKind = z.enum(['control', 'policy', 'qa', 'approved']);
export type SourceKind = z.infer<typeof SourceKind>;

export const DocumentFormat = z.enum(['checksheet-text', 'pdf', 'markdown', 'qa-xlsx', 'qa-csv']);
export type DocumentFormat = z.infer<typeof DocumentFormat>;

export const Language = z.enum(['ja', 'en']);
export type Language = z.infer<typeof Language>;

export const ProductKey = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'lowercase letters, digits, ".", "_" or "-", starting with a letter or digit');

/** One document declared in `corpus/manifest.json`. */
export const ManifestEntry = z
  .object({
    file: z.string().min(1),
    product: ProductKey,
    vendor: z.string().nullable().default(null),
    title: z.string().min(1),
    format: DocumentFormat,
    language: Language,
    /** For qa-xlsx: the sheet holding the answered questions (default: first sheet with a detectable header). */
    sheet: z.string().min(1).optional(),
    /** For qa-xlsx / qa-csv: header text or 1-based column number of the question and answer columns. */
    questionColumn: z.union([z.string().min(1), z.number().int().positive()]).optional(),
    answerColumn: z.union([z.string().min(1), z.number().int().positive()]).optional(),
    /** Where the public can read this document (http or https): shown with its citations in the file sent to a customer. */
    url: z.url({ protocol: /^https?$/, error: 'expected a public http(s) address, e.g. https://example.com/security.pdf' }).optional(),
  })
  .strict();
export type ManifestEntry = z.infer<typeof ManifestEntry>;

/**
 * Who approved a reused answer, for which question and when. The answer library sets it on the
 * approved passage and its citations carry it, so every surface words the approval in its own
 * language from these fields; nothing reads a title back. Absent on approvals indexed before it
 * was kept (they are named by their title until the next ingest --rebuild).
 */
export const Approval = z.object({
  /** The question the answer was approved for, as it was asked. */
  question: z.string(),
  /** The approver's user id. */
  approvedBy: z.string(),
  /** ISO 8601 time of the approval. */
  approvedAt: z.string(),
  /**
   * The ids of the passages the approved answer cited, which a reuse of it cites again (and no
   * other row). Absent when it cited none, or on approvals indexed before it was kept.
   */
  restsOn: z.array(z.string()).optional(),
});
export type Approval = z.infer<typeof Approval>;

/**
 * The unit of evidence: one checksheet row, one policy passage, one previously answered
 * question or one approved answer. Everything retrieval returns and drafts cite is a Passage.
 */
export const Passage = z.object({
  /**
   * Stable across re-ingests of an unchanged file: `${product}/${source}#${locator}` for
   * documents, `review#${reviewId}` for approved answers.
   */
  id: z.string().min(1),
  product: ProductKey,
  kind: SourceKind,
  /** File name relative to the corpus directory (`review` for approved answers). */
  source: z.string().min(1),
  /** Document title from the manifest. */
  title: z.string(),
  /** Human-readable position: `L53` (line), `p.3` (page), `Sheet1!R12`, `review #12`. */
  locator: z.string().min(1),
  line: z.number().int().positive().nullable(),
  page: z.number().int().positive().nullable(),
  /** Section headings above the passage, outermost first, cleaned of HTML and OCR noise. */
  sectionPath: z.array(z.string()),
  /** The number the document itself gives the row (`6-15`, `3-2-1`, `12`); empty when none. */
  ref: z.string(),
  /** What is asked or required (the checksheet's 確認事項 / 規定内容 / a policy heading). */
  requirement: z.string(),
  /** What the vendor says it does (備考 / 実施内容 / the policy text / the approved answer). */
  answer: z.string(),
  status: Status,
  /** Set on an approved answer (kind `approved`) by the answer library. */
  approval: Approval.optional(),
});
export type Passage = z.infer<typeof Passage>;

export const Citation = z.object({
  id: z.string(),
  kind: SourceKind,
  source: z.string(),
  locator: z.string(),
  ref: z.string(),
  /** The document's manifest title (absent in citations recorded before titles were kept). */
  title: z.string().optional(),
  /** The cited passage's requirement and answer text, quoted in its original language. */
  text: z.string(),
  score: z.number(),
  /** A reused approval's question, approver and time (absent for documents and for citations recorded before it was kept). */
  approval: Approval.optional(),
});
export type Citation = z.infer<typeof Citation>;

export const DrafterName = z.enum(['extractive', 'openai']);
export type DrafterName = z.infer<typeof DrafterName>;

/** A drafted answer to one question: what `kotae ask --json` prints and what reviewers decide on. */
export const Draft = z.object({
  question: z.string(),
  product: ProductKey,
  lang: Language,
  draft: z.string(),
  status: Status,
  /** 0..1, from retrieval scores (and the model's own estimate when one drafted). */
  confidence: z.number().min(0).max(1),
  /** True when the evidence does not answer the question: nothing is asserted. */
  abstained: z.boolean(),
  /** True when a human must look before this leaves: abstained, fallback, weak or unverified citations. */
  needsHuman: z.boolean(),
  reason: z.string(),
  citations: z.array(Citation),
  drafter: DrafterName,
  /** Why the preferred drafter was not used (timeout, invalid output...), or null. */
  fallback: z.string().nullable(),
  /** LanceDB table version of the evidence the draft was built from. */
  corpusVersion: z.number().int().nonnegative(),
});
export type Draft = z.infer<typeof Draft>;

/**
 * Whether a drafted answer is declined: one with no status (the evidence states neither yes, no
 * nor partly; a figure asked that no cited row states) asserts nothing a reviewer could approve
 * as it is, whichever drafter wrote it, so it counts, files and queues as no answer; its closest
 * rows stay cited for the reviewer. A person's approved answer reused as it stands is theirs, never declined.
 */
export function declines(status: Status, reusedApproval = false): boolean {
  return status === 'unknown' && !reusedApproval;
}

/** One line of `kotae ask --file questions.jsonl`. */
export const QuestionLine = z.object({
  id: z.string().min(1),
  product: ProductKey,
  question: z.string().min(1),
});
export type QuestionLine = z.infer<typeof QuestionLine>;

/** Review workflow states (see src/review/). */
/** `withdrawn`: replaced by a newer draft of the same questionnaire row before anyone decided. */
export const ReviewState = z.enum(['drafted', 'needs_human', 'approved', 'edited', 'rejected', 'stale', 'withdrawn']);
export type ReviewState = z.infer<typeof ReviewState>;

const JAPANESE = new RegExp(`[${JAPANESE_CLASS}]`, 'u');

/**
 * Whether a text holds any Japanese character (kana, kanji, halfwidth katakana): the one test of
 * "is this Japanese", so that the language a question is answered in, its splits and its asker's
 * context are read from the same characters.
 */
export const isJapanese = (text: string): boolean => JAPANESE.test(text);

/** Japanese if it contains any kana or CJK ideograph; questionnaires are otherwise treated as English. */
export function detectLanguage(text: string): Language {
  return isJapanese(text) ? 'ja' : 'en';
}

/** A passage retrieved for a question, with its relevance in 0..1 (1 = best possible). */
export interface Hit {
  passage: Passage;
  score: number;
  /**
   * The passage's status as it bears on this question, when that differs from the row's
   * own: a row marked partial because of a caveat about something else answers "yes".
   */
  status?: Status;
  /**
   * For a figure question: the row does not mention the most specific idea of what the figure is
   * asked of near the figures it states (src/judge/judge.ts), so none of its figures is the one
   * asked; the drafter reads the figure from other rows (src/draft/extractive.ts).
   */
  offFigureSubject?: true;
  /**
   * For a figure question: the row states no figure asked but stands for it (done as needed, given on
   * request: src/retrieve/caution.ts figure-hedged). Where no quoted row states the figure, the drafter
   * answers partial from it rather than blanking the answer (src/draft/extractive.ts).
   */
  figureHedged?: true;
  /**
   * The row's mark was left blank because all it says about the question is that another
   * service's or document's answer holds (「本事項は<基盤>に準じます」: src/retrieve/caution.ts
   * row-defers): an ask answered from it is left open (src/draft/extractive.ts).
   */
  defers?: true;
}

/** What retrieval hands a drafter: the capped, ranked evidence and whether to abstain. */
export interface Retrieval {
  question: string;
  product: string;
  lang: Language;
  /** Capped citations, best first (empty when abstained). */
  hits: Hit[];
  /** P(the drafted answer is right), calibrated out of fold (src/judge/). */
  confidence: number;
  abstained: boolean;
  /** The judgement is not sure enough for the answer to leave without a human looking. */
  needsReview: boolean;
  /** Why it abstained or how sure it is, in a sentence a reviewer can read. */
  reason: string;
  corpusVersion: number;
  /**
   * The judgement's best candidates (at most 10, best first), also when it abstained: a model
   * drafter decides on these itself, so a row the offline judgement doubted can still be shown.
   */
  candidates?: Hit[];
  /**
   * For a question of several asks (src/retrieve/subquestions.ts), each ask in the question's
   * order with the ids of the cited hits the judgement found for it, best first; no ids for an
   * ask no cited row touches. The offline drafter answers each ask from its own rows.
   * `statuses`: where a row cited for several asks reads differently for them, the status it
   * gives this ask (yes to one ask, no to another), by row id.
   */
  asks?: Array<{ text: string; rows: string[]; statuses?: Record<string, Status> }>;
}

/** Turns retrieved evidence into a draft. Implementations: extractive (offline), openai. */
export interface Drafter {
  readonly name: DrafterName;
  draft(retrieval: Retrieval, options?: { signal?: AbortSignal }): Promise<Draft>;
}
