import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { buildPdf, japaneseFontObjects, policyPdf, ucs2Hex, type PdfObject } from '../../scripts/make-pdf-fixture.js';
import { parsePdf } from '../../src/corpus/pdf.js';
import { Passage, type ManifestEntry } from '../../src/domain.js';
import { ParseError } from '../../src/errors.js';

const entry: ManifestEntry = {
  file: 'policy-ja.pdf',
  product: 'sample',
  vendor: null,
  title: '情報セキュリティ基本方針',
  format: 'pdf',
  language: 'ja',
};

const FIXTURE = 'test/fixtures/policy-ja.pdf';

async function parseError(bytes: Uint8Array, file = entry.file): Promise<ParseError> {
  const error = await parsePdf(bytes, { ...entry, file }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ParseError);
  return error as ParseError;
}

/** A one-page PDF whose page has the given content stream and resources. */
const onePage = (content: string, resources: string, extra: PdfObject[] = [], trailer = ''): Uint8Array =>
  buildPdf(
    [
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources ${resources} /Contents 4 0 R >>`,
      { dict: '', stream: content },
      ...extra,
    ],
    trailer,
  );

describe('parsePdf on the Japanese policy fixture (non-embedded CID font)', () => {
  it('is the file the fixture script generates', async () => {
    expect(new Uint8Array(await readFile(FIXTURE))).toEqual(policyPdf());
  });

  it('extracts the Japanese headings and text with page numbers', async () => {
    // readFile gives a Node Buffer, which pdf.js itself refuses: parsePdf must cope.
    const passages = await parsePdf(await readFile(FIXTURE), entry);
    expect(passages.map((p) => [p.locator, p.ref, p.sectionPath.join(' > '), p.answer])).toEqual([
      ['p.1', '', '情報セキュリティ基本方針', '株式会社サンプル 2024年4月1日制定'],
      [
        'p.1',
        '第1条',
        '情報セキュリティ基本方針 > 第1条(目的)',
        // Wrapped across two lines in the PDF: re-joined without a space.
        '本方針は、当社が取り扱う情報資産を漏えい、改ざん及び滅失から保護するため、全ての役員及び従業員が遵守すべき基本的な事項を定める。',
      ],
      [
        'p.1',
        '第2条',
        '情報セキュリティ基本方針 > 第2条(パスワード管理)',
        // Numbered list items are body text, not headings, one per line.
        '1. パスワードは12文字以上とし、英大文字、英小文字、数字及び記号を組み合わせる。\n2. 管理者権限を持つアカウントには多要素認証を必須とする。',
      ],
      [
        'p.1',
        '第3条',
        '情報セキュリティ基本方針 > 第3条(バックアップ)',
        '業務データは毎日バックアップを取得し、暗号化した上で地理的に離れた別拠点に30日間保管する。',
      ],
      // 第3条 runs onto page 2: that part is its own passage, cited as page 2, under the same heading.
      ['p.2', '第3条', '情報セキュリティ基本方針 > 第3条(バックアップ)', 'バックアップからの復元手順は、半年に1回以上テストする。'],
      [
        'p.2',
        '第4条',
        '情報セキュリティ基本方針 > 第4条(インシデント対応)',
        'セキュリティインシデントを検知した者は、直ちに情報セキュリティ委員会へ報告する。\n個人情報の漏えいが判明した場合は、72時間以内に影響を受けるお客様へ通知する。',
      ],
      ['p.2', '第5条', '情報セキュリティ基本方針 > 第5条(見直し)', '本方針は年1回以上見直し、取締役会の承認を得て改定する。'],
      // "第6条 本文…" on one line: the article number heads the section, the sentence is its body.
      ['p.2', '第6条', '情報セキュリティ基本方針 > 第6条', '本方針に定めのない事項は、情報セキュリティ委員会が別に定める。'],
    ]);
    // The locator is the page a reader turns to ("p.1-3" read as pages 1 to 3); the ids still tell the passages of a page apart.
    expect(new Set(passages.map((p) => p.id)).size).toBe(passages.length);
  });

  it('gives every passage a page, a stable id and the policy kind', async () => {
    const passages = await parsePdf(await readFile(FIXTURE), entry);
    for (const p of passages) {
      expect(Passage.parse(p)).toEqual(p);
      expect(p).toMatchObject({ kind: 'policy', line: null, source: 'policy-ja.pdf', title: entry.title });
      expect(p.requirement).toBe(p.sectionPath.at(-1));
    }
    expect(passages.map((p) => p.id).slice(3, 5)).toEqual(['sample/policy-ja.pdf#p1-4', 'sample/policy-ja.pdf#p2-1']);
    expect(passages.map((p) => p.page)).toEqual([1, 1, 1, 1, 2, 2, 2, 2]);
    // No marks in a policy: a section stating its rule (保管する) is done; the title block (a name and a date) says nothing.
    expect(passages.map((p) => p.status)).toEqual(['unknown', 'yes', 'yes', 'yes', 'yes', 'yes', 'yes', 'yes']);
    // The page-number footers ("- 1 -") are not part of any passage.
    expect(passages.some((p) => /- \d -/.test(p.answer))).toBe(false);
  });

  it('uses a bare p.N locator when a page holds a single passage, the id numbering it on its page', async () => {
    const pdf = onePage(`BT /F1 12 Tf 72 770 Td ${ucs2Hex('ログは1年間保管する。')} Tj ET`, '<< /Font << /F1 5 0 R >> >>', japaneseFontObjects(5));
    const [only, ...rest] = await parsePdf(pdf, { ...entry, file: 'log.pdf' });
    expect(rest).toEqual([]);
    expect(only).toMatchObject({ locator: 'p.1', id: 'sample/log.pdf#p1-1', page: 1, sectionPath: [], answer: 'ログは1年間保管する。' });
  });
});

describe('parsePdf failures', () => {
  it('reports a truncated download', async () => {
    const bytes = await readFile(FIXTURE);
    const error = await parseError(bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    expect(error.message).toMatch(/^policy-ja\.pdf: the PDF is truncated or corrupt/);
  });

  it('reports a corrupt PDF whose structure cannot be read', async () => {
    const error = await parseError(new TextEncoder().encode('%PDF-1.7\nthis body was overwritten\n%%EOF\n'));
    expect(error.message).toMatch(/^policy-ja\.pdf: corrupt PDF \(/);
  });

  it('reports a non-PDF file renamed .pdf', async () => {
    const docx = Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, ...new TextEncoder().encode('[Content_Types].xml')]);
    const error = await parseError(docx, 'checksheet.pdf');
    expect(error.file).toBe('checksheet.pdf');
    expect(error.message).toContain('checksheet.pdf: not a PDF');
  });

  it('reports a password-protected PDF', async () => {
    const hex32 = (byte: string): string => `<${byte.repeat(32)}>`;
    const pdf = onePage(
      'BT ET',
      '<< >>',
      [`<< /Filter /Standard /V 1 /R 2 /O ${hex32('5A')} /U ${hex32('A5')} /P -4 >>`],
      `/Encrypt 5 0 R /ID [<00112233445566778899AABBCCDDEEFF> <00112233445566778899AABBCCDDEEFF>] `,
    );
    const error = await parseError(pdf, 'protected.pdf');
    expect(error.message).toContain('protected.pdf: the PDF is password-protected');
  });

  it('asks for OCR when pages hold only images', async () => {
    const image = { dict: '/Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /ASCIIHexDecode', stream: '00FFFF00>' };
    const pdf = onePage('q 451 0 0 600 72 120 cm /Im1 Do Q', '<< /XObject << /Im1 5 0 R >> >>', [image]);
    const error = await parseError(pdf, 'scan.pdf');
    expect(error.message).toMatch(/^scan\.pdf: no text layer .*OCR it first/);
  });
});
