import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { mintAccessToken, type TestDetail } from '../testing/access-token.ts';
import { useTestHub } from '../testing/hub-fixture.ts';
import { openStream } from '../testing/sse-reader.ts';
import { startTestHub } from '../testing/test-hub.ts';

const PUBLISH_ALL: TestDetail[] = [{ actions: ['publish'], topics: [{ match: '*' }] }];

describe('authorization, current protocol ([spec] current: Authorization)', () => {
  const hub = useTestHub({ anonymous: true, corsOrigins: ['https://app.example'] });
  let publisher: string;
  const token = (details: TestDetail[]) => mintAccessToken({ aud: hub.hubUrl, details });
  before(async () => {
    publisher = await token(PUBLISH_ALL);
  });

  it('[spec] a publisher whose token grants publish on the topic publishes', async () => {
    const res = await hub.publish({ topic: 'https://e.com/a', data: 'x' }, publisher);
    assert.equal(res.status, 200);
  });

  it('[spec] without a publish grant on the topic: 403 with error="insufficient_scope"', async () => {
    const subscriberOnly = await token([{ actions: ['subscribe'], topics: [{ match: '*' }] }]);
    const res = await hub.publish({ topic: 'https://e.com/a', data: 'x' }, subscriberOnly);
    assert.equal(res.status, 403);
    assert.match(res.headers.get('www-authenticate') ?? '', /error="insufficient_scope"/);
  });

  it('[spec] a token failing validation: 401 with error="invalid_token"', async () => {
    const expired = await mintAccessToken({ aud: hub.hubUrl, details: PUBLISH_ALL, expiresIn: -5 });
    const res = await hub.publish({ topic: 'https://e.com/a', data: 'x' }, expired);
    assert.equal(res.status, 401);
    assert.match(res.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
  });

  it('[spec] a private update reaches only subscribers whose token grants subscribe on its topic', async () => {
    const url = hub.urlWith([['match_urlpattern', 'https://e.com/books/:id']]);
    const reader = await token([{ actions: ['subscribe'], topics: [{ match: 'https://e.com/books/1' }] }]);
    const allowed = await openStream(url, { authorization: `Bearer ${reader}` });
    const anonymous = await openStream(url);
    await hub.publish({ topic: 'https://e.com/books/2', data: 'not yours', private: 'on' }, publisher);
    await hub.publish({ topic: 'https://e.com/books/1', data: 'yours', private: '' }, publisher);
    await hub.publish({ topic: 'https://e.com/books/3', data: 'public' }, publisher);
    const events = await allowed.waitForEvents(2);
    assert.deepEqual(
      events.map((e) => e.data),
      ['yours', 'public'],
    );
    const [first] = await anonymous.waitForEvents(1);
    assert.equal(first?.data, 'public');
    allowed.close();
    anonymous.close();
  });

  it('[spec] the Authorization header wins over the cookie', async () => {
    const res = await fetch(hub.hubUrl, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${publisher}`,
        cookie: 'mercureAuthorization=not-a-token',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'topic=https://e.com/h&data=x',
    });
    assert.equal(res.status, 200);
  });

  it('a browser presents the access token in the cookie', async () => {
    const reader = await token([{ actions: ['subscribe'], topics: [{ match: '*' }] }]);
    const stream = await openStream(hub.urlWith([['match', 'https://e.com/c']]), {
      cookie: `mercureAuthorization=${reader}`,
      origin: 'https://app.example',
    });
    await hub.publish({ topic: 'https://e.com/c', data: 'secret', private: 'on' }, publisher);
    const [event] = await stream.waitForEvents(1);
    assert.equal(event?.data, 'secret');
    stream.close();
  });

  it('[spec] the access_token query parameter is not supported: 400 with error="invalid_request"', async () => {
    const reader = await token([{ actions: ['subscribe'], topics: [{ match: '*' }] }]);
    for (const name of ['access_token', 'authorization']) {
      const res = await fetch(
        hub.urlWith([
          ['match', 'https://e.com/q'],
          [name, reader],
        ]),
      );
      assert.equal(res.status, 400, name);
      assert.match(res.headers.get('www-authenticate') ?? '', /error="invalid_request"/, name);
    }
  });

  it('a classic token in the authorization query parameter of a match request is refused too (400)', async () => {
    const classic = await hub.token({ subscribe: ['*'] });
    const res = await fetch(
      hub.urlWith([
        ['match', 'https://e.com/q'],
        ['authorization', classic],
      ]),
    );
    assert.equal(res.status, 400);
  });

  it('[spec] a malformed Authorization header on a current request: 400 with error="invalid_request"', async () => {
    const res = await fetch(hub.urlWith([['match', 'https://e.com/m']]), {
      headers: { authorization: 'Basic abc' },
    });
    assert.equal(res.status, 400);
    assert.match(res.headers.get('www-authenticate') ?? '', /error="invalid_request"/);
  });

  it('[spec] with an Authorization header, the access_token query parameter MUST be ignored', async () => {
    const url = hub.urlWith([
      ['match', 'https://e.com/q'],
      ['access_token', 'whatever'],
    ]);
    const stream = await openStream(url, { authorization: `Bearer ${publisher}` });
    assert.equal(stream.status, 200);
    stream.close();
  });

  it('a classic token still works beside access tokens (protocol both)', async () => {
    const classic = await hub.token({ publish: ['*'] });
    assert.equal((await hub.publish({ topic: 'https://e.com/classic', data: 'x' }, classic)).status, 200);
  });
});

describe('protocol setting (tokens)', () => {
  it('protocol "current" refuses classic tokens with 401 invalid_token', async () => {
    const hub = await startTestHub({ protocol: 'current' });
    const classic = await hub.token({ publish: ['*'] });
    const res = await hub.publish({ topic: 'https://e.com/a', data: 'x' }, classic);
    assert.equal(res.status, 401);
    assert.match(await res.text(), /only at\+jwt/);
    await hub.close();
  });

  it('protocol "classic" reads an at+jwt token as a plain JWT: no mercure claim, no right to publish', async () => {
    const hub = await startTestHub({ protocol: 'classic' });
    const access = await mintAccessToken({ aud: hub.hubUrl, details: PUBLISH_ALL });
    const res = await hub.publish({ topic: 'https://e.com/a', data: 'x' }, access);
    assert.equal(res.status, 403);
    await hub.close();
  });

  it('protocol "classic" ignores an access_token query parameter, as any unknown parameter', async () => {
    const hub = await startTestHub({ protocol: 'classic', anonymous: true });
    const stream = await openStream(hub.subscribeUrl(['https://e.com/a'], { access_token: 'x' }));
    assert.equal(stream.status, 200);
    stream.close();
    await hub.close();
  });
});

describe('publication, current protocol ([spec] current: Publication)', () => {
  const hub = useTestHub();
  let publisher: string;
  before(async () => {
    publisher = await mintAccessToken({ aud: hub.hubUrl, details: PUBLISH_ALL });
  });

  async function publish(fields: [string, string][]): Promise<number> {
    return (await hub.publish(fields, publisher)).status;
  }

  it('[spec] "a request carrying more than one topic field MUST be rejected with a 400"', async () => {
    assert.equal(
      await publish([
        ['topic', 'https://e.com/a'],
        ['topic', 'https://e.com/b'],
      ]),
      400,
    );
  });

  it('refuses * as a topic: it is the reserved wildcard (400)', async () => {
    assert.equal(await publish([['topic', '*']]), 400);
  });

  it('[spec] the id "MUST NOT be the reserved value earliest" (400)', async () => {
    assert.equal(
      await publish([
        ['topic', 'https://e.com/a'],
        ['id', 'earliest'],
      ]),
      400,
    );
  });

  it('[spec] topics and ids with Unicode format characters are rejected (400)', async () => {
    assert.equal(await publish([['topic', 'https://e.com/\u200ba']]), 400);
    assert.equal(
      await publish([
        ['topic', 'https://e.com/a'],
        ['id', 'a\u2066b'],
      ]),
      400,
    );
  });

  it('[spec] type with control or format characters: "hubs MUST reject violating values with a 400"', async () => {
    assert.equal(
      await publish([
        ['topic', 'https://e.com/a'],
        ['type', 'a\u0001'],
      ]),
      400,
    );
    assert.equal(
      await publish([
        ['topic', 'https://e.com/a'],
        ['type', 'a\u200bb'],
      ]),
      400,
    );
  });

  it('[spec] retry "MUST consist solely of ASCII digits" (400)', async () => {
    assert.equal(
      await publish([
        ['topic', 'https://e.com/a'],
        ['retry', '-1'],
      ]),
      400,
    );
    assert.equal(
      await publish([
        ['topic', 'https://e.com/a'],
        ['retry', '1e3'],
      ]),
      400,
    );
    assert.equal(
      await publish([
        ['topic', 'https://e.com/a'],
        ['retry', '1000'],
      ]),
      200,
    );
  });

  it('[spec] "hubs MUST ignore fields they do not recognize"', async () => {
    assert.equal(
      await publish([
        ['topic', 'https://e.com/a'],
        ['future', 'x'],
      ]),
      200,
    );
  });

  it('[spec] the reserved namespace, after dot-segment removal and percent-decoding: 403', async () => {
    const origin = new URL(hub.hubUrl).origin;
    for (const topic of [
      '/.well-known/mercure/subscriptions/x',
      `${origin}/.well-known/%6Dercure/subscriptions/x`,
      'https://elsewhere.example/.well-known/mercure/../mercure/x',
      '/a/%2E%2E/.well-known/mercure',
    ]) {
      assert.equal(await publish([['topic', topic]]), 403, topic);
    }
    assert.equal(await publish([['topic', '/.well-known/mercurex']]), 200);
  });

  it('[spec] a field over a length limit: "MUST be rejected with a 413"', async () => {
    assert.equal(await publish([['topic', `https://e.com/${'a'.repeat(3000)}`]]), 413);
    assert.equal(
      await publish([
        ['topic', 'https://e.com/a'],
        ['id', 'i'.repeat(2000)],
      ]),
      413,
    );
  });
});

describe('access token lifetime ([spec] current: Subscribers)', () => {
  it('[spec] "the hub MUST close the connection no later than the token\'s exp time"', async () => {
    const hub = await startTestHub();
    const details = [{ actions: ['subscribe'], topics: [{ match: '*' }] }];
    const reader = await mintAccessToken({ aud: hub.hubUrl, details, expiresIn: 1 });
    const stream = await openStream(hub.urlWith([['match', 'https://e.com/a']]), {
      authorization: `Bearer ${reader}`,
    });
    assert.equal(stream.status, 200);
    await stream.ended;
    await hub.close();
  });
});

describe('connection lifetime ([spec] current: Subscribers)', () => {
  it('[spec] hubs "SHOULD also impose a maximum connection lifetime independent of exp"', async () => {
    const hub = await startTestHub({ anonymous: true, limits: { maxConnectionLifetime: 200 } });
    const stream = await openStream(hub.urlWith([['match', 'https://e.com/a']]));
    assert.equal(stream.status, 200);
    await stream.ended;
    await hub.close();
  });
});
