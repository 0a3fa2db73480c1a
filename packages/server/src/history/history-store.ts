import type { EventFields } from '@spout/protocol';

/** A value, or a promise of it: stores may be synchronous (memory, SQLite) or not (Redis). */
export type MaybePromise<T> = T | Promise<T>;

/** One event as kept in history: encoded once, replayed as the same bytes. */
export interface StoredEvent {
  /** The event's id, unique in the store; what clients send back as `Last-Event-ID`. */
  readonly id: string;
  /**
   * The event's place in the history: a number > 0, greater than that of every event appended
   * before it, never reused. Replays read by it, and a channel orders live events by it.
   */
  readonly position: number;
  /** The encoded event (`id:` line included), ready to write. */
  readonly bytes: Uint8Array;
  /** When it was appended, in milliseconds since the epoch. */
  readonly time: number;
  /** Application data kept with the event (e.g. its topics), for replay filters. */
  readonly meta?: unknown;
}

/** What `MemoryHistory.readAfter` found after an id. */
export type HistoryRead =
  /** The id is known: every event after it, oldest first (possibly none). */
  | { readonly found: true; readonly events: readonly StoredEvent[] }
  /** The id is unknown or has been trimmed away: the store cannot tell what the client missed. */
  | { readonly found: false };

/** Limits that bound a history; an event past any of them is dropped, oldest first. */
export interface HistoryLimits {
  /** Most events kept. */
  maxEvents?: number;
  /** Oldest event kept, in milliseconds of age. */
  maxAge?: number;
  /** Most encoded bytes kept in total (the newest event is kept, alone, even when it is larger). */
  maxBytes?: number;
}

/**
 * Where a channel keeps past events so that a reconnecting client can catch
 * up from its `Last-Event-ID`. Methods may return promises; a channel appends
 * strictly one after another, in broadcast order.
 *
 * A custom store implements the four methods below. Every event gets a
 * {@link StoredEvent.position} that grows with each append; a channel finds
 * where a client resumes with `positionOf` and reads what it missed with
 * `readPage`, page by page at the pace the client reads, so a store never has
 * to hand over its whole content at once. Trimming must drop the oldest events
 * first: a channel that finds the last event it sent trimmed away during a
 * replay knows that the client would miss events, and closes it instead.
 */
export interface HistoryStore {
  /**
   * Stores an event and returns it with its id and position: `fields.id` when
   * given (it must be unique), else one the store assigns, in increasing order.
   */
  append(fields: EventFields, meta?: unknown): MaybePromise<StoredEvent>;
  /** The position of the event whose id is `id`; `undefined` when `id` is unknown or trimmed away. */
  positionOf(id: string): MaybePromise<number | undefined>;
  /**
   * Up to `limit` stored events whose position is greater than `after`, oldest first; fewer only
   * when no more are stored. `after` 0 reads from the oldest event kept.
   */
  readPage(after: number, limit: number): MaybePromise<readonly StoredEvent[]>;
  /** Drops events past the limits now (age limits otherwise apply on the next append). */
  trim(now?: number): MaybePromise<void>;
}
