/**
 * A caution: why the rows cannot answer a question plainly, whatever their marks say. One
 * concept for what used to be three parallel mechanisms (contradicting alternatives, cautions,
 * undeclared facts), so that the judgement reads them in one place, caps confidence one way and
 * gives one kind of reason.
 *
 * Retrieval finds them (it reads the question and the rows: ./alternatives.ts, ./negation.ts,
 * ./quantities.ts, ./facts.ts); the judgement (src/judge/judge.ts) applies them. Each is a
 * stated rule, like SAME_QUESTION: the labelled sets hold too few such questions to learn them.
 *
 * - alternatives: the row names another of the exclusive alternatives asked about (AWS for
 *   "hosted on Azure?"): its mark says nothing about the one asked.
 * - negated: the question is phrased in the negative, so a yes or no reads both ways. When only
 *   some asks of a multi-part question are ("Is the system redundant? Is there no single point of
 *   failure?"), the rows' marks still answer the others plainly: the statuses stand, flagged.
 * - figure: the question asks for a figure (within 30 days, how many generations) the row
 *   does not state.
 * - figure-hedged: the question asks for a figure the row does not state, and the row's sentence
 *   about it says it is done as needed (「必要に応じて…実施」, for how often) or the figure is given on
 *   request (「目標復旧時間については情報を提供することが可能」): partial, flagged, the row's words
 *   quoted. It is what a person answers with once the figure is obtained (blind trial s20 declined
 *   both); a row saying nothing of the figure keeps the figure caution.
 * - row-says-not-done: the row says part of what is asked is not done.
 * - row-denies: the row's statement about what is asked is that it is not done
 *   (「…は一切行いません」, "we do not issue …"): the answer is no (issue #9: no when the row
 *   says it is not done, yes only when a cited row states the control).
 * - row-restricts: the question asks for round-the-clock coverage, or for a part of the week or
 *   day (土日, 夜間, 18時まで), and the row limits the service to other hours or days (「平日9:00-17:30」,
 *   「土日・祝祭日を除く」: ./coverage-hours.ts): no, the limit named; partial when the question asks a
 *   covered part too or the row covers the rest on a best-effort basis.
 * - figure-fails: the row states a figure of the kind asked that fails the bound asked
 *   ("at least 99.95%?" and a row's 99.9%): the answer is no, the figure named; partial when the
 *   question states another figure the row meets ("RPO within 1 hour and RTO within 4 hours"), both named.
 * - unstated-fact: the question asks for a fact (past events, a name, a certification, a
 *   country) and only a cited row stating one can answer it. When only some asks of several
 *   want it, the rows answer the others: partial, the ask they leave open named.
 * - row-rules-out: the row's requirement is that what is asked does not happen (「契約は事業者側が
 *   一方的に解除できる条件になっていないこと」 ○) and the question asks whether it does ("Can the vendor
 *   terminate unilaterally?"): the answer is no, the requirement quoted. A question asking whether
 *   it is kept from happening ("is it ensured that … cannot …", 禁止, prevent) is not given it.
 * - row-refuses-some: the row refuses what is asked except in some cases (「書面による承諾を得ることなく
 *   …第三者に開示いたしません」, "not shared except as required by law"): partial, the row's words quoted.
 * - bad-practice: the question asks about a weak practice (passwords in plain text, shared accounts)
 *   and the row does not name it: a row stating the sound practice instead (encrypted, hashed)
 *   answers no (effect no), a row naming neither says nothing about it (effect unknown).
 * - opposite: the question names one side of an opposite pair (external, 国内) and the row only
 *   the other (自社, 海外): its mark says nothing about what is asked, no yes (effect unknown).
 * - set-aside: the question sets a named thing aside ("apart from AWS's own reports, has the
 *   vendor itself been audited?", 「…とは別に」) and the row names it: the row's mark rests on the
 *   thing set aside (the provider's reports, the platform's certification) and says nothing about
 *   what is asked, the vendor's own (effect unknown: no yes, no partial).
 * - bad-state: the question asks whether a bad state exists ("Is there any laptop without disk
 *   encryption?", 「…していない場合はありますか」): a row stating the control is in place answers
 *   no; any other mark is no answer to it (unknown), never a yes (effect no).
 * - ask-partly: a multi-part question whose best row's part is done, and a row cited for another
 *   ask says that part is not, or only partly: the answer is partial, that row named.
 * - qualifier: the question narrows what it asks by a qualifier vendors often write a service off
 *   for (by mistake, free of charge, on-site: ./negation.ts qualifiersAsked). Nothing by itself;
 *   the judgement gives a cited row whose denial names it `row-denies-asked`.
 * - row-denies-asked: the row's denial names the qualifier asked about (「お客様の誤操作等による…
 *   復旧機能としては提供しておりません」 for "can you restore what we deleted by mistake?"): the
 *   answer is no, the denial quoted, whatever the row's mark; partial where another sentence of
 *   the row offers it for a fee or on request (「なお、有償で…参照環境を提供できる場合があります」:
 *   three blind-trial writers apart read such a row partial).
 * - remark-denies: the row's remark says that exactly what is asked is not done, inside a row
 *   marked as done (「定期的な明示はしていません」 for "do you publish periodic reports?",
 *   「…では動作しません」 for "can it be used on …?"): no, or partial when the same sentence says
 *   what is done instead or the denial holds only as a rule (./remark-denial.ts, which binds the
 *   denial to the question both ways so that a denial of something else in the remark does not fire).
 *   A denial of the customer acting, for a question whether the customer may, says so (actor).
 * - row-defers: all the row says about the question is that another service's or document's
 *   answer holds (「本事項は<基盤>に準じます」, 「<製品>のチェックシートをご参照ください」, "same as
 *   <platform>"): it names where the answer is and states no control, so its mark answers
 *   nothing (effect unknown); the row is cited so a person can look the answer up there.
 * - shared-duty: the question asks who does something ("who is responsible for …", 「どちらが…」), or
 *   whether the customer may do it themselves, and the row says another party does part of it
 *   (the customer, a platform's own scope: 「OSはAWSの管理範囲」), or the vendor does it only on
 *   request or for a fee: partial, the row's words quoted (./clauses.ts).
 * - provision: the question asks that something be handed to the customer (a copy, an
 *   extract, a download: ./facts.ts `asksForProvision`). Not a reason against any answer: it
 *   says which of a row's caveats narrow it. "Logs are not provided to customers" narrows "can
 *   we obtain log extracts?" and not "how long are logs kept?" (src/judge/scope.ts).
 */
