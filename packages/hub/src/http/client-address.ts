/**
 * The address a request comes from, for per-client limits.
 */
import type { AnyRequest } from './body.ts';

/** The peer address, or with `trustProxy` the first address of `X-Forwarded-For`. */
export function clientAddress(req: AnyRequest, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = req.headers['x-forwarded-for'];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
    if (first) return first;
  }
  return req.socket.remoteAddress ?? 'unknown';
}

/** True when the request arrived over TLS. */
export function isSecure(req: AnyRequest): boolean {
  return (req.socket as { encrypted?: boolean }).encrypted === true;
}
