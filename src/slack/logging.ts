/**
 * Bolt and the Web API client log through kotae's redacting logger (src/log.ts), so a
 * token in an SDK message (a request dump at debug level, an error carrying headers)
 * is masked like everything else; and errors are described for logs without their
 * request objects.
 */
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../log.js';

const ORDER: Record<LogLevel, number> = { [LogLevel.DEBUG]: 10, [LogLevel.INFO]: 20, [LogLevel.WARN]: 30, [LogLevel.ERROR]: 40 };

function text(parts: unknown[]): string {
  return parts
    .map((p) => {
      if (typeof p === 'string') return p;
      if (p instanceof Error) return `${p.name}: ${p.message}`;
      try {
        return JSON.stringify(p);
      } catch {
        return String(p);
      }
    })
    .join(' ');
}

/** kotae's level → Bolt's; 'silent' still lets Bolt errors through to kotae's logger (which drops them). */
export function boltLevel(level: string): LogLevel {
  return level === 'debug' ? LogLevel.DEBUG : level === 'info' ? LogLevel.INFO : level === 'warn' ? LogLevel.WARN : LogLevel.ERROR;
}

export function boltLogger(log: Logger, level: LogLevel = LogLevel.INFO, name = 'bolt'): BoltLogger {
  const emit = (at: LogLevel, parts: unknown[]): void => {
    if (ORDER[at] < ORDER[level]) return;
    log[at](text(parts), { component: name });
  };
  return {
    debug: (...m: unknown[]) => emit(LogLevel.DEBUG, m),
    info: (...m: unknown[]) => emit(LogLevel.INFO, m),
    warn: (...m: unknown[]) => emit(LogLevel.WARN, m),
    error: (...m: unknown[]) => emit(LogLevel.ERROR, m),
    // Ignored: KOTAE_LOG_LEVEL decides. The Web API client calls setLevel(INFO) on the
    // logger it shares with Bolt, which would silently override the configured level.
    setLevel: () => undefined,
    getLevel: () => level,
    setName: (n: string) => {
      name = n;
    },
  };
}

/** What a log line needs from an error: its kind and Slack's error code, never the request. */
export function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { error: String(error) };
  const out: Record<string, unknown> = { error: error.message, errorName: error.name };
  const e = error as Error & { code?: unknown; data?: { error?: unknown }; statusCode?: unknown; retryAfter?: unknown };
  if (typeof e.code === 'string') out.code = e.code;
  if (e.data && typeof e.data.error === 'string') out.slackError = e.data.error;
  if (typeof e.statusCode === 'number') out.status = e.statusCode;
  return out;
}
