/**
 * Discovery helpers for the application that serves the resources
 * ([spec] Discovery): the `Link: <hub>; rel="mercure"` header (with the topic's
 * `rel="self"` link when asked) and the authorization cookie.
 */
import { ACCESS_TOKEN_COOKIE_NAME, CLASSIC_COOKIE_NAME, isAccessToken } from '../auth/index.ts';

/** Target attributes of a hub link ([spec] Discovery). */
export interface HubLinkOptions {
  /**
   * The canonical URL of the topic subscribers should use, advertised as a `rel="self"` link beside
   * the hub's ([spec] the publisher MAY include one; without it, subscribers fall back to the
   * resource's own URL). Absolute or relative to the resource.
   */
  self?: string | undefined;
  /** The id of the last update published about this resource, passed back as `lastEventID` (classic) or `last_event_id` (current). */
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

/** A URI reference as a link target: encoded once, whatever of it was already encoded. */
function target(url: string): string {
  return `<${encodeURI(decodeURI(url))}>`;
}

/**
 * The value of a `Link` header advertising a hub, and with `self` the topic's canonical URL (two
 * comma-separated link values, RFC 8288).
 * @example
 * res.setHeader('Link', mercureLink('https://example.com/.well-known/mercure', { lastEventId: id }));
 * // <https://example.com/.well-known/mercure>; rel="mercure"; last-event-id="urn:uuid:..."
 * res.setHeader('Link', mercureLink(hubUrl, { self: '/books/foo.jsonld' }));
 * // <https://example.com/.well-known/mercure>; rel="mercure", </books/foo.jsonld>; rel="self"
 */
export function mercureLink(hubUrl: string, options: HubLinkOptions = {}): string {
  let link = `${target(hubUrl)}; rel="mercure"`;
  if (options.lastEventId !== undefined) link += `; last-event-id=${quoted(options.lastEventId)}`;
  if (options.contentType !== undefined) link += `; content-type=${quoted(options.contentType)}`;
  if (options.cookieName !== undefined) link += `; cookie-name=${quoted(options.cookieName)}`;
  if (options.keySet !== undefined) link += `; key-set=${quoted(options.keySet)}`;
  if (options.self !== undefined) link += `, ${target(options.self)}; rel="self"`;
  return link;
}

/** Attributes of the authorization cookie. */
export interface AuthorizationCookieOptions {
  /**
   * Cookie name. Default: the name the token's protocol recommends, `__Secure-mercure_access_token` for
   * an access token (`typ` `at+jwt`), `mercureAuthorization` for a classic token; the hub reads both.
   */
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
 * A `Set-Cookie` value carrying a subscriber's token. [spec] the cookie SHOULD (current: MUST) be
 * Secure and HttpOnly, and SameSite, with its Path set to the hub's URL.
 */
export function authorizationCookie(token: string, options: AuthorizationCookieOptions = {}): string {
  const name = options.name ?? (isAccessToken(token) ? ACCESS_TOKEN_COOKIE_NAME : CLASSIC_COOKIE_NAME);
  let cookie = `${name}=${token}; Path=${options.path ?? '/.well-known/mercure'}`;
  cookie += `; Secure; HttpOnly; SameSite=${options.sameSite ?? 'Strict'}`;
  if (options.domain !== undefined) cookie += `; Domain=${options.domain}`;
  if (options.maxAgeSeconds !== undefined) cookie += `; Max-Age=${options.maxAgeSeconds}`;
  return cookie;
}
