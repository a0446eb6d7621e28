/**
 * The evidence register a buyer's auditor asks for (`kotae answer --approved-only
 * --evidence-sheet`): per answered row, each public source it rests on (title, item/page,
 * quote, url), who approved the answer and when.
 *
 * For an xlsx it is one more sheet appended to the customer's own workbook. The workbook is
 * patched the way answers are written (src/spreadsheet/xlsx/patch.ts): the original parts are
 * copied byte for byte and only workbook.xml, its relationships and the content types gain
 * one entry each, so nothing the customer made is re-generated. A CSV has no sheets, so the
 * register is a CSV of its own, written next to the answers.
 */
import type { Language } from '../domain.js';
import { writeCsvFile, type CsvSource } from '../spreadsheet/csv.js';
import { patchSheetXml } from '../spreadsheet/xlsx/patch.js';
import { decodeXml } from '../spreadsheet/xlsx/xml.js';
import { inflateEntry, readZipEntries, writeZip, type ZipOut } from '../spreadsheet/zip.js';
import { documentText, placeText, type PublicSource } from './sources.js';

/** One answered row of the questionnaire, with what the register lists for it. */
export interface EvidenceRow {
  sheet: string;
  row: number;
  ref: string;
  question: string;
  sources: PublicSource[];
  approvedBy: string | null;
  /** ISO 8601; the register shows the date. */
  approvedAt: string | null;
}

const HEADERS: Record<Language, string[]> = {
  ja: ['シート', '行', '番号', '質問', '根拠資料', '項目・ページ', '引用', 'URL', '承認者', '承認日'],
  en: ['Sheet', 'Row', 'Ref', 'Question', 'Source document', 'Item / page / section', 'Quote', 'URL', 'Approved by', 'Approved on'],
};

export const EVIDENCE_SHEET_NAME: Record<Language, string> = { ja: '根拠一覧', en: 'Evidence' };

/** What a source not published as a document is called in the register (its text is not a public source). */
const UNNAMED: Record<Language, Record<'qa' | 'approved', string>> = {
  ja: { qa: '過去に回答した質問票', approved: '当社セキュリティ担当が承認した回答' },
  en: { qa: 'A questionnaire we answered before', approved: 'An answer our security team approved' },
};

/** The register as rows of cells, header first; one line per source, one line for an answer without a public source. */
export function evidenceTable(rows: readonly EvidenceRow[], lang: Language): string[][] {
  const table: string[][] = [HEADERS[lang]];
  for (const r of rows) {
    const head = [r.sheet, String(r.row), r.ref, r.question];
    const tail = [r.approvedBy ?? '', r.approvedAt?.slice(0, 10) ?? ''];
    if (r.sources.length === 0) table.push([...head, '', '', '', '', ...tail]);
    for (const s of r.sources) {
      const doc = s.title !== '' ? documentText(s, lang) : s.kind === 'qa' || s.kind === 'approved' ? UNNAMED[lang][s.kind] : '';
      table.push([...head, doc, s.title !== '' ? placeText([s], lang) : '', s.quote, s.url ?? '', ...tail]);
    }
  }
  return table;
}

/**
 * The register as a UTF-8 CSV beside the answered one, in its style (AnswerFileResult.csvStyle:
 * a BOM only when the answered file has one or is not UTF-8, its line endings), always with a
 * final newline. writeCsvFile escapes cells
 * against formulas.
 */
export function evidenceCsv(table: readonly string[][], style: { bom: boolean; recordDelimiter: '\r\n' | '\n' }): Buffer {
  const source: CsvSource = { kind: 'csv', encoding: 'utf8', bom: style.bom, delimiter: ',', recordDelimiter: style.recordDelimiter, trailingNewline: true, records: [], sheetName: 'evidence' };
  const writes = table.flatMap((cells, r) => cells.map((value, c) => ({ sheet: source.sheetName, row: r + 1, col: c + 1, value })));
  return writeCsvFile(source, writes).bytes;
}

const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const WORKSHEET_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet';
const WORKSHEET_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml';
const WIDTHS = [12, 6, 8, 40, 32, 16, 60, 30, 14, 12];

