/**
 * Decides what goes into which cell of each answered row: the answer text, a status from
 * the sheet's own list, and the citations and 要確認 / needs-review markers in the
 * comment column. Rows without evidence get no guessed status; rows a reviewer rejected
 * (and, in an approved-only export, rows without an approved answer) get no answer, only
 * the marker saying why. The file for the customer (`CustomerFile`) carries approved answers
 * and their public sources only: no markers at all. Every value is escaped against formula
 * injection, and no cell that holds something already (other than a choice placeholder) is
 * written unless the user asked to overwrite. Formula cells, header rows, hidden sheets and
 * merged cells other than their top-left one are never written (cellBlocked). A checkbox cell
 * gets its chosen box marked in place; where a row has nothing but a status cell (or its text
 * cells cannot be written: a customer's remark in 備考 and no answer column), a row that needs
 * review gets no status at all: a bare ○ would look final. A question asking for a figure or a
 * description gets no yes/no in a yes/no column; a column offering a partial state (一部対応,
 * Partial) is a control-status column and gets every answered row's status.
 */
import type { Citation, Language, Status } from '../domain.js';
import { cellText, columnLetter, isFormulaCell, mergeCovering, validationAt, type GridSheet } from '../spreadsheet/grid.js';
import { statusCell, statusListAt, textLanguage, type QuestionRow, type SheetLayout } from '../spreadsheet/layout.js';
import type { RowResult, WithheldWhy } from './job.js';
import { isAnswered, isCheckboxCell, markCheckbox, pickStatusValue } from '../spreadsheet/status.js';
import type { CellWrite } from '../spreadsheet/format.js';
import { approvalLabel, sourceLabel } from '../source-label.js';
import { asksYesNo } from '../draft/question-form.js';

export type RowOutcomeKind = 'answered' | 'approved' | 'abstained' | 'failed' | 'rejected' | 'withheld' | 'kept';

export interface RowOutcome {
  key: string;
  sheet: string;
  row: number;
  /** The row's question cell (`質問票!C38`), as messages name the row. */
  cell: string;
  ref: string;
  question: string;
  outcome: RowOutcomeKind;
  /** Status written (domain value), or null. */
  status: Status | null;
  needsReview: boolean;
  /** Why the row needs review, in the questionnaire's language ('' when it does not). */
  reason: string;
  writes: CellWrite[];
  /** What was drafted or approved for the row, whether or not the file had room for it; null when nothing was. */
  answer: { text: string; status: Status; sources: string; confidence: number | null } | null;
  /**
   * The row's only place in the file is a status cell (a status-only sheet, or the customer's
   * remark fills the comment cell): its text, sources and flag are not in the file.
   */
  statusOnly: boolean;
  /** Cells whose text was longer than Excel allows and was cut at MAX_CELL (the run's notes name them). */
  cut: Array<{ col: number; chars: number }>;
}

