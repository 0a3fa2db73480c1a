/** Where a reconnecting client's last event id is read from. */
export interface LastEventIdSource {
  /**
   * Query parameter that may carry the last event id, for clients that cannot
   * set headers (e.g. `'lastEventId'`). The `Last-Event-ID` header wins when both are present.
   */
  lastEventIdParam?: string;
}

/**
 * [spec] a reconnecting EventSource sends its last event ID in the
 * `Last-Event-ID` header; an empty value means none.
 */
export function readLastEventId(
  header: string | string[] | null | undefined,
  url: string | undefined,
  param: string | undefined,
): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value !== undefined && value !== null && value !== '') return decodeHeaderUtf8(value);
  if (param === undefined || url === undefined) return undefined;
  const query = url.indexOf('?');
  if (query < 0) return undefined;
  const fromQuery = new URLSearchParams(url.slice(query + 1)).get(param);
  return fromQuery === null || fromQuery === '' ? undefined : fromQuery;
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * HTTP header values reach Node as latin1 text of their bytes, but
 * [spec] the `Last-Event-ID` header carries the id as UTF-8: re-decode it.
 */
export function decodeHeaderUtf8(value: string): string {
  // Bytes 0x80-0xff mark a UTF-8 sequence; plain ASCII needs no work.
  if (!/[\u0080-\u00ff]/.test(value)) return value;
  const bytes = Buffer.from(value, 'latin1');
  try {
    return STRICT_UTF8.decode(bytes);
  } catch {
    // Not UTF-8: the client sent latin1 text; keep it as received.
    return value;
  }
}
