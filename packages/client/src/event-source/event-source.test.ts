import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { describe, it } from 'node:test';
import { serverPool } from '../testing/servers.ts';
import { openStream, sleep, startServer, streamThenEnd } from '../testing/test-server.ts';
import { DEFAULT_RECONNECTION_TIME, EventSource } from './event-source.ts';

const serve = serverPool();

async function nextMessage(source: EventTarget, type = 'message'): Promise<MessageEvent> {
  const [event] = await once(source, type);
  return event as MessageEvent;
}

describe('EventSource interface (WHATWG HTML 9.2.2)', () => {
  it('has CONNECTING, OPEN and CLOSED on the constructor and on the prototype', () => {
    assert.deepEqual([EventSource.CONNECTING, EventSource.OPEN, EventSource.CLOSED], [0, 1, 2]);
    assert.deepEqual(
      [EventSource.prototype.CONNECTING, EventSource.prototype.OPEN, EventSource.prototype.CLOSED],
      [0, 1, 2],
    );
  });

  it('exposes url (serialized) and withCredentials, and starts CONNECTING', async () => {
    const server = await serve(streamThenEnd(''));
    const plain = new EventSource(server.url('/a b'));
    const credentialed = new EventSource(new URL(server.url()), { withCredentials: true });
    try {
      assert.equal(plain.url, `${server.origin}/a%20b`);
      assert.equal(plain.withCredentials, false);
      assert.equal(credentialed.withCredentials, true);
      assert.equal(plain.readyState, EventSource.CONNECTING);
      assert.equal(Object.prototype.toString.call(plain), '[object EventSource]');
    } finally {
      plain.close();
      credentialed.close();
    }
  });

  it('throws a SyntaxError DOMException for a URL that does not parse', () => {
    assert.throws(
      () => new EventSource('http://[::1'),
      (error: unknown) => error instanceof DOMException && error.name === 'SyntaxError',
    );
  });

  it('onopen, onmessage and onerror are event handler attributes: null removes, a non-function is null', async () => {
    const server = await serve(streamThenEnd('data: one\n\n'));
    const source = new EventSource(server.url());
    const order: string[] = [];
    source.onmessage = () => order.push('first handler');
    source.addEventListener('message', () => order.push('listener'));
    // Replacing the handler keeps its place before the listener added after it.
    source.onmessage = () => order.push('second handler');
    await nextMessage(source);
    source.close();
    assert.deepEqual(order, ['second handler', 'listener']);
    source.onmessage = null;
    assert.equal(source.onmessage, null);
    (source as unknown as { onerror: unknown }).onerror = 'not a function';
    assert.equal(source.onerror, null);
  });
});

