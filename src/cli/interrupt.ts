/**
 * Ctrl-C or SIGTERM (`kill`, a supervisor stopping a job) during a long command (`kotae
 * answer`): the first stops taking new rows and lets the command end through the error
 * renderer ("interrupted …", exit 130; the checkpoint makes re-running the same command
 * resume); a second one exits at once. It is taken over from the moment the command starts,
 * so a signal before any row is drafted is reported too ("nothing was done yet"), never a
 * silent exit.
 */
import { EXIT, InterruptedError } from './exit.js';

/** The signals that stop a command cleanly, as the message names them. */
const STOPPING = { SIGINT: 'Ctrl-C', SIGTERM: 'SIGTERM' } as const;

export interface Interrupt {
  /** Aborted by the first signal; its reason is the InterruptedError to report. */
  signal: AbortSignal;
  /** The command has begun the work a re-run resumes (drafting): from now on the message says so. */
  begin: () => void;
  /** Gives the signals back. */
  dispose: () => void;
}

export function interruptOnSignals(what: string): Interrupt {
  const controller = new AbortController();
  let begun = false;
  const handlers = (Object.keys(STOPPING) as Array<keyof typeof STOPPING>).map((name) => {
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
    dispose: () => {
      for (const [name, handler] of handlers) process.off(name, handler);
    },
  };
}
