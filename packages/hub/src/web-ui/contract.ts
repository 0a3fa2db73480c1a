/**
 * What the hub expects of a web UI it mounts (the `@spout/ui` package, or any
 * module with the same `startUi`). The hub owns this contract so that it never
 * imports the UI: the UI depends on the hub, not the other way round.
 */

import type { HubMetrics } from '../core/metrics.ts';
import type { ExtraHandler } from '../http/context.ts';
import type { UpdateStore } from '../store/types.ts';

/** What a web UI may read from the listening hub. */
export interface WebUiHost {
  /** `${url}/.well-known/mercure` of the running hub: where the demos publish. */
  hubUrl: string;
  /** The hub's own counters: the status panel reads them, nothing is counted twice. */
  metrics: Pick<HubMetrics, 'subscribers' | 'publishes' | 'deliveries'>;
  /** The status panel shows what the store keeps (`size()`) and its latest position. */
  store: Pick<UpdateStore, 'latestPosition' | 'size'>;
}

/** What the home page shows about the hub, besides what the UI knows itself. */
export interface WebUiInfo {
  /** e.g. `sqlite (.spout-data/hub.db)`, `memory`, `redis`. */
  store?: string;
  anonymous?: boolean;
  /** A development token (publish and subscribe `*`): pass it only for a development hub on loopback. */
  devToken?: string;
  /** Anything else to show, label to value. */
  details?: Record<string, string>;
}

/** How the hub starts a web UI. */
export interface WebUiOptions {
  /**
   * The HMAC secret that signs the demos' publish token and the notifications
   * demo's cookie. [security] Give it only to a development hub: without it
   * nothing under /ui signs a token.
   */
  secret?: string | undefined;
  /** Run the demo publishers (they publish made-up data: development only). */
  demos?: boolean | undefined;
  /** The hub's PEM certificate when it serves TLS: the demos trust it to publish to a self-signed hub. */
  hubCertificate?: string | undefined;
  /** Marks cookies `Secure`; set it when the hub serves TLS. */
  secureCookies?: boolean | undefined;
  info?: (() => WebUiInfo) | undefined;
  /** Errors the UI could not answer cleanly. */
  onError?: ((error: unknown) => void) | undefined;
}

/** A started web UI: the hub routes the paths it does not serve to `handle`, and calls `close` at shutdown. */
export interface MountedWebUi {
  /** Serves `/` and `/ui/...` and returns true; returns false for any other path. */
  handle(...request: Parameters<ExtraHandler>): boolean;
  close(): Promise<void>;
}

/** The module the hub imports when the UI is enabled. */
export interface WebUiModule {
  startUi(host: WebUiHost, options: WebUiOptions): Promise<MountedWebUi>;
}
