/**
 * Fan-out: hears every stored update from the store, finds the subscriber groups whose
 * selectors match and whose claims allow it, and writes the same bytes to each member.
 */
import { scheduleChannelFlush } from '@spout/server';
import { mayReceive } from '../auth/index.ts';
import { HistoryRewoundError } from '../store/errors.ts';
import type { StoredUpdate, UpdateStore } from '../store/types.ts';
import { TopicIndex } from '../topics/index.ts';
import { encodeUpdate } from './encode.ts';
import type { HubMetrics } from './metrics.ts';
import type { DisconnectCause, Subscriber } from './subscriber.ts';
import { groupKey, SubscriberGroup } from './subscriber-group.ts';

/** What one group receives from one flush. */
interface Delivery {
  updates: StoredUpdate[];
  parts: Uint8Array[];
}

/** The newest update this process has seen: what `lastEventID` reports. */
export interface LastEvent {
  position: number;
  id: string;
}

/** Connected subscribers and the live fan-out to them. */
export class Dispatcher {
  readonly #index = new TopicIndex<SubscriberGroup>();
  readonly #groups = new Map<string, SubscriberGroup>();
  /** Every registered subscriber, with its group. */
  readonly #groupOf = new Map<Subscriber, SubscriberGroup>();
  readonly #metrics: HubMetrics;
  readonly #unwatch: () => void;
  readonly #closeSubscriber: (subscriber: Subscriber, cause: DisconnectCause) => void;
  #last: LastEvent | undefined;
  #batch: StoredUpdate[] = [];
  /** What one flush is building: per group, the updates it gets (see #take). */
  #deliveries = new Map<SubscriberGroup, Delivery>();
  #update: StoredUpdate | undefined;
  #bytes: Uint8Array | undefined;
  #reached = 0;

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
        // The store will deliver positions again: take them (a subscriber's own position check
        // still refuses them, hence the resume below).
        if (error instanceof HistoryRewoundError) this.#rewind(error);
        // Updates were lost for this process, or replaced: every subscriber must resume from the store.
        if (error.name === 'WatchGapError' || error instanceof HistoryRewoundError) this.closeAll('gap');
      },
    });
  }

  /** Subscribers connected now. */
  get size(): number {
    return this.#groupOf.size;
  }

  /** True while the subscriber is registered. */
  has(subscriber: Subscriber): boolean {
    return this.#groupOf.has(subscriber);
  }

  /** Every subscriber connected now. */
  all(): IterableIterator<Subscriber> {
    return this.#groupOf.keys();
  }

  /** The newest update seen (after `rememberLast` at start, then every dispatch). */
  get last(): LastEvent | undefined {
    return this.#last;
  }

  rememberLast(last: LastEvent): void {
    if (this.#last === undefined || last.position > this.#last.position) this.#last = last;
  }

  #rewind({ after, afterId }: HistoryRewoundError): void {
    if (this.#last === undefined || this.#last.position <= after) return;
    this.#last = afterId === undefined ? undefined : { position: after, id: afterId };
  }

  /** Registers a subscriber for live updates (held until it goes live). */
  add(subscriber: Subscriber): void {
    const key = groupKey(subscriber);
    let group = this.#groups.get(key);
    if (group === undefined) {
      group = new SubscriberGroup(key, subscriber);
      this.#groups.set(key, group);
      this.#index.add(group);
    }
    group.members.add(subscriber);
    this.#groupOf.set(subscriber, group);
    this.#metrics.subscribers.set(this.#groupOf.size);
  }

  /** Forgets a subscriber; safe to call twice. */
  remove(subscriber: Subscriber): void {
    const group = this.#groupOf.get(subscriber);
    if (group === undefined) return;
    this.#groupOf.delete(subscriber);
    group.members.delete(subscriber);
    if (group.members.size === 0) {
      this.#groups.delete(group.key);
      this.#index.remove(group);
    }
    this.#metrics.subscribers.set(this.#groupOf.size);
  }

  /**
   * Takes one stored update for delivery. Updates of one event-loop turn are delivered
   * together at its end: each subscriber gets one write, and the members of a group share
   * one concatenated buffer (as a @spout/server Channel batch does).
   */
  dispatch(update: StoredUpdate): void {
    // Engines fed by other processes may repeat an update: positions only grow.
    if (this.#last !== undefined && update.position <= this.#last.position) return;
    this.#last = update;
    this.#batch.push(update);
    // The end-of-tick batching of @spout/server, the one its Channels use.
    if (this.#batch.length === 1) scheduleChannelFlush(this);
  }

  /** Delivers the updates taken since the last flush now (normally at the end of the turn). */
  flush(): void {
    const updates = this.#batch;
    if (updates.length === 0) return;
    this.#batch = [];
    const deliveries = this.#deliveries;
    const now = Date.now();
    for (const update of updates) {
      this.#reached = 0;
      this.#bytes = undefined;
      this.#update = update;
      this.#index.forEachMatch(update.topics, this.#take);
      if (this.#reached > 0) this.#count(update, this.#reached, now);
    }
    this.#update = undefined;
    this.#bytes = undefined;
    this.#deliveries = new Map();
    for (const [group, delivery] of deliveries) this.#deliver(group, delivery);
  }

  /** Adds the update being flushed to a matching group's delivery (once, however many selectors match). */
  readonly #take = (group: SubscriberGroup): void => {
    const update = this.#update!;
    // [spec] a private update MUST NOT be dispatched to subscribers not authorized to receive it
    if (!mayReceive(group.claims, update)) return;
    let delivery = this.#deliveries.get(group);
    if (delivery === undefined) {
      delivery = { updates: [], parts: [] };
      this.#deliveries.set(group, delivery);
    } else if (delivery.updates[delivery.updates.length - 1] === update) return;
    this.#bytes ??= encodeUpdate(update);
    delivery.updates.push(update);
    delivery.parts.push(this.#bytes);
    this.#reached += group.members.size;
  };

  #deliver(group: SubscriberGroup, delivery: Delivery): void {
    const { updates, parts } = delivery;
    const bytes = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    for (const subscriber of group.members) {
      if (updates.length === 1) subscriber.deliver(updates[0]!, bytes);
      else subscriber.deliverBatch(updates, parts, bytes);
      if (subscriber.overflowed) this.#closeSubscriber(subscriber, 'overflow');
    }
  }

  #count(update: StoredUpdate, delivered: number, now: number): void {
    this.#metrics.deliveries.inc(delivered);
    this.#metrics.publishToWrite.observe(Math.max(0, now - update.publishedAt) / 1000);
  }

  /** Closes every subscriber, for one cause. */
  closeAll(cause: DisconnectCause): void {
    for (const subscriber of [...this.#groupOf.keys()]) this.#closeSubscriber(subscriber, cause);
  }

  /** Stops hearing the store (updates taken already are delivered first). */
  stop(): void {
    this.flush();
    this.#unwatch();
  }
}
