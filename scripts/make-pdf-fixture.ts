/**
 * Writes test/fixtures/policy-ja.pdf: a two-page Japanese policy whose font is NOT embedded
 * (Type0 / CIDFontType0, Adobe-Japan1, predefined UniJIS-UCS2-H CMap). pdf.js can only map
 * such text back to Unicode with its bundled cMaps, so the PDF test proves that parsePdf
 * passes `cMapUrl`. The bytes are written by hand (no PDF library) and are deterministic:
 * no dates, no IDs, fixed object order.
 *
 * Run: npx tsx scripts/make-pdf-fixture.ts
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** One indirect object's body, without the `N 0 obj` / `endobj` wrapper. Object numbers are 1-based positions. */
export type PdfObject = string | { dict: string; stream: string };

/**
 * Serialises objects 1..n into a PDF with a correct xref table. `trailerExtra` is appended to the
 * trailer dictionary (e.g. `/Encrypt 5 0 R /ID [...]`). Object 1 must be the catalog.
 * Everything is ASCII (CJK text goes in as hex strings), so string length equals byte length.
 */
export function buildPdf(objects: PdfObject[], trailerExtra = ''): Uint8Array {
  let out = '%PDF-1.7\n';
  const offsets: number[] = [];
  objects.forEach((obj, i) => {
    offsets.push(out.length);
    const body =
      typeof obj === 'string'
        ? obj
        : `<< ${obj.dict} /Length ${obj.stream.length} >>\nstream\n${obj.stream}\nendstream`;
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xrefOffset = out.length;
  // Each xref entry is exactly 20 bytes: 10-digit offset, space, 5-digit generation, space, flag, CR LF.
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f\r\n`;
  for (const offset of offsets) out += `${String(offset).padStart(10, '0')} 00000 n\r\n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R ${trailerExtra}>>\nstartxref\n${xrefOffset}\n%%EOF\n`;
  return new TextEncoder().encode(out);
}

/** UCS-2 big-endian hex string, which is what UniJIS-UCS2-H expects as character codes. */
export function ucs2Hex(text: string): string {
  let hex = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (code > 0xffff) throw new Error(`"${ch}" is outside the BMP and cannot be encoded as UCS-2`);
    hex += code.toString(16).toUpperCase().padStart(4, '0');
  }
  return `<${hex}>`;
}

/** The non-embedded Japanese font: objects [Type0, CIDFontType0, FontDescriptor] numbered from `first`. */
export function japaneseFontObjects(first: number): PdfObject[] {
  return [
    `<< /Type /Font /Subtype /Type0 /BaseFont /HeiseiMin-W3 /Encoding /UniJIS-UCS2-H /DescendantFonts [${first + 1} 0 R] >>`,
    // UniJIS-UCS2-H maps ASCII to Adobe-Japan1's proportional Roman CIDs 1-95; 231-632 are the half-width forms.
    `<< /Type /Font /Subtype /CIDFontType0 /BaseFont /HeiseiMin-W3 /CIDSystemInfo << /Registry (Adobe) /Ordering (Japan1) /Supplement 2 >> /FontDescriptor ${first + 2} 0 R /DW 1000 /W [1 95 500 231 632 500] >>`,
    `<< /Type /FontDescriptor /FontName /HeiseiMin-W3 /Flags 6 /FontBBox [-123 -257 1001 910] /ItalicAngle 0 /Ascent 859 /Descent -141 /CapHeight 709 /StemV 69 >>`,
  ];
}

/** A line of text on a page: font size in points, baseline position from the bottom left of an A4 page. */
interface Line {
  size: number;
  x: number;
  y: number;
  text: string;
}

/** A heading or paragraph; `gapBefore` adds vertical space (points) above it. */
interface Block {
  size: number;
  text: string;
  gapBefore?: number;
}

const LEFT = 72;
const BODY = 10.5;
/** Line width in full-width characters; long paragraphs wrap so the parser must re-join them. */
const WRAP = 40;

/** Breaks text into lines of at most WRAP ems, counting ASCII as half width (as the font's /W says). */
function wrap(text: string): string[] {
  const lines: string[] = [];
  let line = '';
  let width = 0;
  for (const ch of text) {
    const w = ch < '\u007f' ? 0.5 : 1;
    if (width + w > WRAP) {
      lines.push(line);
      line = '';
      width = 0;
    }
    line += ch;
    width += w;
  }
  lines.push(line);
  return lines;
}

/** Lays out a page top-down: headings, wrapped paragraphs, and a centred page-number footer. */
function layoutPage(blocks: Block[], pageNumber: number): Line[] {
  const lines: Line[] = [];
  let y = 780;
  for (const block of blocks) {
    y -= block.gapBefore ?? 0;
    for (const text of wrap(block.text)) {
      lines.push({ size: block.size, x: LEFT, y, text });
      y -= block.size * 1.6;
    }
  }
  lines.push({ size: 9, x: 285, y: 40, text: `- ${pageNumber} -` });
  return lines;
}

function contentStream(lines: Line[]): string {
  return lines
    .map((l) => `BT /F1 ${l.size} Tf 1 0 0 1 ${l.x} ${l.y.toFixed(2)} Tm ${ucs2Hex(l.text)} Tj ET`)
    .join('\n');
}

const H = 12;
const PAGES: Block[][] = [
  [
    { size: 18, text: '情報セキュリティ基本方針' },
    { size: BODY, text: '株式会社サンプル 2024年4月1日制定', gapBefore: 6 },
    { size: H, text: '第1条（目的）', gapBefore: 12 },
    {
      size: BODY,
      text: '本方針は、当社が取り扱う情報資産を漏えい、改ざん及び滅失から保護するため、全ての役員及び従業員が遵守すべき基本的な事項を定める。',
    },
    { size: H, text: '第2条（パスワード管理）', gapBefore: 12 },
    { size: BODY, text: '1. パスワードは12文字以上とし、英大文字、英小文字、数字及び記号を組み合わせる。' },
    { size: BODY, text: '2. 管理者権限を持つアカウントには多要素認証を必須とする。' },
    { size: H, text: '第3条（バックアップ）', gapBefore: 12 },
    { size: BODY, text: '業務データは毎日バックアップを取得し、暗号化した上で地理的に離れた別拠点に30日間保管する。' },
  ],
  [
    // 第3条 continues from page 1: the parser must keep its heading for this page's passage.
    { size: BODY, text: 'バックアップからの復元手順は、半年に1回以上テストする。' },
    { size: H, text: '第4条（インシデント対応）', gapBefore: 12 },
    { size: BODY, text: 'セキュリティインシデントを検知した者は、直ちに情報セキュリティ委員会へ報告する。' },
    { size: BODY, text: '個人情報の漏えいが判明した場合は、72時間以内に影響を受けるお客様へ通知する。', gapBefore: 8 },
    { size: H, text: '第5条（見直し）', gapBefore: 12 },
    { size: BODY, text: '本方針は年1回以上見直し、取締役会の承認を得て改定する。' },
    // Statute style: the article number and its text share a line.
    { size: H, text: '第6条 本方針に定めのない事項は、情報セキュリティ委員会が別に定める。', gapBefore: 12 },
  ],
];

/** The fixture's bytes: catalog, page tree, two pages with their contents, and the shared font. */
export function policyPdf(): Uint8Array {
  // 1 catalog, 2 pages, 3-4 page 1 + contents, 5-6 page 2 + contents, 7-9 font.
  const page = (contents: number): string =>
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 7 0 R >> >> /Contents ${contents} 0 R >>`;
  const objects: PdfObject[] = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R 5 0 R] /Count 2 >>',
    page(4),
    { dict: '', stream: contentStream(layoutPage(PAGES[0] ?? [], 1)) },
    page(6),
    { dict: '', stream: contentStream(layoutPage(PAGES[1] ?? [], 2)) },
    ...japaneseFontObjects(7),
  ];
  return buildPdf(objects);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const target = fileURLToPath(new URL('../test/fixtures/policy-ja.pdf', import.meta.url));
  const bytes = policyPdf();
  writeFileSync(target, bytes);
  console.log(`wrote ${target} (${bytes.length} bytes)`);
}
