/**
 * A question cell whose content is a formula, or text that looks like one. Questionnaire
 * text is data: kotae never evaluates it and never writes it back as a formula. It reads
 * what Excel would show where that can be known without evaluating anything (the label of
 * =HYPERLINK(url, "label"), the joined literals of ="Do you back up "&"data daily?"), and
 * otherwise names the cell instead of drafting an answer to `HYPERLINK` or `A0`: a formula
 * or a DDE payload (=cmd|' /C calc'!A0) is not a question anyone asked.
 */

/** A leading apostrophe before a trigger character: how a spreadsheet escapes text that starts like a formula. */
const ESCAPE = /^'(?=[=+\-@])/;

/** One string literal of a formula: "…" with "" for a quote inside. */
const LITERAL = String.raw`"((?:[^"]|"")*)"`;

const HYPERLINK = new RegExp(String.raw`^=\s*HYPERLINK\s*\(\s*(?:${LITERAL}|[^,;()"]*)\s*[,;]\s*${LITERAL}\s*\)\s*$`, 'iu');
const CONCATENATED = new RegExp(String.raw`^=\s*${LITERAL}(?:\s*&\s*${LITERAL})*\s*$`, 'u');
const LITERALS = new RegExp(LITERAL, 'gu');

/**
 * A DDE call (cmd|' /C calc'!A0) anywhere in a cell that starts with a trigger, the classic
 * injection payload: a `|` with a name before it (a run of word characters and dots holding a
 * letter, then optional spaces). Scanned back from each `|` rather than matched with a
 * backtracking pattern, which took half a second on one 20,000-character cell.
 */
function isDde(text: string): boolean {
  if (!/^[=+\-@]/.test(text)) return false;
  for (let bar = text.indexOf('|'); bar > 0; bar = text.indexOf('|', bar + 1)) {
    let end = bar;
    while (end > 1 && /\s/.test(text[end - 1] ?? '')) end--;
    let start = end;
    while (start > 1 && /[\w.]/.test(text[start - 1] ?? '')) start--;
    if (/[A-Za-z]/.test(text.slice(start, end))) return true;
  }
  return false;
}
/**
 * What follows `=` in a formula: a string, a function call, a cell or sheet reference, a
 * number or a bracket. "=Do you…?" typed as a bullet is not one of these.
 */
const EQUALS_FORMULA = /^=\s*[-+]?\s*(?:"|[A-Za-z_][\w.]*\s*\(|\$?[A-Za-z]{1,3}\$?\d+\b|'[^']*'!|[A-Za-z_][\w.]*!|\d|\()/u;
/** A trigger followed by function calls ("@SUM(A1)", "=IF(A1>0,1,0)+"), as retrieval strips them. */
const LEADING_CALLS = /^[=+\-@]\s*(?:[A-Za-z][\w.]*\((?:[^()]|\([^()]*\))*\)[\s+\-*/&,;]*)+/u;

const unquote = (s: string | undefined): string => (s ?? '').replace(/""/g, '"');

/**
 * What a formula shows when it is nothing but text: HYPERLINK's label, or string literals
 * joined with &. Null for anything that would need evaluating (a reference, a function's result).
 */
export function formulaDisplayText(formula: string): string | null {
  const f = formula.trim().startsWith('=') ? formula.trim() : `=${formula.trim()}`;
  const link = HYPERLINK.exec(f);
  if (link) return unquote(link[2]).trim() || null;
  if (!CONCATENATED.test(f)) return null;
  const text = [...f.matchAll(LITERALS)].map((m) => unquote(m[1])).join('').trim();
  return text === '' ? null : text;
}

export type QuestionCellText =
  /** Read as it is, or as the text the formula shows (HYPERLINK's label). */
  | { kind: 'text'; text: string; recovered: boolean }
  /** A formula whose shown text cannot be known without evaluating it: not a question to answer. */
  | { kind: 'formula' };

/**
 * How a question cell's text is read. Text that merely starts with a trigger ("- Do you…",
 * "@SUM(1+1) 監査ログの…", where the question follows the formula) stays text: retrieval reads
 * it without the artefact (retrieve/question-text.ts).
 */
export function readQuestionText(raw: string): QuestionCellText {
  const text = raw.trim().replace(ESCAPE, '');
  if (!/^[=+\-@]/.test(text)) return { kind: 'text', text: raw, recovered: false };
  if (isDde(text)) return { kind: 'formula' };
  const shown = text.startsWith('=') ? formulaDisplayText(text) : null;
  if (shown !== null) return { kind: 'text', text: shown, recovered: true };
  const calls = LEADING_CALLS.exec(text);
  // Words after the calls are the question, typed behind a formula: read as text.
  if (calls) return /\p{L}{2,}/u.test(text.slice(calls[0].length)) ? { kind: 'text', text: raw, recovered: false } : { kind: 'formula' };
  return text.startsWith('=') && EQUALS_FORMULA.test(text) ? { kind: 'formula' } : { kind: 'text', text: raw, recovered: false };
}