const TEXT = {
  ja: {
    review: '要確認',
    noEvidence: '根拠資料に記載が見つかりません',
    sources: '根拠',
    closest: '最も近い記載',
    approved: '承認済みの回答',
    pending: '下書き(未承認)',
    failed: '回答を作成できませんでした',
    tooLong: (chars: number, limit: number) => `質問が長すぎるため自動では回答できません(${chars}文字、上限${limit}文字)`,
    rejected: (id: string, reason: string) => `レビューで却下されました${id}${reason ? `: ${reason}` : ''}`,
    withheld: {
      pending: (id: string) => `承認待ちの回答です${id}`,
      stale: (id: string) => `承認後に根拠資料が変更されたため、再確認が必要です${id}`,
      withdrawn: (id: string) => `承認済みの回答が取り下げられました${id}`,
      undrafted: () => '承認済みの回答がありません(下書き未作成)',
    },
    statusUnknown: '実施状況を判断できません',
    statusNotInList: (s: Status) => `状況「${STATUS_LABEL.ja[s]}」に当たる選択肢がこの列のリストにないため、状況は空欄のままです`,
    statusNotInHeader: (s: Status, header: string) => `状況「${STATUS_LABEL.ja[s]}」に当たる語がこの列の見出し（${header}）にないため、状況は空欄のままです`,
    approvedNotInList: (s: Status, choices: readonly string[]) =>
      `承認者が付けた状況「${STATUS_LABEL.ja[s]}」は、お客様のこの列の選択肢(${choices.join(' / ')})にありません。担当者がファイルで選択肢から1つ選んでください(承認のときにリストの値を --status ${choices.join('|')} で指定することもできます)。状況欄は空欄のままです`,
    cellTaken: '備考欄に既存の記載があるため、ここに記載します',
    textLost: '備考欄に既存の記載があるため(回答欄はありません)、回答をファイルに記入できず、状況も記入していません',
    textLostBesideStatus: (letter: string, header: string) =>
      `備考欄に既存の記載があるため、回答の文章を記入できる場所がありません(回答欄の${letter}列${header ? `「${header}」` : ''}は状況だけを記入する欄です)。要確認のため、状況も記入していません`,
    noRoom: 'この行には回答を記入できるセルがないため、状況も記入していません',
    notYesNo: 'はい/いいえで答える質問ではなく、この行には回答を記入できるセルがないため、状況は空欄のままです',
    cellRole: { status: '状況欄', answer: '回答欄', comment: '備考欄' },
    mergedCell: (cells: readonly string[]) => `この行の${cells.join('・')}が他のセルと結合されているため、そこには記入していません`,
  },
  en: {
    review: 'Needs review',
    noEvidence: 'no evidence found in the documents',
    sources: 'Sources',
    closest: 'Closest evidence',
    approved: 'Approved answer',
    pending: 'Draft, pending review',
    failed: 'could not draft an answer',
    tooLong: (chars: number, limit: number) => `question too long to answer automatically (${chars.toLocaleString('en-US')} characters; the limit is ${limit.toLocaleString('en-US')})`,
    rejected: (id: string, reason: string) => `rejected in review${id}${reason ? `: ${reason}` : ''}`,
    withheld: {
      pending: (id: string) => `the answer waits for approval${id}`,
      stale: (id: string) => `a cited source changed after approval; the answer must be checked again${id}`,
      withdrawn: (id: string) => `the approved answer was withdrawn${id}`,
      undrafted: () => 'no approved answer (not drafted yet)',
    },
    statusUnknown: 'the status could not be determined',
    statusNotInList: (s: Status) => `no choice for "${STATUS_LABEL.en[s]}" in this column's list, so the status cell is left empty`,
    statusNotInHeader: (s: Status, header: string) => `no choice for "${STATUS_LABEL.en[s]}" in this column's header (${header}), so the status cell is left empty`,
    approvedNotInList: (s: Status, choices: readonly string[]) =>
      `the approver's status "${STATUS_LABEL.en[s]}" has no value in the customer's list for this column (${choices.join(' / ')}): a person must pick one in the file (or, when approving, give one: --status ${choices.join('|')}); the status cell is left empty`,
    cellTaken: 'the comment cell already has text, so notes are given here',
    textLost: "the comment cell already holds the customer's text and there is no answer column, so neither the answer nor a status was written",
    textLostBesideStatus: (letter: string, header: string) =>
      `the comment cell already holds the customer's text and the answer column ${letter}${header ? ` "${header}"` : ''} takes only a status, so the text answer had nowhere to go; no status was written either, as the answer needs review`,
    noRoom: 'no cell of this row can take the answer, so no status was written either',
    notYesNo: 'not a yes/no question and no cell of this row can take the answer, so the status cell is left empty',
    cellRole: { status: 'status', answer: 'answer', comment: 'comment' },
    mergedCell: (cells: readonly string[]) =>
      `this row's ${cells.join(' and ')} cell${cells.length > 1 ? 's are' : ' is'} part of a merged cell that starts elsewhere, so nothing was written there`,
  },
} as const;

/** A status named in a note, in the sheet's language (a list's own words are the customer's; these are kotae's). */
const STATUS_LABEL: Record<Language, Record<Status, string>> = {
  ja: { yes: 'はい', no: 'いいえ', partial: '一部', not_applicable: '該当なし', unknown: '不明' },
  en: { yes: 'yes', no: 'no', partial: 'partial', not_applicable: 'not applicable', unknown: 'unknown' },
};

// Excel's limit per cell; longer text would make Excel repair the file.
export const MAX_CELL = 32_767;

/**
 * A cited source as the sheet names it: a reused approval reads in Japanese in a Japanese
 * sheet (根拠: 承認済みの回答「…」…), every other source by its own title.
 */
function citationLabel(c: Citation, lang: Language): string {
  return c.approval ? approvalLabel(c.approval, c.ref, lang) : sourceLabel(c);
}

