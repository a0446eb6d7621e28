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
 * another word ("SIEM-style", "IDS-like") says what kind of thing is asked, not the thing itself.
 * Those stay a feature; the judgement decides (src/judge/judge.ts). A questionnaire's item label
 * before the question ("CEK:", "IAM-02:") never gets here: ./question-text.ts drops it.
 */
import { wordPattern } from '../regexp.js';
import { bracketsMasked } from './subquestions.js';

/**
 * A name, not a figure: match.ts also takes a figure for a topic ("within 24 hours", 「365日」:
 * a letter or three digits beside a number), and a figure asked is no thing the documents lack.
 * A number counts as part of a name only beside a capital ("SOC 2", "ISO 27001"); a name
 * without digits (FedRAMP, 「Pマーク」, a named practice such as "background screening") is one.
 */
const aName = (n: string): boolean => /[A-Z]/.test(n) || !/[0-9]/.test(n);

const QUALIFIER = /^[-\s]?(?:style|like|type|esque|風|的|ライク)/iu;

/**
 * The names of `absent` the question asks about: written outside brackets and not as a
 * qualifier. A name not found as written (a glossary head rather than the question's word) is
 * left to the judgement too: no veto on a guess.
 */
export function askedAbsentNames(question: string, absent: readonly string[]): string[] {
  const text = question.normalize('NFKC');
  const written = bracketsMasked(text);
  return absent.filter((name) => {
    const n = name.normalize('NFKC');
    if (!aName(n)) return false;
    // A Latin name as whole words, touching no digit either ("SOC 2" is not in "SOC 20").
    const pattern = new RegExp(wordPattern(n, { before: 'a-z0-9', after: 'a-z0-9' }), 'giu');
    for (const m of written.matchAll(pattern)) {
      if (!QUALIFIER.test(written.slice(m.index + m[0].length))) return true;
    }
    return false;
  });
}
