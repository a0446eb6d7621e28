/**
 * Parser for checksheets extracted from PDF to tab-separated text: one table row per line,
 * section headings as lines of their own, page titles and column headers repeated on every
 * page, OCR noise and HTML remnants in the cells.
 *
 * How the extraction damages the table, and what this parser does about it:
 * - Column headers are shifted or merged (cybozu's "確認事項" sits over both the number and
 *   the requirement column), so columns are assigned from the order of the recognised
 *   labels, not their positions: the number column is column 0 whenever no label names it.
 * - Headings are split across cells by a tab, with stray OCR tokens ("T", "I", "_") in the
 *   other cells: the fragments are re-joined and the junk dropped.
 * - Heading levels are not marked up. A heading number that continues the top-level
 *   numbering opens a new chapter, one that continues (or starts at 1 under) the current
 *   heading is a subsection; see `placeNumberedHeading`.
 * - Row numbers restart under each numbered heading, so refs are composed from the section
 *   numbers ("2-1-3"); numbers the sheet already composes ("6-15") are kept. A row whose
 *   number OCR lost is still a row, numbered after its predecessor in the same section.
 *   Where a sheet restarts numbering under an unnumbered subsection, the second "8-1"
 *   becomes "8-1(2)" so that refs stay unique within the file.
 * - Merged cells (SLA sheets' 種別 / サービスレベル項目) are blank below their first row:
 *   the value is carried down until the next section heading.
 * - A line with an empty number cell right after a row is that row wrapping (none of the
 *   sample sheets has one, but other extractors do): its cells are appended to the row's.
 */
import type { ManifestEntry, Passage } from '../domain.js';
import { ParseError } from '../errors.js';
import { cleanText, matchKey, squash, stripHtml } from './clean.js';
import { inferStatus, markStatus } from './status.js';

type Role = 'number' | 'category' | 'item' | 'requirement' | 'unit' | 'mark' | 'answer';

/**
 * Column labels, matched against the label without whitespace. The odd spellings are OCR
 * readings seen in scanned sheets (唯必項目 = 確認事項, 天旭有無 = 実施有無, 佣名 = 備考).
 */
