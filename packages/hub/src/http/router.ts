/**
 * Which handler serves a request.
 */
import type { ServerResponse } from 'node:http';
import type { HubCore } from '../core/core.ts';
import { SUBSCRIPTIONS_PATH } from '../core/subscription-events.ts';
import type { AnyRequest } from './body.ts';
import type { ExtraHandler, HubContext } from './context.ts';
import { type AnyResponse, HttpError, sendError, sendJson, sendText } from './errors.ts';
import { handlePublish } from './publish.ts';
import { HUB_PATH } from './reserved-topic.ts';
import { RESOURCE_METADATA_PATH, resourceMetadata, withResourceMetadata } from './resource-metadata.ts';
import { handleSubscribe, handleSubscribeHead } from './subscribe.ts';
import { handleSubscriptions } from './subscriptions.ts';

/** The Prometheus text of a hub and its content type. */
export interface MetricsText {
  text: string;
  contentType: string;
}

/** Worker processes listening and expected (a hub of several processes). */
export interface WorkerHealth {
  ready: number;
  expected: number;
}

/** What the router needs beyond the handlers' context. */
export interface Routable extends HubContext {
  readonly exposeMetrics: boolean;
  /** The text `/metrics` serves: this process's registry, or every worker's aggregated. */
  readonly metricsText: () => Promise<MetricsText>;
  /** Set in a hub of several processes: `/healthz` reports its workers. */
  readonly workerHealth: (() => Promise<WorkerHealth>) | undefined;
  readonly extraHandler: ExtraHandler | undefined;
}

function methodNotAllowed(allowed: string): HttpError {
  return new HttpError(405, `method not allowed here; use ${allowed}`, { allow: allowed });
}

/** The Prometheus text of one process's registry. */
export async function registryText(core: Pick<HubCore, 'metrics'>): Promise<MetricsText> {
  const { registry } = core.metrics;
  return { text: await registry.metrics(), contentType: registry.contentType };
}

/** Answers with the hub's Prometheus text, in its own content type. */
export async function serveMetrics(hub: Pick<Routable, 'metricsText'>, res: AnyResponse): Promise<void> {
  const { text, contentType } = await hub.metricsText();
  sendText(res, 200, text, { 'content-type': contentType });
}

async function serveHealth(hub: Routable, res: AnyResponse): Promise<void> {
  if (hub.core.closing) {
    sendJson(res, 503, { status: 'shutting down' });
    return;
  }
  try {
    const latestPosition = await hub.core.store.latestPosition();
    const subscribers = await hub.core.directory.count();
    const workers = await hub.workerHealth?.();
    if (workers === undefined) return sendJson(res, 200, { status: 'ok', subscribers, latestPosition });
    // A worker being replaced leaves the hub serving, with less room: degraded, not down.
    const status = workers.ready < workers.expected ? 'degraded' : 'ok';
    sendJson(res, 200, { status, subscribers, latestPosition, workers });
  } catch (error) {
    sendJson(res, 503, { status: 'store unavailable', error: (error as Error).message });
  }
}

async function dispatch(
  hub: Routable,
  req: AnyRequest,
  res: AnyResponse,
  query: URLSearchParams,
  rawPath: string,
): Promise<void> {
  const method = req.method ?? 'GET';
  if (rawPath === HUB_PATH) {
    if (method === 'OPTIONS') {
      (res as ServerResponse).writeHead(204, hub.cors.preflightHeaders(req.headers.origin));
      res.end();
    } else if (method === 'GET') await handleSubscribe(hub, req, res, query);
    else if (method === 'HEAD') await handleSubscribeHead(hub, req, res, query);
    else if (method === 'POST') await handlePublish(hub, req, res, query);
    else throw methodNotAllowed('GET, HEAD, POST, OPTIONS');
    return;
  }
  if (rawPath === SUBSCRIPTIONS_PATH || rawPath.startsWith(`${SUBSCRIPTIONS_PATH}/`)) {
    if (!hub.core.subscriptions)
      throw new HttpError(404, 'the subscriptions API is off (setting subscriptions)');
    if (method === 'OPTIONS') {
      (res as ServerResponse).writeHead(204, hub.cors.preflightHeaders(req.headers.origin));
      res.end();
    } else if (method === 'GET') await handleSubscriptions(hub, req, res, query, rawPath);
    else throw methodNotAllowed('GET, OPTIONS');
    return;
  }
  // [spec] current: the hub SHOULD publish protected resource metadata (classic hubs do not)
  if (rawPath === RESOURCE_METADATA_PATH && hub.protocol !== 'classic' && method === 'GET') {
    return sendJson(res, 200, resourceMetadata(hub, req), hub.cors.headers(req.headers.origin));
  }
  if (rawPath === '/metrics' && hub.exposeMetrics && method === 'GET') return serveMetrics(hub, res);
  if (rawPath === '/healthz' && method === 'GET') return serveHealth(hub, res);
  if (hub.extraHandler !== undefined && (await hub.extraHandler(req, res))) return;
  throw new HttpError(404, `nothing here; the hub is at ${HUB_PATH}`);
}

/** Routes one request; errors with a status become plain-text answers. */
export async function routeRequest(hub: Routable, req: AnyRequest, res: AnyResponse): Promise<void> {
  const target = req.url ?? '/';
  const queryAt = target.indexOf('?');
  const rawPath = queryAt === -1 ? target : target.slice(0, queryAt);
  // URLSearchParams is plain JavaScript: no native URL object per request.
  const query = new URLSearchParams(queryAt === -1 ? '' : target.slice(queryAt + 1));
  try {
    await dispatch(hub, req, res, query, rawPath);
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    hub.core.metrics.rejections.inc({ reason: rejectionReason(error.status) });
    if (req.method === 'POST') hub.core.metrics.publishRequests.inc({ status: String(error.status) });
    // A client that left cannot read the answer: one line says what happened, no stack (its fault, not ours).
    if (res.destroyed) hub.core.logger.info({ status: error.status, path: rawPath }, error.message);
    const failure = hub.protocol === 'classic' ? error : withChallengeMetadata(error, req, hub.trustProxy);
    sendError(res, failure, hub.cors.headers(req.headers.origin));
  }
}

/** The error with `resource_metadata` in its Bearer challenge, if it has one. */
function withChallengeMetadata(error: HttpError, req: AnyRequest, trustProxy: boolean): HttpError {
  const headers = withResourceMetadata(error.headers, req, trustProxy);
  return headers === error.headers ? error : new HttpError(error.status, error.message, headers);
}

function rejectionReason(status: number): string {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 413 || status === 429 || status === 503) return 'limit';
  return 'bad_request';
}
