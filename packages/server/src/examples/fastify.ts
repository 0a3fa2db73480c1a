/**
 * Runnable example: Fastify, a stream at GET /events.
 * Run: npm exec -- node --conditions=spout-source packages/server/src/examples/fastify.ts
 */
import { Channel, sseFromFastify } from '@spout/server';
import Fastify, { type FastifyInstance } from 'fastify';

export async function startFastifyExample(port = 8080): Promise<{ app: FastifyInstance; channel: Channel }> {
  const channel = new Channel();
  const app = Fastify();
  app.get('/events', (request, reply) => {
    channel.join(sseFromFastify(request, reply)); // hijacks the reply; headers set on it are kept
  });
  await app.listen({ port, host: '127.0.0.1' });
  return { app, channel };
}

if (import.meta.main) {
  const { channel } = await startFastifyExample();
  setInterval(() => channel.broadcast({ now: Date.now() }), 1000);
}