const HEADER_LABELS: ReadonlyArray<readonly [RegExp, Role]> = [
  [/^(?:no\.?|項番|番号|項目|#)$/i, 'number'],
  [/^(?:種別|分類|カテゴリー?)$/, 'category'],
  [/(?:サービスレベル項目|対策項目|管理項目)$/, 'item'],
  [/確認事項|規定内容|対策要件|要求事項|質問|唯必項目/, 'requirement'],
  [/単位/, 'unit'],
  [/実施有無|対応可否|対応状況|^回答$|^可否$|^有無$|天旭有無/, 'mark'],
  [/備考|実施内容|回答内容|補足|説明|佣名/, 'answer'],
];

/** Header cells are labels; anything longer is table content that happens to mention one. */
const MAX_LABEL_LENGTH = 20;

type Columns = Partial<Record<Role, number>>;

const ROW_NUMBER = /^\d+(?:[-‐–]\d+)*$/u;
/** "1情報セ", "2-1 内部", "1. 情報セキュリティ…": a section number followed by its title. */
const NUMBERED_HEADING = /^(\d+(?:[-‐–.]\d+)*)\.?\s*(\D.*)$/u;
const JAPANESE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const KANA = /[\p{Script=Hiragana}]/u;

interface Heading {
  text: string;
  /** Full section number ([2, 1] for "2-1" or for "1 内部組織" under "2 …"); null when unnumbered. */
  number: number[] | null;
}

interface Row {
  line: number;
  sectionPath: string[];
  refParts: number[];
  /** Raw cells, so that continuation lines can be appended before cleaning. */
  cells: string[];
  category: string;
  item: string;
}

/** A stray OCR token: one character that is neither a Japanese character nor part of a word. */
function isJunk(text: string): boolean {
  return [...text].length === 1 && !JAPANESE.test(text);
}

function readHeader(line: string): Columns | null {
  const labels = line
    .split('\t')
    .map((cell) => matchKey(cell))
    .filter((cell) => cell !== '');
  if (labels.length < 3 || labels.some((label) => label.length > MAX_LABEL_LENGTH)) return null;
  const roles = labels.map((label) => HEADER_LABELS.find(([pattern]) => pattern.test(label))?.[1] ?? null);
  if (roles.filter((role) => role !== null).length < 3 || !roles.includes('requirement')) return null;
  const start = roles[0] === 'number' ? 0 : 1;
  const columns: Columns = { number: 0 };
  roles.forEach((role, index) => {
    if (role !== null && columns[role] === undefined) columns[role] = start + index;
  });
  return columns;
}

/** Re-joins a heading split across cells, dropping OCR junk tokens and seam punctuation. */
function joinFragments(cells: string[], keepLeadingNumber: boolean): string {
  const fragments = cells.map((cell, cellIndex) =>
    cleanText(cell)
      .split(' ')
      .filter((token, tokenIndex) => (keepLeadingNumber && cellIndex === 0 && tokenIndex === 0) || !isJunk(token))
      .join(' ')
      .replace(/^[:;_|]+|[:;_|]+$/g, '')
      .trim(),
  );
  return fragments.reduce((joined, fragment) => {
    if (fragment === '') return joined;
    // A tab split a word in two; only Latin words need their space back.
    const space = /[A-Za-z0-9]$/.test(joined) && /^[A-Za-z0-9]/.test(fragment) ? ' ' : '';
    return joined === '' ? fragment : joined + space + fragment;
  }, '');
}

/**
 * Where a heading numbered with a single integer goes. Preference order: it continues the
 * numbering at the shallowest level it fits (3 after 2 is a sibling, 1 opens a subsection);
 * it repeats the number of the heading at some level (an OCR slip: "5" printed twice) and
 * takes the next number; it skips ahead at the shallowest level (a section left out).
 */
function placeNumberedHeading(numbered: Heading[], n: number): number[] {
  const current = (level: number): number => numbered[level]?.number?.at(-1) ?? 0;
  const parent = (level: number): number[] => numbered[level - 1]?.number ?? [];
  const levels = [...numbered.keys(), numbered.length];
  const fits = levels.find((level) => current(level) + 1 === n);
  if (fits !== undefined) return [...parent(fits), n];
  const repeats = levels.find((level) => level < numbered.length && current(level) === n);
  if (repeats !== undefined) return [...parent(repeats), n + 1];
  const skips = levels.find((level) => n > current(level) + 1) ?? numbered.length;
  return [...parent(skips), n];
}

function isPrefix(prefix: number[], of: number[]): boolean {
  return prefix.length < of.length && prefix.every((part, index) => of[index] === part);
}

/** Splits a mark cell that also holds text ("○ 情報資産…", "<li>○ …</li><li>○ …</li>"). */
function splitMarkCell(raw: string): { mark: string; text: string } {
  const lines = stripHtml(raw)
    .split('\n')
    .map((line) => squash(line.normalize('NFKC')))
    .filter((line) => line !== '');
  const leading = (line: string): string | null => {
    const token = line.split(' ')[0] ?? '';
    // Only symbols: a leading "0" or "-" in a value or a list is not a mark.
    return line.includes(' ') && [...token].length === 1 && !/[\p{L}\p{N}-]/u.test(token) && markStatus(token) !== null
      ? token
      : null;
  };
  const first = lines[0];
  const mark = first === undefined ? null : leading(first);
  if (mark === null) return { mark: cleanText(raw), text: '' };
  const text = lines
    .map((line) => (leading(line) === null ? line : line.slice(line.indexOf(' ') + 1)))
    .join(' ')
    // A list flattened onto one line keeps each item's mark: "○ 手順を作成… ○ krewDataは…".
    .replaceAll(` ${mark} `, ' ');
  return { mark, text: squash(text) };
}

/** Parses one PDF-extracted checksheet into one `control` passage per table row. */
export function parseChecksheetText(text: string, entry: ManifestEntry): Passage[] {
  if (text.trim() === '') throw new ParseError(entry.file, 'the file is empty');
  if (text.includes('\u0000')) {
    throw new ParseError(entry.file, 'binary data, not extracted text (a PDF needs format "pdf" in the manifest)');
  }
  const lines = text.split('\n').map((line) => line.replace(/\r$/, ''));
  const headerIndex = lines.findIndex((line) => readHeader(line) !== null);
  const columns = headerIndex < 0 ? null : readHeader(lines[headerIndex] ?? '');
  if (columns === null) {
    throw new ParseError(entry.file, 'no checksheet table header (a line with columns such as 確認事項 / 実施有無 / 備考)');
  }
  // Page titles repeat the document's opening lines on every page.
  const boilerplate = new Set(
    [entry.title, ...lines.slice(0, headerIndex)].map((line) => matchKey(line)).filter((key) => key !== ''),
  );

  const cell = (cells: string[], role: Role): string => {
    const index = columns[role];
    return index === undefined ? '' : (cells[index] ?? '');
  };

  const rows: Row[] = [];
  let stack: Heading[] = [];
  let category = '';
  let item = '';
  let previous: 'row' | 'other' = 'other';

  const openHeading = (heading: Heading): void => {
    stack = [...stack, heading];
    category = '';
    item = '';
  };

  const addRow = (lineNumber: number, cells: string[], number: string | null): void => {
    const sectionPath = stack.map((heading) => heading.text);
    const last = rows.at(-1);
    const sameSection = last !== undefined && last.sectionPath.join('\n') === sectionPath.join('\n');
    const sectionNumber = stack.filter((heading) => heading.number !== null).at(-1)?.number ?? [];
    let refParts: number[];
    if (number === null) {
      // Lost to OCR: the row after its predecessor in the same section, or the section's first.
      refParts = sameSection ? [...last.refParts.slice(0, -1), (last.refParts.at(-1) ?? 0) + 1] : [...sectionNumber, 1];
    } else {
      const parts = number.split(/[-‐–]/u).map(Number);
      refParts = parts.length > 1 ? parts : [...sectionNumber, ...parts];
    }
    let rowCells = cells;
    const itemColumn = columns.item;
    const unitColumn = columns.unit;
    // A measurement unit is a short noun (時間帯, 回, ○×); one that reads like a phrase means the
    // extractor inserted an empty cell before サービスレベル項目, so the row is read one cell left.
    if (
      itemColumn !== undefined &&
      unitColumn !== undefined &&
      cleanText(cells[itemColumn] ?? '') === '' &&
      KANA.test(cells[unitColumn] ?? '')
    ) {
      rowCells = [...cells.slice(0, itemColumn), ...cells.slice(itemColumn + 1), ''];
    }
    category = cleanText(cell(rowCells, 'category')) || category;
    item = cleanText(cell(rowCells, 'item')) || item;
    rows.push({ line: lineNumber, sectionPath, refParts, cells: rowCells, category, item });
  };

  for (let index = headerIndex + 1; index < lines.length; index++) {
    const raw = lines[index] ?? '';
    const cells = raw.split('\t');
    const cleaned = cells.map((c) => cleanText(c));
    const content = cleaned.filter((c) => c !== '' && !isJunk(c));
    // Blank lines, page numbers and lone OCR specks.
    if (!content.some((c) => /\p{L}/u.test(c))) continue;
    if (readHeader(raw) !== null) continue;
    if (content.length === 1 && boilerplate.has(matchKey(content[0] ?? ''))) continue;

    const first = cleaned[0] ?? '';
    const headingNumber = NUMBERED_HEADING.exec(first);
    const lostNumber = first === '' || (!JAPANESE.test(first) && [...first].length <= 3 && !ROW_NUMBER.test(first));
    const hasRequirement = cleanText(cell(cells, 'requirement')) !== '';
    const hasAnswer = cleanText(cell(cells, 'mark')) !== '' || cleanText(cell(cells, 'answer')) !== '';

    if (ROW_NUMBER.test(first)) {
      addRow(index + 1, cells, first);
      previous = 'row';
    } else if (headingNumber !== null) {
      const written = (headingNumber[1] ?? '').split(/[-‐–.]/u).map(Number);
      const numbered = stack.filter((heading) => heading.number !== null);
      const number = written.length > 1 ? written : placeNumberedHeading(numbered, written[0] ?? 0);
      stack = numbered.filter((heading) => heading.number !== null && isPrefix(heading.number, number));
      openHeading({ text: joinFragments(cells, true), number });
      previous = 'other';
    } else if (lostNumber && hasRequirement && hasAnswer) {
      addRow(index + 1, cells, null);
      previous = 'row';
    } else if (first === '' && previous === 'row') {
      // A row that wrapped onto the next line: its cells continue the previous row's.
      const row = rows.at(-1);
      if (row !== undefined) {
        const width = Math.max(row.cells.length, cells.length);
        row.cells = Array.from({ length: width }, (_, i) => `${row.cells[i] ?? ''} ${cells[i] ?? ''}`);
      }
    } else {
      // Unnumbered headings sit below the deepest numbered one and replace each other.
      stack = stack.filter((heading) => heading.number !== null);
      openHeading({ text: joinFragments(cells, false), number: null });
      previous = 'other';
    }
  }

  if (rows.length === 0) {
    throw new ParseError(entry.file, 'no numbered rows under the table header', `L${headerIndex + 1}`);
  }

  const seen = new Map<string, number>();
  const controls = rows.map((row): Passage => {
    const base = row.refParts.join('-');
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    const ref = count === 1 ? base : `${base}(${count})`;

    const { mark, text: markText } = splitMarkCell(cell(row.cells, 'mark'));
    // 対応可否 may hold the value itself ("24時間366日") rather than ○/×; then it is part of the answer.
    const value = mark !== '' && markStatus(mark) === null ? mark : '';
    const answer = [value, markText, cleanText(cell(row.cells, 'answer'))].filter((t) => t !== '').join(' ');
    const requirementText = cleanText(cell(row.cells, 'requirement'));
    const requirement = row.item && requirementText ? `${row.item}: ${requirementText}` : row.item || requirementText;
    const sectionPath =
      row.category && row.category !== row.sectionPath.at(-1) ? [...row.sectionPath, row.category] : row.sectionPath;
    const locator = `L${row.line}`;
    return {
      id: `${entry.product}/${entry.file}#${locator}`,
      product: entry.product,
      kind: 'control',
      source: entry.file,
      title: entry.title,
      locator,
      line: row.line,
      page: null,
      sectionPath,
      ref,
      requirement,
      answer,
      status: inferStatus(mark, answer),
    };
  });
  return [...preamble(lines.slice(0, headerIndex), entry), ...controls];
}

/** A `◆…について` line introduces the statements below it rather than stating anything. */
const PREAMBLE_HEADING_MAX = 40;

/**
 * The statements above the table: certifications held (ISO/IEC 27001 numbers, scopes),
 * the guideline the sheet follows. Customers ask about exactly these, so each line becomes
 * a passage of its own, under the `◆` heading it belongs to.
 */
function preamble(lines: string[], entry: ManifestEntry): Passage[] {
  const title = matchKey(entry.title);
  const out: Passage[] = [];
  let heading = '';
  // "認証番号：JQA-…" states nothing by itself; the sentence above it ("…を取得しています") does.
  let blockStatus: Passage['status'] = 'unknown';
  lines.forEach((raw, index) => {
    const text = cleanText(raw).replace(/^[-#*・\s]+/u, '');
    if ([...text].length < 6 || !/\p{L}/u.test(text) || matchKey(text) === title) return;
    const body = text.replace(/^◆\s*/u, '');
    if (text.startsWith('◆') && [...body].length <= PREAMBLE_HEADING_MAX) {
      heading = body;
      blockStatus = 'unknown';
      return;
    }
    const own = inferStatus('', body);
    if (own !== 'unknown') blockStatus = own;
    const locator = `L${index + 1}`;
    out.push({
      id: `${entry.product}/${entry.file}#${locator}`,
      product: entry.product,
      kind: 'policy',
      source: entry.file,
      title: entry.title,
      locator,
      line: index + 1,
      page: null,
      sectionPath: heading ? [entry.title, heading] : [entry.title],
      ref: '',
      requirement: '',
      answer: body,
      status: own === 'unknown' ? blockStatus : own,
    });
  });
  return out;
}
