/**
 * Policy PDFs → passages, one per section and page. pdf.js gives positioned text runs; lines
 * are rebuilt from their baselines, headings recognised by numbering (第3条, 3., 3.1, (1)) or
 * by a larger font, and the heading chain becomes `sectionPath`. A passage never spans pages,
 * so `p.N` always points where the reader should look.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { ManifestEntry, Passage } from '../domain.js';
import { ParseError } from '../errors.js';
import { cleanText } from './clean.js';
import { inferStatus } from './status.js';
import { headingNumber, joinWrapped, splitLong } from './markdown.js';

type ContentItem = Awaited<ReturnType<PDFPageProxy['getTextContent']>>['items'][number];

const PDFJS_DIR = path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
/** pdf.js wants directory "URLs" with a trailing slash; in Node it reads them with fs, so plain paths work. */
const PDFJS_ASSET = (dir: string): string => `${path.join(PDFJS_DIR, dir).replaceAll('\\', '/')}/`;

/**
 * Fixed for every document. Without the bundled cMaps, text in CJK fonts that are not embedded
 * (the usual case for Japanese PDFs made by Word or Acrobat) comes back empty; system fonts
 * and eval are off so output depends only on the PDF and the installed pdfjs-dist.
 */
const DOCUMENT_OPTIONS = {
  cMapUrl: PDFJS_ASSET('cmaps'),
  cMapPacked: true,
  standardFontDataUrl: PDFJS_ASSET('standard_fonts'),
  isEvalSupported: false,
  useSystemFonts: false,
} as const;

/**
 * Node has no Web Workers, so pdf.js runs its worker in-process ("fake worker") by importing
 * `workerSrc`. Its default is relative to pdf.mjs; an absolute URL keeps working if this
 * module is ever bundled away from node_modules.
 */
const WORKER_SRC = pathToFileURL(path.join(PDFJS_DIR, 'legacy', 'build', 'pdf.worker.mjs')).href;

/** Headings are short; anything longer is body text that happens to start with a number. */
const MAX_HEADING_CHARS = 60;
/** Stricter for body-size lines, where "1. …" is as likely a list item as a heading. */
const MAX_BODY_SIZE_HEADING_CHARS = 30;
/** A line this much larger than the body font is a heading even without numbering. */
const LARGE_FONT_RATIO = 1.15;

interface Line {
  text: string;
  /** Font size in points (the largest run on the line). */
  size: number;
  /** Baseline, from the bottom of the page. */
  y: number;
  /** Right edge of the last run, to tell wrapped lines (full width) from paragraph ends. */
  right: number;
  page: number;
}

interface Heading {
  text: string;
  level: number;
}

interface BodyParagraph {
  page: number;
  text: string;
}

export async function parsePdf(bytes: Uint8Array, entry: ManifestEntry): Promise<Passage[]> {
  checkEnvelope(bytes, entry.file);
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  pdfjs.GlobalWorkerOptions.workerSrc = WORKER_SRC;
  // A copy: pdf.js refuses Node Buffers and may take ownership of (detach) the array it is given.
  const task = pdfjs.getDocument({
    ...DOCUMENT_OPTIONS,
    data: new Uint8Array(bytes),
    // pdf.js prints warnings about recoverable damage on the console, which would garble ingest's progress output.
    verbosity: pdfjs.VerbosityLevel.ERRORS,
  });
  try {
    const doc = await task.promise.catch((error: unknown) => {
      throw readError(entry.file, error);
    });
    const lines: Line[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      try {
        const page = await doc.getPage(n);
        const [, bottom = 0, , top = 0] = page.view;
        lines.push(...pageLines((await page.getTextContent()).items, n, top - bottom));
        page.cleanup();
      } catch (error) {
        throw new ParseError(entry.file, `unreadable page: ${(error as Error).message}`, `p.${n}`, { cause: error });
      }
    }
    if (lines.length === 0) {
      throw new ParseError(
        entry.file,
        `no text layer on any of its ${doc.numPages} page(s) (scanned images?); OCR it first (e.g. ocrmypdf) and re-ingest`,
      );
    }
    return toPassages(lines, entry);
  } finally {
    await task.destroy();
  }
}

