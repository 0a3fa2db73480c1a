/**
 * Verification keys: an HMAC secret, a PEM public key, or a JSON Web Key Set
 * (from a file or a URL), each with the algorithms it accepts.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createLocalJWKSet, createRemoteJWKSet, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';

/** Where the hub finds the keys that sign tokens. Exactly one of `key`, `jwksFile`, `jwksUrl`. */
export interface KeySource {
  /** An HMAC secret, or a PEM public key (SPKI) or X.509 certificate. */
  key?: string | undefined;
  /** Path of a JSON Web Key Set file. */
  jwksFile?: string | undefined;
  /** URL of a JSON Web Key Set, fetched and cached by jose. */
  jwksUrl?: string | undefined;
  /** Algorithms accepted. Defaults follow the key: HS* for a secret, RS*+PS* for RSA, ES* by curve, EdDSA. */
  algorithms?: readonly string[] | undefined;
  /**
   * The issuer (`iss`) this key belongs to, for access tokens: a token naming this issuer is verified
   * with this issuer's keys only, and a token verified with this key must name it.
   */
  issuer?: string | undefined;
}

/** A key (or key set) ready for `jwtVerify`, with the algorithms it accepts. */
export interface ResolvedKey {
  key: Uint8Array | KeyObject | JWTVerifyGetKey;
  algorithms: string[];
  describe: string;
  /** See KeySource.issuer. */
  issuer?: string | undefined;
}

const HMAC = ['HS256', 'HS384', 'HS512'];
const RSA = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
const ASYMMETRIC = [...RSA, 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];
const EC_BY_CURVE: Record<string, string> = { prime256v1: 'ES256', secp384r1: 'ES384', secp521r1: 'ES512' };

/** Thrown when a key source cannot be used; the message names the problem. */
export class KeyConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyConfigError';
  }
}

function algorithmsForPublicKey(key: KeyObject): string[] {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return RSA;
    case 'rsa-pss':
      return ['PS256', 'PS384', 'PS512'];
    case 'ec':
      return [EC_BY_CURVE[key.asymmetricKeyDetails?.namedCurve ?? ''] ?? 'ES256'];
    case 'ed25519':
    case 'ed448':
      return ['EdDSA', 'Ed25519'];
    default:
      throw new KeyConfigError(`unsupported public key type ${String(key.asymmetricKeyType)}`);
  }
}

function checkAlgorithms(algorithms: readonly string[]): string[] {
  for (const alg of algorithms) {
    // [RFC 7518 3.6] "none" is an unsecured JWS: it proves nothing, so it is never accepted.
    if (alg.toLowerCase() === 'none') throw new KeyConfigError('algorithm "none" is never accepted');
    if (!HMAC.includes(alg) && !ASYMMETRIC.includes(alg)) {
      throw new KeyConfigError(
        `unknown JWS algorithm "${alg}"; use one of ${[...HMAC, ...ASYMMETRIC].join(', ')}`,
      );
    }
  }
  return [...algorithms];
}

function resolveKey(key: string, algorithms: readonly string[] | undefined): ResolvedKey {
  if (key.includes('-----BEGIN')) {
    let publicKey: KeyObject;
    try {
      publicKey = createPublicKey(key);
    } catch (error) {
      throw new KeyConfigError(`the PEM key cannot be read: ${(error as Error).message}`);
    }
    const allowed = checkAlgorithms(algorithms ?? algorithmsForPublicKey(publicKey));
    return { key: publicKey, algorithms: allowed, describe: `${publicKey.asymmetricKeyType} public key` };
  }
  if (key.length === 0) throw new KeyConfigError('the JWT key is empty');
  const allowed = checkAlgorithms(algorithms ?? HMAC);
  if (allowed.some((alg) => !HMAC.includes(alg))) {
    throw new KeyConfigError(
      `a secret key only works with ${HMAC.join(', ')}; give a PEM public key for others`,
    );
  }
  return { key: new TextEncoder().encode(key), algorithms: allowed, describe: 'HMAC secret' };
}

function resolveJwksFile(path: string, algorithms: readonly string[] | undefined): ResolvedKey {
  let set: JSONWebKeySet;
  try {
    set = JSON.parse(readFileSync(path, 'utf8')) as JSONWebKeySet;
  } catch (error) {
    throw new KeyConfigError(`the JWKS file ${path} cannot be read: ${(error as Error).message}`);
  }
  if (!Array.isArray(set.keys)) throw new KeyConfigError(`the JWKS file ${path} has no "keys" array`);
  return {
    key: createLocalJWKSet(set),
    algorithms: checkAlgorithms(algorithms ?? [...HMAC, ...ASYMMETRIC]),
    describe: `JWKS file ${path}`,
  };
}

function resolveJwksUrl(url: string, algorithms: readonly string[] | undefined): ResolvedKey {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new KeyConfigError(`the JWKS URL ${JSON.stringify(url)} is not a valid URL`);
  }
  return {
    key: createRemoteJWKSet(parsed),
    algorithms: checkAlgorithms(algorithms ?? ASYMMETRIC),
    describe: `JWKS at ${url}`,
  };
}

/** Turns a key source into something `jwtVerify` accepts. */
export function resolveKeySource(source: KeySource): ResolvedKey {
  const resolved = resolveKeyMaterial(source);
  return source.issuer === undefined ? resolved : { ...resolved, issuer: source.issuer };
}

function resolveKeyMaterial(source: KeySource): ResolvedKey {
  const given = [source.key, source.jwksFile, source.jwksUrl].filter((v) => v !== undefined).length;
  if (given !== 1) throw new KeyConfigError('give exactly one of key, jwksFile or jwksUrl');
  if (source.key !== undefined) return resolveKey(source.key, source.algorithms);
  if (source.jwksFile !== undefined) return resolveJwksFile(source.jwksFile, source.algorithms);
  return resolveJwksUrl(source.jwksUrl!, source.algorithms);
}
