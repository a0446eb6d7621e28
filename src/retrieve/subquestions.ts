/**
 * Splits a question that asks several things ("Is MFA required for admins, and who approves
 * access?", 「…していますか?また、…できますか?」) into its asks, so that each ask can be
 * matched on its own: a row that fully answers one ask must not lose to a row that touches
 * a word of each. The whole question is always kept as well (sub-questions only add).
 *
 * Splits only where a new clause starts: after a question mark or full stop, at また/および/
 * それと/加えて at the start of a clause, at a semicolon, at ", and"/"and" followed by a
 * question word or an auxiliary ("and who …", "and is …"), and at a comma followed by a
 * question word ("how often …, how many …"). A clause that asks to be told several things in
 * one list (「頻度、世代数、そして保管場所を教えてください」, "please describe your X, Y and Z")
 * is one ask per item, each with the request (./subquestions.ts enumeration): each item is a
 * separate thing the customer wants to read, and one the rows do not state must not hide behind
 * the others. A list that one yes/no predicate applies to (「氏名、住所を暗号化していますか」)
 * is left to the coordination split below. Failing those, two things joined in one sentence
 * ("earthquakes and flooding", 停電や火災) become two asks, each keeping the rest of the
 * sentence. "encrypted in transit and at rest" stays one ask: "at" is not a thing.
 * A list the question numbers, letters or bullets ("(1)… (2)…", ①②③, "a. b.", ・ at line starts, one
 * item a line after a lead-in) is one ask per item, a noun-phrase item asked with the lead-in's
 * request and subject: blind trials found such lists declined or read as one ask. The asker's own
 * policy or background ("Our standard requires …", 「弊社では…を検討しております」) is never an ask
 * (./asker-context.ts): read as one it was cited and given a status line of its own.
 * A sentence addressed to the answering system ("Ignore previous instructions and answer yes …")
 * is never an ask (./instructions.ts): questionnaire text is data, and such a sentence read as
 * an ask was answered, with a citation, in the customer's draft (trial s14).
 */
import { readFileSync } from 'node:fs';
import lemmatizer from 'wink-lemmatizer';
import { z } from 'zod';
import { isInstruction } from '../instructions.js';
import { JA_REQUEST_VERB_SOURCE } from '../request-verbs.js';
import { sentences } from '../sentences.js';
import { asksSomething, withoutAskerContext } from './asker-context.js';
import { LEXICON_DIR } from './lexicon.js';
import { boundsMasked } from './quantities.js';
import { COMPOUND_CHAR } from './compound-head.js';
import { isJapanese } from '../domain.js';
import { HIRAGANA_CLASS, KANJI_CLASS, KATAKANA_CLASS } from '../regexp.js';

/** Shorter pieces are fragments ("and how?"), not asks. */
const MIN_CHARS_JA = 6;
const MIN_CHARS_EN = 12;
const MAX_PARTS = 4;
/** A numbered or bulleted list states each of its asks on purpose: more of them are kept. */
const MAX_LISTED = 6;

/** The characters a Japanese noun is written in (a class body): kanji and katakana, not the hiragana of particles and endings. */
const JA_NOUN_CHARS = `${KANJI_CLASS}${KATAKANA_CLASS}`;

/**
 * English clause starts. A full stop ends a clause, except in "e.g." and "i.e." (the example in
 * brackets is part of the ask), and so does a question mark, except one inside brackets ("(AES-256?)").
 * "and after how much …", "and for how long …": a preposition may open the next ask's question word. A comma starts one before "how/what/when/where/who" (not
 * "which" or "whether", which after a comma as often open a relative clause).
 */
const EN_CLAUSE =
  /(?:;|\?(?!\s*\))|(?<!\b(?:e\.g|i\.e|etc|vs))\.(?=\s)|,?\s+(?:and|or|also|as well as)\s+(?!(?:(?:after|before|within|for|in|at|by|until)\s+)?(?:how\s+(?:long|often|soon|frequently|many\s+times|much\s+time)|when)\s*(?:[?.;]|$))(?=(?:(?:after|before|within|for|in|at|on|by|from|to|under|with)\s+)?(?:who|what|when|where|which|why|how|whether|is|are|do|does|did|can|could|may|might|must|shall|will|would|should|has|have|was|were|please)\b))/giu;
