import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, UnsecuredJWT } from 'jose';
import { createTokenVerifier, InvalidTokenError } from './verifier.ts';

const SECRET = 'a-test-secret-that-is-long-enough-for-hs512-signatures-0123456789';
const claims = { mercure: { publish: ['*'], subscribe: ['https://e.com/{x}'], payload: { user: 1 } } };

function hmac(alg: string, secret = SECRET): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg }).sign(new TextEncoder().encode(secret));
}

describe('token verification (JWS, RFC 7515)', () => {
  for (const alg of ['HS256', 'HS384', 'HS512']) {
    it(`accepts ${alg} tokens signed with the shared secret`, async () => {
      const verified = await createTokenVerifier([{ key: SECRET }]).verify(await hmac(alg));
      assert.equal(verified.claims.publish?.[0]?.raw, '*');
      assert.deepEqual(verified.claims.payload, { user: 1 });
    });
  }

  for (const alg of [
    'RS256',
    'RS384',
    'RS512',
    'PS256',
    'PS384',
    'PS512',
    'ES256',
    'ES384',
    'ES512',
    'EdDSA',
  ]) {
    it(`accepts ${alg} tokens verified with a PEM public key`, async () => {
      const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
      const token = await new SignJWT(claims).setProtectedHeader({ alg }).sign(privateKey);
      const verifier = createTokenVerifier([{ key: await exportSPKI(publicKey) }]);
      const verified = await verifier.verify(token);
      assert.equal(verified.claims.subscribe?.[0]?.raw, 'https://e.com/{x}');
    });
  }

  it('accepts tokens whose key is in a JWKS file', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' };
    const dir = mkdtempSync(join(tmpdir(), 'spout-jwks-'));
    const path = join(dir, 'jwks.json');
    writeFileSync(path, JSON.stringify({ keys: [jwk] }));
    const token = await new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).sign(privateKey);
    const verified = await createTokenVerifier([{ jwksFile: path }]).verify(token);
    assert.equal(verified.claims.publish?.length, 1);
  });

  it('accepts tokens whose key is in a JWKS fetched from a URL, and refuses keys that are not', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
    const jwk = { ...(await exportJWK(publicKey)), kid: 'remote-1', alg: 'RS256', use: 'sig' };
    let fetches = 0;
    const server = createServer((_req, res) => {
      fetches++;
      res.writeHead(200, { 'content-type': 'application/jwk-set+json' });
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const verifier = createTokenVerifier([{ jwksUrl: `http://127.0.0.1:${port}/jwks.json` }]);
      const token = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: 'remote-1' })
        .sign(privateKey);
      const verified = await verifier.verify(token);
      assert.deepEqual(verified.claims.payload, { user: 1 });
      assert.ok(fetches >= 1, 'the key set was fetched from the URL');
      const stranger = await generateKeyPair('RS256', { extractable: true });
      const forged = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: 'remote-1' })
        .sign(stranger.privateKey);
      await assert.rejects(verifier.verify(forged), InvalidTokenError);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('reads the namespaced claim "https://mercure.rocks/" as the Go hub does', async () => {
    const token = await new SignJWT({ 'https://mercure.rocks/': claims.mercure })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(SECRET));
    const verified = await createTokenVerifier([{ key: SECRET }]).verify(token);
    assert.equal(verified.claims.publish?.[0]?.raw, '*');
  });

  it('rejects a token with a bad signature', async () => {
    const token = await hmac('HS256', 'another-secret');
    await assert.rejects(createTokenVerifier([{ key: SECRET }]).verify(token), /signature is invalid/);
  });

  it('rejects alg "none" (an unsecured JWS proves nothing)', async () => {
    const token = new UnsecuredJWT(claims).encode();
    await assert.rejects(createTokenVerifier([{ key: SECRET }]).verify(token), InvalidTokenError);
  });

  it('rejects a token signed with an algorithm that is not accepted', async () => {
    const verifier = createTokenVerifier([{ key: SECRET, algorithms: ['HS512'] }]);
    await assert.rejects(verifier.verify(await hmac('HS256')), /algorithm is not accepted/);
  });

  it('rejects an HMAC token when the hub expects an RSA key (algorithm confusion)', async () => {
    const { publicKey } = await generateKeyPair('RS256', { extractable: true });
    const pem = await exportSPKI(publicKey);
    const forged = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(pem));
    await assert.rejects(createTokenVerifier([{ key: pem }]).verify(forged), InvalidTokenError);
  });

  it('rejects an expired token', async () => {
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime(Math.floor(Date.now() / 1000) - 10)
      .sign(new TextEncoder().encode(SECRET));
    await assert.rejects(createTokenVerifier([{ key: SECRET }]).verify(token), /expired/);
  });

  it('reports when exp is set', async () => {
    const exp = Math.floor(Date.now() / 1000) + 60;
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime(exp)
      .sign(new TextEncoder().encode(SECRET));
    const verified = await createTokenVerifier([{ key: SECRET }]).verify(token);
    assert.equal(verified.expiresAt, exp * 1000);
  });

  it('rejects a malformed mercure claim with a message naming it', async () => {
    const token = await new SignJWT({ mercure: { publish: 'x' } })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(SECRET));
    await assert.rejects(createTokenVerifier([{ key: SECRET }]).verify(token), /mercure\.publish/);
  });

  it('refuses to be configured with alg "none"', () => {
    assert.throws(() => createTokenVerifier([{ key: SECRET, algorithms: ['none'] }]), /never accepted/);
  });
});

describe('verified token cache', () => {
  it('refuses a remembered token once it has expired', async () => {
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime(Math.floor(Date.now() / 1000) + 1)
      .sign(new TextEncoder().encode(SECRET));
    const verifier = createTokenVerifier([{ key: SECRET }]);
    await verifier.verify(token);
    await verifier.verify(token);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await assert.rejects(verifier.verify(token), /expired/);
  });

  it('never accepts a different token because a similar one was remembered', async () => {
    const verifier = createTokenVerifier([{ key: SECRET }]);
    const good = await hmac('HS256');
    await verifier.verify(good);
    const tampered = `${good.slice(0, -2)}${good.endsWith('A') ? 'B' : 'A'}A`;
    await assert.rejects(verifier.verify(tampered), InvalidTokenError);
  });
});

describe('expected registered claims', () => {
  it('refuses a token without the configured audience, accepts one with it', async () => {
    const verifier = createTokenVerifier([{ key: SECRET }], { audience: ['https://hub.example'] });
    await assert.rejects(verifier.verify(await hmac('HS256')), /"aud" claim/);
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setAudience('https://hub.example')
      .sign(new TextEncoder().encode(SECRET));
    assert.equal((await verifier.verify(token)).claims.publish?.[0]?.raw, '*');
  });

  it('refuses a token from another issuer', async () => {
    const verifier = createTokenVerifier([{ key: SECRET }], { issuer: 'https://auth.example' });
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('https://evil.example')
      .sign(new TextEncoder().encode(SECRET));
    await assert.rejects(verifier.verify(token), /"iss" claim/);
  });
});
