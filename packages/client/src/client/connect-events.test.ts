import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { SseError } from '../core/sse-error.ts';
import { serverPool } from '../testing/servers.ts';
import { openStream, sleep, streamThenEnd } from '../testing/test-server.ts';
import { connect } from './connection.ts';

const serve = serverPool();

interface PriceEvents {
  price: { symbol: string; value: number };
  message: string;
}

const streamResponse = (body: BodyInit) =>
  new Response(body, { headers: { 'content-type': 'text/event-stream' } });

describe('connect(): events', () => {
  it('async iteration yields every event in order, with type, data, lastEventId and origin', async () => {
    const server = await serve(
      streamThenEnd('id: 1\ndata: a\n\nevent: tick\ndata: b\n\n: comment\nid: 2\ndata: c\n\n'),
    );
    const seen: unknown[] = [];
    for await (const event of connect(server.url(), { reconnect: false })) seen.push(event);
    assert.deepEqual(seen, [
      { type: 'message', data: 'a', lastEventId: '1', origin: server.origin },
      { type: 'tick', data: 'b', lastEventId: '1', origin: server.origin },
      { type: 'message', data: 'c', lastEventId: '2', origin: server.origin },
    ]);
  });

  it('typed events: parse json, and narrowing on type narrows data', async () => {
    const server = await serve(
      streamThenEnd('event: price\ndata: {"symbol":"ACME","value":42}\n\ndata: "hi"\n\n'),
    );
    const lines: string[] = [];
    for await (const event of connect<PriceEvents>(server.url(), { parse: 'json', reconnect: false })) {
      if (event.type === 'price') lines.push(`${event.data.symbol}=${event.data.value.toFixed(1)}`);
      else lines.push(event.data.toUpperCase());
    }
    assert.deepEqual(lines, ['ACME=42.0', 'HI']);
  });

  it('on() calls typed listeners per event type, and its return value removes the listener', async () => {
    const server = await serve(
      streamThenEnd('event: price\ndata: {"symbol":"A","value":1}\n\ndata: "x"\n\n'),
    );
    const stream = connect<PriceEvents>(server.url(), { parse: 'json', reconnect: false });
    const values: number[] = [];
    stream.on('price', (event) => values.push(event.data.value));
    // @ts-expect-error: 'volume' is not an event type of PriceEvents (checked by tsc)
    stream.on('volume', () => undefined);
    const off = stream.on('message', () => assert.fail('removed listener was called'));
    off();
    await stream.done;
    assert.deepEqual(values, [1]);
  });

  it('leaving a for await loop early closes the connection', async () => {
    let socketClosed: Promise<unknown> = Promise.resolve();
    const server = await serve((request, response) => {
      socketClosed = once(request.socket, 'close');
      openStream(response);
      response.write('data: 1\n\ndata: 2\n\n');
    });
    const stream = connect(server.url());
    for await (const event of stream) {
      assert.equal(event.data, '1');
      break;
    }
    await socketClosed;
    assert.equal(stream.state, 'closed');
  });

  it('data the parse function rejects fails the connection with a decode error', async () => {
    const server = await serve(streamThenEnd('data: {"ok":1}\n\ndata: not json\n\n'));
    const received: unknown[] = [];
    const iterate = async () => {
      for await (const event of connect(server.url(), { parse: 'json' })) received.push(event.data);
    };
    await assert.rejects(
      iterate(),
      (error: unknown) => error instanceof SseError && error.reason === 'decode',
    );
    assert.deepEqual(received, [{ ok: 1 }]);
    assert.equal(server.requests.length, 1);
  });

  it('an event over maxEventSize is dropped and reported; the stream goes on', async () => {
    const server = await serve(streamThenEnd(`data: ${'x'.repeat(100)}\n\ndata: small\n\n`));
    const errors: string[] = [];
    const received: string[] = [];
    const stream = connect(server.url(), {
      maxEventSize: 50,
      reconnect: false,
      onError: (e) => errors.push(e.reason),
    });
    for await (const event of stream) received.push(event.data);
    assert.deepEqual(received, ['small']);
    assert.deepEqual(errors, ['event-too-large']);
  });

  it('without onError, an event over maxEventSize fails the connection rather than vanish', async () => {
    const server = await serve(streamThenEnd(`data: ${'x'.repeat(100)}\n\ndata: small\n\n`));
    const stream = connect(server.url(), { maxEventSize: 50 });
    await assert.rejects(stream.done, { reason: 'event-too-large' });
    assert.equal(server.requests.length, 1);
  });

  it('a listener that throws is reported to onError; other listeners and iterators still get the event', async () => {
    const server = await serve(streamThenEnd('data: a\n\n'));
    const errors: SseError[] = [];
    const stream = connect(server.url(), { reconnect: false, onError: (e) => errors.push(e) });
    stream.on('message', () => {
      throw new Error('boom');
    });
    const received: string[] = [];
    for await (const event of stream) received.push(event.data);
    assert.deepEqual(received, ['a']);
    assert.equal(errors[0]?.reason, 'listener');
    assert.match(String((errors[0]?.cause as Error).message), /boom/);
  });

  it('[spec] a Content-Type that is not text/event-stream is final, with an excerpt of the body', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end(`<html>login${'.'.repeat(5000)}</html>`);
    });
    const stream = connect(server.url(), { reconnect: { minDelay: 0, baseDelay: 1 } });
    const error = (await stream.done.catch((e: unknown) => e)) as SseError;
    assert.equal(error.reason, 'content-type');
    assert.equal(error.retryable, false);
    assert.ok(error.body?.startsWith('<html>login') && error.body.length <= 2048);
    assert.equal(server.requests.length, 1);
  });

  it('a slow iterator holds reading back (bounded buffer) and loses nothing', async () => {
    let pulls = 0;
    const body = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          pulls++;
          controller.enqueue(new TextEncoder().encode(`data: ${pulls}\n\n`));
          if (pulls === 50) controller.close();
        },
      },
      { highWaterMark: 0 },
    );
    const stream = connect('http://stream.invalid/', {
      fetch: async () => streamResponse(body),
      bufferSize: 4,
      reconnect: false,
    });
    const iterator = stream[Symbol.asyncIterator]();
    const first = await iterator.next();
    await sleep(100);
    assert.ok(pulls <= 6, `read ${pulls} chunks ahead of a consumer that took 1 with a buffer of 4`);
    const received = [first.value?.data];
    for await (const event of iterator) received.push(event.data);
    assert.deepEqual(
      received,
      Array.from({ length: 50 }, (_, i) => String(i + 1)),
    );
  });

  it('an iterator made after the connection failed throws its error; after close() it is empty', async () => {
    const failed = connect('http://x.invalid/', {
      fetch: async () => new Response('nope', { status: 404 }),
      reconnect: false,
    });
    await assert.rejects(failed.done, { status: 404 });
    await assert.rejects(failed[Symbol.asyncIterator]().next(), { reason: 'http-status' });
    const closed = connect('http://x.invalid/', { fetch: async () => streamResponse('') });
    closed.close();
    assert.deepEqual(await closed[Symbol.asyncIterator]().next(), { value: undefined, done: true });
  });
});