describe('EventSource connection (WHATWG HTML 9.2.3)', () => {
  it('[spec] requests with Accept: text/event-stream and Cache-Control: no-store', async () => {
    const server = await serve(streamThenEnd(''));
    const source = new EventSource(server.url());
    await server.waitForRequests(1);
    source.close();
    const [request] = server.requests;
    assert.equal(request?.headers.accept, 'text/event-stream');
    assert.equal(request?.headers['cache-control'], 'no-store');
    assert.equal(request?.headers['last-event-id'], undefined);
  });

  it('[spec] announces the connection: readyState OPEN, then an open event', async () => {
    const server = await serve((_request, response) => openStream(response));
    const source = new EventSource(server.url());
    await once(source, 'open');
    assert.equal(source.readyState, EventSource.OPEN);
    source.close();
  });

  it('[spec] dispatches MessageEvents with data, origin and lastEventId; named events go to their listeners', async () => {
    const server = await serve(streamThenEnd('id: 7\ndata: a\ndata: b\n\nevent: price\ndata: 42\n\n'));
    const source = new EventSource(server.url());
    const seen: MessageEvent[] = [];
    source.onmessage = (event) => seen.push(event);
    const price = await nextMessage(source, 'price');
    source.close();
    assert.equal(seen.length, 1);
    assert.ok(seen[0] instanceof MessageEvent);
    assert.deepEqual([seen[0]?.type, seen[0]?.data, seen[0]?.lastEventId], ['message', 'a\nb', '7']);
    assert.equal(seen[0]?.origin, server.origin);
    assert.deepEqual(
      [price.type, price.data, price.lastEventId, price.origin],
      ['price', '42', '7', server.origin],
    );
  });

  it('[spec] follows redirects, and origin is that of the final URL', async () => {
    const target = await serve(streamThenEnd('data: moved\n\n'), '127.0.0.2');
    const start = await serve((_request, response) => {
      response.writeHead(307, { location: target.url() });
      response.end();
    });
    const source = new EventSource(start.url());
    const message = await nextMessage(source);
    source.close();
    assert.equal(message.data, 'moved');
    assert.equal(message.origin, target.origin);
    assert.equal(source.url, start.url());
  });

  for (const [status, name] of [
    [204, '204 No Content'],
    [500, '500'],
    [201, '201 (only 200 opens the stream)'],
  ] as const) {
    it(`[spec] a ${name} fails the connection: error event, CLOSED, no reconnect`, async () => {
      const server = await serve((_request, response, index) => {
        if (index === 0) return streamThenEnd('retry: 20\ndata: first\n\n')(_request, response, index);
        response.writeHead(status, { 'content-type': 'text/event-stream' });
        response.end();
      });
      const source = new EventSource(server.url());
      const states: number[] = [];
      source.onerror = () => states.push(source.readyState);
      await nextMessage(source);
      await server.waitForRequests(2);
      while (states.at(-1) !== EventSource.CLOSED) await once(source, 'error');
      // The first error is the reconnect after the clean end; the second is the failure.
      assert.deepEqual(states, [EventSource.CONNECTING, EventSource.CLOSED]);
      await sleep(200); // ten times the reconnection time
      assert.equal(server.requests.length, 2);
    });
  }

  it('[spec] a Content-Type whose essence is not text/event-stream fails the connection', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end('data: never\n\n');
    });
    const source = new EventSource(server.url());
    let messages = 0;
    source.onmessage = () => messages++;
    await once(source, 'error');
    assert.equal(source.readyState, EventSource.CLOSED);
    assert.equal(messages, 0);
  });

  it('[spec] Content-Type is matched by essence: case and parameters do not matter', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'Text/Event-Stream ; charset=utf-8' });
      response.end('data: ok\n\n');
    });
    const source = new EventSource(server.url());
    const message = await nextMessage(source);
    source.close();
    assert.equal(message.data, 'ok');
  });

  it('[spec] a network error while streaming reestablishes the connection', async () => {
    const responses: ServerResponse[] = [];
    const server = await serve((_request, response, index) => {
      responses.push(response);
      openStream(response);
      response.write(`retry: 10\ndata: ${index}\n\n`);
    });
    const source = new EventSource(server.url());
    const received: string[] = [];
    const states: number[] = [];
    source.onerror = () => states.push(source.readyState);
    source.onmessage = (event) => received.push(event.data);
    await nextMessage(source);
    // Cut the connection under the client, once it holds the first event.
    responses[0]?.socket?.destroy();
    await nextMessage(source);
    source.close();
    assert.deepEqual(received, ['0', '1']);
    assert.deepEqual(states, [EventSource.CONNECTING]);
  });

  it('[spec] a refused connection is a network error: error event, CONNECTING, reconnect pending', async () => {
    const server = await startServer(streamThenEnd(''));
    const url = server.url();
    await server.close();
    const source = new EventSource(url);
    await once(source, 'error');
    assert.equal(source.readyState, EventSource.CONNECTING);
    source.close();
  });

  it('[spec] a clean end of the body reconnects after the reconnection time set by retry:', async () => {
    const server = await serve(streamThenEnd((index) => (index === 0 ? 'retry: 250\ndata: x\n\n' : '')));
    const source = new EventSource(server.url());
    let errorAt = 0;
    source.onerror = () => {
      errorAt ||= performance.now();
    };
    await server.waitForRequests(2);
    source.close();
    const waited = (server.requests[1]?.at ?? 0) - errorAt;
    assert.ok(waited >= 240, `reconnected after ${waited} ms, before the 250 ms reconnection time`);
  });

  it('[spec] without retry:, the reconnection time is the default of 3 seconds', async () => {
    assert.equal(DEFAULT_RECONNECTION_TIME, 3000);
    const server = await serve(streamThenEnd(''));
    const source = new EventSource(server.url());
    await once(source, 'error');
    const errorAt = performance.now();
    await server.waitForRequests(2);
    source.close();
    const waited = (server.requests[1]?.at ?? 0) - errorAt;
    assert.ok(waited >= 2990, `reconnected after ${waited} ms`);
  });

  it('[spec] reconnecting sends the persisted last event ID as Last-Event-ID', async () => {
    // The last id comes from an event without data: it is still persisted.
    const server = await serve(streamThenEnd('retry: 10\nid: 1\ndata: one\n\nid: 2\n\n'));
    const source = new EventSource(server.url());
    await server.waitForRequests(3);
    source.close();
    assert.deepEqual(
      server.requests.map((r) => r.headers['last-event-id']),
      [undefined, '2', '2'],
    );
  });

  it('[spec] close() during the wait cancels the pending reconnect', async () => {
    const server = await serve(streamThenEnd('retry: 20\ndata: x\n\n'));
    const source = new EventSource(server.url());
    await once(source, 'error');
    // The error event has fired and the reconnect waits: close() now must cancel it.
    assert.equal(source.readyState, EventSource.CONNECTING);
    source.close();
    assert.equal(source.readyState, EventSource.CLOSED);
    await sleep(200);
    assert.equal(server.requests.length, 1);
  });

  it('[spec] close() aborts the running fetch and no event is dispatched after it', async () => {
    let serverSawClose: Promise<unknown> = Promise.resolve();
    const server = await serve((request, response) => {
      serverSawClose = once(request.socket, 'close');
      openStream(response);
      response.write('data: first\n\ndata: second\n\n');
    });
    const source = new EventSource(server.url());
    const received: string[] = [];
    source.onmessage = (event) => {
      received.push(event.data);
      source.close();
    };
    source.onerror = () => received.push('error');
    await once(source, 'message');
    await serverSawClose;
    assert.deepEqual(received, ['first']);
    assert.equal(source.readyState, EventSource.CLOSED);
  });
});
