import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { mintAccessToken } from '../testing/access-token.ts';
import { useTestHub } from '../testing/hub-fixture.ts';
import { openStream } from '../testing/sse-reader.ts';

const EVENTS = '/.well-known/mercure/subscriptions/:type/:match/:subscriber';

describe('active subscriptions, current protocol ([spec] current: Subscription Events; Subscription API)', () => {
  const hub = useTestHub({ anonymous: true, subscriptions: true });
  let watcher: string;
  before(async () => {
    const topics = [{ match: '/.well-known/mercure/subscriptions{/*}?', match_type: 'urlpattern' }];
    watcher = await mintAccessToken({ aud: hub.hubUrl, details: [{ actions: ['subscribe'], topics }] });
  });

  it('[spec] events have the topic .../subscriptions/{match_type}/{match}/{subscriber}, with match_type and match', async () => {
    const reader = await mintAccessToken({
      aud: hub.hubUrl,
      details: [{ actions: ['subscribe'], topics: [{ match: '*' }], payload: { tenant: 't1' } }],
    });
    const events = await openStream(hub.urlWith([['match_urlpattern', EVENTS]]), {
      authorization: `Bearer ${watcher}`,
    });
    const subscriber = await openStream(hub.urlWith([['match_urlpattern', 'https://e.com/b/:id']]), {
      authorization: `Bearer ${reader}`,
    });
    // The watcher's own subscription comes first.
    const received = await events.waitForEvents(2);
    const docs = received.map((event) => JSON.parse(event.data) as Record<string, unknown>);
    const doc = docs.find((d) => d['match'] === 'https://e.com/b/:id') ?? {};
    assert.equal(doc['match_type'], 'urlpattern');
    assert.equal(doc['match'], 'https://e.com/b/:id');
    assert.equal(doc['topic'], undefined);
    assert.deepEqual(doc['payload'], { tenant: 't1' });
    const encoded = `${encodeURIComponent('https://e.com/b/:id')}/${encodeURIComponent(String(doc['subscriber']))}`;
    assert.equal(doc['id'], `/.well-known/mercure/subscriptions/urlpattern/${encoded}`);
    subscriber.close();
    events.close();
  });

  it("[spec] the hub generates the subscriber identifier: neither the token's sub nor a client-supplied value", async () => {
    // [spec] the hub MUST generate it or derive it from validated iss and sub; clients MUST NOT supply it.
    const reader = await mintAccessToken({
      aud: hub.hubUrl,
      details: [{ actions: ['subscribe'], topics: [{ match: '*' }] }],
      claims: { sub: 'urn:example:alice' },
    });
    const path = `/.well-known/mercure/subscriptions/exact/${encodeURIComponent('https://e.com/who')}`;
    const subscriber = await openStream(
      hub.urlWith([
        ['match', 'https://e.com/who'],
        ['subscriber', 'urn:example:forged'],
      ]),
      { authorization: `Bearer ${reader}`, subscriber: 'urn:example:forged' },
    );
    const res = await fetch(new URL(path, hub.hubUrl), { headers: { authorization: `Bearer ${watcher}` } });
    const doc = (await res.json()) as { subscriptions: { subscriber: string }[] };
    assert.equal(doc.subscriptions.length, 1);
    assert.match(doc.subscriptions[0]?.subscriber ?? '', /^urn:uuid:[0-9a-f-]{36}$/);
    subscriber.close();
  });

  it('[spec] the API serves {match_type}/{match} collections with last_event_id', async () => {
    const subscriber = await openStream(hub.urlWith([['match', 'https://e.com/api']]));
    const path = `/.well-known/mercure/subscriptions/exact/${encodeURIComponent('https://e.com/api')}`;
    const res = await fetch(new URL(path, hub.hubUrl), { headers: { authorization: `Bearer ${watcher}` } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/ld\+json/);
    const doc = (await res.json()) as { subscriptions: Record<string, unknown>[]; last_event_id: string };
    assert.equal(doc.subscriptions.length, 1);
    assert.equal(doc.subscriptions[0]?.['match'], 'https://e.com/api');
    assert.equal(typeof doc.last_event_id, 'string');
    const single = await fetch(new URL(String(doc.subscriptions[0]?.['id']), hub.hubUrl), {
      headers: { authorization: `Bearer ${watcher}` },
    });
    assert.equal(single.status, 200);
    subscriber.close();
  });

  it('[spec] a token without subscribe on the API URL: 403 with error="insufficient_scope"', async () => {
    const other = await mintAccessToken({
      aud: hub.hubUrl,
      details: [{ actions: ['subscribe'], topics: [{ match: 'https://e.com/x' }] }],
    });
    const res = await fetch(new URL('/.well-known/mercure/subscriptions', hub.hubUrl), {
      headers: { authorization: `Bearer ${other}` },
    });
    assert.equal(res.status, 403);
    assert.match(res.headers.get('www-authenticate') ?? '', /insufficient_scope/);
  });

  it('answers 304 to If-None-Match with the current ETag', async () => {
    const url = new URL('/.well-known/mercure/subscriptions', hub.hubUrl);
    const headers = { authorization: `Bearer ${watcher}` };
    // Subscriptions closed by earlier tests may still be announcing their end: the ETag settles.
    let etag = (await fetch(url, { headers })).headers.get('etag') ?? '';
    let status = 0;
    for (let attempt = 0; attempt < 5 && status !== 304; attempt++) {
      const again = await fetch(url, { headers: { ...headers, 'if-none-match': etag } });
      status = again.status;
      etag = again.headers.get('etag') ?? etag;
    }
    assert.equal(status, 304);
  });
});
