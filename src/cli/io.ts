/** Where CLI commands write: injected so tests capture output without touching process streams. */
export interface CliIO {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Whether stderr is a terminal (progress bars) or a pipe/log (plain lines). */
  interactive: boolean;
  /** Terminal width for tables (undefined when stdout is not a terminal). */
  columns?: number;
}

export const processIO: CliIO = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  interactive: Boolean(process.stderr.isTTY),
  columns: process.stdout.isTTY ? process.stdout.columns : undefined,
};
