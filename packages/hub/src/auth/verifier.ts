/**
 * Verifies a JWS and reads its `mercure` claim.
 */
import { errors, jwtVerify } from 'jose';
import {
  isAccessToken,
  type ProtocolSetting,
  type RequestContext,
  verifyAccessToken,
} from './access-token.ts';
import { readMercureClaims } from './claims.ts';
import { type KeySource, type ResolvedKey, resolveKeySource } from './keys.ts';
import { InvalidTokenError, type VerifiedToken } from './verified.ts';

export { InvalidTokenError, type VerifiedToken };

/** Registered claims a token must carry, when configured. */
export interface ExpectedClaims {
  /** `aud` must be (or contain) one of these: the hub's resource identifier, e.g. its URL. */
  audience?: string | readonly string[] | undefined;
  /** `iss` must be one of these. */
  issuer?: string | readonly string[] | undefined;
  /** Which protocols' tokens are accepted. Default both. */
  protocol?: ProtocolSetting | undefined;
}

/** Checks tokens against one or more key sources. */
export interface TokenVerifier {
  /** `context` tells about the request: access tokens are checked against the hub URL it names. */
  verify(token: string, context?: RequestContext): Promise<VerifiedToken>;
}

function explain(error: unknown, key: ResolvedKey): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired';
  if (error instanceof errors.JWTClaimValidationFailed)
    return `the token's "${error.claim}" claim is not valid now`;
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) {
    return `the token's algorithm is not accepted (accepted: ${key.algorithms.join(', ')})`;
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the token signature is invalid';
  if (error instanceof errors.JWKSNoMatchingKey) return 'no key of the key set matches the token';
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid)
    return 'the token is malformed';
  if (error instanceof Error && error.name === 'ClaimsError') return error.message;
  return `the token cannot be verified: ${(error as Error).message}`;
}

/** Verified tokens remembered: publishers and reconnecting subscribers present the same token again and again. */
const CACHE_SIZE = 1024;

/**
 * Creates a verifier accepting tokens signed by any of `sources`. A token verified once is
 * remembered (by its exact text, so the same signature) until it expires; at most
 * CACHE_SIZE tokens, the oldest forgotten first.
 */
export function createTokenVerifier(
  sources: readonly KeySource[],
  expected: ExpectedClaims = {},
): TokenVerifier {
  const keys = sources.map(resolveKeySource);
  const cache = new Map<string, VerifiedToken>();
  const verify = async (token: string): Promise<VerifiedToken> => {
    let reason = 'no key is configured to verify tokens';
    for (const key of keys) {
      try {
        const { payload } = await jwtVerify(token, key.key as Uint8Array, {
          algorithms: key.algorithms,
          audience: expected.audience as string | string[] | undefined,
          issuer: expected.issuer as string | string[] | undefined,
        });
        const claims = readMercureClaims(payload as Record<string, unknown>);
        const expiresAt = payload.exp === undefined ? undefined : payload.exp * 1000;
        return { claims, expiresAt, protocol: 'classic' };
      } catch (error) {
        reason = explain(error, key);
      }
    }
    throw new InvalidTokenError(reason);
  };
  const protocol = expected.protocol ?? 'both';
  const verifyAny = (token: string, context: RequestContext | undefined): Promise<VerifiedToken> => {
    // Under the classic protocol alone, an at+jwt token is an ordinary JWT (its mercure claim counts).
    if (protocol !== 'classic' && isAccessToken(token) && context !== undefined) {
      return verifyAccessToken(token, keys, expected, context);
    }
    if (protocol === 'current') {
      throw new InvalidTokenError('this hub accepts only at+jwt access tokens (setting protocol is current)');
    }
    return verify(token);
  };
  return {
    async verify(token, context) {
      // Access tokens are read against the hub URL (relative patterns, audience): it is part of the key.
      const cacheKey = context === undefined ? token : `${token} ${context.hubUrl}`;
      const known = cache.get(cacheKey);
      if (known !== undefined) {
        // An expired token is verified again, which refuses it with the right reason.
        if (known.expiresAt === undefined || known.expiresAt > Date.now()) return known;
        cache.delete(cacheKey);
      }
      const verified = await verifyAny(token, context);
      if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      cache.set(cacheKey, verified);
      return verified;
    },
  };
}
