/**
 * Who is asking: the token a request presents, verified, or nobody.
 */
import {
  cookieOriginRefusal,
  InvalidTokenError,
  MalformedCredentialError,
  type MercureClaims,
  presentedToken,
  type TokenVerifier,
} from '../auth/index.ts';
import type { AnyRequest } from './body.ts';
import { isSecure } from './client-address.ts';
import { HttpError, unauthorized } from './errors.ts';
import { header, requestOrigin } from './hub-url.ts';

/** A request's verified identity. */
export interface Identity {
  claims: MercureClaims;
  /** Milliseconds since the epoch when the token expires, if it does. */
  expiresAt: number | undefined;
  source: 'header' | 'query' | 'cookie';
}

/** What authentication needs to know. */
export interface AuthSettings {
  verifier: TokenVerifier | undefined;
  cookieName: string;
  /** Origins allowed to use cookie authorization (CSRF check). */
  allowedOrigins: readonly string[];
}

/**
 * Verifies the presented token. Returns undefined when none is presented. `trustProxy` says whether
 * `X-Forwarded-Proto` gives the scheme of the hub's own origin (allowed for cookies, with the allow-list).
 * @throws {HttpError} 401 when a token is malformed or refused; 403 when a cookie comes from a foreign origin.
 */
export async function authenticate(
  req: AnyRequest,
  query: URLSearchParams,
  settings: AuthSettings,
  trustProxy: boolean,
): Promise<Identity | undefined> {
  let presented: ReturnType<typeof presentedToken>;
  try {
    presented = presentedToken(
      header(req, 'authorization'),
      query,
      header(req, 'cookie'),
      settings.cookieName,
    );
  } catch (error) {
    if (error instanceof MalformedCredentialError) throw unauthorized(error.message, true);
    throw error;
  }
  if (presented === undefined) return undefined;
  if (presented.source === 'cookie') {
    // The hub's own origin is allowed too; worked out only here, where a cookie needs it.
    const ownOrigin = requestOrigin(req, isSecure(req), trustProxy);
    const allowed =
      ownOrigin === undefined ? settings.allowedOrigins : [...settings.allowedOrigins, ownOrigin];
    // [spec] implementations supporting cookies MUST mitigate CSRF: check Origin, then Referer
    const refusal = cookieOriginRefusal(header(req, 'origin'), header(req, 'referer'), allowed);
    if (refusal !== undefined) throw new HttpError(403, refusal);
  }
  if (settings.verifier === undefined) {
    throw unauthorized('this hub has no key to verify tokens (configure jwtKey or a JWKS)', true);
  }
  try {
    const verified = await settings.verifier.verify(presented.token);
    return { ...verified, source: presented.source };
  } catch (error) {
    if (error instanceof InvalidTokenError) throw unauthorized(error.message, true);
    throw error;
  }
}
