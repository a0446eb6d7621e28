/**
 * Reading a customer's .xlsx into the grid model, and writing answers back into it.
 *
 * Reading: kotae extracts merges, list validations, defined names and hidden columns from
 * the sheet XML itself (never expanding a range, and with a linear-time tag scanner rather
 * than regular expressions a hostile part can make rescan it), and gives ExcelJS a stripped copy that
 * holds only cells, shared strings and styles, parsed in a worker thread with a heap cap
 * and a timeout. ExcelJS expands every validation `sqref`, merge and defined name cell by
 * cell (A1:XFD1048576 in real HECVAT files = 17 billion cells: a hang, then an OOM), and a
 * bad file must not take the CLI or the Slack bot down with it.
 *
 * Writing: the original zip is copied entry by entry and only the patched sheet XML is
 * re-deflated; in it only the target `<c>` elements change (inline strings, keeping each
 * cell's style). Everything else (styles, merges, widths, validations including x14
 * ones, conditional formats, drawings, other sheets) stays byte-for-byte as the customer
 * sent it, which an ExcelJS read→write round trip cannot promise.
 */
import { createRequire } from 'node:module';
import { InputError } from '../errors.js';
import {
  cellAddress,
  emptySheet,
  MAX_COL,
  parseRange,
  setCell,
  type CellRange,
  type Grid,
  type GridSheet,
  type ListValidation,
} from './grid.js';
import { checkZip, escapeFormula, partTooLarge, type SafetyLimits } from './safety.js';
import { runParseWorker } from './worker.js';
import { inflateEntry, readZipEntries, writeZip, ZipFormatError, type ZipEntryRecord, type ZipOut } from './zip.js';

export interface XlsxSource {
  kind: 'xlsx';
  entries: ZipEntryRecord[];
  /** Sheet name → path of its XML part inside the zip. */
  sheetPaths: Map<string, string>;
}

export interface CellWrite {
  sheet: string;
  row: number;
  col: number;
  /** Already escaped (escapeFormula) by the caller. */
  value: string;
}

// ---------------------------------------------------------------------------------------
// Small XML helpers. The parts handled here are machine-written OOXML; the regular
// expressions only look at element boundaries and attributes, never at mixed content.

const NAME = '[A-Za-z_][\\w.-]*';

export function decodeXml(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (_m, e: string) => {
    if (e === 'lt') return '<';
    if (e === 'gt') return '>';
    if (e === 'amp') return '&';
    if (e === 'quot') return '"';
    if (e === 'apos') return "'";
    const code = e.startsWith('#x') ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    // fromCodePoint throws on anything past U+10FFFF; a bad reference must not crash the read.
    return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : '';
  });
}

