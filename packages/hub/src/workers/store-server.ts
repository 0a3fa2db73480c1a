/**
 * The primary's side of a store shared by worker processes (memory and sqlite: one process writes).
 * Workers call it for appends and reads; it sends every stored update to every worker, in position
 * order, one batch at a time and in step: the next batch goes out once every worker has written the
 * one before to its subscribers, and holds whatever was stored meanwhile.
 */
import { WatchGapError } from '../store/errors.ts';
import type { StoredUpdate, UpdateStore } from '../store/types.ts';
import type { RpcHandlers, RpcPeer } from './rpc.ts';
import { toWire } from './wire-errors.ts';

/**
 * Updates sent to one worker and not yet acknowledged. Past it the worker is sent nothing more until
 * it catches up, then told of the gap: its subscribers resume from the store by Last-Event-ID, as
 * with any gap. The primary's memory stays bounded whatever one stuck worker does.
 */
export const MAX_UNACKNOWLEDGED_UPDATES = 50_000;

/**
 * How long workers wait for one still writing the batch before theirs goes out. Past it, a worker that is
 * stuck (or much slower) no longer holds the others back; it gets what it missed once it acknowledges.
 */
export const STEP_WAIT_MS = 100;

export interface StoreServerOptions {
  /** {@link MAX_UNACKNOWLEDGED_UPDATES} by default. */
  maxUnacknowledged?: number;
  /** {@link STEP_WAIT_MS} by default. */
  stepWaitMs?: number;
}

interface Feed {
  peer: RpcPeer;
  /** Updates of the batch sent and not yet acknowledged (0: none in flight). */
  inFlight: number;
  /** When that batch was sent (performance.now()). */
  sentAt: number;
  /** Batches waiting for the one in flight, oldest first. */
  queued: StoredUpdate[][];
  queuedCount: number;
  /** Position of the first update the worker missed, while it is cut off. */
  missedFrom: number | undefined;
}

/** Serves one store to every worker. */
export class StoreServer {
  readonly #store: UpdateStore;
  readonly #feeds = new Map<number, Feed>();
  readonly #unwatch: () => void;
  readonly #maxUnacknowledged: number;
  readonly #stepWaitMs: number;
  #batch: StoredUpdate[] = [];
  #lastPosition = 0;
  #flushScheduled = false;
  #stopped = false;
  /** Sends again once the workers still writing have had their STEP_WAIT_MS. */
  #stepTimer: NodeJS.Timeout | undefined;

  constructor(store: UpdateStore, options: StoreServerOptions = {}) {
    this.#store = store;
    this.#maxUnacknowledged = options.maxUnacknowledged ?? MAX_UNACKNOWLEDGED_UPDATES;
    this.#stepWaitMs = options.stepWaitMs ?? STEP_WAIT_MS;
    this.#unwatch = store.watch((update) => this.#take(update), {
      onError: (error) => {
        for (const feed of this.#feeds.values()) feed.peer.note('watchError', toWire(error));
      },
    });
  }

  /** The calls a worker may make on the store. */
  handlersFor(workerId: number): RpcHandlers {
    const store = this.#store;
    return {
      append: (updates: never) => store.append(updates),
      positionOf: (id: never) => store.positionOf(id),
      readAfter: (after: never, limit: never) => store.readAfter(after, limit),
      latestPosition: () => store.latestPosition(),
      earliestPosition: () => store.earliestPosition(),
      size: () => store.size(),
      acknowledge: (count: never) => this.#acknowledged(workerId, count),
    };
  }

  /** Starts sending stored updates to a worker. */
  attach(workerId: number, peer: RpcPeer): void {
    this.#feeds.set(workerId, {
      peer,
      inFlight: 0,
      sentAt: 0,
      queued: [],
      queuedCount: 0,
      missedFrom: undefined,
    });
  }

  /** Stops sending to a worker (it exited); the others no longer wait for it. */
  detach(workerId: number): void {
    this.#feeds.delete(workerId);
    this.#scheduleFlush();
  }

  /** Stops watching the store (the store itself is closed by its owner). */
  stop(): void {
    this.#stopped = true;
    this.#unwatch();
    clearTimeout(this.#stepTimer);
  }

  #take(update: StoredUpdate): void {
    this.#scheduleFlush();
    this.#batch.push(update);
    this.#lastPosition = update.position;
  }

  /**
   * Sends at the end of this turn. [why] An acknowledgement often arrives in the same read as appends
   * of the workers' publishers: sent at the end of the turn, the next batch takes their updates too.
   */
  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    setImmediate(() => {
      this.#flushScheduled = false;
      this.#flush();
    });
  }

  #flush(): void {
    if (this.#stopped) return;
    const batch = this.#batch;
    this.#batch = [];
    // Measured before any is sent: the workers sent to now do not hold back the others of this step.
    const wait = this.#stepWait();
    for (const feed of this.#feeds.values()) {
      if (batch.length > 0 && feed.missedFrom === undefined) this.#enqueue(feed, batch);
      this.#send(feed, wait);
    }
  }

  /** Queues a batch for a worker, or cuts the worker off past its cap of unacknowledged updates. */
  #enqueue(feed: Feed, batch: StoredUpdate[]): void {
    if (feed.inFlight + feed.queuedCount + batch.length > this.#maxUnacknowledged) {
      feed.missedFrom = batch[0]!.position;
      return;
    }
    feed.queued.push(batch);
    feed.queuedCount += batch.length;
  }

  /**
   * Sends a worker what waits for it, once every worker has acknowledged the batch before. [why] A
   * worker acknowledges a batch after writing it to its subscribers, so the updates stored meanwhile
   * go out together and each subscriber gets them in one write. In step, the hub moves as one process
   * does, batch after batch (a single process writes to every subscriber before it reads the next
   * publishes), each batch shared out among the workers. A worker done early meanwhile answers its
   * publishers, whose updates join the next batch. With nothing in flight an update goes out at once.
   */
  #send(feed: Feed, wait: number): void {
    if (feed.inFlight > 0) return;
    if (feed.queuedCount > 0) {
      if (wait > 0) {
        this.#sendAfter(wait);
        return;
      }
      const batch = feed.queued.length === 1 ? feed.queued[0]! : feed.queued.flat();
      feed.queued = [];
      feed.queuedCount = 0;
      feed.inFlight = batch.length;
      feed.sentAt = performance.now();
      feed.peer.note('updates', batch);
    } else if (feed.missedFrom !== undefined) {
      // Caught up with all it was sent: it resumes its subscribers from the store.
      const gap = new WatchGapError(feed.missedFrom, this.#lastPosition);
      feed.missedFrom = undefined;
      feed.peer.note('watchError', toWire(gap));
    }
  }

  /** How much longer to wait for the workers still writing a batch: 0 when none is, or all have had their time. */
  #stepWait(): number {
    const now = performance.now();
    let wait = 0;
    for (const feed of this.#feeds.values()) {
      if (feed.inFlight > 0) wait = Math.max(wait, feed.sentAt + this.#stepWaitMs - now);
    }
    return wait;
  }

  #sendAfter(wait: number): void {
    if (this.#stepTimer !== undefined) return;
    this.#stepTimer = setTimeout(() => {
      this.#stepTimer = undefined;
      this.#flush();
    }, wait);
    this.#stepTimer.unref();
  }

  #acknowledged(workerId: number, count: number): void {
    const feed = this.#feeds.get(workerId);
    if (feed === undefined) return;
    feed.inFlight -= count;
    if (feed.inFlight === 0) this.#scheduleFlush();
  }
}
