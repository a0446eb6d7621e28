/**
 * Policies written in Markdown → one passage per section (split further when long). The
 * heading chain becomes `sectionPath`, the innermost heading the `requirement`, the section
 * body the `answer`, and the heading's number (or, unnumbered, its text) the `ref` a reader
 * finds the section by. Status stays `unknown`: a policy states intent, and deciding whether it
 * answers "yes" to a question is the drafter's job.
 *
 * The heading-number, line-joining and chunking helpers are shared with the PDF parser.
 */
import type { ManifestEntry, Passage } from '../domain.js';
import { cleanText } from './clean.js';
import { inferStatus } from './status.js';

/** Sections longer than this many characters become several passages (at paragraph boundaries). */
export const MAX_PASSAGE_CHARS = 1200;

/** A paragraph or list item of body text, with the 1-based line it starts at. */
interface Paragraph {
  line: number;
  text: string;
}

/** The document's own numbering of a heading, and how deep that numbering style nests. */
export interface HeadingNumber {
  /** `第3条`, `3.2`, `1`. */
  ref: string;
  /** Outer styles get smaller numbers: 第N編 < 第N章 < 第N節 < 第N条 / N. < N.N < (N). */
  level: number;
}

const KANJI_UNITS: Record<string, number> = { 編: 10, 部: 10, 章: 11, 節: 12, 条: 13, 項: 14 };

/** Parses the numbering at the start of a (NFKC-cleaned) heading, e.g. `第3条(目的)`, `3.2 バックアップ`, `(1) 範囲`. */
export function headingNumber(text: string): HeadingNumber | null {
  const kanji = /^第\s*([0-9]+|[一二三四五六七八九十百〇]+)\s*([編部章節条項])/u.exec(text);
  if (kanji) return { ref: `第${kanji[1]}${kanji[2]}`, level: KANJI_UNITS[kanji[2] ?? ''] ?? 13 };
  const paren = /^\((\d+)\)|^(\d+)\)/.exec(text);
  if (paren) return { ref: paren[1] ?? paren[2] ?? '', level: 17 };
  // The number must end the token ("3.", "3.2 ", "3") so "2024年" or "12文字" are not numbering.
  const dotted = /^(\d+(?:\.\d+)*)(?:\.(?=\s|$|[^\d])|(?=\s)|$)/.exec(text);
  if (dotted?.[1]) return { ref: dotted[1], level: 13 + (dotted[1].split('.').length - 1) };
  return null;
}

const CJK = /[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]/u;

/** Joins a wrapped line to the next: Japanese wraps mid-sentence without a space, Latin text needs one. */
export function joinWrapped(before: string, after: string): string {
  if (before === '') return after;
  if (after === '') return before;
  return CJK.test(before.at(-1) ?? '') && CJK.test(after[0] ?? '') ? before + after : `${before} ${after}`;
}