/**
 * pdf.js repairs damaged files by scanning for objects, so a half-downloaded PDF would
 * silently lose its last pages. Require the header and the end-of-file marker up front
 * (within the first / last 1 KiB, as Acrobat does).
 */
function checkEnvelope(bytes: Uint8Array, file: string): void {
  const latin1 = (part: Uint8Array): string => Buffer.from(part.buffer, part.byteOffset, part.byteLength).toString('latin1');
  if (!latin1(bytes.subarray(0, 1024)).includes('%PDF-')) {
    throw new ParseError(file, 'not a PDF (no "%PDF-" header); check the file and its format in the manifest');
  }
  if (!latin1(bytes.subarray(Math.max(0, bytes.length - 1024))).includes('%%EOF')) {
    throw new ParseError(file, 'the PDF is truncated or corrupt (no "%%EOF" at its end); download or export it again');
  }
}

function readError(file: string, error: unknown): ParseError {
  const { name, message } = error instanceof Error ? error : { name: '', message: String(error) };
  // pdf.js errors cross its (fake) worker boundary, so match by name rather than instanceof.
  if (name === 'PasswordException') {
    return new ParseError(file, 'the PDF is password-protected; save a copy without the password and re-ingest', undefined, {
      cause: error,
    });
  }
  if (name === 'InvalidPDFException') {
    return new ParseError(file, `corrupt PDF (${message}); download or export it again`, undefined, { cause: error });
  }
  return new ParseError(file, `could not read the PDF: ${message}`, undefined, { cause: error });
}

/** Rebuilds the page's lines from text runs, dropping bare page numbers in the top and bottom margins. */
function pageLines(items: ContentItem[], page: number, pageHeight: number): Line[] {
  const lines: Line[] = [];
  let current: Line | null = null;
  let lineEnded = false;
  for (const item of items) {
    if (!('str' in item)) continue;
    const [, , c = 0, d = 0, x = 0, y = 0] = item.transform as number[];
    const size = Math.hypot(c, d) || item.height;
    if (current && (lineEnded || Math.abs(y - current.y) > Math.max(size, current.size) / 2)) {
      lines.push(current);
      current = null;
    }
    lineEnded = item.hasEOL;
    if (item.str === '') continue;
    if (!current) {
      current = { text: item.str, size, y, right: x + item.width, page };
      continue;
    }
    // Runs separated by a visible gap were separate words (or a number and its title).
    const gap = x - current.right > size / 4 && !/\s$/.test(current.text) && !/^\s/.test(item.str);
    current.text += (gap ? ' ' : '') + item.str;
    current.right = Math.max(current.right, x + item.width);
    current.size = Math.max(current.size, size);
  }
  if (current) lines.push(current);

  const margin = pageHeight * 0.1;
  const pageNumber = /^[-–—‐(\s]*(?:page\s*|p\.\s*)?\d+(?:\s*(?:\/|of)\s*\d+)?[-–—‐)\s]*$/i;
  return lines
    .map((line) => ({ ...line, text: cleanText(line.text) }))
    .filter((line) => line.text !== '')
    .filter((line) => !(pageNumber.test(line.text) && (line.y < margin || line.y > pageHeight - margin)));
}

type Classified = { line: Line; heading: null } | { line: Line; heading: Heading; rest: string };

const ARTICLE = /^(第\s*[0-9一二三四五六七八九十百〇]+\s*[編部章節条項](?:\s*\([^)]*\))?)\s*(.+)$/u;

/**
 * Marks each line as heading or body. Levels: 0-9 unnumbered large fonts (larger = outer),
 * 10+ numbering styles. `rightMargin` is the document's rightmost text edge.
 */
