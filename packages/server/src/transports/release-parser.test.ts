import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import net from 'node:net';
import { describe, test } from 'node:test';
import type { Session } from '../session/session.ts';
import { openStream, startHttpServer, type TestServer } from '../testing/sse-client.ts';
import { createSession, type HttpSessionOptions } from './node.ts';

const turn = () => new Promise((resolve) => setImmediate(resolve));

/** A server: `/events` opens a session (handed to `onSession`), anything else answers its path as text. */
async function serve(
  onSession: (session: Session) => void,
  options: HttpSessionOptions = {},
): Promise<TestServer> {
  return startHttpServer((req, res) => {
    if (req.url === '/events') onSession(createSession(req, res, { heartbeatInterval: 0, ...options }));
    else res.end(`you asked for ${req.url}`);
  });
}

/** A raw HTTP/1.1 client socket that collects everything it reads. */
async function rawRequest(port: number, path = '/events') {
  const socket = net.connect(port, '127.0.0.1');
  let text = '';
  socket.on('data', (chunk: Buffer) => {
    text += chunk.toString('latin1');
  });
  const closed = once(socket, 'close');
  socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
  await once(socket, 'data');
  return { socket, read: () => text, closed };
}

describe('owning the HTTP/1 connection of a stream (default): direct writes, parser released', () => {
  test('other requests keep being parsed correctly while streams hold released connections', async () => {
    const sessions: Session[] = [];
    const server = await serve((session) => sessions.push(session));
    const streams = await Promise.all(Array.from({ length: 20 }, () => openStream(`${server.url}/events`)));
    await turn();
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        fetch(`${server.url}/page/${i}`).then((response) => response.text()),
      ),
    );
    assert.deepEqual(
      answers,
      Array.from({ length: 50 }, (_, i) => `you asked for /page/${i}`),
    );
    for (const session of sessions) session.send('still streaming');
    for (const stream of streams) {
      const [event] = await stream.waitForEvents(1);
      assert.equal(event?.data, '"still streaming"');
      stream.abort();
    }
    await server.close();
  });

  test('bytes the client sends after its request are ignored; the stream goes on', async () => {
    let session: Session | undefined;
    const server = await serve((s) => {
      session = s;
    });
    const client = await rawRequest(server.port);
    await turn();
    client.socket.write('GET /other HTTP/1.1\r\nHost: x\r\n\r\ngarbage\r\n');
    await new Promise((resolve) => setTimeout(resolve, 30));
    session!.send('after the noise');
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.match(client.read(), /data: "after the noise"/);
    assert.doesNotMatch(client.read(), /you asked for/);
    assert.equal(session!.isOpen, true);
    client.socket.destroy();
    await server.close();
  });

  test('a client hang-up closes the session', async () => {
    let session: Session | undefined;
    const server = await serve((s) => {
      session = s;
    });
    const client = await rawRequest(server.port);
    await turn();
    client.socket.end();
    assert.equal(await session!.closed, 'client');
    await server.close();
  });

  test('ending the stream closes the connection', async () => {
    let session: Session | undefined;
    const server = await serve((s) => {
      session = s;
    });
    const client = await rawRequest(server.port);
    await turn();
    session!.close({ event: 'bye', data: '' });
    await client.closed;
    assert.match(client.read(), /event: bye/);
    await server.close();
  });

  test('server.closeAllConnections() still closes released streams', async () => {
    let session: Session | undefined;
    const server = await serve((s) => {
      session = s;
    });
    const client = await rawRequest(server.port);
    await turn();
    await server.close();
    await client.closed;
    assert.equal(session!.isOpen, false);
  });

  test('a server without closeAllConnections (http2 secure server allowing HTTP/1) can still close released streams', async () => {
    let session: Session | undefined;
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
      session = createSession(req, res, { heartbeatInterval: 0 });
    };
    const server = http.createServer(handler);
    // Http2SecureServer has no closeAllConnections; emulate it on a plain server.
    Object.defineProperty(server, 'closeAllConnections', { value: undefined, writable: true });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = await rawRequest((server.address() as net.AddressInfo).port);
    await turn();
    assert.doesNotThrow(() => server.closeAllConnections());
    await client.closed;
    assert.equal(session!.isOpen, false);
    await new Promise((resolve) => server.close(resolve));
  });

  test('with ownConnection: false the connection is kept alive for another request', async () => {
    let session: Session | undefined;
    const server = await serve(
      (s) => {
        session = s;
      },
      { ownConnection: false },
    );
    const client = await rawRequest(server.port);
    await turn();
    session!.close();
    await new Promise((resolve) => setTimeout(resolve, 20));
    client.socket.write('GET /again HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.match(client.read(), /you asked for \/again/);
    client.socket.destroy();
    await server.close();
  });
});
