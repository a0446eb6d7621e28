/**
 * The offline drafter, and the fallback whenever the model cannot be used: it invents
 * nothing. The draft answers in the question's language from what is known for certain:
 * the status of the cited rows, where they are (document and item), the figure they state
 * and the English names of the concepts they cover (from the glossary), followed by the
 * evidence in its original language, marked as such. It does not translate prose, so an
 * English answer over Japanese evidence says what the row covers and quotes the Japanese.
 */
import { declines, detectLanguage, type Citation, type Draft, type Drafter, type Hit, type Passage, type Retrieval, type Status } from '../domain.js';
import { citationFromHit, rankCitations } from './citations.js';
import { sourceLabel } from '../source-label.js';
import { LIKELY, measuredShare } from '../confidence-words.js';
import { mayGoUnreviewed, NOT_PLAIN_YES } from './unreviewed.js';
import { askedFigures, askedSentences, conceptNames, figureRow, rowFigures, type AskedFigure } from './phrasing.js';
import { askedThing } from '../retrieve/subquestions.js';
import { JA_REQUEST, questionForm } from './question-form.js';
import { writtenLanguage } from './translations.js';
import { CLOSEST, COVERS_LEAD, GUESS_EN, REVIEW_MARK, STATUS_EN, STATUS_JA } from './markers.js';
import { predicateContradiction, versionUnnamed, type Contradiction } from '../retrieve/polarity.js';
import { CAUTION_CAP } from '../retrieve/caution.js';
import { escapeRegExp } from '../regexp.js';

/** A second passage joins the draft only when it is nearly as relevant as the best one. */
const CO_ANSWER_RATIO = 0.9;

/** A reason that already asks a person to look (the judgement's wording, in either language). */
const ASKS_FOR_HUMAN = /a human should|担当者の確認/;

/** How an open answer notes a status other than yes (the substance leads, the status follows). */
const MARKED_EN: Partial<Record<Status, string>> = {
  no: 'marked as not in place',
  partial: 'marked as partially in place',
  not_applicable: 'marked as not applicable',
};

/** The status of the best cited passage that has one; several sources that disagree → partial. */
export function combineStatus(hits: Hit[]): Status {
  // A quoted row whose mark a caution blanked (the judge set its status to unknown: "the row
  // says 'internal' where 'external' is asked") leaves no plain answer: another quoted row's
  // yes must not stand in for it, under a reason saying it is not a yes.
  if (hits.some((h) => h.status === 'unknown' && h.passage.status !== 'unknown')) return 'unknown';
  const known = hits.map((h) => h.status ?? h.passage.status).filter((s) => s !== 'unknown');
  const first = known[0];
  if (!first) return 'unknown';
  return known.every((s) => s === first) ? first : first === 'not_applicable' ? first : 'partial';
}

/**
 * What the product's published documents are, in Japanese, from the rows the judgement weighed:
 * a checksheet only when every one is a checksheet row (a policy is not one).
 */
function documentsJa(rows: readonly Hit[]): string {
  const kinds = new Set(rows.map((h) => h.passage.kind).filter((k) => k === 'control' || k === 'policy'));
  return kinds.size === 1 && kinds.has('control') ? 'チェックシート' : kinds.size === 1 ? 'ポリシー等の資料' : '資料';
}

/**
 * Whether a Japanese question was weighed against documents written in English only: matching
 * across the two goes through the glossary's English phrases alone, so finding nothing there
 * does not show the documents are silent on it, and the decline must not say they are.
 */
function acrossLanguages(retrieval: Retrieval, rows: readonly Hit[]): boolean {
  const documents = rows.filter((h) => h.passage.kind !== 'approved');
  return retrieval.lang === 'ja' && documents.length > 0 && documents.every((h) => detectLanguage(`${h.passage.requirement}\n${h.passage.answer}`) === 'en');
}

function abstention(retrieval: Retrieval): Draft {
  const rows = retrieval.candidates ?? [];
  if (acrossLanguages(retrieval, rows)) {
    return {
      ...base(retrieval),
      abstained: true,
      draft: 'この製品の資料は英語で書かれており、日本語の質問との照合には限りがあるため、該当する記載を確かめられませんでした。セキュリティ担当者が確認のうえ回答します。',
      reason: '資料が英語のため日本語の質問との照合には限りがあり、記載がないとは言えません。担当者の確認が必要です',
      status: 'unknown',
      needsHuman: true,
      citations: [],
    };
  }
  const draft =
    retrieval.lang === 'ja'
      ? `公開している${documentsJa(rows)}にはこの質問に該当する記載が見つかりませんでした。セキュリティ担当者が確認のうえ回答します。`
      : 'Our published security documentation does not cover this question. A member of our security team will review it and answer.';
  return { ...base(retrieval), abstained: true, draft, status: 'unknown', needsHuman: true, citations: [] };
}

