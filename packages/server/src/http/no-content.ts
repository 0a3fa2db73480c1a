import type { ServerResponse } from 'node:http';
import type { Http2ServerResponse, ServerHttp2Stream } from 'node:http2';

/**
 * Answers a request with 204 No Content.
 * [spec] an EventSource that gets a 204 (or any non-200 status) fails and does
 * not reconnect: use it to stop a client for good, e.g. after `session.close()`.
 */
export function noContent(
  res: ServerResponse | Http2ServerResponse,
  headers: Record<string, string> = {},
): void {
  (res as ServerResponse).writeHead(204, headers);
  res.end();
}

/** {@link noContent} for a native node:http2 stream. */
export function noContentStream(stream: ServerHttp2Stream, headers: Record<string, string> = {}): void {
  stream.respond({ ':status': 204, ...headers }, { endStream: true });
}

/** {@link noContent} as a web `Response`. */
export function noContentResponse(headers: Record<string, string> = {}): Response {
  return new Response(null, { status: 204, headers });
}
