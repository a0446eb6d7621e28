/**
 * Questions that ask for a fact rather than a control, and the rows that can answer them.
 *
 * Questions about what happened, not about what is done: "have you ever had a breach?", "how
 * many outages in the past year?", 「過去3年間に情報漏えい事故は発生していますか?」. A checksheet
 * row describes a control ("incidents are handled by our CSIRT under a written procedure"),
 * and the judgement's features cannot tell that from an answer: the incident-response row
 * covers "breach" and "incident" as well as any row could, so the question used to get "yes"
 * with high confidence. Such a question is answered only by a row that states a fact of the
 * kind an event has: a count, a date, a measured figure, or that nothing of the sort occurred.
 * When none of the cited rows does, the documents do not cover the question and kotae
 * declines: such a question gets an 'unstated-fact' caution (./caution.ts).
 *
 * Questions asking for a name ("the name of your data-centre operator", 「責任者の氏名」) are
 * the same: a row saying "our data centres are earthquake-proof" covers "data centre" fully and
 * names nobody. Such a question is answered only by a row that states a name. So are questions
 * whether a certification is held (「外部認証を取得していますか」): 認証 is also authentication,
 * and a row about two-factor sign-in covers the word; only a row naming a certification scheme
 * or standard (ISO/IEC 27001, ISMS, Pマーク, SOC 2…) answers. And questions asking in which
 * country or region data is kept (「国外に置かれることは」, "which geographic location"): a row
 * saying the data centre is managed by the cloud vendor covers "data centre" and names no place.
 *
 * Stated rules, like SAME_QUESTION and the exclusive alternatives: the labelled sets hold too
 * few such questions to learn them from.
 */
import type { Language } from '../domain.js';
import { namesProvider, namesRegion } from './alternatives.js';
import { textKey } from './match.js';

/**
 * The question asks about past occurrences, their number or their date. Some wordings say so
 * on their own ("have you ever had…", 「…たことはありますか」, "when was the last…"); a time
 * window or a count says so only with a word for an event: "in the past year" asks about
 * events in "any breaches in the past year?" and about a control in "do you keep logs for the
 * past year?". A conditional ("if the product is ever discontinued") or a control done at some
 * time ("have you ever run a penetration test?": a row saying it is done yearly answers it) is
 * not one.
 */
const EVENT_WORDING: Record<Language, readonly RegExp[]> = {
  en: [
    /\bever\s+(?:had|been|experienced|suffered|reported|disclosed|paid|lost|faced|detected)\b/,
    /\bwhen\s+(?:was|were|did)\s+(?:the|your)\s+(?:last|most recent|latest|previous)\b/,
  ],
  ja: [/(?:起き|起こし|発生し|受け|遭っ|あっ)たこと(?:は|が)/, /前回.{0,12}いつ|最後に.{0,20}いつ/],
};
const EVENT_WINDOW: Record<Language, readonly RegExp[]> = {
  en: [
    /\b(?:in|during|over|within)\s+the\s+(?:past|last|previous|preceding)\s+(?:\d+|one|two|three|four|five|six|ten|twelve|few|several)?\s*(?:years?|months?|quarters?)\b/,
    /(?<!\bfor the )\b(?:last|past|previous)\s+(?:year|12 months|twelve months|calendar year|fiscal year)\b/,
    /\bhow many\b/,
    /\b(?:history|track record)\s+of\b/,
  ],
  ja: [/過去/, /これまで(?:に|で)/, /直近/, /昨年|前年|昨年度|前年度/, /件数|何件/],
};
const EVENT_NOUN: Record<Language, RegExp> = {
  en: /\b(?:incidents?|breach(?:es|ed)?|outages?|downtime|attacks?|compromises?|compromised|violations?|leaks?|leaked|fines?|fined|penalt(?:y|ies)|lawsuits?|complaints?|infections?|ransomware|disruptions?|availability|uptime)\b/,
  ja: /事故|被害|漏え?洩?い|流出|侵害|障害|インシデント|違反|攻撃|不正アクセス|停止|感染|罰|訴訟|苦情|実績|稼働率/,
};

