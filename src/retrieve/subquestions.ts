/**
 * Splits a question that asks several things ("Is MFA required for admins, and who approves
 * access?", 「…していますか?また、…できますか?」) into its asks, so that each ask can be
 * matched on its own: a row that fully answers one ask must not lose to a row that touches
 * a word of each. The whole question is always kept as well (sub-questions only add).
 *
 * Splits only where a new clause starts: after a question mark or full stop, at また/および/
 * それと/加えて at the start of a clause, at a semicolon, and at ", and"/"and" followed by a
 * question word or an auxiliary ("and who …", "and is …"). Failing those, two things joined
 * in one sentence ("earthquakes and flooding", 停電や火災) become two asks, each keeping the rest
 * of the sentence. "encrypted in transit and at rest" stays one ask: "at" is not a thing.
 */

/** Shorter pieces are fragments ("and how?"), not asks. */
const MIN_CHARS_JA = 6;
const MIN_CHARS_EN = 12;
const MAX_PARTS = 4;

const EN_CLAUSE =
  /(?:[;?]|\.(?=\s)|,?\s+(?:and|or|also|as well as)\s+(?=(?:who|what|when|where|which|why|how|whether|is|are|do|does|did|can|could|will|would|should|has|have|was|were|please)\b))/giu;

/** Japanese clause starts: a sentence end, a conjunction opening the next ask, or 「Aと、B」. */
const JA_CLAUSE = /(?:[?？。]|[、,]?\s*(?:また|および|及び|並びに|それと|加えて|あわせて|合わせて)[、,]|(?<=[かと])[、,])/gu;

/** Words that cannot be one side of a coordination ("in transit and at rest" names one control). */
const EN_FUNCTION = new Set(
  'a an the and or of in on at to for from by with into is are was were be been do does did can could will would should has have had how what who when where which why whether your our their its this that these those any all each if then than as so not no'.split(' '),
);

/**
 * "against earthquakes and flooding", 「停電や火災が起きた場合」: two things asked about in one
 * sentence. Each ask keeps the sentence and drops the other word, so each is matched with the
 * context it was asked in.
 */
function coordination(text: string, ja: boolean): string[] {
  if (ja) {
    const m = /([\u3400-\u9fff\u30a1-\u30faー]{2,})(や|と|及び|および|または|又は)([\u3400-\u9fff\u30a1-\u30faー]{2,})/u.exec(text);
    if (!m || m.index === undefined) return [];
    const [whole, left = '', , right = ''] = m;
    const before = text.slice(0, m.index);
    const after = text.slice(m.index + whole.length);
    return [`${before}${left}${after}`, `${before}${right}${after}`];
  }
  const m = /\b([A-Za-z][\w-]*) (and|or) ([A-Za-z][\w-]*)\b/.exec(text);
  if (!m || m.index === undefined) return [];
  const [whole, left = '', , right = ''] = m;
  if (EN_FUNCTION.has(left.toLowerCase()) || EN_FUNCTION.has(right.toLowerCase())) return [];
  const before = text.slice(0, m.index);
  const after = text.slice(m.index + whole.length);
  return [`${before}${left}${after}`, `${before}${right}${after}`];
}

/** The asks a question states as clauses of their own; none when it is one clause. */
export function splitClauses(question: string): string[] {
  const text = question.normalize('NFKC').trim();
  const ja = /[\u3040-\u30ff\u3400-\u9fff]/u.test(text);
  const pieces = text
    .split(ja ? JA_CLAUSE : EN_CLAUSE)
    .map((s) => s.trim())
    .filter((s) => s.length >= (ja ? MIN_CHARS_JA : MIN_CHARS_EN));
  return pieces.length > 1 ? pieces.slice(0, MAX_PARTS) : [];
}

/** The asks of a question: its clauses, or failing those two things asked about in one clause. */
export function splitQuestion(question: string): string[] {
  const clauses = splitClauses(question);
  if (clauses.length > 1) return clauses;
  const text = question.normalize('NFKC').trim();
  return coordination(text, /[\u3040-\u30ff\u3400-\u9fff]/u.test(text));
}
