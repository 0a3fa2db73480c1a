import { callEach } from './call-each.ts';
import type { CloseReason } from './session-types.ts';

/**
 * Who hears that a session ended: its `closed` promise, then its `onClose` listeners. A session makes
 * one only when someone listens, so sessions nobody watches carry none.
 */
export class CloseListeners {
  #listeners: ((reason: CloseReason) => void)[] = [];
  #promise: Promise<CloseReason> | null = null;
  #settle: ((reason: CloseReason) => void) | null = null;

  add(listener: (reason: CloseReason) => void): void {
    this.#listeners.push(listener);
  }

  /** One promise for every caller: settled with `reason` when the session has already ended. */
  promise(reason: CloseReason | undefined): Promise<CloseReason> {
    this.#promise ??=
      reason !== undefined
        ? Promise.resolve(reason)
        : new Promise((resolve) => {
            this.#settle = resolve;
          });
    return this.#promise;
  }

  /**
   * Settles the promise, then calls every listener once; one that throws does not stop the others
   * (callEach). The promise first: what awaits it runs before what a listener schedules.
   */
  notify(reason: CloseReason): void {
    this.#settle?.(reason);
    this.#settle = null;
    const listeners = this.#listeners;
    this.#listeners = [];
    callEach(listeners, reason);
  }
}
