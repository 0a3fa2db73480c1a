/**
 * What the HTTP handlers share: the store, the subscribers, the settings.
 */

import type { Cors } from '@spout/server';
import type { Logger } from 'pino';
import type { AuthSettings } from '../http/authenticate.ts';
import type { AnyRequest } from '../http/body.ts';
import type { AnyResponse } from '../http/errors.ts';
import type { ProtocolSetting } from '../http/protocol.ts';
import type { StoredUpdate, Update, UpdateStore } from '../store/types.ts';
import type { Dispatcher } from './dispatcher.ts';
import type { HubMetrics } from './metrics.ts';
import type { HubLimits } from './options.ts';
import type { UnknownIdPolicy } from './replay.ts';
import type { DisconnectCause, EventStream, Subscriber } from './subscriber.ts';

/** Starts the event stream of a subscription response (headers go out at once). */
export type OpenStream = (req: AnyRequest, res: AnyResponse, headers: Record<string, string>) => EventStream;

/** The hub's state and settings, as the request handlers see them. */
export interface HubContext {
  readonly store: UpdateStore;
  readonly dispatcher: Dispatcher;
  readonly metrics: HubMetrics;
  readonly logger: Logger;
  readonly limits: HubLimits;
  readonly publisherAuth: AuthSettings;
  readonly subscriberAuth: AuthSettings;
  readonly corsOrigins: readonly string[];
  /** CORS headers for responses and preflights, from corsOrigins. */
  readonly cors: Cors;
  readonly anonymous: boolean;
  /** Which Mercure protocols requests may use. */
  readonly protocol: ProtocolSetting;
  /** What an unknown Last-Event-ID replays. */
  readonly unknownLastEventId: UnknownIdPolicy;
  readonly subscriptions: boolean;
  readonly trustProxy: boolean;
  readonly openStream: OpenStream;
  /** True once shutdown began: new work is refused with 503. */
  readonly closing: boolean;
  /** Appends updates to the store; the returned promise is awaited by shutdown. */
  append(updates: readonly Update[]): Promise<StoredUpdate[]>;
  /** Disconnects a subscriber for a cause (counted once). */
  closeSubscriber(subscriber: Subscriber, cause: DisconnectCause): void;
  /** Wires a subscriber's end: cleanup, metrics, subscription events. */
  watchSubscriber(subscriber: Subscriber, expiresAt: number | undefined): void;
}
