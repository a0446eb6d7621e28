/**
 * Bytes → text for the text-based corpus formats. Vendors publish checksheets and policies
 * from Windows tools, so besides UTF-8 we accept UTF-16 with a BOM (Excel's "Unicode text")
 * and Shift_JIS (CP932), and refuse anything that is not text instead of indexing mojibake.
 */
import iconv from 'iconv-lite';
import { ParseError } from '../errors.js';

/** Share of control bytes above which a file is treated as binary (real text has almost none). */
const MAX_CONTROL_RATIO = 0.02;

/** Decodes a corpus file, naming `file` in the ParseError when it is empty or not text. */
export function decodeText(bytes: Uint8Array, file: string): string {
  const text = decodeBytes(bytes, file);
  // \s covers U+3000 (ideographic space) and a stray BOM too.
  if (!/\S/u.test(text)) throw new ParseError(file, 'empty file');
  return text;
}

function decodeBytes(bytes: Uint8Array, file: string): string {
  // Checked before the binary test because UTF-16 text is full of NUL bytes.
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return decodeStrict('utf-16le', bytes, file);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return decodeStrict('utf-16be', bytes, file);

  if (looksBinary(bytes)) {
    throw new ParseError(file, 'not a text file (it contains binary data); check the manifest format or export the document as text');
  }
  try {
    // fatal: invalid sequences throw instead of becoming U+FFFD; the default ignoreBOM=false strips a BOM.
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    if (looksLikeShiftJis(bytes)) {
      // CP932 rather than strict Shift_JIS: Windows-made documents use its extensions (①, ㈱, Ⅳ).
      return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'cp932');
    }
    throw new ParseError(file, 'not a text file (neither UTF-8 nor Shift_JIS); save it as UTF-8');
  }
}

function decodeStrict(encoding: 'utf-16le' | 'utf-16be', bytes: Uint8Array, file: string): string {
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch (error) {
    throw new ParseError(file, `not a text file (invalid ${encoding.toUpperCase()} after its byte-order mark); save it as UTF-8`, undefined, {
      cause: error,
    });
  }
}

/** NUL anywhere, or more than a sliver of control bytes other than tab, LF, CR and form feed. */
function looksBinary(bytes: Uint8Array): boolean {
  let control = 0;
  for (const b of bytes) {
    if (b === 0) return true;
    if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) || b === 0x7f) control++;
  }
  return control / bytes.length > MAX_CONTROL_RATIO;
}

/**
 * True when every byte fits Shift_JIS structure (ASCII, half-width katakana, or a valid
 * lead/trail pair) and at least one double-byte character occurs. Latin-1 or random bytes
 * almost never pass, so they are reported instead of being decoded into nonsense.
 */
function looksLikeShiftJis(bytes: Uint8Array): boolean {
  let doubleByte = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] ?? 0;
    if (b < 0x80 || (b >= 0xa1 && b <= 0xdf)) continue;
    const isLead = (b >= 0x81 && b <= 0x9f) || (b >= 0xe0 && b <= 0xfc);
    const trail = bytes[i + 1];
    if (!isLead || trail === undefined || trail < 0x40 || trail === 0x7f || trail > 0xfc) return false;
    doubleByte++;
    i++;
  }
  return doubleByte > 0;
}
