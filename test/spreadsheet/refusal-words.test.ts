/**
 * The spreadsheet layer refuses files for the CLI (a path on disk) and for Slack (a shared
 * file) alike, and does not know which: its messages and hints must read true on both. A
 * person at a terminal uploaded nothing, and a person in Slack has no command-line flags.
 * Every refusal a user can meet on the way in is checked here for both, and for a hint.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { loadSpreadsheet } from '../../src/spreadsheet/registry.js';
import { DEFAULT_LIMITS } from '../../src/spreadsheet/safety.js';
import { readZipEntries, writeZip, type ZipOut } from '../../src/spreadsheet/zip.js';

const fixture = (name: string): Buffer => readFileSync(join(process.cwd(), 'test/fixtures', name));

/** An OLE compound file header followed by the given UTF-16 stream names. */
function oleFile(...streams: string[]): Buffer {
  const header = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
  return Buffer.concat([header, Buffer.alloc(504), ...streams.map((s) => Buffer.from(s, 'utf16le')), Buffer.alloc(512)]);
}

/** A zip whose entries all carry the "encrypted" flag (a workbook zipped with a password). */
function encryptedZip(): Buffer {
  const zip = writeZip([{ kind: 'data', name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') }]);
  for (const [signature, flagsAt] of [[0x04034b50, 6], [0x02014b50, 8]] as const) {
    for (let i = 0; i + 4 <= zip.length; i++) if (zip.readUInt32LE(i) === signature) zip.writeUInt16LE(zip.readUInt16LE(i + flagsAt) | 1, i + flagsAt);
  }
  return zip;
}

async function damagedSheet(): Promise<Buffer> {
  const entries = await readZipEntries(fixture('questionnaire-ja-status.xlsx'));
  return writeZip(
    entries.map((e): ZipOut => {
      if (e.name !== 'xl/worksheets/sheet1.xml') return { kind: 'copy', entry: e };
      const raw = Buffer.from(e.raw);
      for (let i = 100; i < 160; i++) raw[i] = (raw[i] ?? 0) ^ 0xff;
      return { kind: 'copy', entry: { ...e, raw } };
    }),
  );
}

const workbook = fixture('questionnaire-ja-status.xlsx');
const CASES: Array<[string, () => Buffer | Promise<Buffer>, string]> = [
  ['a PDF', () => Buffer.from('%PDF-1.7\n'), 'q.xlsx'],
  ['binary content', () => Buffer.from([0x00, 0x01, 0x02, 0x03, 0x41]), 'q.xlsx'],
  ['a CSV renamed .xlsx', () => fixture('questionnaire-bom.csv'), 'q.xlsx'],
  ['a workbook renamed .csv', () => workbook, 'q.csv'],
  ['a password-protected workbook', () => oleFile('EncryptionInfo', 'EncryptedPackage'), 'q.xlsx'],
  ['a legacy .xls', () => oleFile('Workbook'), 'q.xls'],
  ['an empty file', () => Buffer.alloc(0), 'q.xlsx'],
  ['a truncated workbook', () => workbook.subarray(0, Math.floor(workbook.length * 0.6)), 'q.xlsx'],
  ['a workbook with encrypted parts', encryptedZip, 'q.xlsx'],
  ['a zip that is no workbook', () => writeZip([{ kind: 'data', name: 'word/document.xml', data: Buffer.from('<w/>') }]), 'q.xlsx'],
  ['a workbook without worksheets', () => writeZip([{ kind: 'data', name: 'xl/workbook.xml', data: Buffer.from('<workbook><sheets/></workbook>') }]), 'q.xlsx'],
  ['a workbook whose sheet is damaged', damagedSheet, 'q.xlsx'],
  ['a file over the size limit', () => workbook, 'q.xlsx'],
];

describe('spreadsheet refusals are worded for every surface', () => {
  it.each(CASES)('%s: no "upload", no command-line flag, and a hint', async (what, bytes, name) => {
    const limits = what.includes('size limit') ? { ...DEFAULT_LIMITS, maxBytes: 1024 } : DEFAULT_LIMITS;
    const error = await loadSpreadsheet(await bytes(), name, limits).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InputError);
    const { message, hint } = error as InputError;
    expect(hint, message).toBeTruthy();
    // A setting keeps its name (KOTAE_MAX_UPLOAD_BYTES): whoever runs kotae sets it, on either surface.
    const words = `${message}\n${hint ?? ''}`.replace(/\bKOTAE_[A-Z_]+\b/g, 'SETTING');
    expect(words).not.toMatch(/upload/i);
    expect(words).not.toMatch(/(^|\s)--?[a-z]/);
  });
});