function citationLine(citations: Citation[], lang: Language, label: 'sources' | 'closest' = 'sources'): string {
  if (citations.length === 0) return '';
  const items = citations.map((c) => citationLabel(c, lang));
  return `${TEXT[lang][label]}: ${items.join('; ')}`;
}

function marker(reason: string, lang: Language): string {
  return `${TEXT[lang].review}: ${reason}`;
}

function join(...parts: string[]): string {
  return parts.filter((p) => p.trim() !== '').join('\n');
}

function clip(text: string): string {
  return text.length > MAX_CELL ? `${text.slice(0, MAX_CELL - 1)}…` : text;
}

function reviewRef(id: string | number | null): string {
  return id === null ? '' : ` (review #${id})`;
}

function withheldReason(t: (typeof TEXT)[Language], why: WithheldWhy, id: string): string {
  return why === 'undrafted' ? t.withheld.undrafted() : t.withheld[why](id);
}

/**
 * The file sent to a customer (approved-only export): approved text and a readable source
 * note only. Rows without an approved answer stay empty; review notes, ids and markers are
 * for the command's own output, never the cells.
 */
export interface CustomerFile {
  /** The source note for an approved answer's citations, in the sheet's language; '' for none. */
  sources: (citations: Citation[], lang: Language) => string;
}

/** True when the row already has an answer (or status) in the file and must be kept. */
export function isPrefilled(row: QuestionRow, layout: SheetLayout): boolean {
  return (layout.answerCol !== null && isAnswered(row.existing.answer)) || (layout.statusCol !== null && isAnswered(row.existing.status));
}

export function keptOutcome(row: QuestionRow): RowOutcome {
  return {
    key: row.key,
    sheet: row.sheet,
    row: row.row,
    cell: row.cell,
    ref: row.ref,
    question: row.question,
    outcome: 'kept',
    status: null,
    needsReview: false,
    reason: '',
    writes: [],
    answer: null,
    statusOnly: false,
    cut: [],
  };
}