function classify(lines: Line[], rightMargin: number): Classified[] {
  const bodySize = mostCommonSize(lines);

  const largeSizes = new Set<number>();
  const classified = lines.map((line): Classified => {
    const number = headingNumber(line.text);
    const sentence = /[。．]$/.test(line.text) || line.text.length > MAX_HEADING_CHARS;
    // A line reaching the right margin wraps into the next one: it is running text, not a title.
    const wraps = line.right > rightMargin - line.size;
    const large = line.size >= bodySize * LARGE_FONT_RATIO;
    const short = large || line.text.length <= MAX_BODY_SIZE_HEADING_CHARS;
    if (number && !sentence && !wraps && short) return { line, heading: { text: line.text, level: number.level }, rest: '' };
    // "第3条（目的） 本規程は…": the article number and caption head the section, the rest is its body.
    const article = number ? ARTICLE.exec(line.text) : null;
    if (number && article?.[1] && article[2]) return { line, heading: { text: article[1], level: number.level }, rest: article[2] };
    if (!number && !sentence && large) {
      largeSizes.add(roundSize(line.size));
      return { line, heading: { text: line.text, level: -1 }, rest: '' };
    }
    return { line, heading: null };
  });

  const ranks = [...largeSizes].sort((a, b) => b - a);
  for (const c of classified) {
    if (c.heading?.level === -1) c.heading.level = Math.min(9, ranks.indexOf(roundSize(c.line.size)));
  }
  return classified;
}

/** The body font: the size carrying the most characters. */
function mostCommonSize(lines: Line[]): number {
  const chars = new Map<number, number>();
  for (const line of lines) chars.set(roundSize(line.size), (chars.get(roundSize(line.size)) ?? 0) + line.text.length);
  return [...chars].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 0;
}

function roundSize(size: number): number {
  return Math.round(size * 2) / 2;
}

const LIST_MARKER = /^([・•●○■□◆◇※\-–]|\(?\d+[.)]|[①-⑳])/u;

function toPassages(lines: Line[], entry: ManifestEntry): Passage[] {
  // Document-wide rather than per page, so that a page of short lines has no "full-width" line.
  const rightMargin = lines.reduce((max, line) => Math.max(max, line.right), 0);
  const drafts: Array<{ page: number; path: Heading[]; text: string }> = [];
  const stack: Heading[] = [];
  let paragraphs: BodyParagraph[] = [];
  let previous: Line | null = null;

  const flush = (): void => {
    const pages = [...new Set(paragraphs.map((p) => p.page))];
    for (const page of pages) {
      for (const chunk of splitLong(paragraphs.filter((p) => p.page === page))) {
        drafts.push({ page, path: [...stack], text: chunk.map((p) => p.text).join('\n') });
      }
    }
    paragraphs = [];
  };
  const addBody = (line: Line, text: string): void => {
    const last = paragraphs.at(-1);
    const continues =
      last !== undefined &&
      previous !== null &&
      previous.page === line.page &&
      !LIST_MARKER.test(text) &&
      // A wider gap than normal line spacing separates paragraphs.
      previous.y - line.y <= previous.size * 1.8 &&
      // So does a sentence ending short of the right margin (the last line of a paragraph).
      !(/[。．:：]$/.test(previous.text) && previous.right < rightMargin - previous.size);
    if (continues) last.text = joinWrapped(last.text, text);
    else paragraphs.push({ page: line.page, text });
    previous = line;
  };

  for (const c of classify(lines, rightMargin)) {
    if (c.heading) {
      flush();
      while ((stack.at(-1)?.level ?? -1) >= c.heading.level) stack.pop();
      stack.push(c.heading);
      previous = null;
      if (c.rest) addBody(c.line, c.rest);
    } else {
      addBody(c.line, c.line.text);
    }
  }
  flush();

  const seen = new Map<number, number>();
  return drafts.map((d): Passage => {
    const k = (seen.get(d.page) ?? 0) + 1;
    seen.set(d.page, k);
    const heading = d.path.at(-1);
    return {
      id: `${entry.product}/${entry.file}#p${d.page}-${k}`,
      product: entry.product,
      kind: 'policy',
      source: entry.file,
      title: entry.title,
      // The page a reader turns to: "p.1-3" (the third passage of page 1) read as pages 1 to 3
      // (trial s10 #10). Each passage lies on one page (flush splits at page breaks); the id
      // keeps the passage's place on its page.
      locator: `p.${d.page}`,
      line: null,
      page: d.page,
      sectionPath: d.path.map((h) => h.text),
      ref: heading ? (headingNumber(heading.text)?.ref ?? '') : '',
      requirement: heading?.text ?? '',
      answer: d.text,
      // A policy has no marks: its sentences say what is done (and what is not).
      status: inferStatus('', d.text),
    };
  });
}
