/**
 * Verifies a JWS and reads its `mercure` claim.
 */
import { errors, jwtVerify } from 'jose';
import { type MercureClaims, readMercureClaims } from './claims.ts';
import { type KeySource, type ResolvedKey, resolveKeySource } from './keys.ts';

/** A token that passed verification. */
export interface VerifiedToken {
  claims: MercureClaims;
  /** When the token expires (`exp`), in milliseconds since the epoch. */
  expiresAt: number | undefined;
}

/** Thrown when a token is refused; `message` says why, in words a client developer can act on. */
export class InvalidTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidTokenError';
  }
}

/** Registered claims a token must carry, when configured. */
export interface ExpectedClaims {
  /** `aud` must be (or contain) one of these: the hub's resource identifier, e.g. its URL. */
  audience?: string | readonly string[] | undefined;
  /** `iss` must be one of these. */
  issuer?: string | readonly string[] | undefined;
}

/** Checks tokens against one or more key sources. */
export interface TokenVerifier {
  verify(token: string): Promise<VerifiedToken>;
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
        return { claims, expiresAt: payload.exp === undefined ? undefined : payload.exp * 1000 };
      } catch (error) {
        reason = explain(error, key);
      }
    }
    throw new InvalidTokenError(reason);
  };
  return {
    async verify(token) {
      const known = cache.get(token);
      if (known !== undefined) {
        // An expired token is verified again, which refuses it with the right reason.
        if (known.expiresAt === undefined || known.expiresAt > Date.now()) return known;
        cache.delete(token);
      }
      const verified = await verify(token);
      if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      cache.set(token, verified);
      return verified;
    },
  };
}
