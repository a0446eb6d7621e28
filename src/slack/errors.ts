/**
 * What a Slack user reads for an error: the one place the bot turns an error into words.
 * kotae's own errors are written for users (message and hint); the fix the core names as a
 * remedy is said here the Slack way (what to send, whom to ask), never as a CLI command or
 * flag, because the person in Slack has no terminal. Other errors are not shown: they are
 * logged, and the user is told so.
 */
import { KotaeError, type Remedy } from '../errors.js';

const REMEDY: Record<Remedy, string> = {
  'rebuild-index': 'Ask whoever runs kotae to rebuild its index from the documents.',
  'ingest-first': 'Ask whoever runs kotae to load the documents first.',
  'name-layout': 'Give the sheet a header row naming the question column (e.g. 質問 / Question) and the answer column (e.g. 回答 / Answer), then upload it again.',
  'list-reviews': 'The waiting reviews are listed on kotae’s App Home tab.',
  'export-review-sheet': 'Use "Download review sheet" on the questionnaire’s message, fill in 判定 / Decision, and send that file back.',
  'decide-one-by-one': 'Decide flagged drafts one by one from their review cards.',
};

export interface Explained {
  message: string;
  hint: string | undefined;
}

/** The words for `error`; `fallback` when it is not one of kotae's (a bug or an outage). */
export function explain(error: unknown, fallback: string): Explained {
  if (!(error instanceof KotaeError)) return { message: fallback, hint: 'The details are in the bot log.' };
  const hint = [error.hint, error.remedy ? REMEDY[error.remedy] : undefined].filter((h): h is string => Boolean(h)).join('\n');
  return { message: error.message, hint: hint === '' ? undefined : hint };
}
