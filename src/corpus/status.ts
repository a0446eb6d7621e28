/**
 * Implementation status of a checksheet row, from its mark (○ × △ …) and the vendor's text,
 * and of a policy section (markdown, PDF), from its text alone, Japanese or English.
 *
 * The mark is the vendor's explicit answer and wins when it is ○ or ×; the text can only
 * qualify it (a ○ whose text admits that part is not done is `partial`). Soft marks (△ ※ -)
 * and rows without a mark take their meaning from the text. All rules are in the tables
 * below so that a reviewer can read — and argue with — the whole policy in one place.
 */
import type { Status } from '../domain.js';
import { normStatusWord, statusFromToken } from '../status-words.js';

/** What a mark can say; "unknown" is what the absence of any evidence says. */
type MarkMeaning = Exclude<Status, 'unknown'>;

/**
 * How a checksheet reads a mark where it differs from the shared vocabulary: the METI-style
 * sheets use '-' (and ー) for "partly" and their PDF extraction turns ○ into 0 or O.
 */
const CHECKSHEET_MARKS: ReadonlyMap<string, MarkMeaning> = new Map<string, MarkMeaning>([
  ['-', 'partial'],
  ['ー', 'partial'],
  ['―', 'partial'],
  ['—', 'partial'],
  ['–', 'partial'],
  ['0', 'yes'],
  ['o', 'yes'],
  ['●', 'yes'],
]);

/** The text puts the control outside the vendor's scope (another party's responsibility). */
const OUT_OF_SCOPE: readonly RegExp[] = [
  /対象外/,
  /該当しません|該当なし|非該当|適用外/,
  // "本事項はAWSの管理範囲となっております" — but not "責任範囲について定めております".
  /(?:管理|責任)範囲(?:となり|となって|となります|であり|です|になり)/,
];

/**
 * A clause saying something is not (yet) done. Only the progressive/potential negatives count:
 * plain negatives such as 閲覧しません or 漏洩いたしません are promises, not gaps.
 */
const NOT_DONE: readonly RegExp[] = [
  /(?:て|で)(?:い|おり)ません|ておらず/, // 提供しておりません, 実施していません, 暗号化されておりません
  /非対応|対応外/, // "クラウド利用者による脆弱性診断は非対応とさせていただきます"
  /^(?!.*しか).*できません/, // but "管理者しか設置できません" is a restriction that works
  /今後.{0,12}予定/, // "今後作成予定です": planned, therefore not done now
];

/** The text restricts how far the control applies (done, but not everywhere). */
const LIMITED: readonly RegExp[] = [
  /一部(?:のみ|の?(?:対応|提供|実施|機能))/,
  /この限りではありません|その限りではありません/,
];

/** A clause stating that something is done. Checked only on clauses that are not negated. */
const AFFIRMATIVE: readonly RegExp[] = [
  // しております, しています, ており、 — but not the attributive "公開されている以上の…".
  /(?:て|で)(?:おり|います|いる(?:[、,]|$))/,
  /実施|設けて|定めて|可能|済み|済です/,
  /ます(?:[、,)]|$)/, // any polite affirmative clause end (ません does not match)
  // A policy's plain-form rule (保管する, 取得し…テストする, 報告しなければならない); 「しない」 does not match.
  /(?:する|される|させる|行う|定める|ければならない)$/,
];

/**
 * English prose (policies, an English vendor's own answers): the same readings by words. A
 * policy states its controls in sentences ("All staff must use MFA", "Backups are encrypted"),
 * so a sentence that is not negated states something done. A negated one ("is not FedRAMP
 * authorized", "has never signed a BAA", "cannot be exported") says something is not done or
 * not held, whatever its verb: no list of verbs can be complete, and a missed one read as done
 * is a confident wrong yes. Only a rule's own negation is a control stated: a prohibition
 * ("staff must not share passwords", "is not permitted"), a promise in the passive
 * ("customer data is never sold") and a protection from someone ("audit logs cannot be modified
 * by operators": the control is in place; whether operators can modify them is answered no by
 * src/retrieve/polarity.ts). Planned work is not done either.
 */
