/**
 * `kotae ARGV` run in the test's own process, as the CLI's `main` with captured output and
 * the given environment variables set for the call only (restored after, also on a throw).
 * Faster than a child process; tests of exit on signals or of the compiled bin still spawn.
 */
import { main } from '../../src/cli/main.js';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

export async function runCliInProcess(argv: string[], env: Record<string, string | undefined>): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  try {
    const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l), interactive: false });
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}
