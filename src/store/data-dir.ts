/**
 * The one check that KOTAE_DATA_DIR can hold kotae's data, shared by the index (store.ts) and
 * the workflow database (open.ts): a setting naming a file, or a folder under a file, is said
 * as the setting to fix, the same for `ask`, `answer` and `review`, instead of the ENOTDIR or
 * EEXIST of the first file opened there ("a part of the path is not a directory").
 */
import { statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError } from '../errors.js';

/** Whether a path is there, what it is, or 'under-file' when a folder on its way is a file. */
function lookUp(path: string): Stats | 'missing' | 'under-file' {
  try {
    return statSync(path, { throwIfNoEntry: false }) ?? 'missing';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') return 'under-file';
    throw error;
  }
}

/** Throws a ConfigError naming KOTAE_DATA_DIR when the data folder is a file or lies under one; a folder not made yet is fine. */
export function checkDataDir(dataDir: string): void {
  const full = resolve(dataDir);
  for (let dir = full; ; dir = dirname(dir)) {
    const found = lookUp(dir);
    if (found !== 'missing' && found !== 'under-file') {
      if (found.isDirectory()) return;
      const problem = dir === full ? `${dataDir} is a file, not a folder` : `${dataDir} is inside ${dir}, which is a file, not a folder`;
      throw new ConfigError('KOTAE_DATA_DIR', `${problem} (kotae keeps its data in a folder: point the setting at one, or at a new path it can create)`);
    }
    if (dirname(dir) === dir) return;
  }
}
