/**
 * Finds where the questions are in a customer's questionnaire, JA or EN: the header row,
 * the question / answer / status / comment / number / category columns, section headings,
 * and which sheets to skip. Pure: works on the `Grid` model only, so it is shared by the
 * answering job and by the corpus parser of previously answered questionnaires.
 *
 * Real questionnaires come in a few shapes it knows: one header row (CAIQ, METI, IPA), or a
 * header repeated per section that names only the answer side (HECVAT's "<Section> |
 * Answer | Additional Information | Guidance | Analyst Notes"); every sheet a vendor
 * answers is processed in one run, and sheets and columns meant for the customer's own
 * evaluation (analyst, scoring, override, guidance, crosswalk; answers that are formulas)
 * are recognised so they are never written.
 *
 * Detection is heuristic, so it says what it guessed (`LayoutGuess.notes`, `confidence`)
 * and takes overrides (`--sheet`, `--question-col`, `--answer-col`, ...). It never picks a
 * column that holds the questions, numbers, categories or the customer's own notes as a
 * place to write, nor a hidden (or zero-width) column: the customer would never see what
 * went there (a user's explicit choice of one stands, with a warning).
 */
import { cleanText } from '../corpus/clean.js';
import { detectLanguage, type Language, type Status } from '../domain.js';
import { InputError } from '../errors.js';
import { JAPANESE_CLASS } from '../regexp.js';
import {
  cellText,
  columnLetter,
  columnNumber,
  isFormulaCell,
  MAX_COL,
  mergeCovering,
  rangeContains,
  shownText,
  usedRows,
  validationAt,
  type CellRange,
  type Grid,
  type GridSheet,
  type ListValidation,
} from './grid.js';
import { formulaDisplayText, readQuestionText } from './formula-text.js';
import { checkboxChoices, choiceStatus, isAnswered, isCheckboxCell, isChoicePlaceholder, isStatusList, statusWordsOf } from './status.js';

/**
 * `reserved`: a column for the customer's own use (analyst notes, scoring, overrides,
 * guidance, references, the customer's responsibilities...): never read as a question and
 * never written.
 */
export type Role = 'question' | 'answer' | 'status' | 'comment' | 'ref' | 'category' | 'reserved';

/** A column given by the user: letter (`D`), 1-based number (`4`, "4") or header text (`回答`). */
export type ColumnRef = string | number;

export interface LayoutOverrides {
  /** Only these sheets (by name). */
  sheets?: string[];
  questionCol?: ColumnRef;
  answerCol?: ColumnRef;
  statusCol?: ColumnRef;
  commentCol?: ColumnRef;
}

export interface SheetLayout {
  sheet: string;
  /** 1-based; null when columns were given by the user and no header row was found. */
  headerRow: number | null;
  /** The header row and every repetition of it further down (per section, per page): never written. */
  headerRows: number[];
  questionCol: number;
  /** Where the drafted answer text goes (a free-text column), or null. */
  answerCol: number | null;
  /** Where a status value goes (a list-validated or 実施状況/Status column), or null. */
  statusCol: number | null;
  /**
   * How the status column takes a status: a value from its validation list (`list`; rows
   * whose cell has no list there take the answer text instead), a box marked in the
   * checkbox text already in the cell (`checkbox`: □ 対応済 □ 未対策 → ■ 対応済), a
   * standard mark (`marks`), or a mark in the one column of several that names the status
   * (`columns`: Yes | No | N/A, 該当 | 非該当, ○ | × | － side by side; see `markCols`).
   */
  statusKind: 'list' | 'checkbox' | 'marks' | 'columns';
  /**
   * For `marks`: the words the status column's header names as its choices (Y/N, はい/いいえ,
   * ○/×), which are then the only values written; null when the header names none (standard
   * marks). For `columns`: the headers of the mark columns, one per choice.
   */
  statusWords: string[] | null;
  /**
   * For `columns`: one column per choice, left to right (`statusCol` is the first); a status is
   * a mark in its own column and never text. Empty for every other kind.
   */
  markCols: MarkColumn[];
  /**
   * For `columns`: what is written in the chosen column (the sheet's own mark, else ○ on a
   * Japanese sheet and X on any other); null when the sheet writes the column's own word there.
   */
  mark: string | null;
  /** Where citations and review markers go (and the text, when there is no answer text column). */
  commentCol: number | null;
  refCol: number | null;
  categoryCol: number | null;
  /**
   * A short item name left of the question (METI's サービスレベル項目例 beside 規定内容): it
   * names what the question is about, so it is put in front of the question text.
   */
  itemCol: number | null;
  language: Language;
  /**
   * Header text per column, for messages: a sub-header under a group header where there is one
   * (回答欄 over 回答 | 備考). For `columns`, the status column's entry names every choice
   * ("Yes / No / Not Applicable"), as the status column they make up.
   */
  headers: Record<number, string>;
}

/** One of the per-choice columns a status is marked in (see SheetLayout.statusKind `columns`). */
export interface MarkColumn {
  col: number;
  /** The header, as written ("Not Applicable", "該当"). */
  word: string;
  status: Exclude<Status, 'unknown'>;
}

/** One question row of a sheet. */
export interface QuestionRow {
  sheet: string;
  row: number;
  /** `質問票!C38`: the row's question cell, as reviews and messages name the row (never `R38`, which reads as cell R38). */
  cell: string;
  /** `${sheet}!R${row}`: stable key for checkpoints and reports. */
  key: string;
  /** The sheet's own number for the row (No. / 項番), or ''. */
  ref: string;
  /** The nearest section heading above the row, else the category cell, else ''. */
  section: string;
  category: string;
  /** The question or statement, cleaned (HTML remnants removed, NFKC, whitespace collapsed). */
  question: string;
  /**
   * What the target cells already say: a choice placeholder is '' and a checkbox cell its
   * ticked choices (■ 対応済 □ 未対策 → 対応済); the comment as written.
   */
  existing: { answer: string; status: string; comment: string };
}

/**
 * A question cell kotae cannot read, so it is not answered, and is named in the run's notes
 * rather than dropped: a formula saved without its computed value, or text that is a formula
 * whose shown text cannot be known without evaluating it (see ./formula-text.ts).
 */
export interface UnreadCell {
  sheet: string;
  row: number;
  /** `Sheet!C3`, as the run's notes name it. */
  cell: string;
  why: 'uncomputed' | 'formula';
}

/** What the run's notes say about an unread question cell, in the sheet's language (as its labels are). */
export function unreadNote(u: UnreadCell, lang: Language): string {
  if (lang === 'ja') {
    return u.why === 'uncomputed'
      ? `${u.cell}: 計算結果が保存されていない数式のため読み取れません。Excelで開いて保存してから、もう一度実行してください`
      : `${u.cell}: 数式のように見えるため、回答していません`;
  }
  return u.why === 'uncomputed' ? `${u.cell}: a formula without a computed value; open and save the file in Excel, then run again` : `${u.cell}: looks like a formula; not answered`;
}

export interface LayoutGuess {
  sheet: string;
  layout: SheetLayout | null;
  rows: QuestionRow[];
  /** Question cells not read (never answered, always named); empty for a skipped sheet. */
  unread: UnreadCell[];
  /** 0..1: how sure detection is. Below UNSURE_BELOW the CLI prints the guess. */
  confidence: number;
  /** What was guessed or noticed, in sentences a user can check. */
  notes: string[];
  /** What the user must hear on every run, sure or not (a sheet where nothing will be drafted). */
  warnings: string[];
  /**
   * Rows with question text that are not answered, with why, in the sheet's language: hidden rows
   * and a second table of another layout. Said on every run (the user would otherwise never know).
   */
  setAside: string[];
  /** Why the sheet is not processed, or null when it is. */
  skipped: string | null;
  /** The header row of a second table of another layout below this one (set aside here), if any. */
  nextTable?: number;
}

export interface WorkbookLayout {
  sheets: LayoutGuess[];
  /** Lowest confidence among processed sheets; 0 when none is processed. */
  confidence: number;
  unsure: boolean;
}

export const UNSURE_BELOW = 0.75;

// ---------------------------------------------------------------------------------------
// Header vocabulary. Compared after `normHeader` (NFKC, lowercase, no spaces/brackets).

const WORDS: Record<Role, { strong: string[]; weak: string[] }> = {
  question: {
    strong: [
      '質問', '質問事項', '質問内容', '質問項目', '設問', '確認事項', '確認内容', '確認項目', 'チェック項目', '評価項目',
      '要求事項', '規定内容', '管理策', '実施項目', '対策項目', 'question', 'questions', 'questiontext', 'control', 'controlquestion',
      'controlspecification', 'controlstatement', 'requirement', 'requirements', 'securityrequirement', 'criteria',
    ],
    weak: ['項目', '内容', '要件', 'item', 'description', 'statement', 'query'],
  },
  answer: {
    strong: [
      '回答', 'ご回答', '回答欄', '回答内容', '貴社回答', '貴社ご回答', '回答結果', 'ベンダー回答', '御社回答', '記入欄', '設定',
      '設定値', '設定内容', 'response', 'responses', 'answer', 'answers', 'vendorresponse', 'vendoranswer', 'vendoranswers',
      'yourresponse', 'supplierresponse', 'vendorreply', 'implementationdescription', 'cspimplementationdescription',
    ],
    weak: ['reply'],
  },
  status: {
    strong: [
      '実施状況', '対応状況', '対応可否', '実施有無', '対応有無', '可否', '適合状況', '準拠状況', 'チェック', 'チェック欄', 'status', 'yes/no', 'y/n',
      'compliance', 'compliant', 'implemented', 'implementationstatus', 'compliancestatus',
    ],
    weak: ['状況'],
  },
  comment: {
    strong: [
      '備考', 'コメント', '補足', '補足説明', '説明', '回答補足', '詳細', '具体的な内容', '具体的内容', '根拠', 'エビデンス',
      '特記事項', 'comments', 'comment', 'notes', 'note', 'remarks', 'explanation', 'additionalinformation',
      'additionalinfo', 'additionalcomments', 'evidence', 'justification', 'details', 'vendorcomments',
      'supportingevidence', 'supportinginformation',
    ],
    weak: [],
  },
  ref: {
    strong: [
      'no', 'no.', '#', '番号', '項番', '項目番号', '管理番号', '質問番号', 'id', 'ref', 'ref.', 'refno', 'item#', 'questionid',
      'controlid', 'number', '連番', '通番', 'q#', 'qno', 'qid',
    ],
    weak: [],
  },
  // Matched as whole headers, or (Latin words of 5+ letters) inside one; see classifyHeader.
  reserved: {
    strong: [
      'analyst', 'evaluation', 'scoring', 'score', 'override', 'crosswalk', 'guidance', 'responsibilities', 'internaluse',
      'institution', '解説', '測定単位', '評価', '評価結果', '採点', '判定', '担当者記入', '当社記入', '弊社記入', '事務局記入',
    ],
    weak: [],
  },
  category: {
    strong: [
      '区分', '分類', 'カテゴリ', 'カテゴリー', '大項目', '中項目', '小項目', '大分類', '中分類', '小分類', '領域', '種別', '種類',
      '脆弱性の種類', '対策の性質', 'category',
      'domain', 'controldomain', 'controlfamily', 'section', 'area', 'topic', 'group',
    ],
    weak: [],
  },
};

