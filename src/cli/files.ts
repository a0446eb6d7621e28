/**
 * Files the user names on the command line: read and written so that a missing file, a
 * directory or a permission problem is one line with a hint (never a stack trace), an
 * existing output is not silently replaced, and a crash never leaves half a file.
 */
import { randomBytes } from 'node:crypto';
import { readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InputError } from '../errors.js';
import { fileProblem } from './exit.js';

/** A file-system error about a path the user named, as the InputError the renderer prints in one line. */
function asInputError(error: unknown, path: string): unknown {
  const problem = fileProblem(error, path);
  return problem ? new InputError(problem.message, problem.hint) : error;
}

/** Reads a file the user named; a missing file, a directory or no permission is one line, not a stack. */
export async function readUserFile(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw asInputError(error, path);
  }
}

/** The same for its size, looked at before reading it. */
export async function statUserFile(path: string): Promise<Stats> {
  try {
    return await stat(path);
  } catch (error) {
    throw asInputError(error, path);
  }
}

/** Checked before any work: an existing file is kept unless --force, a directory or a missing folder is refused. */
export async function checkOut(path: string, force: boolean): Promise<void> {
  const existing = await stat(path).catch(() => null);
  if (existing?.isDirectory()) throw new InputError(`--out ${path} is a directory`, 'Give a file name, e.g. review.xlsx.');
  if (existing && !force) throw new InputError(`--out ${path} already exists`, 'Pass --force to replace it, or choose another name.');
  const parent = await stat(dirname(path)).catch(() => null);
  if (!parent?.isDirectory()) throw new InputError(`--out ${path}: the folder ${dirname(path)} does not exist`, 'Create it first, or choose another path.');
}

/** Write to a temporary file next to the target, then rename: a crash never leaves half a workbook. */
export async function writeAtomically(path: string, data: Uint8Array): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (error) {
    await unlink(tmp).catch(() => undefined);
    const missingFolder = error instanceof Error && 'code' in error && error.code === 'ENOENT';
    const problem = missingFolder ? { message: `cannot write ${path}: the folder ${dirname(path)} does not exist`, hint: 'Create it first, or choose another path.' } : fileProblem(error, path);
    throw new InputError(problem?.message ?? `cannot write ${path}`, problem?.hint ?? 'Check that the folder exists and is writable.');
  }
}
