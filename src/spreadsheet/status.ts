/**
 * Status vocabulary of questionnaires: the marks and words customers use (○/×/△, はい/いいえ,
 * Yes/No/Partial/N/A ...) mapped to the domain `Status`, both ways. Used when writing a
 * status into a customer's list-validated column and when reading a previously answered
 * questionnaire as evidence (src/corpus/qa-sheet.ts).
 */
import type { Language, Status } from '../domain.js';
import { normStatusWord as norm, statusFromToken, type KnownStatus } from '../status-words.js';

export { statusFromToken };

type Known = KnownStatus;

// Leading words of an answer sentence ("はい、暗号化しています", "Yes - we ..."). Only
// unambiguous words: "対応" alone would also start "対応していません".
const LEADING: Array<[string, Known]> = [
  ['該当なし', 'not_applicable'],
  ['該当しない', 'not_applicable'],
  ['対象外', 'not_applicable'],
  ['非該当', 'not_applicable'],
  ['not applicable', 'not_applicable'],
  ['n/a', 'not_applicable'],
  ['いいえ', 'no'],
  ['はい', 'yes'],
  ['一部', 'partial'],
  ['partially', 'partial'],
  ['partial', 'partial'],
  ['partly', 'partial'],
  ['yes', 'yes'],
  ['no', 'no'],
  ['○', 'yes'],
  ['〇', 'yes'],
  ['◯', 'yes'],
  ['×', 'no'],
  ['△', 'partial'],
];

/**
 * The status an answer states: the whole cell if it is a token, else its leading word
 * ("Yes, all data is encrypted" → yes). Anything else is 'unknown': a sentence without a
 * leading yes/no is not guessed at.
 */
export function statusFromText(text: string): Status {
  const whole = statusFromToken(text);
  if (whole !== 'unknown') return whole;
  const t = norm(text);
  for (const [word, status] of LEADING) {
    if (!t.startsWith(word)) continue;
    const next = t.slice(word.length, word.length + 1);
    // Latin words must end at a word boundary ("no" must not match "not", "none", "normally").
    const latin = /^[a-z/]/.test(word);
    if (!latin || next === '' || /[^a-z0-9]/.test(next)) return status;
  }
  return 'unknown';
}

/** Defaults for a status column without a validation list, by questionnaire language. */
export const DEFAULT_STATUS_WORDS: Record<Language, Record<Known, string>> = {
  ja: { yes: '○', no: '×', partial: '△', not_applicable: '該当なし' },
  en: { yes: 'Yes', no: 'No', partial: 'Partial', not_applicable: 'N/A' },
};

/**
 * The value to write for `status` in a column whose validation list is `values`: the first
 * list item meaning that status. Null when the list has no such item (then no status is
 * written, and the row is flagged) or the status is unknown.
 */
export function pickStatusValue(status: Status, values: readonly string[] | null, lang: Language): string | null {
  if (status === 'unknown') return null;
  if (values === null) return DEFAULT_STATUS_WORDS[lang][status];
  for (const v of values) if (choiceStatus(v) === status) return v;
  for (const v of values) if (statusFromText(v) === status) return v;
  return null;
}

/**
 * The status one offered choice stands for: a status word or mark ("Yes", "○", "N/A", "非該当"),
 * or a bare 該当 ("applies"), which as a choice beside 非該当 is the yes of a 該当 | 非該当 pair
 * (alone in an answer sentence it says nothing, so it is no status word elsewhere).
 */
export function choiceStatus(text: string): Status {
  return /^該当(?:する)?$/u.test(text.normalize('NFKC').trim()) ? 'yes' : statusFromToken(text);
}

/**
 * The status words a header names as its choices ("Y/N", "Yes/No/N/A", "はい/いいえ",
 * "対応状況（○/×）"), as written; null when it names none. A column without a list takes
 * only these: a "Y/N" column gets Y or N, never "Partial".
 */
export function statusWordsOf(header: string): string[] | null {
  // Read in the header's own characters (full-width brackets and separators too): the words are
  // written into the cells, and 「回答（○/×/－）」's not-applicable is its －, not NFKC's "-".
  const text = header.trim();
  const bracketed = [...text.matchAll(/[([【{<（［｛＜]([^)\]】}>）］｝＞]*)[)\]】}>）］｝＞]/gu)].map((m) => m[1] ?? '');
  for (const part of [...bracketed, text]) {
    // "N/A" is one word, not the two choices N and A.
    const words = part
      .replace(/\bn\s*[/／]\s*a\b/giu, (m) => m.replace(/\s*([/／])\s*/u, '\u0000$1'))
      .split(/\s*(?<!\u0000)[/／|｜・、,，]\s*/u)
      .map((w) => w.replace('\u0000', '').trim())
      .filter((w) => w !== '');
    if (words.length >= 2 && words.every((w) => statusFromToken(w) !== 'unknown')) return words;
  }
  return null;
}

/** True when most of `values` are status words: the list makes its column a status column. */
export function isStatusList(values: readonly string[]): boolean {
  if (values.length === 0) return false;
  const known = values.filter((v) => statusFromText(v) !== 'unknown').length;
  return known >= 2 && known >= values.length / 2;
}

