/**
 * A question that asks for a figure, a place or a description gets no yes/no: in a bulk
 * file its Yes/No (はい/いいえ) cell stays empty and the answer goes to the text cell. The
 * drafter's reading of the question (src/draft/phrasing.ts questionForm) decides, so the
 * file and `kotae ask` agree on what an open question is. Workbooks are our own.
 */
import { describe, expect, it } from 'vitest';
import type { Status } from '../../src/domain.js';
import { answerQuestionnaireFile } from '../../src/questionnaire/answer-file.js';
import { DEFAULT_LIMITS } from '../../src/spreadsheet/safety.js';
import { answering, loadWorkbook, valueText, xlsx } from './helpers.js';



async function fill(bytes: Buffer, status: Status = 'yes') {
  const result = await answerQuestionnaireFile({ bytes, fileName: 'customer.xlsx' }, { product: 'krew', answer: answering(status), concurrency: 2, limits: DEFAULT_LIMITS });
  const wb = await loadWorkbook(result.bytes);
  const cell = (sheet: string, ref: string): string => valueText(wb.getWorksheet(sheet)?.getCell(ref).value ?? null);
  return { result, cell };
}

describe('a Yes/No cell beside a question that is not a yes/no question', () => {
  it('stays empty in a Yes/No column; the answer goes to the comment cell; yes/no questions keep their Yes', async () => {
    const bytes = await xlsx((wb) => {
      const ws = wb.addWorksheet('Data');
      ws.getRow(1).values = ['ID', 'Question', 'Yes/No', 'Comments'];
      ws.getRow(2).values = ['D-1', 'Is the admin console behind single sign-on?'];
      ws.getRow(3).values = ['D-2', 'How many copies of the audit log are kept?'];
      ws.getRow(4).values = ['D-3', 'Where are your disaster-recovery sites?'];
      ws.getRow(5).values = ['D-4', 'What is your recovery time objective?'];
    });
    const { cell } = await fill(bytes);
    expect(cell('Data', 'C2')).toBe('Yes');
    for (const r of [3, 4, 5]) {
      expect(cell('Data', `C${r}`)).toBe('');
      expect(cell('Data', `D${r}`)).toMatch(/^\(test answer\)/);
    }
  });

  it('stays empty in a はい/いいえ dropdown for 何世代 / どこ questions', async () => {
    const bytes = await xlsx((wb) => {
      const ws = wb.addWorksheet('確認');
      ws.getRow(1).values = ['No.', '確認事項', '回答', '備考'];
      ['監査ログは何世代保管していますか', '予備のサーバはどこに設置していますか', '監査ログを保管していますか'].forEach((q, i) => {
        ws.getRow(i + 2).values = [i + 1, q];
        ws.getCell(`C${i + 2}`).dataValidation = { type: 'list', allowBlank: true, formulae: ['"はい,いいえ"'] };
      });
    });
    const { cell } = await fill(bytes);
    expect(cell('確認', 'C2')).toBe('');
    expect(cell('確認', 'D2')).toMatch(/^（テスト回答）/);
    expect(cell('確認', 'C3')).toBe('');
    expect(cell('確認', 'C4')).toBe('はい');
  });

  it('gets いいえ in a はい/いいえ dropdown when a procedure or a method is what a yes/no question is about, and stays empty when one is requested', async () => {
    const bytes = await xlsx((wb) => {
      const ws = wb.addWorksheet('確認');
      ws.getRow(1).values = ['No.', '確認事項', '回答', '備考'];
      ['アカウント発行の手順を文書化していますか', '障害時の連絡方法を定めていますか', 'アカウント発行の手順をご提示ください'].forEach((q, i) => {
        ws.getRow(i + 2).values = [i + 1, q];
        ws.getCell(`C${i + 2}`).dataValidation = { type: 'list', allowBlank: true, formulae: ['"はい,いいえ"'] };
      });
    });
    const { cell } = await fill(bytes, 'no');
    expect(cell('確認', 'C2')).toBe('いいえ');
    expect(cell('確認', 'C3')).toBe('いいえ');
    expect(cell('確認', 'C4')).toBe('');
    expect(cell('確認', 'D4')).toMatch(/^（テスト回答）/);
  });

  it('gets its status when a yes/no ask stands beside a request, and stays empty where the yes/no verb is itself the request', async () => {
    const bytes = await xlsx((wb) => {
      const ws = wb.addWorksheet('確認');
      ws.getRow(1).values = ['No.', '確認事項', '回答', '備考'];
      [
        '操作ログを取得していますか。保存期間もご記入ください。',
        'Describe how patches are rolled out. Are critical patches applied within a set time?',
        '委託先との契約に秘密保持条項を記載していますか',
        '委託先との契約の秘密保持条項を記載してください',
      ].forEach((q, i) => {
        ws.getRow(i + 2).values = [i + 1, q];
        ws.getCell(`C${i + 2}`).dataValidation = { type: 'list', allowBlank: true, formulae: ['"はい,いいえ,該当なし"'] };
      });
    });
    const { cell } = await fill(bytes);
    expect(cell('確認', 'C2')).toBe('はい');
    expect(cell('確認', 'C3')).toBe('はい');
    expect(cell('確認', 'C4')).toBe('はい');
    expect(cell('確認', 'C5')).toBe('');
    expect(cell('確認', 'D5')).toMatch(/^（テスト回答）/);
  });

  it('gets its status in a control-status dropdown (はい/いいえ/一部対応/該当なし), which asks every question how far it is done', async () => {
    const bytes = await xlsx((wb) => {
      const ws = wb.addWorksheet('確認');
      ws.getRow(1).values = ['No.', '確認事項', '回答', '備考'];
      ['監査ログは何世代保管していますか', '予備のサーバはどこに設置していますか'].forEach((q, i) => {
        ws.getRow(i + 2).values = [i + 1, q];
        ws.getCell(`C${i + 2}`).dataValidation = { type: 'list', allowBlank: true, formulae: ['"はい,いいえ,一部対応,該当なし"'] };
      });
    });
    const { cell } = await fill(bytes, 'partial');
    expect(cell('確認', 'C2')).toBe('一部対応');
    expect(cell('確認', 'C3')).toBe('一部対応');
    expect(cell('確認', 'D2')).toMatch(/^（テスト回答）/);
  });

  it('gets its status in a Yes/No/Partial column named by its header', async () => {
    const bytes = await xlsx((wb) => {
      const ws = wb.addWorksheet('Data');
      ws.getRow(1).values = ['ID', 'Question', 'Yes/No/Partial', 'Comments'];
      ws.getRow(2).values = ['D-1', 'How many copies of the audit log are kept?'];
    });
    const { cell } = await fill(bytes);
    expect(cell('Data', 'C2')).toBe('Yes');
  });

  it('where the row has nothing but the status cell, nothing is written and the summary lists the row', async () => {
    const bytes = await xlsx((wb) => {
      const ws = wb.addWorksheet('S');
      ws.getRow(1).values = ['No', 'Question', 'Y/N'];
      ws.getRow(2).values = [1, 'How many copies of the audit log are kept?'];
      ws.getRow(3).values = [2, 'Is the admin console behind single sign-on?'];
    });
    const { result, cell } = await fill(bytes);
    expect(cell('S', 'C2')).toBe('');
    expect(cell('S', 'C3')).toBe('Y');
    expect(result.rows.find((r) => r.row === 2)).toMatchObject({ needsReview: true, writes: [] });
    expect(result.rows.find((r) => r.row === 2)?.reason).toMatch(/not a yes\/no question/);
  });
});
