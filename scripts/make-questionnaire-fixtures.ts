/**
 * Generates the questionnaire fixtures under test/fixtures/ used by test/questionnaire/.
 * Run: npx tsx scripts/make-questionnaire-fixtures.ts [file name...]
 * (with names, only those fixtures are written; the others stay as they are).
 *
 * All questions are made up for the tests; none comes from the evaluation sets. Dates are
 * fixed so that re-running the script gives the same workbook content.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { FIXTURES_DIR, fixtureWorkbook } from './fixture-workbook.js';
import iconv from 'iconv-lite';
import { makeSyntheticQuestionnaire } from '../src/questionnaire/synthetic.js';
import { inflateEntry, readZipEntries, writeZip, type ZipOut } from '../src/spreadsheet/zip.js';

const DIR = FIXTURES_DIR;
const workbook = fixtureWorkbook;

const bold = (c: ExcelJS.Cell): void => {
  c.font = { bold: true };
  c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE2EFDA' } };
};

/**
 * English, several sheets: an instruction sheet first, a controls sheet whose Response
 * list comes from a hidden Lists sheet, statements instead of questions, merged and
 * unmerged section rows, a numbering-only row, blank rows, an answer already given, a
 * "Customer Notes" column the customer wrote in; a second question sheet with a free-text
 * Answer column and section headings written in the question column.
 */