import type { Language, Status } from '../domain.js';
import { asksForProvision, factsAsked, type Fact } from './facts.js';
import { asksBadStateExists, contradictsQualifier, deniedQualifier, negatedQuestion, qualifiersAsked } from './negation.js';
import { askedThing, referringAsks, splitQuestion } from './subquestions.js';
import { offersBeside } from './facets.js';

/**
 * What a caution does to the answer.
 * - unknown: no bare yes or no (the statuses it reaches become unknown), a review flag, and a
 *   confidence of at most the caution's cap.
 * - decline: kotae declines unless a cited row states what is asked (confidence 0).
 * - flag: a review flag and the reason, the answer otherwise kept: the fact is asked by one ask
 *   of a multi-part question, and the rows answer the others (a yes becomes partial: one ask is
 *   left open); or one ask of several is phrased in the negative, and the marks answer the
 *   others plainly.
 * - no: the row's yes, partial or unknown becomes no, with a review flag and the reason; the
 *   confidence is the model's (the row itself says so). A question's own caution that blanks
 *   (a negated question) still wins: a no to a negated question reads both ways as well.
 * - partial: the row's yes or unknown becomes partial, with a review flag and the reason.
 * - yes: the row's partial becomes yes before any other caution is read (a caveat of the row
 *   is about something beside the question); no flag and no reason of its own: the row states
 *   what is asked. Another caution reaching the row still blanks, denies or narrows it.
 * - scope: nothing by itself; the judgement reads it when it decides which caveats of a row
 *   matter to the question.
 */
export type CautionEffect = 'unknown' | 'decline' | 'flag' | 'no' | 'partial' | 'yes' | 'scope';

