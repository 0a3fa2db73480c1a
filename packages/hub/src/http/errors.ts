/**
 * Errors that become HTTP responses, and how they are written.
 */
import type { ServerResponse } from 'node:http';
import type { Http2ServerResponse } from 'node:http2';

/** Any node:http or node:http2 compatibility response. */
export type AnyResponse = ServerResponse | Http2ServerResponse;

/** An error with the HTTP status and headers it should be answered with. */
export class HttpError extends Error {
  readonly status: number;
  readonly headers: Record<string, string>;
  constructor(status: number, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.headers = headers;
  }
}

/** An RFC 6750 `Bearer` challenge carrying an error code and the message as its description. */
function bearerChallenge(error: string, message: string): Record<string, string> {
  const description = message.replace(/["\\]/g, "'");
  return {
    'www-authenticate': `Bearer realm="mercure", error="${error}", error_description="${description}"`,
  };
}

/** 401 with the RFC 6750 challenge: a missing token carries no error code, a refused one `invalid_token`. */
export function unauthorized(message: string, invalidToken: boolean): HttpError {
  const headers = invalidToken
    ? bearerChallenge('invalid_token', message)
    : { 'www-authenticate': 'Bearer realm="mercure"' };
  return new HttpError(401, message, headers);
}

/** 400 for a malformed token presentation: [spec] current: a Bearer challenge with error="invalid_request". */
export function invalidRequest(message: string): HttpError {
  return new HttpError(400, message, bearerChallenge('invalid_request', message));
}

/** 403 for a valid token that does not allow the operation: [spec] current: error="insufficient_scope". */
export function insufficientScope(message: string): HttpError {
  return new HttpError(403, message, bearerChallenge('insufficient_scope', message));
}

/** Writes a plain-text answer, exactly `body`; `headers` may set another text content type (e.g. /metrics). */
export function sendText(
  res: AnyResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const payload = Buffer.from(body);
  (res as ServerResponse).writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    ...headers,
    'content-length': String(payload.length),
    'cache-control': 'no-store',
  });
  res.end(payload);
}

/** Writes a JSON document with the given media type. */
export function sendJson(
  res: AnyResponse,
  status: number,
  document: unknown,
  headers: Record<string, string> = {},
  contentType = 'application/json',
): void {
  const payload = Buffer.from(JSON.stringify(document));
  (res as ServerResponse).writeHead(status, {
    ...headers,
    'content-type': `${contentType}; charset=utf-8`,
    'content-length': String(payload.length),
  });
  res.end(payload);
}

/** Answers an HttpError as plain text with its status and headers. */
export function sendError(
  res: AnyResponse,
  error: HttpError,
  extraHeaders: Record<string, string> = {},
): void {
  // [policy] a refusal is one line: a message that quotes the client's input (a JSON parser's) must not break it.
  sendText(res, error.status, `${error.message.replace(/[\r\n]+/g, ' ')}\n`, {
    ...extraHeaders,
    ...error.headers,
  });
}
