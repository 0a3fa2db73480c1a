/**
 * Programmatic options of a hub (the limits and their defaults are in core/limits.ts).
 */
import type { Logger } from 'pino';
import type { KeySource, ProtocolSetting } from '../auth/index.ts';
import type { SubscriberDirectory } from '../core/directory.ts';
import type { HubLimits } from '../core/limits.ts';
import type { UnknownIdPolicy } from '../core/replay.ts';
import type { ExtraHandler } from '../http/context.ts';
import type { MetricsText, WorkerHealth } from '../http/routes.ts';
import type { UpdateStore } from '../store/types.ts';

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
  /**
   * Name of the authorization cookie, for both protocols. Default: both names the texts recommend,
   * `mercureAuthorization` (classic) and `__Secure-mercure_access_token` (current), the one of the
   * request's protocol first.
   */
  cookieName?: string | undefined;
  /** Milliseconds between keep-alive comments; 0 turns them off. Default 15,000. */
  heartbeatMs?: number | undefined;
  /** Reconnection delay (ms) suggested to subscribers when the hub shuts down; jittered up to twice. Default 1,000. */
  shutdownRetryMs?: number | undefined;
  /** Take the client address from `X-Forwarded-For` (only behind a trusted proxy). Default false. */
  trustProxy?: boolean | undefined;
  /** Serve `/metrics`. Default true. */
  metrics?: boolean | undefined;
  /** When set, `/metrics` answers only requests bearing this token (RFC 6750); others get 401. */
  metricsToken?: string | undefined;
  /** Limits; each has a default. */
  limits?: Partial<HubLimits> | undefined;
  /** Where logs go. Default: a silent logger. */
  logger?: Logger | undefined;
  /**
   * Who holds the places under the subscriber limits and whom the subscriptions API lists, when the hub
   * spans several processes or nodes (`createRedisDirectory`: every node sharing a Redis key prefix).
   * Default: this process's own.
   */
  directory?: SubscriberDirectory | undefined;
  /** Where `/metrics` text comes from. Default: this hub's registry (a hub of workers aggregates them all). */
  metricsText?: (() => Promise<MetricsText>) | undefined;
  /** Set by a hub of several processes: `/healthz` reports its workers listening and expected. */
  workerHealth?: (() => Promise<WorkerHealth>) | undefined;
  /** Handler for other paths (the web UI); returns false when it does not serve the path. */
  extraHandler?: ExtraHandler | undefined;
}
