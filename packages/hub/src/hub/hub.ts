/**
 * The hub: Mercure publish and subscribe over HTTP, on an UpdateStore.
 */
import type { Cors } from '@spout/server';
import pino, { type Logger } from 'pino';
import {
  createTokenVerifier,
  type ExpectedClaims,
  type KeySource,
  type TokenVerifier,
} from '../auth/index.ts';
import type { AnyRequest } from '../http/body.ts';
import { hubCors } from '../http/cors.ts';
import { type AnyResponse, sendText } from '../http/errors.ts';
import { originRefusal } from '../http/origins.ts';
import type { ProtocolSetting } from '../http/protocol.ts';
import { routeRequest } from '../http/router.ts';
import { sessionOpener } from '../http/stream.ts';
import type { StoredUpdate, Update, UpdateStore } from '../store/types.ts';
import type { HubContext, OpenStream } from './context.ts';
import { Dispatcher } from './dispatcher.ts';
import { HubMetrics } from './metrics.ts';
import { type ExtraHandler, type HubLimits, type HubOptions, resolveLimits } from './options.ts';
import type { UnknownIdPolicy } from './replay.ts';
import type { DisconnectCause, Subscriber } from './subscriber.ts';
import { subscriptionInfo, subscriptionUpdate } from './subscription-events.ts';

/** Longest delay setTimeout accepts; later expiries are re-armed. */
const MAX_TIMER_MS = 2 ** 31 - 1;

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

/** A running hub: mount `handle` on any node:http or node:http2 server. */
export class Hub implements HubContext {
  readonly store: UpdateStore;
  readonly dispatcher: Dispatcher;
  readonly metrics: HubMetrics;
  readonly logger: Logger;
  readonly limits: HubLimits;
  readonly publisherAuth: HubContext['publisherAuth'];
  readonly subscriberAuth: HubContext['subscriberAuth'];
  readonly corsOrigins: readonly string[];
  readonly cors: Cors;
  readonly anonymous: boolean;
  readonly protocol: ProtocolSetting;
  readonly unknownLastEventId: UnknownIdPolicy;
  readonly subscriptions: boolean;
  readonly trustProxy: boolean;
  readonly openStream: OpenStream;
  readonly exposeMetrics: boolean;
  readonly extraHandler: ExtraHandler | undefined;
  readonly #shutdownRetryMs: number;
  readonly #inflight = new Set<Promise<unknown>>();
  readonly #causes = new WeakMap<Subscriber, DisconnectCause>();
  readonly #expiryTimers = new Map<Subscriber, NodeJS.Timeout>();
  #closing = false;
  #closed: Promise<void> | undefined;

  constructor(options: HubOptions) {
    this.store = options.store;
    this.logger = options.logger ?? pino({ level: 'silent' });
    this.limits = resolveLimits(options.limits);
    this.anonymous = options.anonymous ?? false;
    this.protocol = options.protocol ?? 'both';
    this.unknownLastEventId = options.unknownLastEventId ?? 'replay';
    this.corsOrigins = options.corsOrigins ?? [];
    checkCors(this.corsOrigins, this.anonymous);
    this.cors = hubCors(this.corsOrigins);
    const cookieName = options.cookieName ?? 'mercureAuthorization';
    const expected = { audience: options.jwtAudience, issuer: options.jwtIssuer, protocol: this.protocol };
    const publisherVerifier = verifierFor(options.publisherKeys, expected);
    const subscriberVerifier = verifierFor(options.subscriberKeys, expected) ?? publisherVerifier;
    const shared = { cookieName, allowedOrigins: this.corsOrigins, protocol: this.protocol };
    this.publisherAuth = { verifier: publisherVerifier, ...shared };
    this.subscriberAuth = { verifier: subscriberVerifier, ...shared };
    this.subscriptions = options.subscriptions ?? false;
    this.trustProxy = options.trustProxy ?? false;
    this.exposeMetrics = options.metrics ?? true;
    this.extraHandler = options.extraHandler;
    this.#shutdownRetryMs = options.shutdownRetryMs ?? 1000;
    this.metrics = new HubMetrics();
    this.openStream = sessionOpener(options.heartbeatMs ?? 15_000, this.limits.subscriberQueueBytes);
    this.dispatcher = new Dispatcher(
      this.store,
      this.metrics,
      (subscriber, cause) => this.closeSubscriber(subscriber, cause),
      (error) => this.logger.error({ err: error }, 'the store reported an error to the hub'),
    );
  }

  /** True once `close()` was called. */
  get closing(): boolean {
    return this.#closing;
  }