// Priority when a header matches two roles equally (e.g. a bare "回答" never becomes a comment).
const ROLE_ORDER: Role[] = ['ref', 'question', 'answer', 'status', 'comment', 'category'];

/** Roles of the columns kotae writes; every other classified column is the customer's. */
const TARGET_ROLES: ReadonlySet<Role> = new Set<Role>(['answer', 'status', 'comment']);

// Sheets that explain how to fill in the questionnaire, list choices or track revisions,
// told by their name. The name is only a hint: a name is compared as whole words (English)
// or whole tokens (Japanese, which has no spaces: "1.表紙" is one, 運用手順 and 説明責任 are
// not), and a sheet so named is still read when it holds a clear question/answer table
// ("Incident History", "List" may be the questionnaire itself; see namedSheetKept).
const INSTRUCTION_WORDS =
  /\b(?:instructions?|readme|read me|start here|guide|guidance|how to|cover|cover page|overview|introduction|revisions?|revision history|change ?log|history|glossary|definitions?|dropdowns?)\b|^(?:lists?|values)$/i;
const INSTRUCTION_TOKENS = new Set([
  '記入要領', '記入方法', '記入上の注意', '回答方法', '回答要領', '説明', '説明書', '注意事項', 'はじめに', '手順', '使い方', '表紙', '改訂',
  '改訂履歴', '変更履歴', '更新履歴', '履歴', '目次', '選択肢', 'リスト', '選択リスト', 'プルダウン', 'プルダウンリスト', '用語集', '用語定義',
  '概要', 'ご案内', '案内',
]);
// Filled-in examples copy the questionnaire's layout on purpose: never answered, whatever they hold.
const EXAMPLE_WORDS = /\b(?:examples?|samples?)\b/i;
const EXAMPLE_TOKENS = new Set(['記入例', '回答例', '記入サンプル', '回答サンプル', '例']);

