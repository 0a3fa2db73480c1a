import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { useTestHub } from '../testing/hub-fixture.ts';
import { openStream } from '../testing/sse-reader.ts';
import { startTestHub } from '../testing/test-hub.ts';

const EVENTS_SELECTOR = '/.well-known/mercure/subscriptions{/topic}{/subscriber}';

describe('active subscriptions ([spec] Active Subscriptions)', () => {
  const hub = useTestHub({ anonymous: true, subscriptions: true });
  let watcherToken: string;
  before(async () => {
    watcherToken = await hub.token({ subscribe: [EVENTS_SELECTOR] });
  });

  /** Subscription event documents for `topic`, from history then live, until `count` arrived. */
  async function subscriptionEvents(topic: string, count: number): Promise<Record<string, unknown>[]> {
    const watcher = await openStream(hub.subscribeUrl([EVENTS_SELECTOR], { lastEventID: 'earliest' }), {
      authorization: `Bearer ${watcherToken}`,
    });
    try {
      for (let seen = 1; ; seen++) {
        const events = await watcher.waitForEvents(seen);
        const docs = events.map((event) => JSON.parse(event.data) as Record<string, unknown>);
        const mine = docs.filter((doc) => doc['topic'] === topic);
        if (mine.length >= count) return mine;
      }
    } finally {
      watcher.close();
    }
  }

  it('MUST publish a private update when a subscription is created and when it ends', async () => {
    const token = await hub.token({ subscribe: [], payload: { user: 'alice' } });
    const subscriber = await openStream(hub.subscribeUrl(['https://e.com/{book}']), {
      authorization: `Bearer ${token}`,
    });
    subscriber.close();
    const mine = await subscriptionEvents('https://e.com/{book}', 2);
    assert.deepEqual(
      mine.map((doc) => doc['active']),
      [true, false],
    );
    const doc = mine[0]!;
    assert.equal(doc['@context'], 'https://mercure.rocks/');
    assert.equal(doc['type'], 'Subscription');
    assert.deepEqual(doc['payload'], { user: 'alice' });
    assert.match(String(doc['subscriber']), /^urn:uuid:/);
    // [spec] id MUST equal the update's topic, with {topic} and {subscriber} percent-encoded
    const expected = `/.well-known/mercure/subscriptions/${encodeURIComponent('https://e.com/{book}')}/${encodeURIComponent(String(doc['subscriber']))}`;
    assert.equal(doc['id'], expected);
  });

  it('subscription events are private: an anonymous subscriber does not receive them', async () => {
    const anonymous = await openStream(hub.subscribeUrl([EVENTS_SELECTOR, 'https://e.com/marker']));
    const other = await openStream(hub.subscribeUrl(['https://e.com/other']));
    other.close();
    const publisher = await hub.token({ publish: ['*'] });
    await hub.publish({ topic: 'https://e.com/marker', data: 'marker' }, publisher);
    const [event] = await anonymous.waitForEvents(1);
    assert.equal(event?.data, 'marker');
    anonymous.close();
  });

  it('the API lists active subscriptions as JSON-LD with lastEventID', async () => {
    const subscriber = await openStream(hub.subscribeUrl(['https://e.com/listed']));
    const res = await fetch(`${hub.url}/.well-known/mercure/subscriptions`, {
      headers: { authorization: `Bearer ${watcherToken}` },
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/ld\+json/);
    const body = (await res.json()) as Record<string, unknown>;
    assert.equal(body['type'], 'Subscriptions');
    assert.equal(body['id'], '/.well-known/mercure/subscriptions');
    assert.match(String(body['lastEventID']), /^urn:uuid:|^earliest$/);
    const list = body['subscriptions'] as Record<string, unknown>[];
    assert.ok(list.some((s) => s['topic'] === 'https://e.com/listed' && s['active'] === true));
    subscriber.close();
  });

  it('filters by topic and returns one subscription by topic and subscriber, 404 when absent', async () => {
    const subscriber = await openStream(hub.subscribeUrl(['https://e.com/one']));
    const topicPath = `/.well-known/mercure/subscriptions/${encodeURIComponent('https://e.com/one')}`;
    const auth = { authorization: `Bearer ${watcherToken}` };
    const collection = (await (await fetch(hub.url + topicPath, { headers: auth })).json()) as {
      subscriptions: { subscriber: string; id: string }[];
    };
    assert.equal(collection.subscriptions.length, 1);
    const one = collection.subscriptions[0]!;
    const single = await fetch(hub.url + one.id, { headers: auth });
    assert.equal(single.status, 200);
    const doc = (await single.json()) as Record<string, unknown>;
    assert.equal(doc['subscriber'], one.subscriber);
    assert.ok('lastEventID' in doc);
    const missing = await fetch(`${hub.url}${topicPath}/urn%3Auuid%3Anobody`, { headers: auth });
    assert.equal(missing.status, 404);
    subscriber.close();
  });

  it('MUST refuse clients whose mercure.subscribe does not match the requested URL', async () => {
    const token = await hub.token({ subscribe: ['https://e.com/{x}'] });
    const res = await fetch(`${hub.url}/.well-known/mercure/subscriptions`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(res.status, 403);
    const anonymous = await fetch(`${hub.url}/.well-known/mercure/subscriptions`);
    assert.equal(anonymous.status, 401);
  });

  it('SHOULD identify a subscriber with several subscriptions by the same identifier', async () => {
    const subscriber = await openStream(hub.subscribeUrl(['https://e.com/two/a', 'https://e.com/two/b']));
    const res = await fetch(`${hub.url}/.well-known/mercure/subscriptions`, {
      headers: { authorization: `Bearer ${watcherToken}` },
    });
    const body = (await res.json()) as { subscriptions: { topic: string; subscriber: string }[] };
    const mine = body.subscriptions.filter((s) => s.topic.startsWith('https://e.com/two/'));
    assert.equal(mine.length, 2);
    assert.equal(mine[0]?.subscriber, mine[1]?.subscriber);
    subscriber.close();
  });

  it('lastEventID MUST be earliest when no event has been dispatched yet', async () => {
    const fresh = await startTestHub({ subscriptions: true });
    const token = await fresh.token({ subscribe: [EVENTS_SELECTOR] });
    const res = await fetch(`${fresh.url}/.well-known/mercure/subscriptions`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const body = (await res.json()) as Record<string, unknown>;
    assert.equal(body['lastEventID'], 'earliest');
    assert.deepEqual(body['subscriptions'], []);
    await fresh.close();
  });

  it('is off unless the subscriptions setting is on', async () => {
    const plain = await startTestHub({ anonymous: true });
    const res = await fetch(`${plain.url}/.well-known/mercure/subscriptions`);
    assert.equal(res.status, 404);
    assert.match(await res.text(), /setting subscriptions/);
    await plain.close();
  });
});
