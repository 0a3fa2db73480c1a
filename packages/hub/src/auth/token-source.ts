/**
 * Where the JWS comes from ([spec] Authorization): the `Authorization` header wins,
 * then the `authorization` query parameter, then the cookie (classic or current name).
 */

import type { Protocol } from './verified.ts';

/** [spec] classic: the cookie a browser SHOULD send is called `mercureAuthorization`. */
export const CLASSIC_COOKIE_NAME = 'mercureAuthorization';

/** [spec] current: it is RECOMMENDED to name the cookie `__Secure-mercure_access_token`. */
export const ACCESS_TOKEN_COOKIE_NAME = '__Secure-mercure_access_token';

/**
 * The cookies a request's token is read from, in order: the configured name alone, or by default both
 * names the texts recommend, the one of the request's protocol first (a request announcing none, such as
 * a POST, reads the classic name first).
 */
export function cookieNames(configured: string | undefined, protocol: Protocol | undefined): string[] {
  if (configured !== undefined) return [configured];
  return protocol === 'current'
    ? [ACCESS_TOKEN_COOKIE_NAME, CLASSIC_COOKIE_NAME]
    : [CLASSIC_COOKIE_NAME, ACCESS_TOKEN_COOKIE_NAME];
}

/** A token and where it was found. */
export interface PresentedToken {
  token: string;
  source: 'header' | 'query' | 'cookie';
}

/** Thrown when a credential is present but malformed. */
export class MalformedCredentialError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedCredentialError';
  }
}

/** Reads one cookie from a `Cookie` header without decoding anything else. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      return value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
    }
  }
  return undefined;
}

/**
 * Finds the token a request presents, honouring the precedence the spec sets. `cookieNames` are tried
 * in order; the first non-empty one counts.
 * @throws {MalformedCredentialError} when the `Authorization` header is not `Bearer <token>`.
 */
export function presentedToken(
  authorizationHeader: string | undefined,
  query: URLSearchParams,
  cookieHeader: string | undefined,
  cookieNames: readonly string[],
): PresentedToken | undefined {
  if (authorizationHeader !== undefined) {
    // [spec] if an Authorization header is presented, its JWS MUST be used; query and cookie MUST be ignored
    // [RFC 6750 2.1] credentials = "Bearer" 1*SP b64token; the scheme is case-insensitive
    const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*)\s*$/i.exec(authorizationHeader);
    if (!match) {
      throw new MalformedCredentialError('the Authorization header must be "Bearer <JWS>"');
    }
    return { token: match[1]!, source: 'header' };
  }
  // [spec] with no header, the authorization query parameter MUST be used and the cookie ignored
  const fromQuery = query.get('authorization');
  if (fromQuery !== null) return { token: fromQuery, source: 'query' };
  for (const name of cookieNames) {
    const fromCookie = readCookie(cookieHeader, name);
    if (fromCookie !== undefined && fromCookie !== '') return { token: fromCookie, source: 'cookie' };
  }
  return undefined;
}
