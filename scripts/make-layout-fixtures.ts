/**
 * Generates the layout fixtures under test/fixtures/layout-*.xlsx used by
 * test/questionnaire/layouts.test.ts and test/spreadsheet/*-layouts.test.ts: workbooks laid
 * out like the public questionnaires customers send (a CAIQ v4-style sheet, a HECVAT-style
 * multi-sheet workbook with repeated section headers, formula question cells and analyst
 * sheets, the METI cloud service-level checklist, the IPA secure web site checklist, a CAIQ
 * v3.1-style sheet with Yes | No | Not Applicable mark columns under a two-row header, and
 * Japanese sheets with ○ | × | － or 該当 | 非該当 mark columns and 回答欄 / 貴社記入欄 group
 * headers over their sub-headers), so detection and writing are tested on
 * those layouts without redistributing the publishers' files. Sheet names, header texts,
 * positions, validations, merges and formulas follow the originals; every question, id
 * and guidance text is written for these tests.
 *
 * Run: npx tsx scripts/make-layout-fixtures.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { FIXTURES_DIR, fixtureWorkbook } from './fixture-workbook.js';

const DIR = FIXTURES_DIR;
const workbook = fixtureWorkbook;

const bold = (c: ExcelJS.Cell): void => {
  c.font = { bold: true };
  c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
};

function headerRow(ws: ExcelJS.Worksheet, row: number, texts: string[], from = 1): void {
  texts.forEach((t, i) => {
    const c = ws.getCell(row, from + i);
    c.value = t;
    bold(c);
  });
}

const list = (ws: ExcelJS.Worksheet, ref: string, values: string[]): void => {
  ws.getCell(ref).dataValidation = { type: 'list', allowBlank: true, formulae: [`"${values.join(',')}"`] };
};

/**
 * CAIQ v4-style: an introduction sheet, then one sheet whose columns are Question ID |
 * Question | CSP CAIQ Answer (Yes/No/NA list) | SSRM Control Ownership (list) | CSP
 * Implementation Description | CSC Responsibilities | CCM columns merged over each
 * control's questions; a title band above and a copyright band below.
 */
