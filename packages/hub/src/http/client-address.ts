/**
 * The address a request comes from, for per-client limits.
 */
import type { AnyRequest } from './body.ts';

function joinedHeader(req: AnyRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/**
 * The peer address, or with `trustProxy` the last address of `X-Forwarded-For`.
 * The last entry is the one the trusted proxy appended (nginx's `$proxy_add_x_forwarded_for`);
 * earlier entries come from the client and would let it dodge per-address limits.
 */
export function clientAddress(req: AnyRequest, trustProxy: boolean): string {
  if (trustProxy) {
    const last = joinedHeader(req, 'x-forwarded-for')?.split(',').at(-1)?.trim();
    if (last) return last;
  }
  return req.socket.remoteAddress ?? 'unknown';
}

/** True when the request arrived over TLS. */
export function isSecure(req: AnyRequest): boolean {
  return (req.socket as { encrypted?: boolean }).encrypted === true;
}
