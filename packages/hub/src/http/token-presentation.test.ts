import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { mintAccessToken } from '../testing/access-token.ts';
import { useTestHub } from '../testing/hub-fixture.ts';
import { openStream } from '../testing/sse-reader.ts';
import { startTestHub } from '../testing/test-hub.ts';

const SUBSCRIBE_ALL = [{ actions: ['subscribe'], topics: [{ match: '*' }] }];
const GARBAGE = 'not.a.token';

describe('presenting a token under protocol both ([spec] current: Presenting the Access Token; classic: Authorization)', () => {
  const hub = useTestHub();
  let access: string;
  let classic: string;
  before(async () => {
    access = await mintAccessToken({ aud: hub.hubUrl, details: SUBSCRIBE_ALL });
    classic = await hub.token({ subscribe: ['*'] });
  });

  /** The status of a subscription with these cookies, from the hub's own origin (CSRF check). */
  async function statusWithCookie(url: string, cookie: string): Promise<number> {
    const stream = await openStream(url, { cookie, origin: hub.url });
    stream.close();
    return stream.status;
  }

  it('[spec] current: the cookie it RECOMMENDS, __Secure-mercure_access_token, authorizes a current request', async () => {
    const url = hub.urlWith([['match', 'https://e.com/c']]);
    assert.equal(await statusWithCookie(url, `__Secure-mercure_access_token=${access}`), 200);
  });

  it('[spec] classic: the mercureAuthorization cookie still authorizes a classic request', async () => {
    assert.equal(
      await statusWithCookie(hub.subscribeUrl(['https://e.com/c']), `mercureAuthorization=${classic}`),
      200,
    );
  });

  it('with both cookies, a current request reads __Secure-mercure_access_token, a classic one mercureAuthorization', async () => {
    const current = hub.urlWith([['match', 'https://e.com/c']]);
    const forCurrent = `mercureAuthorization=${GARBAGE}; __Secure-mercure_access_token=${access}`;
    assert.equal(await statusWithCookie(current, forCurrent), 200);
    const forClassic = `__Secure-mercure_access_token=${GARBAGE}; mercureAuthorization=${classic}`;
    assert.equal(await statusWithCookie(hub.subscribeUrl(['https://e.com/c']), forClassic), 200);
  });

  it('a configured cookieName is the only cookie read', async () => {
    const named = await startTestHub({ cookieName: 'hub2' });
    const url = named.urlWith([['match', 'https://e.com/c']]);
    const token = await mintAccessToken({ aud: named.hubUrl, details: SUBSCRIBE_ALL });
    const refused = await openStream(url, {
      cookie: `__Secure-mercure_access_token=${token}`,
      origin: named.url,
    });
    refused.close();
    const accepted = await openStream(url, { cookie: `hub2=${token}`, origin: named.url });
    accepted.close();
    await named.close();
    assert.equal(refused.status, 401);
    assert.equal(accepted.status, 200);
  });

  it('[spec] current: a malformed Authorization header on a POST is answered 400 with error="invalid_request"', async () => {
    // A POST announces no protocol before its token is read, and the classic text sets no status for this.
    const res = await fetch(hub.hubUrl, {
      method: 'POST',
      headers: { authorization: 'Token abc', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'topic=https://e.com/a',
    });
    assert.equal(res.status, 400);
    assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer .*error="invalid_request"/);
  });

  it('a malformed Authorization header on a classic request (topic) keeps the classic 401 invalid_token', async () => {
    const res = await fetch(hub.subscribeUrl(['https://e.com/a']), {
      headers: { authorization: 'Basic abc' },
    });
    assert.equal(res.status, 401);
    assert.match(res.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
  });
});
