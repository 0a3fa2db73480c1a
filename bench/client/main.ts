/**
 * Client benchmark: events per second through each client over loopback, and heap per idle connection.
 * Run: npm run bench -- client  (bench/run.ts passes --expose-gc and --experimental-eventsource)
 * (undici's EventSource, Node's built-in, is measured only when the flag makes it available).
 * Bounded: a fixed number of events per run, a fixed number of idle connections.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect, EventSource } from '@spout/client';
import { machineLine, markdownTable, publish } from '../lib/report.ts';

const EVENTS = 100_000;
const IDLE_CONNECTIONS = 1000;
const PAYLOAD = JSON.stringify({ symbol: 'ACME', value: 42.5, text: 'x'.repeat(60) });
const STREAM = Buffer.from(
  Array.from({ length: EVENTS }, (_, i) => `id: ${i}\nevent: price\ndata: ${PAYLOAD}\n\n`).join(''),
);

interface Result {
  client: string;
  eventsPerSecond: number;
  megabytesPerSecond: number;
}

async function startServer(mode: 'burst' | 'idle'): Promise<{ url: string; server: Server }> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    if (mode === 'burst') response.end(STREAM);
    else response.write(': idle\n\n');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

type Runner = (url: string, onEvent: () => void) => () => void;

const runners: Record<string, Runner> = {
  '@spout/client EventSource': (url, onEvent) => {
    const source = new EventSource(url);
    source.addEventListener('price', onEvent);
    return () => source.close();
  },
  '@spout/client connect() + on()': (url, onEvent) => {
    const stream = connect(url);
    stream.on('price', onEvent);
    return () => stream.close();
  },
  '@spout/client connect() + for await': (url, onEvent) => {
    const stream = connect(url);
    void (async () => {
      for await (const _ of stream) onEvent();
    })();
    return () => stream.close();
  },
};

const NativeEventSource = (globalThis as unknown as { EventSource?: typeof EventSource }).EventSource;
if (NativeEventSource !== undefined && NativeEventSource !== EventSource) {
  runners['undici EventSource (Node built-in)'] = (url, onEvent) => {
    const source = new NativeEventSource(url);
    source.addEventListener('price', onEvent);
    return () => source.close();
  };
}

async function throughput(client: string, run: Runner): Promise<Result> {
  const { url, server } = await startServer('burst');
  let received = 0;
  const started = performance.now();
  await new Promise<void>((resolve) => {
    const stop = run(url, () => {
      if (++received === EVENTS) {
        stop();
        resolve();
      }
    });
  });
  const seconds = (performance.now() - started) / 1000;
  server.closeAllConnections();
  server.close();
  return { client, eventsPerSecond: EVENTS / seconds, megabytesPerSecond: STREAM.length / seconds / 1e6 };
}

async function heapPerIdleConnection(run: Runner): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) return Number.NaN;
  const { url, server } = await startServer('idle');
  gc();
  const before = process.memoryUsage().heapUsed;
  let opened = 0;
  const stops: (() => void)[] = [];
  await new Promise<void>((resolve) => {
    server.on('request', () => {
      if (++opened === IDLE_CONNECTIONS) setTimeout(resolve, 200);
    });
    for (let i = 0; i < IDLE_CONNECTIONS; i++) stops.push(run(url, () => undefined));
  });
  gc();
  const after = process.memoryUsage().heapUsed;
  for (const stop of stops) stop();
  server.closeAllConnections();
  server.close();
  // The server's side of each connection lives in this process too; both are counted.
  return (after - before) / IDLE_CONNECTIONS;
}

const results: Result[] = [];
for (const [client, run] of Object.entries(runners)) results.push(await throughput(client, run));
const idle = await heapPerIdleConnection(runners['@spout/client EventSource']!);

const rows = results.map((r) => [
  r.client,
  Math.round(r.eventsPerSecond).toLocaleString('en'),
  r.megabytesPerSecond.toFixed(1),
]);
publish(
  'client',
  [
    '## Client throughput',
    '',
    `Measured ${machineLine()}. ${EVENTS} events of ${Math.round(STREAM.length / EVENTS)} bytes on average, loopback, one burst.`,
    '',
    markdownTable(['client', 'events/s', 'MB/s'], rows),
    '',
    `Heap per idle @spout/client EventSource connection (client and server side, ${IDLE_CONNECTIONS} connections): ` +
      `${Number.isNaN(idle) ? 'run with --expose-gc' : `${(idle / 1024).toFixed(1)} KiB`}`,
  ].join('\n'),
);
