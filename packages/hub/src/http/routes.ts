/**
 * The hub's route table: every path it serves, with its methods and handlers, in the order the
 * router tries them. The hub path, the subscriptions API, resource metadata, /metrics (behind a
 * token when one is set), /healthz, then the mount for other paths (the web UI).
 */
import type { ServerResponse } from 'node:http';
import type { HubCore } from '../core/core.ts';
import { SUBSCRIPTIONS_PATH } from '../core/subscription-events.ts';
import type { Guard } from './bearer-guard.ts';
import type { AnyRequest } from './body.ts';
import type { ExtraHandler, HubContext } from './context.ts';
import { type AnyResponse, HttpError, sendJson, sendText } from './errors.ts';
import type { ProtocolSetting } from './protocol.ts';
import { handlePublish } from './publish.ts';
import { HUB_PATH } from './reserved-topic.ts';
import { RESOURCE_METADATA_PATH, resourceMetadata } from './resource-metadata.ts';
import { handleSubscribe, handleSubscribeHead } from './subscribe.ts';
import { handleSubscriptions } from './subscriptions.ts';

/** The Prometheus text /metrics answers, in its content type. */
export interface MetricsText {
  text: string;
  contentType: string;
}

/** Worker processes listening and expected (a hub of several processes). */
export interface WorkerHealth {
  ready: number;
  expected: number;
}

/** What the routes see: the handlers' context, and where /metrics and /healthz read their figures. */
export interface RouterContext extends HubContext {
  /** The text of /metrics: this process's registry, or every worker's aggregated. */
  readonly metricsText: () => Promise<MetricsText>;
  /** The subscriber count /healthz reports: the core's directory's (hub-wide when it spans processes). */
  readonly subscriberCount: () => Promise<number>;
  /** Set in a hub of several processes: /healthz reports its workers. */
  readonly workerHealth: (() => Promise<WorkerHealth>) | undefined;
}

/** The Prometheus text of one process's registry. */
export async function registryText(core: Pick<HubCore, 'metrics'>): Promise<MetricsText> {
  const { registry } = core.metrics;
  return { text: await registry.metrics(), contentType: registry.contentType };
}

/** One request, as a route's handler gets it. */
export interface RouteRequest {
  readonly req: AnyRequest;
  readonly res: AnyResponse;
  /** The path, without the query. */
  readonly path: string;
  readonly query: URLSearchParams;
}

/** Serves a request; `false` means it did not, and the router tries the next route. */
export type RouteHandler = (
  hub: RouterContext,
  request: RouteRequest,
) => boolean | undefined | Promise<boolean | undefined>;

/** One entry of the route table. */
export interface Route {
  /** The path served; with `prefix`, also every path below it; `*`: any request target. */
  readonly path: string;
  readonly prefix?: boolean;
  /** The handler of each method; `*` serves any method. */
  readonly methods: Readonly<Record<string, RouteHandler>>;
  /** Answer a method not listed 405 with `Allow` (else the next route gets the request). */
  readonly exclusive?: boolean;
  /** Checked before the handler; answers the request itself when it refuses it. */
  readonly guard?: Guard | undefined;
}

/** What varies between hubs' tables. */
export interface RouteOptions {
  readonly protocol: ProtocolSetting;
  readonly subscriptions: boolean;
  /** Serve /metrics. */
  readonly metrics: boolean;
  /** Guards /metrics (a bearer token), when set. */
  readonly metricsGuard?: Guard | undefined;
  /** Serves the paths no other route does (the web UI); false when it does not serve the path. */
  readonly mount?: ExtraHandler | undefined;
}

function preflight(hub: RouterContext, { req, res }: RouteRequest): undefined {
  (res as ServerResponse).writeHead(204, hub.cors.preflightHeaders(req.headers.origin));
  res.end();
  return undefined;
}

function refuse(status: number, message: string): RouteHandler {
  return () => {
    throw new HttpError(status, message);
  };
}

async function serveMetrics(hub: RouterContext, { res }: RouteRequest): Promise<undefined> {
  const { text, contentType } = await hub.metricsText();
  sendText(res, 200, text, { 'content-type': contentType });
  return undefined;
}

async function serveHealth(hub: RouterContext, { res }: RouteRequest): Promise<undefined> {
  if (hub.core.closing) {
    sendJson(res, 503, { status: 'shutting down' });
    return undefined;
  }
  try {
    const latestPosition = await hub.core.store.latestPosition();
    const subscribers = await hub.subscriberCount();
    const workers = await hub.workerHealth?.();
    if (workers === undefined) return void sendJson(res, 200, { status: 'ok', subscribers, latestPosition });
    // A worker being replaced leaves the hub serving, with less room: degraded, not down.
    const status = workers.ready < workers.expected ? 'degraded' : 'ok';
    sendJson(res, 200, { status, subscribers, latestPosition, workers });
  } catch (error) {
    sendJson(res, 503, { status: 'store unavailable', error: (error as Error).message });
  }
  return undefined;
}

const HUB: Route = {
  path: HUB_PATH,
  methods: {
    GET: async (hub, { req, res, query }) => void (await handleSubscribe(hub, req, res, query)),
    HEAD: async (hub, { req, res, query }) => void (await handleSubscribeHead(hub, req, res, query)),
    POST: async (hub, { req, res, query }) => void (await handlePublish(hub, req, res, query)),
    OPTIONS: preflight,
  },
  exclusive: true,
};

const SUBSCRIPTIONS: Route = {
  path: SUBSCRIPTIONS_PATH,
  prefix: true,
  methods: {
    GET: async (hub, { req, res, query, path }) =>
      void (await handleSubscriptions(hub, req, res, query, path)),
    OPTIONS: preflight,
  },
  exclusive: true,
};

const SUBSCRIPTIONS_OFF: Route = {
  path: SUBSCRIPTIONS_PATH,
  prefix: true,
  methods: { '*': refuse(404, 'the subscriptions API is off (setting subscriptions)') },
};

// [spec] current: the hub SHOULD publish protected resource metadata (classic hubs do not)
const RESOURCE_METADATA: Route = {
  path: RESOURCE_METADATA_PATH,
  methods: {
    GET: (hub, { req, res }) =>
      void sendJson(res, 200, resourceMetadata(hub, req), hub.cors.headers(req.headers.origin)),
  },
};

const HEALTH: Route = { path: '/healthz', methods: { GET: serveHealth } };

/** The routes of a hub, in the order they are tried. */
export function hubRoutes(options: RouteOptions): readonly Route[] {
  const routes: Route[] = [HUB, options.subscriptions ? SUBSCRIPTIONS : SUBSCRIPTIONS_OFF];
  if (options.protocol !== 'classic') routes.push(RESOURCE_METADATA);
  if (options.metrics)
    routes.push({ path: '/metrics', methods: { GET: serveMetrics }, guard: options.metricsGuard });
  routes.push(HEALTH);
  const mount = options.mount;
  if (mount !== undefined) routes.push({ path: '*', methods: { '*': (_, r) => mount(r.req, r.res) } });
  return routes;
}
