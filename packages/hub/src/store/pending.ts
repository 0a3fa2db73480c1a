import { StoreOverloadedError } from './errors.ts';

/**
 * Counts updates accepted by `append` but not yet written. Policy when full: reject the
 * new batch at once with StoreOverloadedError (nothing queued, nothing half-written). A
 * batch arriving while nothing is pending always gets in, so one batch larger than the
 * limit is not refused forever (the hub caps batch size by its body limit).
 */
export class PendingBudget {
  readonly #limit: number;
  #pending = 0;

  constructor(limit: number) {
    this.#limit = limit;
  }

  get pending(): number {
    return this.#pending;
  }

  reserve(count: number): void {
    if (this.#pending > 0 && this.#pending + count > this.#limit) throw new StoreOverloadedError(this.#limit);
    this.#pending += count;
  }

  release(count: number): void {
    this.#pending -= count;
  }
}
