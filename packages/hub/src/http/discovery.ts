/**
 * Discovery helpers for the application that serves the resources
 * ([spec] Discovery): the `Link: <hub>; rel="mercure"` header and the
 * authorization cookie.
 */

/** Target attributes of a hub link ([spec] Discovery). */
export interface HubLinkOptions {
  /** The id of the last update published about this resource, passed back as `lastEventID`. */
  lastEventId?: string | undefined;
  /** Content type of the updates, when it differs from the resource's. */
  contentType?: string | undefined;
  /** Name of the authorization cookie, when it is not `mercureAuthorization`. */
  cookieName?: string | undefined;
  /** URL of the JWK set that decrypts updates. */
  keySet?: string | undefined;
}

function quoted(value: string): string {
  return `"${value.replace(/["\\]/g, '\\$&')}"`;
}

/**
 * The value of a `Link` header advertising a hub.
 * @example
 * res.setHeader('Link', mercureLink('https://example.com/.well-known/mercure', { lastEventId: id }));
 * // <https://example.com/.well-known/mercure>; rel="mercure"; last-event-id="urn:uuid:..."
 */
export function mercureLink(hubUrl: string, options: HubLinkOptions = {}): string {
  let link = `<${encodeURI(decodeURI(hubUrl))}>; rel="mercure"`;
  if (options.lastEventId !== undefined) link += `; last-event-id=${quoted(options.lastEventId)}`;
  if (options.contentType !== undefined) link += `; content-type=${quoted(options.contentType)}`;
  if (options.cookieName !== undefined) link += `; cookie-name=${quoted(options.cookieName)}`;
  if (options.keySet !== undefined) link += `; key-set=${quoted(options.keySet)}`;
  return link;
}

/** Attributes of the authorization cookie. */
export interface AuthorizationCookieOptions {
  /** Cookie name. Default `mercureAuthorization`. */
  name?: string | undefined;
  /** [spec] the Path SHOULD be the hub's URL path. Default `/.well-known/mercure`. */
  path?: string | undefined;
  /** Shared parent domain, when the hub is on a sibling subdomain. */
  domain?: string | undefined;
  /** Lifetime in seconds; a session cookie when undefined. */
  maxAgeSeconds?: number | undefined;
  /** Default `Strict`. */
  sameSite?: 'Strict' | 'Lax' | 'None' | undefined;
}

/**
 * A `Set-Cookie` value carrying a subscriber's token. [spec] the cookie SHOULD be
 * Secure, HttpOnly and SameSite, with its Path set to the hub's URL.
 */
export function authorizationCookie(token: string, options: AuthorizationCookieOptions = {}): string {
  let cookie = `${options.name ?? 'mercureAuthorization'}=${token}; Path=${options.path ?? '/.well-known/mercure'}`;
  cookie += `; Secure; HttpOnly; SameSite=${options.sameSite ?? 'Strict'}`;
  if (options.domain !== undefined) cookie += `; Domain=${options.domain}`;
  if (options.maxAgeSeconds !== undefined) cookie += `; Max-Age=${options.maxAgeSeconds}`;
  return cookie;
}
