import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import { eventStreamHeaders, mergeHeaders } from '../http/headers.ts';
import { type LastEventIdSource, readLastEventId } from '../http/last-event-id.ts';
import type { SessionOptions } from '../session/config.ts';
import { type EventMap, Session } from '../session/session.ts';
import { attachSession } from './attach.ts';
import { Http1SocketSink } from './http1-sink.ts';
import { releaseParserLater } from './release-parser.ts';

/** Options of the HTTP transports: session behaviour plus response details. */
export interface HttpSessionOptions extends SessionOptions, LastEventIdSource {
  /** Extra response headers (CORS, cookies, ...). Content-Type and framing headers are reserved. */
  headers?: Record<string, string>;
  /**
   * node:http over HTTP/1.x: the session owns the connection once the stream
   * starts. It writes straight to the socket (one write per flush, chunk
   * framing shared across sessions) and frees Node's request parser (about
   * 6 KiB less per idle subscriber). The connection then closes when the
   * stream ends, ignores anything the client sends after its request, and
   * bypasses `res.write` wrappers (compression, loggers). Default true;
   * `false` writes through the response.
   */
  ownConnection?: boolean;
}

type NodeResponse = ServerResponse | Http2ServerResponse;

/**
 * Starts an event stream on a node:http response, or on a node:http2
 * compatibility-API response. Headers are sent at once, before any event.
 *
 * Reuse one options object for all sessions: its validated form is shared.
 *
 * @example
 * http.createServer((req, res) => {
 *   const session = createSession(req, res);
 *   session.send({ hello: 'world' });
 * });
 * @throws {Error} when the response has already sent its headers.
 */
export function createSession<Events extends EventMap = EventMap, State = unknown>(
  req: IncomingMessage | Http2ServerRequest,
  res: NodeResponse,
  options: HttpSessionOptions = {},
  state?: State,
): Session<Events, State> {
  if (res.headersSent) {
    throw new Error('createSession: the response has already sent its headers; call it before any write.');
  }
  const headers = mergeHeaders(eventStreamHeaders(req.httpVersionMajor), options.headers);
  // [issue] headers go out at once, so the client's `open` fires before the first event.
  (res as ServerResponse).writeHead(200, headers);
  (res as ServerResponse).flushHeaders();
  const lastEventId = readLastEventId(req.headers['last-event-id'], req.url, options.lastEventIdParam);
  const socket = (res as ServerResponse).socket;
  const direct = req.httpVersionMajor === 1 && options.ownConnection !== false && socket !== null;
  // HTTP/1.x: write to the socket directly (drain and close come from it); else through the response.
  const sink = direct ? new Http1SocketSink(res as ServerResponse, socket) : res;
  const session = new Session<Events, State>(sink, options, { lastEventId, state });
  attachSession(direct ? socket : (res as ServerResponse), session as Session<EventMap, unknown>);
  if (direct && session.isOpen) releaseParserLater(req as IncomingMessage, res as { _last?: boolean });
  return session;
}
