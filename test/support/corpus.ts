/**
 * A corpus of the test's own: one document and its manifest entry in a new temp directory,
 * beside an empty data directory, so a test ingests text it wrote rather than the shipped
 * sample (and never an evaluation set's).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { z } from 'zod';
import type { ManifestEntry } from '../../src/domain.js';

export interface TempCorpus {
  root: string;
  corpusDir: string;
  dataDir: string;
}

export function tempCorpus(prefix: string, entry: z.input<typeof ManifestEntry>, text: string): TempCorpus {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const corpusDir = join(root, 'corpus');
  mkdirSync(corpusDir);
  writeFileSync(join(corpusDir, entry.file), text);
  writeFileSync(join(corpusDir, 'manifest.json'), JSON.stringify([entry]));
  return { root, corpusDir, dataDir: join(root, 'data') };
}
