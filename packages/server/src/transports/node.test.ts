import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, describe, test } from 'node:test';
import type { CloseReason, Session } from '../session/session.ts';
import { openStream, startHttpServer, type TestServer } from '../testing/sse-client.ts';
import { createSession, type HttpSessionOptions } from './node.ts';

type Handler = (session: Session) => void | Promise<void>;

/** A server whose every request becomes a session handed to `handler`. */
async function serve(handler: Handler, options: HttpSessionOptions = {}): Promise<TestServer> {
  return startHttpServer((req, res) => {
    void handler(createSession(req, res, options));
  });
}

const servers: TestServer[] = [];
async function open(handler: Handler, options?: HttpSessionOptions): Promise<string> {
  const server = await serve(handler, options);
  servers.push(server);
  return server.url;
}
after(() => Promise.all(servers.map((server) => server.close())));

describe('createSession over node:http', () => {
  test('sends the event-stream headers, with Connection on HTTP/1.1', async () => {
    const url = await open(() => {});
    const stream = await openStream(url);
    assert.equal(stream.response.status, 200);
    assert.equal(stream.response.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    assert.equal(stream.response.headers.get('cache-control'), 'no-cache, no-transform');
    assert.equal(stream.response.headers.get('x-accel-buffering'), 'no');
    assert.equal(stream.response.headers.get('connection'), 'keep-alive');
    stream.abort();
  });

  test('flushes the headers at once, before any event is sent', async () => {
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const url = await open(async (session) => {
      await released;
      session.send('late');
    });
    // fetch resolves on headers: it would hang here if they waited for the first write.
    const stream = await openStream(url);
    assert.equal(stream.events.length, 0);
    release();
    const [event] = await stream.waitForEvents(1);
    assert.equal(event?.data, '"late"');
    stream.abort();
  });

  test('[RFC 9112 7.1] empty bytes do not end the stream (a chunk of size 0 would be the last one)', async () => {
    const url = await open(async (session) => {
      session.sendBytes(new Uint8Array(0));
      // A turn later, so that the empty bytes were flushed on their own.
      await new Promise((resolve) => setTimeout(resolve, 20));
      session.send('after');
    });
    const stream = await openStream(url);
    const [event] = await stream.waitForEvents(1);
    assert.equal(event?.data, '"after"');
    stream.abort();
  });

  test('serializes data as JSON by default', async () => {
    const url = await open((session) => {
      session.send({ price: 187.2, symbol: 'AAPL' });
    });
    const stream = await openStream(url);
    const [event] = await stream.waitForEvents(1);
    assert.deepEqual(JSON.parse(event!.data), { price: 187.2, symbol: 'AAPL' });
    assert.equal(event!.type, 'message');
    stream.abort();
  });

  test('[spec] multi-line data arrives as sent, one data: line per line', async () => {
    const url = await open(
      (session) => {
        session.send('line one\nline two\r\nline three\r\n\nafter a blank line');
      },
      { serialize: String },
    );
    const stream = await openStream(url);
    const [event] = await stream.waitForEvents(1);
    assert.equal(event!.data, 'line one\nline two\nline three\n\nafter a blank line');
    stream.abort();
  });

  test('[spec] named events, ids and retry reach the client', async () => {
    const url = await open((session) => {
      session.send(1, { event: 'tick', id: 'a1' });
      session.send(2, { event: 'tock', id: 'a2', retry: 2500 });
    });
    const stream = await openStream(url);
    const events = await stream.waitForEvents(2);
    assert.deepEqual(
      events.map((event) => [event.type, event.data, event.lastEventId]),
      [
        ['tick', '1', 'a1'],
        ['tock', '2', 'a2'],
      ],
    );
    stream.abort();
  });

  test('emit() sends a named, typed event', async () => {
    type Events = { price: { value: number }; news: string };
    const url = await open((session) => {
      (session as Session<Events>).emit('price', { value: 3 }, { id: '9' });
    });
    const stream = await openStream(url);
    const [event] = await stream.waitForEvents(1);
    assert.deepEqual([event!.type, event!.data, event!.lastEventId], ['price', '{"value":3}', '9']);
    stream.abort();
  });

  test('sends the retry option as a retry: field when the stream opens', async () => {
    const url = await open(() => {}, { retry: 1234 });
    const response = await fetch(url);
    const reader = response.body!.getReader();
    const { value } = await reader.read();
    assert.equal(new TextDecoder().decode(value), 'retry: 1234\n\n');
    await reader.cancel();
  });

  test('sends comments, ignored by clients as events', async () => {
    const url = await open((session) => {
      session.comment('hello there');
      session.send('after');
    });
    const stream = await openStream(url);
    await stream.waitForEvents(1);
    assert.deepEqual(stream.comments, ['hello there']);
    stream.abort();
  });

  test('sends heartbeat comments on idle sessions', async () => {
    const url = await open(() => {}, { heartbeatInterval: 30 });
    const stream = await openStream(url);
    const comments = await stream.waitForComments(2);
    assert.deepEqual(comments, ['', '']);
    stream.abort();
  });

  test('close() sends the final event, ends the stream and resolves closed with "server"', async () => {
    let closed: Promise<CloseReason> = Promise.resolve('error');
    const url = await open((session) => {
      closed = session.closed;
      session.send('last words');
      session.close({ event: 'bye', data: 'see you' });
      assert.equal(session.isOpen, false);
      assert.equal(session.send('too late'), false);
    });
    const stream = await openStream(url);
    await stream.ended;
    assert.deepEqual(
      stream.events.map((event) => [event.type, event.data]),
      [
        ['message', '"last words"'],
        ['bye', 'see you'],
      ],
    );
    assert.equal(await closed, 'server');
  });

  test('a client disconnect resolves closed with "client" and calls onClose listeners', async () => {
    let session: Session | undefined;
    let opened: () => void = () => {};
    const ready = new Promise<void>((resolve) => {
      opened = resolve;
    });
    const url = await open((s) => {
      session = s;
      opened();
    });
    const stream = await openStream(url);
    await ready;
    const heard: CloseReason[] = [];
    session!.onClose((reason) => heard.push(reason));
    stream.abort();
    assert.equal(await session!.closed, 'client');
    assert.deepEqual(heard, ['client']);
    assert.equal(session!.isOpen, false);
    assert.equal(session!.send('nobody listens'), false);
  });

  test('reads Last-Event-ID from the header', async () => {
    let seen: string | undefined;
    const url = await open((session) => {
      seen = session.lastEventId;
      session.close();
    });
    const stream = await openStream(url, { 'last-event-id': '42' });
    await stream.ended;
    assert.equal(seen, '42');
  });

  test('[spec] decodes a non-ASCII Last-Event-ID header as UTF-8', async () => {
    let seen: string | undefined;
    const url = await open((session) => {
      seen = session.lastEventId;
      session.close();
    });
    const bytes = Buffer.from('id-é€', 'utf8').toString('latin1');
    const stream = await openStream(url, { 'last-event-id': bytes });
    await stream.ended;
    assert.equal(seen, 'id-é€');
  });

  test('reads the last event id from the query parameter the app names', async () => {
    let seen: string | undefined;
    const url = await open(
      (session) => {
        seen = session.lastEventId;
        session.close();
      },
      { lastEventIdParam: 'lastEventId' },
    );
    const stream = await openStream(`${url}/events?topic=x&lastEventId=17`);
    await stream.ended;
    assert.equal(seen, '17');
  });

  test('rejects a serializer result that is not a string', async () => {
    let error: unknown;
    const url = await open((session) => {
      try {
        session.send(undefined);
      } catch (caught) {
        error = caught;
      }
      session.close();
    });
    await (await openStream(url)).ended;
    assert.ok(error instanceof TypeError);
    assert.match(error.message, /serializer returned undefined/);
  });

  test('adds application headers and refuses ones that break the stream', async () => {
    const url = await open(() => {}, { headers: { 'X-Trace': 'abc' } });
    const stream = await openStream(url);
    assert.equal(stream.response.headers.get('x-trace'), 'abc');
    stream.abort();
    let error: unknown;
    const bad = await startHttpServer((req, res) => {
      try {
        createSession(req, res, { headers: { 'Content-Encoding': 'gzip' } });
      } catch (caught) {
        error = caught;
        res.writeHead(500).end();
      }
    });
    await (await fetch(bad.url)).text();
    await bad.close();
    assert.match(String(error), /Content-Encoding.*cannot be set/);
  });

  test('refuses a response whose headers were already sent', async () => {
    let error: unknown;
    const server = await startHttpServer((req, res: ServerResponse) => {
      res.writeHead(200);
      res.flushHeaders();
      try {
        createSession(req, res);
      } catch (caught) {
        error = caught;
      }
      res.end();
    });
    await (await fetch(server.url)).text();
    await server.close();
    assert.match(String(error), /already sent its headers/);
  });
});
