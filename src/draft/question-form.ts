/**
 * What kind of answer a question wants (yes/no, a value, a description), from its wording
 * alone. Apart from the rest of the phrasing rules (phrasing.ts), which need the retrieval
 * lexicon: the questionnaire filler asks this of every row, and loading it must not bring the
 * lexicon and WordNet into the bot's Slack thread.
 */
import { detectLanguage, type Language } from '../domain.js';
import { JA_REQUEST_VERB_SOURCE } from '../request-verbs.js';

/** yes/no: "Do you…?" (leads with Yes/No); value: "How long…?" (leads with the figure); open: "How do you…?" (leads with the substance). */
export type QuestionForm = 'yesno' | 'value' | 'open';

const EN_AUX = /^(do|does|did|is|are|was|were|has|have|had|can|could|will|would|shall|should|may|must)\b/;
const EN_VALUE = [
  /\bhow (long|many|much|often|frequently|quickly|soon|fast)\b/,
  /\b(what|which) (hours|days|times?|percentage|frequency|period)\b/,
  /^(what|which)\b.*\b(rpo|rto|uptime|availability|sla|retention|period|hours|frequency|duration|percentage|time ?frame|window|length)\b/,
  /\bwithin what\b/,
];
const EN_OPEN = /^(how|what|which|who|where|why|when|describe|explain|list|provide|outline|detail|summari[sz]e|specify|give)\b/;

const JA_VALUE = /(何日|何時間|何か月|何ヶ月|何カ月|何年|何回|何世代|何文字|何桁|何件|何名|何人|何台|何拠点|何箇所|何か所|何個|何%|何パーセント|いくつ|どのくらい|どれくらい|どれぐらい|どのぐらい|いつまで|いつ|何時から|何時まで)/;
const JA_VALUE_NOUN = /(期間|時間帯|稼働率|頻度|日数|目標|rpo|rto|営業時間|サービス時間|提供時間)(は|を教えて|をご記入|を記入)/i;
/**
 * The name of a figure the question asks to be told (「最小文字数を教えてください」, 「保持世代数をご記入ください」,
 * 「実施間隔をお知らせください」): a value, though the request alone would make it an open question.
 * Not with は: 「作業時間は記録していますか」 asks whether.
 */
const JA_VALUE_REQUEST = /(文字数|桁数|世代数|回数|件数|人数|間隔|周期|時間|時期|期限|上限|下限|長さ|容量|サイズ|タイミング)\s*(を|について)\s*(教え|お教え|ご教示|お知らせ|ご記入|記入|ご回答|回答|ご提示|提示)/u;
/**
 * A question that ends on the name of a figure, with no predicate (「セッションタイムアウトの時間は?」,
 * 「通知時期」, 「最低文字数、使用可能文字は?」): it asks for the figure, not whether something is done.
 */
const JA_VALUE_END = /(期間|時間|時期|時間帯|頻度|回数|日数|文字数|桁数|世代数|件数|人数|稼働率|タイミング|期限|間隔|上限|下限|長さ|容量|サイズ)\s*(は|って|[、,])?\s*[?？]?\s*$|(文字数|桁数|世代数|回数|日数|期間|時期)\s*[、,]/u;
/** A question that ends on the name of a description asked for (「データの保管場所は?」, 「連絡方法」): an open question. */
const JA_OPEN_END = /(方法|手段|手順|場所|保管先|保存先|所在地|内容|体制|種類|範囲|対象|基準|窓口|連絡先|使用可能文字)\s*(は|って)?\s*[?？]?\s*$/u;
/**
 * A request to be told something (「…を教えてください」「ご教示願います」「ご提示いただけますか」
 * 「記載してください」): a verb of telling, showing or filling in, followed by a request or ending
 * the question. The verbs are src/request-verbs.ts's, which splitting into asks reads too
 * (plus 提示 straight before ください); the question's form (a request is an open question) and the
 * drafter's ask labels (the request's object names the ask, extractive.ts) both read this. The same
 * verbs ending a statement or a yes/no question (「規程に記載していますか」「利用者に説明しています」,
 * 「障害をお知らせしていますか」) ask for no description.
 */
export const JA_REQUEST = new RegExp(`(?:${JA_REQUEST_VERB_SOURCE}|提示)\\s*(?:ください|下さい|くださ|いただ|頂|願|ほしい|欲しい|もらえ|$|[。.?？!！])`, 'u');

/**
 * Question words (誰, どこ, いつ…) and 具体的に: an open question whatever follows; 何らか / 何とも /
 * 何も are not questions.
 */
const JA_QUESTION_WORD = /(誰|どなた|どこ|どちら|どれ|どの|なぜ|何故|何(?![らとも])|どのよう|どのような|どんな|何を|なにを|具体的に)/;

/**
 * A request whose object is a yes/no question of its own (「暗号化しているかご回答ください」,
 * 「取得しているかどうか教えてください」): it asks whether, not for a description.
 */
const JA_EMBEDDED_YESNO = /か(?:どうか|否か)?\s*(?:を|について)?\s*[、,]?\s*$/u;

/** Whether the question requests a description: some request in it whose object is not a whether-question. */
function requestsDescription(q: string): boolean {
  for (const m of q.matchAll(new RegExp(JA_REQUEST.source, 'gu'))) {
    if (!JA_EMBEDDED_YESNO.test(q.slice(0, m.index))) return true;
  }
  return false;
}

/** What kind of answer the question asks for. Statements to confirm ("Backups are encrypted.", 「…すること。」) are yes/no. */
export function questionForm(question: string, lang: Language = detectLanguage(question)): QuestionForm {
  if (lang === 'ja') {
    const q = question.normalize('NFKC');
    if (JA_VALUE.test(q) || JA_VALUE_NOUN.test(q) || JA_VALUE_REQUEST.test(q) || JA_VALUE_END.test(q)) return 'value';
    if (JA_QUESTION_WORD.test(q) || JA_OPEN_END.test(q) || requestsDescription(q)) return 'open';
    return 'yesno';
  }
  const q = question
    .toLowerCase()
    .replace(/^[\s\d.()[\]:#-]*(q\d*[.:)]?\s*)?/, '')
    .replace(/^(please\s+)?(confirm|state|indicate)\s+(whether|if|that)\s+/, '')
    .trim();
  if (EN_AUX.test(q)) return 'yesno';
  if (EN_VALUE.some((re) => re.test(q))) return 'value';
  if (/^please\s+/.test(q) || EN_OPEN.test(q)) return 'open';
  return 'yesno';
}

/** A sentence that asks something: 「…ですか。」「…か?」, "…?". */
const INTERROGATIVE = /(?:か|[?？])\s*[。.]?\s*$/u;

/**
 * Whether the question has a yes/no ask: its own form, or one of its sentences asking whether
 * (「バックアップは取得していますか。取得頻度も教えてください。」, "Describe your backups. Are
 * they encrypted?"). A yes/no column (Yes/No/N/A, はい/いいえ) takes that ask's answer; a
 * question with none (only figures or descriptions asked for) gets its answer as text alone.
 */
export function asksYesNo(question: string, lang: Language = detectLanguage(question)): boolean {
  if (questionForm(question, lang) === 'yesno') return true;
  const sentences = question
    .normalize('NFKC')
    .split(/(?<=[。?？!！])\s*|(?<=\.)\s+/u)
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return sentences.length > 1 && sentences.some((s) => INTERROGATIVE.test(s) && questionForm(s, lang) === 'yesno');
}