function base(retrieval: Retrieval): Omit<Draft, 'draft' | 'status' | 'needsHuman' | 'citations'> {
  return {
    question: retrieval.question,
    product: retrieval.product,
    lang: retrieval.lang,
    confidence: retrieval.confidence,
    abstained: retrieval.abstained,
    reason: retrieval.reason,
    drafter: 'extractive',
    fallback: null,
    corpusVersion: retrieval.corpusVersion,
  };
}

/** The English rendering of a passage made at ingest (src/draft/translations.ts), or null. */
export type EnglishRendering = (passage: Passage) => string | null;

export function extractiveDraft(given: Retrieval, english: EnglishRendering = () => null): Draft {
  const [best, second] = given.hits;
  if (given.abstained || !best) return abstention(given);
  // An approval of the same question written in the other language, resting on rows of the
  // documents: the customer's language outranks the approval's wording. The answer is drafted
  // from those rows (the ones the approver saw) in the question's language, with the status the
  // approver gave, and cites the approval; nobody approved this text, so it is reviewed.
  if (best.passage.kind === 'approved' && writtenLanguage(best.passage.answer) !== given.lang) {
    const rested = given.hits.slice(1).filter((h) => h.passage.kind !== 'approved');
    // Of those, the rows the approved text quotes (it was drafted from them); the others were only cited beside them.
    const quoted = rested.filter((h) => body(h).split('\n').some((line) => line.trim().length >= 4 && best.passage.answer.includes(line.trim())));
    if (rested.length > 0) return approvalInOtherLanguage(given, best, quoted.length > 0 ? quoted : rested, english);
  }
  // A human already wrote and approved this answer: it is reused word for word.
  const approved = best.passage.kind === 'approved';
  const coAnswer = !approved && second && second.passage.kind !== 'approved' && second.score >= best.score * CO_ANSWER_RATIO && second.passage.answer !== best.passage.answer;
  const quoted = coAnswer ? [best, second] : [best];
  // A figure asked that the quoted rows do not state, stated by another cited row about the question: that row is quoted too.
  // A row whose mark the judgement left blank, or that it found off the figure's subject, is no such row.
  const extra = approved ? null : figureRow(given.question, readable(quoted).map(body), readable(given.hits).filter((h) => !quoted.includes(h) && h.passage.kind !== 'approved').map((h) => ({ text: body(h), about: `${h.passage.requirement}\n${h.passage.answer}`, row: h })), best.passage);
  // A cited row the judgement read as saying no to this very question (a caution about it: its remark denies what
  // is asked), below the best row's yes: the draft must not answer yes over it unseen (blind trial s15: "can
  // customers bring their own keys?" answered yes from a row on key management, the row saying customers cannot
  // encrypt with their own keys cited beside it). It is quoted and speaks for the status: the sources disagree.
  // A yes/no question only: a figure question's figures are read from the quoted rows.
  const form = questionForm(given.question, given.lang);
  const denying = approved || form !== 'yesno' ? [] : given.hits.filter((h) => h !== best && h !== extra && !quoted.includes(h) && h.passage.kind !== 'approved' && h.status === 'no' && h.passage.status !== 'no');
  // A cited row standing for the figure asked (available on request, done as needed) is the answer a person sends: quoted too.
  const hedging = approved ? [] : given.hits.filter((h) => h.figureHedged && h !== extra && !quoted.includes(h) && !denying.includes(h));
  const used = [...quoted, ...(extra ? [extra] : []), ...denying, ...hedging];
  // A question of several asks answered ask by ask (japaneseAsksDraft): only the best row and the rows the asks are
  // answered from speak for the status; a row quoted beside them that no ask is answered from is no word of the draft's.
  // A yes/no ask's line says its row's status (askStatus) whether or not the row is quoted above: a line saying that
  // ask is only partly done, or not done, leaves the draft no plain yes (blind and labelled sets: 「一部対応しています」
  // for one ask under a draft marked yes). An open ask's line states no status, and its row's caveat none for the draft.
  const asks = approved ? null : answersPerAsk(given);
  const shortOfYes = (a: AskAnswer): Hit[] => {
    if (!a.hit || used.includes(a.hit) || questionForm(a.text, given.lang) !== 'yesno') return [];
    const status = askStatus(a, a.hit);
    // An ask whose row the judgement blanked because it only defers to another service's answer
    // (「本事項はkintoneに準じます」) is left open: the others answered, the whole is partly answered, not
    // yes (blind trial s26: a password-rules-and-idle-session question answered yes, the session ask's
    // row deferring). Other blanks (a figure the ask's row does not state) are the ask line's to say:
    // made partial, they cost answers whose figure another cited row states (blind trials s28-s30).
    if (status === 'unknown' && a.hit.defers) return [{ ...a.hit, status: 'partial' }];
    return status === 'partial' || status === 'no' ? [{ ...a.hit, status }] : [];
  };
  const speaking = asks ? [...used.filter((h) => h === best || asks.some((a) => a.hit?.passage.id === h.passage.id)), ...asks.flatMap(shortOfYes)] : used;
  const combined = approved ? (best.status ?? best.passage.status) : combineStatus(speaking);
  // A quoted passage whose clause about what is asked says the opposite ("TLS 1.0 is disabled"
  // for "Is TLS 1.0 supported?"): its status (a control in place) is no yes to the question.
  const against = approved || form !== 'yesno' ? null : opposed(given.question, used, combined);
  // The judgement left the quoted row's mark blank (a figure or qualifier asked that it does not
  // state): the row is the closest there is, not an answer, and the draft says so.
  const blanked = !approved && (against ? against.status : combined) === 'unknown' && (against?.status === 'unknown' || used.some(blankedHit));
  // Whether the figure asked is stated, decided once: from the quoted rows the judgement did not
  // blank, and never where it blanked the answer. Every sentence of the draft, its status and its
  // reason follow it: a draft saying 「根拠には件数の記載がありません」 and then 「2回」, or giving a
  // figure under a reason saying none is stated, contradicted itself (blind trial s15).
  const figures = approved || form !== 'value' ? [] : askedFigures(given.question, blanked ? '' : readable(used).map(body).join('\n'));
  // Each ask's line decides for its own figure (japaneseAsksDraft).
  const unstated = !asks && !blanked && figures.length > 0 && figures.every((f) => f.value === null);
  // A quoted row standing for the figure (done as needed, given on request: Hit.figureHedged) is the answer a person sends once
  // the figure is obtained: partial, flagged; the judgement's reason stands where it read the hedge itself (blind trial s20).
  const hedged = unstated && used.some((h) => h.figureHedged);
  const marked = against ? against.status : combined;
  // A row's yes to a figure question whose figure it does not state answers nothing asked.
  const status = unstated && (marked === 'yes' || marked === 'partial') ? (hedged ? 'partial' : 'unknown') : marked;
  const retrieval = against ? contradicted(given, against) : unstated && !(hedged && given.needsReview) ? figureUnstated(given, figures) : given;
  const causes = {
    otherLanguage: approved && writtenLanguage(best.passage.answer) !== retrieval.lang,
    noStatus: !approved && status === 'unknown',
    notPlainYes: !approved && status !== 'unknown' && !mayGoUnreviewed(status),
    lowConfidence: retrieval.needsReview,
  };
  // The one place a draft is judged to need a reviewer.
  const needsHuman = causes.otherLanguage || causes.noStatus || causes.notPlainYes || causes.lowConfidence || ASKS_FOR_HUMAN.test(retrieval.reason);
  const unsure = needsHuman && retrieval.confidence <= LIKELY;
  // The judgement's best row leads, the others follow in rank order (not the order of the asks
  // the text answers): the first source listed, and the first quoted, is the best one.
  const citations = rankCitations(retrieval.hits.map(citationFromHit), new Set([best.passage.id]));
  let draft: string;
  if (approved) draft = causes.otherLanguage ? approvedInOtherLanguage(best.passage.answer, retrieval.lang) : best.passage.answer;
  else if (asks) draft = retrieval.lang === 'ja' ? japaneseAsksDraft(asks, needsHuman) : englishAsksDraft(retrieval, asks, { needsHuman, unsure }, english, citations);
  else if (retrieval.lang === 'ja') draft = japaneseDraft(retrieval.question, used, status, needsHuman, blanked, figures);
  else draft = englishDraft(retrieval, used, status, { needsHuman, unsure, blanked }, english, figures);
  return {
    ...base(retrieval),
    abstained: declines(status, approved),
    reason: needsHuman ? reviewReason(retrieval, causes) : retrieval.reason,
    draft,
    status,
    needsHuman,
    citations,
  };
}

