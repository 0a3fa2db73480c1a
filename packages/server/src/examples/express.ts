/**
 * Runnable example: Express, a stream at GET /events and a JSON publish endpoint.
 * Run: npm exec -- node --conditions=spout-source packages/server/src/examples/express.ts
 */
import type { Server } from 'node:http';
import { Channel, MemoryHistory, sseFromExpress } from '@spout/server';
import express from 'express';

export function startExpressExample(port = 8080): { server: Server; channel: Channel } {
  const channel = new Channel({ history: new MemoryHistory() });
  const app = express();
  app.get('/events', (req, res) => {
    res.set('x-stream', 'spout'); // headers set before are kept
    channel.join(sseFromExpress(req, res));
  });
  app.post('/publish', express.json(), async (req, res) => {
    res.json({ id: await channel.broadcast(req.body) });
  });
  return { server: app.listen(port), channel };
}

if (import.meta.main) startExpressExample();
