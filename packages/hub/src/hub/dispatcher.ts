/**
 * Fan-out: hears every stored update from the store, finds the subscribers whose
 * selectors match and whose claims allow it, and writes the same bytes to each.
 */
import { mayReceive } from '../auth/index.ts';
import type { StoredUpdate, UpdateStore } from '../store/types.ts';
import { TopicIndex } from '../topics/index.ts';
import { encodeUpdate } from './encode.ts';
import type { HubMetrics } from './metrics.ts';
import type { DisconnectCause, Subscriber } from './subscriber.ts';

/** The newest update this process has seen: what `lastEventID` reports. */
export interface LastEvent {
  position: number;
  id: string;
}

/** Connected subscribers and the live fan-out to them. */
export class Dispatcher {
  readonly #index = new TopicIndex<Subscriber>();
  readonly #subscribers = new Set<Subscriber>();
  readonly #perAddress = new Map<string, number>();
  readonly #metrics: HubMetrics;
  readonly #unwatch: () => void;
  readonly #closeSubscriber: (subscriber: Subscriber, cause: DisconnectCause) => void;
  #last: LastEvent | undefined;

  constructor(
    store: UpdateStore,
    metrics: HubMetrics,
    closeSubscriber: (subscriber: Subscriber, cause: DisconnectCause) => void,
    onError: (error: Error) => void,
  ) {
    this.#metrics = metrics;
    this.#closeSubscriber = closeSubscriber;
    this.#unwatch = store.watch((update) => this.dispatch(update), {
      onError: (error) => {
        onError(error);
        // Updates were lost for this process: every subscriber must resume from the store.
        if (error.name === 'WatchGapError') this.closeAll('gap');
      },
    });
  }

  /** Subscribers connected now. */
  get size(): number {
    return this.#subscribers.size;
  }

  /** Subscribers connected now from this client address. */
  countFrom(address: string): number {
    return this.#perAddress.get(address) ?? 0;
  }

  /** True while the subscriber is registered. */
  has(subscriber: Subscriber): boolean {
    return this.#subscribers.has(subscriber);
  }

  /** Every subscriber connected now. */
  all(): IterableIterator<Subscriber> {
    return this.#subscribers.values();
  }

  /** The newest update seen (after `rememberLast` at start, then every dispatch). */
  get last(): LastEvent | undefined {
    return this.#last;
  }

  rememberLast(last: LastEvent): void {
    if (this.#last === undefined || last.position > this.#last.position) this.#last = last;
  }

  /** Registers a subscriber for live updates (held until it goes live). */
  add(subscriber: Subscriber): void {
    this.#subscribers.add(subscriber);
    this.#index.add(subscriber);
    this.#perAddress.set(subscriber.address, this.countFrom(subscriber.address) + 1);
    this.#metrics.subscribers.set(this.#subscribers.size);
  }

  /** Forgets a subscriber; safe to call twice. */
  remove(subscriber: Subscriber): void {
    if (!this.#subscribers.delete(subscriber)) return;
    this.#index.remove(subscriber);
    const count = this.countFrom(subscriber.address) - 1;
    if (count > 0) this.#perAddress.set(subscriber.address, count);
    else this.#perAddress.delete(subscriber.address);
    this.#metrics.subscribers.set(this.#subscribers.size);
  }

  /** Delivers one stored update to every matching, authorized subscriber. */
  dispatch(update: StoredUpdate): void {
    // Engines fed by other processes may repeat an update: positions only grow.
    if (this.#last !== undefined && update.position <= this.#last.position) return;
    this.#last = { position: update.position, id: update.id };
    const matched = this.#index.match(update.topics);
    if (matched.size === 0) return;
    let bytes: Uint8Array | undefined;
    let delivered = 0;
    for (const subscriber of matched) {
      // [spec] a private update MUST NOT be dispatched to subscribers not authorized to receive it
      if (!mayReceive(subscriber.claims, update)) continue;
      bytes ??= encodeUpdate(update);
      if (subscriber.deliver(update, bytes)) delivered++;
      else if (subscriber.overflowed) this.#closeSubscriber(subscriber, 'overflow');
    }
    if (delivered > 0) {
      this.#metrics.deliveries.inc(delivered);
      this.#metrics.publishToWrite.observe(Math.max(0, Date.now() - update.publishedAt) / 1000);
    }
  }

  /** Closes every subscriber, for one cause. */
  closeAll(cause: DisconnectCause): void {
    for (const subscriber of [...this.#subscribers]) this.#closeSubscriber(subscriber, cause);
  }

  /** Stops hearing the store. */
  stop(): void {
    this.#unwatch();
  }
}