/** Whether the judgement left a hit's mark blank: a caution says the row does not state what is asked (a figure about the subject, a qualifier). */
const blankedHit = (h: Hit): boolean => h.status === 'unknown' && h.passage.status !== 'unknown';

/**
 * The hits whose figures may answer the question: those the judgement neither blanked nor found
 * off the figure's subject (a row about the yearly audit cited beside the one about drills: its
 * 年1回 is not how often drills are run).
 */
const readable = (hits: readonly Hit[]): Hit[] => hits.filter((h) => !blankedHit(h) && !h.offFigureSubject);

/**
 * The judgement as a figure question's draft leaves it when no quoted row states the figure asked
 * (the judgement read one, of another kind or about something else: a trial period's 3ヶ月 for
 * "how many times a year"): flagged, no surer than a caution leaves an answer (CAUTION_CAP), and
 * the reason names the figure the evidence does not state.
 */
function figureUnstated(retrieval: Retrieval, figures: AskedFigure[]): Retrieval {
  const confidence = Math.min(retrieval.confidence, CAUTION_CAP);
  const pct = `${Math.round(confidence * 100)}%`;
  const reason =
    retrieval.lang === 'ja'
      ? `引用した記載には、質問の${figures.map((f) => f.what.ja).join('・')}が述べられていません(確度${pct})。担当者の確認が必要です`
      : `the cited passages do not state the ${andList(figures.map((f) => f.what.en))} asked (confidence ${pct}); a human should check`;
  return { ...retrieval, needsReview: true, confidence, reason };
}

