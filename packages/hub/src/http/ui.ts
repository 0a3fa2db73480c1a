/**
 * The web UI, mounted by the hub: pages, their hashed assets, the live
 * status feed and the demos' endpoints. Everything lives under /ui; `/`
 * redirects there. Works over HTTP/1.1 and HTTP/2 (compatibility API).
 *
 * ```ts
 * const ui = await createUiHandler({ stats: statsFromMetrics(metrics), demos, mintSubscriberToken });
 * server.on('request', (req, res) => { if (!ui.handle(req, res)) hubHandler(req, res); });
 * ```
 */
import { type UiBundle, uiBundle } from '../../ui/build.ts';
import { type DemoApiOptions, type MintSubscriberToken, routeDemoApi } from '../../ui/server/demo-api.ts';
import {
  sendJson,
  sendText,
  UiHttpError,
  type UiRequest,
  type UiResponse,
} from '../../ui/server/http-types.ts';
import { serveStatic } from '../../ui/server/static.ts';
import {
  StatsFeed,
  type StatsFeedOptions,
  type StatsSource,
  statsFromMetrics,
} from '../../ui/server/stats.ts';
import type { HubInfo } from '../../ui/src/lib/info.ts';
import { mintToken } from '../auth/mint.ts';
import { DEMO_PUBLISH_SELECTOR, type Demos, type DemosOptions, startDemos } from '../demos/index.ts';

export type { MintSubscriberToken } from '../../ui/server/demo-api.ts';
export type { UiRequest, UiResponse } from '../../ui/server/http-types.ts';
export { type HubCounters, type StatsSource, statsFromMetrics } from '../../ui/server/stats.ts';
export type { HubInfo } from '../../ui/src/lib/info.ts';

export interface UiOptions {
  /** Counters for the live status panel; without it the panel says the hub reports none. */
  stats?: StatsSource | undefined;
  statsFeed?: StatsFeedOptions | undefined;
  /** What the home page shows about the hub. */
  info?: (() => Omit<HubInfo, 'demos' | 'stats'>) | undefined;
  /** The running demo publishers, for their endpoints. */
  demos?: Demos | undefined;
  /**
   * Signs the notifications demo's subscriber token (set as the
   * mercureAuthorization cookie). Build it from the hub's key, e.g. with
   * `mintToken({ secret, subscribe: topics, expiresInSeconds })`.
   */
  mintSubscriberToken?: MintSubscriberToken | undefined;
  /** The hub endpoint path; default `/.well-known/mercure`. */
  hubPath?: string | undefined;
  /** Marks cookies `Secure`; set it when the hub serves TLS. */
  secureCookies?: boolean | undefined;
  /** Lifetime of the notifications demo's cookie; default 12 hours. */
  sessionSeconds?: number | undefined;
  /** Called with errors the UI could not answer cleanly (a failed endpoint); defaults to stderr. */
  onError?: ((error: unknown) => void) | undefined;
  /** A prebuilt bundle (tests); by default the UI is built once per process with esbuild. */
  bundle?: UiBundle | undefined;
}

export interface UiHandler {
  /** Handles the request when it is the UI's (`/` or `/ui/...`) and returns true; returns false otherwise. */
  handle(req: UiRequest, res: UiResponse): boolean;
  /** Stops the stats sampler and ends the status streams. */
  close(): void;
}

