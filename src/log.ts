/**
 * Minimal structured logger to stderr. Every value passes through `redact`, so a token
 * or key that ends up in a log field (an error from an SDK, a config dump) is masked.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

// Slack tokens (xoxb-, xapp-, xoxp-...), OpenAI-style keys, bearer headers and the password
// of a URL with credentials (postgres://user:password@host, KOTAE_DATABASE_URL).
const SECRET_PATTERNS: RegExp[] = [
  // The lookbehind starts a scheme only at a word's start, keeping a long run of letters linear.
  /(?<![a-z0-9+.-])([a-z][a-z0-9+.-]*:\/\/[^\s:/@"']*:)[^\s:/@"']+(?=@)/gi,
  /(?<![A-Za-z0-9])xox[abposr]-[A-Za-z0-9-]+/g,
  /(?<![A-Za-z0-9])xapp-[A-Za-z0-9-]+/g,
  /(?<![A-Za-z0-9])sk-[A-Za-z0-9_-]{8,}/g,
  /(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi,
];

const known = new Set<string>();

/** Registers configured secrets (signing secret, API keys) so they are masked verbatim too. */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 6) known.add(value);
}

export function redact(text: string): string {
  let out = text;
  for (const secret of known) out = out.split(secret).join('[redacted]');
  for (const pattern of SECRET_PATTERNS) {
    out = out.replace(pattern, (_m, prefix: unknown) => (typeof prefix === 'string' ? `${prefix}[redacted]` : '[redacted]'));
  }
  return out;
}

/**
 * The quieter of two levels: a surface that says some warnings itself (the CLI prints the
 * review queue's, in its own words) gives the core a logger at `error` at least, so the
 * person reads each warning once and real errors still reach the log.
 */
export function quieterOf(a: LogLevel, b: LogLevel): LogLevel {
  return ORDER[a] >= ORDER[b] ? a : b;
}

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

function serialise(value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message };
  return value;
}

/**
 * How a line is written: `json` (one object a line, for a service's log collector) or `human`
 * (`warning: message (count 3)`), for a command whose stderr a person reads among its own
 * progress lines (`kotae ingest`): a JSON object there reads as a crash dump.
 */
export type LogFormat = 'json' | 'human';

const HUMAN_LEVEL: Record<Exclude<LogLevel, 'silent'>, string> = { debug: 'debug', info: 'note', warn: 'warning', error: 'error' };

function humanValue(value: unknown): string {
  const v = serialise(value);
  if (typeof v === 'string') return v;
  if (v !== null && typeof v === 'object' && 'message' in v && typeof v.message === 'string') return v.message;
  return JSON.stringify(v) ?? String(v);
}

function humanLine(at: Exclude<LogLevel, 'silent'>, message: string, fields: Record<string, unknown>): string {
  const details = Object.entries(fields).map(([k, v]) => `${k} ${humanValue(v)}`);
  return `${HUMAN_LEVEL[at]}: ${message}${details.length > 0 ? ` (${details.join(', ')})` : ''}`;
}

export function createLogger(level: LogLevel, write: (line: string) => void = (l) => process.stderr.write(l), format: LogFormat = 'json'): Logger {
  const emit = (at: Exclude<LogLevel, 'silent'>, message: string, fields?: Record<string, unknown>): void => {
    if (ORDER[at] < ORDER[level]) return;
    if (format === 'human') {
      write(`${redact(humanLine(at, message, fields ?? {}))}\n`);
      return;
    }
    const entries = Object.entries(fields ?? {}).map(([k, v]) => [k, serialise(v)]);
    const record = { time: new Date().toISOString(), level: at, msg: message, ...Object.fromEntries(entries) };
    write(`${redact(JSON.stringify(record))}\n`);
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
  };
}
