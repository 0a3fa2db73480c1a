/**
 * CORS: an explicit allow-list of origins, with credentials (cookies); `*` only
 * for fully anonymous hubs, and then without credentials.
 */
import type { AnyRequest } from './body.ts';

/** Response headers that let the request's origin read the answer; empty when it may not. */
export function corsHeaders(req: AnyRequest, allowedOrigins: readonly string[]): Record<string, string> {
  const origin = req.headers.origin;
  if (typeof origin !== 'string') return {};
  if (allowedOrigins.includes(origin)) {
    return {
      'access-control-allow-origin': origin,
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': 'Last-Event-ID, Retry-After, WWW-Authenticate',
      vary: 'Origin',
    };
  }
  if (allowedOrigins.includes('*')) {
    return {
      'access-control-allow-origin': '*',
      'access-control-expose-headers': 'Last-Event-ID, Retry-After, WWW-Authenticate',
    };
  }
  return {};
}

/** Headers answering a preflight (OPTIONS) request from an allowed origin. */
export function preflightHeaders(req: AnyRequest, allowedOrigins: readonly string[]): Record<string, string> {
  const headers = corsHeaders(req, allowedOrigins);
  if (headers['access-control-allow-origin'] === undefined) return headers;
  return {
    ...headers,
    'access-control-allow-methods': 'GET, POST, OPTIONS',
    'access-control-allow-headers': 'Authorization, Content-Type, Last-Event-ID, Cache-Control',
    'access-control-max-age': '600',
  };
}
