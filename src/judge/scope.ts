/**
 * Which qualifications of a row narrow what this question asks: ※ notes that put part of the
 * service out of scope, and caveats about handing things to customers.
 *
 * Whether a ※ note that puts part of the service out of scope narrows what this question asks.
 *
 * At ingest a ○ row with such a note reads `partial` (src/corpus/status.ts): done, but not for
 * every component. That is right for most questions: the labelled sets want `partial` for a
 * question about the service as a whole even when the note shares none of its words (counting
 * the note as a caveat, relevant only when it shares the question's ideas, cost status 0.89 →
 * 0.85). What the note reaches is the statement it follows. A row can go on after the note
 * with another statement ("※ B and C are out of scope. When an outage is detected, customers are
 * notified on the status page"); a question answered by that later statement is not narrowed
 * by the note, and the ○ stands. Nor is a question naming a component the statement names and
 * the note does not put out of scope (a blind trial's "between krewData and kintone" beside a
 * note excluding krewSheet and krewDashboard): the note is about the others.
 *
 * A caveat that something is not handed over (「お客様へのログの提供は行っていません」, "backups
 * are not provided as a restore service for customer mistakes") qualifies a different service
 * than the control the row states: it narrows a question that asks to be given something (a
 * copy, an extract, a download: ./facts.ts `asksForProvision`), and no other. By word overlap
 * alone (statusFor: a caveat mentioning a quarter of the question's ideas) "logs are kept 12
 * months; logs are not provided to customers" was partial for "what is the minimum log
 * retention period?", because the caveat says "logs"; and yes for "can customers download
 * their users' event logs?", because it says "logs" and "users" and little else the question
 * asked.
 */
import type { Passage, Status } from '../domain.js';
import { caveats, scopeNotes, type ScopeNote } from '../corpus/status.js';
import { aboutProvision } from '../retrieve/facts.js';
import { coverage, mentions, statusFor, textKey, type CompiledConcept } from '../retrieve/match.js';
import { compoundBefore } from '../retrieve/compound-head.js';

/**
 * The row's status for this question. For a row read `partial` that has out-of-scope notes:
 * `partial` when a note qualifies the statement that speaks to the question (the statement
 * before the note covers at least as much of the question's ideas as the one after it);
 * otherwise the caveats decide as statusFor does (a caveat about something else does not make
 * the row partial), and a row with no caveat is `yes`. Without notes, statusFor alone.
 *
 * The mark is not kept with the passage, so a soft mark (△) whose row also carries such a note
 * and no caveat is read like a ○: the sample checksheets put these notes on ○ rows only.
 *
 * `named`: every idea the question names, its bracketed glosses too (「記録(システムログ)」), for
 * whether a caveat on handing over is about what the question asks to be given; `concepts` may
 * leave a gloss out (./glosses.ts), as a row's caveats are read without it.
 */
export function scopedStatus(concepts: CompiledConcept[], passage: Passage, asksProvision = false, named: CompiledConcept[] = concepts): Status {
  const status = provisionStatus(concepts, passage, asksProvision, named) ?? statusFor(concepts, passage);
  const notes = passage.status === 'partial' ? scopeNotes(passage.answer) : [];
  if (notes.length === 0) return status;
  // A component the question names, which the statement names and the note does not put out of
  // scope ("between krewData and kintone" beside 「※krewSheet/krewDashboardは…対象外」), is not narrowed by it.
  const names = concepts.filter((c) => c.keys.length === 0 && c.words !== null);
  const keeps = (n: ScopeNote): boolean => names.some((c) => mentions(c, textKey(n.before)) && !mentions(c, textKey(n.note)));
  if (notes.some((n) => !keeps(n) && coverage(concepts, textKey(n.before)) >= coverage(concepts, textKey(n.after)))) return 'partial';
  return caveats(passage.answer).length > 0 ? status : 'yes';
}

/**
 * Whether a caveat names the kind of thing an idea of the question is (「ログの提供は行っておりません」 for
 * "activity logs", whose wordings are 操作ログ, 監査ログ, システムログ): a caveat about handing over logs
 * speaks to "can we get a copy of the activity logs?" though it writes none of the compounds the
 * question's idea is worded as (blind trials s28-s30: answered yes beside 「原則的に利用者へログの提供は
 * 行っておりません」). The caveat must write a last part of the compound (two characters at least) as a
 * word of its own, not the tail of another compound (ブログ is no ログ).
 */
function namesHead(concepts: CompiledConcept[], caveat: string): boolean {
  const text = caveat.normalize('NFKC');
  const standsAlone = (head: string): boolean => {
    for (let at = text.indexOf(head); at >= 0; at = text.indexOf(head, at + 1)) if (compoundBefore(text, at) === '') return true;
    return false;
  };
  // The last parts of a wording's closing compound, shorter than the wording itself.
  const heads = (k: string): string[] => {
    const run = compoundBefore(k, k.length);
    return Array.from({ length: Math.max(0, run.length - 1) }, (_, i) => run.slice(i + 1)).filter((h) => h.length >= 2 && h.length < k.length);
  };
  return concepts.some((c) => c.weight >= 0.5 && c.keys.some((k) => heads(k).some(standsAlone)));
}

/**
 * The status of a row read partial whose caveats include one about handing things over, or
 * null when it has none (statusFor decides). Such a caveat matters when the question asks to
 * be given something and the caveat mentions any of its ideas. Otherwise it is left out when
 * the row's statement (its text without the caveats) mentions every idea of the question the
 * caveat mentions: the caveat then qualifies a neighbouring service of what the row states (the
 * logs it keeps, not provided to customers). A caveat that brings an idea of its own ("a
 * customer's own encryption is not offered") is the row's word on that idea and still matters.
 * What is left decides as statusFor does, caveat by caveat; with nothing left, the row's
 * statement stands: yes.
 */
function provisionStatus(concepts: CompiledConcept[], passage: Passage, asksProvision: boolean, named: CompiledConcept[]): Status | null {
  if (passage.status !== 'partial') return null;
  const found = caveats(passage.answer);
  const handing = found.filter(aboutProvision);
  if (handing.length === 0) return null;
  if (asksProvision) return handing.some((c) => coverage(named, textKey(c)) > 0 || namesHead(named, c)) ? 'partial' : null;
  const statement = textKey(found.reduce((text, c) => text.replace(c, ' '), passage.answer.normalize('NFKC').replace(/[\s\u3000]+/gu, '')));
  const aside = (c: string): boolean => concepts.filter((idea) => mentions(idea, textKey(c))).every((idea) => mentions(idea, statement));
  // statusFor on the caveat alone: the same relevance test, caveat by caveat.
  return found.some((c) => !(handing.includes(c) && aside(c)) && statusFor(concepts, { ...passage, answer: c }) === 'partial') ? 'partial' : 'yes';
}
