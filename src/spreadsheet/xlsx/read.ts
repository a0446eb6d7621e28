/**
 * Reading a customer's .xlsx into the grid model plus what is needed to write it back.
 *
 * kotae extracts merges, list validations, defined names and hidden columns and rows from the sheet
 * XML itself (never expanding a range, and with a linear-time tag scanner, ./xml.ts, rather
 * than regular expressions a hostile part can make rescan it), and gives ExcelJS a stripped
 * copy that holds only cells, shared strings and styles, parsed in a worker thread with a
 * heap cap and a timeout. ExcelJS expands every validation `sqref`, merge and defined name
 * cell by cell (A1:XFD1048576 in real HECVAT files = 17 billion cells: a hang, then an
 * OOM), and a bad file must not take the CLI or the Slack bot down with it.
 */
import { createRequire } from 'node:module';
import { InputError } from '../../errors.js';
import { emptySheet, MAX_COL, parseRange, setCell, type CellRange, type Grid, type ListValidation } from '../grid.js';
import { checkZip, FILE_HINTS, partTooLarge, type SafetyLimits } from '../safety.js';
import { runParseWorker } from '../worker.js';
import { inflateEntry, readZipEntries, writeZip, ZipFormatError, type ZipEntryRecord, type ZipOut } from '../zip.js';
import { ListResolver, MAX_FORMULA } from './lists.js';
import { attrLocal, attrs, decodeXml, firstElement, own, removeElements, resolvePartPath, splitSheetXml, xmlElements, type SheetXmlParts } from './xml.js';

export interface XlsxSource {
  kind: 'xlsx';
  entries: ZipEntryRecord[];
  /** Sheet name → path of its XML part inside the zip. */
  sheetPaths: Map<string, string>;
}

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
  hiddenRows: Set<number>;
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
  // Hidden (or zero-width) column spans, merged before expanding: a part with a million
  // <col min="1" max="16384" hidden="1"/> then costs at most MAX_COL set insertions.
  const spans: Array<[number, number]> = [];
  for (const t of xmlElements(parts.head, 'col')) {
    const a = attrs(t.attrText);
    // A column of width 0 is as invisible as a hidden one.
    const width = a.get('width');
    const zeroWidth = width !== undefined && Number(width) === 0;
    if (a.get('hidden') !== '1' && a.get('hidden') !== 'true' && !zeroWidth) continue;
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
  // Hidden rows: only the <row> start tags are scanned (the tag scanner is linear), never their cells.
  const hiddenRows = new Set<number>();
  for (const t of xmlElements(parts.sheetData, 'row')) {
    const a = attrs(t.attrText);
    const ht = a.get('ht');
    const zeroHeight = ht !== undefined && Number(ht) === 0;
    if (a.get('hidden') !== '1' && a.get('hidden') !== 'true' && !zeroHeight) continue;
    const r = Number(a.get('r'));
    if (Number.isInteger(r) && r >= 1) hiddenRows.add(r);
  }
  return { merges, validations, hiddenCols, hiddenRows };
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

/**
 * What the worker returns: per sheet, [row, col, text, formula] tuples; formula is 0 for a
 * value, 1 for a formula with its computed result, 2 for one saved without a result (then
 * the fifth element is the formula as written, '' when ExcelJS does not give it).
 */
interface WorkerSheet {
  name: string;
  cells: Array<[number, number, string, number, string?]>;
}

// ExcelJS in a worker (see worker.ts): per sheet, [row, col, text, formula, source] tuples (WorkerSheet).
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
        const v = cell.value;
        const uncomputed = isFormula && (v.result === undefined || v.result === null);
        if (uncomputed) cells.push([r, c, t, 2, typeof v.formula === 'string' ? v.formula : '']);
        else cells.push([r, c, t, isFormula ? 1 : 0]);
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
      throw new InputError(`${fileName}: the workbook is truncated or damaged (${e.message})`, FILE_HINTS.damaged);
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
        throw new InputError(`${fileName}: the workbook is truncated or damaged (${e.message})`, FILE_HINTS.damaged);
      }
      throw e;
    }
  };
  const workbookXml = text('xl/workbook.xml') ?? '';
  const relsXml = text('xl/_rels/workbook.xml.rels') ?? '';
  const { sheets: infos, skippedCharts } = listSheets(workbookXml, relsXml);
  const notes: string[] = [];
  if (skippedCharts > 0) notes.push(`${skippedCharts} chart sheet(s) ignored`);
  if (infos.length === 0) throw new InputError(`${fileName}: the workbook has no worksheets`, 'Save the sheet with the questions as .xlsx and try again.');

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
    for (const [r, c, t, f, source] of cells) {
      setCell(sheet, r, c, t);
      if (f === 2) sheet.uncomputed.set(`${r}:${c}`, source ?? '');
      if (f === 1 || f === 2) {
        sheet.formulas.add(`${r}:${c}`);
        if (r > sheet.maxRow) sheet.maxRow = r;
        if (c > sheet.maxCol) sheet.maxCol = c;
      }
    }
    const x = extras.get(info.name);
    if (x) {
      sheet.merges = x.merges;
      sheet.hiddenCols = x.hiddenCols;
      sheet.hiddenRows = x.hiddenRows;
    }
    grid.sheets.push(sheet);
  }
  // List values may point at other sheets or names, so resolve once every sheet is read.
  const lists = new ListResolver(grid, definedNames(workbookXml, infos));
  for (const sheet of grid.sheets) {
    const raw = extras.get(sheet.name)?.validations ?? [];
    sheet.validations = raw.map((v): ListValidation => {
      const choicesAt = lists.choicesOnSheet(v.formula, sheet);
      return {
        ranges: v.sqref
          .split(/\s+/)
          .map((r) => parseRange(r))
          .filter((r): r is CellRange => r !== null),
        values: lists.values(v.formula, sheet),
        source: v.formula,
        ...(choicesAt ? { choicesAt } : {}),
      };
    });
  }
  if (lists.exhausted > 0) notes.push(`${lists.exhausted} list validation(s) over very large ranges were not read: their values are unknown`);
  return { grid, source: { kind: 'xlsx', entries, sheetPaths }, notes };
}
