/** Builds the request of each attempt from connect()'s options, and rejects options that cannot work. */
import type { ConnectOptions, RequestContext } from './types.ts';

/** A function building the RequestInit of one attempt. */
export type RequestFactory = (context: RequestContext) => Promise<RequestInit>;

/** Checks the request options once, up front; throws a TypeError for a combination fetch would refuse on every attempt. */
export function requestFactory(options: ConnectOptions): RequestFactory {
  const { headers, body, credentials = 'same-origin' } = options;
  const method = (options.method ?? (body === undefined ? 'GET' : 'POST')).toUpperCase();
  if (body !== undefined && (method === 'GET' || method === 'HEAD')) {
    throw new TypeError(
      `A ${method} request cannot have a body; use method: 'POST' (the default when a body is given).`,
    );
  }
  if (body instanceof ReadableStream) {
    throw new TypeError(
      'A ReadableStream body cannot be sent again on reconnect; pass a function that returns a fresh body instead.',
    );
  }
  return async (context) => {
    const init: RequestInit & { duplex?: 'half' } = { method, credentials, redirect: 'follow' };
    if (headers !== undefined)
      init.headers = typeof headers === 'function' ? await headers(context) : headers;
    if (body !== undefined) init.body = typeof body === 'function' ? await body(context) : body;
    // fetch requires half-duplex for a streamed request body.
    if (init.body instanceof ReadableStream) init.duplex = 'half';
    return init;
  };
}