/** One ask of a multi-part question and the cited row the judgement found for it (null: none). */
interface AskAnswer {
  text: string;
  hit: Hit | null;
  /** The status the judgement read the row as giving this ask, where its asks read differently. */
  judged?: Status;
}

/**
 * The asks of a multi-part question, in the question's order, each with its own best cited row;
 * null when one row answers them all (the single answer says everything) or none has a row.
 */
function answersPerAsk(retrieval: Retrieval): AskAnswer[] | null {
  const asks = retrieval.asks;
  if (!asks || asks.length < 2) return null;
  const byId = new Map(retrieval.hits.filter((h) => h.passage.kind !== 'approved').map((h) => [h.passage.id, h]));
  const answers = asks.map((a): AskAnswer => {
    const hit = askRow(a.text, a.rows.flatMap((id) => byId.get(id) ?? []), retrieval.lang);
    const judged = hit ? a.statuses?.[hit.passage.id] : undefined;
    return { text: a.text, hit, ...(judged ? { judged } : {}) };
  });
  const rows = new Set(answers.flatMap((a) => (a.hit ? [a.hit.passage.id] : [])));
  // One row answering every ask answers them together, unless it says yes to one and no to another: each ask then gets its own.
  const differ = answers.some((a) => a.judged !== undefined && a.judged !== answers[0]?.judged);
  return rows.size > 1 || (rows.size === 1 && (answers.some((a) => a.hit === null) || differ)) ? answers : null;
}

/**
 * The status a row gives one ask: the judgement's reading for that ask where the row's asks read
 * differently, else the row's own; no where its clause about the ask says the opposite.
 */
function askStatus(a: AskAnswer, hit: Hit): Status {
  const own = a.judged ?? hit.status ?? hit.passage.status;
  return opposed(a.text, [hit], own)?.status ?? own;
}

/**
 * An ask as a label its answer follows (「…」について, On “…”): the ask as the customer wrote it,
 * or the object of a Japanese request to be told something (question-form.ts JA_REQUEST: 「…の方法を
 * 教えてください」 → 「…の方法」); never a word alone, so that a figure after it answers the ask it
 * belongs to. An English ask is its own label ("Please describe X" reads as written).
 */
function askLabel(ask: string): string {
  const text = ask.normalize('NFKC').trim().replace(/[?？。.、,]+$/u, '').replace(/^(?:and|or|also)\s+/iu, '');
  return JA_REQUEST.test(text) ? askedThing(text) : text;
}

/** The row an ask is answered from: its best cited row, or for a figure ask the first of its rows stating the figure. */
function askRow(ask: string, rows: Hit[], lang: Retrieval['lang']): Hit | null {
  const stating = questionForm(ask, lang) === 'value' ? rows.find((h) => askedFigures(ask, body(h)).some((f) => f.value !== null)) : undefined;
  return stating ?? rows[0] ?? null;
}

/**
 * Each ask in the question's order with its own answer: the status (a yes/no ask) or the figure
 * (a figure ask) from the ask's own row, then the row's sentences about the ask; an ask no cited
 * row answers is said to be not found. A sentence already written for an earlier ask is not repeated.
 */
function japaneseAsksDraft(asks: AskAnswer[], needsHuman: boolean): string {
  const written = new Set<string>();
  const parts = asks.map((a) => {
    const label = `「${askLabel(a.text)}」について: `;
    if (!a.hit) return `${label}公開している資料には記載が見つかりませんでした。`;
    const row = body(a.hit);
    const form = questionForm(a.text, 'ja');
    const { found, missing } = splitFigures(form === 'value' ? askedFigures(a.text, row) : []);
    const single = found.length === 1 && missing.length === 0 ? (found[0]?.value.ja ?? null) : null;
    const text = askedSentences(a.text, row, single, undefined, asks.filter((o) => o !== a).map((o) => o.text));
    const after = single === null ? null : afterFigure(text, single);
    // A row that is nothing but the figure becomes the lead's sentence; one opening with it states it itself.
    const fresh = written.has(text) ? '上記のとおりです。' : after !== null && saysNothingMore(after) ? '' : text;
    written.add(text);
    let lead = '';
    if (form === 'yesno') lead = STATUS_JA[askStatus(a, a.hit)];
    else if (single) lead = after === null || fresh === '' ? `${single}です。` : '';
    else if (found.length > 0) lead = `${found.map((f) => `${f.what.ja}は${f.value.ja}`).join('、')}です。`;
    const absent = missing.length > 0 ? `根拠には${missing.map((f) => f.what.ja).join('・')}の記載がありません。` : '';
    return `${label}${lead}${absent}${fresh}`;
  });
  return `${needsHuman ? REVIEW_MARK.ja : ''}${parts.join('\n')}`;
}

