/**
 * Calls every listener with `value`. Like an EventEmitter, a listener that
 * throws does not stop the others; its error is rethrown on its own, outside
 * the caller, so that it is reported rather than swallowed.
 */
export function callEach<T>(listeners: readonly ((value: T) => void)[], value: T): void {
  for (const listener of listeners) {
    try {
      listener(value);
    } catch (error) {
      queueMicrotask(() => {
        throw error;
      });
    }
  }
}
