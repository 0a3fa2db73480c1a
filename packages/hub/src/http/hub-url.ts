/**
 * The hub's own URL as a request reaches it: the base for relative URL patterns and topics, and
 * the default resource identifier of access tokens ([spec] current protocol).
 */
import type { AnyRequest } from './body.ts';
import { isSecure } from './client-address.ts';
import { HUB_PATH } from './reserved-topic.ts';

/** A request header's (first) value. */
export function header(req: AnyRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The scheme a trusted proxy says the client used: the first `X-Forwarded-Proto` value, http or https only. */
function forwardedScheme(req: AnyRequest): 'http' | 'https' | undefined {
  const first = header(req, 'x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  return first === 'http' || first === 'https' ? first : undefined;
}

/**
 * The origin the request was sent to, for same-origin cookie use.
 * With `trustProxy`, `X-Forwarded-Proto` gives the scheme: behind a TLS-terminating proxy the browser's
 * Origin is `https://<host>` although the hub itself is reached over http.
 */
export function requestOrigin(req: AnyRequest, secure: boolean, trustProxy = false): string | undefined {
  const host = header(req, 'host') ?? header(req, ':authority');
  if (host === undefined) return undefined;
  const scheme = (trustProxy ? forwardedScheme(req) : undefined) ?? (secure ? 'https' : 'http');
  return `${scheme}://${host}`;
}

/**
 * The URL of the hub as this request names it (`<scheme>://<host>/.well-known/mercure`); with
 * `trustProxy`, `X-Forwarded-Proto` gives the scheme. Undefined without a Host.
 */
export function requestHubUrl(req: AnyRequest, trustProxy: boolean): string | undefined {
  const origin = requestOrigin(req, isSecure(req), trustProxy);
  return origin === undefined ? undefined : origin + HUB_PATH;
}
