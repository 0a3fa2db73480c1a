/**
 * What the HTTP handlers share: the hub core, and the settings of the HTTP transport.
 */

import type { Cors } from '@spout/server';
import type { HubCore } from '../core/core.ts';
import type { EventStream } from '../core/subscriber.ts';
import type { AuthSettings } from './authenticate.ts';
import type { AnyRequest } from './body.ts';
import type { AnyResponse } from './errors.ts';
import type { ProtocolSetting } from './protocol.ts';

/** Starts the event stream of a subscription response (headers go out at once). */
export type OpenStream = (req: AnyRequest, res: AnyResponse, headers: Record<string, string>) => EventStream;

/** A request handler the hub mounts for paths it does not serve itself (the web UI). */
export type ExtraHandler = (req: AnyRequest, res: AnyResponse) => boolean | Promise<boolean>;

/** The hub as the request handlers see it: its core, and how HTTP requests reach it. */
export interface HubContext {
  /** The store, the subscribers, the limits, and the subscription protocol. */
  readonly core: HubCore;
  readonly publisherAuth: AuthSettings;
  readonly subscriberAuth: AuthSettings;
  readonly corsOrigins: readonly string[];
  /** CORS headers for responses and preflights, from corsOrigins. */
  readonly cors: Cors;
  readonly anonymous: boolean;
  /** Which Mercure protocols requests may use. */
  readonly protocol: ProtocolSetting;
  readonly trustProxy: boolean;
  readonly openStream: OpenStream;
}