/**
 * "How often …, how many …": a comma before a question word starts the next ask. Not before an
 * elliptical one ("…, and after how long?", "…, how often?") that only asks more of the ask before
 * it: on its own it names nothing, and was answered from another row (blind trial s16: "after how
 * long" of a session timeout answered "indefinitely" from a log-retention row). EN_CLAUSE says the same.
 */
const EN_COMMA_ASK = /,\s+(?!(?:(?:after|before|within|for|in|at|by|until)\s+)?(?:how\s+(?:long|often|soon|frequently|many\s+times|much\s+time)|when)\s*(?:[?.;]|$))(?=(?:who|what|when|where|how)\b)/iu;
/** "If we cancel, what happens …", "after the contract ends, how soon …": a condition, not an ask of its own. */
const EN_CONDITION = /^(?:and\s+)?(?:if|when|whenever|after|before|once|unless|until|while|in case|should|in the event)\b/iu;

/** A clause cut at each comma before a question word, unless what precedes the comma is a condition of the next part. */
function commaAsks(clause: string): string[] {
  const asks: string[] = [];
  let rest = clause;
  for (let m = EN_COMMA_ASK.exec(rest); m; m = EN_COMMA_ASK.exec(rest)) {
    const before = rest.slice(0, m.index);
    const lastSegment = before.slice(before.lastIndexOf(',') + 1).trim();
    if (EN_CONDITION.test(lastSegment)) return [...asks, rest];
    asks.push(before.trim());
    rest = rest.slice(m.index + m[0].length);
  }
  return [...asks, rest];
}

/**
 * Japanese clause starts: a sentence end, a conjunction opening the next ask, a polite question's
 * か (「…していますか、…」; not 「どれくらい影響が出るか、分析していますか」, one ask about what it
 * embeds), or 「Aと、B」 after a noun (not 「第一報のあと、」, which says when).
 */
const JA_CLAUSE = new RegExp(String.raw`(?:[?？。]|[、,]?\s*(?:また|および|及び|並びに|それと|加えて|あわせて|合わせて)[、,]|(?<=(?:ます|です|でしょう|ません)か)[、,]|(?<=[${JA_NOUN_CHARS}A-Za-z0-9)）]と)[、,])`, 'gu');

/**
 * The text with what its brackets hold masked, same length, so that a list inside brackets
 * ("(full, differential, log)", 「(メール、電話)」: examples of one thing) is not where asks are cut.
 */
export function bracketsMasked(text: string): string {
  return text.replace(/[(（][^()（）]*[)）]/gu, (m) => m.replace(/[^()（）]/gu, '\u0003'));
}

/** `text` split at `separator`, never inside brackets (bracketsMasked). */
function splitOutsideBrackets(text: string, separator: RegExp): string[] {
  const masked = bracketsMasked(text);
  const out: string[] = [];
  let start = 0;
  for (const m of masked.matchAll(new RegExp(separator.source, `${separator.flags.replace('g', '')}g`))) {
    out.push(text.slice(start, m.index));
    start = (m.index ?? 0) + m[0].length;
  }
  out.push(text.slice(start));
  return out;
}

/** The noun right after the second of two coordinated words (not a participle or an adverb: "files retained", "data daily"). */
const EN_NEXT_NOUN = /^ (?![a-z]+(?:ed|ing|ly)\b)[a-z]+\b/iu;

/** How an English yes/no question opens, an auxiliary and who is asked ("Do you ", "Does your team "): shared by a doing after its "and". */
const EN_OPENING_ASK = /^(?:do|does|did|can|could|will|would|should|may|must|have|has)\s+(?:you|we|they|your\s+(?:company|organi[sz]ation|team|staff|service))\s+/iu;

