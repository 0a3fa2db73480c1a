/**
 * The buffer behind one async iterator of a connection. Bounded: when it holds `capacity` events,
 * the connection stops reading the body (TCP backpressure reaches the server) until the consumer
 * catches up, so a slow `for await` loses nothing and holds at most one chunk's events above the cap.
 */
export class EventQueue<T> implements AsyncIterableIterator<T> {
  readonly #capacity: number;
  readonly #onReturn: (queue: EventQueue<T>) => void;
  readonly #items: T[] = [];
  readonly #readers: { resolve(result: IteratorResult<T>): void; reject(error: unknown): void }[] = [];
  #roomWaiters: (() => void)[] = [];
  #ended = false;
  #error: unknown;
  #hasError = false;

  /** `onReturn` runs when the consumer stops early (`break`, `return`, or a throw in the loop). */
  constructor(capacity: number, onReturn: (queue: EventQueue<T>) => void) {
    this.#capacity = capacity;
    this.#onReturn = onReturn;
  }

  /** Whether the consumer is `capacity` events behind. */
  get full(): boolean {
    return !this.#ended && this.#items.length >= this.#capacity;
  }

  push(item: T): void {
    if (this.#ended) return;
    const reader = this.#readers.shift();
    if (reader !== undefined) reader.resolve({ value: item, done: false });
    else this.#items.push(item);
  }

  /** No more items; queued ones are still delivered, then `error` is thrown once if given. */
  end(error?: unknown): void {
    if (this.#ended) return;
    this.#ended = true;
    if (error !== undefined) {
      this.#error = error;
      this.#hasError = true;
    }
    this.#releaseRoomWaiters();
    for (const reader of this.#readers.splice(0)) this.#settleEnded(reader);
  }

  /** Resolves when the queue has room again (or has ended). */
  roomAvailable(): Promise<void> {
    if (!this.full) return Promise.resolve();
    return new Promise((resolve) => this.#roomWaiters.push(resolve));
  }

  next(): Promise<IteratorResult<T>> {
    if (this.#items.length > 0) {
      const value = this.#items.shift() as T;
      if (this.#items.length < this.#capacity) this.#releaseRoomWaiters();
      return Promise.resolve({ value, done: false });
    }
    return new Promise((resolve, reject) => {
      if (this.#ended) this.#settleEnded({ resolve, reject });
      else this.#readers.push({ resolve, reject });
    });
  }

  return(): Promise<IteratorResult<T>> {
    const wasEnded = this.#ended;
    this.#items.length = 0;
    this.#hasError = false;
    this.end();
    if (!wasEnded) this.#onReturn(this);
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  #settleEnded(reader: { resolve(result: IteratorResult<T>): void; reject(error: unknown): void }): void {
    if (this.#hasError) {
      this.#hasError = false;
      reader.reject(this.#error);
    } else {
      reader.resolve({ value: undefined, done: true });
    }
  }

  #releaseRoomWaiters(): void {
    // Runs for most events read: nothing to allocate when no producer waits.
    if (this.#roomWaiters.length === 0) return;
    const waiters = this.#roomWaiters;
    this.#roomWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
