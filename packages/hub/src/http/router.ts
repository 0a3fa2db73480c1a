/**
 * Which route serves a request: the first of the table (routes.ts) whose path and method match.
 */
import type { AnyRequest } from './body.ts';
import { type AnyResponse, HttpError, sendError } from './errors.ts';
import { HUB_PATH } from './reserved-topic.ts';
import { withResourceMetadata } from './resource-metadata.ts';
import type { Route, RouteRequest, RouterContext } from './routes.ts';

/** The router's context: the routes' context and the table. */
export interface Routable extends RouterContext {
  readonly routes: readonly Route[];
}

function matches(route: Route, path: string): boolean {
  if (path === route.path || route.path === '*') return true;
  if (route.prefix !== true) return false;
  return path.startsWith(route.path.endsWith('/') ? route.path : `${route.path}/`);
}

/** Serves the request by the first route that takes it; 404 when none does. */
async function dispatch(hub: Routable, request: RouteRequest): Promise<void> {
  const method = request.req.method ?? 'GET';
  for (const route of hub.routes) {
    if (!matches(route, request.path)) continue;
    const handler = route.methods[method] ?? route.methods['*'];
    if (handler === undefined) {
      if (!route.exclusive) continue;
      const allowed = Object.keys(route.methods).join(', ');
      throw new HttpError(405, `method not allowed here; use ${allowed}`, { allow: allowed });
    }
    if (route.guard !== undefined && !route.guard(request.req, request.res)) return;
    if ((await handler(hub, request)) !== false) return;
  }
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
    await dispatch(hub, { req, res, path: rawPath, query });
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
