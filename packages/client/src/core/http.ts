/** HTTP details of the event-stream request and response, shared by EventSource and connect(). */

/**
 * The persisted last event ID as a header value: its UTF-8 bytes, one character per byte.
 *
 * [spec] "Let lastEventIDValue be the EventSource object's last event ID string, encoded as UTF-8."
 * Fetch's `Headers` only take ByteStrings (code points up to U+00FF) and send each as one byte,
 * so the UTF-8 bytes are spelled as Latin-1 characters; the wire then carries exactly those bytes.
 */
export function lastEventIdHeaderValue(lastEventId: string): string {
  const bytes = new TextEncoder().encode(lastEventId);
  let value = '';
  for (const byte of bytes) value += String.fromCharCode(byte);
  return value;
}

/**
 * Whether a Content-Type header names `text/event-stream`, by MIME type essence
 * (type/subtype, case-insensitive, parameters ignored).
 */
export function isEventStreamType(contentType: string | null): boolean {
  if (contentType === null) return false;
  const semicolon = contentType.indexOf(';');
  const essence = (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
  return essence === 'text/event-stream';
}

/**
 * Whether a request to `url` is cross-origin from the page running this code. Only then would a
 * non-safelisted header (Cache-Control) cost a CORS preflight the native EventSource never makes;
 * outside a page (Node) there is no origin and no CORS.
 */
function isCrossOriginFromPage(url: URL): boolean {
  const pageOrigin = (globalThis as { location?: { origin?: string } }).location?.origin;
  return pageOrigin !== undefined && pageOrigin !== 'null' && pageOrigin !== url.origin;
}

/**
 * Sets the headers every event-stream request carries, keeping any the caller already set
 * except `Last-Event-ID`, which always follows the stream.
 */
export function applyEventStreamHeaders(headers: Headers, url: URL, lastEventId: string): void {
  // [spec] "User agents may set (`Accept`, `text/event-stream`) in request's header list."
  if (!headers.has('accept')) headers.set('accept', 'text/event-stream');
  // [spec] the request's cache mode is "no-store" (passed as `cache` too); said explicitly where it is free,
  // so proxies and servers see it.
  if (!headers.has('cache-control') && !isCrossOriginFromPage(url)) headers.set('cache-control', 'no-store');
  // [spec] a non-empty last event ID string is sent as `Last-Event-ID`, encoded as UTF-8.
  if (lastEventId !== '') headers.set('last-event-id', lastEventIdHeaderValue(lastEventId));
  else headers.delete('last-event-id');
}

/** How the headers the loop sets are spelled in a plain object, as the `eventsource` package spells them. */
const HEADER_CASE: Readonly<Record<string, string>> = {
  accept: 'Accept',
  authorization: 'Authorization',
  'cache-control': 'Cache-Control',
  'last-event-id': 'Last-Event-ID',
};

/**
 * The headers as a plain object: a custom fetch may spread it and add its own, e.g.
 * `{ ...init.headers, Authorization: 'Bearer …' }`, which a `Headers` object would lose. The loop's own
 * headers keep their usual spelling, so such an addition replaces the loop's value instead of joining it.
 */
export function headerRecord(headers: Headers): Record<string, string> {
  const record: Record<string, string> = {};
  for (const [name, value] of headers) record[HEADER_CASE[name] ?? name] = value;
  return record;
}

/** The ASCII serialization of the origin of the response's final URL (after redirects). */
export function responseOrigin(response: Response, requestUrl: URL): string {
  // A custom fetch may build a Response by hand, whose url is empty.
  return response.url === '' ? requestUrl.origin : new URL(response.url).origin;
}

/** A `Retry-After` header (delay-seconds or HTTP-date) in milliseconds, or undefined. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^[0-9]+$/.test(trimmed)) return Number.parseInt(trimmed, 10) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Parses `url` relative to the page's base URL (in a browser) or as an absolute URL (elsewhere).
 * Throws a TypeError for a URL that does not parse.
 */
export function resolveUrl(url: string | URL): URL {
  const globals = globalThis as { document?: { baseURI?: string }; location?: { href?: string } };
  return new URL(url, globals.document?.baseURI ?? globals.location?.href);
}