function escapeXmlText(s: string): string {
  return s
    .replace(/\r\n?/g, '\n')
    // Characters XML 1.0 cannot carry at all; a draft quoting binary junk must not corrupt the part.
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

const isNameChar = (c: number): boolean =>
  (c >= 0x30 && c <= 0x3a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x2e || c === 0x2d; // 0-9 : A-Z a-z _ . -
const isSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

/**
 * The attributes of a start tag's text. A hand-written scan rather than a regular
 * expression: every step moves forward, so a hostile tag (a long name followed by an
 * unterminated quote) costs linear time instead of quadratic.
 */
function attrs(tag: string): Map<string, string> {
  const out = new Map<string, string>();
  const n = tag.length;
  let i = 0;
  while (i < n) {
    if (!isNameChar(tag.charCodeAt(i))) {
      i++;
      continue;
    }
    let j = i;
    while (j < n && isNameChar(tag.charCodeAt(j))) j++;
    let k = j;
    while (k < n && isSpace(tag.charCodeAt(k))) k++;
    if (tag[k] !== '=') {
      i = j;
      continue;
    }
    k++;
    while (k < n && isSpace(tag.charCodeAt(k))) k++;
    const q = tag[k];
    if (q !== '"' && q !== "'") {
      i = k;
      continue;
    }
    const close = tag.indexOf(q, k + 1);
    if (close < 0) break;
    out.set(tag.slice(i, j), decodeXml(tag.slice(k + 1, close)));
    i = close + 1;
  }
  return out;
}

interface XmlTag {
  /** Offset of the `<`. */
  index: number;
  /** Offset just past the start tag's `>`. */
  tagEnd: number;
  /** Offset just past the element: the start tag's `>` when self-closing or body-less, else past the end tag. */
  end: number;
  /** Namespace prefix with its colon, or ''. */
  prefix: string;
  /** The text between the name and `>` (without a self-closing `/`). */
  attrText: string;
  selfClosing: boolean;
  /** The element's content; '' when self-closing or when bodies were not asked for. */
  body: string;
}

/**
 * The elements named `local` (any namespace prefix) in `xml` from `from`, in order, in
 * linear time. Regular expressions like `<mergeCell\b([^>]*)>` or
 * `<x\b[^>]*>([\s\S]*?)</x>` rescan the rest of the text from every start tag that has
 * no `>` or no end tag, which a tiny hostile part (1 MB of `<mergeCell ` repeated)
 * turns into minutes of main-thread time. Here each start tag is found once, the scan
 * resumes after it (or after its element, with `body`), and an element without its end
 * tag stops the search for elements with content (none after it can be closed either).
 * Nested elements of the same name are not supported (OOXML has none where used).
 */
function* xmlElements(xml: string, local: string, opts: { body?: boolean; from?: number } = {}): Generator<XmlTag> {
  const open = new RegExp(`<(${NAME}:)?${local}(?=[\\s/>])`, 'g');
  open.lastIndex = opts.from ?? 0;
  let closable = true;
  for (;;) {
    const m = open.exec(xml);
    if (!m) return;
    const gt = xml.indexOf('>', open.lastIndex);
    if (gt < 0) return; // an unterminated start tag: nothing after it is a tag
    const prefix = m[1] ?? '';
    let attrText = xml.slice(open.lastIndex, gt);
    const selfClosing = attrText.endsWith('/');
    if (selfClosing) attrText = attrText.slice(0, -1);
    let end = gt + 1;
    let body = '';
    if (opts.body && !selfClosing) {
      const closeTag = `</${prefix}${local}>`;
      const close = closable ? xml.indexOf(closeTag, gt + 1) : -1;
      if (close < 0) {
        // No end tag anywhere after this: only self-closing elements can still follow.
        closable = false;
        open.lastIndex = gt + 1;
        continue;
      }
      body = xml.slice(gt + 1, close);
      end = close + closeTag.length;
    }
    yield { index: m.index, tagEnd: gt + 1, end, prefix, attrText, selfClosing, body };
    open.lastIndex = end;
  }
}

const firstElement = (xml: string, local: string, opts: { body?: boolean; from?: number } = {}): XmlTag | null => {
  for (const t of xmlElements(xml, local, opts)) return t;
  return null;
};

/** `xml` without the elements `local` for which `drop` says so (all by default); linear time. */
function removeElements(xml: string, local: string, body: boolean, drop: (t: XmlTag) => boolean = () => true): string {
  let out = '';
  let last = 0;
  for (const t of xmlElements(xml, local, { body })) {
    if (!drop(t)) continue;
    out += xml.slice(last, t.index);
    last = t.end;
  }
  return last === 0 ? xml : out + xml.slice(last);
}

/** A copy of `s` that does not keep alive the (possibly huge) part text it was sliced from. */
const own = (s: string): string => (s.length > 12 ? Buffer.from(s, 'utf8').toString('utf8') : s);

/** The value of the attribute whose local name is `local` (any prefix). */
function attrLocal(a: Map<string, string>, local: string): string | undefined {
  for (const [k, v] of a) if (k === local || k.endsWith(`:${local}`)) return v;
  return undefined;
}

function resolvePartPath(base: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = base.split('/').slice(0, -1);
  for (const seg of target.split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '.' && seg !== '') parts.push(seg);
  }
  return parts.join('/');
}

// ---------------------------------------------------------------------------------------
// Reading

interface SheetInfo {
  name: string;
  hidden: boolean;
  path: string;
}

interface RawValidation {
  sqref: string;
  formula: string;
}

interface SheetExtras {
  merges: CellRange[];
  validations: RawValidation[];
  hiddenCols: Set<number>;
}

function entryText(entries: Map<string, ZipEntryRecord>, name: string): string | null {
  const e = entries.get(name);
  return e ? inflateEntry(e).toString('utf8') : null;
}

function listSheets(workbookXml: string, relsXml: string): { sheets: SheetInfo[]; skippedCharts: number } {
  const targets = new Map<string, { target: string; type: string }>();
  for (const t of xmlElements(relsXml, 'Relationship')) {
    const a = attrs(t.attrText);
    const id = a.get('Id');
    const target = a.get('Target');
    if (id && target) targets.set(id, { target, type: a.get('Type') ?? '' });
  }
  const sheets: SheetInfo[] = [];
  let skippedCharts = 0;
  for (const t of xmlElements(workbookXml, 'sheet')) {
    const a = attrs(t.attrText);
    const name = a.get('name');
    const id = attrLocal(a, 'id');
    const rel = id ? targets.get(id) : undefined;
    if (!name || !rel) continue;
    if (!rel.type.endsWith('/worksheet')) {
      skippedCharts++;
      continue;
    }
    const state = a.get('state') ?? 'visible';
    sheets.push({ name: own(name), hidden: state !== 'visible', path: resolvePartPath('xl/workbook.xml', rel.target) });
  }
  return { sheets, skippedCharts };
}

interface SheetXmlParts {
  /** `<worksheet ...>` start tag (declares the namespaces). */
  rootOpen: string;
  rootClose: string;
  /** Everything before `<sheetData`. */
  head: string;
  /** The full `<sheetData>...</sheetData>` element. */
  sheetData: string;
  /** Everything after `</sheetData>`: merges, validations, extLst... */
  tail: string;
}

function splitSheetXml(xml: string, path: string): SheetXmlParts {
  const root = firstElement(xml, 'worksheet');
  const sd = root ? firstElement(xml, 'sheetData', { from: root.tagEnd }) : null;
  if (!root || !sd) throw new InputError(`${path}: not a worksheet part`, 'The workbook is damaged; save it again in Excel.');
  let end: number;
  if (sd.selfClosing) end = sd.tagEnd;
  else {
    const closeTag = `</${sd.prefix}sheetData>`;
    const close = xml.indexOf(closeTag, sd.tagEnd);
    if (close < 0) throw new InputError(`${path}: unterminated sheetData`, 'The workbook is damaged; save it again in Excel.');
    end = close + closeTag.length;
  }
  return {
    rootOpen: xml.slice(root.index, root.tagEnd),
    rootClose: `</${root.prefix}worksheet>`,
    head: xml.slice(0, sd.index),
    sheetData: xml.slice(sd.index, end),
    tail: xml.slice(end),
  };
}

/** Excel caps a formula at 8,192 characters; anything longer is not one. */
const MAX_FORMULA = 8192;

function extractExtras(parts: SheetXmlParts): SheetExtras {
  const merges: CellRange[] = [];
  for (const t of xmlElements(parts.tail, 'mergeCell')) {
    const r = parseRange(attrs(t.attrText).get('ref') ?? '');
    if (r) merges.push(r);
  }
  const validations: RawValidation[] = [];
  // Both <dataValidation> and the x14 extension form (<x14:dataValidation> with
  // <xm:f>/<xm:sqref>), which Excel uses for lists that point at another sheet.
  for (const t of xmlElements(parts.tail, 'dataValidation', { body: true })) {
    const a = attrs(t.attrText);
    if ((a.get('type') ?? '') !== 'list') continue;
    const f1 = firstElement(t.body, 'formula1', { body: true })?.body ?? '';
    // A list source longer than any Excel formula is kept as an unresolvable one.
    const formula = f1.length > MAX_FORMULA ? `${f1.slice(0, 40)}…` : decodeXml(f1.replace(/<[^<>]*>/g, '')).trim();
    const sqref = a.get('sqref') ?? decodeXml(firstElement(t.body, 'sqref', { body: true })?.body ?? '');
    if (formula && sqref.trim()) validations.push({ sqref: sqref.trim(), formula: own(formula) });
  }
  // Hidden column spans, merged before expanding: a part with a million
  // <col min="1" max="16384" hidden="1"/> then costs at most MAX_COL set insertions.
  const spans: Array<[number, number]> = [];
  for (const t of xmlElements(parts.head, 'col')) {
    const a = attrs(t.attrText);
    if (a.get('hidden') !== '1' && a.get('hidden') !== 'true') continue;
    const min = Math.max(1, Number(a.get('min')));
    const max = Math.min(Number(a.get('max')), MAX_COL);
    if (Number.isFinite(min) && Number.isFinite(max) && min <= max) spans.push([min, max]);
  }
  spans.sort((x, y) => x[0] - y[0]);
  const hiddenCols = new Set<number>();
  let next = 1;
  for (const [min, max] of spans) {
    for (let c = Math.max(min, next); c <= max; c++) hiddenCols.add(c);
    next = Math.max(next, max + 1);
  }
  return { merges, validations, hiddenCols };
}

function definedNames(workbookXml: string, sheets: SheetInfo[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const t of xmlElements(workbookXml, 'definedName', { body: true })) {
    if (t.selfClosing) continue;
    const a = attrs(t.attrText);
    const name = a.get('name');
    if (!name) continue;
    const local = a.get('localSheetId');
    const key = local !== undefined ? `${sheets[Number(local)]?.name ?? ''}\u0000${name}` : name;
    out.set(key.toLowerCase(), decodeXml(t.body).trim());
  }
  return out;
}

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
class ListResolver {
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
    const ref = /^(?:(?:'((?:[^']|'')+)'|([^'!]+))!)?(\$?[A-Za-z]{1,3}\$?\d+(?::\$?[A-Za-z]{1,3}\$?\d+)?|\$?[A-Za-z]{1,3}:\$?[A-Za-z]{1,3}|\$?\d+:\$?\d+)$/.exec(f);
    if (ref?.[3]) {
      const sheetName = ref[1]?.replace(/''/g, "'") ?? ref[2];
      const target = sheetName === undefined ? sheet : this.byName.get(sheetName);
      const range = parseRange(ref[3]);
      if (!target || !range) return null;
      const key = `${this.sheetNo.get(target) ?? -1}:${range.top}:${range.left}:${range.bottom}:${range.right}`;
      const cached = this.cache.get(key);
      if (cached !== undefined) return cached;
      const values = this.scan(target, range);
      this.cache.set(key, values);
      return values;
    }
    if (depth < 3 && /^[\p{L}_\\][\p{L}\p{N}_.\\]*$/u.test(f)) {
      const target = this.names.get(`${sheet.name}\u0000${f}`.toLowerCase()) ?? this.names.get(f.toLowerCase());
      if (target) return this.values(target, sheet, depth + 1);
    }
    return null; // INDIRECT(...), OFFSET(...), external books: not resolvable statically
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

