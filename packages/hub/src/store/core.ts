import { StoreClosedError } from './errors.ts';
import { type ResolvedStoreOptions, resolveStoreOptions } from './options.ts';
import { PendingBudget } from './pending.ts';
import { checkUniqueIds } from './stored.ts';
import type { StoredUpdate, StoreOptions, Update, WatchOptions } from './types.ts';
import { toError, Watchers } from './watchers.ts';

/** Hooks an engine gives the core. */
export interface CoreHooks {
  /** Called when the first watcher registers (start reading other processes' updates). */
  onFirstWatcher?: () => void;
  /** Called when the last watcher leaves. */
  onNoWatcher?: () => void;
}

/**
 * What every engine shares: resolved options, watchers, the pending budget, the
 * open/closed state and retention's timer. Engines own one and keep their storage logic.
 */
export class StoreCore {
  readonly options: ResolvedStoreOptions;
  readonly watchers: Watchers;
  readonly budget: PendingBudget;
  #closed = false;
  #trimTimer: NodeJS.Timeout | undefined;
  #trimScheduled = false;

  constructor(options: StoreOptions, hooks: CoreHooks = {}) {
    this.options = resolveStoreOptions(options);
    this.watchers = new Watchers(this.options.onError, hooks.onFirstWatcher, hooks.onNoWatcher);
    this.budget = new PendingBudget(this.options.maxPendingUpdates);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Throws StoreClosedError after close. */
  checkOpen(): void {
    if (this.#closed) throw new StoreClosedError();
  }

  /** The checks every append starts with (open, ids unique within the batch); false for an empty batch. */
  admit(updates: readonly Update[]): boolean {
    this.checkOpen();
    checkUniqueIds(updates);
    return updates.length > 0;
  }

  watch(listener: (update: StoredUpdate) => void, options?: WatchOptions): () => void {
    this.checkOpen();
    return this.watchers.add(listener, options);
  }

  /** Runs `trim` every `trimIntervalMs` when there is an age limit; the timer does not keep the process alive. */
  startTrimTimer(trim: () => void): void {
    if (!Number.isFinite(this.options.trimIntervalMs)) return;
    this.#trimTimer = setInterval(trim, this.options.trimIntervalMs);
    this.#trimTimer.unref();
  }

  /**
   * Runs one bounded retention `step` on a later turn (once, however often asked), and
   * again while a step trims a full `chunk`. Failures go to `onError`.
   */
  scheduleTrim(step: () => number | Promise<number>, chunk: number): void {
    if (this.#trimScheduled || this.#closed) return;
    this.#trimScheduled = true;
    setImmediate(async () => {
      this.#trimScheduled = false;
      if (this.#closed) return;
      try {
        if ((await step()) === chunk) this.scheduleTrim(step, chunk);
      } catch (error) {
        this.options.onError(toError(error));
      }
    });
  }

  /** Marks the store closed and stops the timer; false when it already was closed. */
  beginClose(): boolean {
    if (this.#closed) return false;
    this.#closed = true;
    clearInterval(this.#trimTimer);
    return true;
  }
}
