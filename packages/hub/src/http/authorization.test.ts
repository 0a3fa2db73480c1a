import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { SignJWT, UnsecuredJWT } from 'jose';
import { useTestHub } from '../testing/hub-fixture.ts';
import { openStream } from '../testing/sse-reader.ts';
import { startTestHub, TEST_SECRET } from '../testing/test-hub.ts';

const secret = new TextEncoder().encode(TEST_SECRET);
const claims = { mercure: { publish: ['*'], subscribe: ['*'] } };

describe('authorization matrix for publishers ([spec] Authorization; RFC 6750)', () => {
  const hub = useTestHub({ anonymous: true });

  it('no token: 401 with a Bearer challenge', async () => {
    const res = await hub.publish({ topic: 'a', data: 'x' });
    assert.equal(res.status, 401);
    // No error code; with the current protocol on, the challenge also points at the resource metadata.
    assert.match(
      res.headers.get('www-authenticate') ?? '',
      /^Bearer realm="mercure"(, resource_metadata="[^"]+")?$/,
    );
  });

  it('bad signature: 401 invalid_token', async () => {
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode('x'));
    const res = await hub.publish({ topic: 'a' }, token);
    assert.equal(res.status, 401);
    assert.match(res.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
    assert.match(await res.text(), /signature/);
  });

  it('alg "none": 401', async () => {
    const res = await hub.publish({ topic: 'a' }, new UnsecuredJWT(claims).encode());
    assert.equal(res.status, 401);
  });

  it('wrong algorithm (HS256 where only HS512 is accepted): 401', async () => {
    const strict = await startTestHub({ publisherKeys: [{ key: TEST_SECRET, algorithms: ['HS512'] }] });
    const token = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(secret);
    const res = await strict.publish({ topic: 'a' }, token);
    assert.equal(res.status, 401);
    assert.match(await res.text(), /algorithm/);
    await strict.close();
  });

  it('expired token: 401', async () => {
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime(Math.floor(Date.now() / 1000) - 5)
      .sign(secret);
    const res = await hub.publish({ topic: 'a' }, token);
    assert.equal(res.status, 401);
    assert.match(await res.text(), /expired/);
  });

  it('a malformed Authorization header: 401', async () => {
    // A classic-only hub: under `both`, a POST announces no protocol and the current text's 400 applies.
    const classic = await startTestHub({ protocol: 'classic' });
    const res = await fetch(classic.hubUrl, {
      method: 'POST',
      headers: { authorization: 'Token abc', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'topic=a',
    });
    assert.equal(res.status, 401);
    await classic.close();
  });

  it('topics not covered by mercure.publish: 403 and nothing is dispatched', async () => {
    const stream = await openStream(hub.subscribeUrl(['*']));
    const token = await hub.token({ publish: ['https://e.com/allowed/{id}'] });
    const refused = await hub.publish(
      [
        ['topic', 'https://e.com/allowed/1'],
        ['topic', 'https://e.com/forbidden'],
        ['data', 'refused'],
      ],
      token,
    );
    assert.equal(refused.status, 403);
    assert.equal(
      (await hub.publish({ topic: 'https://e.com/allowed/2', data: 'accepted' }, token)).status,
      200,
    );
    const [event] = await stream.waitForEvents(1);
    assert.equal(event?.data, 'accepted');
    stream.close();
  });

  it('a token without mercure.publish: 403', async () => {
    const token = await hub.token({ subscribe: ['*'] });
    assert.equal((await hub.publish({ topic: 'a' }, token)).status, 403);
  });

  it('[spec] a token whose mercure.publish is an empty array: 403 for a public update too, nothing dispatched', async () => {
    const token = await hub.token({ publish: [] });
    const stream = await openStream(hub.subscribeUrl(['https://e.com/empty-claim']));
    const refused = await hub.publish({ topic: 'https://e.com/empty-claim', data: 'public' }, token);
    assert.equal(refused.status, 403);
    assert.match(await refused.text(), /claim is empty/);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(stream.events.length, 0);
    stream.close();
  });
});

describe('where subscribers present their token ([spec] Authorization)', () => {
  const hub = useTestHub({ anonymous: false, corsOrigins: ['https://app.example'] });
  let valid: string;
  const invalid = 'eyJhbGciOiJIUzI1NiJ9.e30.invalid-signature';
  before(async () => {
    valid = await hub.token({ subscribe: ['*'] });
  });

  async function status(query: Record<string, string>, headers: Record<string, string>): Promise<number> {
    const stream = await openStream(hub.subscribeUrl(['a'], query), headers);
    stream.close();
    return stream.status;
  }

  it('anonymous subscribers are refused with 401 when the hub does not allow them', async () => {
    assert.equal(await status({}, {}), 401);
  });

  it('the Authorization header wins: a bad query token and cookie are ignored', async () => {
    const code = await status(
      { authorization: invalid },
      {
        authorization: `Bearer ${valid}`,
        cookie: `mercureAuthorization=${invalid}`,
        origin: 'https://app.example',
      },
    );
    assert.equal(code, 200);
  });

  it('the Authorization header wins: a bad header is refused even with a good query token', async () => {
    assert.equal(await status({ authorization: valid }, { authorization: `Bearer ${invalid}` }), 401);
  });

  it('the query parameter comes before the cookie', async () => {
    const cookie = `mercureAuthorization=${invalid}`;
    assert.equal(await status({ authorization: valid }, { cookie, origin: 'https://app.example' }), 200);
    assert.equal(await status({ authorization: invalid }, { cookie: `mercureAuthorization=${valid}` }), 401);
  });

  it('SHOULD answer a query-authorized stream with Cache-Control: private', async () => {
    const stream = await openStream(hub.subscribeUrl(['a'], { authorization: valid }));
    assert.match(String(stream.headers['cache-control']), /private/);
    stream.close();
  });

  it('the mercureAuthorization cookie works from an allowed origin', async () => {
    assert.equal(
      await status({}, { cookie: `mercureAuthorization=${valid}`, origin: 'https://app.example' }),
      200,
    );
  });

  it('cookie authorization from a foreign origin is refused with 403 (CSRF)', async () => {
    assert.equal(
      await status({}, { cookie: `mercureAuthorization=${valid}`, origin: 'https://evil.example' }),
      403,
    );
  });

  it('cookie authorization without Origin or Referer is refused (CSRF)', async () => {
    assert.equal(await status({}, { cookie: `mercureAuthorization=${valid}` }), 403);
  });

  it('cookie authorization with an allowed Referer is accepted', async () => {
    const headers = { cookie: `mercureAuthorization=${valid}`, referer: 'https://app.example/page' };
    assert.equal(await status({}, headers), 200);
  });

  it("cookie authorization from the hub's own origin is accepted", async () => {
    const own = new URL(hub.url).origin;
    assert.equal(await status({}, { cookie: `mercureAuthorization=${valid}`, origin: own }), 200);
  });
});

describe("the hub's own origin behind a TLS-terminating proxy (cookie CSRF check)", () => {
  async function cookieStatus(trustProxy: boolean, proto: string): Promise<number> {
    const hub = await startTestHub({ anonymous: false, trustProxy });
    try {
      const token = await hub.token({ subscribe: ['*'] });
      // The browser talks https to the proxy; the proxy talks http to the hub.
      const origin = new URL(hub.url).origin.replace(/^http:/, 'https:');
      const stream = await openStream(hub.subscribeUrl(['a']), {
        cookie: `mercureAuthorization=${token}`,
        origin,
        'x-forwarded-proto': proto,
      });
      stream.close();
      return stream.status;
    } finally {
      await hub.close();
    }
  }

  it('with trustProxy, X-Forwarded-Proto: https makes https://<host> the own origin', async () => {
    assert.equal(await cookieStatus(true, 'https'), 200);
  });

  it('with trustProxy, only the first X-Forwarded-Proto value counts', async () => {
    assert.equal(await cookieStatus(true, 'https, http'), 200);
    assert.equal(await cookieStatus(true, 'http, https'), 403);
  });

  it('with trustProxy, an X-Forwarded-Proto other than http or https is ignored', async () => {
    assert.equal(await cookieStatus(true, 'ftp'), 403);
  });

  it('without trustProxy, X-Forwarded-Proto is ignored (a client could forge it)', async () => {
    assert.equal(await cookieStatus(false, 'https'), 403);
  });

  it('with trustProxy, a cookie-authorized publish from https://<host> is accepted', async () => {
    const hub = await startTestHub({ anonymous: false, trustProxy: true });
    try {
      const token = await hub.token({ publish: ['*'] });
      const response = await fetch(hub.hubUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          cookie: `mercureAuthorization=${token}`,
          origin: new URL(hub.url).origin.replace(/^http:/, 'https:'),
          'x-forwarded-proto': 'https',
        },
        body: 'topic=a&data=x',
      });
      assert.equal(response.status, 200);
    } finally {
      await hub.close();
    }
  });
});