/** The words of a sheet name: split at spaces, punctuation, digits and brackets; "について" dropped. */
function nameTokens(name: string): string[] {
  return name
    .normalize('NFKC')
    .split(/[\s\d.,:;_\-–—・/\\()[\]{}<>「」『』【】〔〕（）#＃]+/u)
    .map((t) => t.replace(/について$|シート$/u, ''))
    .filter((t) => t !== '');
}

function isExampleName(name: string): boolean {
  return EXAMPLE_WORDS.test(name.normalize('NFKC')) || nameTokens(name).some((t) => EXAMPLE_TOKENS.has(t));
}

/** A question opening with an example's label: 【記入例】…, (例)…, 記入例: …, Example: …. */
const EXAMPLE_QUESTION = /^\s*(?:[【(\[<〔]\s*(?:記入例|回答例|例|examples?|samples?)\s*[】)\]>〕]|(?:記入例|回答例|examples?|e\.g\.)\s*:)/iu;

/**
 * A filled-in example row inside the table (記入例 in the No. column, 【記入例】 before the
 * question): it copies a question's layout, often with its answer given, to show how to fill
 * the rest. Never a question: drafted, it was counted as one already answered, and answered
 * over with --overwrite. A cell left of the question column must be nothing but the label
 * ("Sample handling" as a category is no example).
 */
function isExampleRow(cells: Array<[number, string]>, questionCol: number, question: string): boolean {
  const label = (t: string): string => t.normalize('NFKC').replace(/[\s\d.,:;()[\]{}<>「」『』【】〔〕#\-–—・]+/gu, '');
  const labelled = cells.some(([c, t]) => c < questionCol && (EXAMPLE_TOKENS.has(label(t)) || /^(?:examples?|samples?|eg)$/iu.test(label(t))));
  return labelled || EXAMPLE_QUESTION.test(question.normalize('NFKC'));
}

/** A name that says the sheet explains, lists or tracks (see INSTRUCTION_WORDS): a hint, not a verdict. */
export function isInstructionName(name: string): boolean {
  return INSTRUCTION_WORDS.test(name.normalize('NFKC')) || nameTokens(name).some((t) => INSTRUCTION_TOKENS.has(t));
}

// Sheets for the customer's own evaluation of the answers: never written.
// The sheet an earlier run added to its internal draft file (see AnswerFileOptions.draftSheet).
const KOTAE_SHEET = /^kotae( \(\d+\))?$/;
// Other evaluation sheets ("Vendor Evaluation" may be the questionnaire itself) are told by their
// content: answer cells that hold formulas.
const EVALUATION_SHEET = /analyst|scoring|\bscores?\b|crosswalk|summary report|^references?$|institution|採点|集計/i;

interface HeaderMatch {
  role: Role;
  score: number;
  /** The header names status words in brackets: 回答（はい/いいえ）, Answer (Yes/No). */
  statusHint: boolean;
}

function normHeader(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\u3000]+/gu, '')
    .replace(/^[*※:]+|[*※:]+$/gu, '');
}

const BRACKETS = /[([【［{<].*?[)\]】］}>]/gu;
const STATUS_HINT = /○|×|△|はい|いいえ|yes|no\b|y\/n|該当/iu;

/** The role a header cell names, if any. */
export function classifyHeader(text: string): HeaderMatch | null {
  if (text.length > 60) return null;
  const raw = text.normalize('NFKC');
  const hints = raw.match(BRACKETS)?.join(' ') ?? '';
  const statusHint = STATUS_HINT.test(hints) || /^(yes\/no|y\/n)$/i.test(normHeader(raw));
  const bare = normHeader(raw.replace(BRACKETS, '')) || normHeader(raw);
  if (isReservedHeader(bare)) return { role: 'reserved', score: 3, statusHint: false };
  // A header that is nothing but choices ("はい/いいえ", "○/×") names a status column.
  const outside = raw.replace(BRACKETS, '').trim();
  if (outside !== '' && statusWordsOf(outside) !== null) return { role: 'status', score: 3, statusHint: true };
  let best: HeaderMatch | null = null;
  let bestLen = 0;
  for (const role of ROLE_ORDER) {
    const { strong, weak } = WORDS[role];
    const candidates: Array<[string, number]> = [
      ...strong.map((w): [string, number] => [w, 3]),
      ...weak.map((w): [string, number] => [w, 2]),
    ];
    for (const [word, exactScore] of candidates) {
      let score = 0;
      if (bare === word) score = exactScore;
      else if (containsWord(bare, word)) score = exactScore === 3 ? 1.5 : 1;
      if (score === 0) continue;
      if (!best || score > best.score || (score === best.score && word.length > bestLen)) {
        best = { role, score, statusHint };
        bestLen = word.length;
      }
    }
  }
  // A header naming no role but its choices in brackets (「実施（はい/いいえ）」, "In place? (Yes/No)"):
  // the choices say what the column takes. Left unread, its はい/いいえ cells stayed empty.
  if (!best && hints !== '' && statusWordsOf(raw) !== null) return { role: 'status', score: 2, statusHint: true };
  return best;
}

/** A header that names a question (Question, Consensus Assessment Questions, 質問, 設問, 確認内容) rather than a requirement or a control. */
function namesQuestion(header: string): boolean {
  return /question|query|質問|設問|確認(?:内容|事項|項目)/u.test(normHeader(header.normalize('NFKC').replace(BRACKETS, '')));
}

/**
 * A header that names a requirement, specification or control (要求事項, Control Specification):
 * what the question checks, never a short item name to put in front of it.
 */
function namesRequirement(header: string): boolean {
  return /requirement|specification|control|criteria|statement|要求|要件|規定|管理策/u.test(normHeader(header.normalize('NFKC').replace(BRACKETS, '')));
}

/** A header of a column for the customer's own use ("Analyst Notes", "Compliant Override", "解説"). */
function isReservedHeader(bare: string): boolean {
  return WORDS.reserved.strong.some((w) => bare === w || (/^[a-z]{5,}$/.test(w) && bare.includes(w)));
}

function containsWord(text: string, word: string): boolean {
  const cjk = /[^\x00-\x7f]/.test(word);
  // Short Latin words ("no", "id", "#") match too much inside other words ("notes", "valid").
  if (!cjk && word.length < 4) return false;
  return text.includes(word);
}

const NUMBERING = /^[(（]?(?:[a-z]{1,4}[-.]?)?\d+(?:[-.\u2010-\u2015ー_]\d+)*[.)）]?$/iu;

/** "12", "3-2-1", "A.1", "IAM-01", "(4)": a row number, not a question. */
export function isNumbering(text: string): boolean {
  return NUMBERING.test(text.normalize('NFKC').trim());
}

// ---------------------------------------------------------------------------------------

interface HeaderCandidate {
  row: number;
  /**
   * The row of sub-headers under a group header merged across columns (回答欄 over
   * 回答 | 備考, "Consensus Assessment Answers" over Yes | No | N/A), or null: part of the header.
   */
  subRow: number | null;
  /** Header text per column: the sub-header where there is one, else the header row's own. */
  texts: Map<number, string>;
  /** The group header (merged in the header row) over each sub-header's column. */
  groups: Map<number, string>;
  /** Classified columns; the mark columns are not among them. */
  cells: Map<number, HeaderMatch>;
  /** Per-choice mark columns (Yes | No | N/A), a status column together; [] when there are none. */
  marks: MarkColumn[];
  score: number;
}

/**
 * The header texts of `row`, with the sub-headers of the row below where `row` has a group
 * header merged across columns over them: real questionnaires split their answer side so
 * (回答欄 → 回答 | 備考, 貴社記入欄 → 回答 | 補足, Consensus Assessment Answers → Yes | No |
 * N/A), and the comment or choice columns are named only in that second row.
 */
function headerTexts(sheet: GridSheet, row: number): Pick<HeaderCandidate, 'subRow' | 'texts' | 'groups'> {
  const own = new Map([...(sheet.cells.get(row) ?? [])].filter(([, t]) => t.trim() !== ''));
  const none = { subRow: null, texts: own, groups: new Map<number, string>() };
  const spans = sheet.merges.filter((m) => m.top === row && m.bottom === row && m.right > m.left && own.has(m.left));
  if (spans.length === 0) return none;
  const under = (col: number): CellRange | undefined => spans.find((m) => col >= m.left && col <= m.right);
  // A title merged across the whole table is no group header: the row must name columns of its own too.
  if (![...own].some(([c, t]) => under(c) === undefined && headerLike(t))) return none;
  const below = [...(sheet.cells.get(row + 1) ?? [])].filter(([, t]) => t.trim() !== '');
  // Every text of the row below is a header word under a group (a question row never is).
  if (below.length < 2 || !below.every(([c, t]) => under(c) !== undefined && headerLike(t))) return none;
  const texts = new Map(own);
  const groups = new Map<number, string>();
  for (const [c, t] of below) {
    texts.set(c, t);
    groups.set(c, own.get(under(c)?.left ?? c) ?? '');
  }
  return { subRow: row + 1, texts, groups };
}

/** A text that can be a header cell: it names a role, or it is one choice ("Yes", "○", "非該当"). */
function headerLike(text: string): boolean {
  return classifyHeader(text) !== null || choiceStatus(text) !== 'unknown';
}

/**
 * Columns side by side whose headers are each one choice (Yes | No | N/A, 該当 | 非該当,
 * ○ | × | －): one status, marked in the column of its choice. Two or more adjacent, each a
 * different status, a yes among them and a no or not-applicable (so a "No." number column
 * beside a question is never one); the first such run of the row.
 */
function markColumns(texts: Map<number, string>): MarkColumn[] {
  const cols = [...texts.keys()].sort((a, b) => a - b);
  let run: MarkColumn[] = [];
  const done = (r: MarkColumn[]): boolean => {
    const statuses = new Set(r.map((m) => m.status));
    return r.length >= 2 && statuses.size === r.length && statuses.has('yes') && (statuses.has('no') || statuses.has('not_applicable'));
  };
  for (const col of cols) {
    const word = (texts.get(col) ?? '').trim();
    const status = choiceStatus(word);
    const last = run.at(-1);
    if (status !== 'unknown' && (!last || last.col === col - 1)) {
      run.push({ col, word, status });
      continue;
    }
    if (done(run)) return run;
    run = status === 'unknown' ? [] : [{ col, word, status }];
  }
  return done(run) ? run : [];
}

function headerCandidate(sheet: GridSheet, row: number): Omit<HeaderCandidate, 'score'> {
  const { subRow, texts, groups } = headerTexts(sheet, row);
  const cells = new Map<number, HeaderMatch>();
  for (const [col, text] of texts) {
    // A column under a group header for the customer (評価, 当社記入欄) is the customer's whatever its own name.
    const group = groups.get(col);
    const m = group !== undefined && classifyHeader(group)?.role === 'reserved' ? { role: 'reserved' as const, score: 3, statusHint: false } : classifyHeader(text);
    if (m) cells.set(col, m);
  }
  const marks = markColumns(new Map([...texts].filter(([c]) => cells.get(c)?.role !== 'reserved')));
  for (const m of marks) cells.delete(m.col);
  return { row, subRow, texts, groups, cells, marks };
}

function findHeaderRow(sheet: GridSheet): HeaderCandidate | null {
  let best: HeaderCandidate | null = null;
  let bestHasQuestion = false;
  for (const row of usedRows(sheet).slice(0, 60)) {
    const found = headerCandidate(sheet, row);
    const { cells, texts, marks } = found;
    if (![...cells.values()].some((m) => m.role === 'question')) {
      // Without a question header, the leftmost text is the section name ("Incident
      // Response" is not an answer column), unless it is the row's only answer-like cell.
      const first = Math.min(...texts.keys());
      const others = [...cells].filter(([c, m]) => c !== first && (m.role === 'answer' || m.role === 'status'));
      if (cells.has(first) && (others.length > 0 || marks.length > 0)) cells.delete(first);
    }
    const roles = new Set([...cells.values()].map((m) => m.role));
    const target = roles.has('answer') || roles.has('status') || marks.length > 0;
    let score: number;
    if (roles.has('question')) {
      if (!target && !roles.has('comment')) continue;
      score = 4 + (target ? 3 : 0) + (roles.has('comment') ? 2 : 0);
    } else {
      // A section header row, "<Section name> | Answer | Additional Information | Guidance"
      // (HECVAT): the questions sit under the section name, left of the answer column.
      if (!target || cells.size < 3 || !(roles.has('comment') || roles.has('reserved'))) continue;
      score = 3 + (roles.has('comment') ? 2 : 0);
    }
    if (roles.has('ref')) score += 1;
    if (roles.has('category')) score += 1;
    for (const m of cells.values()) score += m.score / 10;
    // Section header rows repeat: the first one is the header unless a later row names a whole role more.
    const margin = best && !bestHasQuestion && !roles.has('question') ? 1 : 0;
    if (!best || score > best.score + margin) {
      best = { ...found, score };
      bestHasQuestion = roles.has('question');
    }
  }
  return best;
}

/**
 * The first row (of the top 60) holding one of the header texts the user named in an
 * override (`--question-col 規定内容`), so header text works where no header row was detected.
 */
function headerTextRow(sheet: GridSheet, refs: Array<ColumnRef | undefined>): number | null {
  const wanted = refs
    // Numbers and letters name columns, not header texts ("C" must not make a row holding "C" the header).
    .filter((r): r is string => typeof r === 'string' && !/^\d+$|^[A-Za-z]{1,3}$/.test(r.trim()))
    .map((r) => normHeader(r))
    .filter((w) => w !== '');
  if (wanted.length === 0) return null;
  for (const row of usedRows(sheet).slice(0, 60)) {
    for (const text of (sheet.cells.get(row) ?? new Map<number, string>()).values()) if (wanted.includes(normHeader(text))) return row;
  }
  return null;
}

/**
 * Resolves a user's column reference against the header row, or against `texts` (the header
 * texts per column, sub-headers of a two-row header included) when given.
 */
export function resolveColumn(sheet: GridSheet, headerRow: number | null, ref: ColumnRef, what: string, texts?: ReadonlyMap<number, string>): number {
  if (typeof ref === 'number') return checkCol(ref, what);
  const text = ref.trim();
  if (/^\d+$/.test(text)) return checkCol(Number(text), what);
  const row = texts ?? (headerRow === null ? undefined : sheet.cells.get(headerRow)) ?? new Map<number, string>();
  // Header text first: "No" is both a header and a column name (NO = column 379). Text
  // that could be a column letter must match a header exactly, else it is the letter.
  if (headerRow !== null) {
    const want = normHeader(text);
    for (const [col, h] of row) if (normHeader(h) === want) return col;
    if (!/^[A-Za-z]{1,3}$/.test(text)) for (const [col, h] of row) if (want.length >= 2 && normHeader(h).includes(want)) return col;
  }
  const byLetter = columnNumber(text);
  if (byLetter > MAX_COL) throw new InputError(`${what} ${text.toUpperCase()} is past the last column of a sheet (XFD)`, 'Give a column letter such as D, or its number.');
  if (!Number.isNaN(byLetter)) return checkCol(byLetter, what);
  const headers = headerRow === null ? [] : [...row.values()];
  throw new InputError(
    `${what} "${ref}" is neither a column letter, a column number nor a header of sheet "${sheet.name}"`,
    headers.length > 0 ? `Headers found: ${headers.map((h) => `"${h}"`).join(', ')}.` : 'Give a column letter such as D.',
  );
}

function checkCol(col: number, what: string): number {
  if (!Number.isInteger(col) || col < 1 || col > MAX_COL) {
    throw new InputError(`${what} ${col} is not a column number (1-16384)`, 'Give a column letter such as D, or its number.');
  }
  return col;
}

interface Classified {
  row: number;
  /** `unread`: the question cell is a formula kotae cannot read (UnreadCell). */
  kind: 'question' | 'heading' | 'skip' | 'unread';
  why?: UnreadCell['why'];
  text: string;
  /** The row repeats the header (per section or page): never a question, never written. */
  repeatedHeader?: boolean;
  /** A hidden row with question text: withdrawn by the customer, never answered, always named. */
  hidden?: boolean;
  /** The header of a second table in another column order, or a row below it: not read, always named. */
  otherTable?: boolean;
  /** A filled-in example inside the table (isExampleRow): never answered, always named. */
  example?: boolean;
}

/** Finds the layout of every sheet. Throws InputError only for contradictory overrides. */
export function detectLayout(grid: Grid, overrides: LayoutOverrides = {}, purpose: 'answer' | 'qa' = 'answer'): WorkbookLayout {
  const wanted = overrides.sheets ?? [];
  const missing = wanted.filter((name) => !grid.sheets.some((s) => s.name === name));
  if (missing.length > 0) {
    throw new InputError(
      `there is no sheet ${missing.map((m) => `"${m}"`).join(', ')}`,
      `Sheets: ${grid.sheets.map((s) => `"${s.name}"`).join(', ')}.`,
    );
  }
  const sheets = grid.sheets.flatMap((sheet) => {
    if (wanted.length > 0 && !wanted.includes(sheet.name)) {
      return [skippedGuess(sheet.name, `not a sheet asked for (--sheet ${wanted.map((w) => `"${w}"`).join(' --sheet ')})`)];
    }
    return withStackedTables(sheet, detectSheet(sheet, overrides, wanted.length > 0, purpose), overrides, purpose);
  });
  const used = sheets.filter((s) => s.skipped === null);
  const confidence = used.length === 0 ? 0 : Math.min(...used.map((s) => s.confidence));
  return { sheets, confidence, unsure: confidence < UNSURE_BELOW };
}

/** Most tables read from one sheet: a sheet of stacked tables beyond that is a report, not a questionnaire. */
const MAX_TABLES = 10;

/**
 * A sheet of several question tables stacked one under another, each in its own column order
 * (基本項目 / 追加確認事項): each table is read with its own header, as a guess of its own for the
 * same sheet. With columns named by the user, which name one table's columns, the tables below
 * the first stay set aside (and named). A table below that cannot be read stays named as not read.
 */
function withStackedTables(sheet: GridSheet, first: LayoutGuess, o: LayoutOverrides, purpose: 'answer' | 'qa'): LayoutGuess[] {
  const out = [first];
  const columnsNamed = o.questionCol !== undefined || o.answerCol !== undefined || o.statusCol !== undefined || o.commentCol !== undefined;
  let guess = first;
  while (guess.nextTable !== undefined && !columnsNamed && out.length < MAX_TABLES) {
    const from = guess.nextTable;
    const below = detectSheetLayout(rowsFrom(sheet, from), {}, false, purpose);
    if (below.skipped !== null || below.layout === null || below.rows.length === 0) break;
    const lang = guess.layout?.language ?? 'en';
    // This table's note said "not read": it is read now, so say that instead.
    guess.setAside = guess.setAside.filter((n) => !n.includes(otherTableMark(lang)));
    const l = below.layout;
    const cols = [`question ${columnLetter(l.questionCol)}`, ...(l.answerCol === null ? [] : [`answer ${columnLetter(l.answerCol)}`]), ...(l.statusCol === null ? [] : [`status ${columnLetter(l.statusCol)}`]), ...(l.commentCol === null ? [] : [`comment ${columnLetter(l.commentCol)}`])];
    below.notes.unshift(`a second table from row ${from}, in another column order: read with its own header (${cols.join(', ')})`);
    out.push(below);
    guess = below;
  }
  return out;
}

/** The sheet from row `from` down: what detection reads as a table of its own. */
function rowsFrom(sheet: GridSheet, from: number): GridSheet {
  const cells = new Map([...sheet.cells].filter(([r]) => r >= from));
  return { ...sheet, cells, formulas: new Set([...sheet.formulas].filter((k) => Number(k.split(':')[0]) >= from)) };
}

/** The words that mark the "second table: not read" note, per language. */
function otherTableMark(lang: Language): string {
  return lang === 'ja' ? '2つ目の表' : 'a second table';
}

function skippedGuess(sheet: string, why: string, notes: string[] = []): LayoutGuess {
  return { sheet, layout: null, rows: [], unread: [], confidence: 0, notes, warnings: [], setAside: [], skipped: why };
}

const ROLE_NAMES: Record<Role, string> = {
  question: 'question',
  answer: 'answer',
  status: 'status',
  comment: 'comment',
  ref: 'number',
  category: 'category',
  reserved: "customer's own",
};

function detectSheet(sheet: GridSheet, o: LayoutOverrides, chosen: boolean, purpose: 'answer' | 'qa'): LayoutGuess {
  const guess = detectSheetLayout(sheet, o, chosen, purpose);
  // A hidden sheet keeps that reason: unhiding it is what the user can do about it.
  if (chosen || sheet.hidden || !isInstructionName(sheet.name)) return guess;
  if (guess.skipped !== null || !namedSheetKept(sheet, guess)) return skippedGuess(sheet.name, INSTRUCTION_REASON);
  return { ...guess, notes: [...guess.notes, `named like an instruction or reference sheet, but read: it has a question/answer table of ${guess.rows.length} questions`] };
}

const INSTRUCTION_REASON = 'instruction or reference sheet (by its name; no question/answer table)';

/**
 * Whether a sheet named like an instruction sheet is read all the same: its header names a
 * question column and an answer or status column (no guessed column), it has 2+ questions
 * and most of their answer cells are empty. An explanation laid out as 項目 | 説明, a revision
 * table (No | Date | Description) or a one-row legend fails; a questionnaire sheet that
 * happens to be called "Incident History" passes.
 */
function namedSheetKept(sheet: GridSheet, guess: LayoutGuess): boolean {
  const layout = guess.layout;
  if (!layout || layout.headerRow === null || guess.rows.length < 2) return false;
  const named = (col: number | null, role: Role): boolean => col !== null && classifyHeader(layout.headers[col] ?? '')?.role === role;
  if (!named(layout.questionCol, 'question')) return false;
  if (!named(layout.answerCol, 'answer') && !named(layout.statusCol, 'status')) return false;
  const targets = [layout.answerCol, layout.statusCol].filter((c): c is number => c !== null);
  const empty = guess.rows.filter((r) => targets.every((c) => cellText(sheet, r.row, c) === '')).length;
  return empty * 2 >= guess.rows.length;
}

function detectSheetLayout(original: GridSheet, o: LayoutOverrides, chosen: boolean, purpose: 'answer' | 'qa'): LayoutGuess {
  const notes: string[] = [];
  const warnings: string[] = [];
  // The cells a dropdown of this sheet takes its choices from (F1:F3 = Compliant, Non-compliant,
  // N/A) are its vocabulary, not a header, a question or an answer: detection reads the sheet without them.
  const choices = choiceRanges(original);
  const sheet = withoutCells(original, choices);
  if (cellCount(sheet) < cellCount(original)) {
    notes.push(`cells ${choices.map(rangeText).join(', ')} hold the choices of a dropdown list: not read as a header, a question or an answer`);
  }
  if (sheet.hidden && purpose === 'answer') {
    return skippedGuess(sheet.name, chosen ? 'hidden sheet: kotae never writes into a hidden sheet (unhide it in Excel first)' : 'hidden sheet');
  }
  if (!chosen && sheet.hidden) return skippedGuess(sheet.name, 'hidden sheet');
  if (!chosen && isExampleName(sheet.name)) return skippedGuess(sheet.name, 'a filled-in example (by its name)');
  if (!chosen && EVALUATION_SHEET.test(sheet.name)) return skippedGuess(sheet.name, "the customer's own evaluation sheet (by its name)");
  if (KOTAE_SHEET.test(sheet.name)) return skippedGuess(sheet.name, "kotae's own list of drafts from an earlier run");
  if (original.cells.size === 0) return skippedGuess(sheet.name, 'empty sheet');

  let header = findHeaderRow(sheet);
  if (!header) {
    const row = headerTextRow(sheet, [o.questionCol, o.answerCol, o.statusCol, o.commentCol]);
    if (row !== null) header = { ...headerCandidate(sheet, row), score: 0 };
  }
  if (!header && o.questionCol === undefined) {
    return skippedGuess(sheet.name, 'no header row naming a question column and an answer or comment column', [
      'Headers recognised include 質問/確認事項/項目/実施項目/Question/Control, 回答/設定/実施状況/チェック/Response/Answer and 備考/Comments.',
    ]);
  }
  const headerRow = header?.row ?? null;
  const headerTextsOf = header?.texts ?? new Map<number, string>();
  /** The header's last row: the sub-header row of a two-row header, else the header row. */
  const lastHeaderRow = header?.subRow ?? headerRow;
  const headers: Record<number, string> = Object.fromEntries(headerTextsOf);
  if (header && header.subRow !== null) {
    const groups = [...new Set(header.groups.values())].map((g) => `"${g}"`).join(', ');
    notes.push(`two-row header: the sub-headers of row ${header.subRow} are read under ${groups} (row ${header.row})`);
  }
  const roleOf = new Map<number, Role>([...(header?.cells ?? new Map<number, HeaderMatch>())].map(([c, m]) => [c, m.role]));
  const byRole = (role: Role): Array<{ col: number; m: HeaderMatch }> =>
    [...(header?.cells ?? new Map<number, HeaderMatch>())]
      .filter(([, m]) => m.role === role)
      .map(([col, m]) => ({ col, m }))
      .sort((a, b) => b.m.score - a.m.score || a.col - b.col);

  let confidence = 1;

  // --- question column
  let questionCol: number;
  let inferredRef: number | null = null;
  if (o.questionCol !== undefined) {
    questionCol = resolveColumn(sheet, headerRow, o.questionCol, '--question-col', headerTextsOf);
  } else {
    const qs = byRole('question');
    const first = qs[0];
    if (!first) {
      // A section header row names no question column: the questions are the longest texts
      // left of the answer column, under the section name.
      const targets = [...byRole('answer'), ...byRole('status')].map((x) => x.col);
      const inferred = lastHeaderRow === null ? null : inferQuestionColumn(sheet, lastHeaderRow, Math.min(...targets, ...(header?.marks ?? []).map((m) => m.col)), roleOf);
      if (!inferred) return skippedGuess(sheet.name, 'no question column');
      questionCol = inferred.questionCol;
      inferredRef = inferred.refCol;
      confidence -= 0.1;
      notes.push(`header row ${headerRow ?? ''} names no question column; questions taken from ${columnLetter(questionCol)} (the longest texts left of the answer column)`);
    } else {
      // A header naming a question (Question, 質問, 設問, 確認内容) is where the vendor is asked,
      // over one naming a requirement, specification or control (CAIQ v3.1's Control
      // Specification beside its Consensus Assessment Questions; 要求事項 beside 確認内容):
      // answering the requirement drafts the wrong text.
      const asking = qs.filter((q) => namesQuestion(headers[q.col] ?? ''));
      const pool = asking.length > 0 ? asking : qs;
      const lead = pool[0] ?? first;
      questionCol = lead.col;
      if (qs.length > 1) {
        // Several question-like headers (大項目/項目/確認事項): the strongest name wins, then
        // the column with the longest texts, since questions are sentences.
        const top = pool.filter((q) => q.m.score === lead.m.score);
        if (top.length > 1) {
          questionCol = top.map((q) => q.col).sort((a, b) => avgLength(sheet, b, lastHeaderRow) - avgLength(sheet, a, lastHeaderRow))[0] ?? lead.col;
          confidence -= 0.15;
        }
        notes.push(
          `several question-like headers (${qs.map((q) => `${columnLetter(q.col)} "${headers[q.col] ?? ''}"`).join(', ')}); questions taken from ${columnLetter(questionCol)}${asking.length > 0 && asking.length < qs.length ? ', whose header names a question' : ''}`,
        );
      }
      if (lead.m.score < 3 && asking.length === 0) {
        confidence -= 0.15;
        notes.push(`question column ${columnLetter(questionCol)} guessed from header "${headers[questionCol] ?? ''}"`);
      }
    }
  }

  const pick = (role: Role): number | null => {
    const c = byRole(role).find((x) => x.col !== questionCol);
    return c ? c.col : null;
  };
  // The question's own number (Question ID, 質問番号) over its control's, which several questions share.
  const refCol = byRole('ref').find((x) => x.col !== questionCol && namesQuestion(headers[x.col] ?? ''))?.col ?? pick('ref') ?? inferredRef;
  const categoryCol = pick('category');
  const itemCol =
    byRole('question')
      .map((q) => q.col)
      .filter((c) => c < questionCol && c !== refCol && c !== categoryCol && !namesRequirement(headers[c] ?? ''))
      .find((c) => avgLength(sheet, c, lastHeaderRow) <= 30 && avgLength(sheet, c, lastHeaderRow) < avgLength(sheet, questionCol, lastHeaderRow)) ?? null;
  // Another column that could hold the questions is named on every run, sure guess or not: a
  // wrong choice answers every row from the wrong text, and the user can only see it here.
  const otherQuestions = o.questionCol === undefined ? byRole('question').filter((q) => q.col !== questionCol && q.col !== itemCol) : [];
  if (otherQuestions.length > 0) {
    const named = (c: number): string => `${columnLetter(c)}${headers[c] ? ` "${headers[c]}"` : ''}`;
    const other = otherQuestions[0]?.col ?? questionCol;
    warnings.push(
      `questions are read from column ${named(questionCol)}, not from ${otherQuestions.map((q) => named(q.col)).join(' or ')}; if that is where the questions are, pass --question-col ${columnLetter(other)}`,
    );
  }
  // Every column whose header names the customer's text (questions, numbers, categories,
  // guidance, analyst and scoring columns) is never written, even when the user chose
  // another one as the question column.
  const protectedCols = new Set<number>([questionCol, ...(refCol === null ? [] : [refCol])]);
  for (const [col, role] of roleOf) if (!TARGET_ROLES.has(role)) protectedCols.add(col);

  // Sample rows below the header to see which columns carry a list validation.
  const sample = usedRows(sheet)
    .filter((r) => lastHeaderRow === null || r > lastHeaderRow)
    .filter((r) => cellText(sheet, r, questionCol) !== '')
    .slice(0, 50);
  const listOf = (col: number): ListValidation | null => {
    let hits = 0;
    let found: ListValidation | null = null;
    for (const r of sample) {
      const v = validationAt(sheet, r, col);
      if (v && (v.values === null || isStatusList(v.values))) {
        hits++;
        found ??= v;
      }
    }
    return sample.length > 0 && hits * 2 >= sample.length ? found : null;
  };

  // --- answer / status columns
  let answerCol: number | null = null;
  let statusCol: number | null = null;
  /** Columns the user named, by flag. */
  const chosenCols = new Map<number, string>();
  // Per-choice mark columns (Yes | No | N/A) are one status column: a mark goes in the column of
  // the status, and text never goes into any of them (a customer's parser reads any text under
  // "Yes" as a yes).
  const marks = header?.marks ?? [];
  const markSet = new Set(marks.map((m) => m.col));
  const markSpan = marks.length === 0 ? '' : `${columnLetter(marks[0]?.col ?? 1)}–${columnLetter(marks.at(-1)?.col ?? 1)}`;
  const notMark = (col: number, flag: string): number => {
    if (!markSet.has(col)) return col;
    throw new InputError(
      `${flag} ${columnLetter(col)}${headers[col] ? ` "${headers[col]}"` : ''} is one of the mark columns ${markSpan} (${marks.map((m) => m.word).join(' | ')}) of sheet "${sheet.name}": kotae marks the status there and never writes text into them`,
      'Choose the column where the text answer or the comments belong.',
    );
  };
  const answerish = [...byRole('answer'), ...byRole('status')].sort((a, b) => a.col - b.col);
  // A hidden (or zero-width) column is never a guess: what is written there, the customer never sees.
  const hiddenNamed = [...answerish, ...byRole('comment')].filter((x) => !protectedCols.has(x.col) && sheet.hiddenCols.has(x.col)).sort((a, b) => a.col - b.col);
  const candidates = answerish.filter((x) => !protectedCols.has(x.col) && !sheet.hiddenCols.has(x.col));
  const detectedStatus = (exclude: number | null): number | null =>
    (candidates.find((x) => x.col !== exclude && listOf(x.col) !== null) ??
      candidates.find((x) => x.col !== exclude && (x.m.role === 'status' || x.m.statusHint)))?.col ?? null;
  // A dropdown of status choices (適合 / 不適合 / 対象外, Compliant / Non-compliant / N/A) makes
  // its column the status column whatever its header says ("Rating", none at all); a header
  // naming the customer's evaluation (評価, 判定) only when the sheet has nowhere else to answer.
  const choiceCols = new Set(choices.flatMap((r) => (r.right - r.left < 30 ? Array.from({ length: r.right - r.left + 1 }, (_, i) => r.left + i) : [])));
  const listedStatus = (exclude: number | null, evaluationToo: boolean): number | null => {
    const last = Math.min(Math.max(sheet.maxCol, ...Object.keys(headers).map(Number)), questionCol + 30);
    for (let col = 1; col <= last; col++) {
      if (col === exclude || col === questionCol || col === refCol || col === categoryCol || sheet.hiddenCols.has(col) || choiceCols.has(col) || markSet.has(col)) continue;
      const role = roleOf.get(col);
      const header = headers[col] ?? '';
      if (role !== undefined && !(evaluationToo && role === 'reserved' && isEvaluationHeader(header))) continue;
      const list = listOf(col);
      if (!list?.values || !isStatusList(list.values)) continue;
      protectedCols.delete(col);
      const what = `column ${columnLetter(col)}${header ? ` "${header}"` : ''} has a dropdown of status choices (${list.values.join(' / ')})`;
      if (role === 'reserved') {
        confidence -= 0.3;
        notes.push(`${what} and the sheet names no answer column: it is taken as the status column (if it is for the customer's own evaluation, pass --answer-col)`);
      } else {
        confidence -= 0.1;
        notes.push(`${what}: it is taken as the status column`);
      }
      return col;
    }
    return null;
  };
  if (o.answerCol !== undefined) {
    // "When the answer column carries a validation list, it is a status column."
    const c = notMark(resolveColumn(sheet, headerRow, o.answerCol, '--answer-col', headerTextsOf), '--answer-col');
    chosenCols.set(c, '--answer-col');
    if (listOf(c)) statusCol = c;
    else {
      answerCol = c;
      statusCol = marks[0]?.col ?? detectedStatus(c) ?? listedStatus(c, false);
    }
  } else {
    statusCol = marks[0]?.col ?? detectedStatus(null);
    answerCol = candidates.find((x) => x.col !== statusCol && listOf(x.col) === null && x.m.role !== 'status')?.col ?? null;
    statusCol ??= listedStatus(answerCol, answerCol === null);
  }
  if (o.statusCol !== undefined) {
    // Naming any one of the mark columns names them all.
    const c = resolveColumn(sheet, headerRow, o.statusCol, '--status-col', headerTextsOf);
    statusCol = markSet.has(c) ? (marks[0]?.col ?? c) : c;
    chosenCols.set(statusCol, '--status-col');
    if (answerCol === statusCol) answerCol = null;
  }
  const marked = marks.length > 0 && statusCol === marks[0]?.col;
  if (marks.length > 0 && !marked) {
    // Another status column was chosen: the mark columns are left as the customer gave them.
    for (const m of marks) protectedCols.add(m.col);
    notes.push(`mark columns ${markSpan} (${marks.map((m) => m.word).join(' | ')}) are not written: the status goes to column ${columnLetter(statusCol ?? 1)}`);
  }

  // --- comment column
  let commentCol: number | null;
  if (o.commentCol !== undefined) {
    commentCol = notMark(resolveColumn(sheet, headerRow, o.commentCol, '--comment-col', headerTextsOf), '--comment-col');
    chosenCols.set(commentCol, '--comment-col');
  } else commentCol = byRole('comment').find((x) => !protectedCols.has(x.col) && !sheet.hiddenCols.has(x.col) && x.col !== answerCol && x.col !== statusCol)?.col ?? null;
  if (commentCol !== null && (commentCol === answerCol || commentCol === statusCol)) commentCol = null;
  for (const x of hiddenNamed) {
    const flag = x.m.role === 'comment' ? '--comment-col' : '--answer-col';
    if (!chosenCols.has(x.col)) notes.push(`column ${columnLetter(x.col)} "${headers[x.col] ?? ''}" is hidden: nothing is written there (name it with ${flag} to use it anyway)`);
  }
  // The user's own choice of a hidden column stands, but they are told what the customer will see.
  for (const [col, flag] of chosenCols) {
    if (!sheet.hiddenCols.has(col) || ![answerCol, statusCol, commentCol].includes(col)) continue;
    confidence -= 0.1;
    notes.push(`${flag} ${columnLetter(col)}${headers[col] ? ` "${headers[col]}"` : ''} is hidden in the sheet: the customer will not see what is written there unless it is unhidden`);
  }

  for (const [flag, col] of [
    ['--answer-col', answerCol],
    ['--status-col', statusCol],
    ['--comment-col', commentCol],
  ] as const) {
    if (col !== null && protectedCols.has(col)) {
      const role = col === questionCol ? 'question' : col === refCol ? 'ref' : (roleOf.get(col) ?? 'question');
      throw new InputError(
        `${flag} ${columnLetter(col)}${headers[col] ? ` "${headers[col]}"` : ''} is the ${ROLE_NAMES[role]} column of sheet "${sheet.name}": kotae never writes over the customer's text`,
        'Choose the empty column where answers belong.',
      );
    }
  }

  // --- rows
  const classified = classifyRows(sheet, header, questionCol, refCol, categoryCol, [answerCol, statusCol, commentCol]);
  const headerRows = headerRow === null ? [] : [headerRow, ...(header && header.subRow !== null ? [header.subRow] : []), ...classified.filter((c) => c.repeatedHeader).map((c) => c.row)];
  const repeats = classified.filter((c) => c.repeatedHeader).length;
  if (repeats > 0) notes.push(`the header row repeats ${repeats} time(s) (per section or page): rows ${headerRows.join(', ')}`);
  let questionRows = classified.filter((c) => c.kind === 'question');
  if (refCol !== null && questionRows.length >= 3) {
    // Rows without a number among numbered questions, short and not phrased as a
    // question, are section headings written in the question column.
    const numbered = questionRows.filter((c) => shownText(sheet, c.row, refCol) !== '').length;
    if (numbered / questionRows.length >= 0.6) {
      let demoted = 0;
      for (const c of questionRows) {
        const only = [...(sheet.cells.get(c.row) ?? new Map<number, string>()).keys()].every((k) => k === questionCol || k === categoryCol);
        if (shownText(sheet, c.row, refCol) === '' && only && c.text.length <= 40 && !/[?？]|か[。．]?$/.test(c.text)) {
          c.kind = 'heading';
          demoted++;
        }
      }
      if (demoted > 0) {
        confidence -= 0.05;
        notes.push(`${demoted} unnumbered short row(s) in the question column taken as section headings`);
      }
      questionRows = classified.filter((c) => c.kind === 'question');
    }
  }
  if (questionRows.length === 0) return skippedGuess(sheet.name, 'no question rows below the header', notes);

  // Fallback answer column: the first empty, unnamed column right of the questions.
  if (answerCol === null && statusCol === null && purpose === 'answer') {
    const fallback = findEmptyColumn(sheet, headerRow, questionCol, new Set([...protectedCols, ...choiceCols]), commentCol, questionRows, headers);
    if (fallback !== null) {
      answerCol = fallback;
      confidence -= 0.35;
      notes.push(`no answer column header found; answers go to the empty column ${columnLetter(fallback)}`);
    } else if (commentCol !== null) {
      confidence -= 0.25;
      notes.push(`no answer column found; drafted answers go to the comment column ${columnLetter(commentCol)}`);
    } else {
      return skippedGuess(sheet.name, 'no answer, status or comment column named in its header', notes);
    }
  }
  if (purpose === 'qa' && answerCol === null && statusCol === null && commentCol === null) {
    return skippedGuess(sheet.name, 'no answer column', notes);
  }
  if (purpose === 'answer' && !chosen) {
    // Answer cells computed by formulas: an analyst, scoring or summary sheet that reads the
    // vendor's answers from other sheets, for the customer's own evaluation.
    const answerCells = [statusCol, answerCol].filter((c): c is number => c !== null);
    const computed = questionRows.filter((c) => answerCells.some((col) => isFormulaCell(sheet, c.row, col))).length;
    if (answerCells.length > 0 && computed * 2 >= questionRows.length) {
      return skippedGuess(sheet.name, `the answer cells of ${computed} of ${questionRows.length} rows hold formulas: a sheet for the customer's own evaluation`, notes);
    }
  }

  const language = sheetLanguage(Object.values(headers), questionRows.map((c) => c.text));
  let statusKind: SheetLayout['statusKind'] = 'marks';
  let statusWords: string[] | null = null;
  let mark: string | null = null;
  if (statusCol !== null) {
    const col = statusCol;
    const list = listOf(col);
    const boxes = questionRows.filter((c) => isCheckboxCell(cellText(sheet, c.row, col))).length;
    if (marked) {
      statusKind = 'columns';
      statusWords = marks.map((m) => m.word);
      mark = markOf(sheet, marks, questionRows.map((c) => c.row), headerRow, language);
      // The columns are one status column: messages name it by all its choices.
      headers[col] = statusWords.join(' / ');
      notes.push(
        `status marked in columns ${markSpan} (${statusWords.join(' | ')}): ${mark === null ? "the column's own word" : `"${mark}"`} in the column of the status; a status none of them names leaves them empty`,
      );
    } else if (list) {
      statusKind = 'list';
      if (list.values === null) {
        confidence -= 0.1;
        notes.push(`status column ${columnLetter(col)} has a list (${list.source}) that cannot be resolved: no status will be written`);
      } else {
        notes.push(`status column ${columnLetter(col)} "${headers[col] ?? ''}" takes values from its list: ${list.values.join(' / ')}`);
      }
    } else if (boxes * 2 >= questionRows.length) {
      statusKind = 'checkbox';
      notes.push(`status column ${columnLetter(col)} "${headers[col] ?? ''}" holds checkboxes: the chosen box is marked ■ in place`);
    } else {
      statusWords = statusWordsOf(headers[col] ?? '');
      notes.push(
        `status column ${columnLetter(col)} "${headers[col] ?? ''}" has no list: ${statusWords ? `only its header's words are written (${statusWords.join(' / ')})` : 'standard marks are used'}`,
      );
    }
  }
  if (purpose === 'answer' && commentCol === null && answerCol !== null) {
    confidence -= 0.05;
    notes.push('no comment column: citations and review markers go into the answer cell');
  }
  if (purpose === 'answer' && statusCol !== null && answerCol === null && commentCol === null) {
    notes.push('only a status column: rows that need review get no status and are listed in the summary (pass --comment-col for text)');
  }
  if (purpose === 'answer') {
    const statusCols = marked ? [...markSet] : statusCol === null ? [] : [statusCol];
    const filled = questionRows.filter(
      (c) => (answerCol !== null && isAnswered(cellText(sheet, c.row, answerCol))) || statusCols.some((col) => isAnswered(cellText(sheet, c.row, col))),
    ).length;
    if (filled > 0 && filled === questionRows.length) {
      // Nothing would be drafted on this sheet: said on every run, not only when the guess is unsure.
      // No command-line flag here: Slack shows it too (the CLI's summary names --overwrite).
      warnings.push(`every one of its ${filled} question rows already has an answer in the file: they are kept, and nothing is drafted there`);
    } else if (filled > 0) notes.push(`${filled} of ${questionRows.length} question rows already have an answer`);
    if (commentCol !== null) {
      const noted = questionRows.filter((c) => cellText(sheet, c.row, commentCol) !== '').length;
      if (noted * 2 > questionRows.length) {
        notes.push(
          `comment column ${columnLetter(commentCol)} already has text in ${noted} of ${questionRows.length} rows: those cells are kept and notes go under the answer`,
        );
      }
    }
  }
  if (o.questionCol !== undefined && (o.answerCol !== undefined || o.statusCol !== undefined)) confidence = Math.max(confidence, 0.9);

  const layout: SheetLayout = {
    sheet: sheet.name,
    headerRow,
    headerRows,
    questionCol,
    answerCol,
    statusCol,
    statusKind,
    statusWords,
    markCols: marked ? marks : [],
    mark,
    commentCol,
    refCol,
    categoryCol,
    itemCol,
    language,
    headers,
  };
  const rows = buildRows(sheet, layout, classified);
  const unread = classified
    .filter((c) => c.kind === 'unread')
    .map((c): UnreadCell => ({ sheet: sheet.name, row: c.row, cell: questionCell(sheet.name, questionCol, c.row), why: c.why ?? 'formula' }));
  const setAside = setAsideNotes(sheet.name, questionCol, classified, language);
  const nextTable = classified.find((c) => c.otherTable)?.row;
  return {
    sheet: sheet.name,
    layout,
    rows,
    unread,
    confidence: Math.max(0, Math.round(confidence * 100) / 100),
    notes,
    warnings,
    setAside,
    skipped: null,
    ...(nextTable === undefined ? {} : { nextTable }),
  };
}

/** What the run says about hidden rows and a second table it did not read, in the sheet's language (as its labels are). */
function setAsideNotes(sheet: string, questionCol: number, classified: Classified[], lang: Language): string[] {
  const out: string[] = [];
  const hidden = classified.filter((c) => c.hidden);
  if (hidden.length > 0) {
    const list = hidden
      .slice(0, 10)
      .map((c) => {
        const t = c.text.length > 30 ? `${c.text.slice(0, 30)}…` : c.text;
        return `${questionCell(sheet, questionCol, c.row)} ${lang === 'ja' ? `「${t}」` : `"${t}"`}`;
      })
      .join(', ');
    const more = hidden.length > 10 ? ', ...' : '';
    out.push(
      lang === 'ja'
        ? `非表示の行 ${hidden.length} 件は回答していません（顧客が取り下げた質問と思われます。回答が必要なら Excel で再表示してから実行してください）: ${list}${more}`
        : `${hidden.length} hidden row${hidden.length === 1 ? '' : 's'} skipped (usually questions the customer withdrew; unhide them in Excel to have them answered): ${list}${more}`,
    );
  }
  const examples = classified.filter((c) => c.example);
  if (examples.length > 0) {
    const cells = examples.map((c) => questionCell(sheet, questionCol, c.row)).join(', ');
    out.push(
      lang === 'ja'
        ? `記入例の行 ${examples.length} 件は回答していません: ${cells}`
        : `${examples.length} filled-in example row${examples.length === 1 ? '' : 's'} not answered: ${cells}`,
    );
  }
  const other = classified.filter((c) => c.otherTable);
  const first = other[0];
  const last = other[other.length - 1];
  if (first && last) {
    const range = first.row === last.row ? `${first.row}` : `${first.row}${lang === 'ja' ? '〜' : '–'}${last.row}`;
    out.push(
      lang === 'ja'
        ? `シート「${sheet}」の ${range} 行目は列の並びが異なる2つ目の表のようです（${first.row}行目: ${first.text}）: 読み取っていません。別のシートに移してから実行してください`
        : `sheet "${sheet}" rows ${range} look like a second table with another layout (row ${first.row}: ${first.text}): not read; move them to a sheet of their own and run again`,
    );
  }
  return out;
}

/**
 * The language of the sheet's labels (要確認 / Needs review, 下書き / Draft…): what most of its
 * questions are written in, the headers deciding a tie. Each text counts by its share of
 * Japanese script, not by holding one Japanese character: a pasted English question with a
 * "・" bullet or a Japanese company name once turned every label of an English sheet Japanese.
 */
function sheetLanguage(headers: string[], questions: string[]): Language {
  let ja = 0;
  let en = 0;
  for (const q of questions) {
    const lang = textLanguage(q);
    if (lang === 'ja') ja++;
    else if (lang === 'en') en++;
  }
  if (ja !== en) return ja > en ? 'ja' : 'en';
  return textLanguage(headers.join(' ')) ?? detectLanguage(headers.join(' '));
}

/** About how many Latin letters one Japanese character stands for (a word is ~5 letters, or ~2 characters). */
const LATIN_PER_JAPANESE = 2.5;
/** A Japanese character as detectLanguage reads one: cells are counted as written, so halfwidth katakana count. */
const JAPANESE_CHAR = new RegExp(`[${JAPANESE_CLASS}]`, 'gu');

/** The language most of a text is written in; null when it has neither script (numbers, symbols). */
export function textLanguage(text: string): Language | null {
  const japanese = (text.match(JAPANESE_CHAR) ?? []).length;
  const latin = (text.match(/[A-Za-z]/g) ?? []).length;
  if (japanese === 0 && latin === 0) return null;
  return japanese * LATIN_PER_JAPANESE >= latin ? 'ja' : 'en';
}

/**
 * The question column of a sheet whose header row names only the answer side: of the
 * columns left of `before`, the one with the longest texts below the header that are not
 * numbering; and the column of numbers (GNRL-01...) beside it, if there is one.
 */
function inferQuestionColumn(
  sheet: GridSheet,
  headerRow: number,
  before: number,
  roleOf: Map<number, Role>,
): { questionCol: number; refCol: number | null } | null {
  const rows = usedRows(sheet)
    .filter((r) => r > headerRow)
    .slice(0, 200);
  let best: { col: number; avg: number } | null = null;
  let refCol: number | null = null;
  for (let col = 1; col < before; col++) {
    if (roleOf.has(col) || sheet.hiddenCols.has(col)) continue;
    const texts = rows.map((r) => cellText(sheet, r, col).trim()).filter((t) => t !== '');
    if (texts.length === 0) continue;
    const numbering = texts.filter((t) => isNumbering(t)).length;
    if (numbering * 10 >= texts.length * 6) {
      refCol ??= col;
      continue;
    }
    const avg = texts.reduce((n, t) => n + t.length, 0) / texts.length;
    if (!best || avg > best.avg) best = { col, avg };
  }
  return best ? { questionCol: best.col, refCol: refCol !== null && refCol !== best.col ? refCol : null } : null;
}

function avgLength(sheet: GridSheet, col: number, headerRow: number | null): number {
  let n = 0;
  let total = 0;
  for (const r of usedRows(sheet)) {
    if (headerRow !== null && r <= headerRow) continue;
    const t = cellText(sheet, r, col);
    if (t) {
      n++;
      total += t.length;
    }
    if (n >= 100) break;
  }
  return n === 0 ? 0 : total / n;
}

/** Largest number of distinct choice ranges of one sheet taken out of detection (each costs a pass over the cells). */
const MAX_CHOICE_RANGES = 50;

/** The ranges of this sheet its own dropdowns take their choices from, other than the dropdown cells themselves. */
function choiceRanges(sheet: GridSheet): CellRange[] {
  const seen = new Map<string, CellRange>();
  for (const v of sheet.validations) {
    const r = v.choicesAt;
    if (!r || seen.size >= MAX_CHOICE_RANGES || v.ranges.some((t) => overlaps(t, r))) continue;
    seen.set(`${r.top}:${r.left}:${r.bottom}:${r.right}`, r);
  }
  return [...seen.values()];
}

function overlaps(a: CellRange, b: CellRange): boolean {
  return a.left <= b.right && b.left <= a.right && a.top <= b.bottom && b.top <= a.bottom;
}

/** The sheet as detection sees it: the same, without the cells inside `ranges`. */
function withoutCells(sheet: GridSheet, ranges: CellRange[]): GridSheet {
  if (ranges.length === 0) return sheet;
  const cells = new Map<number, Map<number, string>>();
  for (const [r, row] of sheet.cells) {
    const kept = new Map([...row].filter(([c]) => !ranges.some((g) => rangeContains(g, r, c))));
    if (kept.size > 0) cells.set(r, kept);
  }
  return { ...sheet, cells };
}

function cellCount(sheet: GridSheet): number {
  let n = 0;
  for (const row of sheet.cells.values()) n += row.size;
  return n;
}

function rangeText(r: CellRange): string {
  const a = `${columnLetter(r.left)}${r.top}`;
  const b = `${columnLetter(r.right)}${r.bottom}`;
  return a === b ? a : `${a}:${b}`;
}

/**
 * A header naming an evaluation with no owner ("評価", "判定", "Evaluation"): the customer's
 * column when the sheet has an answer column beside it, the vendor's when it is the only
 * place with a dropdown to answer in. One that says who fills it in (評価(弊社記入)) never is.
 */
function isEvaluationHeader(header: string): boolean {
  const raw = normHeader(header);
  const bare = normHeader(header.normalize('NFKC').replace(BRACKETS, ''));
  return ['評価', '評価結果', '判定', 'evaluation'].includes(bare) && !/記入|analyst|internal|institution|override/u.test(raw);
}

/**
 * The first empty, unnamed column right of the questions, inside the table: never past the
 * header row's last column, where what is written sits outside what the customer reads as
 * the questionnaire (without a header row, the 20 columns right of the questions).
 */
function findEmptyColumn(
  sheet: GridSheet,
  headerRow: number | null,
  questionCol: number,
  protectedCols: Set<number>,
  commentCol: number | null,
  rows: Classified[],
  headers: Record<number, string>,
): number | null {
  const headerEnd = headerRow === null ? null : Math.max(0, ...[...(sheet.cells.get(headerRow)?.keys() ?? [])].map((c) => mergeCovering(sheet, headerRow, c)?.right ?? c));
  const limit = headerEnd ?? Math.min(sheet.maxCol + 1, questionCol + 20);
  for (let col = questionCol + 1; col <= limit; col++) {
    if (protectedCols.has(col) || col === commentCol || sheet.hiddenCols.has(col)) continue;
    const header = headers[col];
    if (header && classifyHeader(header) === null) continue; // a column the customer named for something else
    const filled = rows.filter((c) => cellText(sheet, c.row, col) !== '').length;
    if (filled <= rows.length * 0.1) return col;
  }
  return null;
}

function classifyRows(
  sheet: GridSheet,
  header: HeaderCandidate | null,
  questionCol: number,
  refCol: number | null,
  categoryCol: number | null,
  targets: Array<number | null>,
): Classified[] {
  const out: Classified[] = [];
  const headerRow = header?.row ?? null;
  // The header's named cells (Answer, Additional Information, Guidance...): a row below that
  // repeats most of them is the header again, per section or per printed page.
  const named = [...(header?.cells.keys() ?? [])].map((c) => [c, normHeader(cellText(sheet, headerRow ?? 0, c))] as const).filter(([, h]) => h !== '');
  const sectionOf = (row: number, cells: Array<[number, string]>): string => {
    const rest = cells.filter(([c, t]) => c <= questionCol && !named.some(([n, h]) => n === c && normHeader(t) === h));
    return cleanText(rest.map(([, t]) => t).join(' '));
  };
  // Once a second header of another layout is found, every row below it belongs to that table.
  let otherTable = false;
  for (const row of usedRows(sheet)) {
    if (headerRow !== null && row < headerRow) continue;
    const cells = [...(sheet.cells.get(row) ?? new Map<number, string>())].filter(([, t]) => t.trim() !== '');
    if (row === header?.subRow) continue;
    if (otherTable) {
      out.push({ row, kind: 'skip', text: '', otherTable: true });
      continue;
    }
    if (row === headerRow) {
      // "<Section name> | Answer | ...": the section name heads the rows below.
      const section = sectionOf(row, cells);
      if (section !== '') out.push({ row, kind: 'heading', text: section });
      continue;
    }
    // A question cell saved as a formula without its result has no text: read the literals
    // it joins if that is all it is, else name it (never dropped as an empty row).
    const source = cellText(sheet, row, questionCol) === '' ? sheet.uncomputed.get(`${row}:${questionCol}`) : undefined;
    if (source !== undefined) {
      const shown = source === '' ? null : formulaDisplayText(source);
      out.push(shown === null ? { row, kind: 'unread', text: '', why: 'uncomputed' } : { row, kind: 'question', text: cleanText(shown) });
      continue;
    }
    if (cells.length === 0) continue;
    const repeats = named.filter(([c, h]) => normHeader(cellText(sheet, row, c)) === h).length;
    if (named.length >= 2 && repeats >= 2 && repeats * 2 >= named.length) {
      const section = sectionOf(row, cells);
      out.push({ row, kind: section === '' ? 'skip' : 'heading', text: section, repeatedHeader: true });
      continue;
    }
    if (headerRow !== null && readsAsHeader(cells)) {
      // Header words again, but the question header elsewhere: a second table (基本項目 / 追加確認事項)
      // whose columns mean other things. Reading it with the first table's columns answered its header
      // row as a question and never read its questions.
      if (classifyHeader(cellText(sheet, row, questionCol))?.role === 'question') out.push({ row, kind: 'skip', text: '', repeatedHeader: true });
      else {
        otherTable = true;
        out.push({ row, kind: 'skip', text: cells.map(([, t]) => t.trim()).join(' | '), otherTable: true });
      }
      continue;
    }
    if (sheet.hiddenRows.has(row)) {
      // A hidden row is usually a question the customer withdrew: named, never drafted.
      const text = cellText(sheet, row, questionCol).trim();
      if (text !== '' && !isNumbering(text)) out.push({ row, kind: 'skip', text: cleanText(text), hidden: true });
      continue;
    }
    const q = cellText(sheet, row, questionCol).trim();
    if (q !== '' && isExampleRow(cells, questionCol, q)) {
      out.push({ row, kind: 'skip', text: cleanText(q), example: true });
      continue;
    }
    // A merge across the question column and a target column is a section heading band.
    const band = cells.some(([c]) => {
      const m = mergeCovering(sheet, row, c);
      return m !== undefined && m.top === row && m.right > m.left && m.left <= questionCol && m.right >= questionCol &&
        (targets.some((t) => t !== null && t >= m.left && t <= m.right) || cells.length === 1);
    });
    if (band) {
      out.push({ row, kind: 'heading', text: cleanText(cells.map(([, t]) => t).join(' ')) });
      continue;
    }
    if (COPYRIGHT.test(q)) {
      out.push({ row, kind: 'skip', text: '' });
      continue;
    }
    if (cells.length === 1) {
      const [col, text] = cells[0] ?? [0, ''];
      if (isNumbering(text)) out.push({ row, kind: 'skip', text });
      else if (col !== questionCol) out.push({ row, kind: 'heading', text: cleanText(text) });
      else out.push(questionOf(row, text));
      continue;
    }
    if (q === '' || isNumbering(q)) {
      // No question text: a heading if one real text sits left of the question column
      // (e.g. "2. アクセス管理" in column A), else numbering or stray cells.
      const texts = cells.filter(([c, t]) => !isNumbering(t) && c !== refCol && c !== categoryCol && !targets.includes(c));
      const only = texts[0];
      if (texts.length === 1 && only && only[0] < questionCol) out.push({ row, kind: 'heading', text: cleanText(only[1]) });
      else out.push({ row, kind: 'skip', text: '' });
      continue;
    }
    out.push(questionOf(row, q));
  }
  return out;
}

/**
 * A row every text of which is a header word, naming a question column and a place for the
 * answer (No. | 質問 | 回答 | 備考): a header row, never a question.
 */
function readsAsHeader(cells: Array<[number, string]>): boolean {
  if (cells.length < 3 || cells.length > 60) return false;
  const roles = new Set<Role>();
  for (const [, t] of cells) {
    const m = classifyHeader(t.trim());
    if (!m) return false;
    roles.add(m.role);
  }
  return roles.has('question') && (roles.has('answer') || roles.has('status') || roles.has('comment'));
}

/** A question row, read as the text the cell shows; a cell that is a formula is `unread` (./formula-text.ts). */
function questionOf(row: number, raw: string): Classified {
  const read = readQuestionText(raw);
  return read.kind === 'formula' ? { row, kind: 'unread', text: '', why: 'formula' } : { row, kind: 'question', text: cleanText(read.text) };
}

/** A copyright or licence line at the foot of a sheet, not a question. */
const COPYRIGHT = /^(©|\(c\)\s|copyright\b|all rights reserved)/iu;

function buildRows(sheet: GridSheet, layout: SheetLayout, classified: Classified[]): QuestionRow[] {
  const rows: QuestionRow[] = [];
  let section = '';
  for (const c of classified) {
    if (c.kind === 'heading') section = c.text;
    if (c.kind !== 'question') continue;
    const get = (col: number | null): string => (col === null ? '' : cellText(sheet, c.row, col).trim());
    const shown = (col: number | null): string => (col === null ? '' : shownText(sheet, c.row, col).trim());
    const category = cleanText(shown(layout.categoryCol));
    rows.push({
      sheet: sheet.name,
      row: c.row,
      key: `${sheet.name}!R${c.row}`,
      cell: questionCell(sheet.name, layout.questionCol, c.row),
      ref: cleanText(shown(layout.refCol)),
      section: section || category,
      category,
      question: withItem(cleanText(shown(layout.itemCol)), c.text),
      existing: { answer: given(get(layout.answerCol)), status: layout.statusKind === 'columns' ? markedChoices(sheet, layout, c.row) : given(get(layout.statusCol)), comment: get(layout.commentCol) },
    });
  }
  return rows;
}

/** What a row's mark columns say was chosen: the words of the columns holding a mark ("No"), '' when none does. */
function markedChoices(sheet: GridSheet, layout: SheetLayout, row: number): string {
  return layout.markCols
    .filter((m) => isAnswered(cellText(sheet, row, m.col)))
    .map((m) => m.word)
    .join(' / ');
}

/**
 * Where a status value goes, and as what: for per-choice mark columns, the sheet's mark in the
 * column whose word is `value` (the value is one of `statusWords`); for every other kind, `value`
 * itself in `col`. `col` null: no cell takes it. The writer (src/questionnaire/fill.ts) puts
 * every status through this, so it never writes a word into a mark column.
 */
export function statusCell(layout: SheetLayout, col: number | null, value: string | null): { col: number | null; value: string } {
  if (value === null || col === null) return { col: null, value: '' };
  if (layout.statusKind !== 'columns') return { col, value };
  const m = layout.markCols.find((c) => c.word === value);
  return m ? { col: m.col, value: layout.mark ?? m.word } : { col: null, value: '' };
}

/**
 * The list a status written at (row, col) must come from, if any: the cell's validation list,
 * except in per-choice mark columns, whose choices are their headers (a dropdown there offers
 * the mark, "○", not the status).
 */
export function statusListAt(sheet: GridSheet, layout: SheetLayout, row: number, col: number): ListValidation | undefined {
  return layout.statusKind === 'columns' ? undefined : validationAt(sheet, row, col);
}

/** A mark quoted in an instruction above the table ("Enter "X" in the column that applies", 該当する欄に「○」): the sheet's own. */
const QUOTED_MARK = /[「『"'“‘]([○〇◯✓✔●xX])[」』"'”’]/u;

/**
 * What goes in the chosen mark column: the mark the sheet already uses (in rows answered
 * before, a dropdown offering one mark, a quoted mark in the instructions above the header),
 * else ○ on a Japanese sheet (where an X reads as ×, "no") and X on any other. Null when the
 * rows answered before hold each column's own word ("Yes" under Yes).
 */
function markOf(sheet: GridSheet, marks: MarkColumn[], rows: number[], headerRow: number | null, lang: Language): string | null {
  const seen = new Map<string, number>();
  let own = 0;
  let n = 0;
  for (const r of rows) {
    for (const m of marks) {
      const t = cellText(sheet, r, m.col).trim();
      if (!isAnswered(t)) continue;
      n++;
      if (normHeader(t) === normHeader(m.word)) own++;
      else seen.set(t, (seen.get(t) ?? 0) + 1);
    }
  }
  if (n > 0 && own * 2 > n) return null;
  const usual = [...seen].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (usual !== undefined && [...usual].length <= 2) return usual;
  for (const r of rows.slice(0, 50)) {
    for (const m of marks) {
      const only = validationAt(sheet, r, m.col)?.values;
      if (only?.length === 1 && only[0] !== undefined && [...only[0]].length <= 2) return only[0];
    }
  }
  for (const r of usedRows(sheet)) {
    if (headerRow === null || r >= headerRow) break;
    for (const t of sheet.cells.get(r)?.values() ?? []) {
      const quoted = QUOTED_MARK.exec(t.normalize('NFKC'))?.[1];
      if (quoted !== undefined) return quoted;
    }
  }
  return lang === 'ja' ? '○' : 'X';
}

/**
 * What a cell says was answered: '' for a choice placeholder (□ 対応済 □ 未対策, はい / いいえ),
 * the ticked choices of a checkbox cell (■ 対応済 □ 未対策 → 対応済), else the text.
 */
function given(text: string): string {
  if (isChoicePlaceholder(text)) return '';
  const ticked = checkboxChoices(text).filter((c) => c.marked);
  return ticked.length > 0 ? ticked.map((c) => c.label).join(' / ') : text;
}

/** A row named by its question cell (`質問票!C38`), as the review queue names it. */
export function questionCell(sheet: string, questionCol: number, row: number): string {
  return `${sheet}!${columnLetter(questionCol)}${row}`;
}

/** "提供時間帯: サービスを利用できる時間帯": the item name first, unless the question already says it. */
function withItem(item: string, question: string): string {
  return item === '' || question.includes(item) ? question : `${item}: ${question}`;
}

export interface SkippedSheet {
  sheet: string;
  why: string;
}

/** Every sheet not read, with why: the CLI and the Slack reply list them, so no sheet is dropped silently. */
export function skippedSheets(layout: WorkbookLayout): SkippedSheet[] {
  return layout.sheets.filter((g) => g.skipped !== null || g.layout === null).map((g) => ({ sheet: g.sheet, why: g.skipped ?? 'no layout' }));
}

/** The one line a user reads about a skipped sheet, the same on every surface. */
export function skippedSheetLine(s: SkippedSheet): string {
  return `sheet "${s.sheet}": skipped — ${s.why}`;
}

/** Human-readable description of a guess, for the CLI and Slack. */
export function describeLayout(layout: WorkbookLayout): string[] {
  const lines: string[] = [];
  for (const g of layout.sheets) {
    if (g.skipped !== null || !g.layout) {
      lines.push(`Sheet "${g.sheet}": skipped (${g.skipped ?? 'no layout'})`);
      continue;
    }
    const l = g.layout;
    // Per-choice mark columns are one status column: named by their span (F–H).
    const last = l.markCols.at(-1);
    const span = (c: number): string => (c === l.statusCol && last !== undefined ? `${columnLetter(c)}–${columnLetter(last.col)}` : columnLetter(c));
    const col = (c: number | null, what: string): string | null =>
      c === null ? null : `${what} ${span(c)}${l.headers[c] ? ` "${l.headers[c]}"` : ''}`;
    const parts = [
      col(l.questionCol, 'question'),
      col(l.answerCol, 'answer'),
      col(l.statusCol, 'status'),
      col(l.commentCol, 'comment'),
      col(l.refCol, 'number'),
      col(l.itemCol, 'item'),
    ].filter((p): p is string => p !== null);
    lines.push(
      `Sheet "${g.sheet}": header row ${l.headerRow ?? '(none)'}; ${parts.join(', ')}; ${g.rows.length} questions (confidence ${g.confidence})`,
    );
    for (const n of g.notes) lines.push(`  - ${n}`);
  }
  return lines;
}
