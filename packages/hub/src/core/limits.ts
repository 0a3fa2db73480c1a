/**
 * The limits that protect the hub, and the defaults of the core's options. The settings table
 * (config/settings/) reads its defaults for these from here: each value is written once.
 */

/** Limits that protect the hub; each refusal names its setting. */
export interface HubLimits {
  /** Largest publish body in bytes (413 above). Default 1 MiB. */
  maxBodyBytes: number;
  /** Most updates in one JSON batch (413 above). Default 1,000. */
  maxBatchSize: number;
  /** Most topics of one update (400 above). Default 32. */
  maxTopicsPerUpdate: number;
  /** Most `topic` selectors of one subscription request (400 above). Default 32. */
  maxSelectors: number;
  /** Longest selector, in characters (400 above). Default 1,024. */
  maxSelectorLength: number;
  /** Most subscribers connected at once (429 above). Default 10,000. */
  maxSubscribers: number;
  /** Most subscribers from one client address (429 above). Default 1,000. */
  maxSubscribersPerAddress: number;
  /**
   * Most bytes waiting for one slow subscriber; past it the subscriber is disconnected
   * and catches up by Last-Event-ID. Default 1 MiB.
   */
  subscriberQueueBytes: number;
  /**
   * Longest update id a publisher may set, in characters (400 above). Default 1,024: the id comes
   * back in the Last-Event-ID request header, which servers and proxies cap at a few KiB.
   */
  maxIdLength: number;
  /**
   * Milliseconds a replay waits for a subscriber to read what it was sent; past it the subscriber
   * is disconnected as too slow (it resumes by Last-Event-ID). Default 30,000.
   */
  replayStallTimeout: number;
  /**
   * Milliseconds a subscriber may stay connected whatever its token says; past it the connection is
   * closed and the client reconnects (re-authenticating, resuming by Last-Event-ID). Default one day.
   */
  maxConnectionLifetime: number;
}

/** Default limits. */
export const DEFAULT_LIMITS: HubLimits = {
  maxBodyBytes: 1024 * 1024,
  maxBatchSize: 1000,
  maxTopicsPerUpdate: 32,
  maxSelectors: 32,
  maxSelectorLength: 1024,
  maxSubscribers: 10_000,
  maxSubscribersPerAddress: 1000,
  subscriberQueueBytes: 1024 * 1024,
  maxIdLength: 1024,
  replayStallTimeout: 30_000,
  maxConnectionLifetime: 86_400_000,
};

/** Defaults of the core's other options (HubCoreOptions). */
export const CORE_DEFAULTS = {
  /** What an unknown Last-Event-ID replays: everything kept. */
  unknownLastEventId: 'replay',
  /** Subscription events are off. */
  subscriptions: false,
  /** Reconnection delay suggested at shutdown, in milliseconds. */
  shutdownRetryMs: 1000,
} as const;

/** Checks limits, naming the bad one. */
export function resolveLimits(limits: Partial<HubLimits> = {}): HubLimits {
  const resolved = { ...DEFAULT_LIMITS };
  for (const [name, value] of Object.entries(limits)) {
    if (value === undefined) continue;
    if (!(name in DEFAULT_LIMITS)) throw new RangeError(`unknown limit "${name}"`);
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new RangeError(`limit ${name} must be an integer >= 1, got ${String(value)}`);
    }
    resolved[name as keyof HubLimits] = value;
  }
  return resolved;
}
