/** A bare TCP server speaking just enough HTTP/1.1 to capture each request's raw header bytes. */
import { once } from 'node:events';
import { type AddressInfo, createServer, type Socket } from 'node:net';

export interface RawServer {
  url: string;
  /** The header block (up to the blank line) of each request, as bytes. */
  heads: Buffer[];
  waitForRequests(count: number): Promise<void>;
  close(): Promise<void>;
}

/** Answers request number `index` with a `text/event-stream` response whose body is `body(index)`, then closes. */
export async function startRawServer(body: (index: number) => string): Promise<RawServer> {
  const heads: Buffer[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let received = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf('\r\n\r\n');
      if (end === -1) return;
      const index = heads.push(received.subarray(0, end)) - 1;
      for (const waiter of waiters.filter((w) => w.count <= heads.length)) waiter.resolve();
      socket.end(
        'HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n' + body(index),
      );
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/events`,
    heads,
    waitForRequests: (count) =>
      heads.length >= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ count, resolve })),
    async close() {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}

/** The raw bytes of one header's value in a header block, or undefined. */
export function rawHeaderValue(head: Buffer, name: string): Buffer | undefined {
  for (const line of splitLines(head)) {
    const colon = line.indexOf(':');
    if (colon > 0 && line.subarray(0, colon).toString('latin1').toLowerCase() === name) {
      let start = colon + 1;
      while (line[start] === 0x20) start++;
      return line.subarray(start);
    }
  }
  return undefined;
}

function splitLines(head: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  for (let i = head.indexOf('\r\n'); i !== -1; i = head.indexOf('\r\n', start)) {
    lines.push(head.subarray(start, i));
    start = i + 2;
  }
  lines.push(head.subarray(start));
  return lines;
}