export type Caution =
  | { kind: 'alternatives' | 'negated' | 'row-says-not-done'; effect: 'unknown' }
  | { kind: 'negated'; effect: 'flag' }
  | {
      kind: 'figure';
      effect: 'unknown';
      /** The question's words for the figure, named in the reason ("30 days", 何世代). */
      figure: string;
    }
  | {
      kind: 'figure-hedged';
      effect: 'partial';
      /** The question's words for the figure ("how often", RTO). */
      figure: string;
      /** The row's sentence standing for the figure (「必要に応じて…実施」). */
      clause: string;
      /** The figure is given on request; else the thing is done as needed. */
      onRequest: boolean;
    }
  | { kind: 'row-denies'; effect: 'no' }
  | { kind: 'bad-state'; effect: 'no' }
  | {
      kind: 'row-restricts';
      /** no: what is asked is left out; partial: the question asks a covered part too, or the rest is best effort. */
      effect: 'no' | 'partial';
      /** The row's words for the limit (平日, 9:00-18:00). */
      limit: string;
      /** The question's words for the part asked (土日, 18時まで); none for round-the-clock coverage. */
      asked?: string;
    }
  | {
      kind: 'figure-fails';
      /** partial: the question states another figure the row meets (`met`). */
      effect: 'no' | 'partial';
      /** The question's words for the figure ("at least 99.95%"). */
      figure: string;
      /** The row's figure that fails it ("99.9%"). */
      stated: string;
      /** Another figure the question states that the row meets ("RPO within 1 hour" beside a failing RTO). */
      met?: string;
    }
  | {
      kind: 'row-rules-out';
      effect: 'no';
      /** The row's requirement, as written: what it says does not happen. */
      clause: string;
    }
  | {
      kind: 'row-refuses-some';
      effect: 'partial';
      /** The row's refusal, as written. */
      clause: string;
    }
  | {
      kind: 'row-defers';
      effect: 'unknown';
      /** The row's clause handing the answer to another service or document (「本事項は<基盤>に準じます」). */
      clause: string;
    }
  | {
      kind: 'shared-duty';
      effect: 'partial';
      /** The row's clause giving part of the work to another party, or the vendor's only on request. */
      clause: string;
    }
  | {
      kind: 'bad-practice';
      effect: 'no' | 'unknown';
      /** The question's words for the weak practice ("plain text", 平文). */
      practice: string;
      /** The row's words for the sound practice it states instead (暗号化), or '' when it states none. */
      stated: string;
    }
  | {
      kind: 'set-aside';
      effect: 'unknown';
      /** The question's word for the thing it sets aside (AWS). */
      named: string;
    }
  | {
      kind: 'opposite';
      effect: 'unknown';
      /** The question's word (external) and the row's opposite one (自社). */
      asked: string;
      stated: string;
    }
  | {
      kind: 'ask-partly';
      effect: 'partial';
      /** The row that says its part is not (fully) done: its item number or locator. */
      ref: string;
    }
  | { kind: 'provision'; effect: 'scope' }
  | {
      kind: 'qualifier';
      effect: 'scope';
      /** The qualifier groups the question names. */
      groups: string[][];
      /**
       * The question asks of the thing without the qualifier too, then of "it" with it ("Is X
       * supported? Is it included in the price?"): a row refusing or charging for the qualified
       * case answers partly.
       */
      besides?: boolean;
    }
  | {
      kind: 'remark-denies';
      effect: 'no' | 'partial';
      /** The remark's denial, as written. */
      clause: string;
      /**
       * The denial is of the customer doing what is asked (「利用者による脆弱性診断は非対応」), read for a
       * question about the customer acting: the judgement lets such a row lead over one about the
       * vendor's own doing (src/judge/judge.ts refusingRival).
       */
      actor?: 'customer';
    }
  | {
      kind: 'row-denies-asked';
      /** partial: another sentence of the row offers it for a fee or on request (「有償で…提供できる場合があります」). */
      effect: 'no' | 'partial';
      /** The row's denial, as written. */
      clause: string;
    }
  | {
      kind: 'unstated-fact';
      effect: 'decline' | 'flag';
      fact: Fact;
      /** The question as retrieval read it: a row must state the fact it asks (the certification it names). */
      asked: string;
      /** For a flag: what the ask that wants the fact asks about (「バックアップの保管場所」), named in the reason. */
      part?: string;
    }
  /**
   * remark-aside: a row read partial only for a denial in its remark of an item the question
   * does not ask, another sentence stating the item it does (./remark-denial.ts): the row's
   * partial is yes for this question (effect yes). A ※ note putting other components out of
   * scope (「※krewSheet/krewDashboardは…対象外です」) is not such a denial: some services excluded
   * is partial (issue #9, the eval's labels), so it stays.
   */
  | {
      kind: 'remark-aside';
      effect: 'yes';
      /** The remark's denial, as written: what the row does not do, beside what is asked. */
      clause: string;
    }
  /**
   * other-edition: the question asks a standard in one edition (ISO/IEC 27001:2022) and the row
   * names it in another (27001:2013) only. match.ts statusFor already gives no yes; the reason
   * says which edition the sheet holds, so a person can judge whether it will do.
   */
  | {
      kind: 'other-edition';
      effect: 'unknown';
      /** The question's words for the standard and edition asked. */
      asked: string;
      /** The row's words for the edition it names. */
      stated: string;
    };

