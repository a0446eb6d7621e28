/**
 * Splits a question that asks several things ("Is MFA required for admins, and who approves
 * access?", 「…していますか?また、…できますか?」) into its asks, so that each ask can be
 * matched on its own: a row that fully answers one ask must not lose to a row that touches
 * a word of each. The whole question is always kept as well (sub-questions only add).
 *
 * Splits only where a new clause starts: after a question mark or full stop, at また/および/
 * それと/加えて at the start of a clause, at a semicolon, and at ", and"/"and" followed by a
 * question word or an auxiliary ("and who …", "and is …"). "encrypted in transit and at rest"
 * stays one ask: it names one control.
 */

/** Shorter pieces are fragments ("and how?"), not asks. */
const MIN_CHARS_JA = 6;
const MIN_CHARS_EN = 12;
const MAX_PARTS = 4;

const EN_CLAUSE =
  /(?:[;?]|\.(?=\s)|,?\s+(?:and|or|also|as well as)\s+(?=(?:who|what|when|where|which|why|how|whether|is|are|do|does|did|can|could|will|would|should|has|have|was|were|please)\b))/giu;

/** Japanese clause starts: a sentence end, or a conjunction opening the next ask. */
const JA_CLAUSE = /(?:[?？。]|[、,]?\s*(?:また|および|及び|並びに|それと|加えて|あわせて|合わせて)[、,]|(?<=か)[、,])/gu;

export function splitQuestion(question: string): string[] {
  const text = question.normalize('NFKC').trim();
  const ja = /[\u3040-\u30ff\u3400-\u9fff]/u.test(text);
  const pieces = text
    .split(ja ? JA_CLAUSE : EN_CLAUSE)
    .map((s) => s.trim())
    .filter((s) => s.length >= (ja ? MIN_CHARS_JA : MIN_CHARS_EN));
  if (pieces.length <= 1) return [];
  return pieces.slice(0, MAX_PARTS);
}
