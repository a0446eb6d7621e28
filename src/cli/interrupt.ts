/**
 * Ctrl-C during a long command (`kotae answer`): the first stops taking new rows and lets the
 * command end through the error renderer ("interrupted …", exit 130; the checkpoint makes
 * re-running the same command resume); a second one exits at once.
 */
import { EXIT, InterruptedError } from './exit.js';

export function interruptOnSigint(what: string): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onSigint = (): void => {
    if (controller.signal.aborted) process.exit(EXIT.interrupted);
    controller.abort(new InterruptedError(`${what} stopped (Ctrl-C); the rows already drafted are saved`));
  };
  process.on('SIGINT', onSigint);
  return { signal: controller.signal, dispose: () => process.off('SIGINT', onSigint) };
}
