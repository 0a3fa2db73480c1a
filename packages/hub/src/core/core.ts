/**
 * The hub core: publishing and the whole subscription protocol, with no HTTP in it.
 * Transports (http/) turn requests into `publish` and `subscribe` calls and map refusals to answers.
 */
import { SLOW_CONSUMER_CLOSE } from '@spout/server';
import pino, { type Logger } from 'pino';
import type { MercureClaims } from '../auth/index.ts';
import type { StoredUpdate, Update, UpdateStore } from '../store/types.ts';
import type { TopicSelector } from '../topics/index.ts';
import { Deadlines, lifetimeEnd } from './deadlines.ts';
import { LocalDirectory, type SubscriberDirectory } from './directory.ts';
import { Dispatcher } from './dispatcher.ts';
import { HubClosingError, SubscriptionClosedError } from './errors.ts';
import { CORE_DEFAULTS, type HubLimits, resolveLimits } from './limits.ts';
import { HubMetrics } from './metrics.ts';
import {
  locateReplay,
  ReplayStalledError,
  type ReplayStart,
  replayAfter,
  type UnknownIdPolicy,
} from './replay.ts';
import { type DisconnectCause, type EventStream, Subscriber } from './subscriber.ts';
import { subscriptionEvents } from './subscription-events.ts';

/** Updates read from the store at once during a replay. */
const REPLAY_PAGE = 200;
/** Longest delay setTimeout accepts; later expiries are re-armed. */

/** What the core needs. Only `store` is required. */
export interface HubCoreOptions {
  store: UpdateStore;
  /** Limits; each has a default. */
  limits?: Partial<HubLimits> | undefined;
  /** What an unknown Last-Event-ID replays. Default `replay`. */
  unknownLastEventId?: UnknownIdPolicy | undefined;
  /** Publish subscription events. Default false. */
  subscriptions?: boolean | undefined;
  /** Reconnection delay (ms) suggested when the hub shuts down; jittered up to twice. Default 1,000. */
  shutdownRetryMs?: number | undefined;
  /** Where logs go. Default: a silent logger. */
  logger?: Logger | undefined;
  /**
   * Who holds the hub's places under maxSubscribers and maxSubscribersPerAddress, and whom the
   * subscriptions API lists. Default: this process's own ({@link LocalDirectory}).
   */
  directory?: SubscriberDirectory | undefined;
}

/** One subscription, as the transport read it from its request. */
export interface SubscribeRequest {
  readonly selectors: readonly TopicSelector[];
  /** The subscriber's verified claims (`ANONYMOUS` without a token). */
  readonly claims: MercureClaims;
  /** The client address, for the per-address limit. */
  readonly address: string;
  /** The id to resume after; undefined for no replay. */
  readonly lastEventId?: string | undefined;
  /** When the subscriber's token expires (ms since the epoch); the connection is closed then. */
  readonly expiresAt?: number | undefined;
}

/**
 * Starts the event stream of a subscription, once the core accepted it. `start` is where the replay
 * begins (its `header` is the Last-Event-ID to announce), undefined when nothing is replayed.
 */
export type StreamOpener = (start: ReplayStart | undefined) => EventStream;

