/** fetchEventSource() keeps the behaviour @microsoft/fetch-event-source documents for its options and promise. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SseError } from '../core/sse-error.ts';
import { serverPool } from '../testing/servers.ts';
import { openStream, streamThenEnd } from '../testing/test-server.ts';
import { type EventSourceMessage, fetchEventSource } from './fetch-event-source.ts';

const serve = serverPool();

describe('fetchEventSource(): the fetch-event-source API on connect()', () => {
  it('sends method, headers and body; onmessage hears every event as { id, event, data, retry }', async () => {
    const server = await serve(streamThenEnd('retry: 20\nid: 1\ndata: a\n\nevent: price\ndata: 42\n\n'));
    const messages: EventSourceMessage[] = [];
    await fetchEventSource(server.url(), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"q":1}',
      onmessage: (message) => messages.push(message),
    });
    assert.deepEqual(messages, [
      { id: '1', event: '', data: 'a', retry: 20 },
      { id: '1', event: 'price', data: '42' },
    ]);
    const [request] = server.requests;
    assert.deepEqual(
      [request?.method, request?.body, request?.headers['content-type']],
      ['POST', '{"q":1}', 'application/json'],
    );
  });

  it('when the server ends the stream, onclose is called and the promise resolves, without a reconnect', async () => {
    const server = await serve(streamThenEnd('data: a\n\n'));
    let closes = 0;
    await fetchEventSource(server.url(), { onclose: () => closes++ });
    assert.equal(closes, 1);
    assert.equal(server.requests.length, 1);
  });

  it('an onclose that throws is an error for onerror, whose number is the retry interval; an onerror that throws rejects the promise with it', async () => {
    const server = await serve(streamThenEnd('data: a\n\n'));
    const seen: unknown[] = [];
    const stop = new Error('stop');
    const done = fetchEventSource(server.url(), {
      onclose: () => {
        throw new Error(`closed ${server.requests.length}`);
      },
      onerror: (error) => {
        seen.push((error as Error).message);
        if (seen.length === 2) throw stop;
        return 0;
      },
    });
    await assert.rejects(done, (error) => error === stop);
    assert.deepEqual(seen, ['closed 1', 'closed 2']);
    assert.equal(server.requests.length, 2);
  });

  it('what onopen throws reaches onerror as is; errors are retried when onerror returns nothing', async () => {
    const server = await serve(streamThenEnd('retry: 1\ndata: a\n\n'));
    const refused = new Error('refused');
    const seen: unknown[] = [];
    const done = fetchEventSource(server.url(), {
      onopen: () => {
        throw refused;
      },
      onerror: (error) => {
        seen.push(error);
        if (seen.length === 2) throw error;
      },
    });
    await assert.rejects(done, (error) => error === refused);
    assert.deepEqual(seen, [refused, refused]);
    assert.equal(server.requests.length, 2);
  });

  it('a refused status goes to onerror (as an SseError with the status), retried by default', async () => {
    const server = await serve((_request, response) => response.writeHead(401).end());
    const statuses: unknown[] = [];
    const done = fetchEventSource(server.url(), {
      onerror: (error) => {
        statuses.push(error instanceof SseError ? error.status : error);
        if (statuses.length === 2) throw error;
        return 0;
      },
    });
    await assert.rejects(done, { status: 401 });
    assert.deepEqual(statuses, [401, 401]);
  });

  it('what onmessage throws goes to onerror, and a throw there rejects the promise with it', async () => {
    const server = await serve(streamThenEnd('data: a\n\ndata: b\n\n'));
    const seen: string[] = [];
    const done = fetchEventSource(server.url(), {
      onmessage: (message) => {
        throw new Error(`bad ${message.data}`);
      },
      onerror: (error) => {
        seen.push((error as Error).message);
        throw error;
      },
    });
    await assert.rejects(done, { message: 'bad a' });
    assert.deepEqual(seen, ['bad a']);
  });

  it('aborting the signal resolves the promise', async () => {
    const server = await serve((_request, response) => {
      openStream(response);
      response.write('data: a\n\n');
    });
    const controller = new AbortController();
    await fetchEventSource(server.url(), { signal: controller.signal, onmessage: () => controller.abort() });
    assert.equal(server.requests.length, 1);
  });
});