/** What the worker returns: per sheet, [row, col, text, isFormula] tuples. */
interface WorkerSheet {
  name: string;
  cells: Array<[number, number, string, number]>;
}

// ExcelJS in a worker (see worker.ts): per sheet, [row, col, text, isFormula] tuples.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const ExcelJS = require(workerData.excelPath);
function text(v) {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return '';
    const iso = v.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19).replace('T', ' ');
  }
  if (Array.isArray(v.richText)) return v.richText.map((r) => (r && typeof r.text === 'string' ? r.text : '')).join('');
  if ('formula' in v || 'sharedFormula' in v) return text(v.result);
  if ('hyperlink' in v || 'text' in v) return text(v.text);
  if ('error' in v) return String(v.error);
  return '';
}
(async () => {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(workerData.bytes);
  let count = 0;
  const sheets = [];
  for (const ws of wb.worksheets) {
    const cells = [];
    ws.eachRow({ includeEmpty: false }, (row, r) => {
      row.eachCell({ includeEmpty: false }, (cell, c) => {
        const isFormula = cell.type === ExcelJS.ValueType.Formula;
        const t = text(cell.value);
        if (t === '' && !isFormula) return;
        cells.push([r, c, t, isFormula ? 1 : 0]);
        count++;
        if (count > workerData.maxCells) {
          const e = new Error('too many cells');
          e.code = 'TOO_MANY_CELLS';
          throw e;
        }
      });
    });
    sheets.push({ name: ws.name, cells });
  }
  parentPort.postMessage({ ok: true, value: sheets });
})().catch((e) => parentPort.postMessage({ ok: false, code: (e && e.code) || null, message: String((e && e.message) || e) }));
`;

const excelPath = createRequire(import.meta.url).resolve('exceljs');

function isWorkerSheets(v: unknown): v is WorkerSheet[] {
  return Array.isArray(v) && v.every((s: unknown) => typeof s === 'object' && s !== null && 'name' in s && 'cells' in s && Array.isArray(s.cells));
}

/** Parses the stripped workbook with ExcelJS in a worker with resource limits. */
function parseInWorker(bytes: Buffer, fileName: string, limits: SafetyLimits): Promise<WorkerSheet[]> {
  return runParseWorker(
    {
      source: WORKER_SOURCE,
      workerData: { excelPath, bytes, maxCells: limits.maxCells },
      fileName,
      what: 'workbook',
      accept: isWorkerSheets,
      limitError: (code) =>
        code === 'TOO_MANY_CELLS' ? new InputError(`${fileName}: more than ${limits.maxCells} filled cells`, 'Split the questionnaire into smaller files.') : null,
      hint: 'Open it in Excel and save it again as .xlsx.',
    },
    limits,
  );
}

/** Sheets up to this size go into the stripped copy uncompressed. */
const STORE_MAX = 4 * 1024 * 1024;

/** Reads an .xlsx (already sniffed as a zip) into the grid model plus what is needed to write it back. */
export async function readXlsx(bytes: Uint8Array, fileName: string, limits: SafetyLimits): Promise<{ grid: Grid; source: XlsxSource; notes: string[] }> {
  await checkZip(bytes, limits, fileName);
  let entries: ZipEntryRecord[];
  try {
    entries = await readZipEntries(bytes);
  } catch (e) {
    if (e instanceof ZipFormatError) {
      throw new InputError(`${fileName}: the workbook is truncated or damaged (${e.message})`, 'Upload the file again.');
    }
    throw e;
  }
  const byName = new Map(entries.map((e) => [e.name, e]));
  const text = (name: string): string | null => {
    // checkZip refused oversized parts already; this keeps the bound next to the inflation.
    const entry = byName.get(name);
    if (entry && entry.uncompressedSize > limits.maxPartUncompressed) throw partTooLarge(fileName, name, entry.uncompressedSize, limits);
    try {
      return entryText(byName, name);
    } catch (e) {
      if (e instanceof ZipFormatError || (e instanceof Error && 'code' in e)) {
        throw new InputError(`${fileName}: the workbook is truncated or damaged (${e.message})`, 'Upload the file again.');
      }
      throw e;
    }
  };
  const workbookXml = text('xl/workbook.xml') ?? '';
  const relsXml = text('xl/_rels/workbook.xml.rels') ?? '';
  const { sheets: infos, skippedCharts } = listSheets(workbookXml, relsXml);
  const notes: string[] = [];
  if (skippedCharts > 0) notes.push(`${skippedCharts} chart sheet(s) ignored`);
  if (infos.length === 0) throw new InputError(`${fileName}: the workbook has no worksheets`, 'Upload the questionnaire workbook.');

  // Build the stripped copy for ExcelJS: only cells, shared strings and styles.
  const extras = new Map<string, SheetExtras>();
  const stripped: ZipOut[] = [];
  const keepRel = /\/(worksheet|sharedStrings|styles)$/;
  const keptIds = new Set<string>();
  const rels = removeElements(relsXml, 'Relationship', true, (t) => {
    const a = attrs(t.attrText);
    if (!keepRel.test(a.get('Type') ?? '')) return true;
    const id = a.get('Id');
    if (id) keptIds.add(id);
    return false;
  });
  let wb = workbookXml;
  for (const local of ['definedNames', 'externalReferences', 'pivotCaches', 'extLst']) wb = removeElements(wb, local, true);
  wb = removeElements(wb, 'sheet', false, (t) => t.selfClosing && !keptIds.has(attrLocal(attrs(t.attrText), 'id') ?? ''));
  for (const name of ['[Content_Types].xml', '_rels/.rels']) {
    const e = byName.get(name);
    if (e) stripped.push({ kind: 'copy', entry: e });
  }
  stripped.push({ kind: 'data', name: 'xl/workbook.xml', data: Buffer.from(wb, 'utf8'), store: true });
  stripped.push({ kind: 'data', name: 'xl/_rels/workbook.xml.rels', data: Buffer.from(rels, 'utf8'), store: true });
  for (const name of ['xl/sharedStrings.xml', 'xl/styles.xml']) {
    const e = byName.get(name);
    if (e) stripped.push({ kind: 'copy', entry: e });
  }
  const sheetPaths = new Map<string, string>();
  for (const info of infos) {
    const xml = text(info.path);
    if (xml === null) throw new InputError(`${fileName}: sheet "${info.name}" is missing from the workbook`, 'Save it again in Excel.');
    const parts = splitSheetXml(xml, info.path);
    extras.set(info.name, extractExtras(parts));
    sheetPaths.set(info.name, info.path);
    const minimal = Buffer.from(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n${parts.rootOpen}${parts.sheetData}${parts.rootClose}`, 'utf8');
    // Small sheets go in stored (no CPU spent); large ones are deflated at once, so the
    // stripped copy does not hold every sheet uncompressed a second time on this heap.
    const store = minimal.length <= STORE_MAX;
    stripped.push({ kind: 'data', name: info.path, data: minimal, store, level: store ? undefined : 1 });
  }

  const parsed = await parseInWorker(writeZip(stripped), fileName, limits);
  const grid: Grid = { sheets: [] };
  for (const [i, info] of infos.entries()) {
    const sheet = emptySheet(info.name);
    sheet.hidden = info.hidden;
    const cells = (parsed.find((s) => s.name === info.name) ?? parsed[i])?.cells ?? [];
    for (const [r, c, t, f] of cells) {
      setCell(sheet, r, c, t);
      if (f === 1) {
        sheet.formulas.add(`${r}:${c}`);
        if (r > sheet.maxRow) sheet.maxRow = r;
        if (c > sheet.maxCol) sheet.maxCol = c;
      }
    }
    const x = extras.get(info.name);
    if (x) {
      sheet.merges = x.merges;
      sheet.hiddenCols = x.hiddenCols;
    }
    grid.sheets.push(sheet);
  }
  // List values may point at other sheets or names, so resolve once every sheet is read.
  const lists = new ListResolver(grid, definedNames(workbookXml, infos));
  for (const sheet of grid.sheets) {
    const raw = extras.get(sheet.name)?.validations ?? [];
    sheet.validations = raw.map((v): ListValidation => ({
      ranges: v.sqref
        .split(/\s+/)
        .map((r) => parseRange(r))
        .filter((r): r is CellRange => r !== null),
      values: lists.values(v.formula, sheet),
      source: v.formula,
    }));
  }
  if (lists.exhausted > 0) notes.push(`${lists.exhausted} list validation(s) over very large ranges were not read: their values are unknown`);
  return { grid, source: { kind: 'xlsx', entries, sheetPaths }, notes };
}

