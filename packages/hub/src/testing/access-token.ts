/**
 * Mints RFC 9068 access tokens (`typ: at+jwt`) with `authorization_details` for tests.
 */
import { SignJWT } from 'jose';
import { TEST_SECRET } from './test-hub.ts';

/** One `mercure` authorization detail. */
export interface TestDetail {
  actions: string[];
  topics: { match: string; match_type?: string }[];
  payload?: unknown;
}

/** What a test access token carries; anything left out gets a working default. */
export interface AccessTokenOptions {
  /** The `aud` claim; required by the hub (default: none, so set it). */
  aud?: string | string[];
  details?: TestDetail[];
  /** Raw `authorization_details`, for malformed cases. */
  authorizationDetails?: unknown;
  /** Seconds from now; `null` leaves `exp` out. Default 3,600. */
  expiresIn?: number | null;
  typ?: string;
  secret?: string;
  /** Extra claims (iss, sub, client_id, jti, ...). */
  claims?: Record<string, unknown>;
}

/** Signs an access token with HS256 (TEST_SECRET unless `secret`). */
export function mintAccessToken(options: AccessTokenOptions): Promise<string> {
  const details =
    options.authorizationDetails ?? options.details?.map((detail) => ({ type: 'mercure', ...detail }));
  const payload: Record<string, unknown> = { ...options.claims };
  if (details !== undefined) payload['authorization_details'] = details;
  if (options.aud !== undefined) payload['aud'] = options.aud;
  const jwt = new SignJWT(payload).setProtectedHeader({ alg: 'HS256', typ: options.typ ?? 'at+jwt' });
  const expiresIn = options.expiresIn === undefined ? 3600 : options.expiresIn;
  if (expiresIn !== null) jwt.setExpirationTime(Math.floor(Date.now() / 1000) + expiresIn);
  return jwt.sign(new TextEncoder().encode(options.secret ?? TEST_SECRET));
}
