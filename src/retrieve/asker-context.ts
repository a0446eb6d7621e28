/**
 * A questionnaire cell often tells the vendor something about the customer before it asks:
 * "Our policy requires passwords of at least 12 characters. What is your minimum?",
 * "We are evaluating payroll vendors. …", 「弊社は現在、…の導入を検討しております。…」. That
 * sentence is the asker's own policy, bound or background: context for the ask, not an ask. Read
 * as an ask it retrieved rows of its own, was cited, and got a status line of its own in the
 * draft (blind trials, issue 9): the vendor answering "yes" to the customer's own policy.
 *
 * A sentence is the asker's context when it is a statement (no question mark, no question ending
 * or request) about the asker: it names the asker (we, our, 弊社, 当社, 私ども…) or speaks in the
 * humble form a customer uses of itself (…しております, …を検討中です). A statement that asks
 * all the same ("We would like to know whether …", 「…を確認したく存じます」) is an ask.
 * Only questions with an ask left are read this way: a cell that is nothing but statements is a
 * statement to confirm ("The vendor encrypts data at rest."), and is asked as written. A sentence
 * only announcing the questions after it (「krewについて2点お伺いします」) is context the same way: read
 * as an ask it was answered from the sheet's preamble, and its unknown status made the whole
 * answer unknown (blind trial s15).
 */

// Sentences as a questionnaire writes them, split as rows are (one split for both).
import { sentences, type Sentence } from '../sentences.js';
import { isJapanese } from '../domain.js';
import { KANJI_CLASS, KATAKANA_CLASS } from '../regexp.js';

/** English: a sentence that opens as a question ("Do you …", "How …"). */
const EN_QUESTION_START = /^(?:and\s+|also\s+|so\s+|but\s+)?(?:who|whom|whose|what|when|where|which|why|how|whether|is|are|am|do|does|did|can|could|will|would|shall|should|has|have|had|was|were|may|might|must)\b/iu;
/** English: a request to the vendor ("Please describe …", "Tell us …", "Confirm that …"). */
const EN_REQUEST_START = /^(?:please|kindly|describe|provide|list|specify|state|explain|outline|detail|share|indicate|tell|let us know|confirm|identify|attach|summari[sz]e|name|give|clarify)\b/iu;
/** English: the asker named: "we", "our", "us", "I", "my", "our company". */
const EN_ASKER = /\b(?:we|we're|we've|our|ours|i'm|i've|my)\b/iu;
/** "us" and "I" in their own case: "the US" and "(i)" are not the asker. */
const EN_ASKER_CASED = /\b(?:us|I)\b/u;
/** English: a statement that still asks ("We would like to know how …", "we need to understand whether …"). */
const EN_INDIRECT_ASK = /\b(?:please|kindly|know|understand|learn|confirm|whether|wonder(?:ing)?|clarify|clarification|ask(?:ing)?|find out|tell us|describe|explain|advise)\b/iu;

/** Japanese: a question or a request ending (…ますか, …でしょうか, …ください, …願います, …たい). */
const JA_ASKING_END = /(?:か|かな|かね|の|ください|下さい|くださいませ|願います|願いたい|願えますか|頂けますか|いただけますか|たい|たく存じます|ほしい|欲しい|いただきたい|頂きたい)$/u;
/** Japanese: the asker named (弊社, 当社, 私ども, 我々 …). */
const JA_ASKER = /(?:弊社|当社|弊行|当行|弊団体|当団体|弊校|当校|弊組合|私ども|わたくしども|私たち|わたしたち|我々|われわれ|当方|我が社|わが社|自社)/u;
/** Japanese: the humble form a customer speaks of itself in (…しております, …を検討中です, 存じます). */
const JA_HUMBLE = /(?:ております|おります|いたしました|しております|存じます|検討中|予定です|予定しております)$/u;
/** Japanese: a statement that still asks (「…を確認したく存じます」「ご教示いただきたく」「…を知りたいと考えております」). */
const JA_INDIRECT_ASK = /(?:知りたい|確認したい|確認したく|伺いたい|伺いたく|お伺い|ご教示|教えていただきたく|お聞きしたい|把握したい|ご確認いただきたく|ご回答いただきたく)/u;

/** Whether a sentence asks something: a question, a request, or a statement that asks all the same. */
export function asksSomething(s: Sentence, ja: boolean): boolean {
  if (/[?？]/u.test(s.end)) return true;
  const body = s.text.replace(/[\s、,:：]+$/u, '');
  if (ja) return JA_ASKING_END.test(body) || JA_INDIRECT_ASK.test(body);
  return EN_QUESTION_START.test(body) || EN_REQUEST_START.test(body) || EN_INDIRECT_ASK.test(body);
}

/**
 * Japanese: a sentence announcing the questions that follow (「krewについて2点お伺いします」「導入にあたり確認させて
 * ください」「以下の点について質問させてください」): a verb of asking with only a count, "the following" or an
 * occasion as its object. 「バックアップについて確認させてください」 names what it asks and stays an ask.
 */