// ---------------------------------------------------------------------------------------
// Writing

/** A sheet kotae adds at the end of the workbook: a name (made unique) and rows of plain text. */
export interface AddedSheet {
  name: string;
  rows: string[][];
}

/**
 * Writes the answers into a copy of the original workbook; only the target cells change,
 * and, when `added` is given, a new last sheet holds it (the workbook, its relationships
 * and content types gain one entry each; every existing part keeps its bytes).
 */
export function patchXlsx(source: XlsxSource, writes: CellWrite[], added?: AddedSheet): Buffer {
  const byPath = new Map<string, Map<number, Map<number, string>>>();
  for (const w of writes) {
    const path = source.sheetPaths.get(w.sheet);
    if (!path) throw new Error(`no sheet "${w.sheet}" in the workbook`);
    let rows = byPath.get(path);
    if (!rows) byPath.set(path, (rows = new Map()));
    let cols = rows.get(w.row);
    if (!cols) rows.set(w.row, (cols = new Map()));
    cols.set(w.col, w.value);
  }
  const addition = added ? planAddedSheet(source, added) : null;
  const out: ZipOut[] = source.entries.map((entry): ZipOut => {
    const rows = byPath.get(entry.name);
    const edit = addition?.edits.get(entry.name);
    if (!rows && !edit) return { kind: 'copy', entry };
    let xml = inflateEntry(entry).toString('utf8');
    if (rows) xml = patchSheetXml(xml, rows);
    if (edit) xml = edit(xml);
    return { kind: 'data', name: entry.name, data: Buffer.from(xml, 'utf8'), dosTime: entry.dosTime, dosDate: entry.dosDate };
  });
  if (addition) out.push({ kind: 'data', name: addition.path, data: Buffer.from(addition.xml, 'utf8') });
  return writeZip(out);
}

