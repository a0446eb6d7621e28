/**
 * AsyncLocalStorage that costs nothing while none of its runs is in progress.
 *
 * On Node 20 an AsyncLocalStorage, once `run`, installs promise hooks for the whole process
 * and keeps them: from then on every promise any code creates pays a hook call and an
 * allocation. The bot's Slack thread runs a migration transaction at start, so Bolt's request
 * handling (dozens of promises per request) ran about 2.5× slower and made that much more
 * garbage for as long as the bot lived; the bench's CPU profile of that thread showed the hook
 * and the collector as its top costs while acks waited. The stores here (a transaction's
 * "inside" flag, the index lock's holders) only mean something while a run is in progress,
 * so this disables the storage when its last run settles, which uninstalls the hooks once no
 * other storage is enabled either; the next run installs them again.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export class ScopedStorage<T> {
  private readonly storage = new AsyncLocalStorage<T>();
  /** Runs in progress, in every async call chain of the process. */
  private running = 0;

  /** `work` and whatever it awaits see `store` from getStore(). */
  async run<R>(store: T, work: () => Promise<R>): Promise<R> {
    this.running++;
    try {
      return await this.storage.run(store, work);
    } finally {
      if (--this.running === 0) this.storage.disable();
    }
  }

  /** The store of the run this call chain is inside, if any. */
  getStore(): T | undefined {
    return this.running > 0 ? this.storage.getStore() : undefined;
  }
}