export type CautionKind = Caution['kind'];

/**
 * A caution that acts on the answer: flags it and gives the reason. A scope caution only says
 * which caveats of a row matter; a lifting one (effect yes) only says the row states what is
 * asked, which needs no person's check.
 */
export type AppliedCaution = Exclude<Caution, { effect: 'scope' | 'yes' }>;
export const acts = (c: Caution): c is AppliedCaution => c.effect !== 'scope' && c.effect !== 'yes';

/** Whether a caution turns a row's partial into yes (read before blanks, denies and narrows). */
export function lifts(caution: Caution, status: Status): boolean {
  return caution.effect === 'yes' && status === 'partial';
}

/** A yes or a no that may read the other way, or may not be the figure asked for, is a coin toss. */
export const CAUTION_CAP = 0.5;

/**
 * Whether a caution turns a row's status into unknown. A negated question reads every mark
 * both ways, and a row naming another alternative says nothing about the one asked; but a row
 * that states no figure, or denies part of what is asked, still means its "no" or "partial":
 * only its "yes" is not plain.
 */
export function blanks(caution: Caution, status: Status): boolean {
  // A row stating the control (yes) says no bad state exists; any other mark does not say whether one does.
  if (caution.kind === 'bad-state') return status !== 'yes';
  if (caution.effect !== 'unknown') return false;
  // A row silent on the weak practice asked about says neither yes nor "partly" to it.
  if (caution.kind === 'bad-practice' || caution.kind === 'opposite' || caution.kind === 'set-aside') return status === 'yes' || status === 'partial';
  return caution.kind === 'figure' || caution.kind === 'row-says-not-done' ? status === 'yes' : true;
}

/** Whether a caution turns a row's status into no. */
export function denies(caution: Caution, status: Status): boolean {
  return caution.effect === 'no' && status !== 'no' && status !== 'not_applicable';
}

/** Whether a caution turns a row's status into partial. */
export function narrows(caution: Caution, status: Status): boolean {
  return caution.effect === 'partial' && (status === 'yes' || status === 'unknown');
}

export const ROW_DENIES: AppliedCaution = { kind: 'row-denies', effect: 'no' };
export const NEGATED: AppliedCaution = { kind: 'negated', effect: 'unknown' };
export const BAD_STATE: AppliedCaution = { kind: 'bad-state', effect: 'no' };
/** Some asks of a multi-part question are phrased in the negative, not all: flagged, the statuses kept. */
export const NEGATED_ASK: AppliedCaution = { kind: 'negated', effect: 'flag' };
export const ALTERNATIVES: AppliedCaution = { kind: 'alternatives', effect: 'unknown' };
export const ROW_SAYS_NOT_DONE: AppliedCaution = { kind: 'row-says-not-done', effect: 'unknown' };
export const PROVISION: Caution = { kind: 'provision', effect: 'scope' };

/**
 * Why the question itself (as retrieval reads it) cannot be answered plainly: phrased in the
 * negative, or asking for facts (./facts.ts) that only a cited row stating them answers. A
 * question of several asks is declined for a fact only when every ask wants it ("what is your
 * incident procedure, and how many incidents last year?": the rows answer the first ask, so
 * the draft stays, flagged), and left without a status for a negative only when every ask is
 * phrased in the negative (a negative last ask after an affirmative one leaves the marks
 * answering the first, flagged). The asks are the question's own split (./subquestions.ts),
 * whatever a rewriter made of it.
 */
