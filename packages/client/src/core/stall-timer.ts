/**
 * The stall timer of one stream: fires when no byte has arrived for `timeout` milliseconds, so a
 * connection that a proxy or NAT dropped silently (the socket never errors) is noticed.
 */
export class StallTimer {
  readonly #timeout: number;
  readonly #onStall: () => void;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** `timeout` 0 disables the timer. */
  constructor(timeout: number, onStall: () => void) {
    this.#timeout = timeout;
    this.#onStall = onStall;
  }

  /** (Re)starts the wait: called when an attempt starts and whenever bytes arrive. */
  arm(): void {
    if (this.#timeout <= 0) return;
    const timer = this.#timer;
    // Node's refresh() re-arms without allocating; browsers return a number and need a new timer.
    if (timer !== undefined && typeof timer === 'object' && 'refresh' in timer) {
      timer.refresh();
      return;
    }
    clearTimeout(timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#onStall();
    }, this.#timeout);
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
