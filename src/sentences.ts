/**
 * The one sentence split of questions and rows. Readings on both sides cut text into sentences
 * (the question's asks and the asker's own context, src/retrieve/asker-context.ts; a row's
 * clauses and denials, src/retrieve/negation.ts); three splitters drifted apart ("e.g." ended a
 * sentence on one side and not the other, a bullet on one side only), so that a question and
 * the row quoting its words were cut differently. Here once, with what the sides differ in as
 * an option: rows also end what was said before a bullet (■●◆) or a URL.
 */

/** A sentence and the punctuation that ends it ('' for the last one without, or a bullet or URL). */
export interface Sentence {
  text: string;
  end: string;
}

/**
 * Question marks, exclamation marks, 。 (each a run), a full stop before a space or the end (not
 * that of "e.g.", "i.e.", "etc." or "no.", nor a decimal: "TLS 1.2"), and a line break.
 */
const ENDS = String.raw`[?？!！。]+|(?<!\b(?:e\.g|i\.e|etc|vs|approx|incl|no))\.(?=\s|$)|\n`;
/**
 * Rows only: a bullet or a URL ends what was said before it, as a full stop does (the URL itself is no sentence).
 * A URL is its printable ASCII run short of a bracket: Japanese text goes on right after it without a space
 * (「…(https://…/data.html)をご参照ください。※…」), and a URL read up to the next space swallowed every
 * sentence after it, the remark's denials among them.
 */
const ROW_ENDS = String.raw`[■●◆]+|https?:\/\/[!-'*-~]+`;
const QUESTION_RE = new RegExp(ENDS, 'giu');
const ROW_RE = new RegExp(`${ROW_ENDS}|${ENDS}`, 'giu');

/**
 * The sentences of a text, trimmed, empty ones left out. `rows`: a bullet or a URL ends one too
 * (a row's remark lists and links; a question's URL is part of what it asks about).
 */
export function sentences(text: string, options: { rows?: boolean } = {}): Sentence[] {
  const out: Sentence[] = [];
  let start = 0;
  for (const m of text.matchAll(options.rows ? ROW_RE : QUESTION_RE)) {
    const body = text.slice(start, m.index).trim();
    const end = /^https?:/iu.test(m[0]) ? '' : m[0].trim();
    if (body !== '') out.push({ text: body, end });
    start = (m.index ?? 0) + m[0].length;
  }
  const rest = text.slice(start).trim();
  if (rest !== '') out.push({ text: rest, end: '' });
  return out;
}
