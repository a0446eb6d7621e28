#!/usr/bin/env node
// The `kotae` executable. Runs the compiled JavaScript in dist/ when it is there and at
// least as new as every source file (`npm run build`; published packages ship it), so
// `kotae --help` starts in a fraction of a second. Otherwise the TypeScript runs through
// tsx in this same process: a fresh clone works without a build step, and an edited source
// is never shadowed by an older build.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// Loading kotae takes a moment (more through tsx); a Ctrl-C or SIGTERM meanwhile would end the
// process silently by Node's default. Held here instead, and handed to the command, which says
// it was interrupted as it does for any later signal (src/cli/interrupt.ts HeldSignals).
const held = [];
const hold = (signal) => held.push(signal);
process.on('SIGINT', hold);
process.on('SIGTERM', hold);
const heldSignals = {
  received: () => held[0],
  release: () => {
    process.off('SIGINT', hold);
    process.off('SIGTERM', hold);
  },
};

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist', 'cli', 'main.js');

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

const fresh = existsSync(built) && (!existsSync(join(root, 'src')) || statSync(built).mtimeMs >= newestSource(join(root, 'src')));
if (fresh) {
  const { runCli } = await import(pathToFileURL(built).href);
  runCli(heldSignals);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  const { runCli } = await import(pathToFileURL(join(root, 'src', 'cli', 'main.ts')).href);
  runCli(heldSignals);
}