export function questionCautions(question: string, lang: Language): Caution[] {
  const parts = splitQuestion(question);
  const facts = factsAsked(question, lang).map((fact): Caution => {
    const wanting = parts.find((p) => factsAsked(p, lang).includes(fact));
    return parts.every((p) => factsAsked(p, lang).includes(fact)) ? { kind: 'unstated-fact', effect: 'decline', fact, asked: question } : { kind: 'unstated-fact', effect: 'flag', fact, asked: question, ...(wanting ? { part: askedThing(wanting) } : {}) };
  });
  const groups = qualifiersAsked(question);
  const besides = referringAsks(question).some(({ referent, ask }) => qualifiersAsked(ask).length > 0 && qualifiersAsked(referent).length === 0);
  const qualifier: Caution[] = groups.length > 0 ? [{ kind: 'qualifier', effect: 'scope', groups, ...(besides ? { besides } : {}) }] : [];
  return [...negation(question, parts), ...facts, ...(asksForProvision(question, lang) ? [PROVISION] : []), ...qualifier];
}

/**
 * The negated-question caution: every ask negative (or one ask), or only some of several. A
 * question whose every ask asks whether a bad state exists reads one way (はい: such a case
 * exists) and gets the bad-state caution instead; some asks of several, the flag.
 */
function negation(question: string, parts: string[]): Caution[] {
  const badAsks = parts.filter((p) => asksBadStateExists(p)).length;
  if ((parts.length < 2 && asksBadStateExists(question)) || (parts.length >= 2 && badAsks === parts.length)) return [BAD_STATE];
  const negativeAsks = parts.filter((p) => negatedQuestion(p) || asksBadStateExists(p)).length;
  if (parts.length < 2 || negativeAsks === parts.length) return negatedQuestion(question) || negativeAsks > 0 ? [NEGATED] : [];
  if (negativeAsks > 0) return [NEGATED_ASK];
  // No ask reads negative on its own, but the whole does (a frame the split cut off: "Is it true that …").
  return negatedQuestion(question) ? [NEGATED] : [];
}

const percent = (x: number): string => `${Math.round(x * 100)}%`;

/** What each caution says, in the question's language: reasons end up in the customer's sheet and in Slack. */
type Worded = 'shared-duty' | 'row-defers' | 'remark-denies' | 'row-denies-asked' | 'ask-partly' | 'figure' | 'figure-hedged' | 'figure-fails' | 'row-restricts' | 'unstated-fact' | 'row-rules-out' | 'row-refuses-some' | 'bad-practice' | 'opposite' | 'set-aside' | 'other-edition';
const WHY: Record<
  Language,
  { [K in Exclude<AppliedCaution['kind'], Worded>]: string } & {
    negatedAsk: string;
    /** A bad state asked about and a row not stating the control in place: no answer either way. */
    badStateOpen: string;
    figure: (figure: string) => string;
    'figure-hedged': (figure: string, clause: string, onRequest: boolean) => string;
    'figure-fails': (figure: string, stated: string, met?: string) => string;
    'row-restricts': (limit: string, no: boolean, asked?: string) => string;
    'row-denies-asked': (clause: string, partly: boolean) => string;
    'remark-denies': (clause: string, partly: boolean) => string;
    'ask-partly': (ref: string) => string;
    'row-rules-out': (clause: string) => string;
    'row-refuses-some': (clause: string) => string;
    'shared-duty': (clause: string) => string;
    'row-defers': (clause: string) => string;
    'bad-practice': (practice: string, stated: string) => string;
    opposite: (asked: string, stated: string) => string;
    'set-aside': (named: string) => string;
    'other-edition': (asked: string, stated: string) => string;
    facts: Record<Fact, string>;
  }
