/**
 * Timers and sockets: reconnection waits on the global setTimeout (so fake timers drive it), and
 * close() leaves nothing running, wherever it is called from.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { describe, it, mock } from 'node:test';
import { liveResources, settlesTo } from '../testing/handles.ts';
import { serverPool } from '../testing/servers.ts';
import { openStream, streamThenEnd } from '../testing/test-server.ts';
import { EventSource } from './event-source.ts';

const serve = serverPool();

/** A server whose responses stay open; resolves `closed` when the client drops the first request's socket. */
async function openEndedServer(body: string) {
  let request: IncomingMessage | undefined;
  const server = await serve((incoming, response) => {
    request ??= incoming;
    openStream(response);
    response.write(body);
  });
  return { server, clientHungUp: () => (request ? once(request.socket, 'close') : Promise.resolve()) };
}

describe('EventSource: timers', () => {
  it('waits for the reconnection time on the global setTimeout, looked up when it waits: fake timers drive it', async (t) => {
    // Ten minutes: with a real timer the reconnect would not come before the test times out.
    const server = await serve(streamThenEnd('retry: 600000\ndata: x\n\n'));
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const source = new EventSource(server.url());
    await once(source, 'error');
    t.mock.timers.tick(600_000);
    await server.waitForRequests(2);
    source.close();
    mock.timers.reset();
    assert.equal(server.requests.length, 2);
  });
});

describe('EventSource: close() leaves no timer or socket behind', () => {
  it('called from inside a message handler', async () => {
    const before = liveResources();
    const { server, clientHungUp } = await openEndedServer('data: one\n\ndata: two\n\n');
    const source = new EventSource(server.url());
    const seen: string[] = [];
    source.onmessage = (event) => {
      seen.push(event.data);
      source.close();
    };
    await once(source, 'message');
    await clientHungUp();
    assert.deepEqual(await settlesTo(before), { timers: 0, sockets: 0 });
    assert.deepEqual(seen, ['one']);
    assert.equal(server.requests.length, 1);
  });

  it('called from inside an open handler, before any byte of the body is read', async () => {
    const before = liveResources();
    const { server, clientHungUp } = await openEndedServer('data: never\n\n');
    const source = new EventSource(server.url());
    let messages = 0;
    source.onmessage = () => messages++;
    source.onopen = () => source.close();
    await once(source, 'open');
    await clientHungUp();
    assert.deepEqual(await settlesTo(before), { timers: 0, sockets: 0 });
    assert.equal(messages, 0);
  });

  it('called from inside the error handler of a reconnect: the reconnect never starts', async () => {
    const before = liveResources();
    const server = await serve(streamThenEnd('retry: 1\ndata: x\n\n'));
    const source = new EventSource(server.url());
    source.onerror = () => source.close();
    await once(source, 'error');
    assert.deepEqual(await settlesTo(before), { timers: 0, sockets: 0 });
    assert.equal(source.readyState, EventSource.CLOSED);
    assert.equal(server.requests.length, 1);
  });

  it('called before the first connection completes', async () => {
    const before = liveResources();
    const { server } = await openEndedServer('data: never\n\n');
    const source = new EventSource(server.url());
    const events: string[] = [];
    for (const type of ['open', 'message', 'error']) source.addEventListener(type, () => events.push(type));
    source.close();
    assert.deepEqual(await settlesTo(before), { timers: 0, sockets: 0 });
    assert.deepEqual(events, []);
    assert.equal(source.readyState, EventSource.CLOSED);
  });
});
