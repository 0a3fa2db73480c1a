/**
 * The UI's request handler: pages, their hashed assets, the live status feed
 * and the demos' endpoints, all under /ui (`/` redirects there). Works over
 * HTTP/1.1 and HTTP/2 (compatibility API).
 */

import { HttpError } from '@spout/hub';
import type { HubInfo } from '../api.ts';
import type { UiBundle } from '../bundle/file.ts';
import { uiBundle } from '../bundle/load.ts';
import type { Demos } from '../demos/index.ts';
import { type DemoApiOptions, type MintSubscriberToken, routeDemoApi } from './demo-api.ts';
import { sendJson, sendText, type UiRequest, type UiResponse } from './http-types.ts';
import { serveStatic } from './static.ts';
import { StatsFeed, type StatsFeedOptions, type StatsSource } from './stats.ts';

export type { HubInfo } from '../api.ts';
export type { MintSubscriberToken } from './demo-api.ts';
export type { UiRequest, UiResponse } from './http-types.ts';
export { type HubCounters, type StatsSource, statsFromMetrics } from './stats.ts';

export interface UiOptions {
  /** Counters for the live status panel; without it the panel says the hub reports none. */
  stats?: StatsSource | undefined;
  statsFeed?: StatsFeedOptions | undefined;
  /** What the home page shows about the hub. */
  info?: (() => Partial<Omit<HubInfo, 'demos' | 'stats'>>) | undefined;
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
    if (error instanceof HttpError) {
      sendText(res, error.status, error.message, error.headers);
      return;
    }
    onError(error);
    if (!res.writableEnded) sendText(res, 500, 'the UI failed to answer; see the hub log');
  };

  const api = (path: string, req: UiRequest, res: UiResponse): void => {
    if ((path === '/ui/api/info' || path === '/ui/api/stats') && req.method !== 'GET') {
      throw new HttpError(405, `use GET for ${path}`, { allow: 'GET' });
    }
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
      if (!feed.attach(req, res)) sendText(res, 503, 'too many status viewers', { 'retry-after': '10' });
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
      const path = pathOf(req.url ?? '/');
      if (path === undefined) {
        sendText(res, 400, `the request target ${JSON.stringify(req.url)} is not a valid path`);
        return true;
      }
      if (path === '/') {
        res.writeHead(302, { location: '/ui/', 'cache-control': 'no-cache' });
        res.end();
        return true;
      }
      if (path !== '/ui' && !path.startsWith('/ui/')) return false;
      try {
        if (path.startsWith('/ui/api/')) {
          if (req.method !== 'POST' && req.method !== 'GET')
            throw new HttpError(405, 'use GET or POST', { allow: 'GET, POST' });
          api(path, req, res);
          return true;
        }
        if (req.method !== 'GET' && req.method !== 'HEAD')
          throw new HttpError(405, 'UI pages are read with GET', { allow: 'GET, HEAD' });
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

/** The path of a request target, or undefined when it cannot be parsed (`//[`, `http://[/`). */
function pathOf(target: string): string | undefined {
  try {
    return new URL(target, 'http://ui.invalid').pathname;
  } catch {
    return undefined;
  }
}
