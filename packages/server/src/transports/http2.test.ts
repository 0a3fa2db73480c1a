import assert from 'node:assert/strict';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { after, describe, test } from 'node:test';
import { createSseReader } from '../../../../testing/sse-reader.ts';
import type { Session } from '../session/session.ts';
import { createStreamSession } from './http2.ts';
import { createSession } from './node.ts';

/** An HTTP/2 client stream read with the shared test reader. */
async function request(port: number, headers: http2.OutgoingHttpHeaders = {}) {
  const client = http2.connect(`http://127.0.0.1:${port}`);
  const stream = client.request({ ':path': '/events', ...headers });
  const response = await new Promise<http2.IncomingHttpHeaders>((resolve, reject) => {
    stream.once('response', resolve);
    stream.once('error', reject);
  });
  const reader = createSseReader();
  stream.on('data', (chunk: Buffer) => reader.feed(chunk));
  const waitForEvents = async (count: number) => {
    await reader.until(
      () => reader.events.length >= count,
      () => `stream ended with ${reader.events.length} events`,
    );
    return reader.events.slice(0, count);
  };
  const ended = new Promise<void>((resolve) => stream.once('end', resolve));
  ended.then(() => reader.end());
  stream.resume();
  return { response, waitForEvents, ended, disconnect: () => client.destroy() };
}

async function listen(server: http2.Http2Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

const CONNECTION_HEADERS = ['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection'];

describe('HTTP/2 compatibility API (createSession)', () => {
  let latest: Promise<Session>;
  let opened: (session: Session) => void;
  const server = http2.createServer((req, res) => {
    const session = createSession(req, res, { heartbeatInterval: 0 });
    opened(session);
    if (req.url === '/events') {
      session.send('hello', { event: 'greet', id: '1' });
      session.send('multi\nline', { id: '2' });
    }
  });
  const next = () => {
    latest = new Promise((resolve) => {
      opened = resolve;
    });
  };
  after(() => server.close());

  test('[RFC 9113 8.2.2] sends the SSE headers and no connection-specific header', async () => {
    const port = await listen(server);
    next();
    const client = await request(port);
    assert.equal(client.response[':status'], 200);
    assert.equal(client.response['content-type'], 'text/event-stream; charset=utf-8');
    assert.equal(client.response['cache-control'], 'no-cache, no-transform');
    assert.equal(client.response['x-accel-buffering'], 'no');
    for (const name of CONNECTION_HEADERS) assert.equal(client.response[name], undefined, name);
    const events = await client.waitForEvents(2);
    assert.deepEqual(
      events.map((event) => [event.type, event.data, event.lastEventId]),
      [
        ['greet', '"hello"', '1'],
        ['message', '"multi\\nline"', '2'],
      ],
    );
    client.disconnect();
    assert.equal(await (await latest).closed, 'client');
  });

  test('a client that goes away closes the session', async () => {
    const port = (server.address() as AddressInfo).port;
    next();
    const client = await request(port);
    const session = await latest;
    client.disconnect();
    assert.equal(await session.closed, 'client');
  });
});

describe('HTTP/2 native streams (createStreamSession)', () => {
  const sessions: Session[] = [];
  const server = http2.createServer();
  server.on('stream', (stream, headers) => {
    const session = createStreamSession(stream, headers, { heartbeatInterval: 0, lastEventIdParam: 'last' });
    sessions.push(session);
    session.send({ resumedFrom: session.lastEventId ?? null }, { id: '7' });
    if (headers[':path']?.includes('close')) session.close({ event: 'bye', data: '' });
  });
  after(() => server.close());

  test('[RFC 9113 8.2.2] answers with SSE headers and no connection-specific header', async () => {
    const port = await listen(server);
    const client = await request(port, { 'last-event-id': '6' });
    assert.equal(client.response[':status'], 200);
    assert.equal(client.response['content-type'], 'text/event-stream; charset=utf-8');
    for (const name of CONNECTION_HEADERS) assert.equal(client.response[name], undefined, name);
    const [event] = await client.waitForEvents(1);
    assert.deepEqual(JSON.parse(event!.data), { resumedFrom: '6' });
    assert.equal(event!.lastEventId, '7');
    client.disconnect();
    assert.equal(await sessions.at(-1)!.closed, 'client');
  });

  test('close() ends the stream after the final event', async () => {
    const port = (server.address() as AddressInfo).port;
    const client = await request(port, { ':path': '/events?close=1&last=3' });
    const events = await client.waitForEvents(2);
    await client.ended;
    assert.deepEqual(JSON.parse(events[0]!.data), { resumedFrom: '3' });
    assert.equal(events[1]!.type, 'bye');
    assert.equal(await sessions.at(-1)!.closed, 'server');
    client.disconnect();
  });
});

describe('HTTP/2 backpressure', () => {
  test('[policy] a stream whose client stops reading is closed at its cap, flow control respected', async () => {
    let session: Session | undefined;
    const server = http2.createServer();
    server.on('stream', (stream, headers) => {
      session = createStreamSession(stream, headers, { heartbeatInterval: 0, maxBufferedBytes: 128 * 1024 });
    });
    const port = await listen(server);
    const client = http2.connect(`http://127.0.0.1:${port}`);
    const stream = client.request({ ':path': '/events' });
    await new Promise((resolve) => stream.once('response', resolve));
    stream.pause(); // the client's flow-control window fills, then the server's stream buffer
    while (session === undefined) await new Promise((resolve) => setTimeout(resolve, 5));
    const payload = 'z'.repeat(4000);
    for (let i = 0; i < 10_000 && session.isOpen; i++) {
      session.send(payload);
      if (i % 8 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    assert.equal(await session.closed, 'overflow');
    client.destroy();
    server.close();
  });
});
