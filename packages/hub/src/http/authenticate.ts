/**
 * Who is asking: the token a request presents, verified, or nobody.
 */
import {
  cookieNames,
  InvalidTokenError,
  isAccessToken,
  MalformedCredentialError,
  type MercureClaims,
  type PresentedToken,
  type Protocol,
  type ProtocolSetting,
  presentedToken,
  type TokenVerifier,
} from '../auth/index.ts';
import type { AnyRequest } from './body.ts';
import { isSecure } from './client-address.ts';
import { cookieOriginRefusal } from './csrf.ts';
import { HttpError, invalidRequest, unauthorized } from './errors.ts';
import { header, requestHubUrl, requestOrigin } from './hub-url.ts';

/** A request's verified identity. */
export interface Identity {
  claims: MercureClaims;
  /** Milliseconds since the epoch when the token expires, if it does. */
  expiresAt: number | undefined;
  source: 'header' | 'query' | 'cookie';
  /** The protocol the token belongs to (see auth/access-token.ts). */
  protocol: Protocol;
}

/** What authentication needs to know. */
export interface AuthSettings {
  verifier: TokenVerifier | undefined;
  /** The cookie carrying a token; undefined reads both names the texts recommend (see token-source.ts). */
  cookieName: string | undefined;
  /** Origins allowed to use cookie authorization (CSRF check). */
  allowedOrigins: readonly string[];
  /** The hub's protocols: a classic-only hub has no query-string rule of the current protocol. Default both. */
  protocol?: ProtocolSetting | undefined;
}

/** The hub URL assumed for a request without Host (HTTP/1.0): access tokens cannot name it, so fail. */
const FALLBACK_HUB_URL = 'http://host.invalid/.well-known/mercure';

/**
 * [spec] current: the access_token query parameter is a MAY this hub does not take (tokens in URLs
 * end up in logs); nor does it take an at+jwt token in the classic `authorization` parameter, nor any
 * token there on a current-protocol request.
 * Per the precedence rule, an Authorization header makes both ignored.
 */
function refuseQueryAccessToken(
  req: AnyRequest,
  query: URLSearchParams,
  presented: PresentedToken | undefined,
  protocol: Protocol | undefined,
): void {
  const inQuery = header(req, 'authorization') === undefined && query.has('access_token');
  const fromQuery = presented?.source === 'query';
  // A current request takes no query-string token at all; a classic one no at+jwt token there.
  const refused = fromQuery && (protocol === 'current' || isAccessToken(presented.token));
  if (!inQuery && !refused) return;
  throw invalidRequest(
    'access tokens are not accepted in the query string: send an Authorization header or a cookie',
  );
}

/**
 * The answer to a malformed `Authorization` header. [spec] current: a malformed token presentation
 * MUST be answered 400 with error="invalid_request". The classic text sets no status for it, so only a
 * request that announces the classic protocol (its `topic` parameters, or a classic-only hub) keeps the
 * classic hub's 401; a request announcing no protocol (a POST, whose token would tell) gets the 400,
 * which satisfies both texts.
 */
function malformedPresentation(
  error: MalformedCredentialError,
  protocol: Protocol | undefined,
  settings: AuthSettings,
): HttpError {
  const classic = protocol === 'classic' || settings.protocol === 'classic';
  return classic ? unauthorized(error.message, true) : invalidRequest(error.message);
}

/**
 * Verifies the presented token. Returns undefined when none is presented. `trustProxy` says whether
 * `X-Forwarded-Proto` gives the scheme of the hub's own origin (allowed for cookies, with the allow-list).
 * `protocol` is the request's protocol when its parameters announce one.
 * @throws {HttpError} 401 when a token is refused; for a malformed Authorization header, 400
 * `invalid_request` unless the request is classic (401); 403 when a cookie comes from a foreign origin.
 */
export async function authenticate(
  req: AnyRequest,
  query: URLSearchParams,
  settings: AuthSettings,
  trustProxy: boolean,
  protocol?: Protocol,
): Promise<Identity | undefined> {
  let presented: ReturnType<typeof presentedToken>;
  try {
    presented = presentedToken(
      header(req, 'authorization'),
      query,
      header(req, 'cookie'),
      cookieNames(settings.cookieName, protocol),
    );
  } catch (error) {
    if (error instanceof MalformedCredentialError) throw malformedPresentation(error, protocol, settings);
    throw error;
  }
  if (settings.protocol !== 'classic') refuseQueryAccessToken(req, query, presented, protocol);
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
    const hubUrl = requestHubUrl(req, trustProxy) ?? FALLBACK_HUB_URL;
    const verified = await settings.verifier.verify(presented.token, { hubUrl });
    return { ...verified, source: presented.source };
  } catch (error) {
    if (error instanceof InvalidTokenError) throw unauthorized(error.message, true);
    throw error;
  }
}
