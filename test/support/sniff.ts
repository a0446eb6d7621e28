/**
 * What the format registry says when it refuses a file (src/spreadsheet/registry.ts sniffKind),
 * for specs of which files are refused and how; and the committed fixture files they sniff.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../src/errors.js';
import { sniffKind } from '../../src/spreadsheet/registry.js';

export const fixture = (name: string): Buffer => readFileSync(join(process.cwd(), 'test/fixtures', name));

/** The InputError sniffKind refuses `name` with; fails the test when the file is accepted. */
export function refusal(bytes: Uint8Array, name: string): InputError {
  try {
    sniffKind(bytes, name);
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error(`${name} was accepted`);
}