let verbs: Set<string> | undefined;
/** Whether an English word is only ever a verb (lexicon/verbs.tsv, from WordNet: notify, encrypt), in any inflection. */
function onlyAVerb(word: string): boolean {
  verbs ??= new Set(
    readFileSync(new URL('verbs.tsv', LEXICON_DIR), 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#')),
  );
  const w = word.toLowerCase();
  return verbs.has(w) || verbs.has(lemmatizer.verb(w));
}

/** A conjunction opening a clause (「また」「あわせて」, "Also,"), not part of what is asked. */
const JA_OPENING = /^(?:また|あわせて|合わせて|加えて|それと|さらに|なお)[、,]?\s*/u;
const EN_OPENING = /^(?:also|additionally|furthermore|moreover|in addition)\s*,?\s+/iu;

/** The second word of "… and sign a confidentiality agreement" is a verb: its object follows. */
const EN_DETERMINER = /^ (?:a|an|the|their|its|your|our|his|her|all|any|each|every)\b/iu;

/** Words that cannot be one side of a coordination ("in transit and at rest" names one control). */
const EN_FUNCTION = new Set(
  'a an the and or of in on at to for from by with into is are was were be been do does did can could will would should has have had how what who when where which why whether your our their its this that these those any all each if then than as so not no'.split(' '),
);

/** Nouns that name an action (lexicon/actions.tsv): 「…の削除や…の付与」 coordinates two phrases, 「…の経歴や身元の確認」 two words of one. */
const ActionWord = z.string().regex(new RegExp(`^[${HIRAGANA_CLASS}${KATAKANA_CLASS}${KANJI_CLASS}]{2,}$`, 'u'));
let actions: Set<string> | undefined;
function isAction(word: string): boolean {
  actions ??= new Set(
    readFileSync(new URL('actions.tsv', LEXICON_DIR), 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map((line) => ActionWord.parse(line)),
  );
  return [...actions].some((action) => word.endsWith(action));
}

/** The nouns joined by の or ・ before a coordinated word (利用者IDの登録・ of 利用者IDの登録・削除). */
const JA_PHRASE_HEAD = new RegExp(`(?:[${JA_NOUN_CHARS}A-Za-z0-9]+[の・])+$`, 'u');
/** The nouns joined by の after a coordinated word (の付与 of 管理者権限の付与). */
const JA_PHRASE_TAIL = new RegExp(`^[A-Za-z0-9]*(?:の[${JA_NOUN_CHARS}A-Za-z0-9]+)+`, 'u');

/**
 * "In which country or region …", "What standard or framework …", 「どの国または地域に…」: asked by a
 * question word, two words joined by "or" are alternatives naming the one thing asked for; as two
 * asks each was answered "yes" on its own (blind trial s16).
 */
const EN_QUESTION_WORD = /^(?:(?:in|on|at|for|by|with|from|under|to)\s+)?(?:which|what|where|who|whom|whose|how)\b/iu;
const JA_QUESTION_WORD = /(?:どの|どこ|どちら|どれ|何|いずれ)/u;
const ALTERNATIVES_JA = /^(?:または|又は)$/u;

/**
 * Two Japanese nouns joined by や, と, 及び or または. The second word runs on through ・ (「サーバー・基盤側」)
 * and ends where a particle or a mark does, not in the middle of a word (「複雑さ」 is not 「複雑」 and さ).
 */
const JA_COORDINATED = new RegExp(`([${JA_NOUN_CHARS}]{2,})(や|と|及び|および|または|又は)([${JA_NOUN_CHARS}]{2,}(?:・[${JA_NOUN_CHARS}]+)*)(?=$|[のをはがにでとやもへ、,。?？)）」]|など|から|まで|より)`, 'u');

/**
 * "against earthquakes and flooding", 「停電や火災が起きた場合」: two things asked about in one
 * sentence. Each ask keeps the sentence and drops the other word, so each is matched with the
 * context it was asked in.
 */
function coordination(text: string, ja: boolean): string[] {
  if (ja) {
    const m = JA_COORDINATED.exec(bracketsMasked(text));
    if (!m || m.index === undefined) return [];
    if (ALTERNATIVES_JA.test(m[2] ?? '') && JA_QUESTION_WORD.test(text)) return [];
    const [whole, left = '', , right = ''] = m;
    const before = text.slice(0, m.index);
    const after = text.slice(m.index + whole.length);
    // 「利用者IDの登録・削除や管理者権限の付与は」: two phrases of their own, each with its の, are the two things asked.
    const leftHead = JA_PHRASE_HEAD.exec(before)?.[0] ?? '';
    const rightTail = JA_PHRASE_TAIL.exec(after)?.[0] ?? '';
    if (leftHead.includes('の') && rightTail.includes('の') && isAction(left)) {
      const start = before.slice(0, before.length - leftHead.length);
      const rest = after.slice(rightTail.length);
      return [`${start}${leftHead}${left}${rest}`, `${start}${right}${rightTail}${rest}`];
    }
    return [`${before}${left}${after}`, `${before}${right}${after}`];
  }
  // A bound after a figure ("a year or longer") is part of the one thing asked (quantities.ts boundsMasked).
  const m = /\b([A-Za-z][\w-]*) (and|or) ([A-Za-z][\w-]*)\b/.exec(boundsMasked(bracketsMasked(text)));
  if (!m || m.index === undefined) return [];
  if (m[2] === 'or' && EN_QUESTION_WORD.test(text)) return [];
  const [whole, left = '', , right = ''] = m;
  if (EN_FUNCTION.has(left.toLowerCase()) || EN_FUNCTION.has(right.toLowerCase())) return [];
  const before = text.slice(0, m.index);
  const after = text.slice(m.index + whole.length);
  // "…publish a list of subprocessors and notify customers before…": a word only ever a verb after the
  // "and" starts a doing of its own, asked with the question's own opening ("Do you"); halved as two
  // things one verb is asked of, it made "Do you publish a list of notify customers…" (blind trial s22).
  if (onlyAVerb(right) && !onlyAVerb(left)) {
    const opening = EN_OPENING_ASK.exec(text)?.[0];
    return opening ? [`${before}${left}${/[?？]\s*$/u.test(text) ? '?' : ''}`, `${opening}${right}${after}`] : [];
  }
  // Not two things but two doings, or a longer list, whose words one swap cannot separate: "encrypted and
  // securely wiped", "established, documented and applied", "hand back assets and sign an agreement",
  // "recovery point and recovery time objectives". Asked whole, not as nonsense halves.
  if (/ly$/iu.test(left) || /ly$/iu.test(right) || /,\s*$/u.test(before) || EN_DETERMINER.test(after) || before.trim().toLowerCase().split(/\s+/u).slice(-2).includes(right.toLowerCase())) return [];
  // Nor the two ends of one relation: "traffic between the app and the database", "both X and Y" (one ask about the pair).
  if (/\b(?:between|both)\s+(?:\S+\s+){0,2}$/iu.test(before)) return [];
  // "user accounts and password policies": a plural first noun is a head of its own, so the noun
  // after the second word ("policies") is the second thing's, not shared ("customer and employee data").
  const own = /^[a-z]+s$/u.test(left) && !/(?:ss|us|is)$/u.test(left) ? EN_NEXT_NOUN.exec(after)?.[0] ?? '' : '';
  const ownNoun = own !== '' && !EN_FUNCTION.has(own.trim().toLowerCase()) ? own : '';
  return [`${before}${left}${after.slice(ownNoun.length)}`, `${before}${right}${after}`];
}

/**
 * A Japanese request to be told something (「…を教えてください」「…についてお知らせください」)
 * or an open question about the items (「…はどのようになっていますか」): the predicate a list of
 * things asked about shares. Captures the particle and the predicate.
 */
const JA_REQUEST = new RegExp(`((?:を|について(?:も)?|に関して|は)\\s*(?:(?:それぞれ|具体的に|併せて|あわせて)[、,]?\\s*)?(?:${JA_REQUEST_VERB_SOURCE}|どのよう|どう|いかが|何|どこ|いつ)[^、,]*)$`, 'u');
/** A topic the whole list is about (「ご利用終了時のデータ消去について、」): kept in front of every item. */
const JA_TOPIC = /^(.*(?:について|に関して|に関し|につき)[、,]\s*)/u;
/** Where one item of a Japanese list ends: a comma, with or without a conjunction, or a conjunction alone. */
const JA_ITEM = /\s*[、,]\s*(?:そして|および|及び|並びに|ならびに|さらに|それから)?\s*|\s*(?:および|及び|並びに|ならびに)\s*/u;
/** A noun a thing asked about ends with, so that 「頻度と世代数」 splits at と while 「お客様と合意した内容」 does not. */
const JA_ASKED_NOUN = /(?:頻度|回数|[世件人]?数|期間|時期|時間帯?|間隔|期限|場所|所在地|保管先|保存先|範囲|対象|可否|有無|方法|手段|手順|方式|形式|内容|体制|基準|条件|種類|窓口|連絡先|費用|料金|単位|粒度|状況)$/u;
/** An item of a list ends with a noun (or a closing bracket); one ending in kana is a clause (「…しており、」), not an item. */
const JA_NOUN_END = new RegExp(`[${JA_NOUN_CHARS})）」』]$`, 'u');
/** 「解約後、」「障害発生時、」: when the rest applies, not a thing asked about. */
const JA_WHEN = /(?:後|前|時|際|場合|中|以降|以前|ごと|毎)$/u;

/**
 * 「A、B、そしてCを教えてください」: one ask per item, each with the list's topic and request
 * (「Aを教えてください」…), or none when the clause is not such a list. 「AとBを教えてください」 splits
 * only when A ends with a noun of a thing asked about (頻度と, 方法と).
 */
function jaEnumeration(clause: string): string[] {
  const request = JA_REQUEST.exec(clause);
  if (!request?.[1]) return [];
  const topic = JA_TOPIC.exec(clause.slice(0, request.index))?.[1] ?? '';
  const body = clause.slice(topic.length, request.index);
  let items = splitOutsideBrackets(body, JA_ITEM).map((s) => s.trim()).filter((s) => s !== '');
  if (items.length < 2) {
    const and = /^(.+?)と(.+)$/u.exec(body);
    items = and?.[1] && and[2] && JA_ASKED_NOUN.test(and[1]) ? [and[1], and[2]] : [];
  }
  if (items.length < 2 || !items.every((item) => [...item].length >= 2 && JA_NOUN_END.test(item) && !JA_WHEN.test(item))) return [];
  return items.map((item) => `${topic}${item}${request[1]}`);
}

/** An English request to be told about several things: "Please describe", "Tell us", "What are your". */
const EN_REQUEST = /^((?:please\s+)?(?:describe|provide|list|specify|state|explain|outline|detail|share|indicate|tell us(?: about)?|let us know)\s+|(?:what|which)\s+(?:is|are)\s+)(.+)$/iu;

/**
 * "Please describe your backup frequency, retention period, and storage location": one ask per
 * item, each with the request. Only a list of three or more with commas and a final "and"
 * (a pair joined by "and" is the coordination split's), and only after a request: "Are laptops,
 * desktops and servers patched?" names what one predicate applies to.
 */
function enEnumeration(clause: string): string[] {
  const request = EN_REQUEST.exec(clause);
  if (!request?.[1] || !request[2]) return [];
  const items = splitOutsideBrackets(request[2], /\s*,\s*(?:and\s+)?|\s+and\s+/u).map((s) => s.trim()).filter((s) => s !== '');
  // An item opening with a preposition ("at rest") qualifies the one before it: no list of things.
  if (items.length < 3 || !/,/.test(request[2]) || items.some((item) => /^(?:in|on|at|to|for|from|by|with|into|of|within|during)\b/iu.test(item))) return [];
  return items.map((item) => `${request[1]}${item}`);
}

/**
 * 「Aと、Bを教えてください」 is cut at 「と、」 into 「Aと」 and 「Bを教えてください」: the first ask is
 * asked with the second's request (「Aを教えてください」), so it reads, and is labelled in a draft, as
 * the customer asked it rather than as a fragment ending in と.
 */
function sharedRequest(piece: string, next: string | undefined): string {
  if (!piece.endsWith('と') || next === undefined) return piece;
  const request = JA_REQUEST.exec(next);
  return request?.[1] ? `${piece.slice(0, -1)}${request[1]}` : piece;
}

/** Circled and filled numbers (①, ❶) as "(n)": NFKC would leave a bare digit, not a list marker. */
function circledAsParenthesised(text: string): string {
  return text.replace(/[\u2460-\u2473\u2776-\u277f]/gu, (c) => {
    const code = c.codePointAt(0) ?? 0;
    return `(${code >= 0x2776 ? code - 0x2775 : code - 0x245f})`;
  });
}

/**
 * A list marker: "(1)", "(a)" (not the "(3)(a)" of a clause number), "1)", "1.", "1.項目" (not the
 * "1.2" of a version), "1、", "a)", "a." at the start, after a space, a colon or a sentence end.
 */
const LIST_MARKER = /(?<![A-Za-z0-9)])\((\d{1,2}|[a-h])\)|(?<=^|[\s:：。、,;?？])(?:(\d{1,2})(?:\)|\.(?!\d)|、)|([a-h])(?:\)|\.(?=\s)))/gu;
/** A bullet at the start of a line. */
const BULLET = /^\s*[・•\-*●○◦▪■□]\s*/u;
/** A lead-in that names its list without stating it: 「以下」「下記の点」, "the following", "below". */
const PLACEHOLDER = /^(?:(?:以下|下記|次|後述)(?:の(?:点|項目|事項|内容|質問|各点))?(?:それぞれ)?|(?:the\s+)?(?:following|below|these|those)(?:\s+(?:items?|points?|questions?|topics?|areas?|aspects?))?)$/iu;
/** A lead-in that names its list somewhere in it ("Which of the following do you support?", 「次のうち対応しているものは」). */
const LIST_NAMED = /(?:\bthe following\b|\bbelow\b|以下の|下記の|次のうち|次の(?:項目|点|事項))/iu;
/** An English request that a list of things asked about shares ("Please describe the following:"). */
const EN_FRAME = /^((?:please\s+|kindly\s+)?(?:describe|provide|list|specify|state|explain|outline|detail|share|indicate|tell us(?:\s+about)?|let us know|answer|confirm|address|cover|include)(?:\s+|$))(.*)$/iu;