// Checkbox marks: an empty box offers a choice, a filled or ticked one makes it.
const EMPTY_BOX = /[□☐]/u;
const MARKED_BOX = /[■☑☒✓✔▣◼]/u;
/** One choice of a checkbox cell: the box and its label ("□ 対応済"), up to the next box or line break. */
const CHOICE = /([□☐■☑☒✓✔▣◼])[ \t\u3000]*([^□☐■☑☒✓✔▣◼\r\n]+)/gu;
/** What separates choices on one line ("□ 対応済 / □ 未対策"), trimmed off a label. */
const CHOICE_SEPARATOR = /[\s\u3000/／|｜・、,]+$/u;

export interface CheckboxChoice {
  /** Offset of the box character in the cell text. */
  index: number;
  label: string;
  marked: boolean;
}

/** The choices of a checkbox cell ("□ 対応済 / □ 未対策 / □ 対応不要"); [] when it is not one. */
export function checkboxChoices(text: string): CheckboxChoice[] {
  const out: CheckboxChoice[] = [];
  for (const m of text.matchAll(CHOICE)) {
    const label = (m[2] ?? '').replace(CHOICE_SEPARATOR, '').trim();
    if (label !== '') out.push({ index: m.index ?? 0, label, marked: MARKED_BOX.test(m[1] ?? '') });
  }
  return out.length >= 2 ? out : [];
}

/** A lone empty box: a "done" tick to set, with no other choice. */
const BARE_BOX = /^[□☐]$/u;

/** True when the cell is a checkbox offer: choices with boxes, or a lone box to tick. */
export function isCheckboxCell(text: string): boolean {
  return BARE_BOX.test(text.trim()) || checkboxChoices(text).length > 0;
}

/**
 * The cell text with the box for `status` marked ■ in place and any other box cleared
 * (everything else unchanged), or null when no choice means that status. A lone box is
 * ticked for "yes" only: nothing in it can say no, partial or not applicable.
 */
export function markCheckbox(text: string, status: Status): string | null {
  if (status === 'unknown') return null;
  if (BARE_BOX.test(text.trim())) return status === 'yes' ? text.replace(/[□☐]/u, '■') : null;
  const choices = checkboxChoices(text);
  const choice = choices.find((c) => statusFromText(c.label) === status);
  if (!choice) return null;
  // Offsets are UTF-16 code units and every box is one (all are in the BMP).
  let out = text;
  for (const c of choices) if (c.marked) out = `${out.slice(0, c.index)}□${out.slice(c.index + 1)}`;
  return `${out.slice(0, choice.index)}■${out.slice(choice.index + 1)}`;
}

/**
 * What a dropdown or template shows before anyone chose: the prompt's words, compared after
 * `promptWords` has taken off case, width, brackets, dashes, dots and arrows ("-- Select --",
 * "Select...", "<Please choose>", "【選択してください】" all come down to one of these).
 * A new prompt seen in a customer's file is one more entry here.
 */
const SELECT_PROMPTS: ReadonlySet<string> = new Set([
  // English
  'select', 'select one', 'select an option', 'select option', 'select from list', 'select from the list', 'select from dropdown',
  'select response', 'select answer', 'please select', 'please select one', 'please select an option', 'please select from the list',
  'choose', 'choose one', 'choose an option', 'please choose', 'please choose one', 'pick one', 'click to select', 'make a selection',
  'select yes or no', 'please select yes or no',
  // Japanese
  '選択', '選択してください', '選択して下さい', 'ご選択ください', 'ご選択下さい', '未選択', '選んでください',
  'プルダウンから選択', 'プルダウンから選択してください', 'プルダウンより選択', 'プルダウンより選択してください',
  'リストから選択', 'リストから選択してください', 'リストより選択してください', '選択肢から選択してください',
]);

/** A dropdown arrow alone ("▼"): a prompt with no words. */
const ARROW_ONLY = /^[▼▽↓\s\u3000]+$/u;

/** A cell reduced to a prompt's words: NFKC, lower case, without brackets, dashes, dots, arrows or extra spaces. */
function promptWords(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[()[\]{}<>【】「」『』〈〉《》＜＞]/gu, ' ')
    .replace(/[-‐‑‒–—―=_*…・.:：。▼▽↓]+/gu, ' ')
    .replace(/[\s\u3000]+/gu, ' ')
    .trim();
}

/**
 * True when a cell holds the questionnaire's offer of choices rather than an answer: empty
 * checkboxes ("□ 対応済 □ 未対策"), the choices spelled out ("はい / いいえ", "Yes/No/N/A"), or a
 * "select" prompt. Such a cell counts as unanswered and may be filled.
 */
export function isChoicePlaceholder(text: string): boolean {
  const t = text.trim();
  if (t === '') return false;
  if (BARE_BOX.test(t)) return true;
  const boxes = checkboxChoices(t);
  if (boxes.length > 0) return boxes.every((b) => !b.marked) && EMPTY_BOX.test(t);
  if (ARROW_ONLY.test(t) || SELECT_PROMPTS.has(promptWords(t))) return true;
  const tokens = t.replace(/\bn\s*\/\s*a\b/giu, 'NA').split(/\s*[/／|｜・、,]\s*|\s{2,}|\s*[\r\n]+\s*/u).filter((x) => x !== '');
  return tokens.length >= 2 && tokens.every((x) => statusFromToken(x) !== 'unknown');
}

/** True when `text` is an answer someone gave (not empty, not a choice placeholder). */
export function isAnswered(text: string): boolean {
  return text.trim() !== '' && !isChoicePlaceholder(text);
}