/**
 * The English answer to each ask in the question's order, saying what can be said without a
 * translation (the status or figure of the ask's own row, and which item that row is), then
 * each row quoted once in its original language, in the citations' rank order: the quotations
 * name their sources, and a reader (or a scorer) of the filled cell takes the first source
 * named as the best one.
 */
function englishAsksDraft(retrieval: Retrieval, asks: AskAnswer[], tone: Pick<EnglishTone, 'needsHuman' | 'unsure'>, english: EnglishRendering, ranked: readonly Citation[]): string {
  const { needsHuman, unsure } = tone;
  const lines = asks.map((a) => {
    const label = `On “${askLabel(a.text)}”: `;
    if (!a.hit) return `${label}not stated in our published documentation.`;
    const where = placesPhrase([a.hit], retrieval.product);
    const form = questionForm(a.text, 'en');
    const { found, missing } = splitFigures(form === 'value' ? askedFigures(a.text, body(a.hit)) : []);
    const status = askStatus(a, a.hit);
    const possibly = unsure ? 'possibly ' : '';
    if (found.length > 0) return `${label}${possibly}${found.map((f) => (found.length > 1 || missing.length > 0 ? `${f.what.en} ${f.value.en}` : f.value.en)).join('; ')}, according to ${where}.`;
    if (missing.length > 0) return `${label}the cited evidence states no ${andList(missing.map((f) => f.what.en))}; the closest is ${where}.`;
    if (form !== 'yesno' || status === 'unknown') return `${label}described in ${where}.`;
    return `${label}${possibly}${(unsure ? GUESS_EN[status] : STATUS_EN[status].toLowerCase())}, according to ${where}.`;
  });
  const rank = (h: Hit): number => {
    const at = ranked.findIndex((c) => c.id === h.passage.id);
    return at < 0 ? ranked.length : at;
  };
  const rows = [...new Map(asks.flatMap((a) => (a.hit ? [[a.hit.passage.id, a.hit] as const] : []))).values()].sort((a, b) => rank(a) - rank(b));
  return [`${needsHuman ? REVIEW_MARK.en : ''}${lines.join('\n')}`, ...quotations(rows, null, english)].filter(Boolean).join('\n\n');
}

/**
 * The draft in the question's language from the rows an approval in the other language rested
 * on, with the approver's status (a person's judgement of those rows), flagged for review.
 */
function approvalInOtherLanguage(given: Retrieval, approval: Hit, rested: Hit[], english: EnglishRendering): Draft {
  const status = approval.status ?? approval.passage.status;
  const ja = given.lang === 'ja';
  const draft = ja ? japaneseDraft(given.question, rested, status, true) : englishDraft(given, rested, status, { needsHuman: true, unsure: given.confidence <= LIKELY, blanked: false }, english);
  const reason = ja
    ? `同じ質問への承認済み回答 #${approval.passage.ref} は英語のため、それが根拠とした記載から日本語で下書きしました(状況は承認どおり)。担当者の確認が必要です`
    : `approval #${approval.passage.ref} of the same question is in Japanese, so this English draft is made from the rows it rested on (status as approved); a human should check`;
  return {
    ...base(given),
    reason,
    draft,
    status,
    needsHuman: true,
    // The rows drafted from, then the approval: rows only cited beside them are not this answer's sources.
    citations: rankCitations([...rested, approval].map(citationFromHit), new Set(rested.map((h) => h.passage.id))),
  };
}

/**
 * What the quoted passages say against the status they carry: a yes (or partial) whose clause
 * about what is asked is its opposite becomes no; a yes whose negative is about something else
 * than what is asked ("TLS 1.0 is disabled" for "Is TLS 1.2 disabled?") becomes unknown.
 */
function opposed(question: string, used: Hit[], status: Status): Contradiction | null {
  if (status !== 'yes' && status !== 'partial') return null;
  const found = used.map((h) => predicateContradiction(question, body(h))).filter((c): c is Contradiction => c !== null);
  const no = found.find((c) => c.status === 'no');
  if (no) return no;
  if (status !== 'yes') return null;
  const version = versionUnnamed(question, used.map(body));
  return found[0] ?? (version ? { status: 'unknown', clause: version, unnamed: true } : null);
}

/**
 * The judgement as the contradiction leaves it: flagged, and an answer left unknown no surer
 * than any caution leaves one (CAUTION_CAP); a no keeps the judgement's confidence that the
 * passage is the one about the question (the passage itself says no, as for a row's denial).
 */
function contradicted(retrieval: Retrieval, c: Contradiction): Retrieval {
  const confidence = c.status === 'unknown' ? Math.min(retrieval.confidence, CAUTION_CAP) : retrieval.confidence;
  return { ...retrieval, needsReview: true, confidence, reason: contradictionReason(c, retrieval.lang, confidence) };
}