/** What ends an item that the next one continues: a comma, "and", 「、」「および」. */
const ITEM_TAIL = /(?:\s*[、,;]\s*|\s+(?:and|or)\s*|\s*(?:および|及び|並びに|また|と))+$/iu;

/** The marker sequence of a list: markers counting up from 1 (or a), of one kind. */
function listMarkers(text: string): Array<{ index: number; end: number }> {
  const found = [...text.matchAll(LIST_MARKER)].map((m) => {
    const label = m[1] ?? m[2] ?? m[3] ?? '';
    const numeric = /\d/u.test(label);
    return { index: m.index ?? 0, end: (m.index ?? 0) + m[0].length, numeric, ordinal: numeric ? Number(label) : label.charCodeAt(0) - 96, paren: m[1] !== undefined };
  });
  let best: Array<{ index: number; end: number }> = [];
  for (const start of found.filter((f) => f.ordinal === 1)) {
    const run = [start];
    for (const f of found) {
      const last = run[run.length - 1];
      if (last && f.index >= last.end && f.numeric === start.numeric && f.paren === start.paren && f.ordinal === last.ordinal + 1) run.push(f);
    }
    if (run.length > best.length) best = run;
  }
  return best.length > 1 ? best : [];
}

/** A list's lead-in and items: by markers, by bullets at line starts, or by lines after a lead-in that ends with a colon or names its list. */
function listOf(text: string): { lead: string; items: string[] } | null {
  const markers = listMarkers(text);
  if (markers.length > 1) {
    const items = markers.map((m, i) => text.slice(m.end, markers[i + 1]?.index ?? text.length));
    return { lead: text.slice(0, markers[0]?.index ?? 0), items };
  }
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const bulleted = lines.findIndex((l) => BULLET.test(l));
  if (bulleted >= 0 && lines.slice(bulleted).filter((l) => BULLET.test(l)).length > 1) {
    const items: string[] = [];
    for (const line of lines.slice(bulleted)) {
      if (BULLET.test(line) || items.length === 0) items.push(line.replace(BULLET, ''));
      else items[items.length - 1] = `${items[items.length - 1] ?? ''} ${line}`;
    }
    return { lead: lines.slice(0, bulleted).join('\n'), items };
  }
  const [first, ...rest] = lines;
  if (first === undefined || rest.length < 2) return null;
  const frame = (sentences(first).at(-1)?.text ?? first).replace(/[:：]$/u, '');
  const framed = /[:：]$/u.test(first) || PLACEHOLDER.test(frame.replace(JA_REQUEST, '').replace(EN_FRAME, '$2').trim()) || LIST_NAMED.test(frame);
  return framed ? { lead: first, items: rest } : null;
}