async function caiq(): Promise<Buffer> {
  const wb = workbook();
  const intro = wb.addWorksheet('Introduction');
  intro.getCell('A1').value = 'Cloud assessment questionnaire (layout sample)';
  intro.getCell('A3').value = 'Answer every question with Yes, No or NA and describe how it is implemented.';

  const ws = wb.addWorksheet('CAIQv4.0.3');
  ws.columns = [12, 60, 12, 22, 50, 40, 10, 40, 24, 24].map((width) => ({ width }));
  ws.getCell('A1').value = 'Consensus-style Assessment Questionnaire v4 (layout sample)';
  ws.mergeCells('A1:J1');
  headerRow(ws, 2, [
    'Question ID',
    'Question',
    'CSP CAIQ Answer',
    'SSRM Control Ownership',
    'CSP Implementation Description (Optional/Recommended)',
    'CSC Responsibilities (Optional/Recommended)',
    'CCM Control ID',
    'CCM Control Specification',
    'CCM Control Title',
    'CCM Domain Title',
  ]);
  const controls: Array<{ id: string; spec: string; title: string; domain: string; questions: string[] }> = [
    {
      id: 'A&A-01',
      spec: 'Audit policies are written, approved, communicated and reviewed every year.',
      title: 'Audit Policy',
      domain: 'Audit & Assurance',
      questions: [
        'Are audit and assurance policies written down, approved by management and shared with staff?',
        'Are the audit and assurance policies reviewed and updated at least once a year?',
      ],
    },
    {
      id: 'A&A-02',
      spec: 'Independent assessments run at least yearly.',
      title: 'Independent Assessments',
      domain: 'Audit & Assurance',
      questions: ['Is an independent audit of the service carried out at least once a year?'],
    },
    {
      id: 'BCR-01',
      spec: 'Business continuity plans exist, are tested and are kept current.',
      title: 'Continuity Planning',
      domain: 'Business Continuity',
      questions: [
        'Is there a documented business continuity plan for the hosted service?',
        'Is the continuity plan exercised at least once a year?',
        'Are customers told the recovery time objective of the service?',
      ],
    },
    {
      id: 'CEK-03',
      spec: 'Data is encrypted at rest and in transit with current algorithms.',
      title: 'Data Encryption',
      domain: 'Cryptography & Keys',
      questions: ['Is customer data encrypted at rest with keys managed by the provider?'],
    },
    {
      id: 'IAM-14',
      spec: 'Strong authentication protects every administrative interface.',
      title: 'Strong Authentication',
      domain: 'Identity & Access',
      questions: ['Is multi-factor authentication required for every administrator?', 'Are administrator sessions logged and retained for review?'],
    },
  ];
  let row = 3;
  for (const c of controls) {
    const first = row;
    c.questions.forEach((q, i) => {
      ws.getCell(row, 1).value = `${c.id}.${i + 1}`;
      ws.getCell(row, 2).value = q;
      ws.getCell(row, 2).alignment = { wrapText: true };
      list(ws, `C${row}`, ['Yes', 'No', 'NA']);
      list(ws, `D${row}`, ['CSP-owned', 'CSC-owned', '3rd-party outsourced', 'Shared CSP and CSC', 'Shared CSP and 3rd-party']);
      row++;
    });
    ws.getCell(first, 7).value = c.id;
    ws.getCell(first, 8).value = c.spec;
    ws.getCell(first, 9).value = c.title;
    ws.getCell(first, 10).value = c.domain;
    if (row - 1 > first) for (const col of ['G', 'H', 'I', 'J']) ws.mergeCells(`${col}${first}:${col}${row - 1}`);
  }
  // An answer the vendor already gave, with its description and ownership: kept as it is.
  ws.getCell('C8').value = 'Yes';
  ws.getCell('D8').value = 'CSP-owned';
  ws.getCell('E8').value = 'Recovery objectives are published in the service description.';
  ws.getCell(row + 1, 1).value = '© 2026 Example Cloud Alliance. Layout sample written for kotae tests.';
  ws.mergeCells(row + 1, 1, row + 1, 10);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/**
 * HECVAT-style (a 4.x file where several editions share one workbook): a START HERE sheet;
 * vendor sheets whose header row repeats per section ("<Section> | Answer | Additional
 * Information | Guidance | Analyst Notes", the section name merged over the id and
 * question columns), ids like GNRL-01, question cells that are VLOOKUP formulas into a
 * hidden question bank, a contact block without a list above Yes/No questions, and a
 * copyright band; an analyst report, a standards crosswalk and an answer summary full of
 * formulas that vendors must not touch.
 */
async function hecvat(): Promise<Buffer> {
  const wb = workbook();
  const start = wb.addWorksheet('START HERE');
  start.getCell('A1').value = 'Higher-education vendor assessment (layout sample)';
  start.getCell('A3').value = 'Answer every question on the vendor sheets. Do not edit the analyst sheets.';

  const bank: Array<[string, string]> = [];
  const vendorSheet = (name: string, sections: Array<{ title: string; rows: Array<{ id: string; q: string; list: boolean; guidance: string }> }>): ExcelJS.Worksheet => {
    const ws = wb.addWorksheet(name);
    ws.columns = [12, 60, 14, 40, 40, 30].map((width) => ({ width }));
    ws.getCell('A1').value = `${name} (layout sample)`;
    ws.mergeCells('A1:F1');
    let row = 2;
    for (const s of sections) {
      ws.getCell(row, 1).value = s.title;
      bold(ws.getCell(row, 1));
      ws.mergeCells(row, 1, row, 2);
      headerRow(ws, row, ['Answer', 'Additional Information', 'Guidance', 'Analyst Notes'], 3);
      row++;
      for (const r of s.rows) {
        bank.push([r.id, r.q]);
        ws.getCell(row, 1).value = r.id;
        ws.getCell(row, 2).value = { formula: `VLOOKUP(A${row},Questions!$A$2:$B$200,2,FALSE)`, result: r.q };
        ws.getCell(row, 5).value = r.guidance;
        if (r.list) list(ws, `C${row}`, ['Yes', 'No']);
        row++;
      }
      row++; // a blank row between sections
    }
    ws.getCell(row, 1).value = '© 2026 Example Higher-Ed Consortium. Layout sample written for kotae tests.';
    ws.mergeCells(row, 1, row, 6);
    return ws;
  };

  const org = vendorSheet('Organization', [
    {
      title: 'General Information',
      rows: [
        { id: 'GNRL-01', q: 'Solution provider (company) name', list: false, guidance: 'Legal name of the company.' },
        { id: 'GNRL-02', q: 'Name of the product being assessed', list: false, guidance: 'As sold to the institution.' },
        { id: 'GNRL-03', q: 'Contact person for this assessment', list: false, guidance: 'Name and role.' },
      ],
    },
    {
      title: 'Company Overview',
      rows: [
        { id: 'COMP-01', q: 'Has your company operated this product for more than three years?', list: true, guidance: 'Explain shorter histories.' },
        { id: 'COMP-02', q: 'Does your company have a dedicated information security team?', list: true, guidance: 'Describe its size.' },
        { id: 'COMP-03', q: 'Has your company had a reportable data breach in the last five years?', list: true, guidance: 'Describe any breach.' },
        { id: 'COMP-04', q: 'Do you carry cyber liability insurance?', list: true, guidance: 'State the coverage.' },
      ],
    },
    {
      title: 'Documentation',
      rows: [
        { id: 'DOCU-01', q: 'Do you publish a current security whitepaper for the product?', list: true, guidance: 'Attach or link it.' },
        { id: 'DOCU-02', q: 'Can you share a recent third-party audit report under NDA?', list: true, guidance: 'Name the audit type.' },
      ],
    },
  ]);
  // Answers the vendor already gave: kept.
  org.getCell('C3').value = 'Example Learning Systems Ltd.';
  org.getCell('C9').value = 'No';

  vendorSheet('Product', [
    {
      title: 'Application Security',
      rows: [
        { id: 'HLAP-01', q: 'Is the application tested for vulnerabilities before every major release?', list: true, guidance: 'Describe the tooling.' },
        { id: 'HLAP-02', q: 'Are third-party libraries tracked and patched within a defined time?', list: true, guidance: 'State the time frame.' },
        { id: 'HLAP-03', q: 'Is customer input validated on the server side?', list: true, guidance: '' },
      ],
    },
    {
      title: 'Authentication, Authorization, and Account Management',
      rows: [
        { id: 'AAAI-01', q: 'Does the product support single sign-on with SAML or OpenID Connect?', list: true, guidance: 'List the protocols.' },
        { id: 'AAAI-02', q: 'Can administrators enforce multi-factor authentication for all users?', list: true, guidance: '' },
      ],
    },
  ]);

  // Institution-only sheets: read the vendor's answers by formula, score and override them.
  const analyst = wb.addWorksheet('Analyst Report');
  headerRow(analyst, 1, ['Question ID', 'Question', 'Vendor Answer', 'Compliant Override', 'Score', 'Analyst Notes']);
  ['COMP-01', 'COMP-02', 'COMP-03', 'COMP-04'].forEach((id, i) => {
    const r = i + 2;
    const src = 8 + i;
    analyst.getCell(r, 1).value = { formula: `Organization!A${src}`, result: id };
    analyst.getCell(r, 2).value = { formula: `Organization!B${src}`, result: bank.find(([b]) => b === id)?.[1] ?? '' };
    analyst.getCell(r, 3).value = { formula: `Organization!C${src}`, result: 0 };
    list(analyst, `D${r}`, ['Yes', 'No']);
    analyst.getCell(r, 5).value = { formula: `IF(OR(C${r}="Yes",D${r}="Yes"),1,0)`, result: 0 };
  });
  const crosswalk = wb.addWorksheet('Standards Crosswalk');
  headerRow(crosswalk, 1, ['Question ID', 'Question', 'Answer', 'ISO 27002', 'NIST CSF']);
  crosswalk.getCell('A2').value = 'HLAP-01';
  crosswalk.getCell('B2').value = { formula: 'VLOOKUP(A2,Questions!$A$2:$B$200,2,FALSE)', result: bank.find(([b]) => b === 'HLAP-01')?.[1] ?? '' };
  crosswalk.getCell('C2').value = { formula: 'Product!C3', result: 0 };
  crosswalk.getCell('D2').value = '8.29';
  crosswalk.getCell('E2').value = 'PR.IP-2';
  // A summary whose name says nothing: told by its answer cells, which are formulas.
  const summary = wb.addWorksheet('Answer Summary');
  headerRow(summary, 1, ['ID', 'Question', 'Answer', 'Additional Information']);
  ['HLAP-01', 'HLAP-02', 'HLAP-03'].forEach((id, i) => {
    const r = i + 2;
    summary.getCell(r, 1).value = id;
    summary.getCell(r, 2).value = { formula: `Product!B${3 + i}`, result: bank.find(([b]) => b === id)?.[1] ?? '' };
    summary.getCell(r, 3).value = { formula: `Product!C${3 + i}`, result: 0 };
    summary.getCell(r, 4).value = { formula: `Product!D${3 + i}`, result: 0 };
  });

  const questions = wb.addWorksheet('Questions', { state: 'hidden' });
  headerRow(questions, 1, ['ID', 'Question']);
  bank.forEach(([id, q], i) => {
    questions.getCell(i + 2, 1).value = id;
    questions.getCell(i + 2, 2).value = q;
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/**
 * METI cloud service-level checklist style: an introduction, then チェックリスト with
 * № | 種別 | サービスレベル項目例 | 規定内容 | 測定単位 | 設定, 種別 merged down over its items,
 * the vendor's setting written in 設定.
 */
async function meti(): Promise<Buffer> {
  const wb = workbook();
  const intro = wb.addWorksheet('はじめに');
  intro.getCell('A1').value = 'このチェックリストは、クラウドサービスの提供条件を確認するための見本です。';
  const ws = wb.addWorksheet('チェックリスト');
  ws.columns = [6, 18, 28, 50, 12, 36].map((width) => ({ width }));
  ws.getCell('A1').value = 'クラウドサービスレベルのチェックリスト（レイアウト見本）';
  ws.mergeCells('A1:F1');
  headerRow(ws, 3, ['№', '種別', 'サービスレベル項目例', '規定内容', '測定単位', '設定']);
  const groups: Array<[string, Array<[string, string, string]>]> = [
    [
      'アプリケーション運用',
      [
        ['提供時間帯', 'サービスを利用できる時間帯（定期保守による停止時間を除く）', '時間帯'],
        ['定期保守の事前連絡', '定期保守で停止する日時を利用者へ事前に知らせる手順', '有無'],
        ['提供終了の事前連絡', 'サービスの提供を終える場合に利用者へ知らせる時期と手段', '有無'],
        ['事業者都合の停止時の扱い', '事業者の都合で提供を止める場合の利用者データの返却方法', '有無'],
      ],
    ],
    [
      'サポート',
      [
        ['障害窓口の受付時間', '障害の連絡を受け付ける曜日と時間帯', '時間帯'],
        ['一般窓口の受付時間', '操作方法などの問い合わせを受け付ける曜日と時間帯', '時間帯'],
      ],
    ],
    [
      'データ管理',
      [
        ['バックアップ方式', '利用者データのバックアップの取得方法と保管場所', '有無／内容'],
        ['バックアップ保管期間', 'バックアップを保管しておく期間', '期間'],
      ],
    ],
  ];
  let row = 4;
  let no = 1;
  for (const [kind, items] of groups) {
    const first = row;
    ws.getCell(row, 2).value = kind;
    for (const [item, desc, unit] of items) {
      ws.getCell(row, 1).value = no++;
      ws.getCell(row, 3).value = item;
      ws.getCell(row, 4).value = desc;
      ws.getCell(row, 4).alignment = { wrapText: true };
      ws.getCell(row, 5).value = unit;
      row++;
    }
    ws.mergeCells(first, 2, row - 1, 2);
  }
  ws.getCell('F7').value = '提供終了の6か月前までに書面で通知'; // already set by the vendor: kept
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const BOXES = '□対応済\n□未対策\n□対応不要';

/**
 * IPA secure web site checklist style: № | 脆弱性の種類 | 対策の性質 | チェック | 実施項目 | 解説,
 * with № and 脆弱性の種類 merged down over each vulnerability, 対策の性質 over its measures,
 * checkbox text in the チェック cells (one merged over two measures, one already ticked,
 * one written on a single line with slashes).
 */
async function ipa(): Promise<Buffer> {
  const wb = workbook();
  const how = wb.addWorksheet('記入方法');
  how.getCell('A1').value = '実施項目ごとに、チェック欄の該当する□を■に変えてください。';
  const ws = wb.addWorksheet('セキュリティ実装チェックリスト');
  ws.columns = [6, 24, 14, 14, 56, 10].map((width) => ({ width }));
  ws.getCell('A1').value = 'ウェブサイトのセキュリティ実装チェックリスト（レイアウト見本）';
  ws.mergeCells('A1:F1');
  headerRow(ws, 3, ['№', '脆弱性の種類', '対策の性質', 'チェック', '実施項目', '解説']);
  const rows: Array<[number, string, string]> = [
    [4, '外部から受け取った値を含むSQL文は、すべてバインド機構を使って組み立てる。', '4-(i)'],
    [5, '数値や列名もSQL文へ文字列として直接つなげない。', '4-(ii)'],
    [6, 'データベースのエラー内容を利用者の画面に表示しない。', '4-(iii)'],
    [7, 'アプリケーションが使うデータベースアカウントの権限を必要最小限にする。', '4-(iv)'],
    [8, 'シェルを呼び出す関数を使わずに実装する。', '5-(i)'],
    [9, 'やむを得ず使う場合は、渡す引数を許可リストで検査する。', '5-(ii)'],
    [10, '外部から渡された値を、コマンドに渡す前に検証する。', '5-(iii)'],
    [11, 'ページに出力するすべての要素にエスケープ処理を施す。', '6-(i)'],
    [12, 'URLを出力するときは、http:// か https:// で始まるものだけを許可する。', '6-(ii)'],
  ];
  for (const [r, item, ref] of rows) {
    ws.getCell(r, 5).value = item;
    ws.getCell(r, 5).alignment = { wrapText: true };
    ws.getCell(r, 6).value = ref;
    if (r !== 9) ws.getCell(r, 4).value = BOXES;
    ws.getCell(r, 4).alignment = { wrapText: true };
  }
  ws.getCell('D10').value = '■対応済\n□未対策\n□対応不要'; // already ticked by the vendor: kept
  ws.getCell('D12').value = '□ 対応済 / □ 未対策 / □ 対応不要';
  const band = (ref: string, value: string | number): void => {
    ws.getCell(ref.split(':')[0] ?? ref).value = value;
    ws.mergeCells(ref);
  };
  band('A4:A7', 1);
  band('B4:B7', 'SQLインジェクション');
  band('C4:C5', '根本的解決');
  band('C6:C7', '保険的対策');
  band('A8:A10', 2);
  band('B8:B10', 'OSコマンド・インジェクション');
  band('C8:C9', '根本的解決');
  ws.getCell('C10').value = '保険的対策';
  band('A11:A12', 3);
  band('B11:B12', 'クロスサイト・スクリプティング');
  band('C11:C12', '根本的解決');
  ws.mergeCells('D8:D9'); // one check for two measures
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Merges a group header over the columns of its sub-headers and each other header down over both rows. */
function twoRowHeader(ws: ExcelJS.Worksheet, top: number, cols: Array<string | { group: string; under: string[] }>): void {
  let col = 1;
  for (const c of cols) {
    if (typeof c === 'string') {
      headerRow(ws, top, [c], col);
      ws.mergeCells(top, col, top + 1, col);
      col++;
      continue;
    }
    headerRow(ws, top, [c.group], col);
    headerRow(ws, top + 1, c.under, col);
    ws.mergeCells(top, col, top, col + c.under.length - 1);
    col += c.under.length;
  }
}

/**
 * CAIQ v3.1-style: Control Domain | Control ID | Question ID | Control Specification |
 * Consensus Assessment Questions | Consensus Assessment Answers merged over Yes | No | Not
 * Applicable | Notes, a two-row header, the domain, control id and specification merged down
 * over each control's questions, one row already marked by the vendor. A second sheet has the
 * same choices as one header row: Ref | Requirement | Question | Yes | No | N/A | Comments.
 */
async function caiq31(): Promise<Buffer> {
  const wb = workbook();
  const ws = wb.addWorksheet('CAIQ v3.1');
  ws.columns = [22, 10, 11, 50, 60, 6, 6, 10, 40].map((width) => ({ width }));
  twoRowHeader(ws, 1, [
    'Control Domain',
    'Control ID',
    'Question ID',
    'Control Specification',
    'Consensus Assessment Questions',
    { group: 'Consensus Assessment Answers', under: ['Yes', 'No', 'Not Applicable'] },
    'Notes',
  ]);
  const controls: Array<{ domain: string; id: string; spec: string; questions: string[] }> = [
    {
      domain: 'Change Control',
      id: 'CCC-02',
      spec: 'Changes to production systems shall be authorised, tested and recorded before release.',
      questions: ['Is every production change approved by someone other than its author?', 'Are rollback steps written down before a release?'],
    },
    {
      domain: 'Supply Chain',
      id: 'STA-04',
      spec: 'Providers shall assess the security of their own suppliers at planned intervals.',
      questions: ['Do you review the security of your hosting suppliers every year?'],
    },
    {
      domain: 'Threat Management',
      id: 'TVM-03',
      spec: 'Mobile code shall be authorised before installation and use.',
      questions: ['Is mobile code blocked unless it has been authorised?', 'Do you keep a list of the mobile code allowed to run?', 'Are browser plug-ins restricted on staff machines?'],
    },
  ];
  let row = 3;
  for (const c of controls) {
    const first = row;
    c.questions.forEach((q, i) => {
      ws.getCell(row, 3).value = `${c.id}.${i + 1}`;
      ws.getCell(row, 5).value = q;
      ws.getCell(row, 5).alignment = { wrapText: true };
      for (let col = 6; col <= 8; col++) ws.getCell(row, col).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF2CC' } };
      row++;
    });
    ws.getCell(first, 1).value = c.domain;
    ws.getCell(first, 2).value = c.id;
    ws.getCell(first, 4).value = c.spec;
    ws.getCell(first, 4).alignment = { wrapText: true, vertical: 'top' };
    if (row - 1 > first) for (const col of ['A', 'B', 'D']) ws.mergeCells(`${col}${first}:${col}${row - 1}`);
  }
  // Marked by the vendor already (an X under No, with a note): kept.
  ws.getCell('G5').value = 'X';
  ws.getCell('I5').value = 'Suppliers are reviewed when a contract is renewed.';

  const sup = wb.addWorksheet('Supplement');
  sup.columns = [10, 40, 60, 6, 6, 6, 40].map((width) => ({ width }));
  headerRow(sup, 1, ['Ref', 'Requirement', 'Question', 'Yes', 'No', 'N/A', 'Comments']);
  const extra: Array<[string, string, string]> = [
    ['S-1', 'Backups shall be restorable.', 'Do you test restoring from backup at least twice a year?'],
    ['S-2', 'Staff shall be trained.', 'Do new staff complete security training in their first month?'],
    ['S-3', 'Keys shall be rotated.', 'Are encryption keys rotated at least once a year?'],
    ['S-4', 'Access shall be reviewed.', 'Are access rights reviewed every quarter?'],
  ];
  extra.forEach((x, i) => {
    sup.getRow(i + 2).values = x;
    sup.getCell(i + 2, 3).alignment = { wrapText: true };
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/**
 * Japanese per-choice mark columns under merged group headers: チェックシート has
 * 項番 | 要求事項 | 確認内容 | 回答欄 (merged over ○ | × | －) | 備考 and an instruction to put 「○」
 * in the column that applies; 追加確認 has No. | 質問 | 貴社記入欄 (merged over 該当 | 非該当 | 補足),
 * one row already marked ● by the vendor (the sheet's own mark).
 */
async function marksJa(): Promise<Buffer> {
  const wb = workbook();
  const ws = wb.addWorksheet('チェックシート');
  ws.columns = [6, 40, 50, 5, 5, 5, 40].map((width) => ({ width }));
  ws.getCell('A1').value = '該当する欄に「○」を記入し、必要に応じて備考をご記入ください。';
  ws.mergeCells('A1:G1');
  twoRowHeader(ws, 3, ['項番', '要求事項', '確認内容', { group: '回答欄', under: ['○', '×', '－'] }, '備考']);
  const rows: Array<[string, string, string]> = [
    ['1', '委託先の管理手順を定めること。', '委託先との契約に秘密保持の条項を含めていますか。'],
    ['2', '機器の持ち出しを管理すること。', '社外へ持ち出すノートPCのディスクは暗号化されていますか。'],
    ['3', '入退室を記録すること。', '執務室の入退室の記録を保管していますか。'],
    ['4', '脆弱性情報を収集すること。', '利用しているソフトウェアの脆弱性情報を定期的に確認していますか。'],
  ];
  rows.forEach((r, i) => {
    ws.getRow(i + 5).values = r;
    ws.getCell(i + 5, 3).alignment = { wrapText: true };
  });

  const add = wb.addWorksheet('追加確認');
  add.columns = [6, 50, 6, 6, 40].map((width) => ({ width }));
  twoRowHeader(add, 1, ['No.', '質問', { group: '貴社記入欄', under: ['該当', '非該当', '補足'] }]);
  const more = ['障害発生時の連絡窓口を契約書に明記していますか。', '個人情報を国外のサーバーに保存していますか。', '利用者ごとにアクセス権限を設定できますか。'];
  more.forEach((q, i) => {
    add.getCell(i + 3, 1).value = String(i + 1);
    add.getCell(i + 3, 2).value = q;
  });
  add.getCell('D4').value = '●'; // marked by the vendor already: kept, and the sheet's mark
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/**
 * Japanese two-row header with a free-text comment column named only in the second row:
 * 項番 | 確認内容 | 回答欄 (merged over 回答 [○/×/△/－ list] | 備考); and 貴社記入欄 merged over
 * 回答 | 補足 (both free text) on a second sheet.
 */
async function tworowJa(): Promise<Buffer> {
  const wb = workbook();
  const ws = wb.addWorksheet('チェックシート');
  ws.columns = [8, 60, 10, 50].map((width) => ({ width }));
  twoRowHeader(ws, 1, ['項番', '確認内容', { group: '回答欄', under: ['回答', '備考'] }]);
  const qs = ['管理者アカウントの一覧を定期的に見直していますか。', 'サーバーの時刻を同期していますか。', '退職者のアカウントは速やかに削除していますか。', '開発環境と本番環境は分離されていますか。'];
  qs.forEach((q, i) => {
    ws.getCell(i + 3, 1).value = String(i + 1);
    ws.getCell(i + 3, 2).value = q;
    list(ws, `C${i + 3}`, ['○', '×', '△', '－']);
  });

  const free = wb.addWorksheet('ヒアリングシート');
  free.columns = [8, 50, 40, 30].map((width) => ({ width }));
  twoRowHeader(free, 1, ['No.', '質問事項', { group: '貴社記入欄', under: ['回答', '補足'] }]);
  ['サービスの稼働状況はどこで確認できますか。', '問い合わせ窓口の受付時間を教えてください。'].forEach((q, i) => {
    free.getCell(i + 3, 1).value = String(i + 1);
    free.getCell(i + 3, 2).value = q;
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const FIXTURES: Record<string, () => Promise<Buffer>> = {
  'layout-caiq.xlsx': caiq,
  'layout-hecvat.xlsx': hecvat,
  'layout-meti.xlsx': meti,
  'layout-ipa.xlsx': ipa,
  'layout-caiq31.xlsx': caiq31,
  'layout-marks-ja.xlsx': marksJa,
  'layout-tworow-ja.xlsx': tworowJa,
};

mkdirSync(DIR, { recursive: true });
for (const [name, make] of Object.entries(FIXTURES)) {
  writeFileSync(join(DIR, name), await make());
  console.log(`wrote test/fixtures/${name}`);
}
