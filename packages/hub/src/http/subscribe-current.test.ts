import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { useTestHub } from '../testing/hub-fixture.ts';
import { openStream } from '../testing/sse-reader.ts';
import { startTestHub } from '../testing/test-hub.ts';

describe('subscription, current protocol ([spec] current: Subscription; Matcher Types)', () => {
  const hub = useTestHub({ anonymous: true });
  let publisher: string;
  before(async () => {
    publisher = await hub.token({ publish: ['*'] });
  });

  async function status(params: [string, string][]): Promise<{ status: number; text: string }> {
    const res = await fetch(hub.urlWith(params));
    return { status: res.status, text: await res.text() };
  }

  it('[spec] receives updates for topics matching match, match_exact and match_urlpattern', async () => {
    const exact = await openStream(hub.urlWith([['match', 'https://e.com/c/1']]));
    const explicit = await openStream(hub.urlWith([['match_exact', 'https://e.com/c/1']]));
    const pattern = await openStream(hub.urlWith([['match_urlpattern', 'https://e.com/c/:id']]));
    await hub.publish({ topic: 'https://e.com/c/1', data: 'one' }, publisher);
    for (const stream of [exact, explicit, pattern]) {
      const [event] = await stream.waitForEvents(1);
      assert.equal(event?.data, 'one');
      stream.close();
    }
  });

  it('[spec] a relative URL pattern is resolved against the hub URL, and so is a relative topic', async () => {
    const stream = await openStream(hub.urlWith([['match_urlpattern', '/c/:id']]));
    await hub.publish({ topic: '/c/rel', data: 'relative' }, publisher);
    await hub.publish({ topic: `${new URL(hub.hubUrl).origin}/c/abs`, data: 'absolute' }, publisher);
    const events = await stream.waitForEvents(2);
    assert.deepEqual(
      events.map((e) => e.data),
      ['relative', 'absolute'],
    );
    stream.close();
  });

  it('[spec] exact matching does not interpret a URI Template', async () => {
    const stream = await openStream(hub.urlWith([['match', 'https://e.com/t/{id}']]));
    await hub.publish({ topic: 'https://e.com/t/1', data: 'not for the template' }, publisher);
    await hub.publish({ topic: 'https://e.com/t/{id}', data: 'the literal topic' }, publisher);
    const [event] = await stream.waitForEvents(1);
    assert.equal(event?.data, 'the literal topic');
    stream.close();
  });

  it('[spec] a name in the reserved match namespace that is no matcher type "MUST be rejected with a 400"', async () => {
    for (const name of ['matchURLPattern', 'match_regex', 'Match', 'matches', 'match_Exact']) {
      const answer = await status([[name, 'https://e.com/x']]);
      assert.equal(answer.status, 400, name);
      assert.match(answer.text, /unknown topic matcher/, name);
    }
  });

  it('[spec] a value with control or format characters "MUST be rejected with a 400"', async () => {
    for (const value of [
      'https://e.com/\u0001',
      'https://e.com/\u007f',
      'https://e.com/\u0085',
      'https://e.com/\u200b',
    ]) {
      assert.equal((await status([['match', value]])).status, 400, JSON.stringify(value));
    }
  });

  it('[spec] a value that is not valid UTF-8 "MUST be rejected with a 400"', async () => {
    const res = await fetch(`${hub.hubUrl}?match=https%3A%2F%2Fe.com%2F%C3%28`);
    assert.equal(res.status, 400);
    assert.match(await res.text(), /not valid UTF-8/);
  });

  it('[spec] a match_urlpattern value that is not a URL Pattern is invalid: 400', async () => {
    const answer = await status([['match_urlpattern', 'https://e.com/:id(']]);
    assert.equal(answer.status, 400);
    assert.match(answer.text, /not a valid URL Pattern/);
  });

  it('[spec] a pattern over the evaluation cost limit is refused with 400', async () => {
    assert.equal((await status([['match_urlpattern', 'https://e.com/:x((?:a+)+b)']])).status, 400);
  });

  it('[spec] requests exceeding the number or length limits "MUST be rejected with a 400"', async () => {
    const many = Array.from({ length: 33 }, (_, i): [string, string] => ['match', `https://e.com/${i}`]);
    assert.equal((await status(many)).status, 400);
    assert.equal((await status([['match', `https://e.com/${'a'.repeat(1100)}`]])).status, 400);
  });

  it('a request mixing topic and match parameters is refused with 400', async () => {
    const answer = await status([
      ['topic', 'https://e.com/a'],
      ['match', 'https://e.com/a'],
    ]);
    assert.equal(answer.status, 400);
    assert.match(answer.text, /mixes/);
  });
});

describe('reconciliation, current protocol ([spec] current: Reconnection and State Reconciliation)', () => {
  const hub = useTestHub({ anonymous: true });
  const topic = 'https://e.com/log';
  before(async () => {
    const publisher = await hub.token({ publish: ['*'] });
    for (const id of ['l1', 'l2', 'l3']) await hub.publish({ topic, data: id, id }, publisher);
  });

  it('[spec] "the hub MUST also accept the last event ID in a query parameter named last_event_id"', async () => {
    const stream = await openStream(
      hub.urlWith([
        ['match', topic],
        ['last_event_id', 'l2'],
      ]),
    );
    const [event] = await stream.waitForEvents(1);
    assert.equal(event?.data, 'l3');
    stream.close();
  });

  it('[spec] "the HTTP header MUST take precedence" over last_event_id', async () => {
    const url = hub.urlWith([
      ['match', topic],
      ['last_event_id', 'l1'],
    ]);
    const stream = await openStream(url, { 'last-event-id': 'l2' });
    const [event] = await stream.waitForEvents(1);
    assert.equal(event?.data, 'l3');
    stream.close();
  });

  it('[spec] "the hub MUST set a Mercure-Last-Event-ID field" to the id preceding the first event sent', async () => {
    const stream = await openStream(
      hub.urlWith([
        ['match', topic],
        ['last_event_id', 'l1'],
      ]),
    );
    assert.equal(stream.headers['mercure-last-event-id'], 'l1');
    stream.close();
  });

  it('[spec] Mercure-Last-Event-ID is "earliest" when the requested event does not exist', async () => {
    const stream = await openStream(
      hub.urlWith([
        ['match', topic],
        ['last_event_id', 'unknown'],
      ]),
    );
    assert.equal(stream.headers['mercure-last-event-id'], 'earliest');
    stream.close();
  });
});

describe('protocol setting (subscription)', () => {
  it('protocol "classic" serves match parameters as the classic protocol does (no topic: 400)', async () => {
    const hub = await startTestHub({ anonymous: true, protocol: 'classic' });
    const res = await fetch(hub.urlWith([['match', 'https://e.com/a']]));
    assert.equal(res.status, 400);
    assert.match(await res.text(), /missing "topic"/);
    await hub.close();
  });

  it('protocol "current" serves topic parameters as the current protocol does (no match: 400)', async () => {
    const hub = await startTestHub({ anonymous: true, protocol: 'current' });
    const res = await fetch(hub.urlWith([['topic', 'https://e.com/a']]));
    assert.equal(res.status, 400);
    assert.match(await res.text(), /missing "match"/);
    await hub.close();
  });
});
