/**
 * Synthetic questionnaires, for benchmarks (scripts/bench.ts), fixtures and tests. The
 * questions are generated from generic security topics; nothing here comes from the
 * evaluation sets. (The deterministic stand-in answerer is test code: test/support/fake-answerer.ts.)
 */
import ExcelJS from 'exceljs';
import type { Language } from '../domain.js';

const TOPICS: Record<Language, string[]> = {
  ja: [
    '情報セキュリティ方針', 'アクセス権限の管理', '多要素認証', '通信の暗号化', '保存データの暗号化', '操作ログの取得と保管',
    'バックアップ', '脆弱性診断', 'インシデント対応手順', '委託先の管理', '従業員へのセキュリティ教育', 'データセンターの入退室管理',
    'マルウェア対策', 'パスワードの要件', '退職者アカウントの削除', '事業継続計画', '個人情報の取り扱い', '第三者認証の取得',
    '変更管理', '解約時のデータ削除',
  ],
  en: [
    'an information security policy', 'access rights reviews', 'multi-factor authentication', 'encryption in transit',
    'encryption at rest', 'audit log retention', 'backups', 'vulnerability scanning', 'an incident response plan',
    'subcontractor oversight', 'security awareness training', 'data centre access control', 'malware protection',
    'password requirements', 'removal of leavers\u2019 accounts', 'business continuity planning', 'personal data handling',
    'third-party certification', 'change management', 'data deletion at contract end',
  ],
};

const TEMPLATES: Record<Language, Array<(t: string, i: number) => string>> = {
  ja: [
    (t, i) => `${t}について規程を定めていますか。（設問${i}）`,
    (t, i) => `${t}を実施していること。（設問${i}）`,
    (t, i) => `${t}の状況を定期的に確認していますか。（設問${i}）`,
  ],
  en: [
    (t, i) => `Do you have ${t} in place? (item ${i})`,
    (t, i) => `The vendor maintains ${t}. (item ${i})`,
    (t, i) => `Describe how ${t} is reviewed. (item ${i})`,
  ],
};

const HEADERS: Record<Language, string[]> = {
  ja: ['No.', '区分', '質問', '回答', '備考'],
  en: ['#', 'Category', 'Question', 'Response', 'Comments'],
};

const LISTS: Record<Language, string> = {
  ja: '"はい,いいえ,一部対応,該当なし"',
  en: '"Yes,No,Partial,N/A"',
};

/** The n-th synthetic question (1-based), stable across runs. */
export function syntheticQuestion(n: number, lang: Language): string {
  const topics = TOPICS[lang];
  const templates = TEMPLATES[lang];
  const topic = topics[(n - 1) % topics.length] ?? '';
  const template = templates[Math.floor((n - 1) / topics.length) % templates.length] ?? templates[0];
  return template ? template(topic, n) : topic;
}

export interface SyntheticOptions {
  /** Number of question rows. */
  rows: number;
  lang?: Language;
  /** Give the answer column a status list validation (default true). */
  statusList?: boolean;
  /** A merged section heading row before every this many questions (default 10; 0 = none). */
  sectionEvery?: number;
  /** Add an instruction sheet after the questions (default true). */
  instructions?: boolean;
}

/**
 * An N-row questionnaire in the common layout: title and note rows, a header row, merged
 * section rows, question rows with empty answer and comment cells, an instruction sheet.
 */
export async function makeSyntheticQuestionnaire(opts: SyntheticOptions): Promise<Buffer> {
  const lang = opts.lang ?? 'ja';
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(lang === 'ja' ? '質問票' : 'Questionnaire');
  ws.columns = [{ width: 6 }, { width: 18 }, { width: 72 }, { width: 16 }, { width: 40 }];
  ws.getCell('A1').value = lang === 'ja' ? 'セキュリティチェックシート（テスト）' : 'Security questionnaire (synthetic)';
  ws.mergeCells('A1:E1');
  ws.getCell('A2').value = lang === 'ja' ? '回答欄と備考欄にご記入ください。' : 'Please fill in the Response and Comments columns.';
  ws.mergeCells('A2:E2');
  const header = ws.getRow(3);
  HEADERS[lang].forEach((h, i) => {
    const c = header.getCell(i + 1);
    c.value = h;
    c.font = { bold: true };
    c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
  });
  const every = opts.sectionEvery ?? 10;
  let r = 4;
  let section = 0;
  for (let n = 1; n <= opts.rows; n++) {
    if (every > 0 && (n - 1) % every === 0) {
      section++;
      ws.getCell(r, 1).value = lang === 'ja' ? `${section}. セクション${section}` : `${section}. Section ${section}`;
      ws.mergeCells(r, 1, r, 5);
      ws.getCell(r, 1).font = { bold: true };
      r++;
    }
    ws.getCell(r, 1).value = n;
    ws.getCell(r, 2).value = lang === 'ja' ? `区分${section}` : `Area ${section}`;
    ws.getCell(r, 3).value = syntheticQuestion(n, lang);
    ws.getCell(r, 3).alignment = { wrapText: true, vertical: 'top' };
    ws.getCell(r, 4).border = { bottom: { style: 'thin' } };
    ws.getCell(r, 5).alignment = { wrapText: true, vertical: 'top' };
    if (opts.statusList ?? true) {
      ws.getCell(r, 4).dataValidation = { type: 'list', allowBlank: true, formulae: [LISTS[lang]] };
    }
    r++;
  }
  if (opts.instructions ?? true) {
    const info = wb.addWorksheet(lang === 'ja' ? '記入要領' : 'Instructions');
    info.getCell('A1').value = lang === 'ja' ? '記入要領' : 'How to fill in';
    info.getCell('B3').value = lang === 'ja' ? '回答欄はリストから選択してください。' : 'Choose the response from the list.';
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