> = {
  ja: {
    alternatives: '引用した記載は質問とは別の対象(クラウド事業者・地域など)を挙げています',
    negated: '質問が否定形で書かれています。はい/いいえがどちらの意味になるか確認してください',
    negatedAsk: '質問の一部が否定形で書かれています。その部分について、はい/いいえがどちらの意味になるか確認してください',
    figure: (figure) => `質問は具体的な数値(「${figure}」)を尋ねていますが、引用した記載はその数値を述べていません`,
    'figure-hedged': (figure, clause, onRequest) =>
      `質問は具体的な数値(「${figure}」)を尋ねていますが、引用した記載は数値を述べず、${onRequest ? '求めに応じて提供できる' : '必要に応じて行う'}と述べています(「${clause}」)。数値を確認のうえ回答してください。回答は「一部」です`,
    'row-says-not-done': '引用した記載は、質問に関わることの一部を行っていないと述べています。単純な「はい」ではありません',
    'row-denies': '引用した記載は、質問されていることを行っていないと述べています。回答は「いいえ」です',
    'bad-state': '質問は対策が行われていないもの(場合)が存在するかを尋ねています。引用した記載は対策を行っていると述べているため、回答は「いいえ」です',
    badStateOpen: '質問は対策が行われていないもの(場合)が存在するかを尋ねていますが、引用した記載からは存在しないとは言えません。「はい」「いいえ」は担当者が判断してください',
    'row-restricts': (limit, no, asked) => `質問は${asked ? `「${asked}」` : '常時(24時間365日)'}の対応を尋ねていますが、引用した記載は「${limit}」に限っています。回答は「${no ? 'いいえ' : '一部'}」です`,
    'ask-partly': (ref) => `質問の一部について、引用した項目${ref}は行っていない(または一部のみ)と述べています。回答は「一部」です`,
    'row-denies-asked': (clause, partly) =>
      partly
        ? `引用した記載は、質問が尋ねている場合について通常は行わないと述べ(「${clause}」)、有償または依頼に応じた対応を挙げています。回答は「一部」です`
        : `引用した記載は、質問が尋ねている場合について行わないと述べています(「${clause}」)。回答は「いいえ」です`,
    'remark-denies': (clause, partly) =>
      partly ? `引用した項目の備考は、質問されていることをそのままの形では行っていないと述べ(「${clause}」)、代わりの対応か例外を挙げています。回答は「一部」です` : `引用した項目の備考は、質問されていることを行っていないと述べています(「${clause}」)。回答は「いいえ」です`,
    'figure-fails': (figure, stated, met) => `質問は「${figure}」を尋ねていますが、引用した記載は「${stated}」と述べており、満たしていません${met ? `(「${met}」は満たしています)。回答は「一部」です` : '。回答は「いいえ」です'}`,
    'row-rules-out': (clause) => `引用した記載は「${clause}」(そうならないこと)を定めており、質問されていることは起きないと述べています。回答は「いいえ」です`,
    'row-refuses-some': (clause) => `引用した記載は、一部の場合を除き行わないと述べています(「${clause}」)。回答は「一部」です`,
    'shared-duty': (clause) => `引用した記載は、一部を別の主体が担う(または依頼・有償の場合に限り行う)と述べています(「${clause}」)。回答は「一部」です`,
    'row-defers': (clause) => `引用した記載は、この点を別のサービスや資料の回答に委ねているだけで(「${clause}」)、対策の内容を述べていません。参照先の回答を確認してください`,
    'bad-practice': (practice, stated) => (stated ? `質問は「${practice}」かどうかを尋ねていますが、引用した記載は「${stated}」と述べています。回答は「いいえ」です` : `質問は「${practice}」かどうかを尋ねていますが、引用した記載はそれに触れていません。「はい」とは言えません`),
    opposite: (asked, stated) => `質問は「${asked}」について尋ねていますが、引用した記載は「${stated}」と述べています。「はい」とは言えません`,
    'set-aside': (named) => `質問は「${named}」とは別のことを尋ねていますが、引用した記載は「${named}」について述べています。「はい」とは言えません`,
    'other-edition': (asked, stated) => `質問は「${asked}」について尋ねていますが、資料が挙げているのは「${stated}」(別の版)です。その版で足りるかは担当者が判断してください`,
    facts: {
      events: '資料には対策の記載はありますが、過去の事象(発生の有無・件数・時期)の記載がありません',
      names: '質問は名称(事業者名・氏名など)を尋ねていますが、引用できる記載に名称がありません',
      certifications: '質問は認証・認定の取得を尋ねていますが、引用できる記載に認証や規格の名称がありません',
      regions: '質問は国・地域を尋ねていますが、引用できる記載に国や地域の記載がありません',
    },
  },
  en: {
    alternatives: 'the best passage names a different vendor or region than the question asks about',
    negated: 'the question is phrased in the negative: check which way yes/no reads',
    negatedAsk: 'part of the question is phrased in the negative: check which way yes/no reads for that part',
    figure: (figure) => `the question asks for a specific figure (“${figure}”) that the cited passage does not state`,
    'figure-hedged': (figure, clause, onRequest) =>
      `the question asks for a specific figure (“${figure}”); the cited passage states none, only that ${onRequest ? 'it is available on request' : 'this is done as needed'} (“${clause}”), so the answer is partial until the figure is obtained`,
    'row-says-not-done': 'the cited passage says part of what is asked is not done, so it is not a plain yes',
    'row-denies': 'the cited passage says what is asked is not done, so the answer is no',
    'bad-state': 'the question asks whether there is any case where the control is missing; the cited passage says the control is in place, so the answer is no',
    badStateOpen: 'the question asks whether there is any case where the control is missing, and the cited passage does not show there is none; a person must decide yes or no',
    'row-restricts': (limit, no, asked) => `the question asks for ${asked ? `coverage of “${asked}”` : 'round-the-clock coverage'} and the cited passage limits it to “${limit}”, so the answer is ${no ? 'no' : 'partial'}`,
    'ask-partly': (ref) => `another part of the question is answered by item ${ref}, which says it is not done or only partly, so the answer is partial`,
    'row-denies-asked': (clause, partly) =>
      partly
        ? `the cited passage says this is not normally done for the case asked about (“${clause}”) and offers it for a fee or on request, so the answer is partial`
        : `the cited passage says this is not done for exactly the case asked about (“${clause}”), so the answer is no`,
    'remark-denies': (clause, partly) =>
      partly ? `the cited row’s remark says what is asked is not done as asked (“${clause}”) and names what is done instead or an exception, so the answer is partial` : `the cited row’s remark says what is asked is not done (“${clause}”), so the answer is no, whatever the row’s mark`,
    'figure-fails': (figure, stated, met) => `the question asks for “${figure}” and the cited passage states “${stated}”, which does not meet it${met ? ` (“${met}” is met), so the answer is partial` : ', so the answer is no'}`,
    'row-rules-out': (clause) => `the cited passage requires that this does not happen (“${clause}”), so the answer to whether it happens is no`,
    'row-refuses-some': (clause) => `the cited passage says this is not done except in some cases (“${clause}”), so the answer is partial`,
    'shared-duty': (clause) => `the cited passage gives part of this to another party, or does it only on request or for a fee (“${clause}”), so the answer is partial`,
    'row-defers': (clause) => `the cited row only defers this to another service’s or document’s answer (“${clause}”) and does not state the control; check that answer`,
    'bad-practice': (practice, stated) => (stated ? `the question asks about “${practice}” and the cited passage states “${stated}” instead, so the answer is no` : `the question asks about “${practice}” and the cited passage does not mention it, so it is not a yes`),
    opposite: (asked, stated) => `the question asks about “${asked}” and the cited passage says “${stated}” instead, so it is not a yes`,
    'set-aside': (named) => `the question sets “${named}” aside and the cited passage speaks of “${named}”, so it is not a yes`,
    'other-edition': (asked, stated) => `the question asks about “${asked}” and the sheet names “${stated}”, another edition; whether that edition will do is for a person to decide`,
    facts: {
      events: 'the documents describe controls, not past events (whether, how often or when something happened)',
      names: 'the question asks for a name (a company, a person) and no passage found states one',
      certifications: 'the question asks about a certification and no passage found names a certification or standard',
      regions: 'the question asks for a country or region and no passage found names one',
    },
  },
};

