import type { PendingBudget } from './pending.ts';
import type { StoredUpdate, Update } from './types.ts';

/** One `append` call waiting for its commit. The engine settles it exactly once. */
export interface PendingAppend {
  updates: readonly Update[];
  resolve(stored: StoredUpdate[]): void;
  reject(error: Error): void;
}

/**
 * Group commit: appends made in the same event-loop turn are handed to `commit` together,
 * on the next turn, so an engine writes them in one transaction or one round trip. The
 * queue is bounded by the budget: an append over it is refused at once (StoreOverloadedError),
 * and its updates count until the engine settles it.
 */
export class GroupCommit {
  readonly #commit: (appends: PendingAppend[]) => void;
  readonly #budget: PendingBudget;
  #queue: PendingAppend[] = [];
  #scheduled = false;

  constructor(budget: PendingBudget, commit: (appends: PendingAppend[]) => void) {
    this.#budget = budget;
    this.#commit = commit;
  }

  add(updates: readonly Update[]): Promise<StoredUpdate[]> {
    this.#budget.reserve(updates.length);
    return new Promise((resolve, reject) => {
      const release = () => this.#budget.release(updates.length);
      this.#queue.push({
        updates,
        resolve: (stored) => {
          release();
          resolve(stored);
        },
        reject: (error) => {
          release();
          reject(error);
        },
      });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Hands every queued append to `commit` now. */
  flush(): void {
    this.#scheduled = false;
    const appends = this.#queue;
    if (appends.length === 0) return;
    this.#queue = [];
    this.#commit(appends);
  }
}
