/**
 * Response headers for an event stream.
 *
 * `no-transform` keeps compressing proxies away, `X-Accel-Buffering: no` stops
 * nginx from buffering. Connection-specific headers exist only in HTTP/1.x:
 * [RFC 9113 8.2.2] an HTTP/2 message containing them is malformed.
 */
export function eventStreamHeaders(httpVersionMajor: number): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    'x-accel-buffering': 'no',
  };
  if (httpVersionMajor < 2) headers['connection'] = 'keep-alive';
  return headers;
}

/** Header names an application may not override: they make the response an event stream. */
const RESERVED = new Set(['content-type', 'content-length', 'content-encoding', 'transfer-encoding']);

/** Merges extra application headers, refusing the ones that would break the stream. */
export function mergeHeaders(
  base: Record<string, string>,
  extra: Record<string, string> | undefined,
): Record<string, string> {
  if (extra === undefined) return base;
  for (const [name, value] of Object.entries(extra)) {
    const lower = name.toLowerCase();
    if (RESERVED.has(lower)) {
      throw new TypeError(`Header "${name}" cannot be set on an event stream: it would break the stream.`);
    }
    base[lower] = value;
  }
  return base;
}
