/**
 * Runnable example of both APIs against a small local event-stream server:
 *   npm exec -- node --conditions=spout-source packages/client/examples/quickstart.ts
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { connect, EventSource, SseError } from '@spout/client';

/** The events of the demo stream, by type. */
interface PriceEvents {
  price: { symbol: string; value: number };
  message: string;
}

export async function main(log: (line: string) => void = console.log): Promise<void> {
  // A demo server: three events per connection, then it ends the stream.
  const server = createServer((request, response) => {
    if (request.headers.authorization === 'Bearer wrong') {
      response.writeHead(401, { 'content-type': 'text/plain' }).end('token expired');
      return;
    }
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    const resumeFrom = Number(request.headers['last-event-id'] ?? 0);
    response.end(
      `retry: 100\nid: ${resumeFrom + 1}\ndata: "hello"\n\n` +
        `id: ${resumeFrom + 2}\nevent: price\ndata: {"symbol":"ACME","value":42.5}\n\n`,
    );
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;

  // 1. The drop-in EventSource: same API as in browsers. It reconnects by itself, sending Last-Event-ID.
  const source = new EventSource(url);
  const ids: string[] = [];
  source.onmessage = (event) => log(`EventSource message ${event.data} (id ${event.lastEventId})`);
  source.addEventListener('price', (event) => {
    ids.push(event.lastEventId);
    log(`EventSource price ${event.data} (id ${event.lastEventId})`);
    if (ids.length === 2) source.close(); // the second price came after a reconnect with Last-Event-ID: 2
  });
  while (source.readyState !== EventSource.CLOSED) await new Promise((resolve) => setTimeout(resolve, 20));

  // 2. connect(): headers, typed JSON events, async iteration, a reconnect policy.
  const stream = connect<PriceEvents>(url, {
    headers: { authorization: 'Bearer secret' },
    parse: 'json',
    reconnect: { maxAttempts: 5, minDelay: 50, maxDelay: 2000 },
  });
  for await (const event of stream) {
    if (event.type === 'price') {
      log(`connect price ${event.data.symbol} ${event.data.value.toFixed(2)} (id ${event.lastEventId})`);
      break; // leaving the loop closes the connection
    }
    log(`connect message ${event.data}`);
  }

  // 3. Errors carry the HTTP status and the reason.
  try {
    await connect(url, { headers: { authorization: 'Bearer wrong' } }).done;
  } catch (error) {
    if (error instanceof SseError) log(`connect failed: ${error.reason} ${error.status} ${error.body}`);
  }

  server.close();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
