import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mintAccessToken } from '../testing/access-token.ts';
import { authorizationCookie, mercureLink } from './discovery.ts';

describe('discovery helpers ([spec] Discovery)', () => {
  it('builds a Link header with rel="mercure" pointing at the hub', () => {
    assert.equal(
      mercureLink('https://example.com/.well-known/mercure'),
      '<https://example.com/.well-known/mercure>; rel="mercure"',
    );
  });

  it('adds the optional last-event-id, content-type, cookie-name and key-set attributes, quoted', () => {
    const link = mercureLink('https://example.com/.well-known/mercure', {
      lastEventId: 'urn:uuid:1',
      contentType: 'application/merge-patch+json',
      cookieName: 'hub2',
      keySet: 'https://example.com/keys.jwks',
    });
    assert.equal(
      link,
      '<https://example.com/.well-known/mercure>; rel="mercure"; last-event-id="urn:uuid:1"; ' +
        'content-type="application/merge-patch+json"; cookie-name="hub2"; key-set="https://example.com/keys.jwks"',
    );
  });

  it('[spec] Topic Discovery: the publisher MAY include one rel="self" link with the canonical topic URL', () => {
    assert.equal(
      mercureLink('https://example.com/.well-known/mercure', {
        self: '/books/foo.jsonld',
        lastEventId: 'urn:uuid:1',
      }),
      '<https://example.com/.well-known/mercure>; rel="mercure"; last-event-id="urn:uuid:1", ' +
        '</books/foo.jsonld>; rel="self"',
    );
  });

  it('encodes the rel="self" target once, as the hub link', () => {
    assert.equal(
      mercureLink('https://example.com/.well-known/mercure', { self: 'https://example.com/books/a b%20c' }),
      '<https://example.com/.well-known/mercure>; rel="mercure", <https://example.com/books/a%20b%20c>; rel="self"',
    );
  });

  it('[spec] current: an access token goes in the cookie it RECOMMENDS, __Secure-mercure_access_token', async () => {
    const token = await mintAccessToken({ aud: 'https://example.com/.well-known/mercure', details: [] });
    assert.equal(
      authorizationCookie(token),
      `__Secure-mercure_access_token=${token}; Path=/.well-known/mercure; Secure; HttpOnly; SameSite=Strict`,
    );
  });

  it('makes the authorization cookie Secure, HttpOnly and SameSite, with the hub path ([spec] Cookie)', () => {
    assert.equal(
      authorizationCookie('a.b.c'),
      'mercureAuthorization=a.b.c; Path=/.well-known/mercure; Secure; HttpOnly; SameSite=Strict',
    );
    assert.equal(
      authorizationCookie('a.b.c', {
        name: 'hub2',
        domain: 'example.com',
        maxAgeSeconds: 60,
        sameSite: 'Lax',
      }),
      'hub2=a.b.c; Path=/.well-known/mercure; Secure; HttpOnly; SameSite=Lax; Domain=example.com; Max-Age=60',
    );
  });
});
