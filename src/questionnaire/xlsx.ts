/**
 * Reading a customer's .xlsx into the grid model, and writing answers back into it.
 *
 * Reading: kotae extracts merges, list validations, defined names and hidden columns from
 * the sheet XML itself (never expanding a range), and gives ExcelJS a stripped copy that
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
import { Worker } from 'node:worker_threads';
import { InputError } from '../errors.js';
import {
  cellAddress,
  cellText,
  emptySheet,
  parseRange,
  setCell,
  type CellRange,
  type Grid,
  type GridSheet,
  type ListValidation,
} from './grid.js';
import { checkZip, type SafetyLimits } from './safety.js';
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
    return Number.isFinite(code) ? String.fromCodePoint(code) : '';
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

function attrs(tag: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of tag.matchAll(/([\w:.-]+)\s*=\s*("([^"]*)"|'([^']*)')/g)) {
    if (m[1]) out.set(m[1], decodeXml(m[3] ?? m[4] ?? ''));
  }
  return out;
}

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
  for (const m of relsXml.matchAll(new RegExp(`<(?:${NAME}:)?Relationship\\b([^>]*)>`, 'g'))) {
    const a = attrs(m[1] ?? '');
    const id = a.get('Id');
    const target = a.get('Target');
    if (id && target) targets.set(id, { target, type: a.get('Type') ?? '' });
  }
  const sheets: SheetInfo[] = [];
  let skippedCharts = 0;
  for (const m of workbookXml.matchAll(new RegExp(`<(?:${NAME}:)?sheet\\b([^>]*)>`, 'g'))) {
    const a = attrs(m[1] ?? '');
    const name = a.get('name');
    const id = attrLocal(a, 'id');
    const rel = id ? targets.get(id) : undefined;
    if (!name || !rel) continue;
    if (!rel.type.endsWith('/worksheet')) {
      skippedCharts++;
      continue;
    }
    const state = a.get('state') ?? 'visible';
    sheets.push({ name, hidden: state !== 'visible', path: resolvePartPath('xl/workbook.xml', rel.target) });
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
  const root = new RegExp(`<(${NAME}:)?worksheet\\b[^>]*>`).exec(xml);
  const sd = new RegExp(`<(${NAME}:)?sheetData\\b[^>]*?(/?)>`).exec(xml);
  if (!root || !sd) throw new InputError(`${path}: not a worksheet part`, 'The workbook is damaged; save it again in Excel.');
  const p = sd[1] ?? '';
  let end: number;
  if (sd[2] === '/') end = sd.index + sd[0].length;
  else {
    const close = xml.indexOf(`</${p}sheetData>`, sd.index);
    if (close < 0) throw new InputError(`${path}: unterminated sheetData`, 'The workbook is damaged; save it again in Excel.');
    end = close + `</${p}sheetData>`.length;
  }
  return {
    rootOpen: root[0],
    rootClose: `</${root[1] ?? ''}worksheet>`,
    head: xml.slice(0, sd.index),
    sheetData: xml.slice(sd.index, end),
    tail: xml.slice(end),
  };
}

function extractExtras(parts: SheetXmlParts): SheetExtras {
  const merges: CellRange[] = [];
  for (const m of parts.tail.matchAll(new RegExp(`<(?:${NAME}:)?mergeCell\\b([^>]*)>`, 'g'))) {
    const r = parseRange(attrs(m[1] ?? '').get('ref') ?? '');
    if (r) merges.push(r);
  }
  const validations: RawValidation[] = [];
  // Both <dataValidation> and the x14 extension form (<x14:dataValidation> with
  // <xm:f>/<xm:sqref>), which Excel uses for lists that point at another sheet.
  const dv = new RegExp(`<(?:${NAME}:)?dataValidation\\b([^>]*?)(?:/>|>([\\s\\S]*?)</(?:${NAME}:)?dataValidation>)`, 'g');
  for (const m of parts.tail.matchAll(dv)) {
    const a = attrs(m[1] ?? '');
    if ((a.get('type') ?? '') !== 'list') continue;
    const body = m[2] ?? '';
    const f1 = new RegExp(`<(?:${NAME}:)?formula1\\b[^>]*>([\\s\\S]*?)</(?:${NAME}:)?formula1>`).exec(body)?.[1] ?? '';
    const formula = decodeXml(f1.replace(/<[^>]+>/g, '')).trim();
    const sqref =
      a.get('sqref') ?? decodeXml(new RegExp(`<(?:${NAME}:)?sqref\\b[^>]*>([\\s\\S]*?)</(?:${NAME}:)?sqref>`).exec(body)?.[1] ?? '');
    if (formula && sqref.trim()) validations.push({ sqref: sqref.trim(), formula });
  }
  const hiddenCols = new Set<number>();
  for (const m of parts.head.matchAll(new RegExp(`<(?:${NAME}:)?col\\b([^>]*)>`, 'g'))) {
    const a = attrs(m[1] ?? '');
    if (a.get('hidden') !== '1' && a.get('hidden') !== 'true') continue;
    const min = Number(a.get('min'));
    const max = Math.min(Number(a.get('max')), min + 1000);
    for (let c = min; c <= max; c++) hiddenCols.add(c);
  }
  return { merges, validations, hiddenCols };
}

function definedNames(workbookXml: string, sheets: SheetInfo[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of workbookXml.matchAll(new RegExp(`<(?:${NAME}:)?definedName\\b([^>]*)>([\\s\\S]*?)</(?:${NAME}:)?definedName>`, 'g'))) {
    const a = attrs(m[1] ?? '');
    const name = a.get('name');
    if (!name) continue;
    const local = a.get('localSheetId');
    const key = local !== undefined ? `${sheets[Number(local)]?.name ?? ''}\u0000${name}` : name;
    out.set(key.toLowerCase(), decodeXml(m[2] ?? '').trim());
  }
  return out;
}

/** The values a list validation offers; null when its source cannot be resolved. */
function resolveListValues(formula: string, sheet: GridSheet, grid: Grid, names: Map<string, string>, depth = 0): string[] | null {
  const f = formula.replace(/^=/, '').trim();
  if (f.startsWith('"') && f.endsWith('"') && f.length >= 2) {
    return f
      .slice(1, -1)
      .replace(/""/g, '"')
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v !== '');
  }
  const ref = /^(?:(?:'((?:[^']|'')+)'|([^'!]+))!)?(\$?[A-Za-z]{1,3}\$?\d+(?::\$?[A-Za-z]{1,3}\$?\d+)?)$/.exec(f);
  if (ref?.[3]) {
    const sheetName = ref[1]?.replace(/''/g, "'") ?? ref[2];
    const target = sheetName === undefined ? sheet : grid.sheets.find((s) => s.name === sheetName);
    const range = parseRange(ref[3]);
    if (!target || !range) return null;
    const values: string[] = [];
    for (let r = range.top; r <= range.bottom && values.length < 1000; r++) {
      for (let c = range.left; c <= range.right && values.length < 1000; c++) {
        const t = cellText(target, r, c).trim();
        if (t) values.push(t);
      }
    }
    return values;
  }
  if (depth < 3 && /^[\p{L}_\\][\p{L}\p{N}_.\\]*$/u.test(f)) {
    const target = names.get(`${sheet.name}\u0000${f}`.toLowerCase()) ?? names.get(f.toLowerCase());
    if (target) return resolveListValues(target, sheet, grid, names, depth + 1);
  }
  return null; // INDIRECT(...), OFFSET(...), external books: not resolvable statically
}

