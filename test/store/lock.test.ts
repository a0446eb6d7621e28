import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withLock } from '../../src/store/lock.js';
import { KotaeError } from '../../src/errors.js';

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kotae-lock-'));
  path = join(dir, 'ingest.lock');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('index writer lock', () => {
  it('lets the holder re-enter, and releases the file when done', async () => {
    const inner = await withLock(path, () => withLock(path, async () => existsSync(path)));
    expect(inner).toBe(true);
    expect(existsSync(path)).toBe(false);
  });

  it('makes a concurrent caller in the same process wait its turn instead of running alongside', async () => {
    const order: string[] = [];
    let release: () => void = () => undefined;
    const first = withLock(path, async () => {
      order.push('first start');
      await new Promise<void>((r) => (release = r));
      order.push('first end');
    });
    await new Promise((r) => setTimeout(r, 20));
    await expect(withLock(path, async () => 'no wait')).rejects.toBeInstanceOf(KotaeError);
    const second = withLock(path, async () => order.push('second'), { waitMs: 5000 });
    await new Promise((r) => setTimeout(r, 150));
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['first start', 'first end', 'second']);
  });

  it('takes over a lock left by a process that no longer exists', async () => {
    writeFileSync(path, '999999');
    await expect(withLock(path, async () => 'ran')).resolves.toBe('ran');
  });
});
