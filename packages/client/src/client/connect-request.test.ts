import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { serverPool } from '../testing/servers.ts';
import { openStream, streamThenEnd } from '../testing/test-server.ts';
import { connect } from './connection.ts';

const serve = serverPool();
const fast = { minDelay: 0, baseDelay: 5 };

describe('connect(): the request', () => {
  it('[spec] sends Accept: text/event-stream and Cache-Control: no-store, plus the given headers', async () => {
    const server = await serve(streamThenEnd(''));
    const stream = connect(server.url(), { headers: { authorization: 'Bearer abc' }, reconnect: false });
    await stream.done;
    const [request] = server.requests;
    assert.equal(request?.method, 'GET');
    assert.equal(request?.headers.authorization, 'Bearer abc');
    assert.equal(request?.headers.accept, 'text/event-stream');
    assert.equal(request?.headers['cache-control'], 'no-store');
  });

  it('a headers function runs before every attempt, with the attempt and the Last-Event-ID', async () => {
    const server = await serve(streamThenEnd('id: 9\ndata: x\n\n'));
    const seen: string[] = [];
    const stream = connect(server.url(), {
      headers: ({ attempt, lastEventId }) => {
        seen.push(`${attempt}:${lastEventId}`);
        return { authorization: `Bearer token-${seen.length}` };
      },
      reconnect: { ...fast, shouldRetry: () => server.requests.length < 2 },
    });
    await assert.rejects(stream.done, { reason: 'ended' });
    // The attempt counter restarts whenever bytes arrive, so each reconnect here is attempt 1.
    assert.deepEqual(seen, ['0:', '1:9']);
    assert.deepEqual(
      server.requests.map((r) => r.headers.authorization),
      ['Bearer token-1', 'Bearer token-2'],
    );
  });

  it('sends method and body, and sends the body again on reconnect', async () => {
    const server = await serve(streamThenEnd('data: x\n\n'));
    const stream = connect(server.url(), {
      body: JSON.stringify({ topic: 'a' }),
      headers: { 'content-type': 'application/json' },
      reconnect: { ...fast, shouldRetry: () => server.requests.length < 2 },
    });
    await assert.rejects(stream.done, { reason: 'ended' });
    assert.deepEqual(
      server.requests.map((r) => [r.method, r.body]),
      [
        ['POST', '{"topic":"a"}'],
        ['POST', '{"topic":"a"}'],
      ],
    );
  });

  it('a body function builds a fresh body, even a stream, for each attempt', async () => {
    const server = await serve(streamThenEnd('data: x\n\n'));
    const stream = connect(server.url(), {
      method: 'PUT',
      body: ({ attempt }) => new Blob([`attempt ${attempt}`]).stream(),
      reconnect: { ...fast, shouldRetry: () => server.requests.length < 2 },
    });
    await assert.rejects(stream.done, { reason: 'ended' });
    assert.deepEqual(
      server.requests.map((r) => `${r.method} ${r.body}`),
      ['PUT attempt 0', 'PUT attempt 1'],
    );
  });

  it('refuses up front what fetch would refuse on every attempt', () => {
    assert.throws(
      () => connect('http://127.0.0.1:1/', { method: 'GET', body: 'x' }),
      /GET request cannot have a body/,
    );
    assert.throws(
      () => connect('http://127.0.0.1:1/', { body: new Blob(['x']).stream() as unknown as string }),
      /cannot be sent again/,
    );
    assert.throws(() => connect('not a url'), TypeError);
    assert.throws(() => connect('http://127.0.0.1:1/', { reconnect: { factor: 0 } }), /reconnect\.factor/);
    assert.throws(() => connect('http://127.0.0.1:1/', { reconnect: { maxAttempts: -1 } }), /maxAttempts/);
    assert.throws(() => connect('http://127.0.0.1:1/', { bufferSize: 0 }), /bufferSize/);
    assert.throws(
      () => connect('http://127.0.0.1:1/', { lastEventId: 'a\nb' }),
      /lastEventId cannot contain/,
    );
    assert.throws(() => connect('http://127.0.0.1:1/', { stallTimeout: -5 }), /stallTimeout/);
    assert.throws(() => connect('http://127.0.0.1:1/', { parse: 'xml' as 'json' }), /parse must be/);
  });

  it('uses a custom fetch', async () => {
    const calls: string[] = [];
    const stream = connect<{ message: string }>('http://example.invalid/feed', {
      fetch: async (input) => {
        calls.push(String(input));
        return new Response('data: from custom fetch\n\n', {
          headers: { 'content-type': 'text/event-stream' },
        });
      },
      reconnect: false,
    });
    const received: string[] = [];
    for await (const event of stream) received.push(event.data);
    assert.deepEqual(calls, ['http://example.invalid/feed']);
    assert.deepEqual(received, ['from custom fetch']);
  });

  it('starts from the lastEventId option', async () => {
    const server = await serve(streamThenEnd(''));
    await connect(server.url(), { lastEventId: '41', reconnect: false }).done;
    assert.equal(server.requests[0]?.headers['last-event-id'], '41');
  });

  it('[spec] follows redirects', async () => {
    const target = await serve(streamThenEnd('data: here\n\n'), '127.0.0.2');
    const start = await serve((_request, response) => {
      response.writeHead(302, { location: target.url() });
      response.end();
    });
    for await (const event of connect(start.url())) {
      assert.deepEqual([event.data, event.origin], ['here', target.origin]);
      break;
    }
  });

  it('an aborted signal closes the connection; done resolves', async () => {
    const server = await serve((_request, response) => openStream(response));
    const controller = new AbortController();
    const stream = connect(server.url(), { signal: controller.signal, onOpen: () => controller.abort() });
    await stream.done;
    assert.equal(stream.state, 'closed');
  });

  it('a signal aborted before connect() sends no request', async () => {
    const server = await serve(streamThenEnd(''));
    const stream = connect(server.url(), { signal: AbortSignal.abort() });
    await stream.done;
    assert.equal(stream.state, 'closed');
    assert.equal(server.requests.length, 0);
  });
});