const NEGATED_EN = /\b(?:not|never|cannot|no longer)\b|n't\b/iu;
const RULE_NEGATION_EN = /\b(?:must|may|shall|should|will)\s+(?:not|never)\b|\b(?:is|are)\s+never\b|\bnot\s+(?:permitted|allowed)\b|\bcannot\s+be\s+[a-z]+\s+by\b/iu;
const PLANNED_EN = /\b(?:is|are)\s+planned\b|\bon\s+(?:our|the)\s+roadmap\b/iu;
const notDoneEn = (clause: string): boolean => (NEGATED_EN.test(clause) && !RULE_NEGATION_EN.test(clause)) || PLANNED_EN.test(clause);

/** English: the control applies to part of the service only. */
const LIMITED_EN: readonly RegExp[] = [
  /\b(?:except(?:\s+for)?|excluding|with the exception of)\b/iu,
  /\bonly\s+(?:on|for|in|with)\s+(?:the\s+)?[\w-]+\s+(?:plans?|tiers?|editions?)\b/iu,
];

/**
 * English: a clause with a finite verb states something (policies are written as statements):
 * an auxiliary or modal, or a verb in the present ("Password login requires at least 12
 * characters", "Customers can sign in with SSO"), which a section of only such clauses read as
 * no statement at all and the one negated clause beside them as the whole answer: no.
 */
const AFFIRMATIVE_EN = /\b(?:must|shall|is|are|was|were|will|has|have|can|may|we|our)\b|\b[a-z]{3,}(?:es|s)\s+(?:at|with|in|on|by|to|for|all|every|each|the|a|an|\d)\b/iu;

/** English clauses: sentences, and the part after "but" / "however". Only mostly-Latin clauses of three words or more count. */
function englishClauses(answer: string): string[] {
  return answer
    .normalize('NFKC')
    .replace(/\s+/gu, ' ')
    .split(/(?<=[.!?;])\s+|,?\s+(?:but|however)\s+/iu)
    .map((c) => c.trim())
    .filter((c) => (c.match(/[A-Za-z]+/gu) ?? []).length >= 3 && (c.match(/[A-Za-z]/gu) ?? []).length * 2 > c.replace(/\s/gu, '').length);
}

type MarkReading = MarkMeaning | 'none' | 'value';

function normalise(text: string): string {
  return text.normalize('NFKC').replace(/[\s\u3000]+/gu, '');
}

/** The status a mark stands for, or null when the cell is empty or holds something else (a value, text). */
export function markStatus(mark: string): MarkMeaning | null {
  const own = CHECKSHEET_MARKS.get(normStatusWord(mark));
  if (own) return own;
  const shared = statusFromToken(mark);
  return shared === 'unknown' ? null : shared;
}

function readMark(mark: string): MarkReading {
  if (normalise(mark) === '') return 'none';
  // A filled-in value instead of a symbol ("24時間366日", "年2回"): the vendor states what it provides.
  return markStatus(mark) ?? 'value';
}

/** Clauses, so that "実施していません" is not also read as "実施". */
function clauses(text: string): string[] {
  // Runs after NFKC, which has already turned ．！？ into . ! ?
  return text.split(/[。.!?]|が、|ただし|但し/).filter((c) => c !== '');
}

/** Reads the vendor's text on its own: what it says is done, not done, limited or out of scope. */
function readText(answer: string): { outOfScope: boolean; excludesPart: boolean; notDone: boolean; limited: boolean; affirmative: boolean } {
  const text = normalise(answer);
  const parts = clauses(text);
  const negated = parts.filter((c) => NOT_DONE.some((re) => re.test(c)));
  const en = englishClauses(answer);
  const enNegated = en.filter((c) => notDoneEn(c));
  return {
    outOfScope: OUT_OF_SCOPE.some((re) => re.test(text)),
    excludesPart: parts.some((c) => c.includes('※') && OUT_OF_SCOPE.some((re) => re.test(c))),
    notDone: negated.length > 0 || enNegated.length > 0,
    limited: LIMITED.some((re) => re.test(text)) || en.some((c) => LIMITED_EN.some((re) => re.test(c))),
    affirmative:
      parts.some((c) => !negated.includes(c) && AFFIRMATIVE.some((re) => re.test(c))) || en.some((c) => !enNegated.includes(c) && AFFIRMATIVE_EN.test(c)),
  };
}