/** What the worker returns: per sheet, [row, col, text, isFormula] tuples. */
interface WorkerSheet {
  name: string;
  cells: Array<[number, number, string, number]>;
}
type WorkerReply = { ok: true; sheets: WorkerSheet[] } | { ok: false; code: string | null; message: string };

// The worker is plain CommonJS evaluated from a string, so it runs the same under tsx,
// vitest and a compiled build (a .ts worker file needs a loader that vitest lacks).
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
  parentPort.postMessage({ ok: true, sheets });
})().catch((e) => parentPort.postMessage({ ok: false, code: (e && e.code) || null, message: String((e && e.message) || e) }));
`;

const excelPath = createRequire(import.meta.url).resolve('exceljs');

function isWorkerReply(v: unknown): v is WorkerReply {
  if (typeof v !== 'object' || v === null || !('ok' in v)) return false;
  return v.ok === true ? 'sheets' in v && Array.isArray(v.sheets) : 'message' in v && typeof v.message === 'string';
}

/** Parses the stripped workbook with ExcelJS in a worker with resource limits. */
async function parseInWorker(bytes: Buffer, fileName: string, limits: SafetyLimits): Promise<WorkerSheet[]> {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { excelPath, bytes, maxCells: limits.maxCells },
    resourceLimits: { maxOldGenerationSizeMb: limits.maxOldGenerationSizeMb, maxYoungGenerationSizeMb: 64 },
    stdout: true,
    stderr: true,
  });
  return new Promise<WorkerSheet[]>((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
      void worker.terminate();
    };
    const timer = setTimeout(
      () =>
        finish(() =>
          reject(
            new InputError(
              `${fileName}: reading the workbook took longer than ${Math.round(limits.parseTimeoutMs / 1000)} s`,
              'Remove unused sheets, rows and formatting, or upload it as .csv.',
            ),
          ),
        ),
      limits.parseTimeoutMs,
    );
    worker.on('message', (msg: unknown) =>
      finish(() => {
        if (!isWorkerReply(msg)) return reject(new Error('unexpected reply from the workbook parser'));
        if (msg.ok) return resolve(msg.sheets);
        if (msg.code === 'TOO_MANY_CELLS') {
          return reject(new InputError(`${fileName}: more than ${limits.maxCells} filled cells`, 'Split the questionnaire into smaller files.'));
        }
        reject(new InputError(`${fileName}: the workbook cannot be read (${msg.message})`, 'Open it in Excel and save it again as .xlsx.'));
      }),
    );
    worker.on('error', (err: Error & { code?: string }) =>
      finish(() => {
        if (err.code === 'ERR_WORKER_OUT_OF_MEMORY') {
          reject(
            new InputError(
              `${fileName}: the workbook needs more than ${limits.maxOldGenerationSizeMb} MB to read`,
              'Remove unused sheets, rows and formatting, or upload it as .csv.',
            ),
          );
        } else reject(new InputError(`${fileName}: the workbook cannot be read (${err.message})`, 'Open it in Excel and save it again as .xlsx.'));
      }),
    );
    worker.on('exit', (code) =>
      finish(() => reject(new InputError(`${fileName}: the workbook parser stopped (exit code ${code})`, 'Open it in Excel and save it again as .xlsx.'))),
    );
  });
}

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
  const rels = relsXml.replace(new RegExp(`<(?:${NAME}:)?Relationship\\b([^>]*)/?>(?:\\s*</(?:${NAME}:)?Relationship>)?`, 'g'), (m, a: string) =>
    keepRel.test(attrs(a).get('Type') ?? '') ? m : '',
  );
  const keptIds = new Set([...rels.matchAll(/\bId="([^"]+)"/g)].map((m) => m[1]));
  const wb = workbookXml
    .replace(new RegExp(`<(${NAME}:)?definedNames\\b[\\s\\S]*?</\\1?definedNames>`, 'g'), '')
    .replace(new RegExp(`<(${NAME}:)?(externalReferences|pivotCaches|extLst)\\b[\\s\\S]*?</\\1?\\2>`, 'g'), '')
    .replace(new RegExp(`<(?:${NAME}:)?sheet\\b([^>]*)/>`, 'g'), (m, a: string) => (keptIds.has(attrLocal(attrs(a), 'id') ?? '') ? m : ''));
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
    const minimal = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n${parts.rootOpen}${parts.sheetData}${parts.rootClose}`;
    stripped.push({ kind: 'data', name: info.path, data: Buffer.from(minimal, 'utf8'), store: true });
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
  const names = definedNames(workbookXml, infos);
  for (const sheet of grid.sheets) {
    const raw = extras.get(sheet.name)?.validations ?? [];
    sheet.validations = raw.map((v): ListValidation => ({
      ranges: v.sqref
        .split(/\s+/)
        .map((r) => parseRange(r))
        .filter((r): r is CellRange => r !== null),
      values: resolveListValues(v.formula, sheet, grid, names),
      source: v.formula,
    }));
  }
  return { grid, source: { kind: 'xlsx', entries, sheetPaths }, notes };
}

// ---------------------------------------------------------------------------------------
// Writing

/** Writes the answers into a copy of the original workbook; only the target cells change. */
export function patchXlsx(source: XlsxSource, writes: CellWrite[]): Buffer {
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
  const out: ZipOut[] = source.entries.map((entry): ZipOut => {
    const rows = byPath.get(entry.name);
    if (!rows) return { kind: 'copy', entry };
    const xml = inflateEntry(entry).toString('utf8');
    return { kind: 'data', name: entry.name, data: Buffer.from(patchSheetXml(xml, rows), 'utf8'), dosTime: entry.dosTime, dosDate: entry.dosDate };
  });
  return writeZip(out);
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
  for (const m of parts.head.matchAll(new RegExp(`<(?:${NAME}:)?col\\b([^>]*)>`, 'g'))) {
    const a = attrs(m[1] ?? '');
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
  return head.replace(new RegExp(`(<(?:${NAME}:)?dimension\\b[^>]*\\bref=")([^"]*)(")`), (_m, a: string, ref: string, z: string) => {
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
}