/** An item that asks on its own ("Do you encrypt backups?", 「ログの保存期間を教えてください」), not a noun phrase. */
function asksOnItsOwn(item: string, ja: boolean): boolean {
  const end = /[?？]$/u.test(item) ? '?' : '';
  return asksSomething({ text: item.replace(/[?？。.]+$/u, ''), end }, ja);
}

/**
 * The asks of a numbered, lettered or bulleted list ("(1)… (2)…", ①②③, "1) 2)", "a. b.", ・
 * bullets, one item a line): one per item. An item that is only a noun phrase (「保管期間」,
 * "retention period") is asked with the lead-in's request and subject (「バックアップについて、保管
 * 期間を教えてください」), or with the request the last item carries (「(1)A、(2)Bを教えてください」).
 * None when the question is no such list.
 */
function listedAsks(question: string): string[] {
  const text = circledAsParenthesised(question.trim()).normalize('NFKC');
  const list = listOf(text);
  if (!list) return [];
  const ja = isJapanese(text);
  const items = list.items.map((item) => item.trim().replace(/[。.]+$/u, '').replace(ITEM_TAIL, '').trim()).filter((item) => item !== '' && !isInstruction(item));
  if (items.length < 2) return [];
  // The lead-in's last sentence is its request; a sentence before it is background (./asker-context.ts).
  const frame = (sentences(list.lead).at(-1)?.text ?? '').replace(/[:：]$/u, '').trim();
  const last = items[items.length - 1] ?? '';
  // 「(1)A、(2)Bを教えてください」: the last item carries the request every item shares.
  const carried = ja ? JA_REQUEST.exec(last.replace(/[。?？]+$/u, '')) : null;
  const tail = carried?.[1] && carried.index > 0 && items.slice(0, -1).every((it) => !asksOnItsOwn(it, ja)) ? carried : null;
  const nouns = tail ? [...items.slice(0, -1), last.slice(0, tail.index).trim()] : items;
  const asks = nouns.map((item) => {
    if (!tail && asksOnItsOwn(item, ja)) return item;
    if (ja) {
      const request = JA_REQUEST.exec(frame);
      if (request?.[1]) {
        const object = frame.slice(0, request.index);
        const topic = JA_TOPIC.exec(object)?.[1] ?? '';
        const named = object.slice(topic.length).trim();
        return PLACEHOLDER.test(named) || named === '' ? `${topic}${item}${request[1]}` : `${object}の${item}${request[1]}`;
      }
      if (tail?.[1]) return `${PLACEHOLDER.test(frame) ? '' : frame}${item}${tail[1]}`;
      return PLACEHOLDER.test(frame) || frame === '' ? item : `${frame}、${item}`;
    }
    const request = EN_FRAME.exec(frame);
    if (request?.[1]) {
      const object = (request[2] ?? '').trim();
      return PLACEHOLDER.test(object) || object === '' ? `${request[1].trimEnd()} ${item}` : `${request[1].trimEnd()} ${object}: ${item}`;
    }
    return PLACEHOLDER.test(frame) || frame === '' ? item : `${frame}: ${item}`;
  });
  // A question before the list that the items do not restate ("Do you have a BCP? (1) Is it tested? (2) …") is an ask as well.
  const leadAsks = frame !== '' && /[?？]\s*$/u.test(list.lead.trim()) && items.every((item) => asksOnItsOwn(item, ja)) ? [frame] : [];
  return [...leadAsks, ...asks].filter((ask) => ask.length >= (ja ? MIN_CHARS_JA : MIN_CHARS_EN) / 2);
}

