/**
 * Runnable example: live prices over node:http, with replay for reconnecting clients.
 * Run: npm exec -- node --conditions=spout-source packages/server/src/examples/node-http.ts, then open http://localhost:8080/prices
 */
import http from 'node:http';
import { Channel, createSession, MemoryHistory } from '@spout/server';

type Events = { price: { symbol: string; value: number } };

export function startNodeExample(port = 8080): { server: http.Server; prices: Channel<Events> } {
  const prices = new Channel<Events>({ history: new MemoryHistory({ maxEvents: 1000 }) });
  const options = { heartbeatInterval: 15_000 }; // one options object for all sessions
  const server = http.createServer((req, res) => {
    if (req.url?.startsWith('/prices')) {
      // Headers go out at once; a client that sent Last-Event-ID first gets what it missed.
      prices.join(createSession<Events>(req, res, options));
      return;
    }
    res.writeHead(404).end();
  });
  server.listen(port);
  return { server, prices };
}

if (import.meta.main) {
  const { prices } = startNodeExample();
  setInterval(() => prices.emit('price', { symbol: 'AAPL', value: 187 + Math.random() }), 1000);
}
