import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { useTestHub } from '../testing/hub-fixture.ts';
import { openStream } from '../testing/sse-reader.ts';

describe('subscription ([spec] Subscription; Topic Selectors)', () => {
  const hub = useTestHub({ anonymous: true, heartbeatMs: 50 });
  let publisher: string;
  before(async () => {
    publisher = await hub.token({ publish: ['*'] });
  });

  it('MUST send updates as text/event-stream compliant events', async () => {
    const stream = await openStream(hub.subscribeUrl(['https://e.com/ct']));
    assert.equal(stream.status, 200);
    assert.match(String(stream.headers['content-type']), /^text\/event-stream/);
    assert.match(String(stream.headers['cache-control']), /no-cache/);
    assert.equal(stream.headers['x-accel-buffering'], 'no');
    stream.close();
  });

  it('answers 400 when no topic selector is given', async () => {
    const res = await fetch(hub.hubUrl);
    assert.equal(res.status, 400);
    assert.match(await res.text(), /missing "topic"/);
  });

  it('answers 400 for a selector with a control character ([draft-08])', async () => {
    const res = await fetch(hub.subscribeUrl(['https://e.com/a\u0085']));
    assert.equal(res.status, 400);
  });

  it('receives updates for topics matching exact, URI template and * selectors', async () => {
    const exact = await openStream(hub.subscribeUrl(['https://e.com/books/1']));
    const template = await openStream(hub.subscribeUrl(['https://e.com/books/{id}']));
    const wildcard = await openStream(hub.subscribeUrl(['*']));
    const unrelated = await openStream(hub.subscribeUrl(['https://e.com/authors/{id}']));
    await hub.publish({ topic: 'https://e.com/books/1', data: 'book' }, publisher);
    await hub.publish({ topic: 'https://e.com/marker', data: 'marker' }, publisher);
    for (const stream of [exact, template, wildcard]) {
      const [event] = await stream.waitForEvents(1);
      assert.equal(event?.data, 'book');
    }
    const seen = await wildcard.waitForEvents(2);
    assert.equal(seen[1]?.data, 'marker');
    assert.equal(unrelated.events.length, 0);
    for (const stream of [exact, template, wildcard, unrelated]) stream.close();
  });

  it('an update matching several selectors of one subscriber arrives once', async () => {
    const stream = await openStream(hub.subscribeUrl(['https://e.com/x/1', 'https://e.com/x/{id}', '*']));
    await hub.publish({ topic: 'https://e.com/x/1', data: 'once' }, publisher);
    await hub.publish({ topic: 'https://e.com/x/2', data: 'twice?' }, publisher);
    const events = await stream.waitForEvents(2);
    assert.deepEqual(
      events.map((e) => e.data),
      ['once', 'twice?'],
    );
    stream.close();
  });

  it('every dispatched event has an id ([spec] Reconciliation: events MUST include an id)', async () => {
    const stream = await openStream(hub.subscribeUrl(['https://e.com/ids']));
    await hub.publish({ topic: 'https://e.com/ids', data: 'x' }, publisher);
    const [event] = await stream.waitForEvents(1);
    assert.match(event?.lastEventId ?? '', /^urn:uuid:/);
    stream.close();
  });

  it('sends keep-alive comments on the configured interval', async () => {
    const stream = await openStream(hub.subscribeUrl(['https://e.com/quiet']));
    await new Promise((resolve) => setTimeout(resolve, 400));
    assert.ok(stream.comments.length >= 1, `expected a heartbeat comment, got ${stream.comments.length}`);
    stream.close();
  });

  it('answers 405 with Allow for other methods', async () => {
    const res = await fetch(hub.hubUrl, { method: 'PUT' });
    assert.equal(res.status, 405);
    assert.equal(res.headers.get('allow'), 'GET, HEAD, POST, OPTIONS');
  });

  it('[RFC 9110] answers HEAD with the headers GET would send, no content, and registers nobody', async () => {
    const subscribers = async () =>
      ((await (await fetch(new URL('/healthz', hub.hubUrl))).json()) as { subscribers: number }).subscribers;
    const before = await subscribers();
    const res = await fetch(hub.subscribeUrl(['https://example.com/head']), { method: 'HEAD' });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
    assert.equal(await res.text(), '');
    assert.ok((await subscribers()) <= before, 'HEAD opens no subscription');
  });

  it('checks a HEAD request as it would the GET: 400 without a selector', async () => {
    const res = await fetch(hub.hubUrl, { method: 'HEAD' });
    assert.equal(res.status, 400);
  });
});