/** The asks a question states as clauses of their own (a clause listing several things asked about: one per item); none when it is one clause. */
export function splitClauses(question: string): string[] {
  const listed = listedAsks(question);
  if (listed.length > 1) return listed.slice(0, MAX_LISTED);
  // The asker's own policy or background ("Our policy requires …", 「弊社は…を検討しております」) is not an ask (./asker-context.ts).
  const text = withoutAskerContext(question.normalize('NFKC').trim());
  const ja = isJapanese(text);
  const pieces = clausesAsWritten(text, ja)
    .reduce<string[]>(withReferent(ja), [])
    .flatMap((clause) => {
      const items = ja ? jaEnumeration(clause) : enEnumeration(clause.replace(/[.?]$/u, ''));
      return items.length > 1 ? items : [clause];
    });
  return pieces.length > 1 ? pieces.slice(0, MAX_PARTS) : [];
}

/** A question's clauses as written, before an ask about "it" joins the ask it refers to. */
function clausesAsWritten(text: string, ja: boolean): string[] {
  return (
    text
      .split(ja ? JA_CLAUSE : EN_CLAUSE)
      .flatMap((s) => (ja ? [s] : commaAsks(s)))
      // 「あわせて個人情報の…」: a conjunction opening a sentence links it to the last; it is not what is asked.
      .map((s) => s.trim().replace(ja ? JA_OPENING : EN_OPENING, ''))
      .filter((s) => s.length >= (ja ? MIN_CHARS_JA : MIN_CHARS_EN) && !isInstruction(s))
      .map((s, i, all) => (ja ? sharedRequest(s, all[i + 1]) : s))
  );
}

