import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MalformedCredentialError, presentedToken } from './token-source.ts';

const q = (s: string) => new URLSearchParams(s);

describe('where the token comes from ([spec] Authorization)', () => {
  it('the Authorization header MUST be used when present; query and cookie MUST be ignored', () => {
    const found = presentedToken(
      'Bearer h.e.ader',
      q('authorization=q.u.ery'),
      'mercureAuthorization=c.o.okie',
      'mercureAuthorization',
    );
    assert.deepEqual(found, { token: 'h.e.ader', source: 'header' });
  });

  it('without a header, the authorization query parameter MUST be used and the cookie ignored', () => {
    const found = presentedToken(
      undefined,
      q('authorization=q.u.ery'),
      'mercureAuthorization=c.o.okie',
      'mercureAuthorization',
    );
    assert.deepEqual(found, { token: 'q.u.ery', source: 'query' });
  });

  it('the mercureAuthorization cookie is used last', () => {
    const found = presentedToken(
      undefined,
      q(''),
      'a=b; mercureAuthorization=c.o.okie',
      'mercureAuthorization',
    );
    assert.deepEqual(found, { token: 'c.o.okie', source: 'cookie' });
  });

  it('the cookie name is configurable (cookie-name discovery attribute)', () => {
    assert.equal(presentedToken(undefined, q(''), 'hub2=x.y.z', 'hub2')?.token, 'x.y.z');
  });

  it('an Authorization header MUST contain "Bearer" and a space before the JWS', () => {
    assert.throws(() => presentedToken('Basic abc', q(''), undefined, 'c'), MalformedCredentialError);
    assert.throws(() => presentedToken('Bearerabc', q(''), undefined, 'c'), MalformedCredentialError);
  });

  it('no credential means anonymous', () => {
    assert.equal(presentedToken(undefined, q('topic=a'), undefined, 'mercureAuthorization'), undefined);
  });
});
