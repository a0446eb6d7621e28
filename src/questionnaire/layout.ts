/**
 * Finds where the questions are in a customer's questionnaire, JA or EN: the header row,
 * the question / answer / status / comment / number / category columns, section headings,
 * and which sheets to skip. Pure: works on the `Grid` model only, so it is shared by the
 * answering job and by the corpus parser of previously answered questionnaires.
 *
 * Detection is heuristic, so it says what it guessed (`LayoutGuess.notes`, `confidence`)
 * and takes overrides (`--sheet`, `--question-col`, `--answer-col`, ...). It never picks a
 * column that holds the questions, numbers or categories as a place to write.
 */
import { cleanText } from '../corpus/clean.js';
import { detectLanguage, type Language } from '../domain.js';
import { InputError } from '../errors.js';
import {
  cellText,
  columnLetter,
  columnNumber,
  mergeCovering,
  usedRows,
  validationAt,
  type Grid,
  type GridSheet,
  type ListValidation,
} from './grid.js';
import { isStatusList } from './status.js';

export type Role = 'question' | 'answer' | 'status' | 'comment' | 'ref' | 'category';

/** A column given by the user: letter (`D`), 1-based number (`4`, "4") or header text (`回答`). */
export type ColumnRef = string | number;

export interface LayoutOverrides {
  sheet?: string;
  questionCol?: ColumnRef;
  answerCol?: ColumnRef;
  statusCol?: ColumnRef;
  commentCol?: ColumnRef;
}

export interface SheetLayout {
  sheet: string;
  /** 1-based; null when columns were given by the user and no header row was found. */
  headerRow: number | null;
  questionCol: number;
  /** Where the drafted answer text goes (a free-text column), or null. */
  answerCol: number | null;
  /** Where a status value goes (a list-validated or 実施状況/Status column), or null. */
  statusCol: number | null;
  /** Where citations and review markers go (and the text, when there is no answer text column). */
  commentCol: number | null;
  refCol: number | null;
  categoryCol: number | null;
  language: Language;
  /** Header text per column, for messages. */
  headers: Record<number, string>;
}

/** One question row of a sheet. */
export interface QuestionRow {
  sheet: string;
  row: number;
  /** `${sheet}!R${row}`: stable key for checkpoints and reports. */
  key: string;
  /** The sheet's own number for the row (No. / 項番), or ''. */
  ref: string;
  /** The nearest section heading above the row, else the category cell, else ''. */
  section: string;
  category: string;
  /** The question or statement, cleaned (HTML remnants removed, NFKC, whitespace collapsed). */
  question: string;
  /** What the target cells already hold. */
  existing: { answer: string; status: string; comment: string };
}

export interface LayoutGuess {
  sheet: string;
  layout: SheetLayout | null;
  rows: QuestionRow[];
  /** 0..1: how sure detection is. Below UNSURE_BELOW the CLI prints the guess. */
  confidence: number;
  /** What was guessed or noticed, in sentences a user can check. */
  notes: string[];
  /** Why the sheet is not processed, or null when it is. */
  skipped: string | null;
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
      '要求事項', '規定内容', '管理策', 'question', 'questions', 'questiontext', 'control', 'controlquestion',
      'controlspecification', 'controlstatement', 'requirement', 'requirements', 'securityrequirement', 'criteria',
    ],
    weak: ['項目', '内容', '要件', 'item', 'description', 'statement', 'query'],
  },
  answer: {
    strong: [
      '回答', 'ご回答', '回答欄', '回答内容', '貴社回答', '貴社ご回答', '回答結果', 'ベンダー回答', '御社回答', 'response',
      'responses', 'answer', 'answers', 'vendorresponse', 'vendoranswer', 'yourresponse', 'supplierresponse',
      'vendorreply',
    ],
    weak: ['reply'],
  },
  status: {
    strong: [
      '実施状況', '対応状況', '対応可否', '実施有無', '対応有無', '可否', '適合状況', '準拠状況', 'status', 'yes/no', 'y/n',
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
  category: {
    strong: [
      '区分', '分類', 'カテゴリ', 'カテゴリー', '大項目', '中項目', '小項目', '大分類', '中分類', '小分類', '領域', 'category',
      'domain', 'controldomain', 'controlfamily', 'section', 'area', 'topic', 'group',
    ],
    weak: [],
  },
};

// Priority when a header matches two roles equally (e.g. a bare "回答" never becomes a comment).
const ROLE_ORDER: Role[] = ['ref', 'question', 'answer', 'status', 'comment', 'category'];

// Sheets that explain how to fill in the questionnaire, list choices or track revisions.
const INSTRUCTION_SHEET =
  /記入要領|記入方法|記入例|説明|注意事項|はじめに|手順|使い方|表紙|改訂|変更履歴|目次|選択肢|リスト|instruction|readme|read me|guide|guidance|how to|cover|overview|introduction|revision|change ?log|history|glossary|definition|dropdown|^lists?$/i;

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
  return best;
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
  cells: Map<number, HeaderMatch>;
  score: number;
}

