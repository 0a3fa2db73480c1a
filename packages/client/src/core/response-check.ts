/** Whether a response can be read as an event stream, and if not, an error that says why. */
import { isEventStreamType, parseRetryAfter } from './http.ts';
import { SseError } from './sse-error.ts';

interface CheckOptions {
  url: URL;
  accepts(status: number): boolean;
  errorBodyLimit: number;
}

/** Returns undefined for a usable response; otherwise reads a bounded excerpt of the body and describes it. */
export async function checkResponse(
  response: Response,
  method: string,
  options: CheckOptions,
): Promise<SseError | undefined> {
  const url = response.url || options.url.href;
  const details = { status: response.status, statusText: response.statusText, url };
  const statusLine = `${response.status}${response.statusText === '' ? '' : ` ${response.statusText}`}`;
  if (response.status === 204) {
    await discard(response);
    // [spec] any status other than 200 fails the connection; a 204 is the server's way to say "stop".
    return new SseError(
      'no-content',
      `The server answered ${statusLine} to ${method} ${url}: it asks clients to stop.`,
      details,
    );
  }
  if (!options.accepts(response.status)) {
    const body = await excerpt(response, options.errorBodyLimit);
    const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
    return new SseError(
      'http-status',
      `The server answered ${statusLine} to ${method} ${url}; an event stream needs 200.${body ? ` Body: ${body}` : ''}`,
      { ...details, body, retryAfter },
    );
  }
  const contentType = response.headers.get('content-type');
  if (!isEventStreamType(contentType)) {
    const body = await excerpt(response, options.errorBodyLimit);
    // [spec] a Content-Type other than text/event-stream fails the connection.
    return new SseError(
      'content-type',
      `${method} ${url} answered with Content-Type ${contentType === null ? '(none)' : `"${contentType}"`}, ` +
        'not text/event-stream: is this the event stream endpoint (and not a login page or proxy error)?',
      { ...details, body },
    );
  }
  return undefined;
}

/** Longest wait for an error body: a proxy's error page that never ends must not hold the connection. */
const EXCERPT_TIMEOUT_MS = 1000;

/** The first `limit` bytes of the body as text, read for at most a second; the rest is never read. */
async function excerpt(response: Response, limit: number): Promise<string | undefined> {
  if (limit <= 0 || response.body === null) {
    await discard(response);
    return undefined;
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  // Cancelling ends the pending read with `done`, keeping what arrived so far.
  const timer = setTimeout(() => reader.cancel().catch(() => undefined), EXCERPT_TIMEOUT_MS);
  try {
    while (size < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } catch {
    // The status is the error being reported; a body that breaks off only shortens the excerpt.
  } finally {
    clearTimeout(timer);
    reader.cancel().catch(() => undefined);
  }
  const bytes = new Uint8Array(Math.min(size, limit));
  let offset = 0;
  for (const chunk of chunks) {
    const part = chunk.subarray(0, bytes.length - offset);
    bytes.set(part, offset);
    offset += part.length;
  }
  const text = new TextDecoder().decode(bytes).trim();
  return text === '' ? undefined : text;
}

async function discard(response: Response): Promise<void> {
  // Cancelling frees the connection; a body that cannot be cancelled is already gone.
  await response.body?.cancel().catch(() => undefined);
}
