/**
 * The XML scanner the xlsx reader and patcher share: element boundaries and attributes of
 * machine-written OOXML parts, found in linear time (a hostile part must not make a regular
 * expression rescan it), and the split of a worksheet part around its <sheetData>.
 */
import { InputError } from '../../errors.js';

// Small XML helpers. The parts handled here are machine-written OOXML; the regular
// expressions only look at element boundaries and attributes, never at mixed content.

export const NAME = '[A-Za-z_][\\w.-]*';

export function decodeXml(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (_m, e: string) => {
    if (e === 'lt') return '<';
    if (e === 'gt') return '>';
    if (e === 'amp') return '&';
    if (e === 'quot') return '"';
    if (e === 'apos') return "'";
    const code = e.startsWith('#x') ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    // fromCodePoint throws on anything past U+10FFFF; a bad reference must not crash the read.
    return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : '';
  });
}

export function escapeXmlText(s: string): string {
  return s
    .replace(/\r\n?/g, '\n')
    // Characters XML 1.0 cannot carry at all; a draft quoting binary junk must not corrupt the part.
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

const isNameChar = (c: number): boolean =>
  (c >= 0x30 && c <= 0x3a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x2e || c === 0x2d; // 0-9 : A-Z a-z _ . -
const isSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

/**
 * The attributes of a start tag's text. A hand-written scan rather than a regular
 * expression: every step moves forward, so a hostile tag (a long name followed by an
 * unterminated quote) costs linear time instead of quadratic.
 */
export function attrs(tag: string): Map<string, string> {
  const out = new Map<string, string>();
  const n = tag.length;
  let i = 0;
  while (i < n) {
    if (!isNameChar(tag.charCodeAt(i))) {
      i++;
      continue;
    }
    let j = i;
    while (j < n && isNameChar(tag.charCodeAt(j))) j++;
    let k = j;
    while (k < n && isSpace(tag.charCodeAt(k))) k++;
    if (tag[k] !== '=') {
      i = j;
      continue;
    }
    k++;
    while (k < n && isSpace(tag.charCodeAt(k))) k++;
    const q = tag[k];
    if (q !== '"' && q !== "'") {
      i = k;
      continue;
    }
    const close = tag.indexOf(q, k + 1);
    if (close < 0) break;
    out.set(tag.slice(i, j), decodeXml(tag.slice(k + 1, close)));
    i = close + 1;
  }
  return out;
}

export interface XmlTag {
  /** Offset of the `<`. */
  index: number;
  /** Offset just past the start tag's `>`. */
  tagEnd: number;
  /** Offset just past the element: the start tag's `>` when self-closing or body-less, else past the end tag. */
  end: number;
  /** Namespace prefix with its colon, or ''. */
  prefix: string;
  /** The text between the name and `>` (without a self-closing `/`). */
  attrText: string;
  selfClosing: boolean;
  /** The element's content; '' when self-closing or when bodies were not asked for. */
  body: string;
}

/**
 * The elements named `local` (any namespace prefix) in `xml` from `from`, in order, in
 * linear time. Regular expressions like `<mergeCell\b([^>]*)>` or
 * `<x\b[^>]*>([\s\S]*?)</x>` rescan the rest of the text from every start tag that has
 * no `>` or no end tag, which a tiny hostile part (1 MB of `<mergeCell ` repeated)
 * turns into minutes of main-thread time. Here each start tag is found once, the scan
 * resumes after it (or after its element, with `body`), and an element without its end
 * tag stops the search for elements with content (none after it can be closed either).
 * Nested elements of the same name are not supported (OOXML has none where used).
 */
export function* xmlElements(xml: string, local: string, opts: { body?: boolean; from?: number } = {}): Generator<XmlTag> {
  const open = new RegExp(`<(${NAME}:)?${local}(?=[\\s/>])`, 'g');
  open.lastIndex = opts.from ?? 0;
  let closable = true;
  for (;;) {
    const m = open.exec(xml);
    if (!m) return;
    const gt = xml.indexOf('>', open.lastIndex);
    if (gt < 0) return; // an unterminated start tag: nothing after it is a tag
    const prefix = m[1] ?? '';
    let attrText = xml.slice(open.lastIndex, gt);
    const selfClosing = attrText.endsWith('/');
    if (selfClosing) attrText = attrText.slice(0, -1);
    let end = gt + 1;
    let body = '';
    if (opts.body && !selfClosing) {
      const closeTag = `</${prefix}${local}>`;
      const close = closable ? xml.indexOf(closeTag, gt + 1) : -1;
      if (close < 0) {
        // No end tag anywhere after this: only self-closing elements can still follow.
        closable = false;
        open.lastIndex = gt + 1;
        continue;
      }
      body = xml.slice(gt + 1, close);
      end = close + closeTag.length;
    }
    yield { index: m.index, tagEnd: gt + 1, end, prefix, attrText, selfClosing, body };
    open.lastIndex = end;
  }
}

export const firstElement = (xml: string, local: string, opts: { body?: boolean; from?: number } = {}): XmlTag | null => {
  for (const t of xmlElements(xml, local, opts)) return t;
  return null;
};

/** `xml` without the elements `local` for which `drop` says so (all by default); linear time. */
export function removeElements(xml: string, local: string, body: boolean, drop: (t: XmlTag) => boolean = () => true): string {
  let out = '';
  let last = 0;
  for (const t of xmlElements(xml, local, { body })) {
    if (!drop(t)) continue;
    out += xml.slice(last, t.index);
    last = t.end;
  }
  return last === 0 ? xml : out + xml.slice(last);
}

/** A copy of `s` that does not keep alive the (possibly huge) part text it was sliced from. */
export const own = (s: string): string => (s.length > 12 ? Buffer.from(s, 'utf8').toString('utf8') : s);

/** The value of the attribute whose local name is `local` (any prefix). */
export function attrLocal(a: Map<string, string>, local: string): string | undefined {
  for (const [k, v] of a) if (k === local || k.endsWith(`:${local}`)) return v;
  return undefined;
}

export function resolvePartPath(base: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = base.split('/').slice(0, -1);
  for (const seg of target.split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '.' && seg !== '') parts.push(seg);
  }
  return parts.join('/');
}

export interface SheetXmlParts {
  /** `<worksheet ...>` start tag (declares the namespaces). */
  rootOpen: string;
  rootClose: string;
  /** Everything before `<sheetData`. */
  head: string;
  /** The full `<sheetData>...</sheetData>` element. */
  sheetData: string;
  /** Everything after `</sheetData>`: merges, validations, extLst... */
  tail: string;
}

export function splitSheetXml(xml: string, path: string): SheetXmlParts {
  const root = firstElement(xml, 'worksheet');
  const sd = root ? firstElement(xml, 'sheetData', { from: root.tagEnd }) : null;
  if (!root || !sd) throw new InputError(`${path}: not a worksheet part`, 'The workbook is damaged; save it again in Excel.');
  let end: number;
  if (sd.selfClosing) end = sd.tagEnd;
  else {
    const closeTag = `</${sd.prefix}sheetData>`;
    const close = xml.indexOf(closeTag, sd.tagEnd);
    if (close < 0) throw new InputError(`${path}: unterminated sheetData`, 'The workbook is damaged; save it again in Excel.');
    end = close + closeTag.length;
  }
  return {
    rootOpen: xml.slice(root.index, root.tagEnd),
    rootClose: `</${root.prefix}worksheet>`,
    head: xml.slice(0, sd.index),
    sheetData: xml.slice(sd.index, end),
    tail: xml.slice(end),
  };
}

