/**
 * `kotae ARGV` run in the test's own process, as the CLI's `main` with captured output and
 * the given environment variables set for the call only (restored after, also on a throw).
 * Faster than a child process; tests of a real signal or of the compiled bin still spawn.
 * By default `main` loads no `.env` and leaves the process's signals alone, as any in-process
 * caller should; `options.main` asks for what the executable does, `options.onErr` sees each
 * stderr line as it is written (while the command still runs).
 */
import { main, type MainOptions } from '../../src/cli/main.js';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

export async function runCliInProcess(
  argv: string[],
  env: Record<string, string | undefined>,
  options: { main?: MainOptions; onErr?: (line: string) => void } = {},
): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  // A `.env` that main loads sets variables too: list them in `env` (as undefined) to have them restored.
  const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  try {
    const onErr = (line: string): void => {
      err.push(line);
      options.onErr?.(line);
    };
    const code = await main(argv, { out: (l) => out.push(l), err: onErr, interactive: false }, options.main);
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}
