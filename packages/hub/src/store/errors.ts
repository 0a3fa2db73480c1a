/** Base class of every error a store raises on purpose; `code` is stable, the message is for humans. */
export class StoreError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** An appended id is already kept, or repeated within the batch. Nothing of the batch was stored (HTTP 409). */
export class DuplicateIdError extends StoreError {
  readonly id: string;
  constructor(id: string) {
    super('DUPLICATE_ID', `an update with id ${JSON.stringify(id)} is already stored; ids must be unique`);
    this.id = id;
  }
}

/** The store was closed; nothing more can be read or written. */
export class StoreClosedError extends StoreError {
  constructor() {
    super('STORE_CLOSED', 'the update store is closed');
  }
}

/**
 * Too many updates wait to be written (`maxPendingUpdates`). Nothing of the batch was
 * stored; retry later (HTTP 503 with Retry-After).
 */
export class StoreOverloadedError extends StoreError {
  readonly limit: number;
  constructor(limit: number) {
    super('STORE_OVERLOADED', `more than ${limit} updates are waiting to be written; retry shortly`);
    this.limit = limit;
  }
}

/**
 * A watcher missed updates: positions `from`..`to` (inclusive) were trimmed before this
 * process could deliver them. Subscribers should resume by Last-Event-ID from the store.
 */
export class WatchGapError extends StoreError {
  readonly from: number;
  readonly to: number;
  constructor(from: number, to: number) {
    super('WATCH_GAP', `updates at positions ${from}..${to} were trimmed before they could be delivered`);
    this.from = from;
    this.to = to;
  }
}

/**
 * The store's history changed under a watcher: updates it had delivered, at positions
 * `after + 1`..`through`, are gone and their positions may be given to other updates. Only a
 * Redis failover does this, when the old primary had updates no replica had yet (none of them
 * acknowledged when `replicas` is set). Delivery goes on from `after`, where `afterId` (when known)
 * is still the update delivered; subscribers should resume by Last-Event-ID from the store.
 */
export class HistoryRewoundError extends StoreError {
  readonly after: number;
  readonly afterId: string | undefined;
  readonly through: number;
  constructor(after: number, afterId: string | undefined, through: number) {
    super(
      'HISTORY_REWOUND',
      `updates delivered at positions ${after + 1}..${through} are no longer in the store (a Redis failover lost them before they were replicated); delivering again from ${after + 1}`,
    );
    this.after = after;
    this.afterId = afterId;
    this.through = through;
  }
}

/**
 * The storage could not take the append: Redis unreachable or the connection lost before
 * it answered, the sqlite file locked past `busyTimeoutMs`, a disk error (`cause` says
 * which). HTTP 503. For sqlite nothing was stored. For Redis, when `ambiguous` is true the
 * connection was lost after the request was sent: the updates may be stored; look them up
 * with `positionOf(id)` before publishing them again.
 */
export class StoreUnavailableError extends StoreError {
  readonly ambiguous: boolean;
  constructor(message: string, ambiguous: boolean, cause: unknown) {
    super('STORE_UNAVAILABLE', message, { cause });
    this.ambiguous = ambiguous;
  }
}
