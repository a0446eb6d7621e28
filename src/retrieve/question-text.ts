/**
 * The question as retrieval should read it. Questionnaire cells arrive with spreadsheet
 * artefacts that are not part of what the customer asks: the apostrophe that escapes a
 * formula trigger ('=..., written by kotae or by the customer's tool), a trigger character
 * itself (=, @, +), and a formula typed or pasted before the text ("@SUM(1+1) 監査ログの…").
 * Left in, "SUM" reads as an acronym, a named topic no passage mentions, and the question is
 * declined as not covered.
 */

/** A leading formula escape: an apostrophe before a trigger character. */
const ESCAPE = /^'(?=[=+\-@])/;
/** A leading trigger and the function calls after it: "@SUM(1+1)", "=IF(A1>0,1,0)+1". */
const FORMULA = /^[=+@]\s*(?:[A-Za-z][A-Za-z0-9._]*\((?:[^()]|\([^()]*\))*\)[\s+\-*/&,;]*)*/;

export function retrievalText(question: string): string {
  const text = question.trim().replace(ESCAPE, '');
  const stripped = text.replace(FORMULA, '').trim();
  // A cell that is nothing but a formula keeps its text: there is nothing else to ask about.
  return stripped.length > 0 ? stripped : text;
}