/** The cells to write for one answered row. */
export function planRow(
  sheet: GridSheet,
  layout: SheetLayout,
  row: QuestionRow,
  result: RowResult,
  overwrite: boolean,
  customer: CustomerFile | null = null,
): RowOutcome {
  // The row's own language (an English question in a Japanese sheet is drafted, and its reasons
  // given, in English): every label of the row in that one language, not 要確認 before an English reason.
  const lang = textLanguage(row.question) ?? layout.language;
  const t = TEXT[lang];
  const reasons: string[] = [];
  let outcome: RowOutcomeKind;
  let text = '';
  let status: Status = 'unknown';
  let notes = '';
  let needsReview = false;
  let answer: RowOutcome['answer'] = null;
  const sources = (citations: Citation[]): string => citations.map(sourceLabel).join('; ');

  if (result.kind === 'approved') {
    outcome = 'approved';
    text = result.approved.text;
    status = result.approved.status;
    notes = customer ? customer.sources(result.approved.citations, lang) : join(`${t.approved}${reviewRef(result.approved.reviewId)}`, citationLine(result.approved.citations, lang));
    answer = { text, status, sources: sources(result.approved.citations), confidence: null };
  } else if (result.kind === 'rejected') {
    outcome = 'rejected';
    needsReview = true;
    reasons.push(t.rejected(reviewRef(result.reviewId), result.reason.trim()));
  } else if (result.kind === 'withheld') {
    outcome = 'withheld';
    needsReview = true;
    reasons.push(withheldReason(t, result.why, reviewRef(result.reviewId)));
  } else if (result.kind === 'declined') {
    outcome = 'abstained';
    needsReview = true;
    reasons.push(t.tooLong(result.chars, result.limit));
  } else if (result.kind === 'error') {
    outcome = 'failed';
    needsReview = true;
    reasons.push(`${t.failed} (${result.message})`);
  } else if (result.draft.abstained) {
    outcome = 'abstained';
    needsReview = true;
    reasons.push(result.draft.reason.trim() || t.noEvidence);
    // A declined draft may keep the rows nearest the question (a figure they do not state): the reviewer starts there.
    notes = citationLine(result.draft.citations, lang, 'closest');
    answer = { text: '', status: 'unknown', sources: '', confidence: result.draft.confidence };
  } else {
    outcome = 'answered';
    text = result.draft.draft;
    status = result.draft.status;
    // Nothing leaves as approved without a named reviewer: say which rows are still drafts.
    notes = join(t.pending, citationLine(result.draft.citations, lang));
    answer = { text, status, sources: sources(result.draft.citations), confidence: result.draft.confidence };
    if (result.draft.needsHuman) {
      needsReview = true;
      reasons.push(result.draft.reason.trim() || t.review);
    }
  }

  // Per row, where things go: in a list-validated status column, a row whose cell has no
  // list (a contact-details block above the Yes/No questions) takes the answer text there.
  const cols = rowColumns(sheet, layout, row.row);
  const onlyStatus = cols.statusCol !== null && cols.answerCol === null && cols.commentCol === null;

  // Checked for every cell, whatever the layout or the overrides said; an answer already
  // there (not a choice placeholder) is kept unless the user asked to overwrite.
  const writable = (col: number | null): col is number =>
    col !== null && cellBlocked(sheet, layout, row.row, col) === null && (overwrite || !isAnswered(cellText(sheet, row.row, col)));
  const merged = (['status', 'answer', 'comment'] as const).filter((role) => {
    const col = cols[`${role}Col`];
    return col !== null && cellBlocked(sheet, layout, row.row, col) === 'merged';
  });
  if (merged.length > 0) {
    needsReview = true;
    reasons.push(t.mergedCell(merged.map((role) => t.cellRole[role])));
  }

  // Status: only for rows with an asserted answer, and only a value the column allows.
  // Where nothing but a status can be written, a row that needs review gets none: a bare
  // "Yes" must not stand for an answer nobody should trust yet (the summary lists the row).
  // A question asking for a figure, a place or a description ("How many generations are
  // kept?", どこに…) has no yes/no: its answer is the text, and a Yes beside it would claim
  // something nobody asked. The drafter's own reading of the question decides (not-applicable still
  // stands); a question with a yes/no ask beside a request (「…していますか。頻度も教えてください。」)
  // has one, and the column answers it.
  // A column whose choices (its list, else its header's words) include a partial state is not a
  // yes/no answer: it asks how far each control is in place (はい/いいえ/一部対応/該当なし,
  // Yes/No/Partial/N/A), for every question however it is worded, so every answered row gets one.
  const statusChoices = cols.statusCol === null ? null : (statusListAt(sheet, layout, row.row, cols.statusCol)?.values ?? layout.statusWords);
  const asksControlStatus = statusChoices !== null && pickStatusValue('partial', statusChoices, lang) !== null;
  const noYesNo = cols.statusCol !== null && !asksControlStatus && status !== 'not_applicable' && status !== 'unknown' && !asksYesNo(row.question);
  if (noYesNo && onlyStatus && (outcome === 'answered' || outcome === 'approved')) {
    needsReview = true;
    reasons.push(t.notYesNo);
  }
  let statusValue: string | null = null;
  if (cols.statusCol !== null && !noYesNo && (outcome === 'answered' || outcome === 'approved') && !(onlyStatus && needsReview)) {
    const existing = cellText(sheet, row.row, cols.statusCol);
    if (layout.statusKind === 'checkbox' && isCheckboxCell(existing)) {
      statusValue = markCheckbox(existing, status);
    } else {
      // No list: the words the header names (Y/N, はい/いいえ), else the standard marks.
      const list = statusListAt(sheet, layout, row.row, cols.statusCol);
      statusValue = pickStatusValue(status, list ? list.values : layout.statusWords, lang);
    }
    if (statusValue === null) {
      needsReview = true;
      const list = statusListAt(sheet, layout, row.row, cols.statusCol);
      const header = layout.headers[cols.statusCol] ?? '';
      const choices = list === undefined ? layout.statusWords : list.values;
      reasons.push(
        status === 'unknown' || (list !== undefined && list.values === null)
          ? t.statusUnknown
          : // A person approved this status: the row is not waiting for review, it waits for a value of the customer's list.
            result.kind === 'approved' && choices !== null
            ? t.approvedNotInList(status, choices)
            : list === undefined && layout.statusWords !== null
              ? t.statusNotInHeader(status, header)
              : t.statusNotInList(status),
      );
    }
  }

  const reviewText = reasons.length > 0 && !customer ? marker(reasons.join(' / '), lang) : '';
  let answerCell = '';
  let commentCell = '';
  if (cols.answerCol !== null) {
    answerCell = text;
    commentCell = join(notes, reviewText);
  } else {
    commentCell = join(text, notes, reviewText);
  }
  // Where a note cannot go into the comment cell (none, or the customer wrote there),
  // it goes under the answer text rather than being lost.
  if (!customer && commentCell !== '' && !writable(cols.commentCol) && cols.answerCol !== null && writable(cols.answerCol)) {
    // "The comment cell already has text" only when it has: a merged comment cell is said by its own reason.
    const taken = cols.commentCol !== null && cellBlocked(sheet, layout, row.row, cols.commentCol) === null && cellText(sheet, row.row, cols.commentCol).trim() !== '';
    answerCell = join(answerCell, taken ? `(${t.cellTaken})` : '', commentCell);
    commentCell = '';
  }

  // No cell takes the row's text (a customer's remark fills the comment cell and there is no
  // answer column): the row is as bare as one on a status-only sheet, and is treated the same.
  const textLost =
    !onlyStatus && (answerCell !== '' || commentCell !== '') && !((answerCell !== '' && writable(cols.answerCol)) || (commentCell !== '' && writable(cols.commentCol)));
  if (textLost && needsReview) {
    statusValue = null;
    const remark = cols.answerCol === null && cols.commentCol !== null && cellBlocked(sheet, layout, row.row, cols.commentCol) === null && cellText(sheet, row.row, cols.commentCol).trim() !== '';
    // An answer column that takes only a status (a Yes/No/NA dropdown) is named, not denied.
    reasons.push(!remark ? t.noRoom : cols.statusCol !== null ? t.textLostBesideStatus(columnLetter(cols.statusCol), layout.headers[cols.statusCol] ?? '') : t.textLost);
  }

  const writes: CellWrite[] = [];
  const cut: RowOutcome['cut'] = [];
  const put = (col: number | null, value: string): void => {
    if (value === '' || !writable(col)) return;
    if (value.length > MAX_CELL) cut.push({ col, chars: value.length });
    // Raw text: each format protects it its own way (xlsx writes a string cell, never a
    // formula; CSV prefixes an apostrophe, see spreadsheet/format.ts CellWrite).
    writes.push({ sheet: sheet.name, row: row.row, col, value: clip(value) });
  };
  const statusTarget = statusCell(layout, cols.statusCol, statusValue);
  put(statusTarget.col, statusTarget.value);
  put(cols.answerCol, answerCell);
  put(cols.commentCol, commentCell);
  const statusWritten = statusTarget.col !== null && writes.some((w) => w.col === statusTarget.col);
  // Per-choice mark columns hold one choice: marking "Yes" over a row marked "No" before
  // (--overwrite) clears the "No", or the row would read as both.
  if (statusWritten && layout.statusKind === 'columns') {
    for (const m of layout.markCols) {
      if (m.col !== statusTarget.col && cellText(sheet, row.row, m.col).trim() !== '' && cellBlocked(sheet, layout, row.row, m.col) === null) {
        writes.push({ sheet: sheet.name, row: row.row, col: m.col, value: '' });
      }
    }
  }

  return {
    key: row.key,
    sheet: row.sheet,
    row: row.row,
    cell: row.cell,
    ref: row.ref,
    question: row.question,
    outcome,
    status: statusWritten ? status : null,
    needsReview,
    reason: reasons.join(' / '),
    writes,
    answer,
    statusOnly: onlyStatus || textLost,
    cut,
  };
}

