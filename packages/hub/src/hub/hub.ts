/**
 * The hub: Mercure publish and subscribe over HTTP, on an UpdateStore. It composes the core
 * (core/: store, subscribers, subscription protocol) with the HTTP transport (http/).
 */
import type { Logger } from 'pino';
import {
  createTokenVerifier,
  type ExpectedClaims,
  type KeySource,
  type ProtocolSetting,
  type TokenVerifier,
} from '../auth/index.ts';
import { DEFAULTS } from '../config/settings.ts';
import { HubCore } from '../core/core.ts';
import type { HubLimits } from '../core/limits.ts';
import type { HubMetrics } from '../core/metrics.ts';
import { bearerGuard } from '../http/bearer-guard.ts';
import type { AnyRequest } from '../http/body.ts';
import { hubCors } from '../http/cors.ts';
import { type AnyResponse, sendText } from '../http/errors.ts';
import { originRefusal } from '../http/origins.ts';
import { type Routable, routeRequest } from '../http/router.ts';
import { hubRoutes, registryText } from '../http/routes.ts';
import { sessionOpener } from '../http/stream.ts';
import type { UpdateStore } from '../store/types.ts';
import type { HubOptions } from './options.ts';

function verifierFor(
  keys: readonly KeySource[] | undefined,
  claims: ExpectedClaims,
): TokenVerifier | undefined {
  return keys === undefined || keys.length === 0 ? undefined : createTokenVerifier(keys, claims);
}

function checkCors(origins: readonly string[], anonymous: boolean): void {
  for (const origin of origins) {
    const refusal = originRefusal(origin);
    if (refusal !== undefined) throw new RangeError(`corsOrigins: ${refusal}`);
  }
  if (origins.includes('*') && (!anonymous || origins.length > 1)) {
    throw new RangeError(
      'corsOrigins "*" is allowed only alone and with anonymous subscribers: list the origins that use tokens',
    );
  }
}

/** The route table, and where /metrics and /healthz read their figures. */
function routing(
  core: HubCore,
  options: HubOptions,
  protocol: ProtocolSetting,
): Pick<Routable, 'metricsText' | 'subscriberCount' | 'workerHealth' | 'routes'> {
  const guard =
    options.metricsToken === undefined
      ? undefined
      : bearerGuard(options.metricsToken, 'spout metrics', '--metrics-token');
  return {
    metricsText: options.metricsText ?? (() => registryText(core)),
    subscriberCount: () => core.directory.count(),
    workerHealth: options.workerHealth,
    routes: hubRoutes({
      protocol,
      subscriptions: core.subscriptions,
      metrics: options.metrics ?? DEFAULTS.metrics,
      metricsGuard: guard,
      mount: options.extraHandler,
    }),
  };
}

/** A running hub: mount `handle` on any node:http or node:http2 server. */
export class Hub {
  /** The store, the subscribers and the subscription protocol, with no HTTP in them. */
  readonly core: HubCore;
  readonly store: UpdateStore;
  readonly metrics: HubMetrics;
  readonly logger: Logger;
  readonly limits: HubLimits;
  /** What the HTTP handlers see: the core and the settings of the transport. */
  readonly #http: Routable;

  constructor(options: HubOptions) {
    this.core = new HubCore({
      store: options.store,
      limits: options.limits,
      unknownLastEventId: options.unknownLastEventId,
      subscriptions: options.subscriptions,
      shutdownRetryMs: options.shutdownRetryMs,
      logger: options.logger,
      directory: options.directory,
    });
    this.store = this.core.store;
    this.metrics = this.core.metrics;
    this.logger = this.core.logger;
    this.limits = this.core.limits;
    const anonymous = options.anonymous ?? DEFAULTS.anonymous;
    const protocol = options.protocol ?? DEFAULTS.protocol;
    const corsOrigins = options.corsOrigins ?? DEFAULTS.corsOrigins;
    checkCors(corsOrigins, anonymous);
    const expected = { audience: options.jwtAudience, issuer: options.jwtIssuer, protocol };
    const publisherVerifier = verifierFor(options.publisherKeys, expected);
    const subscriberVerifier = verifierFor(options.subscriberKeys, expected) ?? publisherVerifier;
    const shared = { cookieName: options.cookieName, allowedOrigins: corsOrigins, protocol };
    this.#http = {
      core: this.core,
      publisherAuth: { verifier: publisherVerifier, ...shared },
      subscriberAuth: { verifier: subscriberVerifier, ...shared },
      corsOrigins,
      cors: hubCors(corsOrigins),
      anonymous,
      protocol,
      trustProxy: options.trustProxy ?? DEFAULTS.trustProxy,
      openStream: sessionOpener(options.heartbeatMs ?? DEFAULTS.heartbeat, this.limits.subscriberQueueBytes),
      ...routing(this.core, options, protocol),
    };
  }

  /** True once `close()` was called. */
  get closing(): boolean {
    return this.core.closing;
  }

  /** Handles one request by the route table (http/routes.ts): hub, subscriptions API, metrics, health, then `extraHandler`, else 404. */
  readonly handle = (req: AnyRequest, res: AnyResponse): void => {
    routeRequest(this.#http, req, res).catch((error: unknown) => {
      this.logger.error({ err: error }, 'request handler failed');
      sendText(res, 500, 'the hub failed to answer this request; the error is in its log\n');
    });
  };

  /** Reads the newest stored update so that `lastEventID` is right from the start. */
  async start(): Promise<this> {
    await this.core.start();
    return this;
  }

  /**
   * Graceful shutdown: refuses new work, sends every subscriber a jittered retry hint
   * and closes it, waits for accepted publishes to be stored, then closes the store.
   */
  close(): Promise<void> {
    return this.core.close();
  }
}

/** Creates a hub on a store and reads where the store's history ends. */
export async function createHub(options: HubOptions): Promise<Hub> {
  return new Hub(options).start();
}
