/**
 * Parses one manifest document into passages, by its declared format. Each format has its
 * own module; this is only the dispatch, so adding a format touches one file and one line.
 */
import type { ManifestEntry, Passage } from '../domain.js';
import { parseChecksheetText } from './checksheet-text.js';
import { decodeText } from './decode.js';
import { parseMarkdown } from './markdown.js';
import { parsePdf } from './pdf.js';

/**
 * Bumped whenever a parser's output changes, so that ingest re-parses files whose bytes
 * did not change but whose passages would.
 */
export const PARSER_VERSION = 4;

export async function parseDocument(entry: ManifestEntry, bytes: Uint8Array): Promise<Passage[]> {
  switch (entry.format) {
    case 'checksheet-text':
      return parseChecksheetText(decodeText(bytes, entry.file), entry);
    case 'markdown':
      return parseMarkdown(decodeText(bytes, entry.file), entry);
    case 'pdf':
      return parsePdf(bytes, entry);
    case 'qa-xlsx':
    case 'qa-csv':
      // Loaded on demand: ExcelJS is heavy and most corpora have no answered questionnaires.
      return (await import('./qa-sheet.js')).parseQaSheet(bytes, entry);
  }
}
