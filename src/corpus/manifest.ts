/**
 * Loads `corpus/manifest.json`, the list of documents to ingest. Every problem in it is
 * reported at once, in one ManifestError naming for each the entry (`[3] (krew.txt)`) and the
 * field, so a user editing the file by hand can go straight to each mistake and fix them all
 * in one pass.
 *
 * Besides what ingest needs, an entry may give the document's public `url` (http or https):
 * the file sent to a customer cites the document by title, vendor, item and that address,
 * so the customer can read the source (src/export/sources.ts).
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { DocumentFormat, ManifestEntry } from '../domain.js';
import { ManifestError, type ManifestProblem } from '../errors.js';

const MANIFEST_FILE = 'manifest.json';

export async function loadManifest(corpusDir: string): Promise<ManifestEntry[]> {
  const manifestPath = path.join(corpusDir, MANIFEST_FILE);
  const invalid = (field: string, problem: string) => new ManifestError(manifestPath, [{ field, problem }]);

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

  // Every entry is checked even after a mistake, so one run lists everything to fix.
  const entries: ManifestEntry[] = [];
  const problems: ManifestProblem[] = [];
  const seen = new Map<string, number>();
  for (const [index, item] of raw.entries()) {
    const label = entryLabel(index, item);
    const parsed = ManifestEntry.safeParse(item);
    if (!parsed.success) problems.push(...parsed.error.issues.flatMap((issue) => describeIssue(label, issue, item)));

    const given = parsed.success ? parsed.data.file : usableFile(item);
    if (given === undefined) continue;
    const file = normaliseFile(given);
    const fileProblem = await checkFile(corpusDir, given, file, seen.get(file));
    if (!seen.has(file)) seen.set(file, index);
    if (fileProblem) problems.push({ field: `${label}.file`, problem: fileProblem });
    else if (parsed.success) entries.push({ ...parsed.data, file });
  }
  if (problems.length > 0) throw new ManifestError(manifestPath, problems);
  return entries;
}

/** What is wrong with an entry's file (outside the corpus, listed twice, missing), or undefined. */
async function checkFile(corpusDir: string, given: string, file: string, earlier: number | undefined): Promise<string | undefined> {
  const resolved = path.resolve(corpusDir, file);
  const relative = path.relative(path.resolve(corpusDir), resolved);
  if (path.isAbsolute(file) || relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) {
    return `"${given}" is outside the corpus directory; give a path relative to ${corpusDir}`;
  }
  if (earlier !== undefined) return `duplicate of entry [${earlier}]; list each document once`;
  const info = await stat(resolved).catch(() => null);
  if (!info) return `"${file}" does not exist in ${corpusDir}`;
  if (!info.isFile()) return `"${file}" is not a regular file`;
  return undefined;
}

/** `[3] (krew.txt)` when the entry has a usable file name, else `[3]`. */
function entryLabel(index: number, item: unknown): string {
  const file = usableFile(item);
  return file === undefined ? `[${index}]` : `[${index}] (${file})`;
}

/** The entry's `file` when it is a non-blank string, even if other fields are wrong. */
function usableFile(item: unknown): string | undefined {
  const file = isRecord(item) ? item['file'] : undefined;
  return typeof file === 'string' && file.trim() !== '' ? file : undefined;
}

/**
 * Rewrites zod's generic messages into ones that say what to put in the manifest, one
 * problem per field (several misspelt fields are several problems).
 */
function describeIssue(label: string, issue: z.core.$ZodIssue, item: unknown): ManifestProblem[] {
  if (!isRecord(item)) return [{ field: label, problem: 'expected an object with file, product, title, format and language' }];
  if (issue.code === 'unrecognized_keys') {
    const allowed = `unknown field; allowed: ${Object.keys(ManifestEntry.shape).join(', ')}`;
    return issue.keys.map((key) => ({ field: `${label}.${key}`, problem: allowed }));
  }
  const field = `${label}${issue.path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join('')}`;
  const key = issue.path[0];
  if (typeof key === 'string' && issue.path.length === 1 && !(key in item)) return [{ field, problem: 'missing (required)' }];
  if (key === 'format') {
    return [{ field, problem: `unknown format ${JSON.stringify(item['format'])}; allowed: ${DocumentFormat.options.join(', ')}` }];
  }
  return [{ field, problem: issue.message }];
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
