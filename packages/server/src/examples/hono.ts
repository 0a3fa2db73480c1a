/**
 * Runnable example: Hono on @hono/node-server, a stream at GET /events.
 * Run: npm exec -- node --conditions=spout-source packages/server/src/examples/hono.ts
 */
import { type ServerType, serve } from '@hono/node-server';
import { Channel, sseFromHono } from '@spout/server';
import { Hono } from 'hono';

export function startHonoExample(port = 8080): { server: ServerType; channel: Channel } {
  const channel = new Channel();
  const app = new Hono();
  app.get('/events', (c) => {
    const { session, response } = sseFromHono(c);
    channel.join(session);
    return response;
  });
  return { server: serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }), channel };
}

if (import.meta.main) {
  const { channel } = startHonoExample();
  setInterval(() => channel.broadcast({ now: Date.now() }), 1000);
}