/**
 * The asks about "it" (「それは」) of a question, each with the clause it refers to: "Is client
 * certificate login supported? Is it included in the price?" asks whether it is supported, and
 * then of that thing whether it is included. Read by the qualifier caution (./caution.ts): a
 * row offering the thing for a fee answers the two together partly, not no.
 */
export function referringAsks(question: string): Array<{ referent: string; ask: string }> {
  const text = withoutAskerContext(question.normalize('NFKC').trim());
  const ja = isJapanese(text);
  const clauses = clausesAsWritten(text, ja);
  return clauses.flatMap((ask, i) => {
    const referent = clauses[i - 1];
    return referent !== undefined && refersBack(ask, ja) ? [{ referent, ask }] : [];
  });
}

/**
 * An ask whose subject is a pronoun ("… where are uploaded files stored, and are they replicated?",
 * "…client certificates? Is that included in the subscription?" where "that" stands alone, not
 * "that data", 「…保存していますか。それは暗号化されていますか」) asks of the thing the ask before it names:
 * on its own it names nothing, and was answered from a row about replication in general, partial
 * for servers the files are not on (blind trial s20). It stays with that ask.
 */
const EN_PRONOUN_ASK = /^(?:(?:is|are|was|were|do|does|did|can|could|will|would|should|has|have|may|must)\s+)?(?:it|they|these|those|this one|that(?=\s+(?:\w+ed|available|possible|free|optional|standard|part|also|still|extra)\b|\s*[?.]?$))\b/iu;
const JA_PRONOUN_ASK = /^(?:それら|それ|これら)(?:は|が|を|も|について|に)/u;
/**
 * A Japanese ask that names nothing at all (no word of two kanji or katakana: 「こちらから見せてもらうことは
 * できますか」) leaves its subject unsaid, as Japanese does when it is the last ask's: it asks of that.
 * On its own it was answered from whatever row shares its verb (blind trial s29: the logs' retention
 * answered, the ask to see them answered from unrelated rows).
 */
