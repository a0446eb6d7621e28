/**
 * Which of a question's absent named topics it asks about, rather than gives as an example.
 *
 * A named thing (a standard, certification, law, acronym or named practice: match.ts `topic`)
 * that no passage of the product mentions means the documents do not cover a question about it:
 * "Is the service FedRAMP authorized?" over a Japanese SaaS's sheets has no answer, whatever row
 * shares "authorized" or "baseline" with it. The learned judgement weighs such an absence as
 * one feature among others, so whether it declines moved with every refit (a refit answered
 * FedRAMP from a multi-tenancy row at 67%); the rule is that real named things veto.
 * Two uses of a name do not make the question about it: a name in brackets is an example or a
 * gloss ("(e.g. AES-256)", "(JIP-ISMS517)", "(SIEM-style alerting)"), and a name qualifying
 * another word ("SIEM-style", "IDS-like") says what kind of thing is asked, not the thing itself,
 * and a leading label before a colon ("CEK: can tenants bring their own keys?", a questionnaire's
 * domain code left in the cell) is the sheet's filing, not the question.
 * Those stay a feature; the judgement decides (src/judge/judge.ts).
 */

const masked = (m: string): string => m.replace(/./gu, '\u0003');

/** Brackets' contents and a leading label masked, same length: a name there is an aside. */
function asidesMasked(text: string): string {
  return text.replace(/[(（[［【][^()（）[\]［］【】]*[)）\]］】]/gu, masked).replace(/^\s*[^\s:：?？]{1,12}[:：]/u, masked);
}

/**
 * A name, not a figure: match.ts also takes a figure for a topic ("within 24 hours", 「365日」:
 * a letter or three digits beside a number), and a figure asked is no thing the documents lack.
 * A number counts as part of a name only beside a capital ("SOC 2", "ISO 27001"); a name
 * without digits (FedRAMP, 「Pマーク」, a named practice such as "background screening") is one.
 */
const aName = (n: string): boolean => /[A-Z]/.test(n) || !/[0-9]/.test(n);

const QUALIFIER = /^[-\s]?(?:style|like|type|esque|風|的|ライク)/iu;

function escaped(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The names of `absent` the question asks about: written outside brackets and not as a
 * qualifier. A name not found as written (a glossary head rather than the question's word) is
 * left to the judgement too: no veto on a guess.
 */
export function askedAbsentNames(question: string, absent: readonly string[]): string[] {
  const text = question.normalize('NFKC');
  const written = asidesMasked(text);
  return absent.filter((name) => {
    const n = name.normalize('NFKC');
    if (!aName(n)) return false;
    const latin = /^[\x20-\x7e]+$/.test(n);
    const pattern = new RegExp(latin ? `(?<![A-Za-z0-9])${escaped(n)}(?![A-Za-z0-9])` : escaped(n), 'giu');
    for (const m of written.matchAll(pattern)) {
      if (!QUALIFIER.test(written.slice(m.index + m[0].length))) return true;
    }
    return false;
  });
}
