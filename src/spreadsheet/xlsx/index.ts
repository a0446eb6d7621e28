/**
 * The .xlsx format: a zip package read by ./read.ts (with list values resolved by
 * ./lists.ts) and patched cell by cell by ./patch.ts, both on the scanner of ./xml.ts.
 */
import type { SpreadsheetFormat } from '../format.js';
import { patchXlsx } from './patch.js';
import { readXlsx, type XlsxSource } from './read.js';

export type { XlsxSource };

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const ZIP_EMPTY = [0x50, 0x4b, 0x05, 0x06];

const startsWith = (bytes: Uint8Array, sig: number[]): boolean => sig.every((b, i) => bytes[i] === b);

export const xlsxFormat: SpreadsheetFormat<'xlsx', XlsxSource> = {
  kind: 'xlsx',
  extensions: ['xlsx', 'xlsm'],
  noun: 'an Excel workbook',
  sniff: (bytes) => startsWith(bytes, ZIP) || startsWith(bytes, ZIP_EMPTY),
  read: readXlsx,
  write: (source, writes, added) => ({ bytes: patchXlsx(source, writes, added), notes: [] }),
};
