import type { StoredUpdate, WatchOptions } from './types.ts';

interface Watcher {
  listener: (update: StoredUpdate) => void;
  onError: ((error: Error) => void) | undefined;
}

/**
 * The listeners registered by `watch()` in this process. Delivery is synchronous and in
 * the order the engine calls `deliver`, so there is no per-listener queue to bound: a
 * listener that cannot keep up must queue with its own cap.
 */
export class Watchers {
  readonly #watchers = new Set<Watcher>();
  readonly #reportUnhandled: (error: Error) => void;
  readonly #onFirst: () => void;
  readonly #onNone: () => void;

  /**
   * @param reportUnhandled where errors go for watchers without their own `onError`.
   * @param onFirst called when the first watcher registers (engines start reading then).
   * @param onNone called when the last watcher leaves.
   */
  constructor(reportUnhandled: (error: Error) => void, onFirst = () => {}, onNone = () => {}) {
    this.#reportUnhandled = reportUnhandled;
    this.#onFirst = onFirst;
    this.#onNone = onNone;
  }

  get size(): number {
    return this.#watchers.size;
  }

  add(listener: (update: StoredUpdate) => void, options: WatchOptions = {}): () => void {
    const watcher: Watcher = { listener, onError: options.onError };
    this.#watchers.add(watcher);
    if (this.#watchers.size === 1) this.#onFirst();
    return () => {
      if (this.#watchers.delete(watcher) && this.#watchers.size === 0) this.#onNone();
    };
  }

  /** Hands one update to every watcher registered now; a throwing listener does not stop the others. */
  deliver(update: StoredUpdate): void {
    for (const watcher of [...this.#watchers]) {
      try {
        watcher.listener(update);
      } catch (error) {
        this.#report(watcher, toError(error));
      }
    }
  }

  /** Tells every watcher of an error (each own `onError`, or the store's once for all others). */
  fail(error: Error): void {
    let unhandled = false;
    for (const watcher of [...this.#watchers]) {
      if (watcher.onError) this.#report(watcher, error);
      else unhandled = true;
    }
    if (unhandled) this.#reportUnhandled(error);
  }

  clear(): void {
    const had = this.#watchers.size > 0;
    this.#watchers.clear();
    if (had) this.#onNone();
  }

  #report(watcher: Watcher, error: Error): void {
    if (!watcher.onError) {
      this.#reportUnhandled(error);
      return;
    }
    try {
      watcher.onError(error);
    } catch (thrown) {
      this.#reportUnhandled(toError(thrown));
    }
  }
}

/** Anything thrown, as an Error (a thrown string keeps its text). */
export function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