/** The store, the subscribers and their protocol: what every transport of the hub shares. */
export class HubCore {
  readonly store: UpdateStore;
  readonly dispatcher: Dispatcher;
  readonly metrics: HubMetrics;
  readonly logger: Logger;
  readonly limits: HubLimits;
  readonly unknownLastEventId: UnknownIdPolicy;
  readonly subscriptions: boolean;
  readonly directory: SubscriberDirectory;
  readonly #shutdownRetryMs: number;
  readonly #inflight = new Set<Promise<unknown>>();
  readonly #causes = new WeakMap<Subscriber, DisconnectCause>();
  /** [issue] a token's exp closes the connection at that time (and the lifetime's end, whichever is first). */
  readonly #deadlines = new Deadlines<Subscriber>((subscriber) =>
    this.closeSubscriber(subscriber, 'expired'),
  );
  #closing = false;
  #closed: Promise<void> | undefined;

  constructor(options: HubCoreOptions) {
    this.store = options.store;
    this.logger = options.logger ?? pino({ level: 'silent' });
    this.limits = resolveLimits(options.limits);
    this.unknownLastEventId = options.unknownLastEventId ?? CORE_DEFAULTS.unknownLastEventId;
    this.subscriptions = options.subscriptions ?? CORE_DEFAULTS.subscriptions;
    this.#shutdownRetryMs = options.shutdownRetryMs ?? CORE_DEFAULTS.shutdownRetryMs;
    this.metrics = new HubMetrics();
    this.directory = options.directory ?? new LocalDirectory(this.limits);
    this.dispatcher = new Dispatcher(
      this.store,
      this.metrics,
      (subscriber, cause) => this.closeSubscriber(subscriber, cause),
      (error) => this.logger.error({ err: error }, 'the store reported an error to the hub'),
    );
  }

  /** True once `close()` was called: new work is refused. */
  get closing(): boolean {
    return this.#closing;
  }

  /** Reads the newest stored update so that `lastEventID` is right from the start. */
  async start(): Promise<this> {
    const latest = await this.store.latestPosition();
    if (latest > 0) {
      const [last] = await this.store.readAfter(latest - 1, 1);
      if (last !== undefined) this.dispatcher.rememberLast({ position: last.position, id: last.id });
    }
    return this;
  }

  /**
   * Appends updates to the store (authorized and validated by the caller); the dispatcher delivers
   * them once stored. Shutdown waits for the returned promise.
   */
  publish(updates: readonly Update[]): Promise<StoredUpdate[]> {
    const appended = this.store.append(updates);
    this.#inflight.add(appended);
    const forget = (): void => {
      this.#inflight.delete(appended);
    };
    appended.then(forget, forget);
    return appended;
  }

  /**
   * Serves one subscription: checks capacity, registers it for live updates before history is read,
   * locates the replay start, opens its stream, replays, then goes live (or closes it as a slow
   * consumer). Resolves with the subscriber once it is live or closed.
   * @throws {HubClosingError | HubFullError | SubscriptionClosedError} before the stream is opened,
   *   and the store's errors while locating the replay start; nothing is counted then.
   */
  async subscribe(request: SubscribeRequest, open: StreamOpener): Promise<Subscriber> {
    if (this.#closing) throw new HubClosingError();
    const subscriber = new Subscriber({
      selectors: request.selectors,
      claims: request.claims,
      address: request.address,
      maxPendingBytes: this.limits.subscriberQueueBytes,
    });
    // The subscriber is its own directory entry: its id and subscriptions are made when read.
    await this.directory.admit(subscriber);
    let start: ReplayStart | undefined;
    try {
      if (this.#closing) throw new HubClosingError();
      // [invariant] registered for live updates BEFORE history is read: nothing published meanwhile is lost.
      this.dispatcher.add(subscriber);
      start =
        request.lastEventId === undefined
          ? undefined
          : await locateReplay(this.store, request.lastEventId, REPLAY_PAGE, this.unknownLastEventId);
      // Closed while history was being located (shutdown, or live updates over the cap).
      if (!this.dispatcher.has(subscriber)) throw new SubscriptionClosedError();
      if (start !== undefined) subscriber.resumeAfter(start.after);
      subscriber.attach(open(start));
    } catch (error) {
      // [invariant] a subscription that never streams is not counted: it holds no place under the limits.
      this.#forget(subscriber);
      throw error;
    }
    this.#watch(subscriber, request.expiresAt);
    if (start !== undefined && !(await this.#replay(subscriber, start))) return subscriber;
    // [policy] held updates past the cap: a slow consumer (SLOW_CONSUMER_CLOSE in @spout/server).
    if (!subscriber.goLive()) this.closeSubscriber(subscriber, 'overflow');
    return subscriber;
  }

  #forget(subscriber: Subscriber): void {
    this.dispatcher.remove(subscriber);
    this.directory.leave(subscriber.id);
  }

  /** Replays history to a streaming subscriber; false when it was closed instead (and why is handled). */
  async #replay(subscriber: Subscriber, start: ReplayStart): Promise<boolean> {
    this.metrics.replays.inc();
    try {
      const sent = await replayAfter(this.store, subscriber, start, {
        pageSize: REPLAY_PAGE,
        highWaterBytes: this.limits.subscriberQueueBytes / 2,
        stallMs: this.limits.replayStallTimeout,
      });
      this.metrics.replayedUpdates.inc(sent);
      return true;
    } catch (error) {
      if (error instanceof ReplayStalledError) {
        // [policy] a subscriber that does not read its replay is a slow consumer, as it would be live:
        // its response is aborted, as a Channel's (SLOW_CONSUMER_CLOSE.stalled in @spout/server).
        this.logger.debug({ subscriber: subscriber.id }, error.message);
        if (!this.#causes.has(subscriber)) this.#causes.set(subscriber, 'overflow');
        subscriber.stream?.abort(SLOW_CONSUMER_CLOSE.stalled);
        return false;
      }
      // The stream has started: the client reconnects with the last id it received.
      // At shutdown the store closes under a running replay: expected, not an error.
      if (!this.#closing)
        this.logger.warn(
          { err: error, subscriber: subscriber.id },
          'replay failed; closing the subscription',
        );
      this.closeSubscriber(subscriber, 'error');
      return false;
    }
  }

  /** Disconnects a subscriber for a cause (counted once). */
  closeSubscriber(subscriber: Subscriber, cause: DisconnectCause): void {
    if (!this.#causes.has(subscriber)) this.#causes.set(subscriber, cause);
    const stream = subscriber.stream;
    if (stream === undefined) {
      this.#forget(subscriber);
      return;
    }
    if (cause === 'shutdown' || cause === 'error') {
      // A retry hint spread over [1, 2) times the base, so that clients do not all come back at once
      // (after a shutdown, or a store failure that closed every replay at the same moment).
      const retry = Math.round(this.#shutdownRetryMs * (1 + Math.random()));
      stream.close({ retry });
    } else stream.close();
  }

  /** [why] a debug line names the subscriber, and its id is otherwise made only when something reads it. */
  #debugging(): boolean {
    return this.logger.isLevelEnabled('debug');
  }

  /** Wires a subscriber's end: expiry, cleanup, metrics, subscription events. */
  #watch(subscriber: Subscriber, expiresAt: number | undefined): void {
    // [spec] current: closed no later than the token's exp; and SHOULD be after a maximum lifetime anyway
    const lifetime = lifetimeEnd(Date.now(), this.limits.maxConnectionLifetime);
    const closeAt = expiresAt === undefined ? lifetime : Math.min(expiresAt, lifetime);
    this.#deadlines.add(subscriber, closeAt);
    this.#announce(subscriber, true);
    if (this.#debugging())
      this.logger.debug({ subscriber: subscriber.id, address: subscriber.address }, 'subscriber connected');
    subscriber.stream?.onClose((reason) => {
      const cause = this.#causes.get(subscriber) ?? (reason as DisconnectCause);
      this.metrics.disconnected(cause);
      if (this.#debugging())
        this.logger.debug({ subscriber: subscriber.id, cause }, 'subscriber disconnected');
      this.#deadlines.remove(subscriber, closeAt);
      this.#forget(subscriber);
      this.#announce(subscriber, false);
    });
  }

  /** [spec] with active subscriptions on, an update MUST be published when a subscription starts or ends. */
  #announce(subscriber: Subscriber, active: boolean): void {
    if (!this.subscriptions) return;
    this.publish(subscriptionEvents([subscriber], active)).catch((error: unknown) => {
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
    this.#deadlines.clear();
    while (this.#inflight.size > 0) await Promise.allSettled([...this.#inflight]);
    this.dispatcher.stop();
    await this.directory.close();
    await this.store.close();
  }
}
