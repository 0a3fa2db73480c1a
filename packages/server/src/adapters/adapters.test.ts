import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { serve } from '@hono/node-server';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { Channel } from '../channel/channel.ts';
import { MemoryHistory } from '../history/memory-history.ts';
import type { Session } from '../session/session.ts';
import { listen, openStream } from '../testing/sse-client.ts';
import { sseFromExpress } from './express.ts';
import { sseFromFastify } from './fastify.ts';
import { sseFromHono } from './hono.ts';

const quiet = { heartbeatInterval: 0 };

/** Resumes after id 0 (replay of "before"), then checks a live event and the cleanup after a disconnect. */
async function checkStreaming(url: string, channel: Channel, joined: () => Promise<Session>): Promise<void> {
  await channel.broadcast('before');
  const stream = await openStream(`${url}/events`, { 'last-event-id': '0' });
  assert.equal(stream.response.status, 200);
  assert.equal(stream.response.headers.get('content-type'), 'text/event-stream; charset=utf-8');
  assert.equal(stream.response.headers.get('x-custom'), 'kept');
  const session = await joined();
  await channel.broadcast('live', { event: 'update' });
  const events = await stream.waitForEvents(2);
  assert.deepEqual(
    events.map((event) => [event.type, event.data]),
    [
      ['message', '"before"'],
      ['update', '"live"'],
    ],
  );
  stream.abort();
  assert.equal(await session.closed, 'client');
  assert.equal(channel.size, 0);
}

function joinTracker() {
  let resolve: (session: Session) => void = () => {};
  const promise = new Promise<Session>((r) => {
    resolve = r;
  });
  return { joined: () => promise, resolve };
}

describe('framework adapters, against the real frameworks', () => {
  test('Express: replay, live events and disconnect cleanup', async () => {
    const channel = new Channel({ history: new MemoryHistory() });
    await channel.broadcast('zero', { id: '0' });
    const tracker = joinTracker();
    const app = express();
    app.get('/events', (req, res) => {
      res.set('x-custom', 'kept');
      const session = sseFromExpress(req, res, quiet);
      channel.join(session);
      tracker.resolve(session);
    });
    const server = await listen(app.listen(0, '127.0.0.1'));
    await checkStreaming(server.url, channel, tracker.joined);
    await server.close();
  });

  test('Fastify: replay, live events and disconnect cleanup, headers set on the reply kept', async () => {
    const channel = new Channel({ history: new MemoryHistory() });
    await channel.broadcast('zero', { id: '0' });
    const tracker = joinTracker();
    const app = Fastify();
    app.get('/events', (request, reply) => {
      reply.header('x-custom', 'kept');
      const session = sseFromFastify(request, reply, quiet);
      channel.join(session);
      tracker.resolve(session);
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    await checkStreaming(`http://127.0.0.1:${port}`, channel, tracker.joined);
    await app.close();
  });

  test('Hono on @hono/node-server: replay, live events and disconnect cleanup', async () => {
    const channel = new Channel({ history: new MemoryHistory() });
    await channel.broadcast('zero', { id: '0' });
    const tracker = joinTracker();
    const app = new Hono();
    app.get('/events', (c) => {
      const { session, response } = sseFromHono(c, { ...quiet, headers: { 'x-custom': 'kept' } });
      channel.join(session);
      tracker.resolve(session);
      return response;
    });
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;
    await checkStreaming(`http://127.0.0.1:${port}`, channel, tracker.joined);
    server.close();
  });
});