/** A fact an event can have: a count, a date, a measured figure, or that none occurred. */
const EVENT_FACT: readonly RegExp[] = [
  /\d+(?:\.\d+)?\s*(?:件|%|パーセント)/u,
  /(?<![年月週日毎\d])\d+\s*回(?!\s*(?:以上|以内|程度)?\s*(?:実施|行|確認|見直|点検|訓練|監査|診断|レビュー))/u,
  /(?:19|20)\d{2}\s*(?:年\s*\d{1,2}\s*月|[/.-]\s*\d{1,2})/u,
  /実績/u,
  /(?:事故|漏え?洩?い|侵害|違反|障害|インシデント)[^。]{0,20}(?:ありません|ございません|発生しておりません|発生していません|起きておりません|ない|なし|無し)/u,
  /\b(?:no|zero|never|none)\b[^.]{0,40}\b(?:breach(?:es)?|incidents?|outages?|compromises?)\b/i,
  /\b\d+\s+(?:breach(?:es)?|incidents?|outages?)\b/i,
];

/** Whether the question asks about past events (their occurrence, number or date). */
export function asksAboutEvents(question: string, lang: Language): boolean {
  const q = question.normalize('NFKC');
  const text = lang === 'en' ? q.toLowerCase() : q;
  if (EVENT_WORDING[lang].some((re) => re.test(text))) return true;
  return EVENT_WINDOW[lang].some((re) => re.test(text)) && EVENT_NOUN[lang].test(text);
}

/** Whether a row states a fact an event can have (not only a control). */
export function statesEventFact(text: string): boolean {
  const t = text.normalize('NFKC').replace(/https?:\/\/\S+/g, '');
  return EVENT_FACT.some((re) => re.test(t));
}

/**
 * The question asks for the name of a company or a person. "Which cloud provider …?" is one;
 * naming things in the product (「データに名前を付ける」) is not.
 */
const NAME_QUESTION: Record<Language, readonly RegExp[]> = {
  en: [
    /\bnames? of (?:the |your |any )?/,
    /\b(?:which|what) (?:company|companies|vendor|vendors|provider|providers|firm|firms|operator|operators|auditor|auditors|subcontractor|subcontractors)\b/,
    /\b(?:which|what) (?:cloud|hosting|data[- ]?cent(?:er|re)|colocation|payment|email) (?:provider|vendor|company|operator)s?\b/,
  ],
  ja: [
    /(?:氏名|名前|名称|社名|会社名|事業者名|業者名|ベンダー名|企業名)(?:を|は|も)(?:教えて|ご記入|記入|お知らせ|明記)/,
    /(?:どこの|どの)(?:事業者|会社|企業|ベンダー|業者|クラウド事業者|クラウドサービス事業者)(?:の|が|を|に|です|でしょう)/,
  ],
};

/**
 * A name a row can state: a capitalised Latin word (Microsoft, Oracle), a Japanese company form
 * (株式会社…), or a cloud vendor of lexicon/alternatives.tsv (AWS). Acronyms in capitals are
 * not names here: checksheets are full of ISMS, CSIRT and PDF. Personal names written in kanji
 * are not recognised either: such a question is declined, and a person answers it.
 */
const NAME_IN_ROW: readonly RegExp[] = [/\b[A-Z][a-z]{2,}/, /株式会社|有限会社|合同会社|\(株\)/];

/** Whether the question asks for the name of a company or a person. */
export function asksForName(question: string, lang: Language): boolean {
  const q = question.normalize('NFKC');
  const text = lang === 'en' ? q.toLowerCase() : q;
  return NAME_QUESTION[lang].some((re) => re.test(text));
}

/** Whether a row states a name (see NAME_IN_ROW); links do not count. */
export function statesName(text: string): boolean {
  const t = text.normalize('NFKC').replace(/https?:\/\/\S+/g, '');
  return NAME_IN_ROW.some((re) => re.test(t)) || namesProvider(textKey(t));
}

/** The question asks whether a certification (of the organisation, the service or its staff) is held. */
const CERTIFICATION_QUESTION: Record<Language, RegExp> = {
  en: /\b(?:certified|certifications?|accredited|accreditations?|attestations?)\b/,
  ja: /(?:第三者|外部)認証|認証(?:を|は|も)?(?:取得|受け|登録|保有|持って)|認定(?:を|は|も)?(?:取得|受け)/,
};

/**
 * Certification schemes and standards, each with the ways a question or a row names it. A
 * question naming one ("PrivacyMark?") is answered only by a row naming the same one: an ISMS
 * row is no answer to it. The number within a family (ISO 27001 vs 27017) is the glossary's
 * business (src/retrieve/match.ts).
 */
