import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mintAccessToken } from '../testing/access-token.ts';
import { TEST_SECRET } from '../testing/test-hub.ts';
import { isAccessToken, verifyAccessToken } from './access-token.ts';
import { resolveKeySource } from './keys.ts';
import { InvalidTokenError } from './verified.ts';

const HUB = 'https://hub.example/.well-known/mercure';
const CONTEXT = { hubUrl: HUB };
const KEYS = [resolveKeySource({ key: TEST_SECRET })];
const GRANT = [{ actions: ['publish'], topics: [{ match: '*' }] }];

function verify(token: string, keys = KEYS, expected = {}) {
  return verifyAccessToken(token, keys, expected, CONTEXT);
}

describe('access tokens ([spec] current: Token Validation)', () => {
  it('accepts a minimal self-issued token: exp, aud and authorization_details', async () => {
    const verified = await verify(await mintAccessToken({ aud: HUB, details: GRANT }));
    assert.equal(verified.protocol, 'current');
    assert.equal(verified.claims.publish?.length, 1);
  });

  it('[spec] "MUST verify that the token header typ is at+jwt, or the equivalent application/at+jwt", case-insensitively', async () => {
    assert.equal(isAccessToken(await mintAccessToken({ aud: HUB, typ: 'application/AT+JWT' })), true);
    assert.equal(isAccessToken(await mintAccessToken({ aud: HUB, typ: 'JWT' })), false);
    await assert.rejects(verify(await mintAccessToken({ aud: HUB, typ: 'JWT' })), /typ must be at\+jwt/);
  });

  it('[spec] "MUST reject a token that has no exp claim"', async () => {
    await assert.rejects(verify(await mintAccessToken({ aud: HUB, expiresIn: null })), /"exp"/);
  });

  it('[spec] "MUST enforce the exp claim"', async () => {
    await assert.rejects(verify(await mintAccessToken({ aud: HUB, expiresIn: -10 })), /expired/);
  });

  it('[spec] "Hubs MUST enforce the nbf claim if present"', async () => {
    const later = Math.floor(Date.now() / 1000) + 600;
    await assert.rejects(verify(await mintAccessToken({ aud: HUB, claims: { nbf: later } })), /"nbf"/);
  });

  it('[spec] "Hubs MUST NOT accept alg=none"', async () => {
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const exp = Math.floor(Date.now() / 1000) + 600;
    const unsecured = `${encode({ alg: 'none', typ: 'at+jwt' })}.${encode({ aud: HUB, exp })}.`;
    await assert.rejects(verify(unsecured), /algorithm is not accepted/);
  });

  it('[spec] "MUST verify that [the resource identifier] appears in the token aud claim" (default: the hub URL)', async () => {
    await assert.rejects(verify(await mintAccessToken({ aud: 'https://other.example/' })), /"aud"/);
    await assert.rejects(verify(await mintAccessToken({})), /"aud"/);
    await verify(await mintAccessToken({ aud: ['https://other.example/', HUB] }));
    const configured = { audience: ['urn:hub'] };
    await verify(await mintAccessToken({ aud: 'urn:hub' }), KEYS, configured);
    await assert.rejects(verify(await mintAccessToken({ aud: HUB }), KEYS, configured), /"aud"/);
  });

  it('[spec] "MUST verify the signature using only the key(s) associated with the token\'s iss"', async () => {
    const issuerSecret = 'issuer-secret-0123456789abcdef0123456789abcdef';
    const keys = [resolveKeySource({ key: issuerSecret, issuer: 'https://as.example' }), ...KEYS];
    // Signed with the self-issued key, but naming the authorization server: only its key may verify.
    const forged = await mintAccessToken({ aud: HUB, details: GRANT, claims: { iss: 'https://as.example' } });
    await assert.rejects(verify(forged, keys), InvalidTokenError);
    // Signed with the issuer's key, naming nobody: the issuer's key is not tried, the token fails.
    const anonymous = await mintAccessToken({ aud: HUB, details: GRANT, secret: issuerSecret });
    await assert.rejects(verify(anonymous, keys), InvalidTokenError);
  });

  it('[RFC 9068] a token of a bound issuer must carry sub, client_id, iat and jti', async () => {
    const issuerSecret = 'issuer-secret-0123456789abcdef0123456789abcdef';
    const keys = [resolveKeySource({ key: issuerSecret, issuer: 'https://as.example' })];
    const base = { iss: 'https://as.example', sub: 'u1', client_id: 'c1', jti: 'j1' };
    const complete = { ...base, iat: Math.floor(Date.now() / 1000) };
    await verify(await mintAccessToken({ aud: HUB, secret: issuerSecret, claims: complete }), keys);
    const noIat = await mintAccessToken({ aud: HUB, secret: issuerSecret, claims: base });
    await assert.rejects(verify(noIat, keys), /no "iat" claim/);
  });

  it('sub, client_id and jti must be strings when present', async () => {
    await assert.rejects(
      verify(await mintAccessToken({ aud: HUB, claims: { sub: 42 } })),
      /"sub" claim must be a string/,
    );
  });

  it('[spec] malformed authorization details make the token invalid', async () => {
    const token = await mintAccessToken({ aud: HUB, authorizationDetails: { type: 'mercure' } });
    await assert.rejects(verify(token), /must be an array/);
  });
});