function findHeaderRow(sheet: GridSheet): HeaderCandidate | null {
  let best: HeaderCandidate | null = null;
  for (const row of usedRows(sheet).slice(0, 60)) {
    const cells = new Map<number, HeaderMatch>();
    for (const [col, text] of sheet.cells.get(row) ?? []) {
      const m = classifyHeader(text);
      if (m) cells.set(col, m);
    }
    const roles = new Set([...cells.values()].map((m) => m.role));
    if (!roles.has('question')) continue;
    if (!roles.has('answer') && !roles.has('status') && !roles.has('comment')) continue;
    let score = 4;
    if (roles.has('answer') || roles.has('status')) score += 3;
    if (roles.has('comment')) score += 2;
    if (roles.has('ref')) score += 1;
    if (roles.has('category')) score += 1;
    for (const m of cells.values()) score += m.score / 10;
    if (!best || score > best.score) best = { row, cells, score };
  }
  return best;
}

/** Resolves a user's column reference against the header row. */
export function resolveColumn(sheet: GridSheet, headerRow: number | null, ref: ColumnRef, what: string): number {
  if (typeof ref === 'number') return checkCol(ref, what);
  const text = ref.trim();
  if (/^\d+$/.test(text)) return checkCol(Number(text), what);
  // Header text first: "No" is both a header and a column name (NO = column 379). Text
  // that could be a column letter must match a header exactly, else it is the letter.
  if (headerRow !== null) {
    const want = normHeader(text);
    const row = sheet.cells.get(headerRow) ?? new Map<number, string>();
    for (const [col, h] of row) if (normHeader(h) === want) return col;
    if (!/^[A-Za-z]{1,3}$/.test(text)) for (const [col, h] of row) if (want.length >= 2 && normHeader(h).includes(want)) return col;
  }
  const byLetter = columnNumber(text);
  if (!Number.isNaN(byLetter)) return checkCol(byLetter, what);
  const headers = headerRow === null ? [] : [...(sheet.cells.get(headerRow) ?? new Map<number, string>()).values()];
  throw new InputError(
    `${what} "${ref}" is neither a column letter, a column number nor a header of sheet "${sheet.name}"`,
    headers.length > 0 ? `Headers found: ${headers.map((h) => `"${h}"`).join(', ')}.` : 'Give a column letter such as D.',
  );
}

function checkCol(col: number, what: string): number {
  if (!Number.isInteger(col) || col < 1 || col > 16_384) {
    throw new InputError(`${what} ${col} is not a column number (1-16384)`, 'Give a column letter such as D, or its number.');
  }
  return col;
}

interface Classified {
  row: number;
  kind: 'question' | 'heading' | 'skip';
  text: string;
}

/** Finds the layout of every sheet. Throws InputError only for contradictory overrides. */
export function detectLayout(grid: Grid, overrides: LayoutOverrides = {}, purpose: 'answer' | 'qa' = 'answer'): WorkbookLayout {
  if (overrides.sheet !== undefined && !grid.sheets.some((s) => s.name === overrides.sheet)) {
    throw new InputError(
      `there is no sheet "${overrides.sheet}"`,
      `Sheets: ${grid.sheets.map((s) => `"${s.name}"`).join(', ')}.`,
    );
  }
  const sheets = grid.sheets.map((sheet) => {
    if (overrides.sheet !== undefined && sheet.name !== overrides.sheet) {
      return skippedGuess(sheet.name, `not the sheet asked for (--sheet "${overrides.sheet}")`);
    }
    return detectSheet(sheet, overrides, overrides.sheet !== undefined, purpose);
  });
  const used = sheets.filter((s) => s.skipped === null);
  const confidence = used.length === 0 ? 0 : Math.min(...used.map((s) => s.confidence));
  return { sheets, confidence, unsure: confidence < UNSURE_BELOW };
}