/**
 * The clauses of an answer that qualify it: something not done or done only in part.
 * Drafting uses them to tell whether a row's `partial` concerns the question at hand.
 */
export function caveats(answer: string): string[] {
  return [
    ...clauses(normalise(answer)).filter((c) => NOT_DONE.some((re) => re.test(c)) || LIMITED.some((re) => re.test(c))),
    ...englishClauses(answer).filter((c) => notDoneEn(c) || LIMITED_EN.some((re) => re.test(c))),
  ];
}

/**
 * A ※ note that puts part of the service out of scope ("※ products B and C run on the
 * platform and are out of scope") and where it stands in the row: the judgement decides from
 * that whether the note narrows what a question asks (src/judge/scope.ts).
 */
export interface ScopeNote {
  /** The row's text before the note, back to the previous note: the statement the note qualifies. */
  before: string;
  /** The row's text after the note, up to the next note: a statement the note does not reach. */
  after: string;
  /** The note itself: what it puts out of scope. */
  note: string;
}

/**
 * The out-of-scope ※ notes of an answer. A note ends where its out-of-scope clause ends (。,
 * a line or a space after it): checksheets put the next statement right after it.
 */
export function scopeNotes(answer: string): ScopeNote[] {
  const text = answer.normalize('NFKC');
  const found: Array<{ start: number; end: number }> = [];
  for (let at = text.indexOf('※'); at >= 0; at = text.indexOf('※', at + 1)) {
    if (at < (found.at(-1)?.end ?? 0)) continue;
    const rest = text.slice(at);
    const hit = OUT_OF_SCOPE.map((re) => re.exec(rest)).filter((m): m is RegExpExecArray => m !== null && !/[。\n]/.test(rest.slice(0, m.index))).sort((a, b) => a.index - b.index)[0];
    if (!hit) continue;
    const tail = rest.slice(hit.index + hit[0].length);
    const stop = tail.search(/[。\s]/);
    found.push({ start: at, end: at + hit.index + hit[0].length + (stop < 0 ? tail.length : stop + 1) });
  }
  return found.map((n, i) => ({
    before: text.slice(found[i - 1]?.end ?? 0, n.start).trim(),
    after: text.slice(n.end, found[i + 1]?.start ?? text.length).trim(),
    note: text.slice(n.start, n.end).trim(),
  }));
}

/**
 * Status of one row. `mark` is the content of the mark column (empty when the sheet has none),
 * `answer` the vendor's text.
 */
export function inferStatus(mark: string, answer: string): Status {
  const reading = readMark(mark);
  const text = readText(reading === 'value' ? `${mark} ${answer}` : answer);

  switch (reading) {
    case 'no':
    case 'not_applicable':
      return reading;
    case 'yes':
      // Explicit ○: the text cannot turn it into "no" or "not applicable", only qualify it;
      // a note "※ product X is out of scope" means done for some components only.
      return text.notDone || text.limited || text.excludesPart ? 'partial' : 'yes';
    case 'partial':
      return text.outOfScope ? 'not_applicable' : 'partial';
    case 'value':
    case 'none': {
      // A filled-in value is itself a statement of what is provided.
      const affirmative = text.affirmative || reading === 'value';
      if (text.outOfScope) return 'not_applicable';
      if (text.notDone) return affirmative ? 'partial' : 'no';
      if (text.limited) return 'partial';
      return affirmative ? 'yes' : 'unknown';
    }
  }
}
