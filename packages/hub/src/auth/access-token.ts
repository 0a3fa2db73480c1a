/**
 * RFC 9068 JWT access tokens (`typ: at+jwt`) of the current Mercure protocol, validated as its
 * token-validation section says ([spec] current: Token Validation).
 */
import { decodeJwt, errors, type JWTPayload, jwtVerify } from 'jose';
import { readAuthorizationDetails } from './authorization-details.ts';
import type { ResolvedKey } from './keys.ts';
import { InvalidTokenError, type VerifiedToken } from './verified.ts';

export type { Protocol, ProtocolSetting } from './verified.ts';

/** What a request tells the verifier: the hub's URL as the request names it. */
export interface RequestContext {
  /** Base of relative URL patterns; the resource identifier unless `jwtAudience` is set. */
  hubUrl: string;
}

/** Registered claims checked against configuration. */
export interface AccessTokenExpectations {
  /** The hub's resource identifiers; default: the request's hub URL. */
  audience?: string | readonly string[] | undefined;
  /** Issuers accepted for keys bound to no issuer. */
  issuer?: string | readonly string[] | undefined;
}

/** The `typ` of a JWS protected header, or undefined when absent or not a JWS. */
function tokenType(token: string): string | undefined {
  const dot = token.indexOf('.');
  if (dot <= 0) return undefined;
  try {
    const header = JSON.parse(Buffer.from(token.slice(0, dot), 'base64url').toString('utf8')) as unknown;
    const typ = (header as { typ?: unknown } | null)?.typ;
    return typeof typ === 'string' ? typ : undefined;
  } catch {
    return undefined;
  }
}

/** True when a token announces itself an access token: [spec] `at+jwt`, `application/` optional, any case. */
export function isAccessToken(token: string): boolean {
  const typ = tokenType(token)?.toLowerCase();
  return typ === 'at+jwt' || typ === 'application/at+jwt';
}

/** The `iss` a token claims, unverified: only used to choose which trusted keys may verify it. */
function claimedIssuer(token: string): unknown {
  try {
    return decodeJwt(token).iss;
  } catch {
    return undefined;
  }
}

/**
 * [spec] when the hub trusts keys of several issuers it MUST verify with only the keys bound to the
 * token's `iss`, never a pooled set. A token naming a bound issuer is tried with that issuer's keys;
 * any other with the keys bound to no issuer (self-issued tokens).
 */
function candidateKeys(keys: readonly ResolvedKey[], token: string): ResolvedKey[] {
  const iss = claimedIssuer(token);
  const bound = keys.filter((key) => key.issuer !== undefined && key.issuer === iss);
  return bound.length > 0 ? bound : keys.filter((key) => key.issuer === undefined);
}

function explain(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the access token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'typ') return 'the token is not an access token (typ must be at+jwt)';
    return `the access token's "${error.claim}" claim is missing or not valid (${error.reason})`;
  }
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported)
    return "the access token's algorithm is not accepted";
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the access token signature is invalid';
  if (error instanceof Error && error.name === 'ClaimsError') return error.message;
  return 'the access token cannot be verified';
}

const STRING_CLAIMS = ['sub', 'client_id', 'jti'] as const;
/** [RFC 9068] claims an authorization server populates: required from tokens of a bound issuer. */
const ISSUED_CLAIMS = ['sub', 'client_id', 'iat', 'jti'] as const;

function checkRegisteredClaims(payload: JWTPayload, issuerBound: boolean): void {
  for (const claim of STRING_CLAIMS) {
    if (payload[claim] !== undefined && typeof payload[claim] !== 'string') {
      throw new InvalidTokenError(`the access token's "${claim}" claim must be a string`);
    }
  }
  // [spec] hubs accepting self-issued tokens SHOULD NOT require the remaining RFC 9068 claims
  if (!issuerBound) return;
  const missing = ISSUED_CLAIMS.find((claim) => payload[claim] === undefined);
  if (missing !== undefined) throw new InvalidTokenError(`the access token has no "${missing}" claim`);
}

async function verifyWith(
  token: string,
  key: ResolvedKey,
  expected: AccessTokenExpectations,
  context: RequestContext,
): Promise<VerifiedToken> {
  const { payload } = await jwtVerify(token, key.key as Uint8Array, {
    // [spec] MUST reject any alg outside the allowlist; the allowlist is the key's, never the token's
    algorithms: key.algorithms,
    // [spec] MUST verify that typ is at+jwt (application/ prefix omitted, case-insensitive)
    typ: 'at+jwt',
    // [spec] MUST verify that the resource identifier appears in aud
    audience: (expected.audience ?? context.hubUrl) as string | string[],
    // [spec] MUST verify iss when trusting authorization servers
    issuer: (key.issuer ?? expected.issuer) as string | string[] | undefined,
    // [spec] MUST reject a token that has no exp claim (jose enforces exp and nbf when present)
    requiredClaims: ['exp'],
  });
  checkRegisteredClaims(payload, key.issuer !== undefined);
  return {
    claims: readAuthorizationDetails(payload as Record<string, unknown>, context.hubUrl),
    expiresAt: (payload.exp as number) * 1000,
    protocol: 'current',
  };
}

/**
 * Verifies an `at+jwt` access token with the trusted keys its `iss` selects.
 * @throws {InvalidTokenError} when no candidate key accepts it; the message says why.
 */
export async function verifyAccessToken(
  token: string,
  keys: readonly ResolvedKey[],
  expected: AccessTokenExpectations,
  context: RequestContext,
): Promise<VerifiedToken> {
  let reason = 'no trusted key may verify this access token';
  for (const key of candidateKeys(keys, token)) {
    try {
      return await verifyWith(token, key, expected, context);
    } catch (error) {
      if (error instanceof InvalidTokenError) throw error;
      reason = explain(error);
    }
  }
  throw new InvalidTokenError(reason);
}
