/**
 * What code written for the `eventsource` package (v4) or Node's built-in EventSource (undici) relies on,
 * beyond the events themselves: the Web IDL shape, URL credentials, the `fetch` option, and error details.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { serverPool } from '../testing/servers.ts';
import { openStream, streamThenEnd } from '../testing/test-server.ts';
import { EventSourceErrorEvent } from './error-event.ts';
import { EventSource, type EventSourceFetchInit } from './event-source.ts';

const serve = serverPool();

describe('EventSource: the Web IDL interface', () => {
  it('[webidl] CONNECTING, OPEN and CLOSED are read-only, enumerable, non-configurable on the constructor and the prototype', () => {
    for (const holder of [EventSource, EventSource.prototype]) {
      for (const [name, value] of [
        ['CONNECTING', 0],
        ['OPEN', 1],
        ['CLOSED', 2],
      ] as const) {
        assert.deepEqual(Object.getOwnPropertyDescriptor(holder, name), {
          value,
          writable: false,
          enumerable: true,
          configurable: false,
        });
      }
    }
    assert.throws(() => {
      (EventSource as unknown as { OPEN: number }).OPEN = 5;
    }, TypeError);
  });

  it('[webidl] the constructor without an argument throws a TypeError', () => {
    const Constructor = EventSource as unknown as new () => EventSource;
    assert.throws(() => new Constructor(), TypeError);
  });

  it('[spec] the url argument is converted with String(): an object with toString() names the stream', async () => {
    const server = await serve(streamThenEnd(''));
    const source = new EventSource({ toString: () => server.url('/from-object') } as unknown as string);
    await server.waitForRequests(1);
    source.close();
    assert.equal(source.url, server.url('/from-object'));
    assert.equal(server.requests[0]?.path, '/from-object');
  });

  it('[spec] an invalid URL (undefined converts to "undefined", which has no base in Node) throws a SyntaxError DOMException', () => {
    const Constructor = EventSource as unknown as new (url: unknown) => EventSource;
    for (const url of [undefined, 'http://[::1']) {
      assert.throws(
        () => new Constructor(url),
        (error: unknown) => error instanceof DOMException && error.name === 'SyntaxError',
      );
    }
  });
});

describe('EventSource: credentials in the URL', () => {
  it('sends them as Basic authorization (percent-decoded) on a URL without them, from the first request', async () => {
    const server = await serve(streamThenEnd('data: in\n\n'));
    const url = server.url('/private').replace('http://', 'http://al%20ice:p%40ss@');
    const source = new EventSource(url);
    const [message] = (await once(source, 'message')) as [MessageEvent];
    source.close();
    assert.equal(message.data, 'in');
    const [request] = server.requests;
    assert.equal(request?.headers.authorization, `Basic ${btoa('al ice:p@ss')}`);
    assert.equal(request?.path, '/private');
    // [spec] url is the serialized URL record, credentials included, as in undici.
    assert.equal(source.url, url);
  });
});

describe('EventSource: the fetch option (eventsource v4)', () => {
  it("says it honours the option the way eventsource does: Symbol.for('eventsource.supports-fetch-override')", () => {
    const flag = Symbol.for('eventsource.supports-fetch-override');
    assert.equal((EventSource as unknown as Record<symbol, unknown>)[flag], true);
  });

  it('is called for every connection with (url, init) carrying headers, mode, credentials, cache, redirect and signal', async () => {
    const server = await serve(streamThenEnd('retry: 5\nid: 4\ndata: x\n\n'));
    const calls: [URL, EventSourceFetchInit][] = [];
    const source = new EventSource(server.url(), {
      fetch: (url, init) => {
        calls.push([url, init]);
        return fetch(url, init);
      },
    });
    await server.waitForRequests(2);
    source.close();
    const [[url, init] = [], [, second] = []] = calls;
    assert.equal(String(url), server.url());
    assert.deepEqual(
      [init?.mode, init?.credentials, init?.cache, init?.redirect, init?.signal instanceof AbortSignal],
      ['cors', 'same-origin', 'no-store', 'follow', true],
    );
    assert.equal(init?.headers.Accept, 'text/event-stream');
    assert.equal(second?.headers['Last-Event-ID'], '4');
  });

  it('adds headers the way the eventsource README shows: spreading init.headers', async () => {
    const server = await serve(streamThenEnd('data: x\n\n'));
    const source = new EventSource(server.url().replace('http://', 'http://user:pw@'), {
      fetch: (input, init) =>
        fetch(input, { ...init, headers: { ...init.headers, Authorization: 'Bearer token' } }),
    });
    await once(source, 'message');
    source.close();
    // The URL's credentials are replaced, not joined to the added value.
    assert.equal(server.requests[0]?.headers.authorization, 'Bearer token');
    assert.equal(server.requests[0]?.headers.accept, 'text/event-stream');
  });
});

describe('EventSource: error events (eventsource v4 extras)', () => {
  it('a refused response fires an Event named error that also carries code (the status) and message', async () => {
    const server = await serve((_request, response) => response.writeHead(401).end());
    const source = new EventSource(server.url());
    const [event] = (await once(source, 'error')) as [EventSourceErrorEvent];
    assert.ok(event instanceof Event);
    assert.ok(event instanceof EventSourceErrorEvent);
    assert.deepEqual([event.type, event.bubbles, event.cancelable], ['error', false, false]);
    assert.equal(event.code, 401);
    assert.match(event.message ?? '', /401/);
    assert.equal(source.readyState, EventSource.CLOSED);
  });

  it('the end of a stream that opened carries no code', async () => {
    const server = await serve((_request, response) => {
      openStream(response);
      response.end('data: x\n\n');
    });
    const source = new EventSource(server.url());
    const [event] = (await once(source, 'error')) as [EventSourceErrorEvent];
    source.close();
    assert.equal(event.code, undefined);
    assert.equal(typeof event.message, 'string');
  });
});
