/**
 * Loads `corpus/manifest.json`, the list of documents to ingest. Every problem is reported as
 * a ManifestError naming the entry (`[3] (krew.txt)`) and the field, so a user editing the file
 * by hand can go straight to the mistake.
 *
 * Besides what ingest needs, an entry may give the document's public `url` (http or https):
 * the file sent to a customer cites the document by title, vendor, item and that address,
 * so the customer can read the source (src/export/sources.ts).
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { DocumentFormat, ManifestEntry } from '../domain.js';
import { ManifestError } from '../errors.js';

const MANIFEST_FILE = 'manifest.json';

export async function loadManifest(corpusDir: string): Promise<ManifestEntry[]> {
  const manifestPath = path.join(corpusDir, MANIFEST_FILE);
  const invalid = (field: string, problem: string) => new ManifestError(manifestPath, field, problem);

  let text: string;
  try {
    text = await readFile(manifestPath, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : String(error);
    throw invalid('(file)', `${reason}; create it with one entry per document`);
  }

  let raw: unknown;
  try {
    // Editors on Windows like to save a BOM, which JSON.parse rejects.
    raw = JSON.parse(text.replace(/^\ufeff/, ''));
  } catch (error) {
    throw invalid('(json)', `invalid JSON${jsonPosition(text, error)}: ${(error as Error).message}`);
  }
  if (!Array.isArray(raw)) {
    throw invalid('(root)', `expected an array of document entries, got ${raw === null ? 'null' : typeof raw}`);
  }

  const entries: ManifestEntry[] = [];
  const seen = new Map<string, number>();
  for (const [index, item] of raw.entries()) {
    const label = entryLabel(index, item);
    const parsed = ManifestEntry.safeParse(item);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      if (!issue) throw invalid(label, 'invalid entry');
      throw invalid(`${label}${fieldSuffix(issue)}`, describeIssue(issue, item));
    }

    const file = normaliseFile(parsed.data.file);
    const resolved = path.resolve(corpusDir, file);
    const relative = path.relative(path.resolve(corpusDir), resolved);
    if (path.isAbsolute(file) || relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) {
      throw invalid(`${label}.file`, `"${parsed.data.file}" is outside the corpus directory; give a path relative to ${corpusDir}`);
    }
    const earlier = seen.get(file);
    if (earlier !== undefined) throw invalid(`${label}.file`, `duplicate of entry [${earlier}]; list each document once`);
    seen.set(file, index);

    const info = await stat(resolved).catch(() => null);
    if (!info) throw invalid(`${label}.file`, `"${file}" does not exist in ${corpusDir}`);
    if (!info.isFile()) throw invalid(`${label}.file`, `"${file}" is not a regular file`);

    entries.push({ ...parsed.data, file });
  }
  return entries;
}

/** `[3] (krew.txt)` when the entry has a usable file name, else `[3]`. */
function entryLabel(index: number, item: unknown): string {
  const file = isRecord(item) ? item['file'] : undefined;
  return typeof file === 'string' && file.trim() !== '' ? `[${index}] (${file})` : `[${index}]`;
}

function fieldSuffix(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `.${issue.keys.join(',')}`;
  return issue.path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join('');
}

/** Rewrites zod's generic messages into ones that say what to put in the manifest. */
function describeIssue(issue: z.core.$ZodIssue, item: unknown): string {
  if (!isRecord(item)) return 'expected an object with file, product, title, format and language';
  const key = issue.path[0];
  if (typeof key === 'string' && issue.path.length === 1 && !(key in item)) return 'missing (required)';
  if (issue.code === 'unrecognized_keys') {
    return `unknown field; allowed: ${Object.keys(ManifestEntry.shape).join(', ')}`;
  }
  if (key === 'format') {
    return `unknown format ${JSON.stringify(item['format'])}; allowed: ${DocumentFormat.options.join(', ')}`;
  }
  return issue.message;
}

/** `" at line 3, column 5"` from the character offset V8 puts in JSON.parse errors, when present. */
function jsonPosition(text: string, error: unknown): string {
  const match = /position (\d+)/.exec((error as Error).message);
  if (!match) return '';
  const before = text.replace(/^\ufeff/, '').slice(0, Number(match[1]));
  const lines = before.split('\n');
  return ` at line ${lines.length}, column ${(lines.at(-1)?.length ?? 0) + 1}`;
}

/** `./a/../b.txt` and `b.txt` name the same document; ids use the normalised form. */
function normaliseFile(file: string): string {
  return path.posix.normalize(file.replaceAll('\\', '/'));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
