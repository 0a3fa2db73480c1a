import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openStream } from '../testing/sse-reader.ts';
import { startTestHub } from '../testing/test-hub.ts';

const TOPIC = 'https://e.com/unknown';

describe('an unknown Last-Event-ID (setting unknownLastEventId)', () => {
  it('"replay" (the default) replays all kept history, and the header says earliest', async () => {
    const hub = await startTestHub({ anonymous: true });
    const publisher = await hub.token({ publish: ['*'] });
    for (const id of ['u1', 'u2']) await hub.publish({ topic: TOPIC, data: id, id }, publisher);
    const stream = await openStream(hub.subscribeUrl([TOPIC]), { 'last-event-id': 'never-seen' });
    const events = await stream.waitForEvents(2);
    assert.deepEqual(
      events.map((e) => e.data),
      ['u1', 'u2'],
    );
    assert.equal(stream.headers['last-event-id'], 'earliest');
    stream.close();
    await hub.close();
  });

  it('"none" replays nothing, as the Go hub does; the header names the newest update', async () => {
    const hub = await startTestHub({ anonymous: true, unknownLastEventId: 'none' });
    const publisher = await hub.token({ publish: ['*'] });
    for (const id of ['u1', 'u2']) await hub.publish({ topic: TOPIC, data: id, id }, publisher);
    const stream = await openStream(hub.subscribeUrl([TOPIC]), { 'last-event-id': 'never-seen' });
    assert.equal(stream.headers['last-event-id'], 'u2');
    await hub.publish({ topic: TOPIC, data: 'live', id: 'u3' }, publisher);
    const [event] = await stream.waitForEvents(1);
    assert.equal(event?.data, 'live');
    stream.close();
    // A known id still replays what follows it.
    const known = await openStream(hub.subscribeUrl([TOPIC]), { 'last-event-id': 'u1' });
    const replayed = await known.waitForEvents(2);
    assert.deepEqual(
      replayed.map((e) => e.data),
      ['u2', 'live'],
    );
    known.close();
    await hub.close();
  });
});