describe('private updates and token lifetime ([spec] Authorization: Subscribers)', () => {
  const hub = useTestHub({ anonymous: true });
  let publisher: string;
  before(async () => {
    publisher = await hub.token({ publish: ['*'] });
  });

  it('a private update MUST NOT reach a subscriber whose mercure.subscribe does not match its topics', async () => {
    const anonymous = await openStream(hub.subscribeUrl(['https://e.com/p/{id}']));
    const other = await openStream(hub.subscribeUrl(['https://e.com/p/{id}']), {
      authorization: `Bearer ${await hub.token({ subscribe: ['https://e.com/p/2'] })}`,
    });
    const allowed = await openStream(hub.subscribeUrl(['https://e.com/p/{id}']), {
      authorization: `Bearer ${await hub.token({ subscribe: ['https://e.com/p/1'] })}`,
    });
    await hub.publish({ topic: 'https://e.com/p/1', data: 'secret', private: 'on' }, publisher);
    await hub.publish({ topic: 'https://e.com/p/3', data: 'public' }, publisher);
    const [first] = await allowed.waitForEvents(1);
    assert.equal(first?.data, 'secret');
    for (const stream of [anonymous, other]) {
      const [event] = await stream.waitForEvents(1);
      assert.equal(event?.data, 'public');
    }
    for (const stream of [anonymous, other, allowed]) stream.close();
  });

  it('the private field makes an update private whatever its value, even empty', async () => {
    const anonymous = await openStream(hub.subscribeUrl(['https://e.com/q']));
    await hub.publish({ topic: 'https://e.com/q', data: 'secret', private: '' }, publisher);
    await hub.publish({ topic: 'https://e.com/q', data: 'public' }, publisher);
    const [event] = await anonymous.waitForEvents(1);
    assert.equal(event?.data, 'public');
    anonymous.close();
  });

  it("a token's exp closes the connection at that time, not before", async () => {
    // 4 s of margin: the subscribe must be verified before exp even on a loaded machine.
    const exp = Math.floor(Date.now() / 1000) + 4;
    const token = await new SignJWT({ mercure: { subscribe: ['*'] } })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime(exp)
      .sign(secret);
    const stream = await openStream(hub.subscribeUrl(['a']), { authorization: `Bearer ${token}` });
    assert.equal(stream.status, 200);
    await stream.ended;
    assert.ok(Date.now() >= exp * 1000, `closed ${exp * 1000 - Date.now()} ms before exp`);
    const metrics = await (await fetch(`${hub.url}/metrics`)).text();
    assert.match(metrics, /spout_hub_disconnects_total\{cause="expired"\} 1/);
  });
});