const SCHEMES: ReadonlyArray<readonly [string, RegExp]> = [
  ['iso', /\b(?:ISO|IEC|ISMS|JIS\s*Q\s*2700\d)\b|情報セキュリティマネジメントシステム/i],
  ['privacy mark', /\b(?:Privacy\s*Mark|P-?mark|JIS\s*Q\s*15001)\b|Pマーク|プライバシーマーク|個人情報保護マネジメントシステム/i],
  ['ismap', /\bISMAP\b/i],
  ['soc', /\bSOC\s*[123]\b/i],
  ['pci', /\bPCI(?:\s*DSS)?\b/i],
  ['fedramp', /\bFedRAMP\b/i],
  ['csa star', /\bCSA\s*STAR\b/i],
  ['tisax', /\bTISAX\b/i],
  ['cyber essentials', /\bCyber\s*Essentials\b/i],
  ['staff', /\b(?:CISSP|CISA|CISM)\b|情報処理安全確保支援士/i],
];
/** A certificate's registration, whatever the scheme. */
const REGISTRATION = /認証登録|登録番号/;

const schemesIn = (text: string): string[] => SCHEMES.filter(([, re]) => re.test(text)).map(([name]) => name);
const plain = (text: string): string => text.normalize('NFKC').replace(/https?:\/\/\S+/g, '');

/** Whether the question asks whether a certification is held. */
export function asksForCertification(question: string, lang: Language): boolean {
  const q = question.normalize('NFKC');
  return CERTIFICATION_QUESTION[lang].test(lang === 'en' ? q.toLowerCase() : q);
}

/**
 * Whether a row names a certification scheme: the one the question names, when it names any;
 * else any scheme, or a registration. Links do not count.
 */
export function statesCertification(text: string, question = ''): boolean {
  const wanted = schemesIn(plain(question));
  const named = schemesIn(plain(text));
  return wanted.length > 0 ? named.some((n) => wanted.includes(n)) : named.length > 0 || REGISTRATION.test(plain(text));
}

/** The question asks in which country or region something is (or whether it is abroad). */
const REGION_QUESTION: Record<Language, RegExp> = {
  en: /\b(?:which|what) (?:countr(?:y|ies)|regions?|jurisdictions?|geographic(?:al)? (?:locations?|regions?))\b|\bgeographic(?:al)? locations?\b|\b(?:abroad|overseas|offshore)\b|\boutside (?:of )?(?:japan|the (?:eu|us|country))\b/,
  ja: /国外|海外|どの国|どこの国|どの地域|どこの地域|国・地域|所在国|所在地域|どのリージョン|どこのリージョン/,
};

/** Whether the question asks in which country or region something is. */
export function asksForRegion(question: string, lang: Language): boolean {
  const q = question.normalize('NFKC');
  return REGION_QUESTION[lang].test(lang === 'en' ? q.toLowerCase() : q);
}

/** Whether a row names a country or region (lexicon/alternatives.tsv) or a cloud region; links do not count. */
export function statesRegion(text: string): boolean {
  const t = plain(text);
  return namesRegion(textKey(t)) || /リージョン|\bregions?\b/i.test(t);
}

/** The kinds of fact a question can ask for that a row describing a control does not state. */
export type Fact = 'events' | 'names' | 'certifications' | 'regions';

/** Each fact: whether a question asks for it, whether a row's text states it (`asked`: the question). In the order a reason names them. */
const FACTS: ReadonlyArray<readonly [Fact, (question: string, lang: Language) => boolean, (text: string, asked: string) => boolean]> = [
  ['events', asksAboutEvents, statesEventFact],
  ['names', asksForName, statesName],
  ['certifications', asksForCertification, statesCertification],
  ['regions', asksForRegion, statesRegion],
];

/** The facts a question asks for, in FACTS order. */
export function factsAsked(question: string, lang: Language): Fact[] {
  return FACTS.filter(([, asks]) => asks(question, lang)).map(([fact]) => fact);
}

/** Whether a row's text states the fact a question (`asked`) asks for. */
export function statesFact(fact: Fact, text: string, asked: string): boolean {
  return FACTS.find(([f]) => f === fact)?.[2](text, asked) ?? false;
}
