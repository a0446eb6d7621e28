import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { answerQuestionnaireFile } from '../../src/questionnaire/answer-file.js';
import { decodeCsvBytes } from '../../src/questionnaire/csv.js';
import { DEFAULT_LIMITS } from '../../src/questionnaire/safety.js';
import { fakeAnswerer, fakeDraft } from '../../src/questionnaire/synthetic.js';
import { fixture } from './helpers.js';

const run = (bytes: Uint8Array, fileName: string, text?: (q: string) => string) =>
  answerQuestionnaireFile({ bytes, fileName }, { product: 'krew', answer: fakeAnswerer({ abstainEvery: 0, text }), concurrency: 2, limits: DEFAULT_LIMITS });

describe('CSV questionnaires', () => {
  it('reads Shift_JIS and writes it back as Shift_JIS with CRLF and commas', async () => {
    const input = fixture('questionnaire-sjis.csv');
    expect(decodeCsvBytes(input).encoding).toBe('cp932');
    const result = await run(input, 'customer.csv');
    expect(result.kind).toBe('csv');
    expect(result.rows.map((r) => r.question)).toEqual([
      '通信はTLS1.2以上で暗号化していますか。',
      'アクセスログを取得していますか。',
      '"引用符",と改行を 含む質問ですか。',
    ]);
    // Not UTF-8 any more than the input was, and decodable as CP932.
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(result.bytes)).toThrow();
    const text = iconv.decode(result.bytes, 'cp932');
    expect(text).toContain('\r\n');
    expect(text.replace(/\r\n/g, '')).not.toContain('\n通信'); // line endings are CRLF, not LF
    const before = parse(iconv.decode(input, 'cp932'), { relax_column_count: true }) as string[][];
    const after = parse(text, { relax_column_count: true }) as string[][];
    expect(after.length).toBe(before.length);
    // Untouched cells identical, including the quoted field with a comma, quotes and a newline.
    for (const [i, row] of before.entries()) for (const [j, v] of row.entries()) if (j < 2 || i === 0) expect(after[i]?.[j]).toBe(v);
    for (const r of result.rows) {
      const d = fakeDraft(r.question, 'krew', { abstainEvery: 0 });
      expect(after[r.row - 1]?.[2]).toBe(d.draft); // 回答 (free text)
      expect(after[r.row - 1]?.[3]).toMatch(/^下書き\(未承認\)\n根拠: fake\.txt L\d+/); // 備考: citations
    }
  });

  it('reads UTF-8 with a BOM and semicolons, writes the same, keeps an existing answer', async () => {
    const input = fixture('questionnaire-bom.csv');
    expect(decodeCsvBytes(input)).toMatchObject({ encoding: 'utf8', bom: true });
    const result = await run(input, 'customer.csv');
    expect([...result.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = result.bytes.subarray(3).toString('utf8');
    expect(text).not.toContain('\r\n');
    const rows = parse(text, { delimiter: ';' }) as string[][];
    expect(rows[0]).toEqual(['ID', 'Question', 'Response', 'Comments']);
    expect(rows[2]).toEqual(['Q2', 'Do you run annual penetration tests?', 'Yes', 'Done by a third party']);
    expect(result.summary.kept).toBe(1);
    expect(rows[1]?.[2]).not.toBe('');
    expect(rows[3]?.[2]).not.toBe('');
  });

  it('escapes formula-looking answers in CSV output', async () => {
    const result = await run(fixture('questionnaire-bom.csv'), 'customer.csv', () => '=2+5');
    const rows = parse(result.bytes.subarray(3).toString('utf8'), { delimiter: ';' }) as string[][];
    expect(rows[1]?.[2]).toBe("'=2+5");
    expect(rows[3]?.[2]).toBe("'=2+5");
  });
});