const attr = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A sheet name Excel accepts (no []:*?/\, at most 31 characters) that the workbook does not use yet. */
function freeSheetName(wanted: string, taken: readonly string[]): string {
  const lower = new Set(taken.map((n) => n.toLowerCase()));
  const base = wanted.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31);
  for (let i = 1; ; i++) {
    const name = i === 1 ? base : `${base.slice(0, 31 - ` (${i})`.length)} (${i})`;
    if (!lower.has(name.toLowerCase())) return name;
  }
}

/**
 * Appends a sheet holding `table` to an xlsx workbook and returns the new bytes and the
 * name it got (`根拠一覧`, or `根拠一覧 (2)` when the customer already has one).
 */
export async function appendSheet(bytes: Uint8Array, wantedName: string, table: readonly string[][]): Promise<{ bytes: Buffer; name: string }> {
  const entries = await readZipEntries(bytes);
  const find = (name: string) => entries.find((e) => e.name === name);
  const workbook = find('xl/workbook.xml');
  const rels = find('xl/_rels/workbook.xml.rels');
  const types = find('[Content_Types].xml');
  if (!workbook || !rels || !types) throw new Error('the workbook has no xl/workbook.xml, relationships or content types');
  const wbXml = inflateEntry(workbook).toString('utf8');
  const relsXml = inflateEntry(rels).toString('utf8');
  const typesXml = inflateEntry(types).toString('utf8');

  const sheetTags = [...wbXml.matchAll(/<(?:[\w.-]+:)?sheet\b[^>]*>/g)].map((m) => m[0]);
  const name = freeSheetName(wantedName, sheetTags.map((t) => decodeXml(/\bname="([^"]*)"/.exec(t)?.[1] ?? '')));
  const sheetId = Math.max(0, ...sheetTags.map((t) => Number(/\bsheetId="(\d+)"/.exec(t)?.[1] ?? 0))) + 1;
  // `sheetN.xml`, the name Excel itself uses: some readers (ExcelJS) only look for that.
  let n = 1;
  while (relsXml.includes(`Id="rIdKotae${n}"`) || find(`xl/worksheets/sheet${n}.xml`)) n++;
  const relId = `rIdKotae${n}`;
  const part = `xl/worksheets/sheet${n}.xml`;

  const close = /<\/((?:[\w.-]+:)?)sheets>/.exec(wbXml);
  if (!close) throw new Error('xl/workbook.xml has no <sheets> list');
  const prefix = close[1] ?? '';
  const sheetTag = `<${prefix}sheet xmlns:r="${REL_NS}" name="${attr(name)}" sheetId="${sheetId}" r:id="${relId}"/>`;
  const newWb = wbXml.slice(0, close.index) + sheetTag + wbXml.slice(close.index);
  const newRels = relsXml.replace(/<\/((?:[\w.-]+:)?)Relationships>\s*$/, (m, p: string) => `<${p}Relationship Id="${relId}" Type="${WORKSHEET_REL}" Target="worksheets/sheet${n}.xml"/>${m}`);
  const newTypes = typesXml.replace(/<\/((?:[\w.-]+:)?)Types>\s*$/, (m, p: string) => `<${p}Override PartName="/${part}" ContentType="${WORKSHEET_TYPE}"/>${m}`);
  if (newRels === relsXml || newTypes === typesXml) throw new Error('unexpected workbook relationships or content types');

  const cols = WIDTHS.map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>`).join('');
  const empty = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="${MAIN_NS}"><cols>${cols}</cols><sheetData/></worksheet>`;
  const cells = new Map<number, Map<number, string>>();
  table.forEach((row, r) => cells.set(r + 1, new Map(row.map((v, c) => [c + 1, v] as [number, string]).filter(([, v]) => v !== ''))));
  const sheetXml = patchSheetXml(empty, cells);

  const changed = new Map([
    [workbook.name, newWb],
    [rels.name, newRels],
    [types.name, newTypes],
  ]);
  const out: ZipOut[] = entries.map((entry): ZipOut => {
    const text = changed.get(entry.name);
    return text === undefined ? { kind: 'copy', entry } : { kind: 'data', name: entry.name, data: Buffer.from(text, 'utf8'), dosTime: entry.dosTime, dosDate: entry.dosDate };
  });
  out.push({ kind: 'data', name: part, data: Buffer.from(sheetXml, 'utf8') });
  return { bytes: writeZip(out), name };
}