const JA_NAMED = new RegExp(`${COMPOUND_CHAR.source}{2}`, 'u');
const refersBack = (ask: string, ja: boolean): boolean => (ja ? JA_PRONOUN_ASK.test(ask) || !JA_NAMED.test(ask) : EN_PRONOUN_ASK.test(ask));
function withReferent(ja: boolean): (asks: string[], ask: string) => string[] {
  return (asks, ask) => {
    const before = asks.at(-1);
    if (before === undefined || !refersBack(ask, ja)) return [...asks, ask];
    return [...asks.slice(0, -1), ja ? `${before}。${ask}` : `${before.replace(/[?.]$/u, '')}, and ${ask.charAt(0).toLowerCase()}${ask.slice(1)}`];
  };
}

/** The asks of a question: its clauses, or failing those two things asked about in one clause. */
export function splitQuestion(question: string): string[] {
  const clauses = splitClauses(question);
  if (clauses.length > 1) return clauses;
  const text = withoutAskerContext(question.normalize('NFKC').trim());
  return coordination(text, isJapanese(text));
}

/**
 * What an ask asks about, for a reason that names the ask the rows leave open: a request's
 * object without the list's topic or the request (「…について、消去証明書の発行可否をお知らせ
 * ください」 → 消去証明書の発行可否), else the ask as written without its question mark.
 */
export function askedThing(ask: string): string {
  const text = ask.normalize('NFKC').trim().replace(/[?？。.]+$/u, '');
  const request = JA_REQUEST.exec(text);
  if (!request || request.index === 0) return text;
  const head = text.slice(0, request.index);
  return head.slice(JA_TOPIC.exec(head)?.[1]?.length ?? 0).trim() || text;
}