/** The columns one row is written to (see planRow). */
function rowColumns(sheet: GridSheet, layout: SheetLayout, row: number): Pick<SheetLayout, 'statusCol' | 'answerCol' | 'commentCol'> {
  const { statusCol, answerCol, commentCol } = layout;
  if (layout.statusKind === 'list' && statusCol !== null && answerCol === null && validationAt(sheet, row, statusCol) === undefined) {
    return { statusCol: null, answerCol: statusCol, commentCol };
  }
  return { statusCol, answerCol, commentCol };
}

/**
 * Why kotae must not write (row, col), whatever it holds: a formula (the customer's
 * logic), a header row, a hidden sheet, or a cell inside a merged range other than its
 * top-left one (Excel keeps only that one; text written elsewhere is hidden). Null when
 * the cell may be written.
 */
export function cellBlocked(sheet: GridSheet, layout: SheetLayout, row: number, col: number): 'formula' | 'header' | 'hidden' | 'merged' | null {
  if (sheet.hidden) return 'hidden';
  if (layout.headerRows.includes(row) || (layout.headerRow !== null && row <= layout.headerRow)) return 'header';
  if (isFormulaCell(sheet, row, col)) return 'formula';
  const m = mergeCovering(sheet, row, col);
  if (m && (m.top !== row || m.left !== col)) return 'merged';
  return null;
}