/** Why the status is not the passage's own, quoting its clause, in the question's language. */
function contradictionReason(c: Contradiction, lang: Retrieval['lang'], confidence: number): string {
  const pct = `${Math.round(confidence * 100)}%`;
  if (lang === 'ja') {
    if (c.unnamed) return `質問は「${c.clause}」について尋ねていますが、引用した記載はそれに触れていないため、「はい」とは言えません(確度${pct})。担当者の確認が必要です`;
    return c.status === 'no'
      ? `引用した記載は質問されていることについて「${c.clause}」と述べており、質問とは逆の内容です。回答は「いいえ」です(確度${pct})。担当者の確認が必要です`
      : `引用した記載の「${c.clause}」は質問の対象とは別のものについての記述で、「はい」とは言えません(確度${pct})。担当者の確認が必要です`;
  }
  if (c.unnamed) return `the question asks about “${c.clause}”, which the cited passage does not name, so it is not a yes (confidence ${pct}); a human should check`;
  return c.status === 'no'
    ? `the cited passage says “${c.clause}”, the opposite of what is asked, so the answer is no (confidence ${pct}); a human should check`
    : `the cited passage’s “${c.clause}” is about something other than what is asked, so it is not a yes (confidence ${pct}); a human should check`;
}

/** Retrieval's reason, plus why a person must look when retrieval did not say so itself. */
function reviewReason(retrieval: Retrieval, causes: { otherLanguage: boolean; noStatus: boolean; notPlainYes: boolean; lowConfidence: boolean }): string {
  // The judgement's reason already says why a person must look.
  if (ASKS_FOR_HUMAN.test(retrieval.reason)) return retrieval.reason;
  const ja = retrieval.lang === 'ja';
  const why = [
    causes.otherLanguage ? (ja ? '承認済みの回答が英語のままです' : 'the approved answer is in Japanese') : '',
    causes.noStatus ? (ja ? '根拠に実施状況の記載がありません' : 'the evidence states no clear status') : '',
    causes.lowConfidence ? unsureWhy(retrieval.confidence, retrieval.lang) : '',
    causes.notPlainYes && !causes.lowConfidence ? NOT_PLAIN_YES[retrieval.lang] : '',
  ].filter(Boolean);
  const head = retrieval.reason.trim();
  return ja ? `${head ? `${head}。` : ''}${why.join('、')}。担当者の確認が必要です` : `${head ? `${head}; ` : ''}${why.join(', ')}; a human should check`;
}

/**
 * Why a draft below the bar for going out unreviewed is flagged, saying what its confidence is:
 * the share of drafts this sure that are right. "Confidence is low (0.97)" read as a
 * contradiction; a 97% draft is flagged because kotae sends only near-certain ones unreviewed.
 */
function unsureWhy(confidence: number, lang: Retrieval['lang']): string {
  return lang === 'ja' ? `確認なしで送れるほど確かではありません(${measuredShare(confidence, 'ja')})` : `not sure enough to go out unreviewed (${measuredShare(confidence, 'en')})`;
}

/** Reused across languages only as what it is, flagged: a reviewer translates or confirms it. */
function approvedInOtherLanguage(answer: string, lang: Retrieval['lang']): string {
  return lang === 'ja' ? `${REVIEW_MARK.ja}承認済みの回答(英語):\n${answer}` : `${REVIEW_MARK.en}Approved answer (Japanese), not yet translated:\n${answer}`;
}

function body(hit: Hit): string {
  return hit.passage.answer || hit.passage.requirement;
}

/** The figures found, and the names of those the evidence does not state. */
function splitFigures(figures: AskedFigure[]): { found: Array<AskedFigure & { value: NonNullable<AskedFigure['value']> }>; missing: AskedFigure[] } {
  return {
    found: figures.filter((f): f is AskedFigure & { value: NonNullable<AskedFigure['value']> } => f.value !== null),
    missing: figures.filter((f) => f.value === null),
  };
}

/**
 * @param asked the figures asked, as extractiveDraft decided whether the rows state them; read
 *   from `used` when not given (the rows an approval in the other language rested on).
 */
