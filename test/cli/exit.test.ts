/**
 * How the CLI words an error (src/cli/exit.ts): one line for the message, the hint indented
 * under it, then the core's remedy as the command that applies it; the exit code from the one
 * table, whichever command failed.
 */
import { describe, expect, it } from 'vitest';
import { EXIT, reportError } from '../../src/cli/exit.js';
import { KotaeError, REMEDIES, StoreMismatchError } from '../../src/errors.js';

describe('reportError (CLI)', () => {
  it('prints the message, the hint, then the remedy as a command', () => {
    expect(reportError(new StoreMismatchError('none', 'openai:text-embedding-3-small'))).toEqual({
      lines: [
        'error: the store under KOTAE_DATA_DIR was built with embedder "none" but "openai:text-embedding-3-small" is configured',
        '  Vectors of two embedders are never mixed in one index.',
        '  Rebuild the index: kotae ingest --rebuild (npm run ingest -- --rebuild).',
      ],
      code: EXIT.failed,
    });
  });

  it.each(REMEDIES)('names a kotae command for the remedy %s', (remedy) => {
    const { lines, code } = reportError(new KotaeError('not_found', 'gone', undefined, { remedy }));
    expect(lines[0]).toBe('error: gone');
    expect(lines[1]).toMatch(/kotae (ingest|review|answer)|--sheet/);
    expect(code).toBe(EXIT.notFound);
  });
});