  /** Handles one request: hub, subscriptions API, metrics, health, then `extraHandler`, else 404. */
  readonly handle = (req: AnyRequest, res: AnyResponse): void => {
    routeRequest(this, req, res).catch((error: unknown) => {
      this.logger.error({ err: error }, 'request handler failed');
      sendText(res, 500, 'the hub failed to answer this request; the error is in its log\n');
    });
  };

  /** Reads the newest stored update so that `lastEventID` is right from the start. */
  async start(): Promise<this> {
    const latest = await this.store.latestPosition();
    if (latest > 0) {
      const [last] = await this.store.readAfter(latest - 1, 1);
      if (last !== undefined) this.dispatcher.rememberLast({ position: last.position, id: last.id });
    }
    return this;
  }

  append(updates: readonly Update[]): Promise<StoredUpdate[]> {
    const appended = this.store.append(updates);
    this.#inflight.add(appended);
    const forget = (): void => {
      this.#inflight.delete(appended);
    };
    appended.then(forget, forget);
    return appended;
  }

  closeSubscriber(subscriber: Subscriber, cause: DisconnectCause): void {
    if (!this.#causes.has(subscriber)) this.#causes.set(subscriber, cause);
    const stream = subscriber.stream;
    if (stream === undefined) {
      this.dispatcher.remove(subscriber);
      return;
    }
    if (cause === 'shutdown' || cause === 'error') {
      // A retry hint spread over [1, 2) times the base, so that clients do not all come back at once
      // (after a shutdown, or a store failure that closed every replay at the same moment).
      const retry = Math.round(this.#shutdownRetryMs * (1 + Math.random()));
      stream.close({ retry });
    } else stream.close();
  }

  watchSubscriber(subscriber: Subscriber, expiresAt: number | undefined): void {
    // [spec] current: closed no later than the token's exp; and SHOULD be after a maximum lifetime anyway
    const lifetimeEnd = Date.now() + this.limits.maxConnectionLifetime;
    this.#armExpiry(subscriber, expiresAt === undefined ? lifetimeEnd : Math.min(expiresAt, lifetimeEnd));
    this.#announce(subscriber, true);
    this.logger.debug({ subscriber: subscriber.id, address: subscriber.address }, 'subscriber connected');
    subscriber.stream?.onClose((reason) => {
      const cause = this.#causes.get(subscriber) ?? (reason as DisconnectCause);
      this.metrics.disconnected(cause);
      this.logger.debug({ subscriber: subscriber.id, cause }, 'subscriber disconnected');
      const timer = this.#expiryTimers.get(subscriber);
      if (timer !== undefined) clearTimeout(timer);
      this.#expiryTimers.delete(subscriber);
      this.dispatcher.remove(subscriber);
      this.#announce(subscriber, false);
    });
  }

  #armExpiry(subscriber: Subscriber, expiresAt: number): void {
    const delay = expiresAt - Date.now();
    const timer = setTimeout(
      () => {
        // [issue] a token's exp closes the connection at that time
        if (Date.now() >= expiresAt) this.closeSubscriber(subscriber, 'expired');
        else this.#armExpiry(subscriber, expiresAt);
      },
      Math.max(0, Math.min(delay, MAX_TIMER_MS)),
    );
    timer.unref();
    this.#expiryTimers.set(subscriber, timer);
  }

  /** [spec] with active subscriptions on, an update MUST be published when a subscription starts or ends. */
  #announce(subscriber: Subscriber, active: boolean): void {
    if (!this.subscriptions) return;
    const updates = subscriber.selectors.map((selector) =>
      subscriptionUpdate(subscriptionInfo(subscriber, selector, active)),
    );
    this.append(updates).catch((error: unknown) => {
      this.logger.warn({ err: error, subscriber: subscriber.id }, 'subscription event not stored');
    });
  }

  /**
   * Graceful shutdown: refuses new work, sends every subscriber a jittered retry hint
   * and closes it, waits for accepted publishes to be stored, then closes the store.
   */
  close(): Promise<void> {
    this.#closed ??= this.#close();
    return this.#closed;
  }

  async #close(): Promise<void> {
    this.#closing = true;
    this.dispatcher.closeAll('shutdown');
    for (const timer of this.#expiryTimers.values()) clearTimeout(timer);
    this.#expiryTimers.clear();
    while (this.#inflight.size > 0) await Promise.allSettled([...this.#inflight]);
    this.dispatcher.stop();
    await this.store.close();
  }
}

/** Creates a hub on a store and reads where the store's history ends. */
export async function createHub(options: HubOptions): Promise<Hub> {
  return new Hub(options).start();
}
