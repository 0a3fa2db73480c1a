/**
 * Programmatic options of a hub, and their defaults.
 */
import type { Logger } from 'pino';
import type { KeySource } from '../auth/index.ts';
import type { AnyRequest } from '../http/body.ts';
import type { AnyResponse } from '../http/errors.ts';
import type { ProtocolSetting } from '../http/protocol.ts';
import type { UpdateStore } from '../store/types.ts';
import type { UnknownIdPolicy } from './replay.ts';

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

/** A request handler the hub mounts for paths it does not serve itself (the web UI). */
export type ExtraHandler = (req: AnyRequest, res: AnyResponse) => boolean | Promise<boolean>;

/** Everything `createHub` needs. Only `store` is required. */
export interface HubOptions {
  /** History and bus. */
  store: UpdateStore;
  /** Keys that sign publishers' tokens. Without any, nobody can publish. */
  publisherKeys?: readonly KeySource[] | undefined;
  /** Keys that sign subscribers' tokens. Default: `publisherKeys`. */
  subscriberKeys?: readonly KeySource[] | undefined;
  /** When set, every token's `aud` must name one of these (e.g. the hub's URL). */
  jwtAudience?: readonly string[] | undefined;
  /** When set, every token's `iss` must be one of these. */
  jwtIssuer?: readonly string[] | undefined;
  /**
   * Which Mercure protocols the hub speaks: `classic` (`topic` selectors, the `mercure` claim),
   * `current` (`match*` matchers, `at+jwt` access tokens) or `both`, each request served by the one
   * it announces. Default `both`.
   */
  protocol?: ProtocolSetting | undefined;
  /**
   * What a Last-Event-ID the hub does not know (never seen, or trimmed from history) replays: everything
   * kept (`replay`, the default) or nothing (`none`, as the Go hub does).
   */
  unknownLastEventId?: UnknownIdPolicy | undefined;
  /** Allow subscribers without a token (they receive public updates only). Default false. */
  anonymous?: boolean | undefined;
  /** Publish subscription events and serve the subscriptions API. Default false. */
  subscriptions?: boolean | undefined;
  /** Origins allowed by CORS and for cookie authorization; `*` only with `anonymous`. Default none. */
  corsOrigins?: readonly string[] | undefined;
  /** Name of the authorization cookie. Default `mercureAuthorization`. */
  cookieName?: string | undefined;
  /** Milliseconds between keep-alive comments; 0 turns them off. Default 15,000. */
  heartbeatMs?: number | undefined;
  /** Reconnection delay (ms) suggested to subscribers when the hub shuts down; jittered up to twice. Default 1,000. */
  shutdownRetryMs?: number | undefined;
  /** Take the client address from `X-Forwarded-For` (only behind a trusted proxy). Default false. */
  trustProxy?: boolean | undefined;
  /** Serve `/metrics`. Default true. */
  metrics?: boolean | undefined;
  /** Limits; each has a default. */
  limits?: Partial<HubLimits> | undefined;
  /** Where logs go. Default: a silent logger. */
  logger?: Logger | undefined;
  /** Handler for other paths (the web UI); returns false when it does not serve the path. */
  extraHandler?: ExtraHandler | undefined;
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