/**
 * The reason for an answer a caution applied to, in the question's language (`status`: the
 * answer's, which a bad-state question's reason depends on, and whether a fact left open by one
 * ask is said to make the answer partial). An answer left
 * unknown names its confidence and asks a person to check; a fact no row states asks a person
 * to answer (nothing about the confidence: none was drafted, or the rows answer other asks).
 */
export function cautionReason(caution: AppliedCaution, lang: Language, confidence: number, status?: Status): string {
  const why = WHY[lang];
  if (caution.kind === 'unstated-fact') {
    // One ask of several left open: named, and an answer the rows' yes made partial said to be so.
    if (caution.part) {
      const partly = status === 'partial';
      return lang === 'ja'
        ? `質問のうち「${caution.part}」について:${why.facts[caution.fact]}。${partly ? 'ほかの部分には答えているため、回答は「一部」です。' : ''}担当者の確認が必要です`
        : `for the part “${caution.part}”, ${why.facts[caution.fact]}${partly ? '; the rest of the question is answered, so the answer is partial' : ''}; a human should answer`;
    }
    return lang === 'ja' ? `${why.facts[caution.fact]}。担当者の確認が必要です` : `${why.facts[caution.fact]}; a human should answer`;
  }
  // The answer's status says which way a bad-state question went: no (the control is stated) or open.
  const text = caution.kind === 'bad-state' && status !== 'no' ? why.badStateOpen : cautionText(caution, why);
  return lang === 'ja' ? `${text}(確度${percent(confidence)})。担当者の確認が必要です` : `${text} (confidence ${percent(confidence)}); a human should check`;
}

