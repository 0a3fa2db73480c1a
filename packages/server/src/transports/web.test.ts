import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ParsedEvent } from '@spout/protocol';
import { createSseReader } from '../../../../testing/sse-reader.ts';
import { createWebSession } from './web.ts';

const quiet = { heartbeatInterval: 0 };

async function readEvents(response: Response, count: number): Promise<ParsedEvent[]> {
  const { events, feed } = createSseReader();
  const reader = response.body!.getReader();
  while (events.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    feed(value);
  }
  reader.releaseLock();
  return events;
}

describe('createWebSession (web Request -> Response)', () => {
  test('returns a streaming Response with the SSE headers and no connection-specific header', () => {
    const { response, session } = createWebSession(new Request('http://localhost/events'), quiet);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    assert.equal(response.headers.get('cache-control'), 'no-cache, no-transform');
    assert.equal(response.headers.get('x-accel-buffering'), 'no');
    assert.equal(response.headers.get('connection'), null);
    assert.ok(response.body instanceof ReadableStream);
    session.close();
  });

  test('streams events through the body', async () => {
    const { response, session } = createWebSession(new Request('http://localhost/events'), quiet);
    session.send({ a: 1 }, { id: '1' });
    session.emit('note', 'two lines\nof text', { id: '2' });
    const events = await readEvents(response, 2);
    assert.deepEqual(
      events.map((event) => [event.type, event.data, event.lastEventId]),
      [
        ['message', '{"a":1}', '1'],
        ['note', '"two lines\\nof text"', '2'],
      ],
    );
    session.close();
  });

  test('close() ends the body after the final event', async () => {
    const { response, session } = createWebSession(new Request('http://localhost/events'), quiet);
    session.close({ event: 'bye', data: 'done' });
    const text = await response.text();
    assert.equal(text, 'event: bye\ndata: done\n\n');
    assert.equal(await session.closed, 'server');
  });

  test('reads Last-Event-ID from the header or the named query parameter', () => {
    const fromHeader = createWebSession(
      new Request('http://localhost/events', { headers: { 'Last-Event-ID': '5' } }),
      quiet,
    );
    assert.equal(fromHeader.session.lastEventId, '5');
    const options = { ...quiet, lastEventIdParam: 'since' };
    const fromQuery = createWebSession(new Request('http://localhost/events?since=9'), options);
    assert.equal(fromQuery.session.lastEventId, '9');
    fromHeader.session.close();
    fromQuery.session.close();
  });

  test('a cancelled body closes the session with "client"', async () => {
    const { response, session } = createWebSession(new Request('http://localhost/events'), quiet);
    await response.body!.cancel();
    assert.equal(await session.closed, 'client');
  });

  test('an aborted request closes the session with "client"', async () => {
    const abort = new AbortController();
    const { session } = createWebSession(
      new Request('http://localhost/events', { signal: abort.signal }),
      quiet,
    );
    abort.abort();
    assert.equal(await session.closed, 'client');
  });

  test('stops at the high-water mark and resumes when the consumer reads', async () => {
    const { response, session } = createWebSession(new Request('http://localhost/events'), quiet);
    const payload = 'y'.repeat(10_000);
    for (let i = 0; i < 20; i++) session.send(payload, { id: String(i) });
    await new Promise((resolve) => setImmediate(resolve));
    assert.ok(session.bufferedBytes > 0, 'events wait in the session while the stream is full');
    const events = await readEvents(response, 20);
    assert.deepEqual(
      events.map((event) => event.lastEventId),
      Array.from({ length: 20 }, (_, i) => String(i)),
    );
    session.close();
  });

  test('[policy] a consumer that does not read is closed at maxBufferedBytes', async () => {
    const options = { ...quiet, maxBufferedBytes: 200_000 };
    const { session } = createWebSession(new Request('http://localhost/events'), options);
    const payload = 'x'.repeat(1000);
    for (let i = 0; i < 1000 && session.isOpen; i++) {
      session.send(payload);
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.equal(await session.closed, 'overflow');
  });
});