const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** Inserts `insert` before the end tag `</local>` (any prefix) of `xml`; throws when there is none. */
function beforeEndTag(xml: string, local: string, insert: (prefix: string) => string): string {
  const m = new RegExp(`</(${NAME}:)?${local}>`).exec(xml);
  if (!m) throw new Error(`no </${local}> in the workbook`);
  return xml.slice(0, m.index) + insert(m[1] ?? '') + xml.slice(m.index);
}

/** The part, the relationship and the `<sheet>` entry of a sheet appended to the workbook. */
function planAddedSheet(source: XlsxSource, added: AddedSheet): { path: string; xml: string; edits: Map<string, (xml: string) => string> } {
  const names = new Set([...source.sheetPaths.keys()].map((n) => n.toLowerCase()));
  let name = added.name;
  for (let i = 2; names.has(name.toLowerCase()); i++) name = `${added.name} (${i})`;
  const parts = new Set(source.entries.map((e) => e.name));
  // sheetN.xml: some readers (ExcelJS) only take worksheet parts named so.
  let n = 1;
  while (parts.has(`xl/worksheets/sheet${n}.xml`)) n++;
  const path = `xl/worksheets/sheet${n}.xml`;
  const rid = `rIdKotae${n}`;
  const attr = (s: string): string => escapeXmlText(s).replace(/"/g, '&quot;');
  const cell = (row: number, col: number, value: string): string =>
    `<c r="${cellAddress(row, col)}" t="inlineStr"><is><t xml:space="preserve">${escapeXmlText(escapeFormula(value))}</t></is></c>`;
  const sheetRows = added.rows.map((r, i) => `<row r="${i + 1}">${r.map((v, j) => (v === '' ? '' : cell(i + 1, j + 1, v))).join('')}</row>`);
  const xml =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${sheetRows.join('')}</sheetData></worksheet>`;
  const edits = new Map<string, (xml: string) => string>([
    [
      'xl/workbook.xml',
      (wb) => {
        let maxId = 0;
        for (const t of xmlElements(wb, 'sheet')) maxId = Math.max(maxId, Number(attrs(t.attrText).get('sheetId')) || 0);
        // The prefix the workbook already binds to the relationships namespace (readers that
        // match "r:id" literally exist), else a declaration on the element itself.
        const root = firstElement(wb, 'workbook');
        const bound = root ? [...attrs(root.attrText)].find(([k, v]) => k.startsWith('xmlns:') && v === REL_NS)?.[0].slice(6) : undefined;
        const ns = bound === undefined ? ` xmlns:r="${REL_NS}"` : '';
        const r = bound ?? 'r';
        return beforeEndTag(wb, 'sheets', (p) => `<${p}sheet${ns} name="${attr(name)}" sheetId="${maxId + 1}" ${r}:id="${rid}"/>`);
      },
    ],
    [
      'xl/_rels/workbook.xml.rels',
      (rels) => beforeEndTag(rels, 'Relationships', (p) => `<${p}Relationship Id="${rid}" Type="${REL_NS}/worksheet" Target="worksheets/sheet${n}.xml"/>`),
    ],
    [
      '[Content_Types].xml',
      (types) =>
        beforeEndTag(types, 'Types', (p) => `<${p}Override PartName="/${path}" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`),
    ],
  ]);
  return { path, xml, edits };
}

interface ColStyle {
  min: number;
  max: number;
  style: string;
}

/**
 * Sets inline-string values on the given cells of one worksheet part. Existing cells keep
 * their `r` and `s` (style) attributes; missing cells and rows are inserted in order with
 * the row's or column's style. Cells holding a formula are left alone.
 */
export function patchSheetXml(xml: string, writes: Map<number, Map<number, string>>): string {
  const parts = splitSheetXml(xml, 'worksheet');
  const sd = new RegExp(`^<(${NAME}:)?sheetData\\b([^>]*?)(/?)>`).exec(parts.sheetData);
  if (!sd) throw new Error('sheetData not found');
  const p = sd[1] ?? '';
  const open = `<${p}sheetData${sd[2] ?? ''}>`;
  const inner = sd[3] === '/' ? '' : parts.sheetData.slice(sd[0].length, parts.sheetData.length - `</${p}sheetData>`.length);

  const colStyles: ColStyle[] = [];
  for (const t of xmlElements(parts.head, 'col')) {
    const a = attrs(t.attrText);
    const style = a.get('style');
    if (style && style !== '0') colStyles.push({ min: Number(a.get('min')), max: Number(a.get('max')), style });
  }
  const styleForNew = (rowAttrs: Map<string, string> | null, col: number): string | undefined => {
    if (rowAttrs && (rowAttrs.get('customFormat') === '1' || rowAttrs.get('customFormat') === 'true')) return rowAttrs.get('s');
    return colStyles.find((c) => col >= c.min && col <= c.max)?.style;
  };
  const newCell = (row: number, col: number, value: string, style: string | undefined): string =>
    `<${p}c r="${cellAddress(row, col)}"${style ? ` s="${style}"` : ''} t="inlineStr"><${p}is><${p}t xml:space="preserve">${escapeXmlText(value)}</${p}t></${p}is></${p}c>`;

  const pending = [...writes.keys()].sort((a, b) => a - b);
  const newRow = (row: number): string => {
    const cols = [...(writes.get(row) ?? new Map<number, string>())].sort((a, b) => a[0] - b[0]);
    return `<${p}row r="${row}">${cols.map(([c, v]) => newCell(row, c, v, styleForNew(null, c))).join('')}</${p}row>`;
  };

  const rowRe = new RegExp(`<${p}row\\b([^>]*?)(?:/>|>([\\s\\S]*?)</${p}row>)`, 'g');
  let out = '';
  let last = 0;
  let implicitRow = 0;
  for (const m of inner.matchAll(rowRe)) {
    const rowAttrs = attrs(m[1] ?? '');
    const r = Number(rowAttrs.get('r') ?? implicitRow + 1);
    implicitRow = r;
    out += inner.slice(last, m.index);
    while (pending.length > 0 && (pending[0] ?? 0) < r) out += newRow(pending.shift() ?? 0);
    if (pending[0] === r) {
      pending.shift();
      out += patchRow(m[1] ?? '', m[2] ?? '', r, rowAttrs, writes.get(r) ?? new Map(), p, newCell, styleForNew);
    } else out += m[0];
    last = (m.index ?? 0) + m[0].length;
  }
  out += inner.slice(last);
  for (const r of pending) out += newRow(r);

  const head = updateDimension(parts.head, writes);
  return `${head}${open}${out}</${p}sheetData>${parts.tail}`;
}

function patchRow(
  rowAttrText: string,
  inner: string,
  row: number,
  rowAttrs: Map<string, string>,
  cols: Map<number, string>,
  p: string,
  newCell: (row: number, col: number, value: string, style: string | undefined) => string,
  styleForNew: (rowAttrs: Map<string, string> | null, col: number) => string | undefined,
): string {
  const cellRe = new RegExp(`<${p}c\\b([^>]*?)(?:/>|>([\\s\\S]*?)</${p}c>)`, 'g');
  const targets = [...cols.keys()].sort((a, b) => a - b);
  let out = '';
  let last = 0;
  let implicitCol = 0;
  for (const m of inner.matchAll(cellRe)) {
    const a = attrs(m[1] ?? '');
    const ref = a.get('r');
    const col = ref ? colOf(ref) : implicitCol + 1;
    implicitCol = col;
    out += inner.slice(last, m.index);
    while (targets.length > 0 && (targets[0] ?? 0) < col) {
      const c = targets.shift() ?? 0;
      out += newCell(row, c, cols.get(c) ?? '', styleForNew(rowAttrs, c));
    }
    if (targets[0] === col) {
      targets.shift();
      const body = m[2] ?? '';
      // A formula cell is never replaced: its value is the customer's logic.
      if (new RegExp(`<${p}f\\b`).test(body)) out += m[0];
      else out += newCell(row, col, cols.get(col) ?? '', a.get('s'));
    } else out += m[0];
    last = (m.index ?? 0) + m[0].length;
  }
  // New trailing cells go right after the last cell, before any <extLst> of the row.
  for (const c of targets) out += newCell(row, c, cols.get(c) ?? '', styleForNew(rowAttrs, c));
  out += inner.slice(last);
  const maxCol = Math.max(...cols.keys());
  let attrText = rowAttrText;
  const spans = rowAttrs.get('spans');
  if (spans) {
    const nums = spans.split(/[\s:]+/).map(Number).filter(Number.isFinite);
    const lo = Math.min(...nums, ...cols.keys());
    const hi = Math.max(...nums, maxCol);
    attrText = attrText.replace(/\bspans="[^"]*"/, `spans="${lo}:${hi}"`);
  }
  // A self-closing <row .../> has no '/' in its captured attributes, so this also opens it.
  return `<${p}row${attrText}>${out}</${p}row>`;
}

function colOf(ref: string): number {
  const m = /^\$?([A-Za-z]{1,3})/.exec(ref);
  if (!m?.[1]) return 0;
  let n = 0;
  for (const ch of m[1].toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

function updateDimension(head: string, writes: Map<number, Map<number, string>>): string {
  const t = firstElement(head, 'dimension');
  if (!t) return head;
  const tag = head.slice(t.index, t.tagEnd).replace(/(\bref=")([^"]*)(")/, (_m, a: string, ref: string, z: string) => {
    const range = parseRange(ref);
    if (!range) return `${a}${ref}${z}`;
    for (const [r, cols] of writes) {
      for (const c of cols.keys()) {
        range.top = Math.min(range.top, r);
        range.bottom = Math.max(range.bottom, r);
        range.left = Math.min(range.left, c);
        range.right = Math.max(range.right, c);
      }
    }
    const tl = cellAddress(range.top, range.left);
    const br = cellAddress(range.bottom, range.right);
    return `${a}${tl === br ? tl : `${tl}:${br}`}${z}`;
  });
  return head.slice(0, t.index) + tag + head.slice(t.tagEnd);
}