/** Groups paragraphs into chunks of at most `max` characters; a paragraph longer than `max` stays whole. */
export function splitLong<T extends { text: string }>(paragraphs: T[], max = MAX_PASSAGE_CHARS): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let size = 0;
  for (const paragraph of paragraphs) {
    if (current.length > 0 && size + 1 + paragraph.text.length > max) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    size += (current.length > 0 ? 1 : 0) + paragraph.text.length;
    current.push(paragraph);
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

interface Heading {
  text: string;
  level: number;
  /** 1-based. */
  line: number;
}

interface BodyLine {
  line: number;
  text: string;
  code: boolean;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const SETEXT = /^ {0,3}(=+|-+)[ \t]*$/;
const LIST_ITEM = /^\s*([-*+]|\d+[.)])\s+(.*)$/;
const TABLE_ROW = /^\s*\|/;
const TABLE_RULE = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

export function parseMarkdown(text: string, entry: ManifestEntry): Passage[] {
  const lines = withoutHiddenContent(text.replace(/\r\n?/g, '\n')).split('\n');
  const passages: Passage[] = [];
  const path: Heading[] = [];
  let body: BodyLine[] = [];
  // The document's own title (its first heading, when a `#` one): not a place within it.
  let title: Heading | null = null;
  let headings = 0;
  const refOf = (heading: Heading | null): string => {
    if (!heading) return '';
    const number = headingNumber(heading.text);
    if (number) return number.ref;
    // An unnumbered section is found by its heading ("Incident response"): that is its reference
    // (trial s10 #10: the citation's ref was empty, and a customer could not locate the passage).
    return heading === title || heading.text === cleanText(entry.title) ? '' : heading.text;
  };

  const flush = (): void => {
    const heading = path.at(-1) ?? null;
    const chunks = splitLong(paragraphs(body));
    chunks.forEach((chunk, index) => {
      const line = index === 0 && heading ? heading.line : (chunk[0]?.line ?? 1);
      passages.push({
        id: `${entry.product}/${entry.file}#L${line}`,
        product: entry.product,
        kind: 'policy',
        source: entry.file,
        title: entry.title,
        locator: `L${line}`,
        line,
        page: null,
        sectionPath: path.map((h) => h.text),
        ref: refOf(heading),
        requirement: heading?.text ?? '',
        answer: chunk.map((p) => p.text).join('\n'),
        // A policy has no marks: its sentences say what is done (and what is not).
        status: inferStatus('', chunk.map((p) => p.text).join('\n')),
      });
    });
    body = [];
  };
  const openSection = (heading: Heading): void => {
    flush();
    headings++;
    if (headings === 1 && heading.level === 1) title = heading;
    while ((path.at(-1)?.level ?? 0) >= heading.level) path.pop();
    path.push(heading);
  };

  let fence: string | null = null;
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (fence !== null) {
      // A closing fence uses the same character, at least as many times, and nothing else.
      if (raw.trim().startsWith(fence) && /^[`~]+$/.test(raw.trim())) fence = null;
      else body.push({ line, text: raw, code: true });
      return;
    }
    const opening = FENCE.exec(raw);
    if (opening?.[1]) {
      fence = opening[1];
      return;
    }
    const atx = ATX.exec(raw);
    if (atx?.[1]) {
      openSection({ text: inline(atx[2] ?? ''), level: atx[1].length, line });
      return;
    }
    const underline = SETEXT.exec(raw);
    if (underline?.[1]) {
      const paragraph = trailingParagraph(body);
      if (paragraph.length > 0) {
        body = body.slice(0, body.length - paragraph.length);
        const heading = inline(paragraph.map((b) => b.text.trim()).reduce(joinWrapped, ''));
        openSection({ text: heading, level: underline[1].startsWith('=') ? 1 : 2, line: paragraph[0]?.line ?? line });
      } else {
        // `---` after a blank line is a thematic break: it separates paragraphs.
        body.push({ line, text: '', code: false });
      }
      return;
    }
    body.push({ line, text: raw, code: false });
  });
  flush();
  return passages;
}

/**
 * Blanks out YAML front matter and HTML comments, keeping the line count so that line
 * numbers still point into the original file.
 */
function withoutHiddenContent(text: string): string {
  let result = text;
  const frontMatter = /^---[ \t]*\n[\s\S]*?\n(?:---|\.\.\.)[ \t]*(?:\n|$)/.exec(result);
  if (frontMatter) result = blankOut(frontMatter[0]) + result.slice(frontMatter[0].length);
  return result.replace(/<!--[\s\S]*?-->/g, blankOut);
}

function blankOut(fragment: string): string {
  return fragment.replace(/[^\n]/g, '');
}

/** The non-blank plain-text lines at the end of `body` that a setext underline turns into a heading. */
function trailingParagraph(body: BodyLine[]): BodyLine[] {
  let start = body.length;
  while (start > 0) {
    const previous = body[start - 1];
    if (!previous || previous.code || previous.text.trim() === '' || LIST_ITEM.test(previous.text) || TABLE_ROW.test(previous.text)) break;
    start--;
  }
  return body.slice(start);
}

/** Body lines → paragraphs: blank lines separate them; list items, table rows and code lines stand alone. */
function paragraphs(body: BodyLine[]): Paragraph[] {
  const result: Paragraph[] = [];
  let open: Paragraph | null = null;
  const close = (): void => {
    if (open && open.text !== '') result.push(open);
    open = null;
  };
  for (const { line, text: raw, code } of body) {
    const text = raw.replace(/^\s*(>\s?)+/, '');
    if (code) {
      close();
      if (text.trim() !== '') result.push({ line, text: cleanText(text) });
      continue;
    }
    if (text.trim() === '' || TABLE_RULE.test(text)) {
      close();
      continue;
    }
    if (TABLE_ROW.test(text)) {
      close();
      const cells = text.trim().replace(/^\||\|$/g, '').split('|').map((cell) => inline(cell));
      result.push({ line, text: cells.join(' | ') });
      continue;
    }
    const item = LIST_ITEM.exec(text);
    if (item) {
      close();
      // Unordered markers are unified to "-" so lists read the same whichever marker the author used.
      const marker = /^\d/.test(item[1] ?? '') ? (item[1] ?? '') : '-';
      open = { line, text: `${marker} ${inline(item[2] ?? '')}` };
      continue;
    }
    // Continuation of a paragraph or (indented) of a list item.
    if (open === null) open = { line, text: inline(text) };
    else open.text = joinWrapped(open.text, inline(text));
  }
  close();
  return result;
}

/** Inline Markdown → plain text: links keep their URL, emphasis and code marks go. */
function inline(text: string): string {
  return cleanText(
    text
      .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/\[([^\]]+)\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g, (_m, label: string, url: string) =>
        label === url ? url : `${label} (${url})`,
      )
      // Autolinks first: the HTML stripping in cleanText would otherwise delete <https://...> as a tag.
      .replace(/<((?:https?|mailto):[^>\s]+)>/g, '$1')
      .replace(/(\*\*|__|~~)(?=\S)(.+?)(?<=\S)\1/g, '$2')
      .replace(/(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])/g, '$1')
      .replace(/`([^`]+)`/g, '$1'),
  );
}