/** Builds the UI (once per process) and returns the handler the hub mounts. */
export async function createUiHandler(options: UiOptions = {}): Promise<UiHandler> {
  const bundle = options.bundle ?? (await uiBundle());
  const onError = options.onError ?? ((error: unknown) => console.error('[ui]', error));
  const feed = options.stats ? new StatsFeed(options.stats, { onError, ...options.statsFeed }) : undefined;
  const demoOptions: DemoApiOptions = {
    demos: options.demos,
    mintSubscriberToken: options.mintSubscriberToken,
    hubPath: options.hubPath ?? '/.well-known/mercure',
    secureCookie: options.secureCookies ?? false,
    sessionSeconds: options.sessionSeconds ?? 12 * 3600,
  };
  const info = (): HubInfo => ({
    name: 'Spout hub',
    ...options.info?.(),
    demos: options.demos
      ? Object.entries(options.demos)
          .filter(([, demo]) => typeof demo === 'object' && demo.running)
          .map(([name]) => name)
      : [],
    stats: feed !== undefined,
  });

  const fail = (res: UiResponse, error: unknown): void => {
    if (error instanceof UiHttpError) {
      sendText(res, error.status, error.message, error.headers);
      return;
    }
    onError(error);
    if (!res.writableEnded) sendText(res, 500, 'the UI failed to answer; see the hub log');
  };

  const api = (path: string, req: UiRequest, res: UiResponse): void => {
    if (path === '/ui/api/info') {
      sendJson(res, 200, info());
      return;
    }
    if (path === '/ui/api/stats') {
      if (!feed) {
        // [spec] a 204 tells the EventSource to stop reconnecting: there is nothing to show.
        res.writeHead(204, { 'cache-control': 'no-store' });
        res.end();
        return;
      }
      if (!feed.attach(res)) sendText(res, 503, 'too many status viewers', { 'retry-after': '10' });
      return;
    }
    routeDemoApi(path, req, res, demoOptions).then(
      (handled) => {
        if (!handled) sendText(res, 404, `no UI endpoint at ${path}`);
      },
      (error: unknown) => fail(res, error),
    );
  };

  return {
    handle(req, res) {
      const path = new URL(req.url ?? '/', 'http://ui.invalid').pathname;
      if (path === '/') {
        res.writeHead(302, { location: '/ui/', 'cache-control': 'no-cache' });
        res.end();
        return true;
      }
      if (path !== '/ui' && !path.startsWith('/ui/')) return false;
      try {
        if (path.startsWith('/ui/api/')) {
          if (req.method !== 'POST' && req.method !== 'GET')
            throw new UiHttpError(405, 'use GET or POST', { allow: 'GET, POST' });
          api(path, req, res);
          return true;
        }
        if (req.method !== 'GET' && req.method !== 'HEAD')
          throw new UiHttpError(405, 'UI pages are read with GET', { allow: 'GET, HEAD' });
        if (path === '/ui') {
          res.writeHead(301, { location: '/ui/' });
          res.end();
          return true;
        }
        if (!serveStatic(bundle, path, req, res)) sendText(res, 404, `no UI page at ${path}; start at /ui/`);
      } catch (error) {
        fail(res, error);
      }
      return true;
    },
    close() {
      feed?.close();
    },
  };
}

/** What `startUi` needs from a listening hub. */
export interface UiHost {
  /** `${url}/.well-known/mercure` of the running hub: where the demos publish. */
  hubUrl: string;
  metrics: Parameters<typeof statsFromMetrics>[0];
  store: { latestPosition(): Promise<number> };
}

export interface StartUiOptions extends Omit<UiOptions, 'demos' | 'stats' | 'mintSubscriberToken'> {
  /**
   * The hub's HMAC secret. It signs the demos' publish token and the
   * notifications demo's subscriber cookie; without it the demos are off.
   */
  secret?: string | undefined;
  /** Run the three demo publishers (needs `secret`). Default true when a secret is given. */
  demos?: boolean | DemosOptions['intervals'] | undefined;
  /** A fetch for the demos' publishes. */
  fetch?: typeof fetch | undefined;
  /** The hub's PEM certificate when it serves TLS: the demos trust it to publish to a self-signed hub. */
  hubCertificate?: string | undefined;
}

/** The UI started by `startUi`: mount `handle`, call `close` at shutdown. */
export interface StartedUi {
  handle: UiHandler['handle'];
  demos: Demos | undefined;
  /** Stops the demos (waiting for their publishes in flight) and the status feed. */
  close(): Promise<void>;
}

/**
 * Wires the UI to a listening hub: the status panel reads the hub's metrics,
 * the demos publish to it with a token signed by `secret`. The hub must
 * already route other paths to the UI, e.g.
 * `createHub({ ..., extraHandler: (req, res) => ui?.handle(req, res) ?? false })`.
 */
export async function startUi(host: UiHost, options: StartUiOptions = {}): Promise<StartedUi> {
  const { secret, demos: demosOption, fetch: fetchFn, hubCertificate, ...uiOptions } = options;
  let demos: Demos | undefined;
  if (secret !== undefined && demosOption !== false) {
    const token = await mintToken({ secret, publish: [DEMO_PUBLISH_SELECTOR] });
    const intervals = typeof demosOption === 'object' ? demosOption : undefined;
    demos = startDemos({
      hubUrl: host.hubUrl,
      token,
      fetch: fetchFn,
      trustedCertificate: hubCertificate,
      intervals,
      onError: options.onError && ((_name, error) => options.onError!(error)),
    });
  }
  const handler = await createUiHandler({
    ...uiOptions,
    demos,
    stats: statsFromMetrics(host.metrics, async () => ({ position: await host.store.latestPosition() })),
    mintSubscriberToken:
      secret === undefined
        ? undefined
        : (topics, expiresInSeconds) => mintToken({ secret, subscribe: topics, expiresInSeconds }),
  });
  return {
    handle: handler.handle,
    demos,
    async close() {
      handler.close();
      await demos?.stop();
    },
  };
}