describe('reconnection and state reconciliation ([spec] Reconciliation)', () => {
  const hub = useTestHub({ anonymous: true });
  let publisher: string;
  const topic = 'https://e.com/history';
  before(async () => {
    publisher = await hub.token({ publish: ['*'] });
    for (const id of ['h1', 'h2', 'h3']) await hub.publish({ topic, data: id, id }, publisher);
    await hub.publish({ topic: 'https://e.com/other', data: 'other', id: 'o1' }, publisher);
  });

  it('SHOULD send all events published after the one bearing the Last-Event-ID header', async () => {
    const stream = await openStream(hub.subscribeUrl([topic]), { 'last-event-id': 'h1' });
    const events = await stream.waitForEvents(2);
    assert.deepEqual(
      events.map((e) => e.data),
      ['h2', 'h3'],
    );
    stream.close();
  });

  it('MUST allow the last event id in a query parameter (lastEventID, and Last-Event-ID)', async () => {
    for (const name of ['lastEventID', 'Last-Event-ID']) {
      const stream = await openStream(hub.subscribeUrl([topic], { [name]: 'h2' }));
      const [event] = await stream.waitForEvents(1);
      assert.equal(event?.data, 'h3', name);
      stream.close();
    }
  });

  it('the Last-Event-ID header MUST take precedence over the query parameter', async () => {
    const stream = await openStream(hub.subscribeUrl([topic], { lastEventID: 'h1' }), {
      'last-event-id': 'h2',
    });
    const [event] = await stream.waitForEvents(1);
    assert.equal(event?.data, 'h3');
    assert.equal(stream.headers['last-event-id'], 'h2');
    stream.close();
  });

  it('MUST set the Last-Event-ID response header to the id preceding the first event sent', async () => {
    const stream = await openStream(hub.subscribeUrl([topic]), { 'last-event-id': 'h1' });
    assert.equal(stream.headers['last-event-id'], 'h1');
    stream.close();
  });

  it('earliest replays everything kept, and the response header says earliest', async () => {
    const stream = await openStream(hub.subscribeUrl([topic], { lastEventID: 'earliest' }));
    const events = await stream.waitForEvents(3);
    assert.deepEqual(
      events.map((e) => e.data),
      ['h1', 'h2', 'h3'],
    );
    assert.equal(stream.headers['last-event-id'], 'earliest');
    stream.close();
  });

  it('an unknown Last-Event-ID is answered earliest and replays all that is kept, never silently skipping', async () => {
    const stream = await openStream(hub.subscribeUrl([topic]), { 'last-event-id': 'never-published' });
    assert.equal(stream.headers['last-event-id'], 'earliest');
    const events = await stream.waitForEvents(3);
    assert.deepEqual(
      events.map((e) => e.data),
      ['h1', 'h2', 'h3'],
    );
    stream.close();
  });

  it('replays history then live updates, in order, with no gap and no duplicate', async () => {
    const stream = await openStream(hub.subscribeUrl([topic]), { 'last-event-id': 'h1' });
    await hub.publish({ topic, data: 'live', id: 'h4' }, publisher);
    const events = await stream.waitForEvents(3);
    assert.deepEqual(
      events.map((e) => e.data),
      ['h2', 'h3', 'live'],
    );
    stream.close();
  });

  it('reads a non-ASCII Last-Event-ID header as UTF-8 bytes, as EventSource sends it', async () => {
    await hub.publish({ topic, data: 'accented', id: 'résumé-1' }, publisher);
    await hub.publish({ topic, data: 'after accented', id: 'résumé-2' }, publisher);
    const utf8AsLatin1 = Buffer.from('résumé-1', 'utf8').toString('latin1');
    const stream = await openStream(hub.subscribeUrl([topic]), { 'last-event-id': utf8AsLatin1 });
    const [event] = await stream.waitForEvents(1);
    assert.equal(event?.data, 'after accented');
    stream.close();
  });

  it('an empty Last-Event-ID header means none', async () => {
    const stream = await openStream(hub.subscribeUrl([topic]), { 'last-event-id': '' });
    assert.equal(stream.headers['last-event-id'], undefined);
    stream.close();
  });

  it('without Last-Event-ID, no history is sent and no Last-Event-ID header is set', async () => {
    const stream = await openStream(hub.subscribeUrl([topic]));
    assert.equal(stream.headers['last-event-id'], undefined);
    await hub.publish({ topic, data: 'fresh' }, publisher);
    const events = await stream.waitForEvents(1);
    assert.deepEqual(
      events.map((e) => e.data),
      ['fresh'],
    );
    stream.close();
  });
});