async function oddEnglish(): Promise<Buffer> {
  const wb = workbook();
  const info = wb.addWorksheet('Instructions');
  info.getCell('A1').value = 'How to complete this assessment';
  info.getCell('A3').value = 'Question';
  info.getCell('B3').value = 'Guidance';
  info.getCell('A4').value = 'Each control';
  info.getCell('B4').value = 'Select a response and explain in Additional Information.';

  const ws = wb.addWorksheet('Security Controls');
  ws.columns = [{ width: 8 }, { width: 16 }, { width: 60 }, { width: 14 }, { width: 40 }, { width: 30 }];
  ws.getCell('A1').value = 'Vendor Security Assessment';
  ws.mergeCells('A1:F1');
  ['Ref', 'Domain', 'Control', 'Vendor Response', 'Additional Information', 'Customer Notes'].forEach((h, i) => {
    ws.getCell(3, i + 1).value = h;
    bold(ws.getCell(3, i + 1));
  });
  const rows: Array<[number, Array<string | number | null>]> = [
    [4, ['Access Control']], // merged section row
    [5, ['AC-1', 'Access', 'The vendor enforces multi-factor authentication for all administrators.', null, null, null]],
    [6, ['AC-2', 'Access', 'User access rights are reviewed at least every six months.', null, null, 'Important for us']],
    [7, ['AC-3', 'Access', 'Is single sign-on via SAML supported?', 'Yes', 'Existing vendor note', null]],
    [8, ['7']], // numbering-only row
    [10, ['Data Protection']], // unmerged section row: one cell only
    [11, ['DP-1', 'Data', 'Customer data is encrypted at rest with AES-256 or stronger.', null, null, null]],
    [12, ['DP-2', 'Data', 'Describe your backup retention period.', null, null, null]],
  ];
  for (const [r, values] of rows) values.forEach((v, i) => (ws.getCell(r, i + 1).value = v));
  ws.mergeCells('A4:F4');
  bold(ws.getCell('A4'));
  for (const r of [5, 6, 7, 11, 12]) {
    ws.getCell(r, 4).dataValidation = { type: 'list', allowBlank: true, formulae: ['Lists!$A$1:$A$4'] };
    ws.getCell(r, 3).alignment = { wrapText: true };
  }

  const privacy = wb.addWorksheet('Privacy');
  privacy.columns = [{ width: 6 }, { width: 60 }, { width: 40 }, { width: 30 }];
  ['No.', 'Question', 'Answer', 'Comments'].forEach((h, i) => (privacy.getCell(1, i + 1).value = h));
  const prows: Array<Array<string | number | null>> = [
    [1, 'Do you process personal data outside the country of the customer?'],
    [2, 'Is a data processing agreement offered to customers?'],
    [null, 'Retention'], // heading in the question column, no number
    [3, 'How long are logs kept after contract termination?'],
    [4, 'Can customers export their data in a standard format?'],
  ];
  prows.forEach((values, i) => values.forEach((v, j) => (privacy.getCell(i + 2, j + 1).value = v)));

  const lists = wb.addWorksheet('Lists', { state: 'hidden' });
  ['Yes', 'No', 'Partial', 'N/A'].forEach((v, i) => (lists.getCell(i + 1, 1).value = v));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/**
 * Japanese: a 実施状況 column with a ○/×/△/該当なし list next to a free-text 回答内容 column
 * and 備考, 大項目 as category, merged section rows, numbering-only rows; a second sheet
 * whose 回答 header names the marks in brackets (回答（○/×）) but has no list.
 */
async function japaneseStatus(): Promise<Buffer> {
  const wb = workbook();
  const ws = wb.addWorksheet('チェックシート');
  ws.columns = [{ width: 8 }, { width: 14 }, { width: 60 }, { width: 12 }, { width: 40 }, { width: 30 }];
  ws.getCell('A1').value = '委託先セキュリティ確認シート';
  ws.mergeCells('A1:F1');
  ['項番', '大項目', '確認事項', '実施状況', '回答内容', '備考'].forEach((h, i) => (ws.getCell(2, i + 1).value = h));
  const data: Array<[number, Array<string | null>]> = [
    [3, ['1. 組織的対策']],
    [4, ['1-1', '組織', '情報セキュリティ委員会を設置していること。', null, null, null]],
    [5, ['1-2', '組織', '委託先の選定基準を文書化していますか。', null, null, null]],
    [6, ['1-3']],
    [7, ['2. 技術的対策']],
    [8, ['2-1', '技術', '管理者アカウントに多要素認証を適用していますか。', null, null, null]],
    [9, ['2-2', '技術', '保存データを暗号化していること。', null, null, '当社指定の方式を希望']],
  ];
  for (const [r, values] of data) values.forEach((v, i) => (ws.getCell(r, i + 1).value = v));
  ws.mergeCells('A3:F3');
  ws.mergeCells('A7:F7');
  for (const r of [4, 5, 8, 9]) ws.getCell(r, 4).dataValidation = { type: 'list', allowBlank: true, formulae: ['"○,×,△,該当なし"'] };

  const ws2 = wb.addWorksheet('追加質問');
  ['No', '質問項目', '回答（○/×）', '備考'].forEach((h, i) => (ws2.getCell(1, i + 1).value = h));
  ws2.getCell('A2').value = 1;
  ws2.getCell('B2').value = '脆弱性診断を年1回以上実施していますか。';
  ws2.getCell('A3').value = 2;
  ws2.getCell('B3').value = 'ログを1年以上保管していますか。';
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A previously answered questionnaire (for src/corpus/qa-sheet.ts). */
async function answeredJapanese(): Promise<Buffer> {
  const wb = workbook();
  const ws = wb.addWorksheet('回答済み');
  ['項番', '区分', '確認事項', '回答', '備考'].forEach((h, i) => (ws.getCell(1, i + 1).value = h));
  const data: Array<[number, Array<string | null>]> = [
    [2, ['1. アクセス管理']],
    [3, ['1-1', 'アクセス', '管理者に多要素認証を求めていますか。', 'はい', '全管理者にワンタイムパスワードを必須としています。']],
    [4, ['1-2', 'アクセス', '退職者のアカウントは即日削除していますか。', '一部対応', '人事連携のある部署のみ即日、その他は週次で削除しています。']],
    [5, ['2. データ保護']],
    [6, ['2-1', 'データ', '顧客データを国外に保存していますか。', 'いいえ', '国内リージョンのみを利用しています。']],
    [7, ['2-2', 'データ', 'オンプレミス版を提供していますか。', '該当なし', null]],
    [8, ['2-3', 'データ', 'バックアップを暗号化していますか。', null, null]], // not answered: no passage
  ];
  for (const [r, values] of data) values.forEach((v, i) => (ws.getCell(r, i + 1).value = v));
  ws.mergeCells('A2:E2');
  ws.mergeCells('A5:E5');
  for (const r of [3, 4, 6, 7, 8]) ws.getCell(r, 4).dataValidation = { type: 'list', allowBlank: true, formulae: ['"はい,いいえ,一部対応,該当なし"'] };
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/**
 * The synthetic questionnaire plus data validations over whole columns and the whole
 * sheet (A1:XFD1048576, as real HECVAT files have) and a merge reaching the last cell:
 * ExcelJS would expand each of them cell by cell.
 */
async function hugeValidation(): Promise<Buffer> {
  const base = await makeSyntheticQuestionnaire({ rows: 40, lang: 'en', statusList: false });
  const entries = await readZipEntries(base);
  const out: ZipOut[] = entries.map((entry): ZipOut => {
    if (entry.name !== 'xl/worksheets/sheet1.xml') return { kind: 'copy', entry };
    let xml = inflateEntry(entry).toString('utf8');
    const dv =
      '<dataValidations count="2">' +
      '<dataValidation type="list" allowBlank="1" sqref="D1:D1048576"><formula1>"Yes,No,Partial,N/A"</formula1></dataValidation>' +
      '<dataValidation type="textLength" allowBlank="1" sqref="A1:XFD1048576"><formula1>0</formula1><formula2>32000</formula2></dataValidation>' +
      '</dataValidations>';
    xml = xml.replace(/<dataValidations[\s\S]*?<\/dataValidations>/, '');
    xml = xml.replace('</mergeCells>', '<mergeCell ref="H5000:XFD1048576"/></mergeCells>');
    xml = xml.replace(/(<pageMargins|<\/worksheet>)/, `${dv}$1`);
    return { kind: 'data', name: entry.name, data: Buffer.from(xml, 'utf8') };
  });
  return writeZip(out);
}

/**
 * List validations whose source is a range over (almost) the whole sheet: the Response
 * list of "Security" is `$E$1:$XFD$1048576` on its own sheet, the Answer list of
 * "Privacy" is `'Answer Lists'!$A$1:$XFD$1048576`. Walking either cell by cell is 17
 * billion lookups; the values are the few cells that exist there, some at the far corner.
 */
async function listRangeValidation(): Promise<Buffer> {
  const wb = workbook();
  const ws = wb.addWorksheet('Security');
  ws.columns = [{ width: 8 }, { width: 60 }, { width: 14 }, { width: 40 }];
  ['Ref', 'Control', 'Response', 'Comments'].forEach((h, i) => (ws.getCell(1, i + 1).value = h));
  const controls = [
    'The vendor enforces multi-factor authentication for all administrators.',
    'Customer data is encrypted at rest with AES-256 or stronger.',
    'Is a vulnerability scan run at least monthly?',
    'Are production changes reviewed by a second engineer?',
  ];
  controls.forEach((q, i) => {
    ws.getCell(i + 2, 1).value = `SC-${i + 1}`;
    ws.getCell(i + 2, 2).value = q;
    ws.getCell(i + 2, 3).dataValidation = { type: 'list', allowBlank: true, formulae: ['$E$1:$XFD$1048576'] };
  });
  // The list's values: what exists in E1:XFD1048576, in row then column order.
  ws.getCell('Z1000').value = 'Yes';
  ws.getCell('E1048576').value = 'No';
  ws.getCell('XFD1048576').value = 'N/A';

  const privacy = wb.addWorksheet('Privacy');
  privacy.columns = [{ width: 6 }, { width: 60 }, { width: 14 }, { width: 40 }];
  ['No.', 'Question', 'Answer', 'Comments'].forEach((h, i) => (privacy.getCell(1, i + 1).value = h));
  [
    'Do you process personal data outside the country of the customer?',
    'Is a data processing agreement offered to customers?',
    'Can customers export their data in a standard format?',
  ].forEach((q, i) => {
    privacy.getCell(i + 2, 1).value = i + 1;
    privacy.getCell(i + 2, 2).value = q;
    privacy.getCell(i + 2, 3).dataValidation = { type: 'list', allowBlank: true, formulae: ["'Answer Lists'!$A$1:$XFD$1048576"] };
  });

  const lists = wb.addWorksheet('Answer Lists', { state: 'hidden' });
  lists.getCell('A1').value = 'Yes';
  lists.getCell('B1').value = 'Partial';
  lists.getCell('A2').value = 'No';
  lists.getCell('XFD1048576').value = 'N/A';
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const CSV_JA = [
  ['No', '質問', '回答', '備考'],
  ['1', '通信はTLS1.2以上で暗号化していますか。', '', ''],
  ['2', 'アクセスログを取得していますか。', '', ''],
  ['3', '"引用符",と改行を\n含む質問ですか。', '', ''],
];

const CSV_EN = [
  ['ID', 'Question', 'Response', 'Comments'],
  ['Q1', 'Is customer data encrypted in transit?', '', ''],
  ['Q2', 'Do you run annual penetration tests?', 'Yes', 'Done by a third party'],
  ['Q3', 'Describe your incident notification timeline.', '', ''],
];

function csvText(rows: string[][], delimiter: string, eol: string): string {
  const quote = (v: string): string => (/[",;\t\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return rows.map((r) => r.map(quote).join(delimiter)).join(eol) + eol;
}

const ANSWERED_CSV = [
  ['Question', 'Answer', 'Comments'],
  ['Do you encrypt backups?', 'Yes, all backups are encrypted with AES-256.', 'Keys are held in a KMS.'],
  ['Is there an on-premises edition?', 'N/A', 'Cloud only.'],
  ['Are penetration tests done yearly?', 'Partially - only the web application is tested.', ''],
  ['Do you store data outside Japan?', 'No', ''],
];

async function main(): Promise<void> {
  mkdirSync(DIR, { recursive: true });
  const files: Array<[string, () => Promise<Buffer> | Buffer]> = [
    ['questionnaire-odd-en.xlsx', oddEnglish],
    ['questionnaire-ja-status.xlsx', japaneseStatus],
    ['questionnaire-answered-ja.xlsx', answeredJapanese],
    ['questionnaire-huge-dv.xlsx', hugeValidation],
    ['questionnaire-list-range.xlsx', listRangeValidation],
    // Japanese Excel's default "CSV (comma delimited)": Shift_JIS (CP932), CRLF.
    ['questionnaire-sjis.csv', () => iconv.encode(csvText(CSV_JA, ',', '\r\n'), 'cp932')],
    // "CSV UTF-8" from a European-locale Excel: BOM, semicolons.
    ['questionnaire-bom.csv', () => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csvText(CSV_EN, ';', '\n'), 'utf8')])],
    ['questionnaire-answered-en.csv', () => Buffer.from(csvText(ANSWERED_CSV, ',', '\n'), 'utf8')],
  ];
  const only = process.argv.slice(2);
  const unknown = only.filter((n) => !files.some(([name]) => name === n));
  if (unknown.length > 0) throw new Error(`unknown fixture(s): ${unknown.join(', ')}`);
  for (const [name, make] of files) {
    if (only.length > 0 && !only.includes(name)) continue;
    const data = await make();
    writeFileSync(join(DIR, name), data);
    process.stdout.write(`wrote test/fixtures/${name} (${data.length} bytes)\n`);
  }
}

await main();