function japaneseDraft(question: string, used: Hit[], status: Status, needsHuman: boolean, blanked = false, asked?: AskedFigure[]): string {
  const bodies = used.map(body);
  // The closest row, said to be only that: quoted as a row would be, it reads as the answer.
  if (blanked) return `${needsHuman ? REVIEW_MARK.ja : ''}${CLOSEST.ja}最も近い記載(${used.map((h) => sourceLabel(citationFromHit(h))).join('、')})は次のとおりです。\n${bodies.join('\n')}`;
  const form = questionForm(question, 'ja');
  const { found, missing } = splitFigures(asked ?? (form === 'value' ? askedFigures(question, bodies.join('\n')) : []));
  // はい/いいえ answers a yes/no question only; a figure question gets each figure asked first,
  // and says which the evidence does not state.
  const single = found.length === 1 && missing.length === 0 ? (found[0]?.value.ja ?? null) : null;
  // A figure an English source writes is quoted as written (「at least 12 characters」です), not run into the Japanese.
  const asWritten = (v: string): string => (detectLanguage(v) === 'en' && /[a-z]/i.test(v) ? `「${v}」` : v);
  let figures = single ? `${asWritten(single)}です。` : found.length > 0 ? `${found.map((f) => `${f.what.ja}は${asWritten(f.value.ja)}`).join('、')}です。` : '';
  // A row that opens with the figure states it itself: the lead would say it twice in a row
  // (20世代です。20世代…). A row that is nothing but the figure becomes the lead's sentence.
  const rest = single && bodies[0] !== undefined ? afterFigure(bodies[0], single) : null;
  if (rest !== null) {
    if (saysNothingMore(rest)) bodies.shift();
    else figures = '';
  }
  const absent = missing.length > 0 ? `根拠には${missing.map((f) => f.what.ja).join('・')}の記載がありません。` : '';
  const lead = form === 'yesno' ? STATUS_JA[status] : `${figures}${absent}`;
  return `${needsHuman ? REVIEW_MARK.ja : ''}${lead}${bodies.join('\n')}`;
}

/**
 * What a row says after the figure it opens with (width and spacing aside: the figure is read
 * from the NFKC text, `99.9%(実績)` from `99.9% (実績)`), or null when it does not open with it.
 */
function afterFigure(row: string, figure: string): string | null {
  const pattern = [...figure.replace(/\s+/g, '')].map((c) => escapeRegExp(c)).join('\\s*');
  const m = new RegExp(`^\\s*${pattern}`, 'u').exec(row.normalize('NFKC'));
  return m ? row.normalize('NFKC').slice(m[0].length) : null;
}

/** Only punctuation or a copula after the figure: the row adds nothing to a sentence stating it. */
const saysNothingMore = (rest: string): boolean => /^[\s。．.、,]*(です|である)?[\s。．.!]*$/u.test(rest);

/**
 * How sure the English sentence may sound: `unsure` (flagged, and the judgement at or below LIKELY)
 * hedges it; `blanked` (the judgement left the row's mark blank) names the row as the closest,
 * not as the answer.
 */
interface EnglishTone {
  needsHuman: boolean;
  unsure: boolean;
  blanked: boolean;
}

/** @param asked as japaneseDraft's. */
function englishDraft(retrieval: Retrieval, used: Hit[], status: Status, tone: EnglishTone, english: EnglishRendering, asked?: AskedFigure[]): string {
  const { needsHuman, unsure, blanked } = tone;
  const mark = needsHuman ? REVIEW_MARK.en : '';
  const bodies = used.map(body);
  const form = questionForm(retrieval.question, 'en');
  const where = placesPhrase(used, retrieval.product);
  const concepts = [...new Set(used.flatMap((h) => conceptNames(h.passage.requirement, h.passage.answer)))].slice(0, 3);
  const covers = concepts.length > 0 ? ` (${COVERS_LEAD}${concepts.join(', ')})` : '';
  const figures = asked ?? (form === 'value' ? askedFigures(retrieval.question, bodies.join('\n')) : []);
  const { found, missing } = splitFigures(figures);
  // The one figure the sentence states, as the row writes it.
  const stated = found.length === 1 && missing.length === 0 ? (found[0]?.value.ja ?? null) : null;
  const value = found.length === 0 ? null : found.length === 1 && missing.length === 0 ? (found[0]?.value.en ?? '') : found.map((f) => `${f.what.en}: ${f.value.en}`).join('; ');
  const notStated = missing.length > 0 ? `the cited evidence states no ${andList(missing.map((f) => f.what.en))}` : '';
  let sentence: string;
  if (value) {
    // The row states a figure asked for: it leads (hedged when unsure), and a figure asked but not stated is said to be missing.
    const tail = notStated ? `; ${notStated}` : unsure ? '; this may not fully answer the question' : '';
    sentence = unsure ? `${mark}Possibly ${value}, according to ${where}${covers}${tail}.` : `${mark}${capitalise(value)}, according to ${where}${covers}${tail}.`;
  } else if (notStated) {
    // A figure question whose evidence states no figure of the kind asked says so plainly.
    sentence = `${mark}${capitalise(notStated)}; the closest evidence is ${where}${covers}.`;
  } else if (blanked) {
    sentence = `${mark}${CLOSEST.en}; the closest is ${where}${covers}.`;
  } else if (unsure) {
    // Only a yes/no question gets a guessed status: an open question is never answered "yes".
    const guess = status === 'unknown' || form !== 'yesno' ? 'The' : `Possibly ${GUESS_EN[status]}: the`;
    sentence = `${mark}${guess} closest evidence is ${where}${covers}, which may not fully answer the question.`;
  } else if (form !== 'yesno' || status === 'unknown') {
    // A how/what question, or a value question whose row states no figure: the substance leads.
    const marked = MARKED_EN[status];
    sentence = `${mark}${concepts.length > 0 ? `${capitalise(andList(concepts))}: described` : 'Described'} in ${where}${marked ? `; ${marked}` : ''}.`;
  } else {
    // The judgement's status said plainly, with the figures the rows state (in English) beside it.
    const figures = rowFigures(bodies.join('\n'));
    const states = figures.length > 0 ? `; ${used.length > 1 ? 'they state' : 'it states'} ${andList(figures)}` : '';
    sentence = status === 'yes' ? `${mark}Yes. Covered by ${where}${covers}${states}.` : `${mark}${STATUS_EN[status]}, according to ${where}${covers}${states}.`;
  }
  return [sentence, ...quotations(used, stated, english)].filter(Boolean).join('\n\n');
}

