import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
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
