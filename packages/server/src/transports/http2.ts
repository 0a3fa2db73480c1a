import type { IncomingHttpHeaders, ServerHttp2Stream } from 'node:http2';
import { eventStreamHeaders, mergeHeaders } from '../http/headers.ts';
import { readLastEventId } from '../http/last-event-id.ts';
import { type EventMap, Session } from '../session/session.ts';
import { attachSession } from './attach.ts';
import type { HttpSessionOptions } from './node.ts';

/**
 * Starts an event stream on a native node:http2 stream (the `'stream'` event
 * of an `Http2Server`). The response headers go out at once, without any
 * connection-specific header.
 *
 * @example
 * server.on('stream', (stream, headers) => {
 *   const session = createStreamSession(stream, headers);
 *   session.send('hello');
 * });
 * @throws {Error} when the stream has already responded.
 */
export function createStreamSession<Events extends EventMap = EventMap, State = unknown>(
  stream: ServerHttp2Stream,
  requestHeaders: IncomingHttpHeaders,
  options: HttpSessionOptions = {},
  state?: State,
): Session<Events, State> {
  if (stream.headersSent) {
    throw new Error('createStreamSession: the stream has already responded; call it before respond().');
  }
  const headers = mergeHeaders(eventStreamHeaders(2), options.headers);
  stream.respond({ ':status': 200, ...headers });
  const lastEventId = readLastEventId(
    requestHeaders['last-event-id'],
    requestHeaders[':path'],
    options.lastEventIdParam,
  );
  const session = new Session<Events, State>(stream, options, { lastEventId, state });
  attachSession(stream, session as Session<EventMap, unknown>);
  return session;
}
