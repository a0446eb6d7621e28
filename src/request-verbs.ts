/**
 * The Japanese verbs of a request to be told, shown or given something in writing (教えて, ご教示,
 * ご提示, 記載して…). Two readers need the same list: splitting a question into its asks
 * (src/retrieve/subquestions.ts: 「A、Bを教えてください」 is one ask per item) and the question's
 * form (src/draft/question-form.ts: a request is an open question). Kept here, below both, so that
 * a verb added for one is read by the other (before, each held its own copy and they drifted:
 * お聞かせ, 記述して were known to one only), and at the bottom of the layers, like
 * src/instructions.ts, because the bot's Slack thread loads the question form but must never load
 * the retrieval engine (test/ask-thread.test.ts).
 */
export const JA_REQUEST_VERBS = [
  '教えて',
  'お教え',
  'お知らせ',
  'ご教示',
  'ご回答',
  '回答して',
  'ご提示',
  '提示して',
  'ご記入',
  '記入して',
  'ご記載',
  '記載して',
  '記述して',
  'ご説明',
  '説明して',
  '明示して',
  'お示し',
  '示して',
  'お聞かせ',
] as const;

/** The verbs as one regular-expression alternation (no group). */
export const JA_REQUEST_VERB_SOURCE = JA_REQUEST_VERBS.join('|');
