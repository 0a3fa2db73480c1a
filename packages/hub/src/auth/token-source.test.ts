import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cookieNames, MalformedCredentialError, presentedToken } from './token-source.ts';

const q = (s: string) => new URLSearchParams(s);

/** The token a request with only these cookies presents, under the default cookie names. */
const cookieToken = (cookie: string, protocol: 'classic' | 'current' | undefined) =>
  presentedToken(undefined, q(''), cookie, cookieNames(undefined, protocol))?.token;

describe('where the token comes from ([spec] Authorization)', () => {
  it('the Authorization header MUST be used when present; query and cookie MUST be ignored', () => {
    const found = presentedToken(
      'Bearer h.e.ader',
      q('authorization=q.u.ery'),
      'mercureAuthorization=c.o.okie',
      ['mercureAuthorization'],
    );
    assert.deepEqual(found, { token: 'h.e.ader', source: 'header' });
  });

  it('without a header, the authorization query parameter MUST be used and the cookie ignored', () => {
    const found = presentedToken(undefined, q('authorization=q.u.ery'), 'mercureAuthorization=c.o.okie', [
      'mercureAuthorization',
    ]);
    assert.deepEqual(found, { token: 'q.u.ery', source: 'query' });
  });

  it('the mercureAuthorization cookie is used last', () => {
    const found = presentedToken(undefined, q(''), 'a=b; mercureAuthorization=c.o.okie', [
      'mercureAuthorization',
    ]);
    assert.deepEqual(found, { token: 'c.o.okie', source: 'cookie' });
  });

  it('the cookie name is configurable (cookie-name discovery attribute)', () => {
    assert.equal(presentedToken(undefined, q(''), 'hub2=x.y.z', ['hub2'])?.token, 'x.y.z');
  });

  it('[spec] current: a current request reads the RECOMMENDED __Secure-mercure_access_token cookie first', () => {
    const both = 'mercureAuthorization=c.l.assic; __Secure-mercure_access_token=a.c.cess';
    assert.equal(cookieToken(both, 'current'), 'a.c.cess');
    assert.equal(cookieToken('mercureAuthorization=c.l.assic', 'current'), 'c.l.assic');
  });

  it('[spec] classic: a classic request, or one announcing no protocol, reads mercureAuthorization first', () => {
    const both = '__Secure-mercure_access_token=a.c.cess; mercureAuthorization=c.l.assic';
    assert.equal(cookieToken(both, 'classic'), 'c.l.assic');
    assert.equal(cookieToken(both, undefined), 'c.l.assic');
    assert.equal(cookieToken('__Secure-mercure_access_token=a.c.cess', 'classic'), 'a.c.cess');
  });

  it('a configured cookie name is the only one read, whatever the protocol', () => {
    assert.deepEqual(cookieNames('hub2', 'current'), ['hub2']);
    assert.deepEqual(cookieNames('hub2', 'classic'), ['hub2']);
  });

  it('an Authorization header MUST contain "Bearer" and a space before the JWS', () => {
    assert.throws(() => presentedToken('Basic abc', q(''), undefined, ['c']), MalformedCredentialError);
    assert.throws(() => presentedToken('Bearerabc', q(''), undefined, ['c']), MalformedCredentialError);
  });

  it('no credential means anonymous', () => {
    assert.equal(presentedToken(undefined, q('topic=a'), undefined, ['mercureAuthorization']), undefined);
  });
});
