/**
 * The simple, format-neutral model of a customer's questionnaire that layout detection
 * works on: per sheet, the non-empty cell texts, merged ranges and list validations.
 * Both the xlsx reader and the CSV reader produce it, so detection and row extraction
 * are written once. Rows and columns are 1-based, as in Excel.
 *
 * Cells are sparse (row → column → text) because a hostile or sloppy workbook can put one
 * value at XFD1048576; a dense array would then need billions of slots.
 */

export interface CellRange {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

/** A data-validation list ("はい,いいえ,..." or a range of cells) and where it applies. */
export interface ListValidation {
  ranges: CellRange[];
  /** The allowed values, or null when the source could not be resolved (INDIRECT, external book...). */
  values: string[] | null;
  /** The formula as written, for notes shown to the user. */
  source: string;
  /** The cells of this same sheet the choices are read from ($F$1:$F$3), if that is where they are. */
  choicesAt?: CellRange;
}

export interface GridSheet {
  name: string;
  hidden: boolean;
  /** row → column → text; only non-empty cells. Merged non-master cells are absent. */
  cells: Map<number, Map<number, string>>;
  maxRow: number;
  maxCol: number;
  merges: CellRange[];
  validations: ListValidation[];
  /** `${row}:${col}` of cells holding a formula: never written to. */
  formulas: Set<string>;
  /**
   * Formula cells saved without a computed result (written by a script, not by Excel): their
   * text is unknown, so they are absent from `cells`; `${row}:${col}` → the formula as written ('' if not known).
   */
  uncomputed: Map<string, string>;
  /** Hidden columns, and columns of width 0: the customer never sees them, so detection never writes there. */
  hiddenCols: Set<number>;
  /**
   * Hidden rows (and rows of height 0): usually questions the customer withdrew. Never answered;
   * the run names them so a withdrawn question is not drafted and reviewed for nothing.
   */
  hiddenRows: Set<number>;
}

export interface Grid {
  sheets: GridSheet[];
}

export const MAX_ROW = 1_048_576;
export const MAX_COL = 16_384;

export function emptySheet(name: string): GridSheet {
  return {
    name,
    hidden: false,
    cells: new Map(),
    maxRow: 0,
    maxCol: 0,
    merges: [],
    validations: [],
    formulas: new Set(),
    uncomputed: new Map(),
    hiddenCols: new Set(),
    hiddenRows: new Set(),
  };
}

export function setCell(sheet: GridSheet, row: number, col: number, text: string): void {
  if (text === '') return;
  let r = sheet.cells.get(row);
  if (!r) {
    r = new Map();
    sheet.cells.set(row, r);
  }
  r.set(col, text);
  if (row > sheet.maxRow) sheet.maxRow = row;
  if (col > sheet.maxCol) sheet.maxCol = col;
}

export function cellText(sheet: GridSheet, row: number, col: number): string {
  return sheet.cells.get(row)?.get(col) ?? '';
}

/** Row numbers that hold at least one non-empty cell, ascending. */
export function usedRows(sheet: GridSheet): number[] {
  return [...sheet.cells.keys()].sort((a, b) => a - b);
}

/** 1 → A, 27 → AA. */
export function columnLetter(col: number): string {
  let n = col;
  let s = '';
  while (n > 0) {
    const m = (n - 1) % 26;
    s = String.fromCharCode(65 + m) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** A → 1, AA → 27; NaN for anything that is not 1-3 letters. */
export function columnNumber(letters: string): number {
  if (!/^[A-Za-z]{1,3}$/.test(letters)) return Number.NaN;
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

export function cellAddress(row: number, col: number): string {
  return `${columnLetter(col)}${row}`;
}

/** `D5`, `$D$5` → {row, col}; null when not an A1 reference. */
export function parseAddress(ref: string): { row: number; col: number } | null {
  const m = /^\$?([A-Za-z]{1,3})\$?(\d{1,7})$/.exec(ref.trim());
  if (!m?.[1] || !m[2]) return null;
  return { row: Number(m[2]), col: columnNumber(m[1]) };
}

/**
 * `A1:E1`, `$A$1:$E$1`, `D5`, whole columns `D:D` and whole rows `3:3` → a range;
 * null when the text is none of these. Never expands the range: a validation over
 * A1:XFD1048576 stays four numbers.
 */
export function parseRange(ref: string): CellRange | null {
  const text = ref.trim();
  const [a, b] = text.split(':');
  if (a === undefined) return null;
  if (b === undefined) {
    const p = parseAddress(a);
    return p ? { top: p.row, left: p.col, bottom: p.row, right: p.col } : null;
  }
  const pa = parseAddress(a);
  const pb = parseAddress(b);
  if (pa && pb) {
    return {
      top: Math.min(pa.row, pb.row),
      left: Math.min(pa.col, pb.col),
      bottom: Math.max(pa.row, pb.row),
      right: Math.max(pa.col, pb.col),
    };
  }
  const ca = /^\$?([A-Za-z]{1,3})$/.exec(a);
  const cb = /^\$?([A-Za-z]{1,3})$/.exec(b);
  if (ca?.[1] && cb?.[1]) {
    const l = columnNumber(ca[1]);
    const r = columnNumber(cb[1]);
    return { top: 1, left: Math.min(l, r), bottom: MAX_ROW, right: Math.max(l, r) };
  }
  const ra = /^\$?(\d{1,7})$/.exec(a);
  const rb = /^\$?(\d{1,7})$/.exec(b);
  if (ra?.[1] && rb?.[1]) {
    const t = Number(ra[1]);
    const u = Number(rb[1]);
    return { top: Math.min(t, u), left: 1, bottom: Math.max(t, u), right: MAX_COL };
  }
  return null;
}

export function rangeContains(range: CellRange, row: number, col: number): boolean {
  return row >= range.top && row <= range.bottom && col >= range.left && col <= range.right;
}

/** The merged range covering (row, col), if any. */
export function mergeCovering(sheet: GridSheet, row: number, col: number): CellRange | undefined {
  return sheet.merges.find((m) => rangeContains(m, row, col));
}

/** The list validation that applies to (row, col): the last one declared wins, as in Excel. */
export function validationAt(sheet: GridSheet, row: number, col: number): ListValidation | undefined {
  for (let i = sheet.validations.length - 1; i >= 0; i--) {
    const v = sheet.validations[i];
    if (v && v.ranges.some((r) => rangeContains(r, row, col))) return v;
  }
  return undefined;
}

export function isFormulaCell(sheet: GridSheet, row: number, col: number): boolean {
  return sheet.formulas.has(`${row}:${col}`);
}

/**
 * The text Excel shows at (row, col): the cell's own, or that of the top-left cell of the
 * merged range covering it (a category or number merged down over several rows).
 */
export function shownText(sheet: GridSheet, row: number, col: number): string {
  const own = cellText(sheet, row, col);
  if (own !== '') return own;
  const m = mergeCovering(sheet, row, col);
  return m ? cellText(sheet, m.top, m.left) : '';
}
