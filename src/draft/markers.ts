/**
 * kotae's own words at the head of a draft: the review marker, the hedges it writes only when
 * unsure, and the status leads (はい。/ Yes, / Possibly yes:). The review queue, the review
 * workbook and the customer export read drafts with these; they live apart from the drafter
 * (extractive.ts) so that reading a draft does not load what drafting one needs (the phrasing
 * rules and, through them, the retrieval lexicon and WordNet: the bot's Slack thread has no use
 * for them).
 */
import type { Status } from '../domain.js';
import { escapeRegExp } from '../regexp.js';

/** Starts a draft a reviewer must look at; the file sent to a customer never carries it (stripDraftMarkers). */
export const REVIEW_MARK = { ja: '【要確認】', en: '[Needs review] ' } as const;

/**
 * Every occurrence of kotae's marker with the spaces after it: a reviewer who pastes two drafts
 * together (or keeps a draft that quotes an approved one) carries one per part, and none may
 * reach the customer. The bare words, or 要確認 without its brackets, are the reviewer's own.
 */
const MARKERS = new RegExp(`(?:${Object.values(REVIEW_MARK).map((mark) => mark.trim().replace(/[[\]]/g, '\\$&')).join('|')})[ \t\u3000]*`, 'g');

/**
 * Leads the glossary's names for what a cited row covers, which an English draft writes after
 * its source for a reviewer who cannot read the Japanese row ("… checksheet (covers: backup,
 * database)"). A customer reads them as part of the document's name, so the export drops them;
 * the lead lets it find them without the glossary, which the bot's Slack thread does not load.
 */
export const COVERS_LEAD = 'covers: ';
const COVERS = new RegExp(` \\(${escapeRegExp(COVERS_LEAD)}[^()\n]*\\)`, 'g');

/** The text without the drafter's "(covers: …)" notes for the reviewer. */
export const stripCoverNotes = (text: string): string => text.replace(COVERS, '');

/** The approved text without kotae's own review marker, for the file a customer receives. */
export function stripDraftMarkers(text: string): string {
  return text.replace(MARKERS, '').trimStart();
}

/**
 * How a draft begins that quotes the closest row, not an answer (the judgement left the row's
 * mark blank: it does not state the figure or the qualifier asked): the row must not read as
 * the answer, to a customer or to a reviewer approving it.
 */
export const CLOSEST = { ja: '資料にはお尋ねの点をそのまま述べた記載は見つかりませんでした。', en: 'Our published documentation does not state this directly' } as const;

/**
 * Wording kotae uses only when unsure (see englishDraft, approvedInOtherLanguage): it asks a
 * reviewer to look, and reads as evasive to a customer if approved as it stands.
 */
const HEDGES = [/^Possibly\b[^.:;]*/, /\bmay not fully answer the question\b/, /^The closest evidence is\b/, /not yet translated/, /^承認済みの回答(英語)/, ...Object.values(CLOSEST).map((c) => new RegExp(`^${escapeRegExp(c)}`))];

/** The hedging phrase in a draft's text (marker aside), or null when it states its answer plainly. */
export function hedgeIn(text: string): string | null {
  const t = stripDraftMarkers(text);
  for (const pattern of HEDGES) {
    const m = pattern.exec(t);
    if (m) return m[0];
  }
  return null;
}

export const STATUS_EN: Record<Status, string> = {
  yes: 'Yes',
  no: 'No',
  partial: 'Partially',
  not_applicable: 'Not applicable',
  unknown: '',
};

export const STATUS_JA: Record<Status, string> = {
  yes: 'はい。',
  no: 'いいえ。',
  partial: '一部対応しています。',
  not_applicable: '該当しません。',
  unknown: '',
};

/** What a draft that needs review can only guess the status to be. */
export const GUESS_EN: Record<Status, string> = {
  yes: 'yes',
  no: 'no',
  partial: 'partially in place',
  not_applicable: 'not applicable',
  unknown: '',
};

/**
 * The status a text's lead states in the drafter's own words (STATUS_EN, STATUS_JA, the
 * hedged `Possibly …:` of GUESS_EN), after kotae's review marker; null when it leads with
 * none. The review queue refuses an approval whose text says one status beside another, so
 * the words live here with the drafter that writes them. A lead counts only with the
 * punctuation after it: "No customer data…" states no status.
 */
export function statusAssertedBy(text: string): Status | null {
  const t = stripDraftMarkers(text);
  for (const status of Object.keys(STATUS_EN) as Status[]) {
    if (status === 'unknown') continue;
    const english = [STATUS_EN[status], `Possibly ${GUESS_EN[status]}`].map(escapeRegExp).join('|');
    if (new RegExp(`^(?:${english})\\s*[.,:;!—–]`, 'i').test(t)) return status;
    if (new RegExp(`^${escapeRegExp(STATUS_JA[status].replace(/。$/, ''))}[。、．，.,!！]`).test(t)) return status;
  }
  return null;
}
