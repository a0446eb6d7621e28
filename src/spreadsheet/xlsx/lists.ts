/**
 * Resolving the values a data-validation list offers (a literal "a,b,c", a range on any
 * sheet, or a defined name) against the read grid, within a work budget: a hostile
 * workbook's list over A1:XFD1048576 must cost what its filled cells cost, not 17 billion
 * visits.
 */
import { parseRange, type CellRange, type Grid, type GridSheet } from '../grid.js';

/** Excel caps a formula at 8,192 characters; anything longer is not one. */
export const MAX_FORMULA = 8192;

/** A defined name, as a list source may give it instead of a range. */
const NAME = /^[\p{L}_\\][\p{L}\p{N}_.\\]*$/u;

/** Values read from one list source at most. */
const MAX_LIST_VALUES = 1000;
/** Rows and cells visited while resolving all the lists of one workbook, together. */
const LIST_SCAN_BUDGET = 2_000_000;

/**
 * Resolves list-validation sources against the read grid. A source range is never walked
 * cell by cell (`$E$1:$XFD$1048576` is 17 billion cells): only the cells that exist in the
 * target sheet within the range are visited, in row then column order, up to
 * MAX_LIST_VALUES values. Results are cached per range, and a budget shared by all lists
 * of the workbook bounds the work a file with thousands of distinct huge ranges over a
 * large sheet can cause; past it, a list counts as unresolvable (as INDIRECT does).
 */
export class ListResolver {
  private readonly byName = new Map<string, GridSheet>();
  private readonly sheetNo = new Map<GridSheet, number>();
  private readonly rowIndex = new Map<GridSheet, number[]>();
  private readonly colIndex = new Map<GridSheet, Map<number, number[]>>();
  private readonly cache = new Map<string, string[] | null>();
  private budget = LIST_SCAN_BUDGET;
  /** Lists left unresolved because the budget ran out. */
  exhausted = 0;

  constructor(
    grid: Grid,
    private readonly names: Map<string, string>,
  ) {
    grid.sheets.forEach((s, i) => {
      if (!this.byName.has(s.name)) this.byName.set(s.name, s);
      this.sheetNo.set(s, i);
    });
  }

  /** The values a list validation offers; null when its source cannot be resolved. */
  values(formula: string, sheet: GridSheet, depth = 0): string[] | null {
    const f = formula.replace(/^=/, '').trim();
    if (f.length > MAX_FORMULA) return null; // not a formula Excel would have written (a defined name can be any size)
    if (f.startsWith('"') && f.endsWith('"') && f.length >= 2) {
      return f
        .slice(1, -1)
        .replace(/""/g, '"')
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== '')
        .slice(0, MAX_LIST_VALUES);
    }
    const source = this.rangeOf(f, sheet, depth);
    if (source) {
      const { target, range } = source;
      const key = `${this.sheetNo.get(target) ?? -1}:${range.top}:${range.left}:${range.bottom}:${range.right}`;
      const cached = this.cache.get(key);
      if (cached !== undefined) return cached;
      const values = this.scan(target, range);
      this.cache.set(key, values);
      return values;
    }
    if (depth < 3 && NAME.test(f)) {
      // A name for a literal list ("はい,いいえ"): its ranges were resolved above.
      const target = this.names.get(`${sheet.name}\u0000${f}`.toLowerCase()) ?? this.names.get(f.toLowerCase());
      if (target) return this.values(target, sheet, depth + 1);
    }
    return null; // INDIRECT(...), OFFSET(...), external books: not resolvable statically
  }

  /**
   * The cells a list takes its choices from when they are on `sheet` itself (a list over
   * $F$1:$F$3 beside the questions), else null. Those cells are the dropdown's vocabulary:
   * layout detection must not read them as a header, a status column or existing answers.
   */
  choicesOnSheet(formula: string, sheet: GridSheet): CellRange | null {
    const source = this.rangeOf(formula.replace(/^=/, '').trim(), sheet, 0);
    return source && source.target === sheet ? source.range : null;
  }

  /** The sheet and range a list source names, directly or through a defined name; null for literals and anything else. */
  private rangeOf(f: string, sheet: GridSheet, depth: number): { target: GridSheet; range: CellRange } | null {
    if (f.length > MAX_FORMULA) return null;
    const ref = /^(?:(?:'((?:[^']|'')+)'|([^'!]+))!)?(\$?[A-Za-z]{1,3}\$?\d+(?::\$?[A-Za-z]{1,3}\$?\d+)?|\$?[A-Za-z]{1,3}:\$?[A-Za-z]{1,3}|\$?\d+:\$?\d+)$/.exec(f);
    if (ref?.[3]) {
      const sheetName = ref[1]?.replace(/''/g, "'") ?? ref[2];
      const target = sheetName === undefined ? sheet : this.byName.get(sheetName);
      const range = parseRange(ref[3]);
      return target && range ? { target, range } : null;
    }
    if (depth < 3 && NAME.test(f)) {
      const target = this.names.get(`${sheet.name}\u0000${f}`.toLowerCase()) ?? this.names.get(f.toLowerCase());
      if (target) return this.rangeOf(target.replace(/^=/, '').trim(), sheet, depth + 1);
    }
    return null;
  }

  /** The non-empty cell texts of `range` in `sheet`, row by row; null when over budget. */
  private scan(sheet: GridSheet, range: CellRange): string[] | null {
    const values: string[] = [];
    if (this.budget <= 0) {
      this.exhausted++;
      return null;
    }
    const rows = this.sortedRows(sheet);
    for (let i = lowerBound(rows, range.top); i < rows.length && values.length < MAX_LIST_VALUES; i++) {
      const r = rows[i] ?? 0;
      if (r > range.bottom) break;
      if (--this.budget <= 0) {
        this.exhausted++;
        return null;
      }
      const cells = sheet.cells.get(r);
      if (!cells) continue;
      const cols = this.sortedCols(sheet, r, cells);
      for (let j = lowerBound(cols, range.left); j < cols.length && values.length < MAX_LIST_VALUES; j++) {
        const c = cols[j] ?? 0;
        if (c > range.right) break;
        this.budget--;
        const t = (cells.get(c) ?? '').trim();
        if (t) values.push(t);
      }
    }
    return values;
  }

  private sortedRows(sheet: GridSheet): number[] {
    let rows = this.rowIndex.get(sheet);
    if (!rows) {
      rows = [...sheet.cells.keys()].sort((a, b) => a - b);
      this.rowIndex.set(sheet, rows);
    }
    return rows;
  }

  private sortedCols(sheet: GridSheet, row: number, cells: Map<number, string>): number[] {
    let bySheet = this.colIndex.get(sheet);
    if (!bySheet) this.colIndex.set(sheet, (bySheet = new Map()));
    let cols = bySheet.get(row);
    if (!cols) {
      cols = [...cells.keys()].sort((a, b) => a - b);
      this.budget -= cols.length;
      bySheet.set(row, cols);
    }
    return cols;
  }
}

/** The first index of sorted `xs` whose value is >= `x`. */
function lowerBound(xs: number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((xs[mid] ?? 0) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
