import type { IncomingMessage, ServerResponse } from 'node:http';

/** Options of {@link createCors}. */
export interface CorsOptions {
  /**
   * Origins allowed to read the stream, exactly as browsers send them
   * (`'https://app.example.com'`), or a predicate. `'*'` allows any origin,
   * and is refused together with `credentials`.
   */
  origins: readonly string[] | ((origin: string) => boolean);
  /** Lets the browser send cookies (`new EventSource(url, { withCredentials: true })`). Default false. */
  credentials?: boolean;
  /** Request headers a preflight may allow. Default: `last-event-id`, `authorization`, `content-type`. */
  allowHeaders?: readonly string[];
  /** Response headers scripts may read. */
  exposeHeaders?: readonly string[];
  /** Seconds a preflight answer may be cached. Default 600. */
  maxAge?: number;
}

/** CORS decisions for one configuration. */
export interface Cors {
  /** True when `origin` may read responses. */
  isAllowed(origin: string | null | undefined): boolean;
  /** Headers to add to a response for `origin`; empty when the origin is not allowed. */
  headers(origin: string | null | undefined): Record<string, string>;
  /** Headers answering a preflight (`OPTIONS`) from `origin`; empty when not allowed. */
  preflightHeaders(origin: string | null | undefined): Record<string, string>;
  /**
   * node:http: sets the CORS headers on `res`; answers a preflight with 204
   * (or a disallowed one with 403) and returns true when it did answer.
   */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
}

const DEFAULT_ALLOW_HEADERS = ['last-event-id', 'authorization', 'content-type'];

/**
 * CORS for event streams with an explicit origin allow-list.
 * [Fetch] a credentialed response must name the origin: `*` is ignored by
 * browsers with credentials, so it is rejected here rather than failing there.
 *
 * @throws {TypeError} when `'*'` is combined with `credentials: true`.
 */
export function createCors(options: CorsOptions): Cors {
  const credentials = options.credentials === true;
  const list = typeof options.origins === 'function' ? null : options.origins;
  const anyOrigin = list?.includes('*') === true;
  if (anyOrigin && credentials) {
    throw new TypeError(
      'CORS: origin "*" cannot be used with credentials; list the allowed origins explicitly.',
    );
  }
  const allowed = new Set(list ?? []);
  const predicate = typeof options.origins === 'function' ? options.origins : null;
  const isAllowed = (origin: string | null | undefined): boolean =>
    typeof origin === 'string' &&
    origin !== '' &&
    (anyOrigin || allowed.has(origin) || predicate?.(origin) === true);

  const headers = (origin: string | null | undefined): Record<string, string> => {
    if (!isAllowed(origin)) return {};
    const out: Record<string, string> = anyOrigin
      ? { 'access-control-allow-origin': '*' }
      : { 'access-control-allow-origin': origin!, vary: 'Origin' };
    if (credentials) out['access-control-allow-credentials'] = 'true';
    if (options.exposeHeaders?.length)
      out['access-control-expose-headers'] = options.exposeHeaders.join(', ');
    return out;
  };

  const preflightHeaders = (origin: string | null | undefined): Record<string, string> => {
    const out = headers(origin);
    if (out['access-control-allow-origin'] === undefined) return out;
    out['access-control-allow-methods'] = 'GET, POST, OPTIONS';
    out['access-control-allow-headers'] = (options.allowHeaders ?? DEFAULT_ALLOW_HEADERS).join(', ');
    out['access-control-max-age'] = String(options.maxAge ?? 600);
    return out;
  };

  const handle = (req: IncomingMessage, res: ServerResponse): boolean => {
    const origin = req.headers.origin;
    if (req.method === 'OPTIONS') {
      const answer = preflightHeaders(origin);
      res.writeHead(answer['access-control-allow-origin'] === undefined ? 403 : 204, answer).end();
      return true;
    }
    for (const [name, value] of Object.entries(headers(origin))) res.setHeader(name, value);
    return false;
  };

  return { isAllowed, headers, preflightHeaders, handle };
}