const JA_FRAMING_VERB = /(?:お?伺い(?:します|いたします|させてください|させていただきます|させていただきたく(?:存じます)?)|お?尋ね(?:します|いたします)|お聞き(?:します|いたします)|質問(?:します|いたします|させてください|させていただきます)|確認(?:させてください|させていただきます|させていただきたく(?:存じます)?))$/u;
const JA_FRAMING_OBJECT = /(?:[0-9０-９一二三四五六七八九十]+|いくつか|数|複数)(?:点|つ|項目)|以下|下記|次の|にあたり|にあたって|に際し/u;
/** English: "I have a few questions about X.", "We would like to ask the following:", "Please answer the questions below." */
const EN_FRAMING = /^(?:(?:i|we)(?: have| had|'ve got| would like to ask| 'd like to ask|'d like to ask| want to ask)? (?:a few|some|several|two|three|four|five|\d+|a couple of|the following) (?:questions?|points?|things?)\b|please (?:answer|respond to|complete) the (?:following|questions below)\b|(?:a few|some|several|two|three|four|five|\d+) questions\b)/iu;

/** Whether a sentence only announces the questions after it: no ask of its own, whatever its request ending. */
export function isFraming(s: Sentence, ja: boolean): boolean {
  if (/[?？]/u.test(s.end)) return false;
  const body = s.text.replace(/[\s、,:：]+$/u, '');
  return ja ? JA_FRAMING_VERB.test(body) && JA_FRAMING_OBJECT.test(body) : EN_FRAMING.test(body);
}

/** Whether a sentence is the asker's own statement (no ask, and about the asker) or only announces the questions. */
export function isAskerContext(s: Sentence, ja: boolean): boolean {
  if (isFraming(s, ja)) return true;
  if (asksSomething(s, ja)) return false;
  const body = s.text.replace(/[\s、,:：]+$/u, '');
  return ja ? JA_ASKER.test(body) || JA_HUMBLE.test(body) : EN_ASKER.test(body) || EN_ASKER_CASED.test(body);
}

/**
 * The question without the asker's context sentences, when something is still asked; the
 * question as written otherwise. `text` is already NFKC-normalised.
 */
export function withoutAskerContext(text: string): string {
  const ja = isJapanese(text);
  const all = sentences(text);
  const kept = all.filter((s) => !isAskerContext(s, ja));
  if (kept.length === all.length || !kept.some((s) => asksSomething(s, ja))) return text;
  return kept.map((s) => `${s.text}${s.end === '\n' ? '' : s.end}`).join(ja ? '' : ' ');
}

/** English: a word that points back to what the asker said ("Does it meet that?", "the same"). */
const EN_ANAPHORA = /\b(?:that|this|these|those|it|same|such|above|so)\b/iu;
/** Japanese: a word that points back (それ, その, 同様, 上記; not それぞれ). */
const JA_ANAPHORA = /(?:それ(?!ぞれ)|その|これ|この|同様|同じ|上記|当該|こちら|そちら|前述)/u;
/**
 * English words that name nothing asked about: question words, auxiliaries, pronouns, light verbs,
 * and the generic nouns an ask uses when its subject is in the statement ("What is your status?").
 */
const EN_LIGHT = new Set(
  'a an the and or of in on at to for from by with into is are was were be been do does did can could will would should shall may might must has have had how what who whom whose when where which why whether your yours you our we us their its this that these any all each please kindly tell describe provide share explain confirm state what\'s there here also currently status state situation details detail approach process level current arrangements information info practice practices position plan plans'.split(' '),
);
/** Japanese: the vendor named, the request or question ending, and generic nouns (状況, 詳細): not what is asked about. */
const JA_LIGHT = /(?:貴社|御社|貴殿|教えて|ください|下さい|ますか|ですか|でしょうか|いかが|どう|何|どの|どこ|いつ|状況|状態|詳細|内容|対応|取り組み|有無|可否|方法|実施)/gu;

/** The characters Japanese content words are written in: kanji and katakana (not the kana of endings and particles). */
const JA_WORD_CHAR = new RegExp(`[${KANJI_CLASS}${KATAKANA_CLASS}]`, 'gu');

/** Whether the asks name what they ask about without the asker's context: enough words of their own, and none pointing back. */
function selfContained(asked: string, ja: boolean): boolean {
  if ((ja ? JA_ANAPHORA : EN_ANAPHORA).test(asked)) return false;
  if (ja) return (asked.replace(JA_LIGHT, '').match(JA_WORD_CHAR) ?? []).length >= 5;
  return asked.split(/[^A-Za-z0-9'-]+/u).filter((w) => w.length > 1 && !EN_LIGHT.has(w.toLowerCase())).length >= 2;
}

/**
 * The question as retrieval reads it: without the asker's context when what is asked names its
 * own subject ("We are ISO 27001 certified ourselves. Do you encrypt backups?" is about backups,
 * and cited the ISO rows), with it when the ask leans on it ("Our policy requires 12 characters.
 * What is your minimum?", "… Do you commit to that?").
 */
export function askedWithoutContext(text: string): string {
  const ja = isJapanese(text);
  const asked = withoutAskerContext(text);
  return asked !== text && selfContained(asked, ja) ? asked : text;
}