function cautionText(caution: Exclude<AppliedCaution, { kind: 'unstated-fact' }>, why: (typeof WHY)[Language]): string {
  switch (caution.kind) {
    case 'negated':
      return caution.effect === 'flag' ? why.negatedAsk : why.negated;
    case 'figure':
      return why.figure(caution.figure);
    case 'figure-hedged':
      return why['figure-hedged'](caution.figure, short(caution.clause), caution.onRequest);
    case 'figure-fails':
      return why['figure-fails'](caution.figure, caution.stated, caution.met);
    case 'row-restricts':
      return why['row-restricts'](caution.limit, caution.effect === 'no', caution.asked);
    case 'ask-partly':
      return why['ask-partly'](caution.ref);
    case 'row-denies-asked':
      return why['row-denies-asked'](short(caution.clause), caution.effect === 'partial');
    case 'remark-denies':
      return why['remark-denies'](short(caution.clause), caution.effect === 'partial');
    case 'row-rules-out':
      return why['row-rules-out'](short(caution.clause));
    case 'row-refuses-some':
      return why['row-refuses-some'](short(caution.clause));
    case 'shared-duty':
      return why['shared-duty'](short(caution.clause));
    case 'row-defers':
      return why['row-defers'](short(caution.clause));
    case 'bad-practice':
      return why['bad-practice'](caution.practice, caution.stated);
    case 'opposite':
      return why.opposite(caution.asked, caution.stated);
    case 'set-aside':
      return why['set-aside'](caution.named);
    case 'other-edition':
      return why['other-edition'](caution.asked, caution.stated);
    default:
      return why[caution.kind];
  }
}

/** A row's words quoted in a reason: a long clause is cut, so the reason stays one readable line. */
const QUOTE = 60;
const short = (clause: string): string => ([...clause].length > QUOTE ? `…${[...clause].slice(-QUOTE).join('')}` : clause);

/**
 * The cautions of each ask of a multi-part question that come from that ask's own words: the
 * qualifier it names (by mistake, free of charge). "How often are backups taken, and can they
 * restore what a user deleted by mistake?": a row's 「誤操作による…復旧機能としては提供しておりません」
 * says no to the second ask, not to the first, so the judgement lets it reach only the rows
 * cited for the ask naming it (blind trial s16: the whole answer read no). A qualifier no ask
 * names on its own (in a preface the split left out) is every ask's.
 */
export function askCautions(question: string, asks: readonly string[]): Caution[][] {
  const own = asks.map(qualifiersAsked);
  const key = (g: string[]): string => g.join('|');
  const named = new Set(own.flatMap((groups) => groups.map(key)));
  const shared = qualifiersAsked(question).filter((g) => !named.has(key(g)));
  return own.map((groups) => {
    const all = [...groups, ...shared];
    return all.length > 0 ? [{ kind: 'qualifier', effect: 'scope', groups: all }] : [];
  });
}

/**
 * A cited row's denial of the qualifier the question names (row-denies-asked), or null. `names`
 * says whether a text names what the question asks about, to read a row listing items free and
 * paid by the item asked (negation.ts contraryQualifier).
 */
export function qualifierDenied(questionCautions: readonly Caution[], answer: string, names?: (text: string) => boolean): Caution | null {
  const groups = questionCautions.flatMap((c) => (c.kind === 'qualifier' ? c.groups : []));
  const clause = deniedQualifier(groups, answer, names);
  if (clause === null) return null;
  // The thing refused as asked, offered in another sentence for a fee or on request: partly (the row's own offer),
  // unless the offer is what the question rules out (有償 against 無償 asked). Asked first without the qualifier, then
  // of "it" with it, the row answers the first ask: partly too.
  const besides = questionCautions.some((c) => c.kind === 'qualifier' && c.besides === true);
  const offered = offersBeside(answer, [clause]).some((t) => !contradictsQualifier(groups, t));
  return { kind: 'row-denies-asked', effect: offered || besides ? 'partial' : 'no', clause };
}
