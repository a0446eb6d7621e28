/**
 * Throttled progress updates: a bulk job reports every finished row, but Slack allows
 * chat.update about once per second per channel (Tier 3 / special rate limits), and
 * hitting the limit delays the final message too. Latest value wins; at most one update
 * runs at a time and updates are at least `intervalMs` apart; `flush` sends the last
 * pending value and waits for it.
 */
export interface Throttled<T> {
  push(value: T): void;
  /** Sends the pending value (if any) now-ish and resolves when every send has finished. */
  flush(): Promise<void>;
  /** Drops pending values; the next push starts again. */
  cancel(): void;
}

export function throttle<T>(send: (value: T) => Promise<void>, intervalMs = 1000, now: () => number = Date.now): Throttled<T> {
  let pending: { value: T } | null = null;
  let lastSent = -Infinity;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();
  let inFlight = false;

  const fire = (): void => {
    timer = null;
    if (!pending || inFlight) return;
    const { value } = pending;
    pending = null;
    inFlight = true;
    lastSent = now();
    running = send(value)
      .catch(() => undefined)
      .finally(() => {
        inFlight = false;
        if (pending) schedule();
      });
  };

  const schedule = (): void => {
    if (timer || inFlight) return;
    const wait = Math.max(0, lastSent + intervalMs - now());
    timer = setTimeout(fire, wait);
  };

  return {
    push(value) {
      pending = { value };
      schedule();
    },
    async flush() {
      while (pending || inFlight || timer) {
        if (timer && !inFlight) {
          clearTimeout(timer);
          timer = null;
          // Respect the interval even for the final update.
          const wait = Math.max(0, lastSent + intervalMs - now());
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          fire();
        }
        await running;
        if (!inFlight && pending && !timer) schedule();
      }
    },
    cancel() {
      pending = null;
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