function skippedGuess(sheet: string, why: string, notes: string[] = []): LayoutGuess {
  return { sheet, layout: null, rows: [], confidence: 0, notes, skipped: why };
}

function detectSheet(sheet: GridSheet, o: LayoutOverrides, chosen: boolean, purpose: 'answer' | 'qa'): LayoutGuess {
  const notes: string[] = [];
  if (!chosen && sheet.hidden) return skippedGuess(sheet.name, 'hidden sheet');
  if (!chosen && INSTRUCTION_SHEET.test(sheet.name)) return skippedGuess(sheet.name, 'instruction or reference sheet (by its name)');
  if (sheet.cells.size === 0) return skippedGuess(sheet.name, 'empty sheet');

  const header = findHeaderRow(sheet);
  const hasColumnOverride = o.questionCol !== undefined;
  if (!header && !hasColumnOverride) {
    return skippedGuess(sheet.name, 'no header row naming a question column and an answer or comment column', [
      'Headers recognised include 質問/確認事項/項目/Question/Control, 回答/実施状況/Response/Answer and 備考/Comments.',
    ]);
  }
  const headerRow = header?.row ?? null;
  const headers: Record<number, string> = {};
  if (headerRow !== null) for (const [c, t] of sheet.cells.get(headerRow) ?? []) headers[c] = t;
  const byRole = (role: Role): Array<{ col: number; m: HeaderMatch }> =>
    [...(header?.cells ?? new Map<number, HeaderMatch>())]
      .filter(([, m]) => m.role === role)
      .map(([col, m]) => ({ col, m }))
      .sort((a, b) => b.m.score - a.m.score || a.col - b.col);

  let confidence = 1;

  // --- question column
  let questionCol: number;
  if (o.questionCol !== undefined) {
    questionCol = resolveColumn(sheet, headerRow, o.questionCol, '--question-col');
  } else {
    const qs = byRole('question');
    const first = qs[0];
    if (!first) return skippedGuess(sheet.name, 'no question column');
    questionCol = first.col;
    if (qs.length > 1) {
      // Several question-like headers (大項目/項目/確認事項): the strongest name wins, then
      // the column with the longest texts, since questions are sentences.
      const top = qs.filter((q) => q.m.score === first.m.score);
      if (top.length > 1) {
        questionCol = top.map((q) => q.col).sort((a, b) => avgLength(sheet, b, headerRow) - avgLength(sheet, a, headerRow))[0] ?? first.col;
        confidence -= 0.15;
      }
      notes.push(
        `several question-like headers (${qs.map((q) => `${columnLetter(q.col)} "${headers[q.col] ?? ''}"`).join(', ')}); questions taken from ${columnLetter(questionCol)}`,
      );
    }
    if (first.m.score < 3) {
      confidence -= 0.15;
      notes.push(`question column ${columnLetter(questionCol)} guessed from header "${headers[questionCol] ?? ''}"`);
    }
  }

  const pick = (role: Role): number | null => {
    const c = byRole(role).find((x) => x.col !== questionCol);
    return c ? c.col : null;
  };
  const refCol = pick('ref');
  const categoryCol = pick('category');
  // Every column whose header names it as question-like holds the customer's text, even
  // when the user chose another one as the question column.
  const protectedCols = new Set(
    [questionCol, refCol, categoryCol, ...byRole('question').map((q) => q.col)].filter((c): c is number => c !== null),
  );

  // Sample rows below the header to see which columns carry a list validation.
  const sample = usedRows(sheet)
    .filter((r) => headerRow === null || r > headerRow)
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
  const answerish = [...byRole('answer'), ...byRole('status')].sort((a, b) => a.col - b.col);
  const candidates = answerish.filter((x) => !protectedCols.has(x.col));
  const detectedStatus = (exclude: number | null): number | null =>
    (candidates.find((x) => x.col !== exclude && listOf(x.col) !== null) ??
      candidates.find((x) => x.col !== exclude && (x.m.role === 'status' || x.m.statusHint)))?.col ?? null;
  if (o.answerCol !== undefined) {
    // "When the answer column carries a validation list, it is a status column."
    const c = resolveColumn(sheet, headerRow, o.answerCol, '--answer-col');
    if (listOf(c)) statusCol = c;
    else {
      answerCol = c;
      statusCol = detectedStatus(c);
    }
  } else {
    statusCol = detectedStatus(null);
    answerCol = candidates.find((x) => x.col !== statusCol && listOf(x.col) === null && x.m.role !== 'status')?.col ?? null;
  }
  if (o.statusCol !== undefined) {
    statusCol = resolveColumn(sheet, headerRow, o.statusCol, '--status-col');
    if (answerCol === statusCol) answerCol = null;
  }

  // --- comment column
  let commentCol: number | null;
  if (o.commentCol !== undefined) commentCol = resolveColumn(sheet, headerRow, o.commentCol, '--comment-col');
  else commentCol = byRole('comment').find((x) => !protectedCols.has(x.col) && x.col !== answerCol && x.col !== statusCol)?.col ?? null;

  for (const [flag, col] of [
    ['--answer-col', answerCol],
    ['--status-col', statusCol],
    ['--comment-col', commentCol],
  ] as const) {
    if (col !== null && protectedCols.has(col)) {
      throw new InputError(
        `${flag} ${columnLetter(col)} is the ${col === refCol ? 'number' : col === categoryCol ? 'category' : 'question'} column of sheet "${sheet.name}": kotae never writes over the customer's text`,
        'Choose the empty column where answers belong.',
      );
    }
  }

  // --- rows
  const classified = classifyRows(sheet, headerRow, questionCol, refCol, categoryCol, [answerCol, statusCol, commentCol]);
  let questionRows = classified.filter((c) => c.kind === 'question');
  if (refCol !== null && questionRows.length >= 3) {
    // Rows without a number among numbered questions, short and not phrased as a
    // question, are section headings written in the question column.
    const numbered = questionRows.filter((c) => cellText(sheet, c.row, refCol) !== '').length;
    if (numbered / questionRows.length >= 0.6) {
      let demoted = 0;
      for (const c of questionRows) {
        const only = [...(sheet.cells.get(c.row) ?? new Map<number, string>()).keys()].every((k) => k === questionCol || k === categoryCol);
        if (cellText(sheet, c.row, refCol) === '' && only && c.text.length <= 40 && !/[?？]|か[。．]?$/.test(c.text)) {
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
    const fallback = findEmptyColumn(sheet, questionCol, protectedCols, commentCol, questionRows, headers);
    if (fallback !== null) {
      answerCol = fallback;
      confidence -= 0.35;
      notes.push(`no answer column header found; answers go to the empty column ${columnLetter(fallback)}`);
    } else if (commentCol !== null) {
      confidence -= 0.25;
      notes.push(`no answer column found; drafted answers go to the comment column ${columnLetter(commentCol)}`);
    } else {
      return skippedGuess(sheet.name, 'no answer, status or comment column (pass --answer-col)', notes);
    }
  }
  if (purpose === 'qa' && answerCol === null && statusCol === null && commentCol === null) {
    return skippedGuess(sheet.name, 'no answer column', notes);
  }

  if (statusCol !== null) {
    const list = listOf(statusCol);
    if (list) {
      if (list.values === null) {
        confidence -= 0.1;
        notes.push(`status column ${columnLetter(statusCol)} has a list (${list.source}) that cannot be resolved: no status will be written`);
      } else {
        notes.push(`status column ${columnLetter(statusCol)} "${headers[statusCol] ?? ''}" takes values from its list: ${list.values.join(' / ')}`);
      }
    } else {
      notes.push(`status column ${columnLetter(statusCol)} "${headers[statusCol] ?? ''}" has no list: standard marks are used`);
    }
  }
  if (purpose === 'answer' && commentCol === null) {
    confidence -= 0.05;
    notes.push('no comment column: citations and review markers go into the answer cell');
  }
  if (purpose === 'answer' && statusCol !== null && answerCol === null && commentCol === null) {
    confidence -= 0.3;
    notes.push('only a status column: drafted text and citations cannot be written (pass --comment-col)');
  }
  if (purpose === 'answer') {
    const filled = questionRows.filter(
      (c) => (answerCol !== null && cellText(sheet, c.row, answerCol) !== '') || (statusCol !== null && cellText(sheet, c.row, statusCol) !== ''),
    ).length;
    if (filled > 0) notes.push(`${filled} of ${questionRows.length} question rows already have an answer`);
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
    questionCol,
    answerCol,
    statusCol,
    commentCol,
    refCol,
    categoryCol,
    language: detectLanguage(
      [...Object.values(headers), ...questionRows.slice(0, 10).map((c) => c.text)].join(' '),
    ),
    headers,
  };
  const rows = buildRows(sheet, layout, classified);
  return { sheet: sheet.name, layout, rows, confidence: Math.max(0, Math.round(confidence * 100) / 100), notes, skipped: null };
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

function findEmptyColumn(
  sheet: GridSheet,
  questionCol: number,
  protectedCols: Set<number>,
  commentCol: number | null,
  rows: Classified[],
  headers: Record<number, string>,
): number | null {
  const limit = Math.min(sheet.maxCol + 1, questionCol + 20);
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
  headerRow: number | null,
  questionCol: number,
  refCol: number | null,
  categoryCol: number | null,
  targets: Array<number | null>,
): Classified[] {
  const out: Classified[] = [];
  const headerKey = headerRow === null ? null : rowKey(sheet, headerRow);
  for (const row of usedRows(sheet)) {
    if (headerRow !== null && row <= headerRow) continue;
    const cells = [...(sheet.cells.get(row) ?? new Map<number, string>())].filter(([, t]) => t.trim() !== '');
    if (cells.length === 0) continue;
    if (headerKey !== null && rowKey(sheet, row) === headerKey) continue; // header repeated per printed page
    const q = cellText(sheet, row, questionCol).trim();
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
    if (cells.length === 1) {
      const [col, text] = cells[0] ?? [0, ''];
      if (isNumbering(text)) out.push({ row, kind: 'skip', text });
      else if (col !== questionCol) out.push({ row, kind: 'heading', text: cleanText(text) });
      else out.push({ row, kind: 'question', text: cleanText(text) });
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
    out.push({ row, kind: 'question', text: cleanText(q) });
  }
  return out;
}

function rowKey(sheet: GridSheet, row: number): string {
  return [...(sheet.cells.get(row) ?? new Map<number, string>())].map(([c, t]) => `${c}=${normHeader(t)}`).join('|');
}

function buildRows(sheet: GridSheet, layout: SheetLayout, classified: Classified[]): QuestionRow[] {
  const rows: QuestionRow[] = [];
  let section = '';
  for (const c of classified) {
    if (c.kind === 'heading') section = c.text;
    if (c.kind !== 'question') continue;
    const get = (col: number | null): string => (col === null ? '' : cellText(sheet, c.row, col).trim());
    const category = cleanText(get(layout.categoryCol));
    rows.push({
      sheet: sheet.name,
      row: c.row,
      key: `${sheet.name}!R${c.row}`,
      ref: cleanText(get(layout.refCol)),
      section: section || category,
      category,
      question: c.text,
      existing: { answer: get(layout.answerCol), status: get(layout.statusCol), comment: get(layout.commentCol) },
    });
  }
  return rows;
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
    const col = (c: number | null, what: string): string | null =>
      c === null ? null : `${what} ${columnLetter(c)}${l.headers[c] ? ` "${l.headers[c]}"` : ''}`;
    const parts = [
      col(l.questionCol, 'question'),
      col(l.answerCol, 'answer'),
      col(l.statusCol, 'status'),
      col(l.commentCol, 'comment'),
      col(l.refCol, 'number'),
    ].filter((p): p is string => p !== null);
    lines.push(
      `Sheet "${g.sheet}": header row ${l.headerRow ?? '(none)'}; ${parts.join(', ')}; ${g.rows.length} questions (confidence ${g.confidence})`,
    );
    for (const n of g.notes) lines.push(`  - ${n}`);
  }
  return lines;
}