/**
 * Each row quoted in its original language under its source (with a machine translation beside
 * Japanese where one was made at ingest). A quotation that is nothing but the figure the sentence
 * leads with (`stated`) would say it twice in a row and is left out.
 */
function quotations(used: Hit[], stated: string | null, english: EnglishRendering): string[] {
  return used.map((h) => {
    // A questionnaire answered for another customer is never named in an answer.
    const label = h.passage.kind === 'qa' ? `a questionnaire we answered before${h.passage.ref ? `, item ${h.passage.ref}` : ''}` : sourceLabel(citationFromHit(h));
    const quoted = body(h);
    if (detectLanguage(quoted) !== 'ja') {
      const after = stated === null ? null : afterFigure(quoted, stated);
      const sameFigure = after !== null && saysNothingMore(after);
      return sameFigure ? '' : `Quoted from (${label}):\n${blockquote(quoted)}`;
    }
    const rendering = english(h.passage);
    // A machine translation is said to be one, and the original stays beside it.
    return rendering ? `English (machine translation of ${label}):\n${blockquote(rendering)}\nJapanese original:\n${blockquote(quoted)}` : `Japanese original (${label}):\n${blockquote(quoted)}`;
  });
}

const KIND_NOUN: Record<Passage['kind'], string> = {
  control: 'security checksheet',
  policy: 'security policy',
  qa: 'questionnaire',
  approved: 'approved answers',
};

/**
 * "item 6-15 of our published krew security checksheet", "items 6-15 and 6-16 of …",
 * "section 2 of our published Acme Access Control Policy" (a policy's numbered heading),
 * "page 3 of our published Acme Security Policy". A Japanese title is not put into the
 * English sentence (it is quoted below it); a questionnaire answered for another customer
 * is never named.
 */
function placesPhrase(hits: Hit[], product: string): string {
  const groups = new Map<string, Passage[]>();
  for (const h of hits) groups.set(h.passage.source, [...(groups.get(h.passage.source) ?? []), h.passage]);
  return [...groups.values()]
    .map((ps) => {
      const first = ps[0];
      if (!first) return '';
      const noun =
        first.kind === 'qa'
          ? 'a questionnaire we answered before'
          : `our published ${first.title && detectLanguage(first.title) === 'en' ? first.title : `${product} ${KIND_NOUN[first.kind]}`}`;
      const refs = [...new Set(ps.map((p) => p.ref).filter((r) => r !== '' && detectLanguage(r) === 'en'))];
      const pages = [...new Set(ps.map((p) => p.page).filter((n): n is number => n !== null))];
      // A policy's numbered headings are its sections; a checksheet's numbers, its items.
      const [one, many] = first.kind === 'policy' ? ['section', 'sections'] : ['item', 'items'];
      const at = refs.length > 0 ? `${refs.length > 1 ? many : one} ${andList(refs)}` : pages.length > 0 ? `${pages.length > 1 ? 'pages' : 'page'} ${andList(pages.map(String))}` : '';
      return at ? `${at} of ${noun}` : noun;
    })
    .filter(Boolean)
    .join(' and ');
}

const blockquote = (text: string): string => `> ${text.split('\n').join('\n> ')}`;

function andList(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1) ?? ''}`;
}

const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** Looks a rendering up where it is stored (the workflow database). */
export type EnglishLookup = (passage: Passage) => Promise<string | null>;

/**
 * The extractive drafter; with `english`, English answers also quote the ingest-time
 * rendering of Japanese evidence. The renderings of the passages a draft can quote (the
 * two best hits) are looked up first, so the drafting itself stays synchronous.
 */
export function createExtractiveDrafter(english?: EnglishLookup): Drafter {
  return {
    name: 'extractive',
    draft: async (retrieval) => {
      if (!english) return extractiveDraft(retrieval);
      const renderings = new Map<string, string | null>();
      for (const hit of retrieval.hits.slice(0, 2)) renderings.set(hit.passage.id, await english(hit.passage));
      return extractiveDraft(retrieval, (p) => renderings.get(p.id) ?? null);
    },
  };
}
