/**
 * The contract between the hub's HTTP layer and its storage engines
 * (embedded node:sqlite by default, memory, Redis). One engine is both the
 * history (replay by Last-Event-ID) and the bus (every process and node sees
 * every update, in one total order).
 *
 * Changes since the first draft (all backward compatible for callers):
 * - `earliestPosition()` added, so a resume can tell "nothing missed" from "history trimmed".
 * - `watch()` takes an optional second argument, {@link WatchOptions}, to hear of delivery errors.
 * - Error classes live in `errors.ts`: {@link DuplicateIdError}, `StoreClosedError`,
 *   `StoreOverloadedError`, `StoreUnavailableError`, `WatchGapError`, `StoreError` (their common base).
 * - {@link RetentionOptions} and {@link StoreOptions}: what every engine accepts.
 * - `size()` added: how many updates are kept and their payload bytes ({@link StoreSize}).
 */

/** An update as a publisher sent it, after validation. */
export interface Update {
  /** The Mercure id: the publisher's, or a generated time-ordered one. Unique in the store. */
  id: string;
  /** One or more topics; the first is the canonical one. */
  topics: string[];
  data: string;
  /** Private updates go only to subscribers whose claims match one of `topics`. */
  private: boolean;
  /** SSE `event:` field. */
  type?: string | undefined;
  /** SSE `retry:` field, in milliseconds. */
  retry?: number | undefined;
}

/** An update as the store keeps it: with its place in the total order. */
export interface StoredUpdate extends Update {
  /** Strictly increasing across the whole store (all processes and nodes); never reused. */
  position: number;
  /** Milliseconds since the epoch when the store accepted it. */
  publishedAt: number;
}

/** Options of one {@link UpdateStore.watch} registration. */
export interface WatchOptions {
  /**
   * Hears of what went wrong for this watcher: an exception thrown by its `listener`
   * (the update is not retried; other watchers still get it), or a `WatchGapError` when
   * updates were trimmed before this process could deliver them (the caller should make
   * its subscribers resume by Last-Event-ID). Without it, such errors go to the store's
   * `onError` ({@link StoreOptions}).
   */
  onError?: ((error: Error) => void) | undefined;
}

/** What a store keeps now, as {@link UpdateStore.size} reports it. */
export interface StoreSize {
  /** Updates kept: those `readAfter(0, …)` would return, so retention's drops are not counted. */
  updates: number;
  /**
   * Payload bytes of the kept updates: the UTF-8 length of each one's `data`, summed.
   * Not the file or memory footprint (ids, topics and the engine's own overhead are left out),
   * but it grows and shrinks with it, and it is the same figure on every engine.
   */
  bytes: number;
}

/** Where updates are kept and how every subscriber of every process hears of them. */
export interface UpdateStore {
  /**
   * Appends updates, all or nothing, in the given order. Resolves once they are
   * durable (for durable engines) and returns them with their positions.
   * Rejects with a DuplicateIdError when an id is already kept (or repeated within
   * `updates`), with a StoreOverloadedError when more than `maxPendingUpdates` wait
   * to be written, with a StoreUnavailableError when the storage failed or cannot be reached
   * (HTTP 503), with a StoreClosedError after `close()`. An empty array resolves to [].
   */
  append(updates: readonly Update[]): Promise<StoredUpdate[]>;
  /**
   * Position of the kept update with this id; undefined when unknown or no longer kept. (Redis: for
   * an update a failover took back after it was delivered, the position delivery went back to.)
   */
  positionOf(id: string): Promise<number | undefined>;
  /**
   * Kept updates with position greater than `after`, oldest first, at most `limit`.
   * Position 0 means from the start. `after` must be an integer >= 0 and `limit` an
   * integer >= 1 (else a RangeError).
   */
  readAfter(after: number, limit: number): Promise<StoredUpdate[]>;
  /** Position of the newest update, 0 when empty. */
  latestPosition(): Promise<number>;
  /**
   * Position of the oldest kept update; `latestPosition() + 1` when nothing is kept.
   * A reader that has seen everything up to position `p` missed nothing iff `p + 1 >= earliestPosition()`.
   */
  earliestPosition(): Promise<number>;
  /**
   * How many updates are kept now and their payload bytes, after retention (an update that
   * retention no longer keeps is not counted, even while trimming catches up). Cheap enough to
   * call every second: engines keep running totals instead of scanning what they keep.
   */
  size(): Promise<StoreSize>;
  /**
   * Calls `listener` for every update appended from now on, by this process or any
   * other sharing the store, in position order. Returns a function that stops it.
   * Listeners are called synchronously, one update at a time: a slow listener slows
   * delivery (it must queue, with its own cap, whatever it cannot handle at once).
   * Engines that learn of updates asynchronously (Redis, sqlite shared by several
   * processes) may deliver an update shortly after `append` resolved; deduplicate by position.
   */
  watch(listener: (update: StoredUpdate) => void, options?: WatchOptions): () => void;
  /** Flushes (pending appends are written and resolved) and releases everything; later calls reject with StoreClosedError. */
  close(): Promise<void>;
}

/**
 * How much history an engine keeps. Both limits apply together; omitted means unlimited.
 * Trimming runs as updates are appended and on a timer (`trimIntervalMs`), in bounded
 * chunks, so it never blocks the event loop for long.
 */
export interface RetentionOptions {
  /** Keep at most this many updates (the newest). Integer >= 1. */
  maxCount?: number | undefined;
  /** Drop updates published more than this many milliseconds ago. Integer >= 1. */
  maxAgeMs?: number | undefined;
}

/** Options every engine accepts. */
export interface StoreOptions extends RetentionOptions {
  /**
   * Updates accepted by `append` but not yet written; beyond it `append` rejects with
   * StoreOverloadedError at once (the hub answers 503) instead of queueing without bound.
   * Default 10,000.
   */
  maxPendingUpdates?: number | undefined;
  /** How often age retention runs when nothing is appended. Default: maxAgeMs / 10, within 100 ms to 60 s. */
  trimIntervalMs?: number | undefined;
  /**
   * Background failures nobody awaits: a trim, a poll of other processes' updates, a lost
   * Redis connection, a listener exception or gap for a watcher without its own `onError`.
   * Default: `process.emitWarning(error)`.
   */
  onError?: ((error: Error) => void) | undefined;
}
