/**
 * Child process: the server under test, on a free port. `hub` is @spout/hub on the durable
 * sqlite store; `channel` is @spout/server's bare Channel with an HTTP publish endpoint, the
 * baseline the hub is held to, its events carrying an id of the hub's form (`urn:uuid:` and a
 * UUID, made on the server) so that both write the same events; `channel-no-ids` sends the data
 * alone. Answers `stats` messages with CPU time and memory (after gc).
 * Usage: node --expose-gc server.ts hub|channel|channel-no-ids
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import { type AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHub, createMemoryStore, createSqliteStore, listen } from '@spout/hub';
import { Channel, createSession } from '@spout/server';

export const BENCH_SECRET = 'bench-secret-0123456789abcdef0123456789abcdef';
const kind = process.argv[2];

/**
 * Socket writes, counted: what a delivery costs depends mostly on how many updates share one write.
 * Both servers write events with socket.write; their publish responses go through it too (a few
 * writes per request, alike on both sides), which the count includes.
 */
let socketWrites = 0;
const write = Socket.prototype.write;
Socket.prototype.write = function countedWrite(this: Socket, ...args: Parameters<Socket['write']>) {
  socketWrites++;
  return write.apply(this, args);
} as Socket['write'];

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

/** Channel events as the channel server sends them: with an id like the hub's, or without. */
function eventOf(data: string, withIds: boolean): { id?: string; data: string } {
  return withIds ? { id: `urn:uuid:${randomUUID()}`, data } : { data };
}

async function startChannel(withIds: boolean): Promise<number> {
  const channel = new Channel();
  const options = { heartbeatInterval: 15_000, maxBufferedBytes: 1024 * 1024 };
  const server = createServer(async (req, res) => {
    if (req.method === 'POST') {
      const body = await readBody(req);
      const items: string[] = body.startsWith('[') ? (JSON.parse(body) as string[]) : [body];
      for (const data of items) channel.broadcastEvent(eventOf(data, withIds));
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      return;
    }
    channel.join(createSession(req, res, options));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function startHub(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'spout-bench-hub-'));
  const hub = await createHub({
    // BENCH_HUB_STORE=memory isolates the cost of durability.
    store:
      process.env['BENCH_HUB_STORE'] === 'memory'
        ? createMemoryStore()
        : createSqliteStore({ path: join(dir, 'hub.db') }),
    publisherKeys: [{ key: BENCH_SECRET }],
    anonymous: true,
    limits: { maxSubscribers: 100_000, maxSubscribersPerAddress: 100_000 },
  });
  const running = await listen(hub, { port: 0 });
  return Number(new URL(running.url).port);
}

const port = kind === 'hub' ? await startHub() : await startChannel(kind === 'channel');
process.send?.({ port });
process.on('message', () => {
  (globalThis as { gc?: () => void }).gc?.();
  const cpu = process.cpuUsage();
  const memory = process.memoryUsage();
  process.send?.({
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    rss: memory.rss,
    heapUsed: memory.heapUsed,
    socketWrites,
  });
});
process.on('disconnect', () => process.exit(0));
