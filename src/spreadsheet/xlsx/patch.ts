/**
 * Writing answers into a copy of the customer's .xlsx: the original zip is copied entry by
 * entry and only the patched sheet XML is re-deflated; in it only the target `<c>` elements
 * change (inline strings, keeping each cell's style). Everything else (styles, merges,
 * widths, validations including x14 ones, conditional formats, drawings, other sheets)
 * stays byte-for-byte as the customer sent it, which an ExcelJS read→write round trip
 * cannot promise.
 */
import type { AddedSheet, CellWrite } from '../format.js';
import { cellAddress, parseRange } from '../grid.js';
import { inflateEntry, writeZip, type ZipOut } from '../zip.js';
import type { XlsxSource } from './read.js';
import { attrs, escapeXmlText, firstElement, NAME, splitSheetXml, xmlElements } from './xml.js';

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
    `<c r="${cellAddress(row, col)}" t="inlineStr"><is><t xml:space="preserve">${escapeXmlText(value)}</t></is></c>`;
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
  // An empty value clears the cell (keeping its style): no empty string is left for a parser to count as filled.
  const newCell = (row: number, col: number, value: string, style: string | undefined): string =>
    value === ''
      ? `<${p}c r="${cellAddress(row, col)}"${style ? ` s="${style}"` : ''}/>`
      : `<${p}c r="${cellAddress(row, col)}"${style ? ` s="${style}"` : ''} t="inlineStr"><${p}is><${p}t xml:space="preserve">${escapeXmlText(value)}</${p}t></${p}is></${p}c>`;

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
