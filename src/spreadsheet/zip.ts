/**
 * Minimal zip access for xlsx files: yauzl reads the central directory (so sizes and
 * ratios are checked before anything is inflated) and this module writes zips back.
 *
 * Why a writer of our own: filling a customer's workbook must change only the answer
 * cells. Re-serialising the whole workbook through ExcelJS drops what it does not model
 * (x14 data validations, conditional-format extensions, drawings, slicers...), so kotae
 * copies every untouched entry byte-for-byte (still compressed) and re-deflates only the
 * sheet XML it patched. The same writer builds the stripped copy ExcelJS parses.
 */
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';

export interface ZipEntryRecord {
  name: string;
  /** 0 = stored, 8 = deflate. */
  method: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  /** Compressed bytes exactly as in the archive. */
  raw: Buffer;
  dosTime: number;
  dosDate: number;
  encrypted: boolean;
}

export class ZipFormatError extends Error {
  override readonly name = 'ZipFormatError';
}

/** Reads the directory and every entry's compressed bytes; inflates nothing. */
export async function readZipEntries(bytes: Uint8Array): Promise<ZipEntryRecord[]> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(buffer, { lazyEntries: true, validateEntrySizes: true });
  } catch (e) {
    throw new ZipFormatError(e instanceof Error ? e.message : String(e));
  }
  const out: ZipEntryRecord[] = [];
  try {
    for await (const entry of zip.eachEntry()) {
      const encrypted = entry.isEncrypted();
      let raw: Buffer = Buffer.alloc(0);
      if (!encrypted) {
        const stream = await zip.openReadStreamPromise(entry, { decodeFileData: false });
        raw = await collect(stream);
      }
      out.push({
        name: entry.fileName,
        method: entry.compressionMethod,
        crc32: entry.crc32,
        compressedSize: entry.compressedSize,
        uncompressedSize: entry.uncompressedSize,
        raw,
        dosTime: entry.lastModFileTime,
        dosDate: entry.lastModFileDate,
        encrypted,
      });
    }
  } catch (e) {
    throw new ZipFormatError(e instanceof Error ? e.message : String(e));
  }
  return out;
}

/** Lists the central directory only (names, sizes, methods); used by the bomb checks. */
export async function listZipDirectory(
  bytes: Uint8Array,
): Promise<Array<Pick<ZipEntryRecord, 'name' | 'method' | 'compressedSize' | 'uncompressedSize' | 'encrypted'>>> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(buffer, { lazyEntries: true });
  } catch (e) {
    throw new ZipFormatError(e instanceof Error ? e.message : String(e));
  }
  const out: Array<Pick<ZipEntryRecord, 'name' | 'method' | 'compressedSize' | 'uncompressedSize' | 'encrypted'>> = [];
  try {
    for await (const entry of zip.eachEntry()) {
      out.push({
        name: entry.fileName,
        method: entry.compressionMethod,
        compressedSize: entry.compressedSize,
        uncompressedSize: entry.uncompressedSize,
        encrypted: entry.isEncrypted(),
      });
    }
  } catch (e) {
    throw new ZipFormatError(e instanceof Error ? e.message : String(e));
  }
  return out;
}

function collect(stream: Readable): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('error', reject);
    stream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

/**
 * The entry's content. `maxOutputLength` stops inflation at the declared size, so a
 * directory that lies about sizes cannot make this allocate more than was checked.
 */
export function inflateEntry(entry: ZipEntryRecord): Buffer {
  let data: Buffer;
  if (entry.method === 0) data = entry.raw;
  else if (entry.method === 8) data = inflateRawSync(entry.raw, { maxOutputLength: Math.max(1, entry.uncompressedSize) });
  else throw new ZipFormatError(`${entry.name}: unsupported compression method ${entry.method}`);
  if (data.length !== entry.uncompressedSize) throw new ZipFormatError(`${entry.name}: size differs from the directory`);
  if (crc32(data) >>> 0 !== entry.crc32 >>> 0) throw new ZipFormatError(`${entry.name}: checksum mismatch (damaged file)`);
  return data;
}

/** An entry to write: either copied as-is (`raw` + metadata) or new `data` to deflate. */
export type ZipOut =
  | { kind: 'copy'; entry: ZipEntryRecord }
  | { kind: 'data'; name: string; data: Buffer; store?: boolean; level?: number; dosTime?: number; dosDate?: number };

/** Writes a zip (no zip64: the inputs are capped far below 4 GiB and 65535 entries). */
export function writeZip(entries: ZipOut[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    let name: string;
    let method: number;
    let crc: number;
    let raw: Buffer;
    let size: number;
    let time: number;
    let date: number;
    if (e.kind === 'copy') {
      ({ name, method, raw } = e.entry);
      crc = e.entry.crc32;
      size = e.entry.uncompressedSize;
      time = e.entry.dosTime;
      date = e.entry.dosDate;
    } else {
      name = e.name;
      method = e.store ? 0 : 8;
      raw = e.store ? e.data : deflateRawSync(e.data, { level: e.level ?? 6 });
      crc = crc32(e.data) >>> 0;
      size = e.data.length;
      time = e.dosTime ?? 0;
      date = e.dosDate ?? 0x21; // 1980-01-01
    }
    const nameBytes = Buffer.from(name, 'utf8');
    const flags = /[^\x00-\x7f]/.test(name) ? 0x0800 : 0; // bit 11: UTF-8 names
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(raw.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, nameBytes, raw);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(time, 12);
    central.writeUInt16LE(date, 14);
    central.writeUInt32LE(crc >>> 0, 16);
    central.writeUInt32LE(raw.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + raw.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}
