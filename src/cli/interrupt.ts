/**
 * Ctrl-C or SIGTERM (`kill`, a supervisor stopping a job) during a long command (`kotae
 * answer`): the first stops taking new rows and lets the command end through the error
 * renderer ("interrupted …", exit 130; the checkpoint makes re-running the same command
 * resume); a second one exits at once. It is taken over from the moment the command starts,
 * and the executable holds a signal that comes while kotae is still loading (HeldSignals), so
 * a signal before any row is drafted is reported too ("nothing was done yet"), never a silent
 * exit.
 */
import { EXIT, InterruptedError } from './exit.js';

/** The signals that stop a command cleanly, as the message names them. */
const STOPPING = { SIGINT: 'Ctrl-C', SIGTERM: 'SIGTERM' } as const;
export type StopSignal = keyof typeof STOPPING;

/**
 * Signals the executable (bin/kotae.js) held while kotae was still loading, before `main` could
 * take them: without it Node's default ends the process at once, silently (exit 130 and no line).
 */
export interface HeldSignals {
  /** The first signal that came while loading, if any. */
  received: () => StopSignal | undefined;
  /** Stops holding: from now on the command's own handlers, or Node's default, take them. */
  release: () => void;
}

/**
 * Hands what was held over: a stoppable command (with its Interrupt) reports it as any later
 * signal; any other command ends as Node would have ended it, by the signal itself.
 */
export function settleHeldSignals(held: HeldSignals | undefined, interrupt: Interrupt | undefined): void {
  if (!held) return;
  const signal = held.received();
  held.release();
  if (signal === undefined) return;
  if (interrupt) interrupt.raise(signal);
  else process.kill(process.pid, signal);
}

export interface Interrupt {
  /** Aborted by the first signal; its reason is the InterruptedError to report. */
  signal: AbortSignal;
  /** The command has begun the work a re-run resumes (drafting): from now on the message says so. */
  begin: () => void;
  /** A signal that came before these handlers were taken (HeldSignals), treated as if it came now. */
  raise: (signal: StopSignal) => void;
  /** Gives the signals back. */
  dispose: () => void;
}

export function interruptOnSignals(what: string): Interrupt {
  const controller = new AbortController();
  let begun = false;
  const handlers = (Object.keys(STOPPING) as StopSignal[]).map((name) => {
    const handler = (): void => {
      if (controller.signal.aborted) process.exit(EXIT.interrupted);
      const how = STOPPING[name];
      controller.abort(
        begun
          ? new InterruptedError(`${what} stopped (${how}); the rows already drafted are saved`)
          : new InterruptedError(`${what} stopped (${how}) before it began; nothing was done yet`, 'Run the same command again.', true),
      );
    };
    process.on(name, handler);
    return [name, handler] as const;
  });
  return {
    signal: controller.signal,
    begin: () => {
      begun = true;
    },
    raise: (signal) => {
      for (const [name, handler] of handlers) if (name === signal) handler();
    },
    dispose: () => {
      for (const [name, handler] of handlers) process.off(name, handler);
    },
  };
}
